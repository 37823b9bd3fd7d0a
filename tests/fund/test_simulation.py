from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import regiolens.metrics.stats as stats
from regiolens.fund.defaults import (
    ATAS_GRADUATION,
    CARTA_2018_GRADUATION,
    CONSERVATIVE_STAGE_TABLE,
    CORRELATION_VENTURES_2004_2013,
    DEFAULT_STAGE_TABLE,
    STAGES,
    ExitMultiples,
    ExitTiming,
    MultipleBucket,
    StageTable,
    stage_table,
)
from regiolens.fund.simulation import (
    EntryStage,
    PortfolioAssumptions,
    PortfolioPaths,
    sample_multiples,
    simulate_portfolio,
    simulate_portfolio_loop,
)

Simulate = Callable[..., PortfolioPaths]
BOTH = pytest.mark.parametrize("simulate", [simulate_portfolio, simulate_portfolio_loop], ids=["vectorised", "loop"])


def table(
    graduation: dict[str, float],
    failure_share: dict[str, float],
    *,
    multiple: float | None = None,
    years: tuple[float, float] = (1.0, 1.0),
    exit_years: float = 0.01,
    step_up: float = 2.0,
    dilution: float = 0.5,
) -> StageTable:
    """A stage table for hand-checkable cases: the same timing, step-up and dilution at every stage, exits at the end
    of the stage (exit timing far shorter than the stage), and a fixed exit ``multiple`` when given."""
    multiples = (
        CORRELATION_VENTURES_2004_2013
        if multiple is None
        else ExitMultiples((MultipleBucket(1.0, multiple, multiple),), source="test")
    )
    return stage_table(
        {s: graduation.get(s, 0.0) for s in STAGES},
        failure_share={s: failure_share.get(s, 1.0) for s in STAGES},
        dilution=dict.fromkeys(STAGES, dilution),
        step_up=dict.fromkeys(STAGES, step_up),
        years_in_stage=dict.fromkeys(STAGES, years),
        exit_multiples=multiples,
        exit_timing=ExitTiming(exit_years, 0.0),
    )


MIXED = PortfolioAssumptions(
    investable_capital=12_000_000,
    quarters=48,
    investment_quarters=16,
    entry=(EntryStage("seed", 0.7, 600_000, 0.15), EntryStage("series_a", 0.3, 1_500_000, 0.10)),
    companies=10,
    reserve_ratio=0.25,
    max_per_company=1_800_000,
)
"""Mixed entry stages, a reserve that runs out in most paths and a cap that binds often: every mechanism at work."""


def totals(r: PortfolioPaths) -> dict[str, np.ndarray]:
    """Per-path statistics compared between runs."""
    half = r.invested.shape[1] // 2
    return {
        "invested": r.invested.sum(axis=1),
        "invested_first_half": r.invested[:, :half].sum(axis=1),
        "proceeds": r.proceeds.sum(axis=1),
        "proceeds_second_half": r.proceeds[:, half:].sum(axis=1),
        "nav_mid": r.nav[:, half],
        "nav_end": r.nav[:, -1],
        "financed": r.companies_financed.astype(float),
        "follow_ons": r.follow_ons.astype(float),
        "write_offs": r.write_offs.astype(float),
        "exits": r.exits.astype(float),
    }


# ------------------------------------------------------------------------------------------------ reproducibility
def test_same_seed_gives_identical_arrays_and_another_seed_does_not() -> None:
    a, b, c = (simulate_portfolio(MIXED, paths=3_000, seed=s) for s in (7, 7, 8))
    for name in ("invested", "proceeds", "nav", "companies_financed", "follow_ons", "write_offs", "exits"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.proceeds, c.proceeds)
    assert not np.array_equal(a.invested, c.invested)


def test_result_does_not_depend_on_the_number_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = 20_000  # several blocks
    monkeypatch.setattr(stats, "WORKERS", 1)
    one = simulate_portfolio(MIXED, paths=paths, seed=3)
    monkeypatch.setattr(stats, "WORKERS", 2)
    two = simulate_portfolio(MIXED, paths=paths, seed=3)
    np.testing.assert_array_equal(one.nav, two.nav)
    np.testing.assert_array_equal(one.proceeds, two.proceeds)


