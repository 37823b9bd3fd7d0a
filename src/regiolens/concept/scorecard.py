"""The focus-cluster scorecard: every candidate cluster's evidence for a target region, weighted, ranked, explained.

``scorecard(wh, target)`` takes the candidate clusters — those of the built-in taxonomies (the five hannoverimpuls
clusters) and of the taxonomies passed in (a network's own) — and gathers for each, from the analyses and nothing
else (one code path per figure):

- **strength** (:func:`regiolens.analysis.profile.profile`, reference Germany): employment, share of the region's
  employment, location quotient and the strength class — ``strong`` by the named preset (default ``lq>=1.25``),
  ``specialised`` for ``LQ ≥ 1`` below it, ``below`` otherwise;
- **dynamics** (the same profile): growth ``base_year → year`` and the competitive (Standort) component of the
  classic shift-share in persons;
- **potential** (:func:`regiolens.analysis.opportunities.opportunities`): relatedness density, complexity (mean
  ECI of the regions specialised in the cluster) and opportunity gain;
- **context**: which of the target's nearest peers (:func:`regiolens.analysis.peers.peers`) are strong in the
  cluster by the same preset (their own profiles), and which initiatives (plain ``(name, clusters)`` pairs) focus
  on it. Context is shown, not scored.

Ranking, as :mod:`regiolens.analysis.opportunities` ranks: each indicator becomes a centred percentile rank
across the ``C`` ranked clusters, ``q = (rank − 1) / (C − 1) − ½`` (rank 1 = lowest value, ties share the mean
rank, a missing value counts as the median ``q = 0``); a dimension's value is the mean of its indicators'
``q`` (strength: LQ, employment; dynamics: growth, Standort component; potential: density, complexity,
opportunity gain), and ::

    score = Σ_d w_d · q_d / Σ_d w_d          contributions[d] = w_d · q_d / Σ_d w_d   (they sum to the score)

with the authors' weights ``w`` (default 1 each; checked by :func:`regiolens.analysis.weights.indicator_weights`).
Ties: higher LQ first. Clusters the data cannot resolve are listed apart with the reason.

Every scorecard carries the sources and vintages of its panel and :func:`evidence_fingerprint` — a SHA-256 of
those sources and of the parameters the evidence depends on (region, years, measure, classification, preset,
the taxonomies' full definitions, peers and initiatives; not the weights, which change the ranking, not the
evidence). A newer import changes the fingerprint; :func:`compare_scorecards` says what changed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from regiolens.analysis.opportunities import _centred_ranks, _num, _pct, opportunities
from regiolens.analysis.peers import peers as nearest_peers
from regiolens.analysis.profile import profile
from regiolens.analysis.results import ClusterOutlook, ClusterRow, RegionRef, SourceRef, Threshold
from regiolens.analysis.weights import indicator_weights
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.clusters import get_taxonomy, to_toml
from regiolens.clusters.model import Taxonomy
from regiolens.clusters.registry import BUILTIN
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number
from regiolens.i18n.messages import weights_text
from regiolens.model import RegionLevel
from regiolens.plain import jsonable
from regiolens.regions.resolve import RegionSelection, resolve_region
from regiolens.warehouse.store import Warehouse

DIMENSIONS: tuple[str, ...] = ("strength", "dynamics", "potential")
INDICATORS: dict[str, tuple[str, ...]] = {
    "strength": ("lq", "employment"),
    "dynamics": ("growth", "regional"),
    "potential": ("density", "pci", "opportunity_gain"),
}
NAMES: dict[str, tuple[str, str]] = {
    "strength": ("Stärke", "strength"),
    "dynamics": ("Dynamik", "dynamics"),
    "potential": ("Potenzial", "potential"),
}
CLASS_NAMES: dict[str, tuple[str, str]] = {
    "strong": ("stark", "strong"),
    "specialised": ("spezialisiert", "specialised"),
    "below": ("unterdurchschnittlich", "below average"),
}
COMPARED: dict[str, tuple[str, str]] = {
    "lq": ("LQ", "LQ"),
    "employment": ("Beschäftigte", "employees"),
    "share": ("Anteil", "share"),
    "growth": ("Wachstum", "growth"),
    "regional": ("Standortkomponente", "competitive component"),
    "density": ("Dichte", "density"),
    "pci": ("Komplexität", "complexity"),
    "opportunity_gain": ("Chancengewinn", "opportunity gain"),
}
"""Figures :func:`compare_scorecards` reports when they change, with their names in German and English."""
DEFAULT_PEERS = 5


@dataclass(frozen=True)
class ClusterEvidence:
    """What the analyses say about one candidate cluster in the target region (``None``: not known)."""

    taxonomy: str  # "<id> <version>"
    cluster: str
    name_de: str
    name_en: str
    status: str  # exact | approximation | not_resolvable
    resolution_de: str
    resolution_en: str
    employment: float | None = None
    share: float | None = None
    lq: float | None = None
    strength_class: str = "below"  # strong | specialised | below (see the module docstring)
    growth: float | None = None
    regional: float | None = None  # Standort (competitive) component of the classic shift-share, persons
    density: float | None = None
    pci: float | None = None
    opportunity_gain: float | None = None
    peers_strong: list[str] = field(default_factory=list)  # names of the peers strong in it
    initiatives: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """``<taxonomy id>:<cluster id>``: the cluster's identity across scorecards."""
        return f"{self.taxonomy.split(' ')[0]}:{self.cluster}"


