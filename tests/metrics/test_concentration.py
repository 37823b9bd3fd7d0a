from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.metrics.concentration import (
    ellison_glaeser,
    hoover_concentration,
    locational_gini,
    plant_herfindahl,
)

nan = np.nan

# three regions of 10 each (uniform base); industry 0 shares .5/.3/.2, industry 1 shares .25/.35/.4
X = np.array([[5.0, 5.0], [3.0, 7.0], [2.0, 8.0]])


def counts() -> st.SearchStrategy[np.ndarray]:
    """Non-negative count matrices (R, I) with positive row and column totals."""
    shape = st.tuples(st.integers(1, 7), st.integers(1, 5))
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=st.integers(0, 10_000).map(float))).map(
        _positive_margins
    )


def _positive_margins(a: np.ndarray) -> np.ndarray:
    b = a.copy()
    b[0, :] += 1.0
    b[:, 0] += 1.0
    return b


def gini_mean_difference(v: list[float]) -> float:
    n, mean = len(v), sum(v) / len(v)
    return sum(abs(a - b) for a in v for b in v) / (2 * n * n * mean)


# --------------------------------------------------------------------------------------- locational Gini
def test_locational_gini_small_exact() -> None:
    # with a uniform base the locational Gini is the plain Gini of the regional shares
    g = locational_gini(X)
    np.testing.assert_allclose(g, [gini_mean_difference([0.5, 0.3, 0.2]), gini_mean_difference([0.25, 0.35, 0.4])])
    np.testing.assert_allclose(g, [0.2, 0.1], rtol=1e-13)


def test_locational_gini_single_region_industry() -> None:
    # region totals 4 and 6: an industry only in region 0 has G = 1 − .4, only in region 1 G = 1 − .6
    np.testing.assert_allclose(locational_gini([[4.0, 0.0], [0.0, 6.0]]), [0.6, 0.4], rtol=1e-14)


def test_locational_gini_econgeo_convention_is_half() -> None:
    """EconGeo locational_gini: regions ordered by LQ, Lorenz of industry vs total shares, divided by 2."""
    x = np.array([[10.0, 1.0, 3.0], [2.0, 8.0, 3.0], [5.0, 5.0, 0.0], [1.0, 0.0, 9.0]])
    ours = locational_gini(x)
    for i in range(x.shape[1]):
        w = x.sum(axis=1) / x.sum()
        s = x[:, i] / x[:, i].sum()
        order = np.argsort(s / w)
        cum_w = np.concatenate([[0.0], np.cumsum(w[order])])
        cum_s = np.concatenate([[0.0], np.cumsum(s[order])])
        area_under = np.trapezoid(cum_s, cum_w)
        econgeo = (1 - 2 * area_under) / 2
        assert ours[i] == pytest.approx(2 * econgeo, rel=1e-12)


def test_locational_gini_zero_column_nan_cell_and_years() -> None:
    x = np.array([[5.0, 0.0, 1.0], [3.0, 0.0, nan], [2.0, 0.0, 4.0]])
    g = locational_gini(x, base=[10.0, 10.0, 10.0])
    assert g[0] == pytest.approx(0.2)
    assert np.isnan(g[1:]).all()  # an industry with no employment; a column with an unknown cell
    stacked = np.stack([X, X[::-1], 3 * X])  # (T=3, R, I)
    gt = locational_gini(stacked)
    assert gt.shape == (3, 2)
    np.testing.assert_allclose(gt, [locational_gini(X)] * 3, rtol=1e-13)


def test_locational_gini_population_base_and_zero_base_region() -> None:
    # base shares .5/.5/0: the region without base comes last (infinite LQ)
    g = locational_gini([[1.0], [1.0], [2.0]], base=[1.0, 1.0, 0.0])
    # Lorenz points (0,0) → (.5,.25) → (1,.5) → (1,1): area below = .5·.25/2 + .5·(.25+.5)/2 = .25
    assert g == pytest.approx([1 - 2 * 0.25])


