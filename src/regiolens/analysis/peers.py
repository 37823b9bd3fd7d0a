"""Peer regions: the regions most similar in structure, size, growth and density to a region (or group).

``peers(wh, region, n, within=…)`` reads **one** employment panel — every region of the candidates' level, the
target (translated to that level and, for a group, summed from its members) appended — computes the indicators
of all regions at once and ranks the candidates by a weighted, standardised Euclidean distance.

Where the candidates come from (``within``) is the only thing that differs; distances, contributions and
reasons are one code path:

============ ============================ ====================================== ================================
``within``   candidates                   data (measure, classification)         industries of ``structure``
============ ============================ ====================================== ================================
``de``       the level of the region      ``employment``, ``wz2008-sg``          A, B-E, F, G-I, J, K, L, M-N,
             (Kreise for a Kreis)         (Regionalstatistik 13111-07-05-4)      O-Q, R-U
``eu``       EU NUTS-3 regions            ``employment_thousand_persons``,       A, B-E, F, G-J, K-N, O-U
                                          ``nace2-eurostat-groups``
                                          (Eurostat ``nama_10r_3empers``)
============ ============================ ====================================== ================================

Translation of the target: within ``eu`` a German Kreis (or a group of Kreise, e.g. Emscher-Lippe = 05562 +
05512 + 05513) becomes its NUTS-3 code(s) through the ``nuts_code`` the region registry holds for each Kreis
(BKG ``kreise_ags_nuts3.csv``, or the NUTS3 column of ``districts.csv``) — DEA36 + DEA31 + DEA32 — and is summed
from them; a NUTS-3 region given directly (``nuts:DEA36``) is used as it is. Within ``de`` a German NUTS-3 code
becomes its Kreis the same way. The target's members are never candidates.

Why the coarse groups within the EU: ``nama_10r_3empers`` publishes the finer groups (G-I, J, K, L, M_N, O-Q,
R-U) for only about 700 of the 1,220 NUTS-3 regions — not for German, Austrian and Spanish ones — but the six
groups A, B-E, F, G-J, K-N, O-U, which do not overlap and sum to the total, for nearly all. Comparing a
German region with the rest of the EU therefore has to use those six. Eurostat's employment (national-accounts
concept, all persons employed, in thousands) is shown in persons (× 1,000); it is not the same concept as the
German ``employment`` (employees subject to social insurance), so the two are never mixed in one ranking.

Indicators (each one a group of columns):

- ``structure``: the shares of the non-overlapping industries in the region's employment in ``year``;
- ``size``: the natural logarithm of employment in ``year`` (the sum over those industries);
- ``growth``: employment growth ``base_year`` → ``year`` (``x1 / x0 - 1``). It needs two years: with one year
  of data (the Eurostat file holds 2018 only) it is left out of the default indicators with a note, and asking
  for it explicitly is an error;
- ``population``: the natural logarithm of the population (measure ``population``, industry ``TOTAL`` in the
  classification ``total``, e.g. from ``districts.csv``);
- ``density``: the natural logarithm of population per km² (``population`` / ``area_km2``); a group's density is
  its summed population over its summed area.

Population and area are taken for the latest year with data at or before ``year`` (else the earliest after);
the notes name it. They are offered only where the warehouse holds them for the candidates' level (German
Kreise from ``districts.csv``; none for NUTS-3). Default indicators: structure, size, growth, plus density
when available. Logarithms because size and density are skewed over orders of magnitude: a city twice as
dense is as far on the scale whether it has 300 or 3,000 inhabitants per km².

Every column ``j`` is standardised across the candidates, ``z = (x - mean) / sd`` (population standard
deviation; a column without spread is left at 0), and the target is standardised with the candidates' mean and
sd. The distance between the target ``t`` and a candidate ``p`` is::

    d_k² = (1 / m_k) · Σ_{j in k} (z_tj - z_pj)²        (m_k = number of columns of indicator k)
    D    = sqrt(Σ_k w_k · d_k²)

so an indicator with ten columns weighs as much as one with one column, and a weight of 2 counts an indicator
twice. The contribution of indicator ``k`` (of one column ``j``) to a peer's distance is ``w_k · d_k² / D²``
(``w_k / m_k · (z_tj - z_pj)² / D²``); the contributions of a peer sum to 1.

Cells without a value (suppressed) count as 0 in the shares and totals; the notes say how many there were.
Candidates without any observation for one of the industries (the publisher does not break the region down),
without employment in ``year`` (or ``base_year``, when growth is an indicator) or without population and area
(when those are indicators) are left out, as are Extra-Regio codes (``DEZZZ``: no territory). The target must
have all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from regiolens.analysis.profile import available_years, default_industries, region_ref, sources
from regiolens.analysis.results import Peer, PeerIndicator, Peers
from regiolens.analysis.weights import indicator_weights
from regiolens.classifications.section_groups import BY_CODE, WZ2008_SECTION_GROUPS
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number, format_share
from regiolens.i18n.messages import Bilingual, both, weights_text
from regiolens.model import TOTAL_INDUSTRY, Flag, RegionLevel
from regiolens.regions.groups import RegionGroup
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import Panel, query_panel
from regiolens.warehouse.store import Warehouse

INDICATORS: tuple[str, ...] = ("structure", "size", "growth", "population", "density")
"""Every indicator ``peers`` knows; ``population`` and ``density`` only where the warehouse has the data."""
DEFAULT_INDICATORS: tuple[str, ...] = ("structure", "size", "growth")
"""The default indicators; ``density`` is added when population and area are available."""
NAMES: dict[str, tuple[str, str]] = {
    "structure": ("Branchenstruktur", "industry structure"),
    "size": ("Größe (Beschäftigte)", "size (employees)"),
    "growth": ("Wachstum", "growth"),
    "population": ("Bevölkerung", "population"),
    "density": ("Bevölkerungsdichte", "population density"),
}
SIZE_NAMES: dict[str, tuple[str, str]] = {
    "employment": ("Größe (Beschäftigte)", "size (employees)"),
    "employment_thousand_persons": ("Größe (Erwerbstätige)", "size (persons employed)"),
}
"""Name of ``size`` by measure: German employees vs Eurostat's persons employed."""

