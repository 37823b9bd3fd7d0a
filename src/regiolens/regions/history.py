"""Dated history of German Kreis codes: which old codes were merged into which new ones, and when.

Statistics are published under the codes valid at their reference date. Before values from
different years are compared or aggregated, old codes are mapped to the codes valid at a target
date (``as_of``), following chains of changes. Only **mergers** are listed: a whole old Kreis became
part of exactly one new Kreis, so its values move without any weighting. Splits (e.g. the
Mecklenburg-Vorpommern reform of 2011) would need weights and are not mapped; data under such codes
stays under its old code and is not silently reassigned.

Sources: Statistisches Bundesamt, "Gebietsänderungen" (territorial changes) of the respective years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from regiolens.model import RegionLevel


@dataclass(frozen=True)
class CodeChange:
    """``old`` ceased to exist on ``effective`` and became part of ``new``."""

    level: RegionLevel
    old: str
    new: str
    effective: date
    note: str


CHANGES: tuple[CodeChange, ...] = (
    CodeChange(RegionLevel.DE_KREIS, "03201", "03241", date(2001, 11, 1), "Stadt Hannover → Region Hannover"),
    CodeChange(RegionLevel.DE_KREIS, "03253", "03241", date(2001, 11, 1), "Landkreis Hannover → Region Hannover"),
    CodeChange(RegionLevel.DE_KREIS, "05313", "05334", date(2009, 10, 21), "Stadt Aachen → Städteregion Aachen"),
    CodeChange(RegionLevel.DE_KREIS, "05354", "05334", date(2009, 10, 21), "Kreis Aachen → Städteregion Aachen"),
    CodeChange(
        RegionLevel.DE_KREIS,
        "03152",
        "03159",
        date(2016, 11, 1),
        "Landkreis Göttingen (alt) → Landkreis Göttingen",
    ),
    CodeChange(
        RegionLevel.DE_KREIS,
        "03156",
        "03159",
        date(2016, 11, 1),
        "Landkreis Osterode am Harz → Landkreis Göttingen",
    ),
    CodeChange(RegionLevel.DE_KREIS, "16056", "16063", date(2021, 7, 1), "Stadt Eisenach → Wartburgkreis"),
)


def successor(level: RegionLevel | str, code: str, as_of: date, changes: Iterable[CodeChange] = CHANGES) -> str:
    """The code under which region ``code`` is counted at ``as_of`` (itself if unchanged).

    Chains are followed: a code merged into one that was later merged again ends at the last one
    effective on or before ``as_of``.

    >>> from datetime import date
    >>> successor("de:kreis", "03156", date(2020, 12, 31))
    '03159'
    >>> successor("de:kreis", "03156", date(2015, 12, 31))
    '03156'
    """
    by_old = {(c.level.value, c.old): c for c in changes}
    lvl = RegionLevel(level).value
    seen = {code}
    while (change := by_old.get((lvl, code))) is not None and change.effective <= as_of:
        code = change.new
        if code in seen:  # pragma: no cover - guards against a cyclic table
            raise ValueError(f"cyclic code history at {code}")
        seen.add(code)
    return code


def code_map(as_of: date, changes: Iterable[CodeChange] = CHANGES) -> list[tuple[str, str, str]]:
    """All ``(level, old_code, code_at_as_of)`` triples whose code changed on or before ``as_of``."""
    changes = tuple(changes)
    return [
        (c.level.value, c.old, target)
        for c in changes
        if (target := successor(c.level, c.old, as_of, changes)) != c.old
    ]
