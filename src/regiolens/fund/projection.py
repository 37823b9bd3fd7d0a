"""A fund plan projected: the Monte-Carlo portfolio through fees, the waterfall and the investor classes.

One code path for every figure of the fund planner (command line, web page, JSON API, report):

1. **Quarters.** Period t is the quarter starting t·¼ year after ``first_close``; the life has ⌈4·L⌉ quarters and the
   investment period ⌊4·IP⌋ (new companies only then).
2. **Fees** (:func:`regiolens.fund.waterfall.management_fees`): on commitments, or on *invested capital* = the
   cumulative amount paid into companies up to the start of the quarter (not reduced by exits or write-offs: a
   conservative fee basis, since the simulation does not carry the cost of each holding).
3. **Investable capital** = fund size − the management fees over the life on the plan's commitment-basis rates
   ("deployable capital = fund − lifetime fees", Psymen and Atas; fund_methods.md §5.4). With an invested-capital
   basis the real fees are lower, so this is the cautious side.
4. **Portfolio** (:func:`regiolens.fund.simulation.simulate_portfolio`): tickets per entry stage from the plan
   (``pre_seed`` enters the simulation's seed stage, ``growth`` its ``later`` stage), the follow-on reserve and
   the maximum per company of the plan, everything else from :class:`~regiolens.fund.terms.SimulationSettings`.
5. **Fund cash flows**: the LPs pay in what the fund pays out in the quarter (investments + fees; no cash buffer)
   and receive every exit's proceeds in the quarter they arrive (no recycling), through the European waterfall
   (:func:`regiolens.fund.waterfall.european_waterfall`; carry to the GP, clawback at the end), and the LPs' part
   is split between the investor classes by the plan's structure (:func:`regiolens.fund.classes.split_classes`).
6. **Metrics** per class and for all LPs together (:mod:`regiolens.fund.performance`): IRR, XIRR (dates from
   ``first_close``), TVPI, DPI, RVPI, probability of losing money (TVPI < 1), J-curve as a share of the commitment
   (P10, P50, P90 over paths), TVPI histogram, and the KS-PME against an index growing at the plan's
   ``simulation.benchmark_return`` when one is given (``pyxirr.pe.ks_pme``).

The deterministic Takahashi–Alexander projection (:func:`regiolens.fund.takahashi.project`) of the fund size is
given beside it: the smooth curve a budget office expects, against the spread of the simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from regiolens.fund import takahashi
from regiolens.fund.classes import Leverage, leverage, split_classes
from regiolens.fund.defaults import (
    CONSERVATIVE_STAGE_TABLE,
    DEFAULT_STAGE_TABLE,
    HTGF_2016_MAX_PER_COMPANY,
    HTGF_2016_SEED_OWNERSHIP,
    HTGF_2016_SEED_TICKET,
    MONACO_STEP_UP,
    STAGES,
    ExitMultiples,
    ExitTiming,
    MultipleBucket,
    StageTable,
    stage_table,
)
from regiolens.fund.performance import (
    PathMetrics,
    Percentiles,
    class_metrics,
    path_metrics,
    percentiles,
    period_dates,
)
from regiolens.fund.simulation import EntryStage, PortfolioAssumptions, PortfolioPaths, simulate_portfolio
from regiolens.fund.terms import FundPlan, InvestorKind, Stage
from regiolens.fund.waterfall import european_waterfall, management_fees
from regiolens.plain import jsonable

PERIOD_YEARS = 0.25
"""Quarters."""
MAX_PATHS = 100_000
"""Most paths one projection may ask for."""
J_CURVE_PERCENTILES = (10, 50, 90)
"""The band of the J-curve: P10, P50, P90 over paths."""
TVPI_BIN = 0.25
"""Width of the bins of the TVPI histogram; the last bin is open (all values from its lower edge on)."""
TVPI_TOP = 4.0
"""Lower edge of the open last bin of the TVPI histogram."""

SIMULATION_STAGE: dict[Stage, str] = {
    Stage.pre_seed: "seed",
    Stage.seed: "seed",
    Stage.series_a: "series_a",
    Stage.series_b: "series_b",
    Stage.series_c: "series_c",
    Stage.growth: "later",
}
"""The simulation stage in which a company enters at each plan stage (the simulation starts at seed, ends at later)."""

SEED_POST_MONEY = HTGF_2016_SEED_TICKET / HTGF_2016_SEED_OWNERSHIP
"""Post-money of a seed round implied by the HTGF 2016 terms: €600k for 15 % → €4m."""


@dataclass(frozen=True)
class JCurve:
    """Cumulative net cash flow (distributions − contributions) as a share of the commitment, per quarter."""

    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]


@dataclass(frozen=True)
class Histogram:
    """Counts of paths per bin: ``counts[i]`` in [edges[i], edges[i+1]), the last bin open to the right."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class InvestorOutcome:
    """The distribution of one investor class's outcome over paths (``kind`` "fund": all LPs together)."""

    name: str
    kind: str
    commitment: float
    irr: Percentiles
    xirr: Percentiles
    tvpi: Percentiles
    dpi: Percentiles
    rvpi: Percentiles
    loss_probability: float
    irr_undefined: int
    j_curve: JCurve
    tvpi_histogram: Histogram
    pme: Percentiles | None = None
    """KS-PME against the plan's ``simulation.benchmark_return`` (> 1: better than the index); None without one."""