EUROSTAT_GROUPS = "nace2-eurostat-groups"
"""Classification of Eurostat's ``nace_r2`` groups (see :mod:`regiolens.ingest.jsonstat`)."""
EU_NON_OVERLAPPING: tuple[str, ...] = ("A", "B-E", "F", "G-J", "K-N", "O-U")
"""Eurostat groups that partition the economy and exist for (nearly) every NUTS-3 region."""
EUROSTAT_LABELS: dict[str, tuple[str, str]] = {
    "G-J": ("Handel, Verkehr, Gastgewerbe, IuK", "Trade, transport, hospitality, ICT"),
    "K-N": ("Finanzen, Immobilien, Unternehmensdienste", "Finance, real estate, business services"),
    "O-U": ("Öffentl. und sonstige Dienste", "Public and other services"),
}
"""Short labels of the Eurostat groups that are not WZ section groups (the others share those labels)."""

POPULATION, AREA, TOTAL_CLASSIFICATION = "population", "area_km2", "total"


@dataclass(frozen=True)
class Universe:
    """Where peers are sought: the candidates' level and the employment data read for them."""

    within: str
    level: str
    measure: str
    classification: str
    industries: tuple[str, ...]
    scale: float  # values × scale = persons (Eurostat publishes thousands)
    source_name: Bilingual
    persons: Bilingual  # who is counted, for the notes


WITHIN: dict[str, tuple[str, str, str]] = {
    "de": (RegionLevel.DE_KREIS.value, "employment", WZ2008_SECTION_GROUPS),
    "eu": (RegionLevel.NUTS3.value, "employment_thousand_persons", EUROSTAT_GROUPS),
}
"""Default level, measure and classification per ``within``."""


@dataclass(frozen=True)
class Distances:
    """Distances of every candidate to the target and each column's part of the squared distance.

    ``parts[name]`` is ``(C, m_k)``: ``w_k / m_k · (z_tj - z_pj)²``; ``distance = sqrt(sum of all parts)``.
    """

    distance: np.ndarray  # (C,)
    parts: dict[str, np.ndarray]