@given(counts())
def test_locational_gini_in_0_1(x: np.ndarray) -> None:
    g = locational_gini(x)
    assert ((g >= -1e-12) & (g < 1)).all()
    np.testing.assert_allclose(locational_gini(5 * x), g, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------------------- Hoover
def test_hoover_concentration_small_exact() -> None:
    np.testing.assert_allclose(hoover_concentration(X), [1 / 6, 1 / 12], rtol=1e-13)
    np.testing.assert_allclose(hoover_concentration([[4.0, 0.0], [0.0, 6.0]]), [0.6, 0.4], rtol=1e-14)
    # against population: industry 0 sits where 25 % of the people live
    assert hoover_concentration([[8.0], [0.0]], base=[1.0, 3.0]) == pytest.approx([0.75])
    assert np.isnan(hoover_concentration([[1.0, 0.0], [nan, 0.0]])).all()
    np.testing.assert_allclose(hoover_concentration(np.stack([X, X])), [[1 / 6, 1 / 12]] * 2, rtol=1e-13)


def test_hoover_econgeo_convention() -> None:
    """EconGeo hoover_index: 100·½Σ|x_ri/X_i − pop_r/Σpop|, rounded to 2 dp; without pop a uniform base."""
    x = np.array([[10.0, 1.0], [2.0, 8.0], [5.0, 5.0]])
    pop = np.array([100.0, 300.0, 600.0])
    econgeo_pop = np.round(100 * 0.5 * np.abs(x / x.sum(0) - (pop / pop.sum())[:, None]).sum(0), 2)
    econgeo_uniform = np.round(100 * 0.5 * np.abs(x / x.sum(0) - 1 / 3).sum(0), 2)
    np.testing.assert_allclose(np.round(100 * hoover_concentration(x, base=pop), 2), econgeo_pop)
    np.testing.assert_allclose(np.round(100 * hoover_concentration(x, base=np.ones(3)), 2), econgeo_uniform)


@given(counts())
def test_hoover_concentration_in_0_1(x: np.ndarray) -> None:
    h = hoover_concentration(x)
    assert ((h >= 0) & (h < 1)).all()


# --------------------------------------------------------------------------------------- Ellison–Glaeser
def test_plant_herfindahl_small_exact() -> None:
    h = plant_herfindahl([0, 0, 1, 1, 1], [1.0, 3.0, 2.0, 2.0, 2.0], n_industries=3)
    np.testing.assert_allclose(h, [10 / 16, 1 / 3, nan], rtol=1e-15)  # (1² + 3²)/4², 3·2²/6², no plants
    assert np.isnan(plant_herfindahl([0, 0], [1.0, nan])).all()
    # several years at once through a combined index
    year, industry = np.array([0, 0, 1, 1, 1]), np.array([0, 1, 0, 0, 1])
    h2 = plant_herfindahl(year * 2 + industry, [5.0, 5.0, 1.0, 1.0, 5.0], 2 * 2).reshape(2, 2)
    np.testing.assert_allclose(h2, [[1.0, 1.0], [0.5, 1.0]])
    with pytest.raises(ValueError, match="smaller"):
        plant_herfindahl([0, 3], [1.0, 1.0], n_industries=2)
    with pytest.raises(ValueError, match="non-negative integer"):
        plant_herfindahl([0, -1], [1.0, 1.0])


def test_ellison_glaeser_small_exact() -> None:
    # base .5/.5; industry 0 shares .8/.2: G = .3² + .3² = .18, 1 − Σw² = .5
    x = np.array([[8.0, 5.0], [2.0, 5.0]])
    eg = ellison_glaeser(x, [0.1, 0.2], base=[1.0, 1.0])
    np.testing.assert_allclose(eg.raw_concentration, [0.18, 0.0], atol=1e-15)
    np.testing.assert_allclose(eg.expected_raw_concentration, [0.05, 0.1], rtol=1e-15)
    # γ₀ = (.18 − .5·.1)/(.5·.9); an industry spread exactly like the base: γ = −H/(1 − H)
    np.testing.assert_allclose(eg.gamma, [0.13 / 0.45, -0.2 / 0.8], rtol=1e-13)
    np.testing.assert_array_equal(eg.plant_herfindahl, [0.1, 0.2])


def test_ellison_glaeser_degenerate_cases_and_years() -> None:
    x = np.array([[8.0, 5.0, 1.0], [2.0, 5.0, nan]])
    eg = ellison_glaeser(x, [1.0, 0.2, 0.1], base=[1.0, 1.0])
    assert np.isnan(eg.gamma[0])  # a single plant: H = 1
    assert np.isnan(eg.gamma[2])  # unknown cell
    assert np.isnan(ellison_glaeser([[3.0, 4.0]], [0.1, 0.1]).gamma).all()  # one region: Σw² = 1
    stacked = np.stack([x[:, :2], x[::-1, :2]])
    h = np.array([[0.1, 0.2], [0.3, 0.4]])
    et = ellison_glaeser(stacked, h)
    assert et.gamma.shape == (2, 2)
    for t in range(2):
        np.testing.assert_allclose(et.gamma[t], ellison_glaeser(stacked[t], h[t]).gamma, rtol=1e-14)


def test_ellison_glaeser_dartboard_expectation() -> None:
    """Plants thrown at random with the base probabilities: E[G] = (1 − Σw²)·H, so E[γ] = 0 (EG 1997, Prop. 1)."""
    rng = np.random.default_rng(20240501)
    w = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    plants = [np.array([10.0, 8, 6, 5, 4, 3, 2, 2, 1, 1]), np.array([50.0, 5, 5, 5, 5]), np.ones(20)]
    industry = np.concatenate([np.full(len(p), i) for i, p in enumerate(plants)])
    size = np.concatenate(plants)
    h = plant_herfindahl(industry, size)
    t = 40_000
    region = rng.choice(len(w), size=(t, len(size)), p=w)  # every plant's region, in each of T draws
    cell = (np.arange(t)[:, None] * len(w) + region) * len(plants) + industry[None, :]
    x = np.bincount(cell.ravel(), weights=np.tile(size, t), minlength=t * len(w) * len(plants))
    x = x.reshape(t, len(w), len(plants))  # (T, R, I): all draws at once
    eg = ellison_glaeser(x, np.broadcast_to(h, (t, len(plants))), base=np.broadcast_to(w, (t, len(w))))
    mean_g = eg.raw_concentration.mean(axis=0)
    se_g = eg.raw_concentration.std(axis=0) / np.sqrt(t)
    np.testing.assert_allclose(eg.expected_raw_concentration[0], (1 - (w**2).sum()) * h, rtol=1e-14)
    assert (np.abs(mean_g - eg.expected_raw_concentration[0]) < 4 * se_g).all()
    se_gamma = eg.gamma.std(axis=0) / np.sqrt(t)
    assert (np.abs(eg.gamma.mean(axis=0)) < 4 * se_gamma).all()