@dataclass(frozen=True)
class Impact:
    """What the portfolio does in the region, per path: companies financed, follow-ons, write-offs, exits."""

    companies_financed: Percentiles
    follow_ons: Percentiles
    write_offs: Percentiles
    exits: Percentiles
    invested: Percentiles
    """Euros paid into companies over the life."""


@dataclass(frozen=True)
class Assumptions:
    """What the projection assumed beyond the plan's terms, for the reader (every default with its source)."""

    investable_capital: float
    lifetime_fees: float
    quarters: int
    investment_quarters: int
    companies_per_path: int
    entry: tuple[EntryStage, ...]
    reserve_ratio: float
    max_per_company: float
    stage_table: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Projection:
    """A projected fund plan: Monte-Carlo outcomes per investor class, the deterministic TA curve, leverage, impact."""

    plan: FundPlan
    paths: int
    seed: int
    dates: tuple[date, ...]
    assumptions: Assumptions
    takahashi: takahashi.TakahashiResult
    investors: tuple[InvestorOutcome, ...]
    leverage: Leverage
    impact: Impact
    clawback_probability: float
    """Share of paths in which the GP returns carry at the end (clawback > 0)."""

    def investor(self, name: str) -> InvestorOutcome:
        """The outcome of the class called ``name`` (or "fund")."""
        for outcome in self.investors:
            if outcome.name == name:
                return outcome
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (:func:`regiolens.plain.jsonable`: NaN as None, dates as ISO text)."""
        data: dict[str, Any] = jsonable(self)
        return data


def _stage_table(plan: FundPlan) -> StageTable:
    """The default (or conservative) stage table with the plan's overrides, each override named in its name."""
    settings = plan.simulation
    base = CONSERVATIVE_STAGE_TABLE if settings.stage_table == "conservative" else DEFAULT_STAGE_TABLE
    overrides: dict[str, dict[str, Any]] = {
        name: dict(table)
        for name, table in (
            ("graduation", settings.graduation),
            ("failure_share", settings.failure_share),
            ("dilution", settings.dilution),
            ("step_up", settings.step_up),
            ("years_in_stage", settings.years_in_stage),
        )
        if table
    }
    timing = base.exit_timing
    multiples = base.stages[0].exit_multiples
    if settings.exit_multiples:
        buckets = tuple(MultipleBucket(b.probability, b.low, b.high) for b in settings.exit_multiples)
        multiples = ExitMultiples(buckets, tail_alpha=None, source="plan")
    if settings.exit_median_years is not None or settings.exit_sigma_log is not None:
        timing = ExitTiming(
            settings.exit_median_years or timing.median_years,
            timing.sigma_log if settings.exit_sigma_log is None else settings.exit_sigma_log,
            source="plan",
        )
    changed = [*overrides, *(["exit_multiples"] if settings.exit_multiples else [])]
    changed += ["exit_timing"] if timing is not base.exit_timing else []
    if not changed:
        return base
    current: dict[str, dict[str, Any]] = {
        "graduation": {s.name: s.graduation for s in base.stages},
        "failure_share": {s.name: s.failure / (1 - s.graduation) if s.graduation < 1 else 0.0 for s in base.stages},
        "dilution": {s.name: s.dilution for s in base.stages},
        "step_up": {s.name: s.step_up for s in base.stages},
        "years_in_stage": {s.name: s.years_in_stage for s in base.stages},
    }
    merged: dict[str, Any] = {key: current[key] | overrides.get(key, {}) for key in current}
    return stage_table(
        merged["graduation"],
        failure_share=merged["failure_share"],
        dilution=merged["dilution"],
        step_up=merged["step_up"],
        years_in_stage=merged["years_in_stage"],
        exit_multiples=multiples,
        exit_timing=timing,
        name=f"{base.name}; overridden by the plan: {', '.join(changed)}",
    )


