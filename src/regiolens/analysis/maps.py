"""Location quotients of one industry across every region of a level: the data of a choropleth map."""

from __future__ import annotations

import numpy as np

from regiolens.analysis.profile import GERMANY, industry_labels
from regiolens.analysis.results import LQMap, MapValue, Profile
from regiolens.classifications.section_groups import NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.errors import RegiolensError
from regiolens.metrics import location
from regiolens.regions.geometry import feature_collection
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse


def default_map_industry(profile: Profile) -> str:
    """The industry a profile's map shows unless one is named: the region's highest LQ without a small number."""
    rows = [r for r in profile.industries if r.lq is not None and not r.small_number]
    if not rows:
        raise RegiolensError("no industry with a location quotient to map")
    return max(rows, key=lambda r: r.lq or 0.0).code


def lq_map(
    wh: Warehouse,
    industry: str,
    year: int,
    level: str = "de:kreis",
    highlight: list[str] | None = None,
    reference: RegionSelection = GERMANY,
    *,
    measure: str = "employment",
    classification: str = WZ2008_SECTION_GROUPS,
) -> LQMap:
    """LQ of ``industry`` in every region of ``level`` against ``reference``, with geometry for a map.

    Region totals and the reference's totals are the sums over the non-overlapping industries (as in a
    profile), so that a region's value on the map equals its value in its profile.
    """
    if classification != WZ2008_SECTION_GROUPS:
        raise RegiolensError(f"maps are defined for {WZ2008_SECTION_GROUPS} so far")
    industries = list(NON_OVERLAPPING)
    if industry not in industries:
        raise RegiolensError(f"{industry!r} is not one of {', '.join(industries)}")
    regions = query_panel(
        wh.ibis, measure=measure, years=year, region_level=level, classification=classification, industries=industries
    )
    ref = query_panel(
        wh.ibis,
        measure=measure,
        years=year,
        region_level=reference.level.value,
        classification=classification,
        regions=[] if reference.group else [reference.code],
        groups=[reference.group] if reference.group else [],
        industries=industries,
    )
    x, e = regions.values[0], ref.values[0, 0]
    lq = location.location_quotient(x, np.nansum(x, axis=-1), e, np.nansum(e))
    col = industries.index(industry)
    geo = wh.geometries(level)
    names = dict(zip(wh.regions(level).region_code, wh.regions(level).name, strict=True))
    values = [
        MapValue(
            code,
            str(names.get(code, code)),
            None if np.isnan(v) else float(v),
            None if np.isnan(n) else float(n),
            str(f),
        )
        for code, v, n, f in zip(regions.regions, lq[:, col], x[:, col], regions.flags[0, :, col], strict=True)
    ]
    by_code = {v.code: v for v in values}
    lq_by_code = geo.region_code.map({c: v.lq for c, v in by_code.items()}).astype(object)
    geo = geo.assign(lq=lq_by_code.where(lq_by_code.notna(), None))  # no NaN in GeoJSON properties
    ((label_de, label_en),) = industry_labels(classification, [industry])
    attribution = sorted(
        set(geo.attribution)
        | {
            a
            for (a,) in wh.con.execute(
                "SELECT DISTINCT attribution FROM sources WHERE source_id IN (SELECT UNNEST(?))",
                [list(regions.source_ids)],
            ).fetchall()
        }
    )
    return LQMap(
        industry=industry,
        label_de=label_de,
        label_en=label_en,
        level=level,
        year=year,
        reference=reference.ref,
        values=values,
        highlight=list(highlight or []),
        geometry=feature_collection(geo.drop(columns="attribution")),
        attribution=attribution,
    )
