"""What the analytics say about moving an initiative from its origin region to a target region.

Nothing is computed here that :mod:`regiolens.analysis` computes: every figure is read from the result of
:func:`~regiolens.analysis.peers.peers`, :func:`~regiolens.analysis.profile.profile`,
:func:`~regiolens.analysis.opportunities.opportunities` or :func:`~regiolens.analysis.compare.compare`, called
for the same year and base year, so the assessment's figures are the figures of those pages (one code path).
What is added is the judgement — sub-scores on a 0–1 scale — and its reasons in German and English.

**Structural similarity** (:func:`structural_similarity`): ``peers(target)`` ranks every region of the target's
level by its distance to the target (structure, size, growth, density; see :mod:`regiolens.analysis.peers`); the
origin's place in that ranking gives ``s = 1 − (r − 1) / (C − 1)`` (rank ``r`` of ``C`` candidates: 1 for the
most similar region, 0 for the least). When the origin is not one region of that level (a group), the target is
looked up in the origin's ranking instead. When both are groups of several regions, peers ranks neither against
the other and the component is not available (said so).

**Cluster strength in the target** (:func:`cluster_fits`), for each focus cluster ``c`` of the initiative, from the
target's and the origin's profile (same taxonomy, reference Germany)::

    specialisation = min(1, LQ_t / 1.25)                            (1.25: the profile's strength threshold)
    size           = min(1, E_t / E_o)                              (the target's employees vs the origin's)
    growth         = clip(½ + (g_t − g_D) / (2 · 0.10), 0, 1)       (growth vs Germany's; ±10 pp → 1 / 0)
    relatedness    = d_t, only where LQ_t < 1                       (relatedness density, from opportunities)
    s_c            = mean of the sub-scores that are known

A cluster the data cannot resolve (status ``not_resolvable``, e.g. the five hannoverimpuls clusters on the WZ
section groups of the Regionalstatistik) is said to be so; if its codes lie mostly in one data code that
:data:`PROXY_TAXONOMY` holds (section C *Manufacturing* for automotive, medical technology, photonics and
production engineering; J *Information and communication* for ICT), that whole section stands in for it,
marked ``proxy`` and named in every reason. A cluster without figure and without proxy has no score.

**Portfolio overlap** (:func:`portfolio_overlap`): the strong industries and clusters (profile threshold
``lq>=1.25``) shared by both regions and those only one has, from ``compare([origin, target])``; the score is
their Jaccard index ``|S_o ∩ S_t| / |S_o ∪ S_t|`` (no strength in either region: no score).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from regiolens.analysis.compare import compare
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers, translate
from regiolens.analysis.profile import profile
from regiolens.analysis.results import ClusterRow, Comparison, Opportunities, Profile
from regiolens.clusters import get_taxonomy, resolve
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number, format_share
from regiolens.metrics.strength import PRESETS
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import stored_codes
from regiolens.warehouse.store import Warehouse

PROXY_TAXONOMY = Path(__file__).parent / "data" / "section_proxies.toml"
"""Whole WZ sections used as the closest resolvable proxy of a cluster the data cannot resolve."""

PRESET = "lq>=1.25"
"""The profile's strength threshold, used for strong industries and clusters."""

FULL_LQ = 1.25
"""A location quotient at or above which the specialisation sub-score is 1 (the threshold of :data:`PRESET`)."""

GROWTH_SPAN = 0.10
"""Growth above (below) Germany's by this much gives a growth sub-score of 1 (0); at par ½."""

MEASURE = "employment"
"""The measure every analysis of the assessment reads (employees subject to social insurance)."""

Basis = Literal["cluster", "proxy", "none"]


def _de(value: float, digits: int = 2) -> str:
    return format_number(round(value, digits), digits=digits, locale="de_DE")


def _en(value: float, digits: int = 2) -> str:
    return format_number(round(value, digits), digits=digits, locale="en_GB")


def _pct(value: float, lang: str) -> str:
    return format_share(value, locale="de_DE" if lang == "de" else "en_GB")


