"""The Takahashi-Alexander model reproduces its published VC base case; calibration of bow and growth."""

from __future__ import annotations

import numpy as np
import pytest

from regiolens.fund.takahashi import CalibrationError, calibrate_bow, calibrate_growth, jeet_bow, project
from regiolens.fund.terms import TakahashiParameters

VC_BASE = TakahashiParameters()  # G 13 %, L 12, RC 25/33.3/50 %, B 2.5, Y 0


def test_vc_base_case_reproduces_the_published_example() -> None:
    # fund_methods.md §3.1 "Verification" (study guide table), CC = 100
    result = project(VC_BASE, commitment=100.0)
    assert result.contributions[:5] == pytest.approx([25, 25, 25, 12.5, 6.25])
    assert result.paid_in == pytest.approx(99.95, abs=0.005)
    published = [0, 0.32, 1.87, 6.01, 12.69, 21.33, 30.09, 35.78, 35.01, 26.69, 14.19, 4.01]
    assert np.round(result.distributions, 2).tolist() == published
    assert result.distributions.sum() == pytest.approx(187.99, abs=0.005)
    assert result.nav.max() == pytest.approx(106.8, abs=0.05) and int(result.nav.argmax()) + 1 == 5
    assert result.nav[-1] == pytest.approx(0.049, abs=0.0005)
    assert result.tvpi == pytest.approx(1.881, abs=0.0005)
    assert round(result.irr, 4) == 0.13  # IRR = G
    assert result.tvpi == pytest.approx(result.dpi + result.rvpi)
    assert result.net_cash_flow == pytest.approx(result.distributions - result.contributions)


def test_contributions_follow_the_uncalled_commitment_and_nav_the_recursion() -> None:
    result = project(VC_BASE, commitment=1.0)
    uncalled = 1.0 - np.concatenate([[0.0], np.cumsum(result.contributions)[:-1]])
    rates = np.array([0.25, 1 / 3] + [0.5] * 10)
    assert result.contributions == pytest.approx(rates * uncalled)
    previous = np.concatenate([[0.0], result.nav[:-1]])
    grown = previous * 1.13
    assert result.distributions == pytest.approx((np.arange(1, 13) / 12) ** 2.5 * grown)
    assert result.nav == pytest.approx(grown + result.contributions - result.distributions)


@pytest.mark.parametrize("bow", [1.0, 2.5, 4.0])
def test_irr_equals_growth_whatever_the_bow_and_yield(bow: float) -> None:
    for y in (0.0, 0.1):
        result = project(VC_BASE.model_copy(update={"bow": bow, "yield_rate": y}))
        assert result.irr == pytest.approx(0.13, abs=1e-9)


def test_jeet_closed_form_is_a_close_starting_guess() -> None:
    # d = ln(1.88) / (0.13·12) = 0.40463, B = e^{π d}/√2 = 2.52 (fund_methods.md §3.2)
    assert jeet_bow(1.88, 0.13, 12) == pytest.approx(np.exp(np.pi * np.log(1.88) / 1.56) / np.sqrt(2))
    assert round(jeet_bow(1.88, 0.13, 12), 2) == 2.52


@pytest.mark.parametrize(
    ("target", "growth", "exact"),
    [(1.5, 0.08, 2.68), (3.0, 0.20, 3.12), (2.5, 0.15, 3.85)],  # exact solves reported in §3.2
)
def test_calibrate_bow_hits_the_target_tvpi(target: float, growth: float, exact: float) -> None:
    params = calibrate_bow(VC_BASE.model_copy(update={"growth": growth}), target)
    assert project(params).tvpi == pytest.approx(target, abs=1e-9)
    assert round(params.bow, 2) == exact


def test_calibrate_bow_recovers_the_base_bow() -> None:
    target = project(VC_BASE).tvpi
    assert calibrate_bow(VC_BASE.model_copy(update={"bow": 1.0}), target).bow == pytest.approx(2.5, abs=1e-8)


def test_calibrate_growth_for_a_target_multiple() -> None:
    params = calibrate_growth(VC_BASE, 2.0)
    assert project(params).tvpi == pytest.approx(2.0, abs=1e-9)
    assert 0.13 < params.growth < 0.16
    assert calibrate_growth(VC_BASE, project(VC_BASE).tvpi).growth == pytest.approx(0.13, abs=1e-9)


def test_unreachable_targets_raise_with_both_languages() -> None:
    with pytest.raises(CalibrationError, match="nicht erreichbar / target TVPI 50 cannot be reached with B"):
        calibrate_bow(VC_BASE, 50.0)
    with pytest.raises(CalibrationError, match="cannot be reached with G"):
        calibrate_growth(VC_BASE, 1e6)
