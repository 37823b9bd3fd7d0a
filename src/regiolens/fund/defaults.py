"""Published defaults of the Monte Carlo portfolio simulation, each with its source; every one can be overridden.

A company passes through the stages seed → series_a → series_b → series_c → later. At each stage it either
raises the next round (*graduates*), fails (write-off) or exits (trade sale / IPO) with a multiple of the
stage's post-money valuation. The numbers below and their sources (``shared/reference/fund_methods.md`` §4 and
§8, where each source is described):

- **Graduation** (probability of raising the next round): Carta, 2018 US founding cohort (4,369 start-ups,
  via the Duet Partners summary), conditional rates implied by the shares that raised each round — Seed 56.4 %,
  A 36.4 %, B 14.8 %, C 4.4 %, D+ 1.1 % give seed→A 64.4 %, A→B 40.5 %, B→C 30.2 %, C→D+ 25.8 %
  (right-censored: the cohort was still young). Conservative alternative: the defaults of the Atas simulator,
  seed→A 33 %, A→B 48 %, B→C 43 % (Atas gives no C→D rate; Carta's is kept).
- **Failure and exit** at a stage: the companies that do not graduate fail or exit in the proportions of
  the Monaco "MARKET" preset ([promote, fail, M&A] per stage: seed [.50, .35, .15], A [.50, .30, .20],
  B–D [.50, .25, .25], E [.40, .30, .30]), i.e. failure share of the non-graduates 70 % at seed, 60 % at A,
  50 % from B on. Applying Monaco's split to Carta's (or Atas') graduation keeps one rule for both sets.
- **Dilution per round** (share of the post-money sold in the round that opens a stage): Monaco — seed 20 %,
  A 22 %, B 20 %, C 15 %, D 10 % ("later").
- **Step-up** (post-money of a stage's round ÷ post-money of the previous stage's round): the ratios of
  Monaco's stage valuations seed 30, A 70, B 200, C 500, D 750 ($m): 2.33, 2.86, 2.5, 1.5.
- **Round timing** (years in a stage before the next round — or the failure, which is the next round that
  did not happen): Atas, 1–2 years after seed, 1–3 years after the later rounds; uniform on the range.
- **Exit multiples** (of the post-money of the company's last round): Correlation Ventures, 21,000+ US
  financings 2004–2013, outcomes by financing — < 1×: 65 %, 1–5×: 25 %, 5–10×: 6 %, 10–20×: 2.5 %,
  ≥ 20×: 1.5 %. Within a bucket: uniform on 0–1× (as aryashah's "fail" bucket), log-uniform on the middle
  buckets, and a Pareto with α = 2 capped at 150× on the open top bucket (Psymen's outlier bucket).
- **Exit timing**: lognormal time from the fund's first investment in a company to its exit, median 7
  years, σ_log 0.6 (aryashah).
- **Tickets and reserves**: HTGF standard terms from 2016, seed €600k for up to 15 % and up to €1.4m of
  follow-ons per company (so €2.0m at most per company); reserve ratio 50 % of the investable capital
  (Psymen's default; 40–60 % is the range cited in Psymen's research note).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "ARYASHAH_EXIT_TIMING",
    "ATAS_GRADUATION",
    "CARTA_2018_GRADUATION",
    "CONSERVATIVE_STAGE_TABLE",
    "CORRELATION_VENTURES_2004_2013",
    "DEFAULT_STAGE_TABLE",
    "HTGF_2016_MAX_PER_COMPANY",
    "HTGF_2016_SEED_OWNERSHIP",
    "HTGF_2016_SEED_TICKET",
    "MONACO_DILUTION",
    "MONACO_FAILURE_SHARE",
    "MONACO_STEP_UP",
    "PSYMEN_RESERVE_RATIO",
    "ROUND_YEARS_ATAS",
    "SOURCES",
    "STAGES",
    "ExitMultiples",
    "ExitTiming",
    "MultipleBucket",
    "Stage",
    "StageTable",
    "stage_table",
]

STAGES = ("seed", "series_a", "series_b", "series_c", "later")
"""The financing stages, in order; ``later`` is Series D and beyond (no further round is modelled)."""

SOURCES: dict[str, str] = {
    "carta_2018": "Carta, 2018 US founding cohort (4,369 start-ups), via Duet Partners; implied conditional rates",
    "atas": "Atas VC simulator defaults (stage graduation, years between rounds)",
    "monaco": "Monaco VC simulator, 'MARKET' preset (promote/fail/M&A split, dilution, stage valuations)",
    "correlation_ventures": "Correlation Ventures (2014), 21,000+ US financings 2004–2013, outcomes by financing",
    "psymen": "Psymen VC simulator (outlier bucket: Pareto α = 2 capped at 150×; reserve ratio 50 %)",
    "aryashah": "aryashah VC simulator (exit timing lognormal, median 7 y, σ_log 0.6; 0–1× bucket uniform)",
    "htgf_2016": "High-Tech Gründerfonds standard terms from 2016 (press release 2015-12-14)",
}
"""Citation of each source named in this module (details in ``shared/reference/fund_methods.md`` §4, §8)."""


@dataclass(frozen=True)
class MultipleBucket:
    """A bucket of exit multiples: ``probability`` of a multiple in ``[low, high]``."""

    probability: float
    low: float
    high: float


@dataclass(frozen=True)
class ExitMultiples:
    """Distribution of the exit multiple on the post-money of the company's last round.

    A bucket is drawn by its probability, then a multiple within it: uniform when ``low == 0``,
    log-uniform ``low · (high/low)^v`` otherwise, and for the last bucket a Pareto of shape ``tail_alpha``
    truncated to ``[low, high]`` (inverse CDF ``low · (1 − v·(1 − (low/high)^α))^(−1/α)``) when
    ``tail_alpha`` is set. A bucket with ``low == high`` gives exactly that multiple.
    """

    buckets: tuple[MultipleBucket, ...]
    tail_alpha: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if not self.buckets:
            raise ValueError("exit multiples need at least one bucket")
        for b in self.buckets:
            if not (b.probability >= 0 and 0 <= b.low <= b.high and math.isfinite(b.high)):
                raise ValueError(f"bucket {b} needs probability ≥ 0 and 0 ≤ low ≤ high < ∞")
        if not math.isclose(sum(b.probability for b in self.buckets), 1.0, abs_tol=1e-9):
            raise ValueError("bucket probabilities must sum to 1")
        if self.tail_alpha is not None and not (self.tail_alpha > 0 and self.buckets[-1].low > 0):
            raise ValueError("a Pareto tail needs tail_alpha > 0 and a last bucket with low > 0")

    @property
    def mean(self) -> float:
        """The expected multiple (closed form of the bucket distributions above)."""
        total = 0.0
        for i, b in enumerate(self.buckets):
            lo, hi = b.low, b.high
            if lo == hi:
                m = lo
            elif i == len(self.buckets) - 1 and self.tail_alpha is not None:
                a, r = self.tail_alpha, lo / hi
                m = lo * math.log(hi / lo) / (1 - r) if a == 1 else a / (a - 1) * lo * (1 - r ** (a - 1)) / (1 - r**a)
            elif lo == 0:
                m = hi / 2
            else:
                m = (hi - lo) / math.log(hi / lo)
            total += b.probability * m
        return total


@dataclass(frozen=True)
class ExitTiming:
    """Lognormal time from the fund's first investment in a company to its exit: median · exp(σ·Z)."""

    median_years: float
    sigma_log: float
    source: str = ""

    def __post_init__(self) -> None:
        if not (self.median_years > 0 and self.sigma_log >= 0):
            raise ValueError("exit timing needs median_years > 0 and sigma_log ≥ 0")