class Analytics:
    """The analytics of one assessment: one warehouse, one year and base year, each result computed once."""

    def __init__(self, wh: Warehouse, year: int | None = None, base_year: int | None = None) -> None:
        self.wh, self.year, self.base_year = wh, year, base_year
        self._profiles: dict[tuple[str, str], Profile] = {}
        self._opportunities: dict[tuple[str, str], Opportunities] = {}

    def comparison(self, origin: RegionSelection, target: RegionSelection) -> Comparison:
        """``compare([origin, target])``; fixes the year and base year for every later call."""
        result = compare(self.wh, [origin, target], self.year, self.base_year, preset=PRESET)
        self.year, self.base_year = result.profiles[0].year, result.profiles[0].base_year
        return result

    def profile(self, region: RegionSelection, taxonomy: str | Path) -> Profile:
        """``profile(region, taxonomy=…)`` for the assessment's years."""
        key = (region.ref, str(taxonomy))
        if key not in self._profiles:
            self._profiles[key] = profile(
                self.wh, region, self.year, self.base_year, preset=PRESET, taxonomy=str(taxonomy)
            )
        return self._profiles[key]

    def opportunities(self, region: RegionSelection, taxonomy: str | Path) -> Opportunities:
        """``opportunities(region, taxonomy=…)`` for the assessment's years (for the clusters' relatedness)."""
        key = (region.ref, str(taxonomy))
        if key not in self._opportunities:
            self._opportunities[key] = opportunities(
                self.wh, region, year=self.year, base_year=self.base_year, taxonomy=str(taxonomy)
            )
        return self._opportunities[key]


# --------------------------------------------------------------------------------------------- structure


class IndicatorFit(BaseModel):
    """One indicator of the distance: the target's and the origin's value and its part of the squared distance."""

    model_config = ConfigDict(frozen=True)

    name: str
    target: float | None
    origin: float | None
    contribution: float


class Structural(BaseModel):
    """How similar origin and target are in structure, from the peers ranking (see the module docstring)."""

    model_config = ConfigDict(frozen=True)

    available: bool
    distance: float | None = None
    rank: int | None = None
    candidates: int | None = None
    ranked_for: str | None = None  # the region whose peers ranking was read (the target, or the origin)
    score: float | None = None
    indicators: list[IndicatorFit] = []
    reason_de: str
    reason_en: str
    notes: list[str] = []


def _single(wh: Warehouse, region: RegionSelection, within: str) -> str | None:
    """The region's code at the candidates' level if it is one region there (a group of one counts), else None."""
    target = translate(wh, region, within)
    return target.members[0] if len(target.members) == 1 else None


def structural_similarity(
    an: Analytics, origin: RegionSelection, target: RegionSelection, *, within: str = "de"
) -> Structural:
    """The origin's rank in the target's peers ranking (or the target's in the origin's), as a score."""
    code_o, code_t = _single(an.wh, origin, within), _single(an.wh, target, within)
    if code_o is not None and code_o not in translate(an.wh, target, within).members:
        ranked, other, other_code, swapped = target, origin, code_o, False
    elif code_t is not None and code_t not in translate(an.wh, origin, within).members:
        ranked, other, other_code, swapped = origin, target, code_t, True
    else:
        return Structural(
            available=False,
            reason_de="Nicht verfügbar: Herkunft und Ziel sind beide Gruppen mehrerer Regionen (oder überlappen); "
            "die Vergleichsregionen-Analyse reiht einzelne Regionen einer Ebene.",
            reason_en="Not available: origin and target are both groups of several regions (or overlap); the peers "
            "analysis ranks single regions of one level.",
        )
    result = peers(an.wh, ranked, n=100_000, year=an.year, base_year=an.base_year, within=within)
    found = next((p for p in result.peers if p.code == other_code), None)
    if found is None:
        return Structural(
            available=False,
            ranked_for=ranked.ref,
            reason_de=f"Nicht verfügbar: {other.ref} ({other_code}) ist kein Kandidat der Vergleichsregionen von "
            f"{ranked.ref} (unvollständige Daten).",
            reason_en=f"Not available: {other.ref} ({other_code}) is no candidate among the peers of {ranked.ref} "
            "(incomplete data).",
            notes=result.notes,
        )
    count = len(result.peers)
    score = 1.0 - (found.rank - 1) / (count - 1)
    indicators = [
        IndicatorFit(
            name=i.name,
            target=i.peer if swapped else i.target,
            origin=i.target if swapped else i.peer,
            contribution=i.contribution,
        )
        for i in found.indicators
    ]
    lead_de = (
        f"{found.name} ist Rang {found.rank} von {count} Regionen der Ebene {result.region_level} nach Ähnlichkeit "
        f"mit {result.region.name} (Distanz {_de(found.distance)}; Score {_de(score)}). "
    )
    lead_en = (
        f"{found.name} ranks {found.rank} of {count} regions of level {result.region_level} by similarity to "
        f"{result.region.name} (distance {_en(found.distance)}; score {_en(score)}). "
    )
    return Structural(
        available=True,
        distance=found.distance,
        rank=found.rank,
        candidates=count,
        ranked_for=ranked.ref,
        score=score,
        indicators=indicators,
        reason_de=lead_de + found.reason_de,
        reason_en=lead_en + found.reason_en,
        notes=result.notes,
    )


