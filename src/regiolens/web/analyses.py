"""The analyses the pages and the API show, called once per parameter set and kept in the warehouse cache.

Nothing is computed here: each function resolves what the user typed into region selections and calls
:mod:`regiolens.analysis` exactly as the CLI does, so that the page, the API, the CSV and the PDF show the
same numbers as ``regiolens profile … --format json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from regiolens.analysis.compare import compare
from regiolens.analysis.maps import lq_map
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers
from regiolens.analysis.profile import GERMANY, available_years, profile
from regiolens.analysis.results import Comparison, LQMap, Opportunities, Peers, Profile
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.cli.common import parse_weights
from regiolens.errors import RegiolensError
from regiolens.metrics.strength import PRESETS
from regiolens.regions.resolve import RegionSelection, resolve_region
from regiolens.web.warehouse import WarehouseAccess

DEFAULT_THRESHOLD = "lq>=1.25"
"""The strength preset of the pages unless the URL names another (the CLI's default too)."""


@dataclass(frozen=True)
class ProfileParams:
    """What a profile depends on: all of it is in the page's URL."""

    region: str
    year: int | None = None
    base_year: int | None = None
    reference: str | None = None
    threshold: str = DEFAULT_THRESHOLD


def check_threshold(threshold: str | None) -> str:
    value = threshold or DEFAULT_THRESHOLD
    if value not in PRESETS:
        raise RegiolensError(f"unknown threshold {value!r}; choose from {', '.join(PRESETS)}")
    return value


def _selection(ref: str, groups: Path | None) -> RegionSelection:
    ref = ref.strip()
    if not ref:
        raise RegiolensError("name a region (a code such as 05562 or a group such as emscher-lippe)")
    return resolve_region(ref, groups)


def _reference(ref: str | None, groups: Path | None) -> RegionSelection:
    return _selection(ref, groups) if ref and ref.strip() else GERMANY


def get_profile(access: WarehouseAccess, p: ProfileParams, groups: Path | None = None) -> Profile:
    region, reference = _selection(p.region, groups), _reference(p.reference, groups)
    preset = check_threshold(p.threshold)
    key = ("profile", region, reference, p.year, p.base_year, preset)
    return access.cached(key, lambda wh: profile(wh, region, p.year, p.base_year, reference, preset=preset))


def get_comparison(
    access: WarehouseAccess,
    regions: Sequence[str],
    year: int | None = None,
    base_year: int | None = None,
    reference: str | None = None,
    threshold: str | None = None,
    groups: Path | None = None,
) -> Comparison:
    selections = tuple(_selection(r, groups) for r in regions if r.strip())
    ref = _reference(reference, groups)
    preset = check_threshold(threshold)
    key = ("compare", selections, ref, year, base_year, preset)
    return access.cached(key, lambda wh: compare(wh, list(selections), year, base_year, ref, preset=preset))


def get_peers(
    access: WarehouseAccess,
    region: str,
    n: int = 10,
    year: int | None = None,
    base_year: int | None = None,
    indicators: Sequence[str] | None = None,
    weights: str | None = None,
    within: str = "de",
    groups: Path | None = None,
) -> Peers:
    sel = _selection(region, groups)
    chosen = tuple(i.strip() for i in indicators if i.strip()) if indicators else None
    w = parse_weights(weights)
    key = ("peers", sel, n, year, base_year, chosen, tuple(sorted((w or {}).items())), within)
    return access.cached(
        key,
        lambda wh: peers(wh, sel, n, year=year, base_year=base_year, indicators=chosen, weights=w, within=within),
    )


def get_opportunities(
    access: WarehouseAccess,
    region: str,
    n: int | None = None,
    year: int | None = None,
    base_year: int | None = None,
    weights: str | None = None,
    groups: Path | None = None,
) -> Opportunities:
    sel = _selection(region, groups)
    w = parse_weights(weights)
    key = ("opportunities", sel, n, year, base_year, tuple(sorted((w or {}).items())))
    return access.cached(key, lambda wh: opportunities(wh, sel, year=year, base_year=base_year, weights=w, n=n))


def get_map(
    access: WarehouseAccess,
    industry: str,
    year: int | None,
    highlight: Sequence[str] = (),
    level: str = "de:kreis",
    reference: RegionSelection = GERMANY,
) -> LQMap | None:
    """The LQ map of ``industry`` (``None`` when the warehouse holds no boundaries at ``level``)."""

    def compute(wh: Any) -> LQMap | None:
        if not wh.geometries(level).size:
            return None
        the_year = year or max(available_years(wh, "employment", WZ2008_SECTION_GROUPS, level), default=None)
        if the_year is None:
            raise RegiolensError("no employment data at Kreis level; import data first")
        return lq_map(wh, industry, the_year, level, list(highlight), reference)

    return access.cached(("map", industry, year, tuple(highlight), level, reference), compute)


def level_of(ref: str, groups: Path | None = None) -> str:
    """The level of the codes that hold a region's data (a group's members' level)."""
    return _selection(ref, groups).level.value


def reference_of(ref: str | None, groups: Path | None = None) -> RegionSelection:
    """The reference area a user typed (Germany when empty)."""
    return _reference(ref, groups)


def years(access: WarehouseAccess, level: str = "de:kreis") -> list[int]:
    """Years with employment data (for the year selectors)."""
    if not access.exists():
        return []
    return access.cached(("years", level), lambda wh: available_years(wh, "employment", WZ2008_SECTION_GROUPS, level))


def source_rows(access: WarehouseAccess) -> list[dict[str, Any]]:
    """The imported sources with provenance and coverage, as ``regiolens data status --format json`` lists them."""

    def compute(wh: Any) -> list[dict[str, Any]]:
        sources = wh.sources()
        coverage = wh.coverage()
        rows = []
        for s in cast(list[dict[str, Any]], sources.to_dict("records")):
            cov = coverage[coverage.source_id == s["source_id"]]
            s["years"] = sorted({int(y) for y in cov.first_year} | {int(y) for y in cov.last_year})
            s["classifications"] = sorted(set(cov.classification))
            s["measures"] = sorted(set(cov.measure))
            s["region_levels"] = sorted(set(cov.region_level))
            s["notes"] = list(s["notes"])
            rows.append(s)
        return rows

    if not access.exists():
        return []
    return access.cached(("sources",), compute)


def region_list(access: WarehouseAccess, level: str = "de:kreis") -> list[dict[str, Any]]:
    """Known regions of ``level`` (code and name) for search and the region picker."""
    if not access.exists():
        return []

    def compute(wh: Any) -> list[dict[str, Any]]:
        frame = wh.regions(level)
        return [{"code": str(c), "name": str(n)} for c, n in zip(frame.region_code, frame.name, strict=True)]

    return access.cached(("regions", level), compute)


def chart_svg(access: WarehouseAccess, key: tuple[Any, ...], build: Callable[[], str]) -> str:
    """A rendered chart, kept beside the result it shows."""
    return access.memo(("svg", *key), build)
