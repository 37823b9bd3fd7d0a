"""Peer regions: the regions most similar in structure, size and growth to a region (or group).

``peers(wh, region, n)`` reads **one** panel — every region of the level of the region's members, the group
(if any) summed from its members and appended — for ``base_year`` and ``year``, computes the indicators of all
regions at once and ranks the candidates by a weighted, standardised Euclidean distance.

Indicators (each one a group of columns):

- ``structure``: the shares of the non-overlapping industries (for the section groups: A, B-E, F, G-I, J, K, L,
  M-N, O-Q, R-U) in the region's employment in ``year``; one column per industry;
- ``size``: the natural logarithm of employment in ``year`` (the sum over those industries);
- ``growth``: employment growth ``base_year`` → ``year`` (``x1 / x0 - 1``).

Population density is not in the warehouse and is therefore not offered.

Candidates are all regions of the level except the region itself and, for a group, its members. Every column
``j`` is standardised across the candidates, ``z = (x - mean) / sd`` (population standard deviation; a column
without spread is left at 0), and the target is standardised with the candidates' mean and sd. The distance
between the target ``t`` and a candidate ``p`` is::

    d_k² = (1 / m_k) · Σ_{j in k} (z_tj - z_pj)²        (m_k = number of columns of indicator k)
    D    = sqrt(Σ_k w_k · d_k²)

so an indicator with ten columns weighs as much as one with one column, and a weight of 2 counts an indicator
twice. The contribution of indicator ``k`` (of one column ``j``) to a peer's distance is ``w_k · d_k² / D²``
(``w_k / m_k · (z_tj - z_pj)² / D²``); the contributions of a peer sum to 1.

Cells without a value (suppressed) count as 0 in the shares and totals; the notes say how many there were.
Candidates without employment in ``year`` (or ``base_year``, when growth is an indicator) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from regiolens.analysis.profile import available_years, default_industries, region_ref, sources
from regiolens.analysis.results import Peer, PeerIndicator, Peers
from regiolens.classifications.section_groups import BY_CODE, WZ2008_SECTION_GROUPS
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number, format_share
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse

INDICATORS: tuple[str, ...] = ("structure", "size", "growth")
NAMES: dict[str, tuple[str, str]] = {
    "structure": ("Branchenstruktur", "industry structure"),
    "size": ("Größe (Beschäftigte)", "size (employees)"),
    "growth": ("Wachstum", "growth"),
}
WITHIN: tuple[str, ...] = ("de",)


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


def parse_weights(indicators: Sequence[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    """Weight per indicator: 1 unless given; unknown names and negative weights are errors."""
    unknown = [k for k in indicators if k not in INDICATORS]
    if unknown or not indicators:
        raise RegiolensError(f"unknown indicator(s) {unknown or '(none)'}; choose from {', '.join(INDICATORS)}")
    given = dict(weights or {})
    extra = [k for k in given if k not in indicators]
    if extra:
        raise RegiolensError(f"weights for indicators not selected: {', '.join(extra)} (selected: {list(indicators)})")
    out = {k: float(given.get(k, 1.0)) for k in indicators}
    if any(w < 0 or not np.isfinite(w) for w in out.values()):
        raise RegiolensError(f"weights must be finite and not negative: {out}")
    if not any(w > 0 for w in out.values()):
        raise RegiolensError("at least one weight must be positive")
    return out


def _label(classification: str, code: str, lang: str) -> str:
    if classification == WZ2008_SECTION_GROUPS and code in BY_CODE:
        return BY_CODE[code].short(lang)
    return code


def _describe(
    k: str, target: np.ndarray, peer: np.ndarray, codes: Sequence[str], classification: str, lang: str
) -> str:
    """The raw values of one indicator, target vs peer, in words."""
    locale = "de_DE" if lang == "de" else "en_GB"
    vs = "vs." if lang == "en" else "zu"

    def pct(v: float) -> str:
        return format_share(float(v), locale=locale)

    if k == "size":
        a, b = (format_number(round(float(v[0])), locale=locale) for v in (target, peer))
        return f"{a} {vs} {b}"
    if k == "growth":
        return f"{pct(target[0])} {vs} {pct(peer[0])}"
    j = int(np.argmax(np.abs(target - peer)))
    word = "größte Abweichung" if lang == "de" else "largest difference"
    return f"{word}: {_label(classification, codes[j], lang)} {pct(target[j])} {vs} {pct(peer[j])}"


def _reasons(
    share: Mapping[str, float],
    raw_t: Mapping[str, np.ndarray],
    raw_p: Mapping[str, np.ndarray],
    codes: Sequence[str],
    classification: str,
) -> tuple[str, str]:
    """Plain words: indicators from the most similar (smallest part of the distance) to the least."""
    order = sorted(share, key=lambda k: share[k])
    texts = []
    for lang in ("de", "en"):
        locale = "de_DE" if lang == "de" else "en_GB"
        of = "der Distanz" if lang == "de" else "of the distance"
        items = [
            f"{NAMES[k][0 if lang == 'de' else 1]} "
            f"({_describe(k, raw_t[k], raw_p[k], codes, classification, lang)}; "
            f"{format_share(share[k], digits=0, locale=locale)} {of})"
            for k in order
        ]
        lead = "Am ähnlichsten bei " if lang == "de" else "Most similar in "
        rest = "; danach " if lang == "de" else "; then "
        texts.append(lead + items[0] + (rest + ", ".join(items[1:]) if len(items) > 1 else "") + ".")
    return texts[0], texts[1]


def peers(
    wh: Warehouse,
    region: RegionSelection,
    n: int = 10,
    *,
    year: int | None = None,
    base_year: int | None = None,
    indicators: Sequence[str] = INDICATORS,
    weights: Mapping[str, float] | None = None,
    classification: str = WZ2008_SECTION_GROUPS,
    within: str = "de",
    measure: str = "employment",
) -> Peers:
    """The ``n`` regions nearest to ``region`` on ``indicators`` (weighted; see the module docstring)."""
    if within == "eu":
        raise RegiolensError(
            "peers within the EU need NUTS-3 employment by industry, which regiolens does not import yet;"
            " use --within de"
        )
    if within not in WITHIN:
        raise RegiolensError(f"unknown --within {within!r}; available: {', '.join(WITHIN)}")
    if n < 1:
        raise RegiolensError("n must be at least 1")
    indicators = list(dict.fromkeys(indicators))
    w = parse_weights(indicators, weights)
    level = region.level.value
    if not level.startswith("de:"):
        raise RegiolensError(f"peers within Germany need a German region, not {level}")
    codes = default_industries(classification)
    years_known = available_years(wh, measure, classification, level)
    if not years_known:
        raise RegiolensError(f"no {measure!r} data in {classification} for {level}; import data first")
    year = year or years_known[-1]
    base_year = base_year or years_known[0]
    if base_year >= year:
        raise RegiolensError(f"the base year ({base_year}) must lie before the year ({year})")
    missing = [y for y in (base_year, year) if y not in years_known]
    if missing:
        raise RegiolensError(f"no data for {', '.join(map(str, missing))}; available: {years_known}")

    p = query_panel(
        wh.ibis,
        measure=measure,
        years=[base_year, year],
        region_level=level,
        classification=classification,
        groups=[region.group] if region.group else [],
        industries=codes,
    )
    target_code = region.group.name if region.group else region.code
    if target_code not in p.regions:
        raise RegiolensError(f"no {measure!r} data for {region.ref} in {year}")
    x1, x0 = np.nan_to_num(p.values[1]), np.nan_to_num(p.values[0])  # (R, I)
    tot1, tot0 = x1.sum(axis=1), x0.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = {
            "structure": x1 / tot1[:, None],
            "size": np.log(tot1)[:, None],
            "growth": (tot1 / tot0 - 1)[:, None],
        }
    shown = {"structure": raw["structure"], "size": tot1[:, None], "growth": raw["growth"]}
    t = p.regions.index(target_code)
    if not all(np.isfinite(raw[k][t]).all() for k in indicators):
        raise RegiolensError(f"{region.ref} has no employment in {year} or {base_year}; no peers can be found")
    excluded = set(region.members) | {target_code}
    usable = np.array([all(np.isfinite(raw[k][r]).all() for k in indicators) for r in range(len(p.regions))])
    cand = [r for r, c in enumerate(p.regions) if c not in excluded and usable[r]]
    if len(cand) < 2:
        raise RegiolensError(f"too few candidate regions at {level} ({len(cand)}) to rank peers")

    d = standardised_distances({k: raw[k][t] for k in indicators}, {k: raw[k][cand] for k in indicators}, w)
    order = np.argsort(d.distance, kind="stable")[:n]
    names = wh.regions(level)
    name_of = dict(zip(names.region_code.astype(str), names.name.astype(str), strict=True))
    result: list[Peer] = []
    for rank, c in enumerate(order, start=1):
        r = cand[c]
        total = float(d.distance[c]) ** 2
        part = {k: d.parts[k][c] / total if total > 0 else np.zeros(d.parts[k].shape[1]) for k in indicators}
        rows: list[PeerIndicator] = []
        for k in indicators:
            if k == "structure":
                rows += [
                    PeerIndicator(f"structure:{code}", float(shown[k][t, j]), float(shown[k][r, j]), float(part[k][j]))
                    for j, code in enumerate(codes)
                ]
            else:
                rows.append(PeerIndicator(k, float(shown[k][t, 0]), float(shown[k][r, 0]), float(part[k][0])))
        de, en = _reasons(
            {k: float(part[k].sum()) for k in indicators if w[k] > 0},  # unweighted ones explain nothing
            {k: shown[k][t] for k in indicators},
            {k: shown[k][r] for k in indicators},
            codes,
            classification,
        )
        code = p.regions[r]
        result.append(Peer(code, name_of.get(code, code), float(d.distance[c]), rank, rows, de, en))

    flagged = int((np.isnan(p.values[:, [*cand, t]])).sum())
    notes = [
        f"Distanz = Wurzel aus Σ_k w_k · d_k², d_k² = mittlere quadrierte Differenz der über {len(cand)} "
        f"Kandidaten ({level}) standardisierten Werte des Indikators k; Gewichte {w}.",
        "Struktur: Anteile der überschneidungsfreien Wirtschaftszweige; Größe: Logarithmus der Beschäftigten; "
        f"Wachstum: Beschäftigte {base_year} → {year}. Bevölkerungsdichte liegt im Warehouse nicht vor.",
    ]
    if region.group:
        notes.append(f"{region.group.label} aus den Mitgliedern summiert; Mitglieder sind keine Kandidaten.")
    if flagged:
        notes.append(f"{flagged} Zellen ohne Wert (geheim gehalten o. ä.) als 0 gezählt.")
    left_out = [c for r, c in enumerate(p.regions) if c not in excluded and not usable[r]]
    if left_out:
        notes.append(f"Ohne Beschäftigtenangabe ausgelassen: {', '.join(left_out)}")
    return Peers(
        region=region_ref(wh, region),
        year=year,
        base_year=base_year,
        indicators=indicators,
        weights=w,
        peers=result,
        sources=sources(wh, p.source_ids),
        notes=notes,
    )
