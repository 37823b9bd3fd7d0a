"""What a region (or group) is and how many people work there, year by year."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from regiolens.errors import RegiolensError
from regiolens.model import TOTAL_INDUSTRY
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse


@dataclass(frozen=True)
class YearValue:
    year: int
    value: float | None
    flag: str


@dataclass(frozen=True)
class RegionSummary:
    """A region or group with its members and a measure's total per year (summed for groups)."""

    ref: str
    code: str
    name: str
    level: str
    kind: str | None
    nuts_code: str | None
    is_group: bool
    measure: str
    classification: str | None
    series: list[YearValue]
    members: list[RegionSummary] = field(default_factory=list)
    attribution: list[str] = field(default_factory=list)


def _names(wh: Warehouse, level: str) -> dict[str, tuple[str, str | None, str | None]]:
    return {
        str(code): (str(name), kind, nuts)
        for code, name, kind, nuts in wh.regions(level)[["region_code", "name", "kind", "nuts_code"]].itertuples(
            index=False
        )
    }


def _best_classification(wh: Warehouse, level: str, measure: str) -> str | None:
    row = wh.con.execute(
        """SELECT classification FROM observations
           WHERE region_level = ? AND measure = ? AND industry_code = ?
           GROUP BY classification ORDER BY count(DISTINCT year) DESC, classification LIMIT 1""",
        [level, measure, TOTAL_INDUSTRY],
    ).fetchone()
    return row[0] if row else None


def summarise_region(wh: Warehouse, sel: RegionSelection, measure: str = "employment") -> RegionSummary:
    """Name, members and yearly totals of ``measure`` for a region or group (groups summed from members)."""
    level = sel.level.value
    names = _names(wh, level)
    classification = _best_classification(wh, level, measure)
    series: dict[str, list[YearValue]] = {}
    attribution: list[str] = []
    if classification is not None:
        years = [
            int(y)
            for (y,) in wh.con.execute(
                "SELECT DISTINCT year FROM observations WHERE region_level = ? AND measure = ? AND classification = ?"
                " ORDER BY year",
                [level, measure, classification],
            ).fetchall()
        ]
        panel = query_panel(
            wh.ibis,
            measure=measure,
            years=years,
            region_level=level,
            classification=classification,
            regions=list(sel.members),
            groups=[sel.group] if sel.group else [],
            industries=[TOTAL_INDUSTRY],
        )
        for r, code in enumerate(panel.regions):
            series[code] = [
                YearValue(y, None if np.isnan(v) else float(v), str(f))
                for y, v, f in zip(panel.years, panel.values[:, r, 0], panel.flags[:, r, 0], strict=True)
            ]
        attribution = [
            a
            for (a,) in wh.con.execute(
                "SELECT DISTINCT attribution FROM sources WHERE source_id IN (SELECT UNNEST(?))",
                [list(panel.source_ids)],
            ).fetchall()
        ]

    def one(code: str) -> RegionSummary:
        name, kind, nuts = names.get(code, (code, None, None))
        return RegionSummary(code, code, name, level, kind, nuts, False, measure, classification, series.get(code, []))

    if sel.group is None:
        if sel.code not in names and sel.code not in series:
            raise RegiolensError(f"region {sel.code} ({level}) is not in the warehouse")
        return replace(one(sel.code), ref=sel.ref, attribution=attribution)
    g = sel.group
    return RegionSummary(
        ref=sel.ref,
        code=g.name,
        name=g.label,
        level="group",
        kind=g.description or None,
        nuts_code=None,
        is_group=True,
        measure=measure,
        classification=classification,
        series=series.get(g.name, []),
        members=[one(m) for m in g.members],
        attribution=attribution,
    )