def standardised_distances(
    target: Mapping[str, np.ndarray], candidates: Mapping[str, np.ndarray], weights: Mapping[str, float]
) -> Distances:
    """The weighted distance of each candidate to the target (formula in the module docstring).

    ``target[k]`` has shape ``(m_k,)``, ``candidates[k]`` ``(C, m_k)``; both in raw units (standardised here).
    """
    parts: dict[str, np.ndarray] = {}
    for k, cand in candidates.items():
        cand = np.asarray(cand, dtype=float)
        mean, sd = cand.mean(axis=0), cand.std(axis=0)
        safe = np.where(sd > 0, sd, 1.0)
        z_c = np.where(sd > 0, (cand - mean) / safe, 0.0)
        z_t = np.where(sd > 0, (np.asarray(target[k], dtype=float) - mean) / safe, 0.0)
        parts[k] = float(weights[k]) / cand.shape[1] * (z_c - z_t) ** 2
    total = sum(p.sum(axis=1) for p in parts.values())
    return Distances(np.sqrt(np.asarray(total, dtype=float)), parts)


def industry_label(classification: str, code: str, lang: str) -> str:
    """Short label of a section group (WZ 2008) or Eurostat group (``M_N`` as ``M-N``); the code otherwise."""
    if classification in (WZ2008_SECTION_GROUPS, EUROSTAT_GROUPS):
        if code in EUROSTAT_LABELS and classification == EUROSTAT_GROUPS:
            return EUROSTAT_LABELS[code][0 if lang == "de" else 1]
        group = BY_CODE.get(code.replace("_", "-"))
        if group is not None:
            return group.short(lang)
    return code


# --------------------------------------------------------------------------------------------- the universe


def universe(within: str, classification: str | None = None, measure: str | None = None) -> Universe:
    """The candidates' level and data for ``within`` (``classification``/``measure`` override the defaults)."""
    if within not in WITHIN:
        raise RegiolensError(f"unknown --within {within!r}; available: {', '.join(WITHIN)}")
    level, default_measure, default_classification = WITHIN[within]
    classification = classification or default_classification
    measure = measure or default_measure
    if classification == EUROSTAT_GROUPS:
        industries: tuple[str, ...] = EU_NON_OVERLAPPING
    else:
        industries = tuple(default_industries(classification))
    scale = 1000.0 if measure.endswith("_thousand_persons") else 1.0
    source_name = {
        EUROSTAT_GROUPS: Bilingual(
            "Eurostat nama_10r_3empers, Erwerbstätige nach VGR-Konzept",
            "Eurostat nama_10r_3empers, persons employed (national accounts)",
        ),
        WZ2008_SECTION_GROUPS: Bilingual(
            "Regionalstatistik 13111-07-05-4, sozialversicherungspflichtig Beschäftigte",
            "Regionalstatistik 13111-07-05-4, employees subject to social insurance",
        ),
    }.get(classification, Bilingual(f"{measure} ({classification})", f"{measure} ({classification})"))
    persons = (
        Bilingual("Erwerbstätigen", "persons employed")
        if measure == "employment_thousand_persons"
        else Bilingual("Beschäftigten", "employees")
    )
    return Universe(within, level, measure, classification, industries, scale, source_name, persons)


@dataclass(frozen=True)
class Target:
    """The region at the universe's level: the panel row ``code``, its ``members`` (never candidates)."""

    code: str
    members: tuple[str, ...]
    group: RegionGroup | None
    level: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (German, English)


def _nuts_of_kreise(wh: Warehouse) -> dict[str, str]:
    names = wh.regions(RegionLevel.DE_KREIS.value)
    return {
        str(c): str(n)
        for c, n in zip(names.region_code, names.nuts_code, strict=True)
        if isinstance(n, str) and n.strip()
    }


