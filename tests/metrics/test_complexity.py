from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest

from regiolens.metrics.complexity import (
    ComplexityResult,
    diversity,
    eci_pci,
    method_of_reflections,
    presence,
    ubiquity,
)
from regiolens.metrics.location import location_quotient

nan = np.nan

# Hidalgo–Hausmann style 4×4 toy network (nested: region 0 makes everything, industry 0 is made everywhere)
TOY = np.array(
    [
        [1, 1, 1, 1],
        [1, 1, 1, 0],
        [1, 1, 0, 0],
        [1, 0, 0, 0],
    ],
    dtype=bool,
)


def _reference_eci_pci(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ecomplexity 0.5.3 ``calc_eci_pci`` + normalisation, for one year (dense ``np.linalg.eig``), with the
    normalisation taken over the included regions (our documented convention)."""
    m = m.astype(float)
    d, u = m.sum(1), m.sum(0)
    rk, pk = d > 0, u > 0
    mv = m[rk][:, pk]
    m1 = mv / d[rk][:, None]
    m2 = mv / u[pk][None, :]
    eigvals, eigvecs = np.linalg.eig(m2.T @ m1)
    kp = np.real(eigvecs)[:, eigvals.argsort()[-2]]
    kc = m1 @ kp
    s = np.sign(np.corrcoef(d[rk], kc)[0, 1])
    kc, kp = s * kc, s * kp
    eci = np.full(m.shape[0], nan)
    pci = np.full(m.shape[1], nan)
    eci[rk] = (kc - kc.mean()) / kc.std()
    pci[pk] = (kp - kc.mean()) / kc.std()
    return eci, pci


def _random_presence(rng: np.random.Generator, shape: tuple[int, ...], p: float = 0.35) -> np.ndarray:
    """A random presence matrix with heterogeneous regions/industries, connected by a staircase backbone
    (region r holds industries r and r + 1 modulo I), so that no row or column is empty (needs R ≥ I)."""
    rows = rng.uniform(0.3, 1.0, size=(*shape[:-1], 1))
    cols = rng.uniform(0.3, 1.0, size=(*shape[:-2], 1, shape[-1]))
    m = np.asarray(rng.uniform(size=shape) < p * 2 * rows * cols)
    r = np.arange(shape[-2])
    m[..., r, r % shape[-1]] = True
    m[..., r, (r + 1) % shape[-1]] = True
    return m


# ------------------------------------------------------------------------------------------------ presence
def test_presence_rca_threshold_and_nan() -> None:
    x = np.array([[10.0, 0.0, 5.0], [10.0, 10.0, nan], [0.0, 0.0, 0.0]])
    lq = location_quotient(x)
    m = presence(x)
    np.testing.assert_array_equal(m, np.nan_to_num(lq) >= 1.0)
    assert m.dtype == np.bool_
    assert not m[1, 2] and not m[2].any()  # unknown cell, zero region total → not present
    np.testing.assert_array_equal(presence(x, threshold=0.5), np.nan_to_num(lq) >= 0.5)


def test_presence_rca_exactly_one_is_present() -> None:
    x = np.array([[1.0, 1.0], [1.0, 1.0]])  # every RCA is exactly 1
    assert presence(x).all()


def test_presence_rca_explicit_reference() -> None:
    x = np.array([[30.0, 70.0]])
    m = presence(x, reference=np.array([100.0, 900.0]), reference_total=1000.0)  # LQ 3.0, 0.78
    np.testing.assert_array_equal(m, [[True, False]])


def test_presence_rpop_exact() -> None:
    x = np.array([[20.0, 10.0], [10.0, 40.0]])
    pop = np.array([100.0, 400.0])
    # X_i / Σpop = 30/500, 50/500; x/pop = [[0.2, 0.1], [0.025, 0.1]] → RPOP [[3.33, 1.0], [0.417, 1.0]]
    np.testing.assert_array_equal(presence(x, method="rpop", population=pop), [[True, True], [False, True]])
    np.testing.assert_array_equal(
        presence(x, method="rpop", population=pop, threshold=1.5), [[True, False], [False, False]]
    )
    # zero population → RPOP undefined → not present
    assert not presence(x, method="rpop", population=np.array([0.0, 400.0]))[0].any()


def test_presence_argument_errors() -> None:
    x = np.ones((2, 2))
    with pytest.raises(ValueError, match="population"):
        presence(x, method="rpop")
    with pytest.raises(ValueError, match="region_totals"):
        presence(x, method="rpop", population=np.ones(2), region_totals=np.ones(2))
    with pytest.raises(ValueError, match="only used"):
        presence(x, population=np.ones(2))
    with pytest.raises(ValueError, match="method"):
        presence(x, method="nope")  # type: ignore[arg-type]


def test_presence_leading_axis() -> None:
    rng = np.random.default_rng(0)
    x = rng.gamma(1.0, size=(3, 6, 4))
    np.testing.assert_array_equal(presence(x), np.stack([presence(x[t]) for t in range(3)]))


# ------------------------------------------------------------------------------------------------ diversity / ubiquity
def test_toy_diversity_ubiquity_exact() -> None:
    np.testing.assert_array_equal(diversity(TOY), [4.0, 3.0, 2.0, 1.0])
    np.testing.assert_array_equal(ubiquity(TOY), [4.0, 3.0, 2.0, 1.0])
    res = eci_pci(TOY)
    np.testing.assert_array_equal(res.diversity, [4.0, 3.0, 2.0, 1.0])
    np.testing.assert_array_equal(res.ubiquity, [4.0, 3.0, 2.0, 1.0])
    # 0/1 floats and NaN are accepted: NaN counts as absent
    np.testing.assert_array_equal(diversity(np.array([[1.0, nan], [0.0, 1.0]])), [1.0, 1.0])


# ------------------------------------------------------------------------------------------------ eci_pci
def test_toy_eci_ranking_defined() -> None:
    res = eci_pci(TOY)
    assert isinstance(res, ComplexityResult)
    assert np.isfinite(res.eci).all() and np.isfinite(res.pci).all()
    # nested network: the more diverse region is more complex; the less ubiquitous industry is more complex
    assert (np.diff(res.eci) < 0).all()
    assert (np.diff(res.pci) > 0).all()
    # z-scored ECI (ddof=0)
    assert res.eci.mean() == pytest.approx(0.0, abs=1e-12)
    assert res.eci.std() == pytest.approx(1.0, abs=1e-12)
    # normalisation with ECI's mean/sd keeps ECI_r = mean PCI over the industries present in r
    np.testing.assert_allclose(res.eci, (TOY @ res.pci) / TOY.sum(1), atol=1e-12)
    eci, pci = _reference_eci_pci(TOY)
    np.testing.assert_allclose(res.eci, eci, atol=1e-12)
    np.testing.assert_allclose(res.pci, pci, atol=1e-12)


def test_sign_convention_diversity() -> None:
    rng = np.random.default_rng(3)
    m = _random_presence(rng, (30, 20))
    res = eci_pci(m)
    assert np.corrcoef(res.diversity, res.eci)[0, 1] > 0
    res_neg = eci_pci(m.astype(float))  # same input as 0/1 floats
    np.testing.assert_allclose(res_neg.eci, res.eci, atol=1e-12)


def test_disconnected_component_defined() -> None:
    rng = np.random.default_rng(1)
    m = _random_presence(rng, (12, 8))
    m[0, :] = False
    m[:, 0] = False
    m[0, 0] = True  # region 0 alone with industry 0: a component of its own
    assert (m.sum(1) > 0).all() and (m.sum(0) > 0).all()
    res = eci_pci(m)
    assert np.isfinite(res.eci).all() and np.isfinite(res.pci).all()
    assert res.eci.std() == pytest.approx(1.0)
    # the eigenvector separates the two components: the rest of the regions share one value
    np.testing.assert_allclose(res.eci[1:], res.eci[1], atol=1e-9)
    assert res.eci[0] != pytest.approx(res.eci[1])
    # deterministic
    np.testing.assert_array_equal(eci_pci(m).eci, res.eci)


def test_zero_rows_and_columns_nan_only_there() -> None:
    rng = np.random.default_rng(2)
    core = _random_presence(rng, (15, 10))
    assert (core.sum(1) > 0).all() and (core.sum(0) > 0).all()
    m = np.zeros((17, 12), dtype=bool)
    rows = np.r_[0:4, 5:11, 12:17]  # regions 4 and 11 without presence
    cols = np.r_[0:7, 8:11]  # industries 7 and 11 without presence
    m[np.ix_(rows, cols)] = core
    res = eci_pci(m)
    assert np.isnan(res.eci[[4, 11]]).all() and np.isnan(res.pci[[7, 11]]).all()
    assert np.isfinite(res.eci[rows]).all() and np.isfinite(res.pci[cols]).all()
    # the others are exactly what the connected remainder alone gives
    core_res = eci_pci(core)
    np.testing.assert_allclose(res.eci[rows], core_res.eci, atol=1e-10)
    np.testing.assert_allclose(res.pci[cols], core_res.pci, atol=1e-10)
    eci, pci = _reference_eci_pci(m)
    np.testing.assert_allclose(res.eci, eci, atol=1e-10)
    np.testing.assert_allclose(res.pci, pci, atol=1e-10)


def test_degenerate_years_nan_without_warnings() -> None:
    one_industry = np.zeros((4, 3), bool)
    one_industry[:, 0] = True
    m = np.stack([np.ones((4, 3), bool), np.zeros((4, 3), bool), one_industry, TOY[:, :3]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = eci_pci(m)
    assert np.isnan(res.eci[:3]).all() and np.isnan(res.pci[:3]).all()  # all alike / no presence / one industry
    np.testing.assert_allclose(res.eci[3], eci_pci(TOY[:, :3]).eci, atol=1e-12)
    assert np.isfinite(res.eci[3]).all()


def test_leading_year_axes_equal_per_year() -> None:
    rng = np.random.default_rng(4)
    m = _random_presence(rng, (2, 3, 20, 14))
    m[0, 1, 5, :] = False  # years with different excluded sets
    m[1, 2, :, 3] = False
    m[1, 0, :, [0, 9]] = False
    res = eci_pci(m)
    assert res.eci.shape == (2, 3, 20) and res.pci.shape == (2, 3, 14)
    for idx in np.ndindex(2, 3):
        one = eci_pci(m[idx])
        np.testing.assert_allclose(res.eci[idx], one.eci, atol=1e-10)
        np.testing.assert_allclose(res.pci[idx], one.pci, atol=1e-10)
        eci, pci = _reference_eci_pci(m[idx])
        np.testing.assert_allclose(res.eci[idx], eci, atol=1e-9)
        np.testing.assert_allclose(res.pci[idx], pci, atol=1e-9)
    assert np.isnan(res.eci[0, 1, 5]) and np.isnan(res.pci[1, 2, 3]) and np.isnan(res.pci[1, 0, [0, 9]]).all()


def test_agrees_with_ecomplexity() -> None:
    ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
    rng = np.random.default_rng(42)
    n_t, n_r, n_i = 2, 40, 25
    x = rng.gamma(0.7, 1.0, size=(n_t, n_r, n_i)) * rng.gamma(2.0, 1.0, size=(n_t, n_r, 1)) * 100.0
    t, r, i = np.meshgrid(np.arange(n_t), np.arange(n_r), np.arange(n_i), indexing="ij")
    df = pd.DataFrame({"year": t.ravel() + 2020, "loc": r.ravel(), "prod": i.ravel(), "val": x.ravel()})
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(
            df,
            {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
            presence_test="rca",
            verbose=False,
            check_logsupermodularity=False,
        )
    out = out.sort_values(["year", "loc", "prod"])
    rca = out["rca"].to_numpy().reshape(n_t, n_r, n_i)
    mcp = out["mcp"].to_numpy().reshape(n_t, n_r, n_i)
    eci = out["eci"].to_numpy().reshape(n_t, n_r, n_i)[:, :, 0]
    pci = out["pci"].to_numpy().reshape(n_t, n_r, n_i)[:, 0, :]

    np.testing.assert_allclose(location_quotient(x), rca, rtol=0, atol=1e-9)
    m = presence(x)
    np.testing.assert_array_equal(m, mcp == 1)
    res = eci_pci(m)
    assert np.isfinite(res.eci).all() and np.isfinite(res.pci).all()
    np.testing.assert_allclose(res.eci, eci, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.pci, pci, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(res.diversity, out["diversity"].to_numpy().reshape(n_t, n_r, n_i)[:, :, 0])
    np.testing.assert_array_equal(res.ubiquity, out["ubiquity"].to_numpy().reshape(n_t, n_r, n_i)[:, 0, :])


# ------------------------------------------------------------------------------------------------ reflections
def test_reflections_toy_exact() -> None:
    kc0, kp0 = method_of_reflections(TOY, steps=0)
    np.testing.assert_array_equal(kc0, [4.0, 3.0, 2.0, 1.0])
    np.testing.assert_array_equal(kp0, [4.0, 3.0, 2.0, 1.0])
    kc1, kp1 = method_of_reflections(TOY, steps=1)
    # kc,1 = mean ubiquity of the region's industries; kp,1 = mean diversity of the industry's regions
    np.testing.assert_allclose(kc1, [10 / 4, 9 / 3, 7 / 2, 4 / 1])
    np.testing.assert_allclose(kp1, [10 / 4, 9 / 3, 7 / 2, 4 / 1])
    kc2, _ = method_of_reflections(TOY, steps=2)
    np.testing.assert_allclose(kc2, (TOY @ kp1) / TOY.sum(1))


def test_reflections_loop_reference_nan_and_leading_axis() -> None:
    rng = np.random.default_rng(5)
    m = _random_presence(rng, (2, 9, 7))
    m[1, 3, :] = False
    m[0, :, 2] = False
    kc, kp = method_of_reflections(m, steps=20)
    assert kc.shape == (2, 9) and kp.shape == (2, 7)
    for t in range(2):
        mt = m[t].astype(float)
        d, u = mt.sum(1), mt.sum(0)
        c, p = d.copy(), u.copy()
        for _ in range(20):
            with np.errstate(invalid="ignore", divide="ignore"):
                c, p = (mt @ np.nan_to_num(p)) / d, (mt.T @ np.nan_to_num(c)) / u
        np.testing.assert_allclose(kc[t], np.where(d > 0, c, nan), rtol=1e-12)
        np.testing.assert_allclose(kp[t], np.where(u > 0, p, nan), rtol=1e-12)
    assert np.isnan(kc[1, 3]) and np.isnan(kp[0, 2])
    assert np.isfinite(np.delete(kc[1], 3)).all()
    with pytest.raises(ValueError):
        method_of_reflections(m, steps=-1)


def test_lanczos_path_equals_full_decomposition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large matrices use only the top eigenpair (eigsh); the result equals the full eigh path."""
    import regiolens.metrics.complexity as complexity

    rng = np.random.default_rng(7)
    m = rng.random((2, 260, 230)) < 0.3
    m[..., 0, :] = True  # connected: one region with every industry
    fast = complexity.eci_pci(m)
    monkeypatch.setattr(complexity, "_LANCZOS_MIN", 10_000)
    full = complexity.eci_pci(m)
    np.testing.assert_allclose(fast.eci, full.eci, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.pci, full.pci, rtol=0, atol=1e-9)


def test_lanczos_path_with_exclusions_equals_full_decomposition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Excluded regions/industries and years without any presence or ranking give the same on both paths, quietly."""
    import regiolens.metrics.complexity as complexity

    rng = np.random.default_rng(8)
    m = rng.random((4, 120, 240)) < 0.3
    m[..., 0, :] = True  # connected
    m[0, :, [3, 50]] = False  # industries present nowhere
    m[0, 0, [3, 50]] = False
    m[1, 7, :] = False  # a region without industries
    m[2] = False  # no presence at all
    m[3] = True  # every region has every industry: no ranking
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = complexity.eci_pci(m)
    assert np.isnan(fast.pci[0, [3, 50]]).all() and np.isnan(fast.eci[1, 7])
    assert np.isnan(fast.eci[2:]).all() and np.isnan(fast.pci[2:]).all()
    assert np.isfinite(np.delete(fast.pci[0], [3, 50])).all() and np.isfinite(np.delete(fast.eci[1], 7)).all()
    monkeypatch.setattr(complexity, "_LANCZOS_MIN", 10_000)
    full = complexity.eci_pci(m)
    np.testing.assert_allclose(fast.eci, full.eci, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.pci, full.pci, rtol=0, atol=1e-9)


def test_lanczos_top_eigenpair_and_its_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Lanczos eigenpair equals the full decomposition's to rounding; without convergence it gives up (None)."""
    import regiolens.metrics.complexity as complexity

    rng = np.random.default_rng(9)
    m = (rng.random((150, 260)) < 0.3).astype(float)
    m[0, :] = 1.0
    d, u = m.sum(1), m.sum(0)
    a = m / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
    top = np.sqrt(u) / np.linalg.norm(np.sqrt(u))
    values, vectors = np.linalg.eigh(a.T @ a - np.outer(top, top))
    found = complexity._lanczos_top(a, top)
    assert found is not None
    lam, vector = found
    assert lam == pytest.approx(values[-1], rel=1e-13)
    np.testing.assert_allclose(vector * np.sign(vector @ vectors[:, -1]), vectors[:, -1], rtol=0, atol=1e-12)
    assert complexity._lanczos_top(np.zeros_like(a), top) is None  # S = 0: invariant start, no answer
    flat = np.full((5, 260), 1 / np.sqrt(5 * 260))  # every industry equally ubiquitous: start vector ∥ top
    assert complexity._lanczos_top(flat, np.full(260, 1 / np.sqrt(260))) is None
    monkeypatch.setattr(complexity, "_LANCZOS_MAX_STEPS", 5)
    assert complexity._lanczos_top(a, top) is None
    lam_dense, vector_dense = complexity._top_eigenpair(a, top)  # falls back to the full decomposition
    assert lam_dense == pytest.approx(values[-1], rel=1e-13)
    np.testing.assert_allclose(np.abs(vector_dense), np.abs(vectors[:, -1]), rtol=0, atol=1e-12)
