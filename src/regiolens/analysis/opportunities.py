"""Growth opportunities of a region: industries it could grow into, and its strengths at risk.

``opportunities(wh, region)`` reads one panel — every region of the level of the region's members (the
*universe*), the group (if any) summed from its members and appended — for ``base_year`` and ``year`` and
composes the complexity and relatedness metrics of :mod:`regiolens.metrics`:

1. Presence ``M_ri = [LQ_ri ≥ 1]`` of every universe region in ``year``, the LQs against the universe's own
   totals (for German Kreise: Germany as the sum of its Kreise) — :func:`~regiolens.metrics.complexity.presence`.
2. Proximity ``φ_ij = C_ij / max(u_i, u_j)`` (minimum conditional probability, Hidalgo et al. 2007) from the
   co-occurrence of presences across the universe — :func:`~regiolens.metrics.relatedness.proximity`.
3. The PCI of every industry (eigenvector method) — :func:`~regiolens.metrics.complexity.eci_pci`. The
   region's ECI is the mean PCI over the industries it has: the normalisation used keeps
   ``ECI_r = mean_{i: M_ri = 1} PCI_i`` for every universe region, and a group gets its ECI by the same rule.
4. The region's relatedness density ``d_i = Σ_j m_j φ_ji / Σ_j φ_ji`` of every industry, ``m`` its own presence
   row (a group's from its summed employment) — :func:`~regiolens.metrics.relatedness.density` — and where it
   ranks among the universe's densities of that industry (``density_percentile``: the share of universe regions
   with a lower density; densities within 1e-9 count as equal).
5. National growth of every industry, ``E_i(year) / E_i(base_year) − 1`` over the universe regions with
   employment in both years.

**Opportunities** are the industries with ``LQ < 1`` in the region. Each indicator — ``density``,
``complexity`` (PCI) and ``growth`` (national) — is turned into a centred percentile rank across the ``C``
candidates, ``q_k = (rank_k − 1) / (C − 1) − ½`` in ``[−½, ½]`` (rank 1 = lowest value; ties get their mean
rank; a missing value counts as the median, ``q = 0``), and ::

    score = Σ_k w_k · q_k / Σ_k w_k          contributions[k] = w_k · q_k / Σ_k w_k   (they sum to the score)

ranked by score (ties: higher density first). Ranks, not z-scores: growth rates of small industries reach
thousands of percent (a cell that was suppressed or tiny in the base year), and one such value would
dominate a z-score; a rank is also what the reason can state ("rank 2 of 6"). The opportunity gain
(Hausmann et al. 2014, :func:`~regiolens.metrics.relatedness.opportunity_gain`) is shown beside it, not scored:
it rewards what density and complexity already reward. Weights default to 1 and are chosen per call.

**Strengths** are the industries with ``LQ ≥ 1``. One is *declining* when its LQ fell by at least ``decline``
(default 5 %) from ``base_year`` to ``year`` (each LQ against the universe of its year), and *weakly related*
when the region's density of it lies below the median density of that industry in the universe regions
specialised in it — the strength has fewer related industries around it than the same strength elsewhere.
Either makes it *at risk*.

**Clusters** of a taxonomy, where the data resolve them (as in the profile): a cluster's employment is the
weighted sum of its data codes; its presence joins the industries' in the co-occurrence, so its proximity to
every industry and the region's density for it follow from the same formulas (the density counts the
cluster's own industries, as an industry's density counts the industry itself). A cluster's complexity (PCI) and
opportunity gain are those the industries' formulas give it as one more column beside the industries (see
``_cluster_pci`` and ``_cluster_gain``): a cluster that is exactly one industry has that industry's figures.

Cells without a value (suppressed) count as 0; the notes say how many there were.

References: Hidalgo, Klinger, Barabási & Hausmann (2007), *Science* 317; Hidalgo & Hausmann (2009), *PNAS*
106(26); Hausmann et al. (2014), *The Atlas of Economic Complexity*; Balland et al. (2019), "Smart
specialization policy in the European Union", *Regional Studies* 53(9) (relatedness × complexity as the
two axes of diversification opportunities).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.stats import rankdata

from regiolens.analysis.profile import industry_labels, industry_selection, region_ref, sources, year_span
from regiolens.analysis.results import ClusterOutlook, Opportunities, Opportunity, StrengthAtRisk
from regiolens.analysis.weights import indicator_weights
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.clusters import get_taxonomy, resolve, weight_matrix
from regiolens.clusters.model import Taxonomy
from regiolens.errors import RegiolensError
from regiolens.i18n import MINUS, format_number, format_share, messages
from regiolens.i18n.messages import Bilingual, weights_text
from regiolens.metrics import complexity, location, relatedness
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import query_panel, stored_codes
from regiolens.warehouse.store import Warehouse

INDICATORS: tuple[str, ...] = ("density", "complexity", "growth")
NAMES: dict[str, tuple[str, str]] = {
    "density": ("Verwandtschaft", "relatedness"),
    "complexity": ("Komplexität", "complexity"),
    "growth": ("Wachstum", "growth"),
}
DECLINE = 0.05
TIE = 1e-9
"""Densities closer than this count as equal in ``density_percentile``."""


@dataclass(frozen=True)
class _Space:
    """The universe's presence, proximity and complexity in ``year`` and the target's place in it."""

    m: np.ndarray  # (U, K) presence of the universe regions (K = industries, then clusters)
    phi: np.ndarray  # (K, K) proximity
    lq: np.ndarray  # (K,) the target's LQs
    present: np.ndarray  # (K,) the target's presence
    density: np.ndarray  # (K,) the target's densities (over the industries only)
    density_universe: np.ndarray  # (U, K)


def _space(x_universe: np.ndarray, x_target: np.ndarray, industries: int) -> _Space:
    """Presence from LQ ≥ 1 against the universe totals; densities over the first ``industries`` columns."""
    reference = x_universe.sum(axis=0)
    reference_total = x_universe[:, :industries].sum()
    region_totals = x_universe[:, :industries].sum(axis=1)
    m = complexity.presence(
        x_universe, region_totals=region_totals, reference=reference, reference_total=reference_total
    )
    lq = location.location_quotient(
        x_target[None, :], x_target[None, :industries].sum(axis=1), reference, reference_total
    )[0]
    present = np.nan_to_num(lq) >= 1.0
    phi = relatedness.proximity(m)
    over_industries = phi[:industries, :]  # density counts the industries a region has, for every column
    return _Space(
        m=m,
        phi=phi,
        lq=lq,
        present=present,
        density=relatedness.density(present[None, :industries], over_industries)[0],
        density_universe=relatedness.density(m[:, :industries], over_industries),
    )


def _centred_ranks(values: np.ndarray) -> np.ndarray:
    """``(rank − 1) / (n − 1) − ½`` among the finite values (mean rank for ties); missing values and a
    single value give 0."""
    known = np.isfinite(values)
    out = np.zeros(len(values))
    if known.sum() >= 2:
        out[known] = (rankdata(values[known], method="average") - 1) / (known.sum() - 1) - 0.5
    return out


def _pct(value: float, lang: str, sign: bool = False) -> str:
    text = format_share(value, locale="de_DE" if lang == "de" else "en_GB").replace("-", MINUS)
    return ("+" + text) if sign and value > 0 else text


def _num(value: float, lang: str, digits: int = 2) -> str:
    return format_number(round(value, digits), digits=digits, locale="de_DE" if lang == "de" else "en_GB").replace(
        "-", MINUS
    )


def _clause(k: str, o: Mapping[str, float], place: str, lang: str, period: str, universe_size: int) -> str:
    """One indicator of an opportunity in words; ``place`` is its rank among the candidates ("2 von 6")."""
    de = lang == "de"
    if k == "density":
        share = _pct(o["density_percentile"], lang)
        return (
            f"Verwandtschaft mit den Stärken der Region: Dichte {_num(o['density'], lang)} (Rang {place}; höher "
            f"als in {share} der {universe_size} Regionen)"
            if de
            else f"relatedness to the region's strengths: density {_num(o['density'], lang)} (rank {place}; higher "
            f"than in {share} of the {universe_size} regions)"
        )
    if k == "complexity":
        if not np.isfinite(o["pci"]):
            return "Komplexität unbekannt" if de else "complexity unknown"
        return (
            f"Komplexität: PCI {_num(o['pci'], lang)} (Rang {place})"
            if de
            else f"complexity: PCI {_num(o['pci'], lang)} (rank {place})"
        )
    if not np.isfinite(o["growth"]):
        return "Wachstum unbekannt" if de else "growth unknown"
    g = _pct(o["growth"], lang, sign=True)
    return (
        f"Wachstum in allen {universe_size} Regionen {period}: {g} (Rang {place})"
        if de
        else f"growth across the {universe_size} regions {period}: {g} (rank {place})"
    )


def _opportunity_reasons(
    contributions: Mapping[str, float],
    values: Mapping[str, float],
    places: Mapping[str, int],
    candidates: int,
    period: str,
    universe_size: int,
) -> tuple[str, str]:
    """ "For: …; against: …" — the indicators that raise the score, then those that lower it, largest first."""
    order = sorted(contributions, key=lambda k: -abs(contributions[k]))
    texts = []
    for lang, (pro, con), of in (("de", ("Dafür spricht", "dagegen"), "von"), ("en", ("For", "against"), "of")):

        def clause(k: str, lang: str = lang, of: str = of) -> str:
            return _clause(k, values, f"{places[k]} {of} {candidates}", lang, period, universe_size)

        plus = [clause(k) for k in order if contributions[k] > 0]
        minus = [clause(k) for k in order if contributions[k] <= 0]
        text = f"{pro}: {'; '.join(plus)}" if plus else ""
        if minus:
            text += (f"; {con}: " if plus else f"{con[0].upper()}{con[1:]}: ") + "; ".join(minus)
        texts.append(text + ".")
    return texts[0], texts[1]


def _strength_reasons(
    lq: float, lq_base: float, density: float, median: float, declining: bool, weak: bool, years: tuple[int, int]
) -> tuple[str, str]:
    texts = []
    for lang in ("de", "en"):
        de = lang == "de"
        parts = []
        if declining:
            change = _pct(lq / lq_base - 1, lang, sign=True)
            parts.append(
                f"Standortquotient von {_num(lq_base, lang)} ({years[0]}) auf {_num(lq, lang)} ({years[1]}) "
                f"gesunken ({change})"
                if de
                else f"location quotient fell from {_num(lq_base, lang)} ({years[0]}) to {_num(lq, lang)} "
                f"({years[1]}) ({change})"
            )
        if weak:
            parts.append(
                f"schwach eingebettet: Dichte {_num(density, lang)} gegenüber {_num(median, lang)} im Median der "
                "darauf spezialisierten Regionen"
                if de
                else f"weakly embedded: density {_num(density, lang)} against a median of {_num(median, lang)} in "
                "the regions specialised in it"
            )
        if not parts:
            parts.append("stabil und gut eingebettet" if de else "stable and well embedded")
        text = "; ".join(parts)
        texts.append(text[0].upper() + text[1:] + ".")
    return texts[0], texts[1]


def _cluster_columns(
    wh: Warehouse,
    region: RegionSelection,
    years: list[int],
    measure: str,
    classification: str,
    taxonomy: str | Taxonomy | None,
) -> tuple[list[ClusterOutlook], list[str], np.ndarray | None, tuple[str, ...]]:
    """Resolution of the taxonomy's clusters and the resolvable ones' employment ``(T, R, C)`` (or ``None``)."""
    if taxonomy is None:
        return [], [], None, ()
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else get_taxonomy(taxonomy)
    available = stored_codes(wh.ibis, measure=measure, classification=classification, region_level=region.level.value)
    resolutions = resolve(tax, classification, available)
    by_id = {c.id: c for c in tax.clusters}
    rows = [
        ClusterOutlook(
            f"{tax.id} {tax.version}",
            cid,
            by_id[cid].label("de"),
            by_id[cid].label("en"),
            r.status,
            r.message,
            reason_de=r.message_de,
        )
        for cid, r in resolutions.items()
    ]
    usable = [r for r in resolutions.values() if r.status != "not_resolvable"]
    if not usable:
        return rows, [], None, ()
    data_codes, weights = weight_matrix(usable)
    p = query_panel(
        wh.ibis,
        measure=measure,
        years=years,
        region_level=region.level.value,
        classification=classification,
        groups=[region.group] if region.group else [],
        industries=data_codes,
    )
    return rows, [r.cluster_id for r in usable], np.nan_to_num(p.values) @ weights, p.regions


def opportunities(
    wh: Warehouse,
    region: RegionSelection,
    *,
    year: int | None = None,
    base_year: int | None = None,
    measure: str = "employment",
    classification: str = WZ2008_SECTION_GROUPS,
    industries: Sequence[str] | None = None,
    industry_level: str | None = None,
    weights: Mapping[str, float] | None = None,
    decline: float = DECLINE,
    taxonomy: str | Taxonomy | None = "hannoverimpuls",
    n: int | None = None,
) -> Opportunities:
    """Industries ``region`` could grow into, ranked, and its strengths at risk (see the module docstring).

    ``taxonomy`` names the cluster taxonomy (an id of :func:`regiolens.clusters.get_taxonomy`) or is one."""
    w = indicator_weights(INDICATORS, INDICATORS, weights)
    if n is not None and n < 1:
        raise RegiolensError("n must be at least 1")
    level = region.level.value
    codes, industry_map = industry_selection(
        wh, level, measure, classification, industries=industries, industry_level=industry_level
    )
    year, base_year, _ = year_span(wh, measure, classification, level, year, base_year)
    p = query_panel(
        wh.ibis,
        measure=measure,
        years=[base_year, year],
        region_level=level,
        classification=classification,
        groups=[region.group] if region.group else [],
        industries=codes,
        industry_map=industry_map,
    )
    target_code = region.group.name if region.group else region.code
    if target_code not in p.regions:
        raise RegiolensError(f"no {measure!r} data for {region.ref} in {year}")
    t = p.regions.index(target_code)
    universe = [r for r, c in enumerate(p.regions) if not (region.group and c == target_code)]
    x0, x1 = np.nan_to_num(p.values[0]), np.nan_to_num(p.values[1])  # (R, I)
    if x1[t].sum() <= 0:
        raise RegiolensError(f"{region.ref} has no {measure!r} in {year}")
    n_ind = len(codes)

    cluster_rows, cluster_ids, cluster_x, cluster_regions = _cluster_columns(
        wh, region, [base_year, year], measure, classification, taxonomy
    )
    if cluster_x is not None:
        aligned = np.zeros((2, len(p.regions), cluster_x.shape[-1]))  # regions without any cluster code: 0
        rows = {c: k for k, c in enumerate(cluster_regions)}
        for r, code in enumerate(p.regions):
            if code in rows:
                aligned[:, r] = cluster_x[:, rows[code]]
        x0, x1 = np.hstack([x0, aligned[0]]), np.hstack([x1, aligned[1]])

    now = _space(x1[universe], x1[t], n_ind)
    before = _space(x0[universe], x0[t], n_ind)
    ranking = complexity.eci_pci(now.m[:, :n_ind])
    pci = ranking.pci
    present_pci = pci[now.present[:n_ind] & np.isfinite(pci)]
    eci = float(present_pci.mean()) if present_pci.size else None
    gain = relatedness.opportunity_gain(now.present[None, :n_ind], now.phi[:n_ind, :n_ind], np.nan_to_num(pci))[0]
    both = (x0[universe, :n_ind].sum(axis=1) > 0) & (x1[universe, :n_ind].sum(axis=1) > 0)
    growth = location.growth_rate(x0[universe][both].sum(axis=0), x1[universe][both].sum(axis=0))
    # ties (common: densities are ratios of few proximities) are not 'lower', whatever the rounding of the sums
    percentile = (now.density_universe < now.density[None, :] - TIE).mean(axis=0)
    labels = industry_labels(classification, codes)
    period = f"{base_year}–{year}"
    universe_size = len(universe)

    candidates = np.flatnonzero(~now.present[:n_ind])
    indicator_values = {"density": now.density[candidates], "complexity": pci[candidates], "growth": growth[candidates]}
    total_weight = sum(w.values())
    parts = {k: w[k] * _centred_ranks(v) / total_weight for k, v in indicator_values.items()}
    places = {  # rank among the candidates, 1 = highest value (ties share the best place)
        k: rankdata(-np.nan_to_num(v, nan=-np.inf), method="min").astype(int) for k, v in indicator_values.items()
    }
    score = sum(parts.values(), np.zeros(len(candidates)))
    ranked = sorted(range(len(candidates)), key=lambda c: (-score[c], -now.density[candidates[c]]))
    result: list[Opportunity] = []
    for rank, c in enumerate(ranked[:n] if n else ranked, start=1):
        i = int(candidates[c])
        contributions = {k: float(parts[k][c]) for k in INDICATORS if w[k] > 0}
        values = {
            "density": float(now.density[i]),
            "density_percentile": float(percentile[i]),
            "pci": float(pci[i]),
            "growth": float(growth[i]),
        }
        de, en = _opportunity_reasons(
            contributions, values, {k: int(places[k][c]) for k in INDICATORS}, len(candidates), period, universe_size
        )
        result.append(
            Opportunity(
                rank=rank,
                code=codes[i],
                label_de=labels[i][0],
                label_en=labels[i][1],
                employment=float(x1[t, i]),
                lq=_finite(now.lq[i]),
                density=float(now.density[i]),
                density_percentile=float(percentile[i]),
                pci=_finite(pci[i]),
                national_growth=_finite(growth[i]),
                opportunity_gain=_finite(gain[i]),
                score=float(score[c]),
                contributions=contributions,
                reason_de=de,
                reason_en=en,
            )
        )

    strengths: list[StrengthAtRisk] = []
    for i in map(int, np.flatnonzero(now.present[:n_ind])):
        specialised = now.m[:, i]
        median = float(np.median(now.density_universe[specialised, i])) if specialised.any() else None
        lq, lq_base = float(now.lq[i]), float(before.lq[i])
        declining = bool(np.isfinite(lq_base) and lq_base > 0 and lq <= lq_base * (1 - decline))
        weak = median is not None and float(now.density[i]) < median
        de, en = _strength_reasons(
            lq, lq_base, float(now.density[i]), median or 0.0, declining, weak, (base_year, year)
        )
        strengths.append(
            StrengthAtRisk(
                code=codes[i],
                label_de=labels[i][0],
                label_en=labels[i][1],
                employment=float(x1[t, i]),
                lq=lq,
                lq_base=_finite(lq_base),
                density=float(now.density[i]),
                density_median=median,
                declining=declining,
                weakly_related=weak,
                at_risk=declining or weak,
                reason_de=de,
                reason_en=en,
            )
        )
    strengths.sort(key=lambda s: (not s.at_risk, -(s.lq or 0.0)))

    cluster_gain = _cluster_gain(now.present[:n_ind], now.phi[:n_ind], np.nan_to_num(pci), now.present[n_ind:])
    clusters = []
    for row in cluster_rows:
        if row.cluster in cluster_ids:
            k = n_ind + cluster_ids.index(row.cluster)
            cluster_growth = location.growth_rate(x0[universe][both, k].sum(), x1[universe][both, k].sum())
            row = replace(
                row,
                lq=_finite(now.lq[k]),
                density=float(now.density[k]),
                national_growth=_finite(float(cluster_growth)),
                pci=_cluster_pci(now.m[:, k], now.m[:, :n_ind], ranking.eci, pci),
                opportunity_gain=_finite(cluster_gain[k - n_ind]),
            )
        clusters.append(row)

    flagged = int(np.isnan(p.values).sum())
    weight_words = Bilingual(weights_text(w, NAMES, "de"), weights_text(w, NAMES, "en"))
    declines = Bilingual(format_share(decline, digits=0, locale="de_DE"), f"{decline:.0%}")
    notes = [
        messages.both("opportunities_presence", n=universe_size, level=level, year=year),
        messages.both("opportunities_rank", period=period, weights=weight_words),
        messages.both("opportunities_at_risk", decline=declines),
    ]
    if region.group:
        notes.append(messages.both("group_summed_opportunities", group=region.group.label))
    if flagged:
        notes.append(messages.both("cells_counted_as_zero", n=flagged))
    if int((~both).sum()):
        notes.append(messages.both("opportunities_growth_missing", n=int((~both).sum())))
    return Opportunities(
        region=region_ref(wh, region),
        year=year,
        base_year=base_year,
        measure=measure,
        classification=classification,
        universe=f"{universe_size} {level}",
        eci=eci,
        weights=w,
        opportunities=result,
        strengths=strengths,
        clusters=clusters,
        sources=sources(wh, p.source_ids),
        notes=[de for de, _ in notes],
        notes_en=[en for _, en in notes],
    )


def _cluster_pci(presence: np.ndarray, m: np.ndarray, eci: np.ndarray, pci: np.ndarray) -> float | None:
    """A cluster's complexity: the PCI the eigenvector method gives a column whose regions are those specialised in
    the cluster. The method's ``kp = (1/λ) U⁻¹ Mᵀ kc`` (Hidalgo & Hausmann 2009) makes every industry's PCI the same
    affine function of ``Ē_i``, the mean ECI of the regions that have it, ``PCI_i = Ē_i / λ + (μ/σ)(1/λ − 1)``
    (``μ``, ``σ`` the normalisation of the ECI); that function, read off the industries (``presence``, ``m`` over
    the universe regions), is applied to the cluster's ``Ē_c`` — so a cluster that is exactly one industry has its
    PCI. Clusters overlap the industries, so they cannot join the eigenvector system itself."""
    known_eci = np.isfinite(eci)
    members = m[known_eci]
    counts = members.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_eci = (members.T @ eci[known_eci]) / counts
    fit = np.isfinite(mean_eci) & np.isfinite(pci)
    mine = presence & known_eci
    if not mine.any() or len(np.unique(np.round(mean_eci[fit], 12))) < 2:
        return None
    slope, intercept = np.polyfit(mean_eci[fit], pci[fit], 1)
    return float(slope * eci[mine].mean() + intercept)


def _cluster_gain(present: np.ndarray, phi: np.ndarray, pci: np.ndarray, cluster_present: np.ndarray) -> np.ndarray:
    """Opportunity gain of entering each cluster: :func:`~regiolens.metrics.relatedness.opportunity_gain` with the
    cluster as one more column ``c`` of the industry space (``phi`` holds the industries' rows over the industries
    and clusters, ``(I, I + C)``): ``COG_rc = (1 − M_rc) Σ_j (1 − M_rj) φ_jc PCI_j / Σ_k φ_jk``, ``j`` and ``k``
    over the industries — a cluster that is exactly one industry has that industry's gain. The metric divides by
    the row sums of the matrix it is given, which include ``φ_jc``; ``PCI_j`` is scaled by ``(Σ_k φ_jk + φ_jc) /
    Σ_k φ_jk`` to keep the industries' own sums. One cluster at a time: clusters overlap the industries and each
    other, so they do not enter each other's sums."""
    industries = len(present)
    own = phi[:, :industries].sum(axis=1)
    gains = np.zeros(len(cluster_present))
    for c in range(len(cluster_present)):
        square = np.zeros((industries + 1, industries + 1))  # the cluster's row stays 0: it adds no term j
        square[:industries, :industries] = phi[:, :industries]
        square[:industries, industries] = phi[:, industries + c]
        scale = np.divide(own + phi[:, industries + c], own, out=np.ones(industries), where=own > 0)
        m = np.append(present, cluster_present[c])[None, :]
        gains[c] = relatedness.opportunity_gain(m, square, np.append(pci * scale, 0.0))[0, industries]
    return gains


def _finite(value: float | np.floating) -> float | None:
    v = float(value)
    return v if np.isfinite(v) else None