def test_paths_are_distinct_across_blocks() -> None:
    r = simulate_portfolio(MIXED, paths=20_000, seed=5)
    # a history is almost surely unique (continuous times and multiples): repeated rows mean repeated random streams
    assert np.unique(np.c_[r.invested, r.proceeds], axis=0).shape[0] == 20_000


@BOTH
def test_loop_reference_is_reproducible(simulate: Simulate) -> None:
    a, b = simulate(MIXED, paths=300, seed=1), simulate(MIXED, paths=300, seed=1)
    np.testing.assert_array_equal(a.nav, b.nav)
    assert not np.array_equal(a.nav, simulate(MIXED, paths=300, seed=2).nav)


# ------------------------------------------------------------------------------------------------ convergence
def test_percentiles_converge_as_one_over_root_n() -> None:
    """The spread of P50 and P90 of the gross multiple over 20 independent seeds shrinks as 1/√n.

    Expected ratios of the spreads: 0.5 from 1,000 to 4,000 paths and 0.25 from 1,000 to 16,000. With 20 seeds a
    spread is known to about ±16 %, so the bounds (a factor 2 either way) hold with a wide margin; an
    implementation whose paths are not independent (spread not shrinking) or whose percentiles do not settle fails.
    """
    sizes, seeds = (1_000, 4_000, 16_000), range(20)
    pct = {
        n: np.array(
            [np.percentile(simulate_portfolio(MIXED, paths=n, seed=s).gross_multiple(), [50, 90]) for s in seeds]
        )
        for n in sizes
    }
    spread = {n: pct[n].std(axis=0, ddof=1) for n in sizes}
    for k in range(2):  # P50, P90
        assert spread[1_000][k] > spread[4_000][k] > spread[16_000][k] > 0
        assert 0.25 < spread[4_000][k] / spread[1_000][k] < 1.0
        assert 0.125 < spread[16_000][k] / spread[1_000][k] < 0.5
        # and they settle on the same value: the means at 1,000 and 16,000 paths agree within their errors
        se = math.hypot(spread[1_000][k], spread[16_000][k]) / math.sqrt(len(seeds))
        assert abs(pct[1_000][:, k].mean() - pct[16_000][:, k].mean()) < 4 * se


# ------------------------------------------------------------------------------------------------ vectorised = loop
@pytest.mark.parametrize(
    "assumptions",
    [
        MIXED,
        PortfolioAssumptions(
            investable_capital=9_000_000,
            quarters=40,
            investment_quarters=12,
            companies=6,
            stages=CONSERVATIVE_STAGE_TABLE,
        ),
    ],
    ids=["binding-reserve-and-cap", "ample-reserve-conservative"],
)
def test_vectorised_and_loop_agree_in_means(assumptions: PortfolioAssumptions) -> None:
    v = totals(simulate_portfolio(assumptions, paths=20_000, seed=21))
    loop = totals(simulate_portfolio_loop(assumptions, paths=2_000, seed=22))
    for name in v:
        x, y = v[name], loop[name]
        se = math.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
        assert abs(x.mean() - y.mean()) < 4 * se + 1e-9 * abs(x.mean()), name


# ------------------------------------------------------------------------------------------------ conservation
@BOTH
def test_invested_never_exceeds_capital_and_follow_ons_never_the_reserve(simulate: Simulate) -> None:
    a = PortfolioAssumptions(investable_capital=10_000_000, quarters=48, investment_quarters=16, reserve_ratio=0.3)
    assert a.companies_per_path == 11  # 6.6 m of the initial pool of 7 m
    r = simulate(a, paths=2_000, seed=4)
    invested = r.invested.sum(axis=1)
    follow_ons = invested - 600_000 * r.companies_financed
    assert np.all(r.companies_financed == 11)
    assert np.all(invested <= a.investable_capital * (1 + 1e-12))
    assert np.all(follow_ons <= a.reserve * (1 + 1e-12))
    assert np.all(r.invested >= 0) and np.all(r.proceeds >= 0) and np.all(r.nav >= 0)
    assert np.mean(np.isclose(follow_ons, a.reserve, rtol=1e-12)) > 0.2  # the reserve runs out in many paths