@dataclass(frozen=True)
class Stage:
    """One financing stage: what happens to a company while it is at this stage.

    ``graduation + failure + exit = 1``. ``dilution`` and ``step_up`` describe the round by which a company
    *enters* this stage (unused for the first stage of the table). ``years_in_stage`` is the uniform range of
    the time until the next round or the failure; an exit waits for its own timing (:class:`ExitTiming`).
    """

    name: str
    graduation: float
    failure: float
    exit: float
    dilution: float
    step_up: float
    years_in_stage: tuple[float, float]
    exit_multiples: ExitMultiples

    def __post_init__(self) -> None:
        p = (self.graduation, self.failure, self.exit)
        if min(p) < 0 or not math.isclose(sum(p), 1.0, abs_tol=1e-9):
            raise ValueError(f"stage {self.name}: graduation, failure and exit must be ≥ 0 and sum to 1, got {p}")
        if not (0 <= self.dilution < 1 and self.step_up > 0):
            raise ValueError(f"stage {self.name}: needs 0 ≤ dilution < 1 and step_up > 0")
        low, high = self.years_in_stage
        if not 0 < low <= high:
            raise ValueError(f"stage {self.name}: years_in_stage needs 0 < low ≤ high, got {self.years_in_stage}")


@dataclass(frozen=True)
class StageTable:
    """The stages in order, the exit timing, and where the numbers come from."""

    stages: tuple[Stage, ...]
    exit_timing: ExitTiming
    name: str = ""

    def __post_init__(self) -> None:
        if not self.stages:
            raise ValueError("a stage table needs at least one stage")
        if self.stages[-1].graduation != 0:
            raise ValueError(f"the last stage ({self.stages[-1].name}) cannot graduate: set graduation 0")
        if len({s.name for s in self.stages}) != len(self.stages):
            raise ValueError("stage names must be unique")

    def index(self, name: str) -> int:
        """Position of the stage called ``name``."""
        for i, s in enumerate(self.stages):
            if s.name == name:
                return i
        raise ValueError(f"unknown stage {name!r}; known: {', '.join(s.name for s in self.stages)}")


