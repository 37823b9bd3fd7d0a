"""Typed results of the analyses: what the CLI prints, the web shows and the reports render.

One number, one code path: every figure a person sees is a field of these dataclasses, computed once
in :mod:`regiolens.analysis`. They serialise to JSON with :func:`dataclasses.asdict` (NaN → ``None``
by the output layer) and to tables with :func:`rows`.

Field names carry English words; German and English labels of every concept are in :data:`LABELS`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "employment": {"de": "Beschäftigte", "en": "Employees"},
    "employment_base": {"de": "Beschäftigte (Basisjahr)", "en": "Employees (base year)"},
    "share": {"de": "Anteil", "en": "Share"},
    "reference_share": {"de": "Anteil Referenz", "en": "Reference share"},
    "lq": {"de": "Standortquotient", "en": "Location quotient"},
    "lq_low": {"de": "Standortquotient, untere Grenze", "en": "LQ, lower bound"},
    "lq_high": {"de": "Standortquotient, obere Grenze", "en": "LQ, upper bound"},
    "growth": {"de": "Wachstum", "en": "Growth"},
    "cagr": {"de": "Jährliche Wachstumsrate", "en": "Compound annual growth rate"},
    "reference_growth": {"de": "Wachstum Referenz", "en": "Reference growth"},
    "actual_change": {"de": "Veränderung", "en": "Actual change"},
    "national": {"de": "Konjunkturkomponente", "en": "National share"},
    "industry_mix": {"de": "Strukturkomponente", "en": "Industry mix"},
    "regional": {"de": "Standortkomponente", "en": "Regional (competitive) effect"},
    "competitive": {"de": "Standortkomponente (homothetisch)", "en": "Competitive effect (homothetic)"},
    "allocation": {"de": "Allokationseffekt", "en": "Allocation effect"},
    "structural_factor": {"de": "Strukturfaktor (Gerfin)", "en": "Structural factor (Gerfin)"},
    "location_factor": {"de": "Standortfaktor (Gerfin)", "en": "Location factor (Gerfin)"},
    "strong": {"de": "Stark", "en": "Strong"},
    "small_number": {"de": "Kleine Fallzahl", "en": "Small number"},
}


@dataclass(frozen=True)
class SourceRef:
    """Where the numbers come from: shown under every table and chart."""

    dataset_key: str
    publisher: str
    licence: str
    attribution: str
    vintage: str | None


@dataclass(frozen=True)
class Threshold:
    """A named strength rule, e.g. ``lq>=1.25``, with its description in both languages."""

    preset: str
    description_de: str
    description_en: str
    source: str


@dataclass(frozen=True)
class IndustryRow:
    """One industry (or cluster) of a region: size, structure, location quotient, growth, shift-share."""

    code: str
    label_de: str
    label_en: str
    employment: float | None
    employment_base: float | None
    flag: str
    share: float | None
    reference_share: float | None
    lq: float | None
    lq_low: float | None
    lq_high: float | None
    growth: float | None
    cagr: float | None
    reference_growth: float | None
    national: float | None
    industry_mix: float | None
    regional: float | None
    competitive: float | None
    allocation: float | None
    strong: bool
    small_number: bool


@dataclass(frozen=True)
class ShiftShareTotals:
    """The region's shift-share over all industries (absolute persons; Gerfin factors are ratios)."""

    actual_change: float
    national: float
    industry_mix: float
    regional: float
    competitive: float
    allocation: float
    structural_factor: float
    location_factor: float
    dynamic_national: float | None = None
    dynamic_industry_mix: float | None = None
    dynamic_regional: float | None = None


@dataclass(frozen=True)
class Specialisation:
    """How specialised the region is against the reference structure (see :mod:`regiolens.metrics`)."""

    krugman: float | None
    hoover: float | None
    gini: float | None
    herfindahl: float | None
    entropy: float | None
    related_variety: float | None = None
    unrelated_variety: float | None = None


@dataclass(frozen=True)
class ClusterRow:
    """A cluster of a taxonomy in the region: resolvable or not, and if so its figures."""

    taxonomy: str
    cluster: str
    name_de: str
    name_en: str
    status: str  # exact | approximation | not_resolvable (regiolens.clusters.resolve.Status)
    reason: str  # in English (as the CLI prints it); reason_de in German
    figures: IndustryRow | None
    reason_de: str = ""


@dataclass(frozen=True)
class RegionRef:
    ref: str
    name: str
    level: str
    members: list[str]


@dataclass(frozen=True)
class Profile:
    """Everything :func:`regiolens.analysis.profile.profile` knows about one region (or group)."""

    region: RegionRef
    reference: RegionRef
    year: int
    base_year: int
    measure: str
    classification: str
    total_employment: float
    total_employment_base: float
    reference_total: float
    reference_total_base: float
    industries: list[IndustryRow]
    shift_share: ShiftShareTotals
    specialisation: Specialisation
    clusters: list[ClusterRow]
    threshold: Threshold
    sources: list[SourceRef]
    notes: list[str] = field(default_factory=list)  # in German; notes_en the same in English
    notes_en: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Difference:
    """One industry where the regions differ, with the share of the growth gap due to structure."""

    code: str
    label_de: str
    label_en: str
    lq: dict[str, float | None]
    strong_in: list[str]
    text_de: str
    text_en: str


@dataclass(frozen=True)
class GapContribution:
    """One industry's part of a growth gap, in percentage points of the base-year employment."""

    code: str
    structural: float | None
    regional: float | None


