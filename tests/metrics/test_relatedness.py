from __future__ import annotations

import contextlib
import importlib
import io
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from regiolens.metrics.relatedness import (
    co_occurrence,
    complexity_outlook,
    density,
    density_inside,
    density_inside_mean,
    density_outside,
    density_outside_mean,
    opportunity_gain,
    proximity,
    relatedness,
    relatedness_from_co_occurrence,
)

nan = np.nan

# 4 regions × 4 industries; industry 3 is present nowhere (ubiquity 0).
M = np.array(
    [
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [0, 1, 1, 0],
        [1, 0, 0, 0],
    ],
    dtype=bool,
)
# u = (3, 3, 2, 0); |M_0 ∩ M_1| = 2, |M_0 ∩ M_2| = 1, |M_1 ∩ M_2| = 2
# φ_01 = 2/max(3,3), φ_02 = 1/max(3,2), φ_12 = 2/max(3,2); industry 3: 0 everywhere, its diagonal too.
PHI = np.array(
    [
        [1, 2 / 3, 1 / 3, 0],
        [2 / 3, 1, 2 / 3, 0],
        [1 / 3, 2 / 3, 1, 0],
        [0, 0, 0, 0],
    ]
)
# Column sums of φ: (2, 7/3, 2, 0). d_ri = Σ_j M_rj φ_ji / colsum_i, 0/0 → 0:
#   r0 numerator (5/3, 5/3, 1, 0), r1 = colsums, r2 (1, 5/3, 5/3, 0), r3 = φ row 0.
D = np.array(
    [
        [5 / 6, 5 / 7, 1 / 2, 0],
        [1, 1, 1, 0],
        [1 / 2, 5 / 7, 5 / 6, 0],
        [1 / 2, 2 / 7, 1 / 6, 0],
    ]
)
PCI = np.array([1.0, 2.0, 3.0, nan])  # industry 3 has no PCI (ubiquity 0)


def test_proximity_by_hand() -> None:
    np.testing.assert_allclose(proximity(M), PHI, rtol=0, atol=1e-15)
    phi0 = proximity(M, diagonal=0.0)
    np.testing.assert_allclose(phi0, PHI - np.diag([1, 1, 1, 0]), rtol=0, atol=1e-15)
    assert not np.isnan(proximity(np.zeros((3, 2), dtype=bool))).any()
    np.testing.assert_array_equal(proximity(np.zeros((3, 2), dtype=bool)), 0.0)


def test_co_occurrence_by_hand() -> None:
    expected = np.array([[0, 2, 1, 0], [2, 0, 2, 0], [1, 2, 0, 0], [0, 0, 0, 0]], dtype=float)
    np.testing.assert_array_equal(co_occurrence(M), expected)
    np.testing.assert_array_equal(co_occurrence(M.astype(int)), expected)


@pytest.mark.parametrize(
    ("method", "r01", "r02", "r12"),
    [
        # s = (3, 4, 3, 0), T = 10. expected_ij = s_i s_j / 2 · (1/(T − s_i) + 1/(T − s_j))
        ("probability", 2 / (6 * (1 / 7 + 1 / 6)), 1 / (4.5 * (2 / 7)), 2 / (6 * (1 / 6 + 1 / 7))),
        ("prob", 14 / 13, 7 / 9, 14 / 13),
        ("association", 2 * 10 / 12, 10 / 9, 2 * 10 / 12),  # c T / (s_i s_j)
        ("cosine", 2 / np.sqrt(12), 1 / 3, 2 / np.sqrt(12)),
        ("jaccard", 2 / 5, 1 / 5, 2 / 5),  # c / (s_i + s_j − c)
    ],
)
def test_relatedness_by_hand(method: Any, r01: float, r02: float, r12: float) -> None:
    expected = np.array([[0, r01, r02, 0], [r01, 0, r12, 0], [r02, r12, 0, 0], [0, 0, 0, 0]])
    np.testing.assert_allclose(relatedness(M, method), expected, rtol=1e-14, atol=0)
    np.testing.assert_allclose(relatedness_from_co_occurrence(co_occurrence(M), method), expected, rtol=1e-14)


def test_relatedness_rejects_unknown_method_and_nonbinary_input() -> None:
    with pytest.raises(ValueError, match="unknown"):
        relatedness(M, "pearson")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="binary"):
        proximity(np.array([[0.5, 1.0]]))
    with pytest.raises(ValueError, match="binary"):
        density(np.array([[nan, 1.0]]), np.eye(2))


