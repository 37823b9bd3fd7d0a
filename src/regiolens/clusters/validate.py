"""Checks shared by every taxonomy reader: ids, codes, weights — each failure names file, line and field.

Readers turn their rows into :class:`CodeEntry` objects (raw code text plus where it came from) and call
:func:`build_definition`, which

* reads each code with the classification's :meth:`~regiolens.classifications.Classification.normalise`
  (any accepted spelling; an unknown code is an error whose message carries the classification's hint),
* rejects a code given twice, or a code together with a code above or below it (the figures would be counted
  twice), within one cluster and classification,
* rejects weights outside (0, 1].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from regiolens.classifications import get_classification
from regiolens.classifications.base import UnknownClassificationError
from regiolens.clusters.model import Basis, ClusterCode, Definition
from regiolens.errors import InputError, UnknownIndustryError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
"""Taxonomy and cluster ids: lower-case letters, digits and ``-``."""


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One code as a reader found it, with its position for error messages."""

    raw: str
    line: int | None
    field: str
    weight: float = 1.0
    partial: bool = False
    note: str = ""
    source: str = ""
    basis: Basis = "authored"
    derived_from: tuple[str, ...] = ()
    subcluster: str | None = None


def slug(text: str) -> str:
    """An id from a name: ``"Aerospace Vehicles and Defense"`` → ``"aerospace-vehicles-and-defense"``."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")[:63]


def check_id(path: str | Path, line: int | None, field: str, value: object) -> str:
    """``value`` as an id, or :class:`InputError`."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InputError(path, line, field, f"{value!r} is not an id: use lower-case letters, digits and '-'")
    return value


def check_classification(path: str | Path, line: int | None, field: str, value: object) -> str:
    """The registry name of a classification, or :class:`InputError`."""
    try:
        return get_classification(str(value)).name
    except UnknownClassificationError as exc:
        raise InputError(path, line, field, str(exc)) from None


def check_weight(path: str | Path, line: int | None, field: str, value: object) -> float:
    """A weight in (0, 1], or :class:`InputError`."""
    try:
        weight = float(str(value).replace(",", ".")) if not isinstance(value, int | float) else float(value)
    except ValueError:
        raise InputError(path, line, field, f"{value!r} is not a number") from None
    if isinstance(value, bool) or not 0.0 < weight <= 1.0:
        raise InputError(path, line, field, f"weight must lie in (0, 1] (the share that belongs), got {value!r}")
    return weight


def check_code(path: str | Path, classification: str, entry: CodeEntry) -> str:
    """The canonical spelling of ``entry.raw`` in ``classification``, or :class:`InputError`."""
    clf = get_classification(classification)
    try:
        return clf.normalise(entry.raw)
    except UnknownIndustryError as exc:
        raise InputError(path, entry.line, entry.field, str(exc)) from None


def build_definition(
    path: str | Path,
    cluster_id: str,
    classification: str,
    entries: list[CodeEntry],
    *,
    derived_from: str | None = None,
    note: str = "",
) -> Definition:
    """A :class:`Definition` from checked entries (see the module docstring)."""
    clf = get_classification(classification)
    codes: list[ClusterCode] = []
    seen: dict[str, CodeEntry] = {}
    for entry in entries:
        code = check_code(path, clf.name, entry)
        if code in seen:
            raise InputError(
                path, entry.line, entry.field, f"{code} is given twice for cluster {cluster_id!r} ({clf.title})"
            )
        for other, first in seen.items():
            if other in clf.path(code) or code in clf.path(other):
                outer, inner = (other, code) if other in clf.path(code) else (code, other)
                raise InputError(
                    path,
                    entry.line,
                    entry.field,
                    f"{inner} lies within {outer}, also in cluster {cluster_id!r}"
                    f"{f' (line {first.line})' if first.line else ''}: its figures would count twice",
                )
        seen[code] = entry
        codes.append(
            ClusterCode(
                code=code,
                weight=entry.weight,
                partial=entry.partial,
                note=entry.note,
                source=entry.source,
                basis=entry.basis,
                derived_from=entry.derived_from,
                subcluster=entry.subcluster,
            )
        )
    return Definition(classification=clf.name, codes=tuple(codes), derived_from=derived_from, note=note)