@dataclass(frozen=True)
class GrowthGap:
    """Growth of region a minus region b, split into industry mix (structure) and regional effect."""

    a: str
    b: str
    growth_a: float
    growth_b: float
    gap: float
    structural: float
    regional: float
    structural_share: float | None
    text_de: str
    text_en: str
    by_industry: list[GapContribution] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    """Regions side by side: shared strengths, differences, and how much structure explains."""

    profiles: list[Profile]
    shared_strengths: list[str]
    differences: list[Difference]
    growth_gaps: list[GrowthGap]
    summary_de: list[str]
    summary_en: list[str]


@dataclass(frozen=True)
class MapValue:
    code: str
    name: str
    lq: float | None
    employment: float | None
    flag: str


@dataclass(frozen=True)
class LQMap:
    """Location quotients of one industry or one cluster for every region of a level, for a choropleth.

    ``industry`` is the industry's code (``B-E``) or the cluster's key (``<taxonomy id>:<cluster id>``, from
    :func:`regiolens.analysis.maps.cluster_lq_map`); ``geometry`` is a GeoJSON FeatureCollection (feature ids
    ``"<level>:<code>"``, rings wound for Vega); ``highlight`` the codes of the profiled region(s), drawn with an
    outline.
    """

    industry: str
    label_de: str
    label_en: str
    level: str
    year: int
    reference: str
    values: list[MapValue]
    highlight: list[str]
    geometry: dict[str, Any]
    attribution: list[str]


def rows(items: list[Any]) -> list[dict[str, Any]]:
    """Dataclass instances as flat dictionaries (for tables, CSV and Excel sheets)."""
    return [dataclasses.asdict(i) for i in items]


@dataclass(frozen=True)
class PeerIndicator:
    """One indicator of a peer beside the target's, with its part of the squared distance (all parts sum to 1).

    ``name`` is ``size`` (employment in persons; the distance uses its logarithm), ``growth`` (employment growth
    base year → year), ``population`` (inhabitants; the distance uses the logarithm), ``density`` (inhabitants per
    km²; the distance uses the logarithm) or ``structure:<code>`` (the share of one industry in the region's
    employment).
    """

    name: str
    target: float | None
    peer: float | None
    contribution: float


@dataclass(frozen=True)
class Peer:
    """A region structurally similar to the target: its distance, rank and why (see :mod:`regiolens.analysis.peers`)."""

    code: str
    name: str
    distance: float
    rank: int
    indicators: list[PeerIndicator]
    reason_de: str
    reason_en: str


@dataclass(frozen=True)
class Peers:
    """The ``n`` regions nearest to ``region`` on the chosen, weighted indicators, nearest first.

    ``within`` says where the candidates come from (``de`` German regions, ``eu`` EU NUTS-3 regions) and
    ``region_level`` their level; ``base_year`` is ``None`` when the data hold a single year (no growth).
    """

    region: RegionRef
    year: int
    base_year: int | None
    indicators: list[str]
    weights: dict[str, float]
    peers: list[Peer]
    sources: list[SourceRef]
    notes: list[str] = field(default_factory=list)  # in German; notes_en the same in English
    within: str = "de"
    region_level: str = "de:kreis"
    notes_en: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Opportunity:
    """An industry the region is not specialised in (LQ < 1), ranked as a way to grow into.

    ``score`` is the weighted mean of the indicators' z-scores across all candidates; ``contributions`` holds
    each indicator's part of it (they sum to ``score``). See :mod:`regiolens.analysis.opportunities`.
    """

    rank: int
    code: str
    label_de: str
    label_en: str
    employment: float | None
    lq: float | None
    density: float
    density_percentile: float
    pci: float | None
    national_growth: float | None
    opportunity_gain: float | None
    score: float
    contributions: dict[str, float]
    reason_de: str
    reason_en: str


@dataclass(frozen=True)
class StrengthAtRisk:
    """An existing strength (LQ ≥ 1) and whether it is at risk: declining LQ or weak relatedness."""

    code: str
    label_de: str
    label_en: str
    employment: float | None
    lq: float | None
    lq_base: float | None
    density: float
    density_median: float | None  # median density of the industry in the regions specialised in it
    declining: bool
    weakly_related: bool
    at_risk: bool  # declining or weakly related
    reason_de: str
    reason_en: str


@dataclass(frozen=True)
class ClusterOutlook:
    """A cluster of a taxonomy seen through relatedness: its LQ and density in the region, where resolvable."""

    taxonomy: str
    cluster: str
    name_de: str
    name_en: str
    status: str
    reason: str  # in English; reason_de in German
    lq: float | None = None
    density: float | None = None
    national_growth: float | None = None
    reason_de: str = ""
    pci: float | None = None  # as an industry's PCI, from the regions specialised in the cluster
    opportunity_gain: float | None = None


@dataclass(frozen=True)
class Opportunities:
    """Growth opportunities of a region and its strengths at risk (see :mod:`regiolens.analysis.opportunities`)."""

    region: RegionRef
    year: int
    base_year: int
    measure: str
    classification: str
    universe: str
    eci: float | None
    weights: dict[str, float]
    opportunities: list[Opportunity]
    strengths: list[StrengthAtRisk]
    clusters: list[ClusterOutlook]
    sources: list[SourceRef]
    notes: list[str] = field(default_factory=list)  # in German; notes_en the same in English
    notes_en: list[str] = field(default_factory=list)
