"""Checks every parsed source passes before anything is written, each failure naming file, line, field."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from regiolens.errors import InputError
from regiolens.model import OBSERVATION_COLUMNS, Flag, ParsedSource, RegionLevel
from regiolens.regions.codes import CODE_PATTERNS

_KEY = ["region_level", "region_code", "industry_code", "classification", "year", "measure"]
_FLAGS = {f.value for f in Flag} - {Flag.MISSING.value}
_LEVELS = {lvl.value for lvl in RegionLevel}


def _line(frame: pd.DataFrame, mask: np.ndarray | pd.Series) -> int | None:
    """Source line of the first row where ``mask`` holds."""
    idx = np.flatnonzero(np.asarray(mask))
    if not len(idx) or "line" not in frame:
        return None
    return int(frame["line"].iloc[idx[0]])


def validate(
    parsed: ParsedSource,
    known_codes: Callable[[str], set[str] | None] = lambda level: None,
) -> None:
    """Raise :class:`InputError` for the first problem in ``parsed``.

    Checks: canonical columns present and filled; known region levels; region codes of the right
    form and, where the registry knows the level (``known_codes(level)`` is not ``None``), known to
    it; known flags; a value on every row flagged ``none``; no duplicate key.
    """
    obs = parsed.observations
    file = parsed.path or parsed.info.file_name
    missing = [c for c in OBSERVATION_COLUMNS if c not in obs.columns]
    if missing:
        raise InputError(file, None, missing[0], "importer delivered no such column")
    for col in [*_KEY, "flag"]:
        null = obs[col].isna().to_numpy()
        if null.any():
            raise InputError(file, _line(obs, null), col, "empty")
    bad_level = ~obs["region_level"].isin(_LEVELS).to_numpy()
    if bad_level.any():
        raise InputError(
            file,
            _line(obs, bad_level),
            "region level",
            f"unknown level {obs['region_level'][bad_level].iloc[0]!r}",
        )
    for level, codes in obs.groupby("region_level", sort=False)["region_code"]:
        pattern = CODE_PATTERNS[RegionLevel(str(level))]
        unique = codes.unique()
        wrong = [c for c in unique if not pattern.match(str(c))]
        known = known_codes(str(level))
        if known is not None:
            wrong += [c for c in unique if str(c) not in known and c not in wrong]
        if wrong:
            mask = (obs["region_level"] == level) & obs["region_code"].isin(wrong)
            raise InputError(
                file, _line(obs, mask), "region code", f"unknown region code {wrong[0]!r} at level {level}"
            )
    bad_flag = ~obs["flag"].isin(_FLAGS).to_numpy()
    if bad_flag.any():
        raise InputError(file, _line(obs, bad_flag), "flag", f"unknown flag {obs['flag'][bad_flag].iloc[0]!r}")
    values = obs["value"].to_numpy(dtype="float64")
    no_value = np.isnan(values) & (obs["flag"] == Flag.NONE.value).to_numpy()
    if no_value.any():
        raise InputError(file, _line(obs, no_value), "value", "empty value without a flag that explains it")
    if np.isinf(values).any():
        raise InputError(file, _line(obs, np.isinf(values)), "value", "infinite value")
    dup = obs.duplicated(_KEY).to_numpy()
    if dup.any():
        row = obs[dup].iloc[0]
        raise InputError(
            file,
            _line(obs, dup),
            None,
            f"duplicate observation for region {row['region_code']}, industry {row['industry_code']}, "
            f"year {row['year']}, measure {row['measure']}",
        )