CARTA_2018_GRADUATION = {"seed": 0.644, "series_a": 0.405, "series_b": 0.302, "series_c": 0.258, "later": 0.0}
"""Probability of raising the next round, implied by the Carta 2018 cohort (``SOURCES["carta_2018"]``)."""

ATAS_GRADUATION = {**CARTA_2018_GRADUATION, "seed": 0.33, "series_a": 0.48, "series_b": 0.43}
"""Conservative alternative: Atas' seed→A, A→B, B→C; C→later kept from Carta (``SOURCES["atas"]``)."""

MONACO_FAILURE_SHARE = {"seed": 0.7, "series_a": 0.6, "series_b": 0.5, "series_c": 0.5, "later": 0.5}
"""Share of the non-graduating companies that fail (the rest exit), from Monaco's [promote, fail, M&A]."""

MONACO_DILUTION = {"seed": 0.20, "series_a": 0.22, "series_b": 0.20, "series_c": 0.15, "later": 0.10}
"""Share of the post-money sold in the round opening each stage (Monaco; "later" = its Series D)."""

MONACO_STEP_UP = {"seed": 1.0, "series_a": 70 / 30, "series_b": 200 / 70, "series_c": 500 / 200, "later": 750 / 500}
"""Post-money ratio to the previous stage's round, from Monaco's stage valuations 30/70/200/500/750 ($m)."""

ROUND_YEARS_ATAS = {s: (1.0, 3.0) for s in STAGES} | {"seed": (1.0, 2.0)}
"""Years in a stage before the next round or the failure (Atas: 1–2 after seed, 1–3 later)."""

CORRELATION_VENTURES_2004_2013 = ExitMultiples(
    buckets=(
        MultipleBucket(0.65, 0.0, 1.0),
        MultipleBucket(0.25, 1.0, 5.0),
        MultipleBucket(0.06, 5.0, 10.0),
        MultipleBucket(0.025, 10.0, 20.0),
        MultipleBucket(0.015, 20.0, 150.0),
    ),
    tail_alpha=2.0,
    source=f"{SOURCES['correlation_ventures']}; within buckets: {SOURCES['aryashah']}, {SOURCES['psymen']}",
)
"""Exit multiples by financing (Correlation Ventures 2004–13), sampled within buckets as described above."""

ARYASHAH_EXIT_TIMING = ExitTiming(median_years=7.0, sigma_log=0.6, source=SOURCES["aryashah"])
"""Time from first investment to exit: lognormal, median 7 years, σ_log 0.6."""

HTGF_2016_SEED_TICKET = 600_000.0
"""Seed ticket in euros (HTGF 2016 terms: up to €600k)."""
HTGF_2016_SEED_OWNERSHIP = 0.15
"""Equity share bought with the seed ticket (HTGF 2016 terms: up to 15 %)."""
HTGF_2016_MAX_PER_COMPANY = 2_000_000.0
"""Most a fund puts into one company: €600k seed + €1.4m follow-ons (HTGF 2016 terms)."""
PSYMEN_RESERVE_RATIO = 0.5
"""Share of the investable capital held back for follow-ons (Psymen default; 40–60 % common)."""


def stage_table(
    graduation: dict[str, float] = CARTA_2018_GRADUATION,
    *,
    failure_share: dict[str, float] = MONACO_FAILURE_SHARE,
    dilution: dict[str, float] = MONACO_DILUTION,
    step_up: dict[str, float] = MONACO_STEP_UP,
    years_in_stage: dict[str, tuple[float, float]] = ROUND_YEARS_ATAS,
    exit_multiples: ExitMultiples = CORRELATION_VENTURES_2004_2013,
    exit_timing: ExitTiming = ARYASHAH_EXIT_TIMING,
    name: str = "",
) -> StageTable:
    """A :class:`StageTable` over :data:`STAGES` from per-stage parameters (each defaulting to its source).

    ``failure = (1 − graduation) · failure_share`` and ``exit = (1 − graduation) · (1 − failure_share)``.
    """
    stages = []
    for s in STAGES:
        g = graduation[s]
        f = (1.0 - g) * failure_share[s]
        stages.append(
            Stage(
                name=s,
                graduation=g,
                failure=f,
                exit=1.0 - g - f,
                dilution=dilution[s],
                step_up=step_up[s],
                years_in_stage=years_in_stage[s],
                exit_multiples=exit_multiples,
            )
        )
    return StageTable(stages=tuple(stages), exit_timing=exit_timing, name=name)


DEFAULT_STAGE_TABLE = stage_table(name="Carta 2018 cohort graduation (implied), Monaco split, Correlation multiples")
"""The default: Carta graduation, Monaco failure/exit split, dilution and step-ups, Atas timing, Correlation
multiples, aryashah exit timing."""

CONSERVATIVE_STAGE_TABLE = stage_table(ATAS_GRADUATION, name="Atas graduation (conservative), otherwise default")
"""The conservative alternative: Atas graduation, everything else as :data:`DEFAULT_STAGE_TABLE`."""