def translate(wh: Warehouse, region: RegionSelection, within: str) -> Target:
    """The target at the candidates' level of ``within`` (see the module docstring)."""
    level = region.level.value
    members = tuple(region.members)
    note: list[tuple[str, str]] = []  # (German, English)
    if within == "eu":
        to = RegionLevel.NUTS3.value
        if level == RegionLevel.DE_KREIS.value:
            nuts = _nuts_of_kreise(wh)
            unknown = [m for m in members if m not in nuts]
            if unknown:
                raise RegiolensError(
                    f"no NUTS-3 code known for Kreis {', '.join(unknown)}; import the BKG registry "
                    "(kreise_ags_nuts3.csv) or districts.csv, which carry the NUTS code of every Kreis"
                )
            members = tuple(dict.fromkeys(nuts[m] for m in members))
            note.append(
                both("peers_as_nuts3", region=region.ref, members=" + ".join(members), kreise=list(region.members))
            )
        elif level != to:
            raise RegiolensError(
                f"peers within the EU need a German Kreis, a group of Kreise or a NUTS-3 region, not {level}"
            )
    else:
        to = level
        if level == RegionLevel.NUTS3.value:
            to = RegionLevel.DE_KREIS.value
            by_nuts: dict[str, list[str]] = {}
            for kreis, nuts_code in _nuts_of_kreise(wh).items():
                by_nuts.setdefault(nuts_code, []).append(kreis)
            unknown = [m for m in members if m not in by_nuts]
            if unknown:
                raise RegiolensError(
                    f"no German Kreis with NUTS-3 code {', '.join(unknown)} is known; use --within eu for regions "
                    "outside Germany, or import the BKG registry (kreise_ags_nuts3.csv)"
                )
            members = tuple(dict.fromkeys(k for m in members for k in sorted(by_nuts[m])))
            note.append(both("peers_as_kreis", region=region.ref, members=" + ".join(members)))
        elif not level.startswith("de:"):
            raise RegiolensError(f"peers within Germany need a German region, not {level}")
    if region.group is None and len(members) == 1:
        return Target(members[0], members, None, to, note)
    name = region.group.name if region.group else region.code
    label = region.group.label if region.group else region.ref
    group = RegionGroup(name, label, RegionLevel(to), members)
    return Target(name, members, group, to, note)


def _pick_year(years: Sequence[int], year: int) -> int | None:
    """The latest of ``years`` at or before ``year``, else the earliest after it; ``None`` if there are none."""
    before = [y for y in years if y <= year]
    return max(before) if before else (min(years) if years else None)


def _totals(
    wh: Warehouse, measure: str, level: str, target: Target, regions: Sequence[str], year: int
) -> tuple[np.ndarray, tuple[int, ...]]:
    """``measure`` (industry ``TOTAL``, classification ``total``) per region of ``regions`` in ``year``.

    NaN where there is none; a group target is the sum of its members (NaN if one of them has none).
    """
    p = query_panel(
        wh.ibis,
        measure=measure,
        years=[year],
        region_level=level,
        classification=TOTAL_CLASSIFICATION,
        industries=[TOTAL_INDUSTRY],
    )
    index = {c: i for i, c in enumerate(p.regions)}
    column = p.values[0, :, 0]
    values = np.array([column[index[c]] if c in index else np.nan for c in regions], dtype=float)
    if target.group is not None:
        values[list(regions).index(target.code)] = sum(
            (column[index[m]] if m in index else np.nan for m in target.members), start=0.0
        )
    return values, p.source_ids


def _with_target(values: np.ndarray, regions: Sequence[str], target: Target) -> tuple[np.ndarray, list[str]]:
    """The ``(T, R, I)`` panel values with a row for a group target appended: the sum of its members' rows.

    Groups are summed here rather than by the panel query so that every level works alike; the rule is the
    panel's (the sum of the known values, the same numbers once cells without a value count as 0).
    """
    if target.group is None:
        return values, list(regions)
    rows = [list(regions).index(m) for m in target.members]
    summed = values[:, rows].sum(axis=1, keepdims=True)
    return np.concatenate([values, summed], axis=1), [*regions, target.code]


# --------------------------------------------------------------------------------------------- reasons


