from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.classifications.section_groups import NON_OVERLAPPING, code_for_label
from regiolens.metrics.location import (
    cagr,
    growth_rate,
    location_quotient,
    lq_confidence_interval,
    shares,
)
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse
from tests.conftest import raw_genesis_rows

nan = np.nan


def counts(min_regions: int = 1) -> st.SearchStrategy[np.ndarray]:
    shape = st.tuples(st.integers(min_regions, 6), st.integers(1, 5))
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=st.integers(0, 10_000).map(float)))


# ------------------------------------------------------------------------------------------------ shares
def test_shares_small_exact() -> None:
    x = np.array([[1.0, 3.0], [2.0, 2.0], [0.0, 0.0]])
    np.testing.assert_array_equal(shares(x), [[0.25, 0.75], [0.5, 0.5], [nan, nan]])


def test_shares_nan_cell_and_explicit_totals() -> None:
    x = np.array([[1.0, nan], [2.0, 2.0]])
    np.testing.assert_array_equal(shares(x), [[1.0, nan], [0.5, 0.5]])  # default: nansum of the row
    np.testing.assert_array_equal(shares(x, region_totals=[4.0, 5.0]), [[0.25, nan], [0.4, 0.4]])


def test_shares_broadcast_over_years() -> None:
    x = np.array([[[1.0, 3.0]], [[3.0, 1.0]]])  # (T=2, R=1, I=2)
    np.testing.assert_array_equal(shares(x), [[[0.25, 0.75]], [[0.75, 0.25]]])


@given(counts())
def test_shares_of_a_region_add_up_to_one(x: np.ndarray) -> None:
    s = shares(x)
    positive = x.sum(axis=-1) > 0
    np.testing.assert_allclose(s[positive].sum(axis=-1), 1.0, rtol=1e-12)
    assert np.isnan(s[~positive]).all()
    assert not np.isinf(s).any()


# ------------------------------------------------------------------------------------- location quotient
def test_lq_small_exact_whole_economy() -> None:
    # regions 40 and 60, industries 40 and 60, total 100
    x = np.array([[10.0, 30.0], [30.0, 30.0]])
    np.testing.assert_allclose(location_quotient(x), [[0.625, 1.25], [1.25, 0.5 / 0.6]], rtol=1e-15)


def test_lq_reat_textbook_example() -> None:
    # REAT locq(1714, 79006, 879213, 15593224) → 0.3847623 (Farhauer/Kröll 2013)
    lq = location_quotient([[1714.0]], region_totals=[79006.0], reference=[879213.0], reference_total=15593224.0)
    assert lq[0, 0] == pytest.approx(0.3847623, abs=5e-8)


def test_lq_zero_row_zero_column_and_absent_industry() -> None:
    x = np.array([[0.0, 0.0, 0.0], [5.0, 0.0, 5.0], [5.0, 0.0, 0.0]])
    lq = location_quotient(x)
    # row 0 has no employment (0/0) and column 1 is absent from the reference (x/0): NaN, never inf or 0
    assert np.isnan(lq[0]).all()
    assert np.isnan(lq[:, 1]).all()
    # E = 15, E_0 = 10, E_2 = 5; region 1: (5/10)/(10/15) = 0.75, (5/10)/(5/15) = 1.5; region 2 absent in 2 → 0
    np.testing.assert_allclose(lq[1:, [0, 2]], [[0.75, 1.5], [1.5, 0.0]], rtol=1e-15)


def test_lq_suppressed_cell_with_published_totals() -> None:
    x = np.array([[nan, 20.0], [30.0, 50.0]])
    lq = location_quotient(x, region_totals=[50.0, 100.0], reference=[60.0, 90.0], reference_total=200.0)
    assert np.isnan(lq[0, 0])
    # (20/50)/(90/200) = 0.4/0.45; (30/100)/(60/200) = 1; (50/100)/(90/200)
    np.testing.assert_allclose(lq[0, 1], 0.4 / 0.45, rtol=1e-15)
    np.testing.assert_allclose(lq[1], [1.0, 0.5 / 0.45], rtol=1e-15)