@BOTH
def test_never_more_than_max_per_company(simulate: Simulate) -> None:
    one = PortfolioAssumptions(
        investable_capital=10_000_000,
        quarters=60,
        investment_quarters=4,
        entry=(EntryStage("seed", 1.0, 600_000, 0.15),),
        companies=1,
        max_per_company=1_500_000,
    )
    invested = simulate(one, paths=3_000, seed=9).invested.sum(axis=1)
    assert np.all(invested <= 1_500_000 * (1 + 1e-12))
    assert np.mean(np.isclose(invested, 1_500_000, rtol=1e-12)) > 0.02  # the cap binds in some paths


@BOTH
def test_initial_tickets_stop_at_the_first_that_does_not_fit(simulate: Simulate) -> None:
    """Initial pool 1,000 k, tickets 300 k or 700 k (½ each), no follow-ons (all fail). Financing stops at the first
    ticket that does not fit: P(1 company) = P(700, 700) = ¼, P(3) = P(300, 300, 300) = ⅛; were a later, smaller
    ticket taken instead, P(1) would be ½ · (½)⁴."""
    a = PortfolioAssumptions(
        investable_capital=2_000_000,
        quarters=20,
        investment_quarters=8,
        entry=(EntryStage("seed", 0.5, 300_000, 0.1), EntryStage("series_a", 0.5, 700_000, 0.1)),
        companies=5,
        max_per_company=700_000,
        stages=table({}, {}),
    )
    r = simulate(a, paths=4_000, seed=2)
    assert np.all(r.invested.sum(axis=1) <= a.initial_pool)
    assert set(np.unique(r.companies_financed)) == {1, 2, 3}
    for k, p in ((1, 0.25), (3, 0.125)):
        assert abs(np.mean(r.companies_financed == k) - p) < 4 * math.sqrt(p * (1 - p) / 4_000)


# ------------------------------------------------------------------------------------------------ no look-ahead
@BOTH
def test_reserve_goes_to_the_first_company_to_graduate_whatever_its_outcome(simulate: Simulate) -> None:
    """Two seed companies (ticket 100 for 10 %, post-money 1,000) both graduate to Series A one year after entry;
    the round (post 4,000, dilution 50 %) asks for a pro-rata of 0.1 · 0.5 · 4,000 = 200, and the reserve holds
    exactly 200. At Series A each company fails or exits at 1× after one more year, with probability ½.

    Without look-ahead the first to graduate (the first to enter) gets the 200 and keeps 10 % (an exit pays 400),
    the second is diluted to 5 % (an exit pays 200), whatever their outcomes. A look-ahead implementation would
    give the reserve to the company that is going to exit; splitting the reserve would pay 300 each.
    """
    a = PortfolioAssumptions(
        investable_capital=400,
        quarters=40,
        investment_quarters=20,
        entry=(EntryStage("seed", 1.0, 100, 0.1),),
        companies=2,
        reserve_ratio=0.5,
        max_per_company=1_000,
        stages=table({"seed": 1.0}, {"series_a": 0.5}, multiple=1.0, step_up=4.0),
    )
    r = simulate(a, paths=4_000, seed=6)
    first = np.argmax(r.invested > 0, axis=1)  # entry quarter of the first company
    rows = np.arange(r.invested.shape[0])
    separate = r.invested[rows, first] == 100  # the second company entered in a later quarter
    assert separate.mean() > 0.9
    np.testing.assert_allclose(r.invested.sum(axis=1), 400)
    rows, first = rows[separate], first[separate]
    assert np.all(r.invested[rows, first + 4] >= 200)  # the follow-on, paid when the first company graduates
    first_exit = r.proceeds[rows, first + 8]
    assert set(np.unique(first_exit)) == {0.0, 400.0}
    later = r.proceeds[rows].copy()
    later[np.arange(rows.size), first + 8] = 0.0
    assert set(np.unique(later)) == {0.0, 200.0}
    # the first company's outcome is independent of getting the reserve: it exits in about half of the paths
    assert abs((first_exit == 400).mean() - 0.5) < 4 * math.sqrt(0.25 / rows.size)