def _describe(k: str, target: np.ndarray, peer: np.ndarray, codes: Sequence[str], u: Universe, lang: str) -> str:
    """The raw values of one indicator, target vs peer, in words."""
    locale = "de_DE" if lang == "de" else "en_GB"
    vs = "vs." if lang == "en" else "zu"

    def pct(v: float) -> str:
        return format_share(float(v), locale=locale)

    if k in ("size", "population", "density"):
        a, b = (format_number(round(float(v[0])), locale=locale) for v in (target, peer))
        unit = (" je km²" if lang == "de" else " per km²") if k == "density" else ""
        return f"{a} {vs} {b}{unit}"
    if k == "growth":
        return f"{pct(target[0])} {vs} {pct(peer[0])}"
    j = int(np.argmax(np.abs(target - peer)))
    word = "größte Abweichung" if lang == "de" else "largest difference"
    return f"{word}: {industry_label(u.classification, codes[j], lang)} {pct(target[j])} {vs} {pct(peer[j])}"


def _reasons(
    share: Mapping[str, float],
    raw_t: Mapping[str, np.ndarray],
    raw_p: Mapping[str, np.ndarray],
    codes: Sequence[str],
    u: Universe,
) -> tuple[str, str]:
    """Plain words: indicators from the most similar (smallest part of the distance) to the least."""
    order = sorted(share, key=lambda k: share[k])
    names = {**NAMES, "size": SIZE_NAMES.get(u.measure, NAMES["size"])}
    texts = []
    for lang in ("de", "en"):
        locale = "de_DE" if lang == "de" else "en_GB"
        of = "der Distanz" if lang == "de" else "of the distance"
        items = [
            f"{names[k][0 if lang == 'de' else 1]} "
            f"({_describe(k, raw_t[k], raw_p[k], codes, u, lang)}; "
            f"{format_share(share[k], digits=0, locale=locale)} {of})"
            for k in order
        ]
        lead = "Am ähnlichsten bei " if lang == "de" else "Most similar in "
        rest = "; danach " if lang == "de" else "; then "
        texts.append(lead + items[0] + (rest + ", ".join(items[1:]) if len(items) > 1 else "") + ".")
    return texts[0], texts[1]


def _is_extra_regio(level: str, code: str) -> bool:
    """NUTS Extra-Regio codes (``DEZ``, ``DEZZ``, ``DEZZZ``): statistics without a territory."""
    return level.startswith("nuts") and len(code) > 2 and set(code[2:]) == {"Z"}


def _shorten(codes: Sequence[str], limit: int = 12) -> Bilingual:
    shown = ", ".join(codes[:limit])
    if len(codes) <= limit:
        return Bilingual(shown, shown)
    more = both("and_more", n=len(codes) - limit)
    return Bilingual(shown + more[0], shown + more[1])


# --------------------------------------------------------------------------------------------- peers