# --------------------------------------------------------------------------------------------- clusters


class ClusterFit(BaseModel):
    """A focus cluster of the initiative in the target region (and the origin), with sub-scores and reasons.

    ``basis`` says where the figures come from: the cluster itself, a ``proxy`` (a whole WZ section, named in
    ``proxy``) or ``none`` (not resolvable, no proxy: no figures, no score).
    """

    model_config = ConfigDict(frozen=True)

    taxonomy: str
    cluster: str
    name_de: str
    name_en: str
    status: str
    resolution: str
    basis: Basis
    proxy: str | None = None
    proxy_name_de: str | None = None
    proxy_name_en: str | None = None
    lq: float | None = None
    lq_origin: float | None = None
    employment: float | None = None
    employment_origin: float | None = None
    growth: float | None = None
    reference_growth: float | None = None
    strong: bool | None = None
    density: float | None = None
    parts: dict[str, float] = {}
    score: float | None = None
    reason_de: str
    reason_en: str


def _row(result: Profile, cluster: str) -> ClusterRow:
    return next(r for r in result.clusters if r.cluster == cluster)


def _proxy(an: Analytics, target: RegionSelection, taxonomy: str, cluster: str) -> ClusterRow | None:
    """The proxy row of the target's proxy profile: the data code holding most of the cluster's codes, if the proxy
    taxonomy has it; ``None`` otherwise."""
    level = target.level.value
    classification = an.profile(target, taxonomy).classification
    available = stored_codes(an.wh.ibis, measure=MEASURE, classification=classification, region_level=level)
    resolution = resolve(get_taxonomy(taxonomy), classification, available, clusters=[cluster])[cluster]
    coarse = [u.coarse_code for u in resolution.unresolved if u.reason == "too_coarse" and u.coarse_code]
    if not coarse:
        return None
    holder = max(dict.fromkeys(coarse), key=coarse.count)  # most codes; ties: the first named
    proxies = resolve(get_taxonomy(PROXY_TAXONOMY), classification, available)
    proxy_id = next((cid for cid, r in proxies.items() if [c.code for c in r.codes] == [holder]), None)
    if proxy_id is None:
        return None
    return _row(an.profile(target, PROXY_TAXONOMY), proxy_id)


def _cluster_score(
    lq: float | None, e_t: float | None, e_o: float | None, g_t: float | None, g_d: float | None, d: float | None
) -> dict[str, float]:
    """The sub-scores that are known (see the module docstring)."""
    parts: dict[str, float] = {}
    if lq is not None:
        parts["specialisation"] = min(1.0, lq / FULL_LQ)
    if e_t is not None and e_o:
        parts["size"] = min(1.0, e_t / e_o)
    if g_t is not None and g_d is not None:
        parts["growth"] = min(1.0, max(0.0, 0.5 + (g_t - g_d) / (2 * GROWTH_SPAN)))
    if lq is not None and lq < 1 and d is not None:
        parts["relatedness"] = d
    return parts


