"""The European waterfall on cases computed by hand (fund_methods.md §5.5), its invariants, and management fees."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.fund.terms import ManagementFee, WaterfallTerms, parse_plan
from regiolens.fund.waterfall import european_waterfall, management_fees

from .test_terms import MINIMAL

K = 1_000_000.0
TERMS = WaterfallTerms(hurdle_rate=0.08, carry_rate=0.20, catch_up=1.0)


def one_period(proceeds: float, catch_up: float = 1.0) -> tuple[float, float]:
    """§5.5 with a one-period hurdle: K paid in at period 0, proceeds at period 1, one year later.

    The pref then accrues for exactly one year: H = K·((1 + 8 %)^1 − 1) = 80,000, compound or simple alike.
    """
    result = european_waterfall(
        np.array([K, 0.0]), np.array([0.0, proceeds]), TERMS.model_copy(update={"catch_up": catch_up}), 1.0
    )
    assert result.lp[0] == result.gp[0] == 0 and result.clawback == 0
    return float(result.lp[1]), float(result.gp[1])


@pytest.mark.parametrize(
    ("proceeds", "catch_up", "lp", "gp"),
    [
        (1_000_000, 1.0, 1_000_000, 0),  # capital back only
        (1_030_000, 1.0, 1_030_000, 0),  # part of the pref
        (1_080_000, 1.0, 1_080_000, 0),  # hurdle exactly reached
        # catch-up tier X = k·H/(c − k) = 0.2·80,000/0.8 = 20,000 (c = 100 %) or 16,000/0.3 = 53,333.33 (c = 50 %)
        (1_090_000, 1.0, 1_080_000, 10_000),  # catch-up partly reached: GP gets all 10,000 above the hurdle
        (1_100_000, 0.5, 1_090_000, 10_000),  # partly, c = 50 %: GP half of the 20,000 above the hurdle
        (1_200_000, 1.0, 1_160_000, 40_000),  # catch-up full (20,000), then 20 % of 100,000 → 40,000 = 20 % of profit
        (1_200_000, 0.5, 1_160_000, 40_000),  # 26,666.67 in the catch-up + 20 % of 66,666.67 = 40,000
        (1_500_000, 1.0, 1_400_000, 100_000),  # fully reached: GP = 20 % of the 500,000 profit
        (1_500_000, 0.0, 1_416_000, 84_000),  # no catch-up: 20 % of the 420,000 above the hurdle
    ],
)
def test_hand_computed_cases(proceeds: float, catch_up: float, lp: float, gp: float) -> None:
    got_lp, got_gp = one_period(proceeds, catch_up)
    assert got_lp == pytest.approx(lp, abs=0.005)
    assert got_gp == pytest.approx(gp, abs=0.005)


def test_paths_are_computed_at_once_and_alike() -> None:
    proceeds = np.array([1.0e6, 1.08e6, 1.09e6, 1.2e6, 1.5e6])
    flows = np.zeros((5, 2))
    flows[:, 1] = proceeds
    calls = np.zeros((5, 2))
    calls[:, 0] = K
    result = european_waterfall(calls, flows, TERMS)
    assert result.gp.shape == (5, 2) and np.asarray(result.clawback).shape == (5,)
    assert result.gp[:, 1] == pytest.approx([one_period(p)[1] for p in proceeds])


def test_multi_period_compound_by_hand() -> None:
    # Annual periods, 8 % compound on unreturned capital U plus unpaid pref A:
    # t0: call 600,000                     U = 600,000    A = 0
    # t1: call 400,000                     A = 0.08·600,000 = 48,000;                 U = 1,000,000
    # t2: proceeds 500,000                 A = 48,000 + 0.08·1,048,000 = 131,840;    ROC 500,000 → U = 500,000
    # t3: proceeds 1,000,000               A = 131,840 + 0.08·631,840 = 182,387.20
    #     ROC 500,000, pref 182,387.20, rest 317,612.80; profit so far 182,387.20
    #     catch-up X = 0.2·182,387.20/0.8 = 45,596.80 → GP; rest 272,016 → GP 54,403.20, LP 217,612.80
    #     GP = 100,000 = 20 % of the 500,000 profit; LP at t3 = 900,000
    calls = np.array([600_000.0, 400_000, 0, 0])
    result = european_waterfall(calls, np.array([0.0, 0, 500_000, 1_000_000]), TERMS)
    assert result.lp == pytest.approx([0, 0, 500_000, 900_000], abs=0.005)
    assert result.gp == pytest.approx([0, 0, 0, 100_000], abs=0.005)
    # with 700,000 at t3 the catch-up is only partly reached: 700,000 − 682,387.20 = 17,612.80 to the GP
    partly = european_waterfall(calls, np.array([0.0, 0, 500_000, 700_000]), TERMS)
    assert partly.gp[3] == pytest.approx(17_612.80, abs=0.005)
    assert partly.lp[3] == pytest.approx(682_387.20, abs=0.005)


def test_multi_period_simple_by_hand() -> None:
    # Simple: A grows by 8 % of U only. t1 A = 48,000; t2 A = 48,000 + 80,000 = 128,000, U → 500,000;
    # t3 A = 128,000 + 40,000 = 168,000; proceeds 700,000: ROC 500,000, pref 168,000, catch-up 32,000 (< 42,000)
    simple = TERMS.model_copy(update={"hurdle_compounding": "simple"})
    calls = np.array([600_000.0, 400_000, 0, 0])
    result = european_waterfall(calls, np.array([0.0, 0, 500_000, 700_000]), simple)
    assert result.gp == pytest.approx([0, 0, 0, 32_000], abs=0.005)
    full = european_waterfall(calls, np.array([0.0, 0, 500_000, 1_000_000]), simple)
    assert full.gp[3] == pytest.approx(100_000, abs=0.005)  # 42,000 catch-up + 20 % of 290,000


def test_quarterly_hurdle_accrues_per_period() -> None:
    # four quarters of compounding at (1.08)^0.25 equal one year at 8 %
    calls, proceeds = np.zeros(5), np.zeros(5)
    calls[0], proceeds[4] = K, 1_080_000
    result = european_waterfall(calls, proceeds, TERMS, period_years=0.25)
    assert result.gp.sum() == pytest.approx(0, abs=0.005)
    proceeds[4] = 1_090_000
    assert european_waterfall(calls, proceeds, TERMS, period_years=0.25).gp[4] == pytest.approx(10_000, abs=0.005)


def test_clawback_when_capital_is_called_after_carry_was_paid() -> None:
    # t0 call 1 m; t1 proceeds 1.5 m → GP 100,000 carry; t2 call 1 m more, which is lost.
    # Whole fund: paid in 2 m, got 1.5 m back: no profit, so the GP returns its 100,000 at the end.
    result = european_waterfall(np.array([K, 0, K, 0]), np.array([0.0, 1.5e6, 0, 0]), TERMS)
    assert result.gp == pytest.approx([0, 100_000, 0, -100_000], abs=0.005)
    assert result.lp == pytest.approx([0, 1_400_000, 0, 100_000], abs=0.005)
    assert result.clawback == pytest.approx(100_000, abs=0.005)


def test_nav_split_is_a_hypothetical_liquidation() -> None:
    result = european_waterfall(np.array([K, 0.0]), np.array([0.0, 0.0]), TERMS, nav=np.array([K, 1.5e6]))
    assert result.lp_nav == pytest.approx([K, 1_400_000]) and result.gp_nav == pytest.approx([0, 100_000])


amounts = arrays(np.float64, st.integers(2, 12), elements=st.floats(0, 1e9, allow_subnormal=False))


@settings(max_examples=200, deadline=None)
@given(calls=amounts, proceeds=amounts, catch_up=st.sampled_from([0.0, 0.5, 1.0]), simple=st.booleans())
def test_proceeds_are_split_to_the_cent(calls: np.ndarray, proceeds: np.ndarray, catch_up: float, simple: bool) -> None:
    n = min(len(calls), len(proceeds))
    calls, proceeds = calls[:n], proceeds[:n]
    terms = TERMS.model_copy(update={"catch_up": catch_up, "hurdle_compounding": "simple" if simple else "compound"})
    result = european_waterfall(calls, proceeds, terms, nav=proceeds[::-1].copy())
    assert np.abs(result.lp + result.gp - proceeds).max() < 0.005
    assert np.abs(result.lp_nav + result.gp_nav - proceeds[::-1]).max() < 0.005
    assert (result.lp >= 0).all() and (result.gp[:-1] >= 0).all() and (result.gp_nav >= 0).all()
    profit = result.lp.sum() + result.gp.sum() - calls.sum()
    assert result.gp.sum() <= 0.2 * max(profit, 0) + 0.005  # never more than the carry of the whole fund


@settings(max_examples=200, deadline=None)
@given(capital=st.floats(1, 1e9), proceeds=amounts)
def test_no_clawback_without_later_calls(capital: float, proceeds: np.ndarray) -> None:
    calls = np.zeros_like(proceeds)
    calls[0] = capital
    result = european_waterfall(calls, proceeds, TERMS, period_years=0.25)
    assert result.clawback < 0.005  # zero but for float rounding of amounts up to 10⁹
    profit_so_far = np.cumsum(result.lp + result.gp) - capital
    assert (np.cumsum(result.gp) <= 0.2 * np.maximum(profit_so_far, 0) + 0.005).all()  # at every date


def test_negative_or_mismatched_flows_are_refused() -> None:
    with pytest.raises(ValueError, match="≥ 0"):
        european_waterfall(np.array([1.0, -1.0]), np.array([0.0, 0.0]), TERMS)
    with pytest.raises(ValueError, match="shape"):
        european_waterfall(np.array([1.0]), np.array([0.0, 0.0]), TERMS)


def test_management_fee_schedule_steps_down_after_the_investment_period() -> None:
    plan = parse_plan(MINIMAL.replace("investment_period_years = 4", "investment_period_years = 5"))
    fees = management_fees(plan, periods=60, period_years=0.25)  # 15 years of quarters, life 12
    assert fees[:20] == pytest.approx([0.02 * 10e6 / 4] * 20)  # 50,000 a quarter on commitment
    assert fees[20:48] == pytest.approx([0.015 * 10e6 / 4] * 28)  # 37,500 after the investment period
    assert (fees[48:] == 0).all()
    # a period straddling the end of the investment period is charged pro rata: year 4.5 of annual periods
    half = parse_plan(MINIMAL.replace("investment_period_years = 4", "investment_period_years = 4.5"))
    assert management_fees(half, 6, 1.0)[4] == pytest.approx(10e6 * (0.5 * 0.02 + 0.5 * 0.015))


def test_management_fee_on_invested_capital_after_the_investment_period() -> None:
    plan = parse_plan(MINIMAL).model_copy(update={"fees": ManagementFee(basis_after="invested", rate_after=0.02)})
    invested = np.array([[1e6, 2e6, 3e6, 4e6, 5e6, 6e6], [0, 0, 0, 0, 0, 0]])
    fees = management_fees(plan, 6, 1.0, invested=invested)
    assert fees[0] == pytest.approx([2e5, 2e5, 2e5, 2e5, 0.02 * 5e6, 0.02 * 6e6])
    assert fees[1] == pytest.approx([2e5, 2e5, 2e5, 2e5, 0, 0])
    with pytest.raises(ValueError, match="invested"):
        management_fees(plan, 6, 1.0)
