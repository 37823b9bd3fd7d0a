"""Plain JSON-ready data from results: one conversion for the CLI's JSON output, the web API and ``to_dict``."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


def jsonable(value: Any) -> Any:
    """``value`` as JSON shows it: dataclasses and Pydantic models → objects, numpy arrays and tuples → lists,
    numpy scalars → numbers, NaN and ±inf → ``None``, dates → ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()  # numpy array or scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value
