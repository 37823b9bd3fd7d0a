"""Location quotients of one industry or one cluster across every region of a level: the data of a choropleth map."""

from __future__ import annotations

import numpy as np

from regiolens.analysis.profile import GERMANY, industry_labels
from regiolens.analysis.results import LQMap, MapValue, Profile
from regiolens.classifications.section_groups import NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.clusters import get_taxonomy, resolve, weight_matrix
from regiolens.clusters.model import Taxonomy
from regiolens.errors import RegiolensError
from regiolens.metrics import location
from regiolens.regions.geometry import feature_collection
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import Panel, query_panel, stored_codes
from regiolens.warehouse.store import Warehouse


def default_map_industry(profile: Profile) -> str:
    """The industry a profile's map shows unless one is named: the region's highest LQ without a small number."""
    rows = [r for r in profile.industries if r.lq is not None and not r.small_number]
    if not rows:
        raise RegiolensError("no industry with a location quotient to map")
    return max(rows, key=lambda r: r.lq or 0.0).code


def _check_classification(classification: str) -> None:
    if classification != WZ2008_SECTION_GROUPS:
        raise RegiolensError(f"maps are defined for {WZ2008_SECTION_GROUPS} so far")


def _panels(
    wh: Warehouse,
    industries: list[str],
    year: int,
    level: str,
    reference: RegionSelection,
    measure: str,
    classification: str,
) -> tuple[Panel, Panel]:
    """``industries`` in ``year`` for every region of ``level``, and for the reference area (one row)."""
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
    return regions, ref


def _lq_map(
    wh: Warehouse,
    regions: Panel,
    lq: np.ndarray,
    employment: np.ndarray,
    flags: np.ndarray,
    *,
    code: str,
    labels: tuple[str, str],
    reference: RegionSelection,
    highlight: list[str] | None,
) -> LQMap:
    """The :class:`LQMap` of one column (``lq``, ``employment`` and ``flags`` per region of the panel), with the
    geometry of the panel's level and the attribution of the geometry and of the panel's sources."""
    level, year = regions.region_level, regions.years[0]
    geo = wh.geometries(level)
    names = dict(zip(wh.regions(level).region_code, wh.regions(level).name, strict=True))
    values = [
        MapValue(
            region,
            str(names.get(region, region)),
            None if np.isnan(v) else float(v),
            None if np.isnan(n) else float(n),
            str(f),
        )
        for region, v, n, f in zip(regions.regions, lq, employment, flags, strict=True)
    ]
    by_code = {v.code: v for v in values}
    lq_by_code = geo.region_code.map({c: v.lq for c, v in by_code.items()}).astype(object)
    geo = geo.assign(lq=lq_by_code.where(lq_by_code.notna(), None))  # no NaN in GeoJSON properties
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
    label_de, label_en = labels
    return LQMap(
        industry=code,
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
    _check_classification(classification)
    industries = list(NON_OVERLAPPING)
    if industry not in industries:
        raise RegiolensError(f"{industry!r} is not one of {', '.join(industries)}")
    regions, ref = _panels(wh, industries, year, level, reference, measure, classification)
    x, e = regions.values[0], ref.values[0, 0]
    lq = location.location_quotient(x, np.nansum(x, axis=-1), e, np.nansum(e))
    col = industries.index(industry)
    ((label_de, label_en),) = industry_labels(classification, [industry])
    return _lq_map(
        wh,
        regions,
        lq[:, col],
        x[:, col],
        regions.flags[0, :, col],
        code=industry,
        labels=(label_de, label_en),
        reference=reference,
        highlight=highlight,
    )


def cluster_lq_map(
    wh: Warehouse,
    taxonomy: str | Taxonomy,
    cluster: str,
    year: int,
    level: str = "de:kreis",
    highlight: list[str] | None = None,
    reference: RegionSelection = GERMANY,
    *,
    measure: str = "employment",
    classification: str = WZ2008_SECTION_GROUPS,
) -> LQMap:
    """LQ of one ``cluster`` of ``taxonomy`` (an id of :func:`regiolens.clusters.get_taxonomy` or a taxonomy, e.g.
    an organisation's own) in every region of ``level`` against ``reference``, with geometry for a map.

    As in a profile (:func:`regiolens.analysis.profile.profile`): the cluster is resolved on the codes stored at
    ``level``; its value is the weighted sum of its data codes, ``x_rc = Σ_d x_rd · W_dc`` (weights from the
    resolution, :func:`regiolens.clusters.weight_matrix`), with suppressed codes counted as missing (flag
    ``partial``: a lower bound); totals are the sums over the non-overlapping industries; and
    ``LQ_rc = (x_rc / x_r) / (E_c / E)`` (:func:`regiolens.metrics.location.location_quotient`). So a region's
    value on the map equals the cluster's LQ in its profile — except where every code of the cluster is unknown in
    a region: the map shows no value there (with the cells' flag), where the profile's lower bound is 0.
    The result's ``industry`` is the cluster's key ``<taxonomy id>:<cluster id>``, its labels the cluster's names.
    """
    _check_classification(classification)
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else get_taxonomy(taxonomy)
    available = stored_codes(wh.ibis, measure=measure, classification=classification, region_level=level)
    found = resolve(tax, classification, available, clusters=[cluster])
    if cluster not in found:
        raise RegiolensError(f"taxonomy {tax.id!r} has no cluster {cluster!r}")
    resolution = found[cluster]
    if resolution.status == "not_resolvable":
        raise RegiolensError(f"cluster {tax.id}:{cluster} cannot be resolved on these data: {resolution.message}")
    data_codes, weights = weight_matrix([resolution])
    totals = list(NON_OVERLAPPING)
    industries = totals + [c for c in data_codes if c not in totals]
    regions, ref = _panels(wh, industries, year, level, reference, measure, classification)
    total_cols = [industries.index(c) for c in totals]
    code_cols = [industries.index(c) for c in data_codes]
    x, e = regions.values[0], ref.values[0, 0]
    used = weights[:, 0] > 0
    unknown = np.isnan(x[:, code_cols])[:, used]
    x_c, e_c = np.nan_to_num(x[:, code_cols]) @ weights, np.nan_to_num(e[code_cols]) @ weights
    lq = location.location_quotient(x_c, np.nansum(x[:, total_cols], axis=-1), e_c, np.nansum(e[total_cols]))[:, 0]
    nothing = unknown.all(axis=1)
    cell_flags = regions.flags[0][:, code_cols][:, used]
    flags = np.where(nothing, cell_flags[:, 0], np.where(unknown.any(axis=1), "partial", "none"))
    by_id = {c.id: c for c in tax.clusters}
    return _lq_map(
        wh,
        regions,
        np.where(nothing, np.nan, lq),
        np.where(nothing, np.nan, x_c[:, 0]),
        flags,
        code=f"{tax.id}:{cluster}",
        labels=(by_id[cluster].label("de"), by_id[cluster].label("en")),
        reference=reference,
        highlight=highlight,
    )
