"""The analyses the pages and the API show, called once per parameter set and kept in the warehouse cache.

Nothing is computed here: each function resolves what the user typed into region selections and calls
:mod:`regiolens.analysis` exactly as the CLI does, so that the page, the API, the CSV and the PDF show the
same numbers as ``regiolens profile … --format json``.

What the user chose is checked here, once for the pages and the API: numbers out of their documented range, an
unknown threshold or map industry → :class:`~regiolens.errors.InvalidParameter` (HTTP 422); a year the data do
not hold, a base year after the year → :class:`~regiolens.errors.NotInData` (HTTP 400: the request is valid, the
data cannot answer it); each with a message in the page's language. No warehouse yet → :class:`NoWarehouse`
(HTTP 503, saying what to do, no server path).
A profile's cluster taxonomy is a built-in one or one of the user's organisation (or shared in its network):
:func:`choose_taxonomy` applies the one visibility rule (:func:`regiolens.web.accounts.visible`). A map shows an
industry or a cluster of such a taxonomy (:func:`choose_map_cluster`); a cluster the data cannot resolve is a
:class:`MapChoiceError` (HTTP 422) giving the resolution's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, cast

from sqlalchemy.orm import Session

from regiolens.analysis.compare import compare
from regiolens.analysis.maps import cluster_lq_map, lq_map
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers
from regiolens.analysis.profile import GERMANY, available_years, profile
from regiolens.analysis.results import Comparison, LQMap, Opportunities, Peers, Profile
from regiolens.classifications.section_groups import NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.cli.common import parse_weights
from regiolens.clusters.model import Taxonomy as ClusterTaxonomy
from regiolens.clusters.model import UnknownClusterError
from regiolens.clusters.registry import BUILTIN, builtin_taxonomy
from regiolens.clusters.resolve import ClusterResolution, resolve
from regiolens.clusters.stored import ORG_PREFIX, org_taxonomy, taxonomy_version
from regiolens.errors import InvalidParameter, KindError, NotInData, RegiolensError
from regiolens.i18n.messages import Bilingual, parameter
from regiolens.metrics.strength import PRESETS
from regiolens.regions.resolve import RegionSelection, resolve_region
from regiolens.warehouse.panel import stored_codes
from regiolens.web import accounts
from regiolens.web.db import Taxonomy, User
from regiolens.web.warehouse import WarehouseAccess
from regiolens.web.words import check as check_lang
from regiolens.web.words import t

DEFAULT_THRESHOLD = "lq>=1.25"
"""The strength preset of the pages unless the URL names another (the CLI's default too)."""


DEFAULT_TAXONOMY = "hannoverimpuls"
"""The cluster taxonomy of a profile unless the URL names another (the CLI's default too)."""

YEARS = (1900, 2100)
"""The years a URL may name at all; within them, only years the data hold are accepted."""

PEERS_N = (1, 400)
"""How many peers a page or the API may ask for (the German Kreise are about 400 candidates)."""

OPPORTUNITIES_N = (1, 1000)
"""How many opportunities a page or the API may ask for (there are fewer industries than that)."""


class NoWarehouse(KindError):
    """The app has no data yet: says what to do (import on the data page or with the CLI), never a server path."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__("no_warehouse")


@dataclass(frozen=True)
class ProfileParams:
    """What a profile depends on: all of it is in the page's URL.

    ``taxonomy`` is a built-in taxonomy id or ``org-<id>``, an organisation's own; ``taxonomy_version`` tells
    versions of an organisation's taxonomy apart (it is edited in place), so that a cached profile of the old
    definition is never shown for the new one. ``cluster_taxonomy`` is the taxonomy itself as
    :func:`choose_taxonomy` found it (not part of the key: id and version are).
    """

    region: str
    year: int | None = None
    base_year: int | None = None
    reference: str | None = None
    threshold: str = DEFAULT_THRESHOLD
    taxonomy: str = DEFAULT_TAXONOMY
    taxonomy_version: str = ""
    cluster_taxonomy: ClusterTaxonomy | None = field(default=None, compare=False, hash=False, repr=False)


def check_threshold(threshold: str | None) -> str:
    value = threshold or DEFAULT_THRESHOLD
    if value not in PRESETS:
        raise InvalidParameter("unknown_threshold", value=repr(value), choices=", ".join(PRESETS))
    return value


def check_range(value: int | None, name: str, bounds: tuple[int, int]) -> int | None:
    """``value`` when it lies within ``bounds`` (inclusive) or is ``None``; else :class:`InvalidParameter`."""
    low, high = bounds
    if value is not None and not low <= value <= high:
        raise InvalidParameter("out_of_range", name=parameter(name), low=low, high=high, value=value)
    return value


def check_years(access: WarehouseAccess, year: int | None, base_year: int | None, level: str = "de:kreis") -> None:
    """Years in range and held by the employment data at ``level``; the base year before the year."""
    check_range(year, "year", YEARS)
    check_range(base_year, "base_year", YEARS)
    known = years(access, level)
    for y in (base_year, year):
        if y is not None and known and y not in known:
            raise NotInData("no_data_for_years", years=y, available=_span(known))
    last, first = year or max(known, default=None), base_year or min(known, default=None)
    if last is not None and first is not None and first >= last and (year or base_year):
        raise NotInData("base_year_after_year", base_year=first, year=last)


def _span(known: Sequence[int]) -> str:
    """``2015–2020`` for consecutive years, else the years listed."""
    if list(known) == list(range(known[0], known[-1] + 1)):
        return f"{known[0]}–{known[-1]}"
    return ", ".join(map(str, known))


def check_industry(industry: str) -> str:
    """An industry of the map: one of the non-overlapping section groups, else :class:`InvalidParameter`."""
    if industry not in NON_OVERLAPPING:
        raise InvalidParameter("unknown_industry", industry=repr(industry), choices=", ".join(NON_OVERLAPPING))
    return industry


def _require(access: WarehouseAccess) -> None:
    if not access.exists():
        raise NoWarehouse()


# ------------------------------------------------------------------------------------------ taxonomies


def _org_record(db: Session, user: User, taxonomy_id: str) -> Taxonomy | None:
    number = taxonomy_id.removeprefix(ORG_PREFIX)
    # ASCII digits within the database's integer range ("²".isdigit() holds, int("²") fails)
    if not (taxonomy_id.startswith(ORG_PREFIX) and number.isascii() and number.isdigit() and len(number) < 10):
        return None
    return db.scalar(accounts.visible(db, user, Taxonomy).where(Taxonomy.id == int(number)))


def choose_taxonomy(db: Session, user: User, taxonomy_id: str | None) -> tuple[str, str, ClusterTaxonomy]:
    """The taxonomy a user chose: ``(id, version, taxonomy)``; built in, or visible to the user (else 404)."""
    chosen = (taxonomy_id or "").strip() or DEFAULT_TAXONOMY
    if chosen in BUILTIN:
        return chosen, "", builtin_taxonomy(chosen)
    record = _org_record(db, user, chosen)
    if record is None:  # unknown, or another organisation's private one: the same answer
        raise UnknownClusterError(f"unknown taxonomy {chosen!r}")
    return chosen, taxonomy_version(record), org_taxonomy(record)


def _visible_taxonomies(db: Session, user: User) -> list[tuple[str, str, ClusterTaxonomy]]:
    """``(id, name, taxonomy)`` of every taxonomy the user may pick: the built-in ones, then those visible to
    the user."""
    own = db.scalars(accounts.visible(db, user, Taxonomy).order_by(Taxonomy.name, Taxonomy.id))
    builtin = [(name, builtin_taxonomy(name).label(), builtin_taxonomy(name)) for name in BUILTIN]
    return builtin + [(f"{ORG_PREFIX}{r.id}", f"{r.name} ({r.organisation.name})", org_taxonomy(r)) for r in own]


def taxonomy_options(db: Session, user: User) -> list[tuple[str, str]]:
    """``(id, name)`` of every taxonomy the user may pick: the built-in ones, then those visible to the user."""
    return [(taxonomy_id, name) for taxonomy_id, name, _ in _visible_taxonomies(db, user)]


def _selection(ref: str, groups: Path | None) -> RegionSelection:
    ref = ref.strip()
    if not ref:
        raise RegiolensError("name a region (a code such as 05562 or a group such as emscher-lippe)")
    return resolve_region(ref, groups)


def _reference(ref: str | None, groups: Path | None) -> RegionSelection:
    return _selection(ref, groups) if ref and ref.strip() else GERMANY


def get_profile(access: WarehouseAccess, p: ProfileParams, groups: Path | None = None) -> Profile:
    _require(access)
    region, reference = _selection(p.region, groups), _reference(p.reference, groups)
    preset = check_threshold(p.threshold)
    check_years(access, p.year, p.base_year, region.level.value)
    tax: str | ClusterTaxonomy = p.cluster_taxonomy if p.cluster_taxonomy is not None else p.taxonomy
    key = ("profile", region, reference, p.year, p.base_year, preset, p.taxonomy, p.taxonomy_version)
    return access.cached(
        key, lambda wh: profile(wh, region, p.year, p.base_year, reference, preset=preset, taxonomy=tax)
    )


def get_comparison(
    access: WarehouseAccess,
    regions: Sequence[str],
    year: int | None = None,
    base_year: int | None = None,
    reference: str | None = None,
    threshold: str | None = None,
    groups: Path | None = None,
) -> Comparison:
    _require(access)
    selections = tuple(_selection(r, groups) for r in regions if r.strip())
    ref = _reference(reference, groups)
    preset = check_threshold(threshold)
    if selections:
        check_years(access, year, base_year, selections[0].level.value)
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
    _require(access)
    check_range(n, "n", PEERS_N)
    sel = _selection(region, groups)
    if within == "de":
        check_years(access, year, base_year, sel.level.value)
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
    _require(access)
    check_range(n, "n", OPPORTUNITIES_N)
    sel = _selection(region, groups)
    check_years(access, year, base_year, sel.level.value)
    w = parse_weights(weights)
    key = ("opportunities", sel, n, year, base_year, tuple(sorted((w or {}).items())))
    return access.cached(key, lambda wh: opportunities(wh, sel, year=year, base_year=base_year, weights=w, n=n))


# ------------------------------------------------------------------------------------------ maps


@dataclass(frozen=True)
class MapCluster:
    """A cluster a map shows: ``taxonomy`` (built-in id or ``org-<id>``) with its ``taxonomy_version`` (an edited
    organisation's taxonomy gets a new one, so a cached map of the old definition is never shown) and ``cluster``,
    the cluster's id. ``cluster_taxonomy`` is the taxonomy as :func:`choose_taxonomy` found it (not part of the key).
    """

    taxonomy: str
    taxonomy_version: str
    cluster: str
    cluster_taxonomy: ClusterTaxonomy = field(compare=False, hash=False, repr=False)

    @property
    def key(self) -> str:
        """``<taxonomy>:<cluster>``: the value of the map form's cluster field and the map's ``industry``."""
        return f"{self.taxonomy}:{self.cluster}"


class MapChoiceError(RegiolensError):
    """A map the user chose that cannot be drawn (both an industry and a cluster; a cluster the data cannot
    resolve): HTTP 422, with the page word ``word`` (:data:`regiolens.web.words.WORDS`) as message."""

    status_code = 422

    def __init__(self, word: str, **values: object) -> None:
        self.word = word
        self.values = values
        super().__init__(t(word, "en", **{k: _pick(v, "en") for k, v in values.items()}))

    def localised(self, lang: str) -> str:
        chosen = check_lang(lang)
        return t(self.word, chosen, **{k: _pick(v, chosen) for k, v in self.values.items()})


def _pick(value: object, lang: str) -> object:
    return value.pick(lang) if isinstance(value, Bilingual) else value


def choose_map_cluster(
    db: Session, user: User, industry: str | None, taxonomy: str | None, cluster: str | None
) -> MapCluster | None:
    """The cluster a map URL names (``taxonomy=<id>&cluster=<id>``, or ``cluster=<taxonomy>:<cluster>`` as the
    page's form sends it; the taxonomy defaults as in a profile), ``None`` when it names none (an industry map).

    Mutually exclusive with ``industry`` (:class:`MapChoiceError`); a taxonomy the user may not see, or a cluster
    it does not have, is unknown (404), whoever owns it.
    """
    industry, taxonomy, cluster = ((v or "").strip() for v in (industry, taxonomy, cluster))
    if not cluster and not taxonomy:
        return None
    if industry:
        raise MapChoiceError("map_industry_or_cluster")
    if not cluster:
        raise MapChoiceError("map_name_a_cluster")
    if not taxonomy and ":" in cluster:
        taxonomy, cluster = cluster.split(":", 1)
    taxonomy_id, version, chosen = choose_taxonomy(db, user, taxonomy)
    chosen.cluster(cluster)  # UnknownClusterError (404) when the taxonomy has no such cluster
    return MapCluster(taxonomy_id, version, cluster, chosen)


def map_cluster_options(
    access: WarehouseAccess, db: Session, user: User
) -> list[tuple[str, list[tuple[str, str, str, bool]]]]:
    """The clusters a map can show, per taxonomy the user may pick: ``(taxonomy name, [(key, de, en, resolvable)])``,
    ``key`` being ``<taxonomy>:<cluster>`` (:attr:`MapCluster.key`), ``resolvable`` whether the Kreis data can
    show it (all are, without data)."""
    options = []
    for taxonomy_id, name, tax in _visible_taxonomies(db, user):
        if access.exists():
            key = ("map-resolvable", taxonomy_id, tax.version)
            found = access.cached(key, partial(_resolutions, tax=tax, level="de:kreis"))
            resolvable = {c for c, r in found.items() if r.status != "not_resolvable"}
        else:
            resolvable = set(tax.cluster_ids)
        clusters = [(f"{taxonomy_id}:{c.id}", c.label("de"), c.label("en"), c.id in resolvable) for c in tax.clusters]
        options.append((name, clusters))
    return options


def _resolutions(
    wh: Any, tax: ClusterTaxonomy, level: str, clusters: list[str] | None = None
) -> dict[str, ClusterResolution]:
    """How the clusters of ``tax`` resolve on the employment data at ``level`` (as the map resolves them)."""
    codes = stored_codes(wh.ibis, measure="employment", classification=WZ2008_SECTION_GROUPS, region_level=level)
    return resolve(tax, WZ2008_SECTION_GROUPS, codes, clusters=clusters)


def _map(
    access: WarehouseAccess,
    key: tuple[Any, ...],
    year: int | None,
    level: str,
    build: Callable[[Any, int], LQMap],
) -> LQMap | None:
    """``build(warehouse, year)`` for the year asked (else the latest), kept in the cache under ``key``; ``None``
    when the warehouse holds no boundaries at ``level``."""
    _require(access)
    check_years(access, year, None, level)

    def compute(wh: Any) -> LQMap | None:
        if not wh.geometries(level).size:
            return None
        the_year = year or max(available_years(wh, "employment", WZ2008_SECTION_GROUPS, level), default=None)
        if the_year is None:
            raise RegiolensError("no employment data at Kreis level; import data first")
        return build(wh, the_year)

    return access.cached(key, compute)


def get_map(
    access: WarehouseAccess,
    industry: str,
    year: int | None,
    highlight: Sequence[str] = (),
    level: str = "de:kreis",
    reference: RegionSelection = GERMANY,
) -> LQMap | None:
    """The LQ map of ``industry`` (``None`` when the warehouse holds no boundaries at ``level``)."""
    check_industry(industry)
    key = ("map", industry, year, tuple(highlight), level, reference)
    return _map(access, key, year, level, lambda wh, y: lq_map(wh, industry, y, level, list(highlight), reference))


def get_cluster_map(
    access: WarehouseAccess,
    chosen: MapCluster,
    year: int | None,
    highlight: Sequence[str] = (),
    level: str = "de:kreis",
    reference: RegionSelection = GERMANY,
) -> LQMap | None:
    """The LQ map of a cluster (:func:`regiolens.analysis.maps.cluster_lq_map`; ``None`` without boundaries at
    ``level``); a cluster the data cannot resolve is a :class:`MapChoiceError` saying why, in both languages."""
    tax, cluster = chosen.cluster_taxonomy, chosen.cluster

    def build(wh: Any, the_year: int) -> LQMap:
        found = _resolutions(wh, tax, level, [cluster])[cluster]
        if found.status == "not_resolvable":
            name = tax.cluster(cluster)
            raise MapChoiceError(
                "map_cluster_not_resolvable",
                cluster=Bilingual(name.label("de"), name.label("en")),
                reason=Bilingual(found.message_de, found.message),
            )
        return cluster_lq_map(wh, tax, cluster, the_year, level, list(highlight), reference)

    key = ("cluster-map", chosen.taxonomy, chosen.taxonomy_version, cluster, year, tuple(highlight), level, reference)
    return _map(access, key, year, level, build)


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