def peers(
    wh: Warehouse,
    region: RegionSelection,
    n: int = 10,
    *,
    year: int | None = None,
    base_year: int | None = None,
    indicators: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
    classification: str | None = None,
    within: str = "de",
    measure: str | None = None,
) -> Peers:
    """The ``n`` regions nearest to ``region`` on ``indicators`` (weighted; see the module docstring).

    ``indicators=None`` takes the defaults (structure, size, growth, plus density where available; growth is
    left out with a note when the data hold one year only). ``classification`` and ``measure`` default to
    those of ``within``.
    """
    if n < 1:
        raise RegiolensError("n must be at least 1")
    u = universe(within, classification, measure)
    target = translate(wh, region, within)
    level = target.level
    years_known = available_years(wh, u.measure, u.classification, level)
    if not years_known:
        raise RegiolensError(f"no {u.measure!r} data in {u.classification} for {level}; import data first")
    year = year or years_known[-1]
    if year not in years_known:
        raise RegiolensError(f"no data for {year}; available: {years_known}")
    pop_years = available_years(wh, POPULATION, TOTAL_CLASSIFICATION, level)
    area_years = available_years(wh, AREA, TOTAL_CLASSIFICATION, level)
    pop_year, area_year = _pick_year(pop_years, year), _pick_year(area_years, year)

    notes: list[tuple[str, str]] = []  # (German, English)
    explicit = indicators is not None
    chosen = list(dict.fromkeys(indicators if indicators is not None else DEFAULT_INDICATORS))
    if not explicit and pop_year is not None and area_year is not None:
        chosen.append("density")
    if len(years_known) < 2:
        if base_year is not None:
            raise RegiolensError(
                f"the {u.measure!r} data for {level} hold only {years_known[0]}: no base year can be chosen"
            )
        if "growth" in chosen:
            if explicit:
                raise RegiolensError(
                    f"growth needs two years, but the {u.measure!r} data for {level} hold only {years_known[0]};"
                    " choose other indicators (e.g. --indicators structure,size)"
                )
            chosen.remove("growth")
            notes.append(both("peers_no_growth", source=u.source_name, year=years_known[0]))
    else:
        base_year = base_year or years_known[0]
        if base_year >= year:
            raise RegiolensError(f"the base year ({base_year}) must lie before the year ({year})")
        if base_year not in years_known:
            raise RegiolensError(f"no data for {base_year}; available: {years_known}")
    w = indicator_weights(chosen, INDICATORS, weights)
    for k, y in (("population", pop_year), ("density", pop_year if area_year is not None else None)):
        if k in chosen and y is None:
            raise RegiolensError(
                f"{k} is not in the warehouse for {level}: import population and area "
                "(e.g. districts.csv of landkreise-deutschland) for German Kreise"
            )

    years = [base_year, year] if base_year is not None else [year]
    p: Panel = query_panel(
        wh.ibis,
        measure=u.measure,
        years=years,
        region_level=level,
        classification=u.classification,
        industries=list(u.industries),
    )
    codes = list(u.industries)
    complete = ~(p.flags == Flag.MISSING.value).any(axis=(0, 2))  # (R,): an observation for every cell
    index = {c: r for r, c in enumerate(p.regions)}
    without = [m for m in target.members if m not in index or not complete[index[m]]]
    if without:
        raise RegiolensError(
            f"{region.ref}: no complete {u.measure!r} data by {', '.join(codes)} in {', '.join(map(str, years))} "
            f"for {', '.join(without)} (not in the data, or coded in another NUTS version than the registry's)"
        )
    values, regions = _with_target(np.nan_to_num(p.values) * u.scale, p.regions, target)
    complete = np.append(complete, True) if target.group is not None else complete
    index = {c: r for r, c in enumerate(regions)}
    x1, x0 = values[-1], values[0]  # (R, I)
    tot1, tot0 = x1.sum(axis=1), x0.sum(axis=1)
    raw: dict[str, np.ndarray] = {}
    shown: dict[str, np.ndarray] = {}
    source_ids = set(p.source_ids)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw["structure"] = shown["structure"] = x1 / tot1[:, None]
        raw["size"], shown["size"] = np.log(tot1)[:, None], tot1[:, None]
        if base_year is not None:
            raw["growth"] = shown["growth"] = (tot1 / tot0 - 1)[:, None]
        if {"population", "density"} & set(chosen) and pop_year is not None:
            pop, ids = _totals(wh, POPULATION, level, target, regions, pop_year)
            source_ids |= set(ids)
            raw["population"], shown["population"] = np.log(pop)[:, None], pop[:, None]
            if "density" in chosen and area_year is not None:
                area, ids = _totals(wh, AREA, level, target, regions, area_year)
                source_ids |= set(ids)
                raw["density"], shown["density"] = np.log(pop / area)[:, None], (pop / area)[:, None]

    t = index[target.code]
    if not all(np.isfinite(raw[k][t]).all() for k in chosen):
        missing = [k for k in chosen if not np.isfinite(raw[k][t]).all()]
        raise RegiolensError(f"{region.ref} has no value for {', '.join(missing)}; no peers can be found")
    excluded = set(target.members) | {target.code}
    extra_regio = [c for c in regions if _is_extra_regio(level, c)]
    usable = complete & np.array([all(np.isfinite(raw[k][r]).all() for k in chosen) for r in range(len(regions))])
    cand = [r for r, c in enumerate(regions) if c not in excluded and usable[r] and c not in extra_regio]
    if len(cand) < 2:
        raise RegiolensError(f"too few candidate regions at {level} ({len(cand)}) to rank peers")

    d = standardised_distances({k: raw[k][t] for k in chosen}, {k: raw[k][cand] for k in chosen}, w)
    order = np.argsort(d.distance, kind="stable")[:n]
    names = wh.regions(level)
    name_of = dict(zip(names.region_code.astype(str), names.name.astype(str), strict=True))
    result: list[Peer] = []
    for rank, c in enumerate(order, start=1):
        r = cand[c]
        total = float(d.distance[c]) ** 2
        part = {k: d.parts[k][c] / total if total > 0 else np.zeros(d.parts[k].shape[1]) for k in chosen}
        rows: list[PeerIndicator] = []
        for k in chosen:
            if k == "structure":
                rows += [
                    PeerIndicator(f"structure:{code}", float(shown[k][t, j]), float(shown[k][r, j]), float(part[k][j]))
                    for j, code in enumerate(codes)
                ]
            else:
                rows.append(PeerIndicator(k, float(shown[k][t, 0]), float(shown[k][r, 0]), float(part[k][0])))
        de, en = _reasons(
            {k: float(part[k].sum()) for k in chosen if w[k] > 0},  # unweighted ones explain nothing
            {k: shown[k][t] for k in chosen},
            {k: shown[k][r] for k in chosen},
            codes,
            u,
        )
        code = regions[r]
        result.append(Peer(code, name_of.get(code, code), float(d.distance[c]), rank, rows, de, en))

    weight_words = Bilingual(weights_text(w, NAMES, "de"), weights_text(w, NAMES, "en"))
    notes[:0] = [
        both("peers_distance", n=len(cand), level=level, weights=weight_words),
        _definitions(chosen, u, base_year, year, pop_year, area_year),
        *target.notes,
    ]
    if pop_year is None or area_year is None:
        hint = Bilingual(*both("peers_import_districts")) if level.startswith("de:") else ""
        notes.append(both("peers_no_population", level=level, hint=hint))
    if target.group is not None:
        notes.append(both("group_summed_peers", group=target.group.label))
    used = [*cand, *(index[m] for m in target.members)]  # rows of the panel (the group row is not one)
    flagged = int((np.isnan(p.values[:, used])).sum())
    if flagged:
        notes.append(both("cells_counted_as_zero", n=flagged))
    if extra_regio:
        notes.append(both("peers_extra_regio", codes=_shorten(extra_regio)))
    left_out = [c for r, c in enumerate(regions) if c not in excluded and not usable[r] and c not in extra_regio]
    if left_out:
        notes.append(both("peers_left_out", n=len(left_out), codes=_shorten(left_out)))
    return Peers(
        region=region_ref(wh, region),
        year=year,
        base_year=base_year,
        indicators=chosen,
        weights=w,
        peers=result,
        sources=sources(wh, sorted(source_ids)),
        notes=[de for de, _ in notes],
        within=within,
        region_level=level,
        notes_en=[en for _, en in notes],
    )


def _definitions(
    chosen: Sequence[str], u: Universe, base_year: int | None, year: int, pop_year: int | None, area_year: int | None
) -> tuple[str, str]:
    """One sentence defining the chosen indicators, in German and in English."""
    what: dict[str, Callable[[], tuple[str, str]]] = {
        "structure": lambda: both("peers_structure", industries=list(u.industries)),
        "size": lambda: both("peers_size", persons=u.persons, source=u.source_name),
        "growth": lambda: both("peers_growth", persons=u.persons, base_year=base_year, year=year),
        "population": lambda: both("peers_population", year=pop_year),
        "density": lambda: both("peers_density", year=pop_year, area_year=area_year),
    }
    parts = [what[k]() for k in chosen]
    de, en = "; ".join(p[0] for p in parts) + ".", "; ".join(p[1] for p in parts) + "."
    return de, en[0].upper() + en[1:]