def test_lq_custom_group_keeps_the_national_reference() -> None:
    kreise = np.array([[10.0, 90.0], [30.0, 70.0]])
    group = kreise.sum(axis=0, keepdims=True)  # aggregated before the ratio
    national, national_total = np.array([100.0, 900.0]), 1000.0
    lq = location_quotient(group, reference=national, reference_total=national_total)
    np.testing.assert_allclose(lq, [[(40 / 200) / 0.1, (160 / 200) / 0.9]], rtol=1e-15)


def test_lq_traded_cluster_base() -> None:
    """U.S. Cluster Mapping traded LQ: region totals and reference are traded employment."""
    cluster_emp = np.array([[300.0, 100.0], [50.0, 150.0]])
    lq = location_quotient(cluster_emp, [1000.0, 1000.0], [4000.0, 6000.0], 100_000.0)
    np.testing.assert_allclose(lq, [[7.5, 0.1 / 0.06], [1.25, 2.5]], rtol=1e-15)


def test_lq_broadcasts_over_leading_year_axis() -> None:
    x = np.array([[[10.0, 30.0], [30.0, 30.0]], [[20.0, 20.0], [5.0, 55.0]]])  # (T, R, I)
    reference = np.array([[100.0, 300.0], [200.0, 200.0]])  # (T, I)
    reference_total = np.array([400.0, 400.0])  # (T,)
    lq = location_quotient(x, reference=reference, reference_total=reference_total)
    assert lq.shape == (2, 2, 2)
    for t in range(2):
        np.testing.assert_array_equal(
            lq[t], location_quotient(x[t], reference=reference[t], reference_total=reference_total[t])
        )
    # defaults per year as well
    for t in range(2):
        np.testing.assert_array_equal(location_quotient(x)[t], location_quotient(x[t]))
    # one reference for all years broadcasts too
    lq_fixed = location_quotient(x, reference=reference[0], reference_total=reference_total[0])
    np.testing.assert_array_equal(lq_fixed[1], location_quotient(x[1], reference=reference[0], reference_total=400.0))


@given(arrays(np.float64, st.integers(1, 6), elements=st.integers(0, 10**7).map(float)))
def test_lq_of_the_reference_itself_is_one(reference: np.ndarray) -> None:
    total = reference.sum()
    lq = location_quotient(reference[None, :], region_totals=[total], reference=reference, reference_total=total)
    present = reference > 0
    assert (lq[0, present] == 1.0).all()
    assert np.isnan(lq[0, ~present]).all()


@given(counts())
def test_lq_weighted_by_region_size_averages_to_one(x: np.ndarray) -> None:
    """Σ_r (x_r / E) · LQ_ri = Σ_r x_ri / E_i = 1 for every industry present, when the regions are the economy."""
    assume(x.sum() > 0)
    lq = location_quotient(x)
    weights = x.sum(axis=-1) / x.sum()
    present = x.sum(axis=0) > 0
    mean = np.nansum(weights[:, None] * lq, axis=0)
    np.testing.assert_allclose(mean[present], 1.0, rtol=1e-9)
    assert not np.isinf(lq).any()


# ---------------------------------------------------------------------------------- confidence interval
def test_lq_interval_hand_computed() -> None:
    # a = 50 of n = 1000 in the region, c = 500 of N = 20000 in the nation: LQ = 0.05 / 0.025 = 2
    ci = lq_confidence_interval([[50.0]], [1000.0], [500.0], 20000.0)
    b, m = 450.0, 19000.0
    var = (b / 500) ** 2 * (1 / 50 - 1 / 1000) + (b / 500**2) * (1 - b / m)  # = 0.81·0.019 + 0.0018·(1 − 450/19000)
    assert var == pytest.approx(0.015390 + 0.0018 * (1 - 450 / 19000), rel=1e-12)
    z = 1.959963984540054
    assert ci.lq[0, 0] == 2.0
    assert ci.se_log[0, 0] == pytest.approx(math.sqrt(var), rel=1e-12)
    assert ci.lower[0, 0] == pytest.approx(2 * math.exp(-z * math.sqrt(var)), rel=1e-12)
    assert ci.upper[0, 0] == pytest.approx(2 * math.exp(z * math.sqrt(var)), rel=1e-12)
    assert ci.level == 0.95
    assert bool(ci.above_one[0, 0]) and not bool(ci.below_one[0, 0])