def test_density_by_hand_and_masks() -> None:
    d = density(M, PHI)
    np.testing.assert_allclose(d, D, rtol=0, atol=1e-15)
    assert ((d >= 0) & (d <= 1)).all()
    np.testing.assert_array_equal(np.isnan(density_inside(M, d)), ~M)
    np.testing.assert_array_equal(np.isnan(density_outside(M, d)), M)
    np.testing.assert_allclose(density_inside(M, d)[M], D[M])
    np.testing.assert_allclose(
        density_inside_mean(M, d), [(5 / 6 + 5 / 7) / 2, 1, (5 / 7 + 5 / 6) / 2, 1 / 2], rtol=1e-15
    )
    np.testing.assert_allclose(density_outside_mean(M, d), [1 / 4, 0, 1 / 4, (2 / 7 + 1 / 6) / 3], rtol=1e-15)
    # a region without industries / with every industry: mean over nothing is NaN
    full = np.array([[True, True], [False, False]])
    d2 = density(full, np.eye(2))
    np.testing.assert_array_equal(density_inside_mean(full, d2), [1, nan])
    np.testing.assert_array_equal(density_outside_mean(full, d2), [nan, 0])


def test_complexity_outlook_and_gain_by_hand() -> None:
    # COI_r = Σ_i d_ri (1 − M_ri) PCI_i; industry 3 has d = 0, so its NaN PCI does not count.
    np.testing.assert_allclose(complexity_outlook(M, PHI, PCI), [1.5, 0, 0.5, 4 / 7 + 1 / 2], rtol=1e-15)
    # Row sums of φ (2, 7/3, 2, 0) → weights PCI_j / rowsum_j = (1/2, 6/7, 3/2, 0)
    expected = np.array(
        [
            [0, 0, 3 / 2, 0],
            [0, 0, 0, 0],
            [1 / 2, 0, 0, 0],
            [0, 6 / 7 + 1, 4 / 7 + 3 / 2, 0],
        ]
    )
    np.testing.assert_allclose(opportunity_gain(M, PHI, PCI), expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(opportunity_gain(M, PHI, PCI, eci_std=2.0), expected / 2, rtol=1e-15, atol=0)
    coi = complexity_outlook(M, PHI, PCI, standardize=True)
    assert abs(coi.mean()) < 1e-15 and abs(coi.std() - 1) < 1e-15
    # a NaN PCI of an industry that matters is not hidden
    assert np.isnan(complexity_outlook(M, PHI, [1.0, 2.0, nan, 0.0])[0])


def test_leading_axis_equals_per_year() -> None:
    rng = np.random.default_rng(7)
    m = rng.random((3, 12, 9)) < 0.4
    m[1, :, 4] = False  # an industry present nowhere in year 1
    pci = rng.normal(size=(3, 9))
    pci[1, 4] = nan
    eci_std = np.array([0.5, 1.0, 2.0])
    phi = proximity(m)
    d = density(m, phi)
    coi = complexity_outlook(m, phi, pci)
    cog = opportunity_gain(m, phi, pci, eci_std=eci_std)
    assert not np.isnan(phi).any() and not np.isnan(d).any()
    assert not np.isnan(coi).any() and not np.isnan(cog).any()
    for t in range(3):
        np.testing.assert_allclose(phi[t], proximity(m[t]), rtol=1e-15)
        np.testing.assert_allclose(d[t], density(m[t], phi[t]), rtol=1e-15)
        np.testing.assert_allclose(coi[t], complexity_outlook(m[t], phi[t], pci[t]), rtol=1e-14)
        np.testing.assert_allclose(cog[t], opportunity_gain(m[t], phi[t], pci[t], eci_std=eci_std[t]), rtol=1e-14)
        np.testing.assert_allclose(co_occurrence(m)[t], co_occurrence(m[t]))
        for method in ("probability", "association", "cosine", "jaccard"):
            np.testing.assert_allclose(relatedness(m, method)[t], relatedness(m[t], method), rtol=1e-14)


def test_proximity_and_density_equal_the_plain_float64_formulas() -> None:
    """proximity counts in float32 and divides by max(u_i, u_j, 1); density goes year by year: values exactly as
    the plain float64 formulas, including an industry and a region without presence."""
    rng = np.random.default_rng(11)
    m = rng.random((3, 60, 45)) < 0.35
    m[1, :, 7] = False  # an industry present nowhere in year 1
    m[2, 4, :] = False  # a region without industries in year 2
    mf = m.astype(np.float64)
    c = np.swapaxes(mf, -1, -2) @ mf
    u = np.diagonal(c, axis1=-2, axis2=-1)
    with np.errstate(invalid="ignore"):
        expected = np.nan_to_num(c / np.maximum(u[..., :, None], u[..., None, :]))
    phi = proximity(m)
    np.testing.assert_array_equal(phi, expected)
    np.testing.assert_array_equal(co_occurrence(m), c - u[..., None] * np.eye(45))
    with np.errstate(invalid="ignore"):
        d_expected = np.nan_to_num((mf @ phi) / phi.sum(axis=-2)[..., None, :])
    np.testing.assert_array_equal(density(m, phi), d_expected)
    # one phi for every year broadcasts like matmul; fewer columns give the densities of those columns only;
    # a phi whose rows do not match the industries is an error
    np.testing.assert_array_equal(density(m, phi[0]), np.stack([density(m[t], phi[0]) for t in range(3)]))
    np.testing.assert_allclose(density(m, phi[..., :-1]), density(m, phi)[..., :-1], rtol=1e-14)  # BLAS blocking
    with pytest.raises(ValueError, match="phi must have shape"):
        density(m, phi[..., :-1, :])


def test_density_non_finite_is_zero() -> None:
    """0/0 (a column of phi summing to 0) and a NaN in phi give density 0 in that industry's column."""
    phi = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, nan, 0.0]])
    d = density(np.array([[True, False, True], [False, True, False]]), phi)
    np.testing.assert_array_equal(d, [[1 / 1.5, 0.0, 0.0], [0.5 / 1.5, 0.0, 0.0]])