def _cluster_reasons(fit: dict[str, object], parts: dict[str, float], names: tuple[str, str]) -> tuple[str, str]:
    """The reasons of one cluster's figures and score; ``names`` of target and origin."""
    target, origin = names
    texts = []
    for lang in ("de", "en"):
        de = lang == "de"
        num = _de if de else _en
        name = str(fit["name_de" if de else "name_en"])
        if fit["basis"] == "none":
            texts.append(  # the resolution's own words (``resolution``) are English: the German reason is without
                f"{name}: auf diesen Daten nicht auflösbar (die Daten führen die Codes des Clusters nicht fein genug "
                "oder gar nicht); keine Näherung verfügbar, kein Score."
                if de
                else f"{name}: not resolvable on these data ({fit['resolution']}); no proxy available, no score."
            )
            continue
        lead = f"{name}: "
        if fit["basis"] == "proxy":
            proxy = str(fit["proxy_name_de" if de else "proxy_name_en"])
            lead += (
                f"auf diesen Daten nicht auflösbar; als nächste auflösbare Näherung dient {proxy} — Zahlen des "
                "ganzen Abschnitts, nicht des Clusters. "
                if de
                else f"not resolvable on these data; the closest resolvable proxy is {proxy} — figures of the whole "
                "section, not of the cluster. "
            )
        items = []
        lq, lq_o = fit["lq"], fit["lq_origin"]
        if isinstance(lq, float):
            origin_lq = f" ({origin} {num(lq_o)})" if isinstance(lq_o, float) else ""
            items.append(f"{'Standortquotient' if de else 'location quotient'} {target} {num(lq)}{origin_lq}")
        e_t, e_o = fit["employment"], fit["employment_origin"]
        if isinstance(e_t, float):
            size = f"{num(e_t, 0)} {'Beschäftigte' if de else 'employees'}"
            items.append(size + (f" ({origin} {num(e_o, 0)})" if isinstance(e_o, float) else ""))
        g_t, g_d = fit["growth"], fit["reference_growth"]
        if isinstance(g_t, float) and isinstance(g_d, float):
            items.append(
                f"Wachstum {_pct(g_t, lang)} (Deutschland {_pct(g_d, lang)})"
                if de
                else f"growth {_pct(g_t, lang)} (Germany {_pct(g_d, lang)})"
            )
        d = fit["density"]
        if "relatedness" in parts and isinstance(d, float):
            items.append(f"schwach, Verwandtschaftsdichte {num(d)}" if de else f"weak, relatedness density {num(d)}")
        words = {
            "specialisation": ("Spezialisierung", "specialisation"),
            "size": ("Größe", "size"),
            "growth": ("Wachstum", "growth"),
            "relatedness": ("Verwandtschaft", "relatedness"),
        }
        scored = ", ".join(f"{words[k][0 if de else 1]} {num(v)}" for k, v in parts.items())
        score = sum(parts.values()) / len(parts) if parts else None
        tail = f"; Score {num(score)} ({scored})" if score is not None else ""
        texts.append(lead + "; ".join(items) + tail + ".")
    return texts[0], texts[1]


def cluster_fits(
    an: Analytics, origin: RegionSelection, target: RegionSelection, focus: Sequence[tuple[str, str]]
) -> list[ClusterFit]:
    """The initiative's focus clusters ``(taxonomy, cluster)`` in the target (see the module docstring)."""
    fits = []
    for taxonomy, cluster in focus:
        row_t = _row(an.profile(target, taxonomy), cluster)
        row_o = _row(an.profile(origin, taxonomy), cluster)
        names = (an.profile(target, taxonomy).region.name, an.profile(origin, taxonomy).region.name)
        fit: dict[str, object] = {
            "taxonomy": taxonomy,
            "cluster": cluster,
            "name_de": row_t.name_de,
            "name_en": row_t.name_en,
            "status": row_t.status,
            "resolution": row_t.reason,
        }
        used_t, used_o, source = row_t, row_o, taxonomy
        if row_t.figures is None:
            proxy = _proxy(an, target, taxonomy, cluster)
            if proxy is None:
                fit["basis"] = "none"
                de, en = _cluster_reasons(fit, {}, names)
                fits.append(ClusterFit.model_validate({**fit, "reason_de": de, "reason_en": en}))
                continue
            fit |= {"basis": "proxy", "proxy": proxy.cluster, "proxy_name_de": proxy.name_de}
            fit["proxy_name_en"] = proxy.name_en
            used_t, used_o, source = proxy, _row(an.profile(origin, PROXY_TAXONOMY), proxy.cluster), str(PROXY_TAXONOMY)
        else:
            fit["basis"] = "cluster"
        f_t, f_o = used_t.figures, used_o.figures
        if f_t is None:
            raise RegiolensError(f"no figures for {used_t.cluster} in {target.ref}")  # resolvable rows have them
        density = None
        if f_t.lq is not None and f_t.lq < 1:
            outlook = next(c for c in an.opportunities(target, source).clusters if c.cluster == used_t.cluster)
            density = outlook.density
        fit |= {
            "lq": f_t.lq,
            "lq_origin": f_o.lq if f_o else None,
            "employment": f_t.employment,
            "employment_origin": f_o.employment if f_o else None,
            "growth": f_t.growth,
            "reference_growth": f_t.reference_growth,
            "strong": f_t.strong,
            "density": density,
        }
        e_o = f_o.employment if f_o else None
        parts = _cluster_score(f_t.lq, f_t.employment, e_o, f_t.growth, f_t.reference_growth, density)
        de, en = _cluster_reasons(fit, parts, names)
        score = sum(parts.values()) / len(parts) if parts else None
        fits.append(
            ClusterFit.model_validate({**fit, "parts": parts, "score": score, "reason_de": de, "reason_en": en})
        )
    return fits


