"""The TOML import of knowledge-base records and their JSON/CSV export.

A file holds any of the arrays ``[[actors]]``, ``[[initiatives]]``, ``[[exchanges]]`` and ``[[lessons]]``, each
entry with the fields of :mod:`regiolens.network.inputs` (an initiative's statements as ``[[initiatives.facts]]``,
an exchange's follow-ups as ``[[exchanges.follow_ups]]``)::

    [[actors]]
    key = "hannover-impuls"
    name = "Hannover Impuls GmbH"
    kind = "agency"
    region = "region-hannover"

    [[initiatives]]
    key = "hannoverimpuls"
    name = "hannoverimpuls"
    region = "region-hannover"

    [[initiatives.facts]]
    kind = "focus_cluster"
    taxonomy = "hannoverimpuls"
    cluster = "automotive"

Records are created in that order (actors, initiatives, exchanges, lessons) and in file order within each, so a
record may refer to any record before it in the file, and to any record the importing person may already see. A
key that exists in the organisation is an error, unless ``update`` is asked for. The whole file is imported or
nothing (the caller's transaction). The example content is loaded by the same function
(:mod:`regiolens.network.examples`).
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.errors import InputError, RegiolensError
from regiolens.network import records
from regiolens.network.inputs import ActorIn, ExchangeIn, InitiativeIn, LessonIn
from regiolens.web.db import User

SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "actors": ("actor", ActorIn),
    "initiatives": ("initiative", InitiativeIn),
    "exchanges": ("exchange", ExchangeIn),
    "lessons": ("lesson", LessonIn),
}
"""Sections of an import file, in the order they are imported: ``{section: (record kind, input model)}``."""

ExportFormat = Literal["json", "csv"]


@dataclass
class ImportSummary:
    """What an import did: the keys created and updated, by record kind."""

    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)

    def count(self) -> int:
        """How many records were created or updated."""
        return sum(map(len, self.created.values())) + sum(map(len, self.updated.values()))


def read_toml(source: str | Path) -> dict[str, Any]:
    """The parsed file (``source`` a path) with its sections checked; :class:`InputError` names what is wrong."""
    path = Path(source)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, None, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise RegiolensError(f"cannot read {path}: {exc.strerror}") from None
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise InputError(path, None, ", ".join(unknown), f"unknown section; a file holds {', '.join(SECTIONS)}")
    for section in SECTIONS:
        if not isinstance(data.get(section, []), list):
            raise InputError(path, None, section, f"write each record as an entry of the table array {section!r}")
    return data


def _validated(path: str | Path, section: str, index: int, entry: Any, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(entry)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        key = entry.get("key", "?") if isinstance(entry, Mapping) else "?"
        raise InputError(path, None, f"{section}[{index}] ({key}).{where}", first["msg"]) from None


_CREATE: dict[str, Callable[..., Any]] = {
    "actor": records.create_actor,
    "initiative": records.create_initiative,
    "exchange": records.create_exchange,
    "lesson": records.create_lesson,
}
_UPDATE: dict[str, Callable[..., Any]] = {
    "actor": records.update_actor,
    "initiative": records.update_initiative,
    "exchange": records.update_exchange,
    "lesson": records.update_lesson,
}


def import_toml(
    s: Session,
    user: User,
    source: str | Path,
    *,
    organisation: str | None = None,
    update: bool = False,
    example: bool = False,
) -> ImportSummary:
    """Import the records of a TOML file for ``user`` into ``organisation`` (default: the user's only one).

    ``update`` replaces records whose key exists in the organisation (else that is an error); ``example`` marks
    every record as example content. Every record is checked before the first is written.
    """
    data = read_toml(source)
    owner = records.owner_organisation(s, user, organisation)
    entries = [
        (kind, _validated(source, section, i, entry, model))
        for section, (kind, model) in SECTIONS.items()
        for i, entry in enumerate(data.get(section, []))
    ]
    summary = ImportSummary()
    for kind, data_in in entries:
        model = records.KINDS[kind]
        existing = s.scalar(select(model).where(model.organisation_id == owner.id, model.key == data_in.key))
        if existing is not None and update:
            _UPDATE[kind](s, user, existing, data_in)
            summary.updated.setdefault(kind, []).append(data_in.key)
            continue
        try:
            _CREATE[kind](s, user, data_in, organisation=owner.slug, example=example)
        except RegiolensError as exc:
            raise RegiolensError(f"{source}: {exc}") from None
        summary.created.setdefault(kind, []).append(data_in.key)
    return summary


# ----------------------------------------------------------------------------------------------- export


def _cell(value: Any) -> Any:
    """A CSV cell: lists of words joined with ``; ``, anything nested as JSON."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) or v is None for v in value):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_records(
    s: Session,
    user: User,
    kind: str,
    fmt: ExportFormat = "json",
    *,
    tag: str | None = None,
    example: bool | None = None,
) -> str:
    """Every record of ``kind`` the user may see as JSON (a list of :func:`~regiolens.network.records.describe`)
    or CSV (one row per record; lists joined with ``; ``, nested values as JSON)."""
    if kind not in records.KINDS:
        raise RegiolensError(f"unknown kind {kind!r}; choose from {', '.join(records.KINDS)}")
    found = records.list_records(s, user, records.KINDS[kind], tag=tag, example=example)
    rows = [records.describe(s, user, r) for r in found]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise RegiolensError(f"unknown export format {fmt!r}: json or csv")
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()