def test_lq_interval_not_nested() -> None:
    # region against a disjoint reference: Var = (1/a − 1/n) + (1/c − 1/N)
    ci = lq_confidence_interval([[50.0]], [1000.0], [500.0], 20000.0, nested=False)
    assert ci.se_log[0, 0] == pytest.approx(math.sqrt(1 / 50 - 1 / 1000 + 1 / 500 - 1 / 20000), rel=1e-12)


def test_lq_interval_poisson_limit() -> None:
    # tiny shares in huge areas: the binomial variance tends to the Poisson form 1/a − 1/c
    ci = lq_confidence_interval([[40.0]], [1e12], [100.0], 1e13)
    assert ci.se_log[0, 0] ** 2 == pytest.approx(1 / 40 - 1 / 100, rel=1e-9)


def test_lq_interval_edge_cases() -> None:
    x = np.array([[0.0, 10.0, nan], [5.0, 0.0, 3.0]])
    ci = lq_confidence_interval(x, [20.0, 10.0], [5.0, 10.0, 30.0], 100.0)
    # zero count: LQ 0 but no delta-method interval
    assert ci.lq[0, 0] == 0.0 and np.isnan([ci.lower[0, 0], ci.upper[0, 0], ci.se_log[0, 0]]).all()
    # unknown cell
    assert np.isnan([ci.lq[0, 2], ci.lower[0, 2], ci.upper[0, 2]]).all()
    # region 0 holds all of industry 1 (b = 0): LQ = N/n whatever the count, the interval collapses
    assert ci.lq[0, 1] == pytest.approx(100 / 20)
    assert ci.lower[0, 1] == ci.upper[0, 1] == ci.lq[0, 1]
    assert not np.isinf(ci.upper).any()
    with pytest.raises(ValueError):
        lq_confidence_interval(x, [20.0, 10.0], [5.0, 10.0, 30.0], 100.0, level=1.0)


def test_lq_interval_wider_at_higher_level_and_broadcast_over_years() -> None:
    x = np.array([[[30.0, 70.0]], [[60.0, 40.0]]])  # (T, R=1, I)
    args = ([[100.0], [100.0]], [[300.0, 9700.0], [300.0, 9700.0]], [10000.0, 10000.0])
    narrow = lq_confidence_interval(x, *args, level=0.8)
    wide = lq_confidence_interval(x, *args, level=0.99)
    assert narrow.lq.shape == (2, 1, 2)
    assert (wide.lower < narrow.lower).all() and (wide.upper > narrow.upper).all()
    single = lq_confidence_interval(x[1], [100.0], [300.0, 9700.0], 10000.0, level=0.8)
    np.testing.assert_array_equal(narrow.upper[1], single.upper)


def test_lq_interval_coverage_by_simulation() -> None:
    """The nominal 95 % interval covers the true LQ in about 95 % of binomial draws."""
    rng = np.random.default_rng(20030701)
    n, m, p, q = 2_000, 60_000, 0.05, 0.03
    true_lq = p / ((n * p + m * q) / (n + m))
    a = rng.binomial(n, p, size=20_000).astype(float)
    b = rng.binomial(m, q, size=20_000).astype(float)
    # one draw per leading index: x (D, R=1, I=1), region totals (D, 1), reference (D, 1), reference total (D,)
    ci = lq_confidence_interval(a[:, None, None], np.full((a.size, 1), n), (a + b)[:, None], np.full(a.size, n + m))
    covered = (ci.lower[:, 0, 0] <= true_lq) & (true_lq <= ci.upper[:, 0, 0])
    assert 0.94 <= covered.mean() <= 0.96