# --------------------------------------------------------------------------------------------- portfolio


class PortfolioItem(BaseModel):
    """An industry or cluster strong in at least one of the two regions, with both location quotients."""

    model_config = ConfigDict(frozen=True)

    code: str
    label_de: str
    label_en: str
    lq_origin: float | None
    lq_target: float | None


class Portfolio(BaseModel):
    """Strong industries and clusters both regions share, and those only one of them has."""

    model_config = ConfigDict(frozen=True)

    threshold_de: str
    threshold_en: str
    shared: list[PortfolioItem]
    only_origin: list[PortfolioItem]
    only_target: list[PortfolioItem]
    score: float | None
    reason_de: str
    reason_en: str


def _lqs(result: Profile) -> dict[str, tuple[float | None, str, str]]:
    rows: dict[str, tuple[float | None, str, str]] = {r.code: (r.lq, r.label_de, r.label_en) for r in result.industries}
    for c in result.clusters:
        if c.figures is not None:
            rows[c.cluster] = (c.figures.lq, c.name_de, c.name_en)
    return rows


def portfolio_overlap(comparison: Comparison) -> Portfolio:
    """Shared strengths and those of one region only, from a comparison of origin and target."""
    origin, target = comparison.profiles
    lq_o, lq_t = _lqs(origin), _lqs(target)

    def item(code: str) -> PortfolioItem:
        _, de, en = lq_o.get(code) or lq_t[code]
        return PortfolioItem(
            code=code,
            label_de=de,
            label_en=en,
            lq_origin=lq_o.get(code, (None,))[0],
            lq_target=lq_t.get(code, (None,))[0],
        )

    shared = [item(c) for c in comparison.shared_strengths]
    only_origin = [item(d.code) for d in comparison.differences if d.strong_in == [origin.region.ref]]
    only_target = [item(d.code) for d in comparison.differences if d.strong_in == [target.region.ref]]
    union = len(shared) + len(only_origin) + len(only_target)
    score = len(shared) / union if union else None
    rule = PRESETS[PRESET]

    def names(items: list[PortfolioItem], lang: str) -> str:
        none = "keine" if lang == "de" else "none"
        return ", ".join(i.label_de if lang == "de" else i.label_en for i in items) or none

    if score is None:
        reason_de = f"Keine Region hat eine starke Branche ({rule.description_de}): kein Score."
        reason_en = f"Neither region has a strong industry ({rule.description_en}): no score."
    else:
        reason_de = (
            f"Gemeinsame Stärken: {names(shared, 'de')}; nur {origin.region.name}: {names(only_origin, 'de')}; "
            f"nur {target.region.name}: {names(only_target, 'de')} ({len(shared)} von {union}; Score {_de(score)})."
        )
        reason_en = (
            f"Shared strengths: {names(shared, 'en')}; only {origin.region.name}: {names(only_origin, 'en')}; only "
            f"{target.region.name}: {names(only_target, 'en')} ({len(shared)} of {union}; score {_en(score)})."
        )
    return Portfolio(
        threshold_de=rule.description_de,
        threshold_en=rule.description_en,
        shared=shared,
        only_origin=only_origin,
        only_target=only_target,
        score=score,
        reason_de=reason_de,
        reason_en=reason_en,
    )