def _ownership(stage: Stage, ticket: float) -> float:
    """Equity bought with ``ticket`` at ``stage``: ticket / post-money, the post-money from the HTGF seed round
    (€4m) times Monaco's step-ups up to the stage (pre-seed counted as seed)."""
    post = SEED_POST_MONEY
    for name in STAGES[1 : STAGES.index(SIMULATION_STAGE[stage]) + 1]:
        post *= MONACO_STEP_UP[name]
    return min(1.0, ticket / post)


def entry_stages(plan: FundPlan) -> tuple[EntryStage, ...]:
    """The simulation's entry stages from the plan's tickets and :class:`~regiolens.fund.terms.SimulationSettings`.

    Stages are merged where two plan stages enter the same simulation stage (pre-seed and seed): shares add up,
    ticket and ownership are share-weighted means.
    """
    settings = plan.simulation
    tickets = plan.investment.tickets
    shares = dict(settings.entry_shares) or {stage: 1 / len(tickets) for stage in tickets}
    merged: dict[str, list[tuple[float, float, float]]] = {}
    for stage, share in shares.items():
        if share == 0:
            continue
        ownership = settings.ownership.get(stage) or _ownership(stage, tickets[stage])
        merged.setdefault(SIMULATION_STAGE[stage], []).append((share, tickets[stage], ownership))
    entries = []
    for name, parts in merged.items():
        total = sum(share for share, _, _ in parts)
        entries.append(
            EntryStage(
                stage=name,
                share=total,
                ticket=sum(share * ticket for share, ticket, _ in parts) / total,
                ownership=sum(share * own for share, _, own in parts) / total,
            )
        )
    return tuple(entries)


def portfolio_assumptions(plan: FundPlan) -> tuple[PortfolioAssumptions, float]:
    """The simulation's assumptions for ``plan`` and the lifetime fees they were netted of (module docstring)."""
    quarters = math.ceil(plan.life_years / PERIOD_YEARS - 1e-9)
    investment_quarters = max(1, math.floor(plan.investment_period_years / PERIOD_YEARS + 1e-9))
    on_commitment = {"basis_investment_period": "commitment", "basis_after": "commitment"}
    committed = plan.model_copy(update={"fees": plan.fees.model_copy(update=on_commitment)})
    lifetime_fees = float(management_fees(committed, quarters, PERIOD_YEARS).sum())
    assumptions = PortfolioAssumptions(
        investable_capital=plan.size - lifetime_fees,
        quarters=quarters,
        investment_quarters=investment_quarters,
        entry=entry_stages(plan),
        companies=plan.simulation.companies,
        reserve_ratio=plan.investment.follow_on_reserve_ratio,
        max_per_company=plan.investment.max_per_company or HTGF_2016_MAX_PER_COMPANY,
        stages=_stage_table(plan),
    )
    return assumptions, lifetime_fees


def _invested_basis(invested: np.ndarray) -> np.ndarray:
    """Invested capital at the start of each quarter: what was paid into companies before it."""
    cumulative = np.cumsum(invested, axis=-1)
    return np.concatenate([np.zeros_like(cumulative[..., :1]), cumulative[..., :-1]], axis=-1)


