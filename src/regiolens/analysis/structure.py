"""Employment structure of regions side by side: employment and share per non-overlapping industry group.

share_ri = e_ri / Σ_i e_ri, the sum taken over a **non-overlapping** set of industries (for the
Regionalstatistik section groups: A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U), so that shares add up
to one. The reference area (Germany by default) is shown beside the regions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from regiolens.classifications.section_groups import BY_CODE, NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.errors import RegiolensError
from regiolens.model import GERMANY_CODE, RegionLevel
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse


@dataclass(frozen=True)
class StructureCell:
    employment: float | None
    share: float | None
    flag: str


@dataclass(frozen=True)
class StructureRow:
    industry_code: str
    label_de: str
    label_en: str
    short_de: str
    short_en: str
    cells: dict[str, StructureCell]  # by region reference


@dataclass(frozen=True)
class Structure:
    """Employment and shares per industry group for several regions in one year."""

    year: int
    measure: str
    classification: str
    regions: list[str]
    reference: str
    rows: list[StructureRow]
    attribution: list[str]


def latest_year(wh: Warehouse, measure: str, classification: str) -> int:
    """The latest year with observations of ``measure`` in ``classification``."""
    (year,) = wh.con.execute(
        "SELECT max(year) FROM observations WHERE measure = ? AND classification = ?",
        [measure, classification],
    ).fetchone() or (None,)
    if year is None:
        raise RegiolensError(f"no {measure!r} data in {classification}; import data first")
    return int(year)


def structure(
    wh: Warehouse,
    selections: Sequence[RegionSelection],
    year: int | None = None,
    measure: str = "employment",
    classification: str = WZ2008_SECTION_GROUPS,
) -> Structure:
    """Employment and share per non-overlapping section group, regions side by side with Germany."""
    if classification != WZ2008_SECTION_GROUPS:
        raise RegiolensError(f"structure tables are defined for {WZ2008_SECTION_GROUPS} so far")
    year = year or latest_year(wh, measure, classification)
    industries = list(NON_OVERLAPPING)
    columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    sources: set[int] = set()
    for level in dict.fromkeys(s.level for s in selections):
        same = [s for s in selections if s.level is level]
        p = query_panel(
            wh.ibis,
            measure=measure,
            years=year,
            region_level=level.value,
            classification=classification,
            regions=[s.code for s in same if s.group is None],
            groups=[s.group for s in same if s.group is not None],
            industries=industries,
        )
        values, flags = p.at(year)
        for s in same:
            r = p.regions.index(s.code)
            columns[s.ref] = (values[r], flags[r])
        sources.update(p.source_ids)
    ref = query_panel(
        wh.ibis,
        measure=measure,
        years=year,
        region_level=RegionLevel.DE_BUND.value,
        classification=classification,
        regions=[GERMANY_CODE],
        industries=industries,
    )
    columns["Deutschland"] = (ref.at(year)[0][0], ref.at(year)[1][0])
    sources.update(ref.source_ids)
    shares = {k: v / np.nansum(v) for k, (v, _) in columns.items()}
    rows = [
        StructureRow(
            code,
            BY_CODE[code].label_de,
            BY_CODE[code].label_en,
            BY_CODE[code].short("de"),
            BY_CODE[code].short("en"),
            {
                k: StructureCell(
                    None if np.isnan(v[i]) else float(v[i]),
                    None if np.isnan(shares[k][i]) else float(shares[k][i]),
                    str(f[i]),
                )
                for k, (v, f) in columns.items()
            },
        )
        for i, code in enumerate(industries)
    ]
    attribution = [
        a
        for (a,) in wh.con.execute(
            "SELECT DISTINCT attribution FROM sources WHERE source_id IN (SELECT UNNEST(?))",
            [sorted(sources)],
        ).fetchall()
    ]
    return Structure(year, measure, classification, [s.ref for s in selections], "Deutschland", rows, attribution)
