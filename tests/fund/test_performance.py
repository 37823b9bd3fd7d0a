"""Fund metrics per path and over paths: IRR/XIRR (pyxirr), multiples, J-curve, KS-PME, percentiles."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import pyxirr

from regiolens.fund.classes import split_classes
from regiolens.fund.performance import (
    class_metrics,
    path_metrics,
    percentiles,
    period_dates,
    split_metrics,
    summarise,
)
from regiolens.fund.takahashi import project
from regiolens.fund.terms import BuyoutOption, InvestorClass, InvestorKind, TakahashiParameters


def test_takahashi_base_case_through_the_metrics() -> None:
    ta = project(TakahashiParameters(), 100.0)
    m = path_metrics(ta.contributions, ta.distributions, ta.nav, period_years=1.0)
    assert m.irr == pytest.approx([0.13], abs=1e-9)
    assert (
        m.tvpi == pytest.approx([ta.tvpi]) and m.dpi == pytest.approx([ta.dpi]) and m.rvpi == pytest.approx([ta.rvpi])
    )
    assert m.j_curve[0] == pytest.approx(np.cumsum(ta.distributions - ta.contributions))
    assert m.j_curve[0].min() < 0 < m.j_curve[0][-1]  # the J


def test_xirr_with_dates_is_act_365f() -> None:
    # fund_methods.md §5.2: xirr([2020-01-01, 2021-01-01, 2022-01-01], [-1000, 750, 500]) = 0.175009 (ACT/365F;
    # ACT/365.25 would give a different result, see §5.6)
    dates = [date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1)]
    m = path_metrics(np.array([1000.0, 0, 0]), np.array([0.0, 750, 500]), np.zeros(3), 1.0, dates=dates)
    assert m.xirr is not None and m.xirr[0] == pytest.approx(0.175009, abs=1e-6)
    assert m.tvpi[0] == 1.25 and m.dpi[0] == 1.25 and m.rvpi[0] == 0


def test_quarterly_irr_is_annualised() -> None:
    calls, back = np.zeros(5), np.zeros(5)
    calls[0], back[4] = 100.0, 110.0  # 10 % after four quarters
    m = path_metrics(calls, back, np.zeros(5), period_years=0.25)
    assert m.irr[0] == pytest.approx(0.10, abs=1e-9)


def test_final_nav_counts_as_value() -> None:
    m = path_metrics(np.array([100.0, 0]), np.array([0.0, 50]), np.array([100.0, 60]), period_years=1.0)
    assert (m.dpi[0], m.rvpi[0], m.tvpi[0]) == pytest.approx((0.5, 0.6, 1.1))
    assert m.irr[0] == pytest.approx(0.10)


def test_ks_pme_by_hand() -> None:
    # (15·130/115 + 20) / (25·130/100) = 1.1371 (Kaplan & Schoar; the pyxirr example of §5.2)
    m = path_metrics(np.array([25.0, 0, 0]), np.array([0.0, 15, 0]), np.array([0.0, 0, 20]), 1.0, index=[100, 115, 130])
    assert m.pme is not None and m.pme[0] == pytest.approx((15 * 130 / 115 + 20) / (25 * 130 / 100))


def test_total_loss_has_irr_minus_100_percent_and_many_paths_at_once() -> None:
    calls = np.array([[100.0, 0, 0], [100.0, 0, 0], [100.0, 0, 0]])
    back = np.array([[0.0, 0, 0], [0.0, 50, 60], [0.0, 0, 121]])
    m = path_metrics(calls, back, np.zeros((3, 3)), period_years=1.0, dates=period_dates(date(2026, 1, 1), 3, 1.0))
    assert m.irr[0] == -1.0 and m.xirr is not None and m.xirr[0] == -1.0
    assert m.irr[2] == pytest.approx(0.10)
    assert m.tvpi == pytest.approx([0.0, 1.1, 1.21])


def test_summary_percentiles_and_probability_of_loss() -> None:
    tvpi = np.linspace(0.0, 2.0, 101)  # 50 paths below 1
    calls = np.zeros((101, 2))
    calls[:, 0] = 100.0
    back = np.zeros((101, 2))
    back[:, 1] = 100.0 * tvpi
    summary = summarise(path_metrics(calls, back, np.zeros((101, 2)), period_years=1.0))
    assert summary.paths == 101 and summary.probability_of_loss == pytest.approx(50 / 101)
    assert (summary.tvpi.p5, summary.tvpi.p50, summary.tvpi.p95) == pytest.approx((0.1, 1.0, 1.9))
    assert summary.irr.p50 == pytest.approx(0.0, abs=1e-9) and summary.irr_undefined == 0
    assert summary.mean_tvpi == pytest.approx(1.0)
    assert len(summary.j_curve) == 2 and summary.j_curve[0].p50 == -100.0
    assert summary.xirr is None and summary.pme is None


def test_percentiles_ignore_nan_and_stay_nan_without_data() -> None:
    assert percentiles(np.array([np.nan, 1.0, 3.0])).p50 == 2.0
    assert np.isnan(percentiles(np.array([np.nan, np.nan])).p50)


def test_period_dates_step_in_whole_months() -> None:
    assert period_dates(date(2026, 1, 31), 3, 0.25) == [date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31)]
    assert period_dates(date(2024, 2, 29), 2, 1.0) == [date(2024, 2, 29), date(2025, 2, 28)]
    with pytest.raises(ValueError, match="months"):
        period_dates(date(2026, 1, 1), 2, 0.1)


def test_class_metrics_count_transfers() -> None:
    public = InvestorClass(name="Stadt", kind=InvestorKind.public, commitment=5e6)
    private = InvestorClass(name="Privat", kind=InvestorKind.private, commitment=5e6)
    calls, back, nav = np.array([10e6, 0, 0]), np.array([0, 0, 12e6]), np.array([10e6, 10.5e6, 0])
    split = split_classes((public, private), BuyoutOption(kind="buyout_option"), calls, back, nav, 1.0)
    metrics = split_metrics(split, period_years=1.0)
    assert metrics["Stadt"].irr[0] == pytest.approx(0.01)  # bought out at 1 % compound
    assert metrics["Privat"].tvpi[0] == pytest.approx(12e6 / 10.05e6)  # paid 5 m + 5.05 m, received 12 m
    assert class_metrics(split.classes[0], 1.0).tvpi[0] == pytest.approx(1.01)


def test_irr_from_the_guess_equals_pyxirr_default_on_fund_like_flows() -> None:
    # calls in the first 20 quarters, sparse distributions from quarter 16 on (one root per path where it exists)
    rng = np.random.default_rng(11)
    calls = np.zeros((300, 60))
    calls[:, :20] = rng.uniform(0.5e6, 2e6, (300, 20))
    back = np.zeros((300, 60))
    back[:, 16:] = rng.lognormal(12.5, 1.5, (300, 44)) * (rng.random((300, 44)) < 0.25)
    m = path_metrics(calls, back, np.zeros((300, 60)), period_years=0.25)
    reference = np.array([pyxirr.irr(row, silent=True) for row in back - calls], dtype=float)
    assert m.irr == pytest.approx((1 + reference) ** 4 - 1, abs=1e-9, nan_ok=True)