# ----------------------------------------------------------------------------------------- growth rates
def test_growth_rate() -> None:
    start = np.array([100.0, 0.0, 0.0, 50.0, nan, 80.0])
    end = np.array([121.0, 0.0, 5.0, 0.0, 1.0, nan])
    np.testing.assert_allclose(growth_rate(start, end), [0.21, nan, nan, -1.0, nan, nan], rtol=1e-15)


def test_growth_rate_broadcasts() -> None:
    start = np.array([[10.0, 20.0]])
    end = np.array([[[11.0, 10.0]], [[20.0, 20.0]]])  # (T, R, I)
    np.testing.assert_allclose(growth_rate(start, end), [[[0.1, -0.5]], [[1.0, 0.0]]], rtol=1e-14)


def test_cagr() -> None:
    start = np.array([100.0, 0.0, -10.0, 100.0, 100.0, 100.0, nan])
    end = np.array([121.0, 10.0, 10.0, -1.0, 0.0, 121.0, 5.0])
    years = np.array([2.0, 2.0, 2.0, 2.0, 2.0, 0.0, 1.0])
    np.testing.assert_allclose(cagr(start, end, years), [0.1, nan, nan, nan, -1.0, nan, nan], rtol=1e-14)
    np.testing.assert_allclose(cagr(100.0, 133.1, [1, 3]), [0.331, 0.1], rtol=1e-13)


# ------------------------------------------------------------------------------------ official data
@pytest.mark.integration
def test_lq_of_a_kreis_equals_hand_calculation_from_raw_file(loaded_warehouse: Path, genesis_files: list[Path]) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        kreise = query_panel(
            wh.ibis,
            measure="employment",
            years=2020,
            region_level="de:kreis",
            classification="wz2008-sg",
            industries=[*NON_OVERLAPPING, "TOTAL"],
        )
        germany = query_panel(
            wh.ibis,
            measure="employment",
            years=2020,
            region_level="de:bund",
            classification="wz2008-sg",
            regions=["DG"],
            industries=[*NON_OVERLAPPING, "TOTAL"],
        )
    x = kreise.values[0, :, :-1]
    lq = location_quotient(
        x,
        region_totals=kreise.values[0, :, -1],
        reference=germany.values[0, 0, :-1],
        reference_total=germany.values[0, 0, -1],
    )
    assert lq.shape == (401, 10)

    raw = {(r[0], code_for_label(r[2])): int(r[3]) for r in raw_genesis_rows(genesis_files[-1]) if r[3].isdigit()}
    k, j = kreise.regions.index("05562"), NON_OVERLAPPING.index("J")
    by_hand = (raw[("05562", "J")] / raw[("05562", "TOTAL")]) / (raw[("DG", "J")] / raw[("DG", "TOTAL")])
    assert (raw[("05562", "J")], raw[("05562", "TOTAL")]) == (2078, 171415)
    assert lq[k, j] == pytest.approx(by_hand, rel=1e-14)
    assert lq[k, j] == pytest.approx((2078 / 171415) / (1167291 / 33322952), rel=1e-14)

    # suppressed cells stay NaN (never 0), all other LQs are finite and positive or zero
    suppressed = np.isnan(x)
    assert suppressed.any()
    assert np.isnan(lq[suppressed]).all()
    assert np.isfinite(lq[~suppressed]).all() and (lq[~suppressed] >= 0).all()

    ci = lq_confidence_interval(x, kreise.values[0, :, -1], germany.values[0, 0, :-1], germany.values[0, 0, -1])
    known = ~suppressed & (x > 0)
    assert ((ci.lower[known] <= lq[known]) & (lq[known] <= ci.upper[known])).all()


@settings(max_examples=50)
@given(counts(), st.floats(0.5, 0.999))
def test_lq_interval_contains_the_lq(x: np.ndarray, level: float) -> None:
    rt = x.sum(axis=-1)
    ref = x.sum(axis=0)
    ci = lq_confidence_interval(x, rt, ref, ref.sum(), level=level)
    ok = ~np.isnan(ci.lower)
    assert (ci.lower[ok] <= ci.lq[ok] * (1 + 1e-12)).all() and (ci.lq[ok] <= ci.upper[ok] * (1 + 1e-12)).all()
    assert not np.isinf(ci.upper).any()