# ------------------------------------------------------------------------------------------------ hand-checkable
@BOTH
def test_all_companies_fail(simulate: Simulate) -> None:
    a = PortfolioAssumptions(
        investable_capital=10_000_000,
        quarters=24,
        investment_quarters=8,
        companies=5,
        stages=table({}, {}, years=(1.0, 2.0)),
    )
    r = simulate(a, paths=500, seed=3)
    assert np.all(r.companies_financed == 5) and np.all(r.write_offs == 5)
    assert np.all(r.exits == 0) and np.all(r.follow_ons == 0)
    assert np.all(r.proceeds == 0)
    np.testing.assert_array_equal(r.nav[:, -1], 0.0)
    np.testing.assert_array_equal(r.invested.sum(axis=1), 5 * 600_000)
    np.testing.assert_array_equal(r.gross_multiple(), 0.0)


@BOTH
def test_deterministic_exit_multiple_returns_invested_times_multiple(simulate: Simulate) -> None:
    a = PortfolioAssumptions(
        investable_capital=10_000_000,
        quarters=48,
        investment_quarters=8,
        companies=5,
        stages=table({}, {"seed": 0.0}, multiple=2.5, exit_years=7.0),
    )
    r = simulate(a, paths=500, seed=3)
    assert np.all(r.exits == 5)
    np.testing.assert_allclose(r.proceeds.sum(axis=1), 2.5 * r.invested.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(r.gross_multiple(), 2.5, rtol=1e-12)
    # exits 7 years (28 quarters) after entry: nothing before quarter 28, all by 28 + 8
    assert np.all(r.proceeds[:, :28] == 0) and np.all(r.nav[:, 36:] == 0)


@BOTH
@pytest.mark.parametrize(("cap", "follow_on", "ownership"), [(1_000, 100, 0.1), (150, 50, 0.075)])
def test_nav_marks_at_cost_then_at_the_round_then_writes_off(
    simulate: Simulate, cap: float, follow_on: float, ownership: float
) -> None:
    """Ticket 100 for 10 % (post 1,000) in quarter 0; Series A one year later at post 2,000 selling 50 %: pro-rata
    0.1 · 0.5 · 2,000 = 100 (or what the cap of 150 leaves, 50: ownership 0.05 + 50/2,000 = 0.075); failure a year
    after that."""
    a = PortfolioAssumptions(
        investable_capital=1_000,
        quarters=12,
        investment_quarters=1,
        entry=(EntryStage("seed", 1.0, 100, 0.1),),
        companies=1,
        max_per_company=cap,
        stages=table({"seed": 1.0}, {}),
    )
    r = simulate(a, paths=50, seed=0)
    invested = np.zeros(12)
    invested[[0, 4]] = 100, follow_on
    nav = np.r_[[100.0] * 4, [ownership * 2_000] * 4, [0.0] * 4]
    np.testing.assert_allclose(r.invested, np.broadcast_to(invested, (50, 12)), rtol=1e-12)
    np.testing.assert_allclose(r.nav, np.broadcast_to(nav, (50, 12)), rtol=1e-12)
    assert np.all(r.follow_ons == 1) and np.all(r.write_offs == 1)


@BOTH
def test_companies_still_held_at_the_end_stay_in_the_nav(simulate: Simulate) -> None:
    a = PortfolioAssumptions(
        investable_capital=1_000,
        quarters=6,
        investment_quarters=1,
        entry=(EntryStage("seed", 1.0, 100, 0.1),),
        companies=1,
        stages=table({"seed": 1.0}, {}),
    )
    r = simulate(a, paths=10, seed=0)
    np.testing.assert_allclose(r.nav[:, -1], 200.0)  # marked at the Series A round, fails only in quarter 8
    assert np.all(r.write_offs == 0) and np.all(r.exits == 0)


# ------------------------------------------------------------------------------------------------ distributions
def test_exit_multiples_follow_the_correlation_buckets() -> None:
    spec = CORRELATION_VENTURES_2004_2013
    m = sample_multiples(np.random.default_rng(0), spec, 400_000)
    for b in spec.buckets:
        inside = ((m >= b.low) & (m < b.high)).mean() if b.high < 150 else (m >= b.low).mean()
        assert abs(inside - b.probability) < 4 * math.sqrt(b.probability * (1 - b.probability) / m.size)
    assert m.min() >= 0 and m.max() <= 150
    assert abs(m.mean() - spec.mean) < 4 * m.std() / math.sqrt(m.size)


def test_truncated_pareto_tail_matches_its_distribution_function() -> None:
    spec = ExitMultiples((MultipleBucket(1.0, 20.0, 150.0),), tail_alpha=2.0)
    m = sample_multiples(np.random.default_rng(1), spec, 200_000)
    for x in (25.0, 40.0, 80.0):  # P(M ≤ x) = (1 − (20/x)²) / (1 − (20/150)²)
        expected = (1 - (20 / x) ** 2) / (1 - (20 / 150) ** 2)
        assert abs((m <= x).mean() - expected) < 4 * math.sqrt(expected * (1 - expected) / m.size)


# ------------------------------------------------------------------------------------------------ defaults, inputs
def test_default_tables_carry_the_published_numbers() -> None:
    seed, a, b, c, later = DEFAULT_STAGE_TABLE.stages
    assert (seed.graduation, a.graduation, b.graduation, c.graduation) == (0.644, 0.405, 0.302, 0.258)
    assert math.isclose(seed.failure, 0.356 * 0.7) and math.isclose(seed.exit, 0.356 * 0.3)
    assert later.graduation == 0 and math.isclose(later.failure, 0.5)
    assert a.dilution == 0.22 and math.isclose(a.step_up, 70 / 30) and seed.years_in_stage == (1.0, 2.0)
    assert DEFAULT_STAGE_TABLE.exit_timing.median_years == 7.0
    conservative = [s.graduation for s in CONSERVATIVE_STAGE_TABLE.stages]
    assert conservative == [ATAS_GRADUATION[s] for s in STAGES] == [0.33, 0.48, 0.43, 0.258, 0.0]
    assert CARTA_2018_GRADUATION["series_c"] == ATAS_GRADUATION["series_c"]
    assert 2.2 < CORRELATION_VENTURES_2004_2013.mean < 2.35


def test_companies_are_derived_from_the_initial_pool() -> None:
    a = PortfolioAssumptions(investable_capital=40_000_000, quarters=48, investment_quarters=20)
    assert a.companies_per_path == math.floor(20_000_000 / 600_000) == 33
    r = simulate_portfolio(a, paths=10, seed=0)
    assert np.all(r.companies_financed == 33)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entry": (EntryStage("seed", 0.6, 600_000, 0.15),)}, "sum to 1"),
        ({"entry": (EntryStage("pre_seed", 1.0, 600_000, 0.15),)}, "unknown stage"),
        ({"entry": (EntryStage("seed", 1.0, 3_000_000, 0.15),)}, "ticket ≤ max_per_company"),
        ({"investment_quarters": 70}, "investment_quarters"),
        ({"reserve_ratio": 1.0}, "reserve_ratio"),
        ({"investable_capital": 1_000_000}, "initial pool"),
    ],
)
def test_bad_assumptions_are_refused(changes: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"investable_capital": 40_000_000, "quarters": 60, "investment_quarters": 20} | changes
    with pytest.raises(ValueError, match=message):
        PortfolioAssumptions(**args)


def test_stage_probabilities_must_sum_to_one() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        stage_table({**CARTA_2018_GRADUATION, "seed": 1.2})
    with pytest.raises(ValueError, match="cannot graduate"):
        stage_table({**CARTA_2018_GRADUATION, "later": 0.1})