def _outcome(name: str, kind: str, commitment: float, metrics: PathMetrics) -> InvestorOutcome:
    band = np.nanpercentile(metrics.j_curve / commitment, J_CURVE_PERCENTILES, axis=0)
    tvpi = metrics.tvpi[~np.isnan(metrics.tvpi)]
    edges = np.arange(0.0, TVPI_TOP + TVPI_BIN / 2, TVPI_BIN)
    counts = np.bincount(np.minimum((tvpi / TVPI_BIN).astype(np.int64), len(edges) - 1), minlength=len(edges))
    assert metrics.xirr is not None
    return InvestorOutcome(
        name=name,
        kind=kind,
        commitment=commitment,
        irr=percentiles(metrics.irr),
        xirr=percentiles(metrics.xirr),
        tvpi=percentiles(metrics.tvpi),
        dpi=percentiles(metrics.dpi),
        rvpi=percentiles(metrics.rvpi),
        loss_probability=float((tvpi < 1).mean()) if len(tvpi) else float("nan"),
        irr_undefined=int(np.isnan(metrics.irr).sum()),
        j_curve=JCurve(*(tuple(float(x) for x in row) for row in band)),
        tvpi_histogram=Histogram(
            edges=tuple(float(e) for e in np.append(edges, TVPI_TOP + TVPI_BIN)),
            counts=tuple(int(c) for c in counts),
        ),
        pme=None if metrics.pme is None else percentiles(metrics.pme),
    )


def project(plan: FundPlan, *, paths: int = 10_000, seed: int = 1) -> Projection:
    """Project ``plan`` over ``paths`` simulated portfolio histories (steps in the module docstring)."""
    if not 1 <= paths <= MAX_PATHS:
        raise ValueError(f"paths must be between 1 and {MAX_PATHS:,}")
    assumptions, lifetime_fees = portfolio_assumptions(plan)
    portfolio: PortfolioPaths = simulate_portfolio(assumptions, paths=paths, seed=seed)
    quarters = assumptions.quarters
    fees = management_fees(plan, quarters, PERIOD_YEARS, invested=_invested_basis(portfolio.invested))
    calls = portfolio.invested + fees
    fund = european_waterfall(calls, portfolio.proceeds, plan.waterfall, PERIOD_YEARS, nav=portfolio.nav)
    split = split_classes(plan.classes, plan.structure, calls, fund.lp, fund.lp_nav, PERIOD_YEARS)
    dates = tuple(period_dates(plan.first_close, quarters, PERIOD_YEARS))
    benchmark = plan.simulation.benchmark_return
    index = None if benchmark is None else (1.0 + benchmark) ** (np.arange(quarters) * PERIOD_YEARS)
    investors = [
        _outcome(flows.name, flows.kind.value, flows.commitment, class_metrics(flows, PERIOD_YEARS, dates, index))
        for flows in split.classes
    ]
    investors.append(
        _outcome("fund", "fund", plan.size, path_metrics(calls, fund.lp, fund.lp_nav, PERIOD_YEARS, dates, index))
    )
    invested = portfolio.invested.sum(axis=1)
    return Projection(
        plan=plan,
        paths=paths,
        seed=seed,
        dates=dates,
        assumptions=Assumptions(
            investable_capital=assumptions.investable_capital,
            lifetime_fees=lifetime_fees,
            quarters=quarters,
            investment_quarters=assumptions.investment_quarters,
            companies_per_path=assumptions.companies_per_path,
            entry=assumptions.entry,
            reserve_ratio=assumptions.reserve_ratio,
            max_per_company=assumptions.max_per_company,
            stage_table=assumptions.stages.name,
            sources=(assumptions.stages.stages[0].exit_multiples.source, assumptions.stages.exit_timing.source),
        ),
        takahashi=takahashi.project(plan.takahashi, plan.size),
        investors=tuple(investors),
        leverage=leverage(plan.classes, invested=float(np.median(invested))),
        impact=Impact(
            companies_financed=percentiles(portfolio.companies_financed),
            follow_ons=percentiles(portfolio.follow_ons),
            write_offs=percentiles(portfolio.write_offs),
            exits=percentiles(portfolio.exits),
            invested=percentiles(invested),
        ),
        clawback_probability=float(np.mean(np.asarray(fund.clawback) > 0)),
    )


__all__ = [
    "Assumptions",
    "Histogram",
    "Impact",
    "InvestorKind",
    "InvestorOutcome",
    "JCurve",
    "Projection",
    "entry_stages",
    "portfolio_assumptions",
    "project",
]