@dataclass(frozen=True)
class ScorecardRow:
    """A ranked cluster: its evidence, score, each dimension's part of it and the reason in words."""

    rank: int
    evidence: ClusterEvidence
    score: float
    contributions: dict[str, float]
    reason_de: str
    reason_en: str


@dataclass(frozen=True)
class Scorecard:
    """The ranked candidate clusters of a region, the evidence's provenance and fingerprint."""

    region: RegionRef
    year: int
    base_year: int
    measure: str
    classification: str
    preset: str
    weights: dict[str, float]
    rows: list[ScorecardRow]
    unresolved: list[ClusterEvidence]
    peers: list[str]
    sources: list[SourceRef]
    vintage: str  # the data year the evidence describes; the sources name the releases
    fingerprint: str
    notes: list[str] = field(default_factory=list)  # in German; notes_en the same in English
    notes_en: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScorecardChange:
    """How one cluster differs between two scorecards: ``kind`` is ``added``, ``removed`` or ``changed``;
    ``figures`` maps each changed figure to ``[old, new]``."""

    key: str
    name_de: str
    name_en: str
    kind: str
    old_rank: int | None
    new_rank: int | None
    figures: dict[str, list[float | None]]
    text_de: str
    text_en: str


def evidence_fingerprint(sources: Sequence[SourceRef], parameters: Mapping[str, object]) -> str:
    """SHA-256 (hex) of the sources (dataset, publisher, vintage; order-free) and the parameters (JSON)."""
    payload = {
        "sources": sorted([s.dataset_key, s.publisher, s.vintage or ""] for s in sources),
        "parameters": jsonable(dict(parameters)),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _strength_class(row: ClusterRow) -> str:
    f = row.figures
    if f is None or f.lq is None:
        return "below"
    return "strong" if f.strong else "specialised" if f.lq >= 1.0 else "below"


def _values(evidence: Sequence[ClusterEvidence], name: str) -> np.ndarray:
    return np.array([np.nan if getattr(e, name) is None else float(getattr(e, name)) for e in evidence])


def _figures(e: ClusterEvidence, lang: str, period: str) -> str:
    """The evidence in words: ``LQ 1,80 (stark), 12.345 Beschäftigte (8,2 %); Wachstum +6,1 % …``."""
    de = lang == "de"
    missing = "–"

    def num(v: float | None, digits: int = 2) -> str:
        return missing if v is None else _num(v, lang, digits)

    def pct(v: float | None, sign: bool = False) -> str:
        return missing if v is None else _pct(v, lang, sign=sign)

    cls = CLASS_NAMES[e.strength_class][0 if de else 1]
    persons = missing if e.employment is None else format_number(round(e.employment), locale="de_DE" if de else "en_GB")
    regional = missing if e.regional is None else ("+" if e.regional > 0 else "") + num(e.regional, 0)
    if de:
        return (
            f"Stärke: LQ {num(e.lq)} ({cls}), {persons} Beschäftigte ({pct(e.share)}); "
            f"Dynamik: Wachstum {pct(e.growth, sign=True)} {period}, Standortkomponente {regional}; "
            f"Potenzial: Dichte {num(e.density)}, Komplexität {num(e.pci)}, Chancengewinn {num(e.opportunity_gain)}"
        )
    return (
        f"strength: LQ {num(e.lq)} ({cls}), {persons} employees ({pct(e.share)}); "
        f"dynamics: growth {pct(e.growth, sign=True)} {period}, competitive component {regional}; "
        f"potential: density {num(e.density)}, complexity {num(e.pci)}, opportunity gain {num(e.opportunity_gain)}"
    )


def _reason(
    e: ClusterEvidence, rank: int, count: int, score: float, parts: Mapping[str, float], period: str
) -> tuple[str, str]:
    """``Rang 1 von 12 (Punktwert +0,21): Stärke: … Dafür spricht: Stärke; dagegen: Potenzial.``"""
    order = sorted(parts, key=lambda d: -abs(parts[d]))
    texts = []
    for lang, of, (pro, con) in (("de", "von", ("Dafür spricht", "dagegen")), ("en", "of", ("For", "against"))):
        k = 0 if lang == "de" else 1
        plus = [NAMES[d][k] for d in order if parts[d] > 0]
        minus = [NAMES[d][k] for d in order if parts[d] <= 0]
        verdict = f"{pro}: {', '.join(plus)}" if plus else ""
        if minus:
            verdict += (f"; {con}: " if plus else f"{con[0].upper()}{con[1:]}: ") + ", ".join(minus)
        head = "Rang" if lang == "de" else "Rank"
        points = "Punktwert" if lang == "de" else "score"
        signed = ("+" if score > 0 else "") + _num(score, lang)
        text = f"{head} {rank} {of} {count} ({points} {signed}): {_figures(e, lang, period)}. {verdict}."
        if e.peers_strong:
            text += (" Stark auch in: " if lang == "de" else " Also strong in: ") + "; ".join(e.peers_strong) + "."
        if e.initiatives:
            text += (" Initiativen: " if lang == "de" else " Initiatives: ") + "; ".join(e.initiatives) + "."
        texts.append(text)
    return texts[0], texts[1]


def rank_clusters(
    evidence: Sequence[ClusterEvidence], weights: Mapping[str, float] | None = None, period: str = ""
) -> list[ScorecardRow]:
    """Rank ``evidence`` by the weighted centred percentile ranks of its dimensions (see the module docstring);
    ``period`` (e.g. ``2015–2020``) is named in the reasons."""
    w = indicator_weights(DIMENSIONS, DIMENSIONS, weights)
    total = sum(w.values())
    dims = {d: np.mean([_centred_ranks(_values(evidence, k)) for k in INDICATORS[d]], axis=0) for d in DIMENSIONS}
    parts = {d: w[d] * np.asarray(dims[d], dtype=float).reshape(len(evidence)) / total for d in DIMENSIONS}
    score = sum(parts.values(), np.zeros(len(evidence)))
    lq = np.nan_to_num(_values(evidence, "lq"), nan=-np.inf)
    order = sorted(range(len(evidence)), key=lambda c: (-score[c], -lq[c], evidence[c].key))
    rows = []
    for rank, c in enumerate(order, start=1):
        contributions = {d: float(parts[d][c]) for d in DIMENSIONS if w[d] > 0}
        de, en = _reason(evidence[c], rank, len(evidence), float(score[c]), contributions, period)
        rows.append(ScorecardRow(rank, evidence[c], float(score[c]), contributions, de, en))
    return rows


def _initiatives_on(taxonomy_id: str, cluster: str, initiatives: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Names of the initiatives that name ``cluster`` (as ``cluster`` or ``taxonomy:cluster``)."""
    return [name for name, clusters in initiatives if cluster in clusters or f"{taxonomy_id}:{cluster}" in clusters]


def scorecard(
    wh: Warehouse,
    target: RegionSelection | str,
    *,
    taxonomies: Sequence[str] = tuple(BUILTIN),
    extra_taxonomies: Sequence[Taxonomy] = (),
    weights: Mapping[str, float] | None = None,
    year: int | None = None,
    base_year: int | None = None,
    measure: str = "employment",
    classification: str = WZ2008_SECTION_GROUPS,
    preset: str = "lq>=1.25",
    peers: int = DEFAULT_PEERS,
    initiatives: Sequence[tuple[str, Sequence[str]]] = (),
) -> Scorecard:
    """The focus-cluster scorecard of ``target`` (a region code or group, or a selection): see the module docstring.

    ``taxonomies`` are ids of :func:`regiolens.clusters.get_taxonomy` (default: the built-in ones),
    ``extra_taxonomies`` taxonomy objects (e.g. an organisation's own); ``peers`` how many nearest peer regions
    to look at (0: none); ``initiatives`` ``(name, cluster ids)`` pairs, a cluster named by its id or
    ``taxonomy:cluster``.
    """
    if peers < 0:
        raise RegiolensError("peers must be 0 or more")
    region = resolve_region(target) if isinstance(target, str) else target
    chosen = [get_taxonomy(t) for t in taxonomies] + list(extra_taxonomies)
    if not chosen:
        raise RegiolensError("name at least one cluster taxonomy")
    w = indicator_weights(DIMENSIONS, DIMENSIONS, weights)
    # the nearest peers; their own profiles decide whether they are strong in a cluster
    found = nearest_peers(wh, region, n=peers, year=year, base_year=base_year) if peers else None
    neighbours = found.peers if found else []
    peer_level = RegionLevel(found.region_level) if found else region.level
    evidence: list[ClusterEvidence] = []
    sources: dict[tuple[str, str | None], SourceRef] = {}
    span: tuple[int, int] | None = None
    ref: RegionRef | None = None
    threshold: Threshold | None = None
    for tax in chosen:
        prof = profile(
            wh, region, year, base_year, measure=measure, classification=classification, preset=preset, taxonomy=tax
        )
        outlook = opportunities(
            wh,
            region,
            year=prof.year,
            base_year=prof.base_year,
            measure=measure,
            classification=classification,
            taxonomy=tax,
        )
        span, ref, threshold = (prof.base_year, prof.year), prof.region, prof.threshold
        for s in [*prof.sources, *outlook.sources]:
            sources[(s.dataset_key, s.vintage)] = s
        strong_in: dict[str, list[str]] = {row.cluster: [] for row in prof.clusters}  # names of peers strong in it
        for peer in neighbours:
            peer_region = RegionSelection(peer.code, peer_level, peer.code)
            peer_profile = profile(
                wh,
                peer_region,
                prof.year,
                prof.base_year,
                measure=measure,
                classification=classification,
                preset=preset,
                taxonomy=tax,
            )
            for row in peer_profile.clusters:
                if row.figures is not None and row.figures.strong:
                    strong_in[row.cluster].append(peer.name)
        outlooks: dict[str, ClusterOutlook] = {o.cluster: o for o in outlook.clusters}
        for row in prof.clusters:
            f, o = row.figures, outlooks[row.cluster]
            evidence.append(
                ClusterEvidence(
                    taxonomy=row.taxonomy,
                    cluster=row.cluster,
                    name_de=row.name_de,
                    name_en=row.name_en,
                    status=row.status,
                    resolution_de=row.reason_de,
                    resolution_en=row.reason,
                    employment=None if f is None else f.employment,
                    share=None if f is None else f.share,
                    lq=None if f is None else f.lq,
                    strength_class=_strength_class(row),
                    growth=None if f is None else f.growth,
                    regional=None if f is None else f.regional,
                    density=o.density,
                    pci=o.pci,
                    opportunity_gain=o.opportunity_gain,
                    peers_strong=strong_in[row.cluster],
                    initiatives=_initiatives_on(tax.id, row.cluster, initiatives),
                )
            )
    assert span is not None and ref is not None and threshold is not None  # at least one taxonomy was read
    ranked = [e for e in evidence if e.status != "not_resolvable"]
    period = f"{span[0]}–{span[1]}"
    source_list = sorted(sources.values(), key=lambda s: (s.dataset_key, s.vintage or ""))
    parameters = {
        "region": region.ref,
        "year": span[1],
        "base_year": span[0],
        "measure": measure,
        "classification": classification,
        "preset": preset,
        "taxonomies": [hashlib.sha256(to_toml(t).encode("utf-8")).hexdigest() for t in chosen],
        "peers": [p.code for p in neighbours],
        "initiatives": sorted([name, sorted(clusters)] for name, clusters in initiatives),
    }
    notes = [
        (
            f"{len(ranked)} Cluster bewertet nach Stärke, Dynamik und Potenzial ({period}); Gewichte: "
            f"{weights_text(w, NAMES, 'de')}; Rang in Perzentilen unter den Clustern, wie bei den Chancen.",
            f"{len(ranked)} clusters rated on strength, dynamics and potential ({period}); weights: "
            f"{weights_text(w, NAMES, 'en')}; percentile ranks among the clusters, as for the opportunities.",
        )
    ]
    notes.append(
        (
            f"„Stark“: {threshold.description_de.rstrip('.')}"
            + (
                f"; Vergleichsregionen (die {len(neighbours)} ähnlichsten): " + "; ".join(p.name for p in neighbours)
                if neighbours
                else ""
            )
            + ".",
            f"'Strong': {threshold.description_en.rstrip('.')}"
            + (
                f"; peer regions (the {len(neighbours)} most similar): " + "; ".join(p.name for p in neighbours)
                if neighbours
                else ""
            )
            + ".",
        )
    )
    if len(ranked) < len(evidence):
        notes.append(
            (
                f"{len(evidence) - len(ranked)} Cluster sind auf diesen Daten nicht auflösbar und nicht bewertet.",
                f"{len(evidence) - len(ranked)} clusters cannot be resolved on these data and are not rated.",
            )
        )
    return Scorecard(
        region=ref,
        year=span[1],
        base_year=span[0],
        measure=measure,
        classification=classification,
        preset=preset,
        weights=w,
        rows=rank_clusters(ranked, w, period),
        unresolved=[e for e in evidence if e.status == "not_resolvable"],
        peers=[p.name for p in neighbours],
        sources=source_list,
        vintage=str(span[1]),
        fingerprint=evidence_fingerprint(source_list, parameters),
        notes=[de for de, _ in notes],
        notes_en=[en for _, en in notes],
    )


def _differs(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    return not math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12)


def _changed_figures(figures: Mapping[str, list[float | None]], lang: str) -> str:
    """``; LQ 1,21 → 1,25; Beschäftigte 12.345 → 12.400`` (the figures in the order of :data:`COMPARED`)."""
    k = 0 if lang == "de" else 1

    def shown(name: str, v: float | None) -> str:
        if v is None:
            return "–"
        if name in ("share", "growth"):
            return _pct(v, lang, sign=name == "growth")
        if name == "employment":
            return format_number(round(v), locale="de_DE" if lang == "de" else "en_GB")
        return ("+" if name == "regional" and v > 0 else "") + _num(v, lang, 0 if name == "regional" else 2)

    return "".join(
        f"; {COMPARED[n][k]} {shown(n, figures[n][0])} → {shown(n, figures[n][1])}" for n in COMPARED if n in figures
    )


def compare_scorecards(old: Scorecard, new: Scorecard) -> list[ScorecardChange]:
    """What changed from ``old`` to ``new``: clusters added or removed from the ranking, and every cluster whose
    rank or figures (:data:`COMPARED`) changed, in the order of ``new``'s ranking (removed ones last). The text of
    a change names the data years (vintages), the ranks and each changed figure with its old and new value, e.g.
    ``IKT und Medien (2019 → 2020): Rang 3 → 2; LQ 0,71 → 0,74; Beschäftigte 5.210 → 5.480.``"""
    before = {r.evidence.key: r for r in old.rows}
    after = {r.evidence.key: r for r in new.rows}
    years = f"{old.vintage} → {new.vintage}"
    changes: list[ScorecardChange] = []
    for key, row in after.items():
        e = row.evidence
        if key not in before:
            changes.append(
                ScorecardChange(
                    key,
                    e.name_de,
                    e.name_en,
                    "added",
                    None,
                    row.rank,
                    {},
                    f"{e.name_de}: neu bewertet, Rang {row.rank}.",
                    f"{e.name_en}: newly rated, rank {row.rank}.",
                )
            )
            continue
        was = before[key]
        figures = {
            k: [getattr(was.evidence, k), getattr(e, k)]
            for k in COMPARED
            if _differs(getattr(was.evidence, k), getattr(e, k))
        }
        if was.rank == row.rank and not figures:
            continue
        changes.append(
            ScorecardChange(
                key,
                e.name_de,
                e.name_en,
                "changed",
                was.rank,
                row.rank,
                figures,
                f"{e.name_de} ({years}): Rang {was.rank} → {row.rank}" + _changed_figures(figures, "de") + ".",
                f"{e.name_en} ({years}): rank {was.rank} → {row.rank}" + _changed_figures(figures, "en") + ".",
            )
        )
    for key, was in before.items():
        if key not in after:
            e = was.evidence
            changes.append(
                ScorecardChange(
                    key,
                    e.name_de,
                    e.name_en,
                    "removed",
                    was.rank,
                    None,
                    {},
                    f"{e.name_de}: nicht mehr bewertet (zuvor Rang {was.rank}).",
                    f"{e.name_en}: no longer rated (rank {was.rank} before).",
                )
            )
    return changes