# --- agreement with ecomplexity 0.5.3 ---------------------------------------------------------------------

N_REG, N_IND, YEARS = 40, 25, (2020, 2021)


@pytest.fixture(scope="module")
def ecx() -> dict[str, Any]:
    ecomplexity = pytest.importorskip("ecomplexity")
    rng = np.random.default_rng(2024)
    rows = []
    for year in YEARS:
        # region size × industry size × noise: dense, well connected
        x = np.outer(rng.lognormal(3, 1, N_REG), rng.lognormal(2, 1, N_IND)) * rng.lognormal(0, 0.8, (N_REG, N_IND))
        rows += [(year, f"r{r:02d}", f"p{i:02d}", x[r, i]) for r in range(N_REG) for i in range(N_IND)]
    df = pd.DataFrame(rows, columns=["year", "loc", "prod", "val"])
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity.ecomplexity(df, cols, presence_test="rca", check_logsupermodularity=False, verbose=False)
        prox = ecomplexity.proximity(df, cols, presence_test="rca")

    def cube(col: str) -> np.ndarray:
        wide = out.pivot_table(index=["year", "loc"], columns="prod", values=col, sort=True)
        return wide.to_numpy(dtype=float).reshape(len(YEARS), N_REG, N_IND)

    phi = prox.sort_values(["year", "prod_1", "prod_2"])["proximity"].to_numpy(dtype=float)
    m = cube("mcp").astype(bool)
    # ecomplexity computes COI/COG from its raw eigenvectors (kc, kp) before normalising: recompute them
    calc_eci_pci = importlib.import_module("ecomplexity.ecomplexity").calc_eci_pci
    raw = [
        calc_eci_pci(SimpleNamespace(t=y, mcp_t=m[t].astype(float), diversity_t=m[t].sum(1), ubiquity_t=m[t].sum(0)))
        for t, y in enumerate(YEARS)
    ]
    return {
        "m": m,
        "phi": phi.reshape(len(YEARS), N_IND, N_IND),
        "density": cube("density"),
        "coi": cube("coi")[..., 0],
        "cog": cube("cog"),
        "pci": cube("pci")[:, 0, :],
        "kc": np.array([r[0] for r in raw]),
        "kp": np.array([r[1] for r in raw]),
    }


def test_proximity_and_density_match_ecomplexity(ecx: dict[str, Any]) -> None:
    m = ecx["m"]
    assert m.any(axis=-2).all() and m.any(axis=-1).all()  # no zero ubiquity/diversity: nothing NaN there
    phi = proximity(m)
    np.testing.assert_allclose(phi, ecx["phi"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(density(m, phi), ecx["density"], rtol=0, atol=1e-9)


def test_coi_cog_match_ecomplexity(ecx: dict[str, Any]) -> None:
    m, kc, kp = ecx["m"], ecx["kc"], ecx["kp"]
    mean, sd = kc.mean(axis=-1, keepdims=True), kc.std(axis=-1, keepdims=True)
    # the recomputed raw eigenvectors are ecomplexity's: its published PCI is (kp − mean(kc)) / sd(kc)
    np.testing.assert_allclose((kp - mean) / sd, ecx["pci"], rtol=0, atol=1e-9)
    phi = proximity(m)
    np.testing.assert_allclose(complexity_outlook(m, phi, kp, standardize=True), ecx["coi"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(opportunity_gain(m, phi, kp, eci_std=sd[..., 0]), ecx["cog"], rtol=0, atol=1e-9)
