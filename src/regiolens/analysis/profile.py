"""The profile of one region (or group): structure, location quotients, growth, shift-share, clusters.

``profile(wh, region, year, base_year, reference)`` reads two panels — the region (a group is summed from
its members first) and the reference area (Germany unless named) — over the years from ``base_year`` to
``year`` and composes the metrics of :mod:`regiolens.metrics` into a :class:`~regiolens.analysis.results.Profile`.

Conventions, each stated in the profile's notes so that every figure can be explained:

- Industries are a non-overlapping set (for the Regionalstatistik section groups: A, B-E, F, G-I, J, K, L,
  M-N, O-Q, R-U). Region and reference totals are the sums over that set, so shares add up to one; for
  Germany this leaves out the few persons "without assignment" that only the national total contains.
- Shift-share compares ``base_year`` with ``year`` against the reference area's industry growth (classic
  Dunn, Esteban-Marquillas, Gerfin); the dynamic variant sums the year-by-year components.
- Strength is decided by a named threshold preset; an LQ whose confidence interval contains 1 is marked as
  indistinguishable from the reference (see ``lq_low``/``lq_high``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from regiolens.analysis.results import (
    ClusterRow,
    IndustryRow,
    Profile,
    RegionRef,
    ShiftShareTotals,
    SourceRef,
    Specialisation,
    Threshold,
)
from regiolens.classifications import get_classification
from regiolens.classifications.section_groups import BY_CODE, NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.clusters import get_taxonomy, resolve, weight_matrix
from regiolens.clusters.model import Taxonomy
from regiolens.errors import RegiolensError
from regiolens.i18n.messages import Bilingual, both
from regiolens.metrics import location, shiftshare, specialisation, strength
from regiolens.model import GERMANY_CODE, RegionLevel
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import Panel, level_roll_up, query_panel, stored_codes
from regiolens.warehouse.store import Warehouse

GERMANY = RegionSelection("DG", RegionLevel.DE_BUND, GERMANY_CODE)


def _num(value: float | np.floating) -> float | None:
    v = float(value)
    return None if np.isnan(v) else v


def default_industries(classification: str) -> list[str]:
    """The non-overlapping industry set a profile uses by default for ``classification``."""
    if classification == WZ2008_SECTION_GROUPS:
        return list(NON_OVERLAPPING)
    raise RegiolensError(f"name the industries or an industry level for a profile in {classification}")


def available_years(wh: Warehouse, measure: str, classification: str, level: str) -> list[int]:
    """Years with observations of ``measure`` in ``classification`` at ``level``."""
    return [
        int(y)
        for (y,) in wh.con.execute(
            "SELECT DISTINCT year FROM observations WHERE measure = ? AND classification = ? AND region_level = ?"
            " ORDER BY 1",
            [measure, classification, level],
        ).fetchall()
    ]


def industry_selection(
    wh: Warehouse,
    region_level: str,
    measure: str,
    classification: str,
    *,
    industries: Sequence[str] | None = None,
    industry_level: str | None = None,
) -> tuple[list[str], dict[str, str] | None]:
    """The industry codes of an analysis and the map that rolls stored codes up to them (or ``None``).

    ``industries`` named: those codes. ``industry_level`` named (e.g. ``division``): every code of that level
    the stored data roll up to. Neither: the classification's non-overlapping default set.
    """
    industry_map = (
        level_roll_up(
            wh.ibis, measure=measure, classification=classification, region_level=region_level, level=industry_level
        )
        if industry_level is not None
        else None
    )
    if industries is not None:
        return list(industries), industry_map
    if industry_map is not None:
        return sorted(set(industry_map.values())), industry_map
    return default_industries(classification), None


def year_span(
    wh: Warehouse, measure: str, classification: str, region_level: str, year: int | None, base_year: int | None
) -> tuple[int, int, list[int]]:
    """``(year, base_year, years in between with data)``: defaults latest and earliest year with data."""
    years_known = available_years(wh, measure, classification, region_level)
    if not years_known:
        raise RegiolensError(f"no {measure!r} data in {classification} for {region_level}; import data first")
    year = year or years_known[-1]
    base_year = base_year or years_known[0]
    if base_year >= year:
        raise RegiolensError(f"the base year ({base_year}) must lie before the year ({year})")
    missing = [y for y in (base_year, year) if y not in years_known]
    if missing:
        raise RegiolensError(f"no data for {', '.join(map(str, missing))}; available: {years_known}")
    return year, base_year, [y for y in years_known if base_year <= y <= year]


@dataclass(frozen=True)
class _Series:
    """Values of one region over the years: ``values[t, i]`` and flags, plus provenance."""

    values: np.ndarray
    flags: np.ndarray
    source_ids: tuple[int, ...]


def _series(
    wh: Warehouse,
    sel: RegionSelection,
    years: Sequence[int],
    measure: str,
    classification: str,
    industries: list[str],
    industry_map: Mapping[str, str] | None = None,
) -> _Series:
    p: Panel = query_panel(
        wh.ibis,
        measure=measure,
        years=years,
        region_level=sel.level.value,
        classification=classification,
        regions=[] if sel.group else [sel.code],
        groups=[sel.group] if sel.group else [],
        industries=industries,
        industry_map=industry_map,
    )
    return _Series(p.values[:, 0, :], p.flags[:, 0, :], p.source_ids)


def region_ref(wh: Warehouse, sel: RegionSelection) -> RegionRef:
    """Name and members of a selection, from the group definition or the region registry."""
    if sel.group is not None:
        return RegionRef(sel.ref, sel.group.label, "group", list(sel.group.members))
    names = wh.regions(sel.level.value)
    match = names[names.region_code == sel.code]
    name = str(match.name.iloc[0]) if len(match) else ("Deutschland" if sel.code == GERMANY_CODE else sel.code)
    return RegionRef(sel.ref, name, sel.level.value, [sel.code])


def is_nested(region: RegionSelection, reference: RegionSelection) -> bool:
    """Whether the reference area contains the region (Germany contains every German region)."""
    if reference.level is RegionLevel.DE_BUND:
        return region.level.value.startswith("de:")
    if reference.group is None and reference.level.value.startswith("de:"):
        return all(m.startswith(reference.code) for m in region.members)
    return False


def sources(wh: Warehouse, source_ids: Sequence[int]) -> list[SourceRef]:
    """Provenance of the given sources, in import order."""
    rows = wh.con.execute(
        "SELECT dataset_key, publisher, licence, attribution, vintage FROM sources"
        " WHERE source_id IN (SELECT UNNEST(?)) ORDER BY source_id",
        [sorted(set(source_ids))],
    ).fetchall()
    return [SourceRef(*r) for r in rows]


def _threshold(preset: str) -> Threshold:
    rule = strength.PRESETS[preset]
    return Threshold(rule.key, rule.description_de, rule.description_en, rule.source)


def industry_labels(classification: str, codes: Sequence[str]) -> list[tuple[str, str]]:
    """Display labels: the short ones of the section groups, else the classification's."""
    if classification == WZ2008_SECTION_GROUPS:
        return [(BY_CODE[c].short("de"), BY_CODE[c].short("en")) for c in codes]
    clf = get_classification(classification)
    return [(clf.label(c, "de"), clf.label(c, "en")) for c in codes]


@dataclass(frozen=True)
class _Everyone:
    """All regions of the profiled region's level in ``year`` (the group appended), for percentile rules."""

    regions: tuple[str, ...]
    values: np.ndarray  # (R, K)
    totals: np.ndarray  # (R,)


def _everyone(
    wh: Warehouse,
    sel: RegionSelection,
    year: int,
    measure: str,
    classification: str,
    codes: list[str],
    industry_map: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], np.ndarray]:
    p = query_panel(
        wh.ibis,
        measure=measure,
        years=year,
        region_level=sel.level.value,
        classification=classification,
        groups=[sel.group] if sel.group else [],
        industries=codes,
        industry_map=industry_map,
    )
    return p.regions, p.values[0]


def _strong(
    sel: RegionSelection,
    lq_row: np.ndarray,
    employment_row: np.ndarray,
    preset: str,
    everyone: Callable[[], _Everyone],
    reference: np.ndarray,
    reference_total: float,
) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Strength of the region's columns; percentile rules rank it among all regions of its level.

    The notes come in pairs (German, English)."""
    rule = strength.PRESETS[preset]
    if rule.lq_quantile is None and rule.size_quantile is None:
        result = strength.classify_strength(lq_row[None, :], rule=preset, employment=employment_row[None, :])
        return result.strong[0], list(zip(result.notes_de, result.notes, strict=True))
    all_ = everyone()
    lq_all = location.location_quotient(all_.values, all_.totals, reference, reference_total)
    result = strength.classify_strength(lq_all, rule=preset, employment=all_.values)
    row = all_.regions.index(sel.code)
    rule_name = Bilingual(rule.name_de, rule.name_en)
    notes = [
        *zip(result.notes_de, result.notes, strict=True),
        both("percentiles_over_level", rule=rule_name, n=len(all_.regions)),
    ]
    return result.strong[row], notes


@dataclass(frozen=True)
class _Columns:
    """Region and reference values of some columns (industries or clusters) over the years ``(T, K)``."""

    codes: list[str]
    labels: list[tuple[str, str]]
    x: np.ndarray
    e: np.ndarray
    flags: np.ndarray
    partition: bool  # whether the columns partition the economy (then Esteban-Marquillas applies)


def _rows(
    cols: _Columns,
    x_tot: np.ndarray,
    e_tot: np.ndarray,
    span: int,
    confidence: float,
    nested: bool,
    strong: np.ndarray,
) -> list[IndustryRow]:
    """Share, LQ with interval, growth and shift-share of every column, first → last year of ``x``."""
    x, e = cols.x, cols.e
    share = location.shares(x[-1][None, :], x_tot[-1:])[0]
    ref_share = location.shares(e[-1][None, :], e_tot[-1:])[0]
    interval = location.lq_confidence_interval(
        x[-1][None, :], x_tot[-1:], e[-1], e_tot[-1], level=confidence, nested=nested
    )
    growth = location.growth_rate(x[0], x[-1])
    cagr = location.cagr(x[0], x[-1], span)
    ref_growth = location.growth_rate(e[0], e[-1])
    ss_args = (x[0][None, :], x[-1][None, :], e[0], e[-1], e_tot[0], e_tot[-1])
    ss = shiftshare.shift_share(*ss_args)
    em = shiftshare.esteban_marquillas(*ss_args) if cols.partition else None
    small = strength.small_numbers(x[-1]).any
    return [
        IndustryRow(
            code=code,
            label_de=de,
            label_en=en,
            employment=_num(x[-1, i]),
            employment_base=_num(x[0, i]),
            flag=str(cols.flags[i]),
            share=_num(share[i]),
            reference_share=_num(ref_share[i]),
            lq=_num(interval.lq[0, i]),
            lq_low=_num(interval.lower[0, i]),
            lq_high=_num(interval.upper[0, i]),
            growth=_num(growth[i]),
            cagr=_num(cagr[i]),
            reference_growth=_num(ref_growth[i]),
            national=_num(ss.national_by_industry[0, i]),
            industry_mix=_num(ss.industry_mix_by_industry[0, i]),
            regional=_num(ss.regional_by_industry[0, i]),
            competitive=None if em is None else _num(em.competitive_by_industry[0, i]),
            allocation=None if em is None else _num(em.allocation_by_industry[0, i]),
            strong=bool(strong[i]),
            small_number=bool(small[i]),
        )
        for i, (code, (de, en)) in enumerate(zip(cols.codes, cols.labels, strict=True))
    ]


def _cluster_rows(
    wh: Warehouse,
    region: RegionSelection,
    reference: RegionSelection,
    years: list[int],
    measure: str,
    classification: str,
    taxonomy: str | Taxonomy | None,
    x_tot: np.ndarray,
    e_tot: np.ndarray,
    confidence: float,
    nested: bool,
    preset: str,
    everyone_industries: Callable[[], _Everyone],
) -> tuple[list[ClusterRow], list[tuple[str, str]]]:
    """The taxonomy's clusters in the region: figures where the data resolve them, the reason where not.

    A cluster's value is the weighted sum of its data codes (weights from the resolution; 1 for codes wholly
    inside). Suppressed codes count as missing: the cluster is then a lower bound, flagged ``partial``.
    Totals and reference are those of the industry profile, so a cluster's LQ compares like with like.
    """
    if taxonomy is None:
        return [], []
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else get_taxonomy(taxonomy)
    available = stored_codes(wh.ibis, measure=measure, classification=classification, region_level=region.level.value)
    resolutions = resolve(tax, classification, available)
    usable = [r for r in resolutions.values() if r.status != "not_resolvable"]
    by_id = {c.id: c for c in tax.clusters}
    figures: dict[str, IndustryRow] = {}
    notes: list[tuple[str, str]] = []  # (German, English)
    if usable:
        data_codes, weights = weight_matrix(usable)
        reg = _series(wh, region, years, measure, classification, data_codes)
        ref = _series(wh, reference, years, measure, classification, data_codes)
        incomplete = (np.isnan(reg.values[-1]) @ (weights > 0)) > 0
        x = np.nan_to_num(reg.values) @ weights
        e = np.nan_to_num(ref.values) @ weights
        ids = [r.cluster_id for r in usable]

        def everyone() -> _Everyone:
            regions, values = _everyone(wh, region, years[-1], measure, classification, data_codes)
            industries = everyone_industries()
            totals = dict(zip(industries.regions, industries.totals, strict=True))
            return _Everyone(
                regions, np.nan_to_num(values) @ weights, np.array([totals.get(r, np.nan) for r in regions])
            )

        lq = location.location_quotient(x[-1][None, :], x_tot[-1:], e[-1], e_tot[-1])[0]
        strong, strength_notes = _strong(region, lq, x[-1], preset, everyone, e[-1], e_tot[-1])
        notes += strength_notes
        labels = [(by_id[i].label("de"), by_id[i].label("en")) for i in ids]
        flags = np.where(incomplete, "partial", "none")
        cols = _Columns(ids, labels, x, e, flags, partition=False)
        figures = {row.code: row for row in _rows(cols, x_tot, e_tot, years[-1] - years[0], confidence, nested, strong)}
    rows = [
        ClusterRow(
            taxonomy=f"{tax.id} {tax.version}",
            cluster=cid,
            name_de=by_id[cid].label("de"),
            name_en=by_id[cid].label("en"),
            status=r.status,
            reason=r.message,
            figures=figures.get(cid),
            reason_de=r.message_de,
        )
        for cid, r in resolutions.items()
    ]
    return rows, notes


def profile(
    wh: Warehouse,
    region: RegionSelection,
    year: int | None = None,
    base_year: int | None = None,
    reference: RegionSelection = GERMANY,
    *,
    measure: str = "employment",
    classification: str = WZ2008_SECTION_GROUPS,
    industries: Sequence[str] | None = None,
    preset: str = "lq>=1.25",
    confidence: float = 0.95,
    taxonomy: str | Taxonomy | None = "hannoverimpuls",
    industry_level: str | None = None,
) -> Profile:
    """Structure, LQs against ``reference``, growth and shift-share ``base_year`` → ``year`` of ``region``.

    ``year`` defaults to the latest year with data, ``base_year`` to the earliest. Groups are summed from
    their members before any ratio. See the module docstring for the conventions. ``taxonomy`` names the
    cluster taxonomy (an id of :func:`regiolens.clusters.get_taxonomy`) or is one (e.g. an organisation's own).
    """
    codes, industry_map = industry_selection(
        wh, region.level.value, measure, classification, industries=industries, industry_level=industry_level
    )
    year, base_year, years = year_span(wh, measure, classification, region.level.value, year, base_year)

    reg = _series(wh, region, years, measure, classification, codes, industry_map)
    ref = _series(wh, reference, years, measure, classification, codes, industry_map)
    x, e = reg.values, ref.values  # (T, I)
    x_tot, e_tot = np.nansum(x, axis=-1), np.nansum(e, axis=-1)  # (T,)
    t0, t1 = 0, len(years) - 1
    nested = is_nested(region, reference)

    @cache
    def everyone() -> _Everyone:
        regions, values = _everyone(wh, region, year, measure, classification, codes, industry_map)
        return _Everyone(regions, values, np.nansum(values, axis=-1))

    lq = location.location_quotient(x[t1][None, :], x_tot[t1:], e[t1], e_tot[t1])[0]
    strong, strength_notes = _strong(region, lq, x[t1], preset, everyone, e[t1], e_tot[t1])
    columns = _Columns(codes, industry_labels(classification, codes), x, e, reg.flags[t1], partition=True)
    rows = _rows(columns, x_tot, e_tot, year - base_year, confidence, nested, strong)
    em = shiftshare.esteban_marquillas(x[t0][None, :], x[t1][None, :], e[t0], e[t1], e_tot[t0], e_tot[t1])
    gerfin = shiftshare.gerfin(x[t0][None, :], x[t1][None, :], e[t0], e[t1], e_tot[t0], e_tot[t1])
    dynamic = shiftshare.dynamic_shift_share(x[:, None, :], e, e_tot) if len(years) > 2 else None
    clusters, cluster_notes = _cluster_rows(
        wh,
        region,
        reference,
        years,
        measure,
        classification,
        taxonomy,
        x_tot,
        e_tot,
        confidence,
        nested,
        preset,
        everyone,
    )
    totals = ShiftShareTotals(
        actual_change=float(em.actual_change[0]),
        national=float(em.national[0]),
        industry_mix=float(em.industry_mix[0]),
        regional=float(em.regional[0]),
        competitive=float(em.competitive[0]),
        allocation=float(em.allocation[0]),
        structural_factor=float(gerfin.structural_factor[0]),
        location_factor=float(gerfin.location_factor[0]),
        dynamic_national=None if dynamic is None else float(dynamic.total.national[0]),
        dynamic_industry_mix=None if dynamic is None else float(dynamic.total.industry_mix[0]),
        dynamic_regional=None if dynamic is None else float(dynamic.total.regional[0]),
    )
    parents = [get_classification(classification).parent(c) for c in codes]
    groups = np.array([sorted(set(map(str, parents))).index(str(p)) for p in parents])
    variety = specialisation.variety(x[t1][None, :], groups)
    indices = specialisation.specialisation_indices(x[t1][None, :], reference=e[t1])
    spec = Specialisation(
        krugman=_num(indices.krugman[0]),
        hoover=_num(indices.hoover[0]),
        gini=_num(indices.gini[0]),
        herfindahl=_num(indices.herfindahl[0]),
        entropy=_num(variety.entropy[0]),
        related_variety=_num(variety.related[0]),
        unrelated_variety=_num(variety.unrelated[0]),
    )
    notes = [
        both("profile_basis", n=len(codes), classification=classification, reference=region_ref(wh, reference).name),
        *strength_notes,
        *cluster_notes,
    ]
    flagged = [c for c, f in zip(codes, reg.flags[t1], strict=True) if f not in ("none", "estimated")]
    if flagged:
        notes.append(both("cells_incomplete", year=year, codes=flagged))
    return Profile(
        region=region_ref(wh, region),
        reference=region_ref(wh, reference),
        year=year,
        base_year=base_year,
        measure=measure,
        classification=classification,
        total_employment=float(x_tot[t1]),
        total_employment_base=float(x_tot[t0]),
        reference_total=float(e_tot[t1]),
        reference_total_base=float(e_tot[t0]),
        industries=rows,
        shift_share=totals,
        specialisation=spec,
        clusters=clusters,
        threshold=_threshold(preset),
        sources=sources(wh, reg.source_ids + ref.source_ids),
        notes=[de for de, _ in notes],
        notes_en=[en for _, en in notes],
    )
