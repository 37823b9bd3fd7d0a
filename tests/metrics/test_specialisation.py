from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.classifications.section_groups import NON_OVERLAPPING
from regiolens.metrics.specialisation import (
    SpecialisationIndices,
    _plogp,
    _plogp_sum_of_shares,
    entropy,
    gini_specialisation,
    herfindahl,
    hoover_specialisation,
    krugman_index,
    specialisation_indices,
    variety,
)
from regiolens.warehouse.panel import Panel, query_panel
from regiolens.warehouse.store import Warehouse

nan = np.nan

# regions of 10 each; reference = column sums [8, 5, 7] / 20 = [.4, .25, .35]; the third region is empty
X = np.array([[6.0, 3.0, 1.0], [2.0, 2.0, 6.0], [0.0, 0.0, 0.0]])


def counts(min_industries: int = 1) -> st.SearchStrategy[np.ndarray]:
    """Non-negative count matrices (R, I) whose rows all have a positive total."""
    shape = st.tuples(st.integers(1, 6), st.integers(min_industries, 6))
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=st.integers(0, 10_000).map(float))).map(
        lambda a: np.where(a.sum(axis=-1, keepdims=True) > 0, a, 1.0)
    )


def plogp_sum(*p: float) -> float:
    return -sum(v * math.log(v) for v in p if v > 0)


# --------------------------------------------------------------------------------------- Krugman, Hoover
def test_krugman_and_hoover_small_exact() -> None:
    # |.6−.4| + |.3−.25| + |.1−.35| = .5 ; |.2−.4| + |.2−.25| + |.6−.35| = .5 ; empty region: no structure
    np.testing.assert_allclose(krugman_index(X), [0.5, 0.5, nan], rtol=1e-14)
    np.testing.assert_allclose(hoover_specialisation(X), [0.25, 0.25, nan], rtol=1e-14)


def test_krugman_against_a_named_reference() -> None:
    k = krugman_index(X[:2], reference=[50.0, 30.0, 20.0], reference_total=100.0)
    np.testing.assert_allclose(k, [0.2, 0.8], rtol=1e-14)  # .1+0+.1 ; .3+.1+.4
    # a structure given as shares: reference_total = 1
    np.testing.assert_allclose(krugman_index(X[:2], reference=[0.5, 0.3, 0.2], reference_total=1.0), k, rtol=1e-14)
    # region totals larger than the row sum (unassigned employment): shares of the published total
    k = krugman_index([[6.0, 3.0, 1.0]], region_totals=[20.0], reference=[0.5, 0.3, 0.2], reference_total=1.0)
    np.testing.assert_allclose(k, [0.2 + 0.15 + 0.15], rtol=1e-14)


def test_krugman_nan_cell_and_zero_column() -> None:
    x = np.array([[6.0, 3.0, 1.0, 0.0], [2.0, nan, 6.0, 0.0]])
    k = krugman_index(x, region_totals=[10.0, 10.0], reference=[8.0, 5.0, 7.0, 0.0], reference_total=20.0)
    np.testing.assert_allclose(k, [0.5, nan], rtol=1e-14)  # the zero industry contributes |0 − 0| = 0
    assert np.isnan(krugman_index(x, reference=[1.0, 1.0, 1.0, 1.0], reference_total=0.0)).all()


def test_krugman_broadcasts_over_years() -> None:
    x = np.stack([X[:2], X[:2, ::-1]])  # (T=2, R=2, I=3)
    ref = np.array([[50.0, 30.0, 20.0], [20.0, 30.0, 50.0]])
    k = krugman_index(x, reference=ref, reference_total=[100.0, 100.0])
    assert k.shape == (2, 2)
    for t in range(2):
        np.testing.assert_array_equal(k[t], krugman_index(x[t], reference=ref[t], reference_total=100.0))
    np.testing.assert_allclose(k[1], k[0], rtol=1e-14)  # the same structures mirrored


@given(counts())
def test_krugman_in_0_2_and_hoover_half_of_it(x: np.ndarray) -> None:
    k = krugman_index(x)
    assert ((k >= 0) & (k <= 2 + 1e-12)).all()
    np.testing.assert_allclose(hoover_specialisation(x), k / 2, rtol=1e-15)
    np.testing.assert_allclose(krugman_index(7.0 * x), k, rtol=1e-12, atol=1e-15)  # scale-free


def test_krugman_disjoint_structures_reach_2() -> None:
    assert krugman_index([[5.0, 0.0]], reference=[0.0, 3.0], reference_total=3.0) == pytest.approx([2.0])


def test_reat_krugman_spec2_via_mean_of_other_regions() -> None:
    """REAT krugman.spec2 compares a region with the unweighted mean of the others' share vectors."""
    others = np.array([[1.0, 1.0, 2.0], [3.0, 1.0, 0.0]])
    mean_structure = (others / others.sum(axis=1, keepdims=True)).mean(axis=0)  # [.5, .25, .25]
    k = krugman_index([[6.0, 3.0, 1.0]], reference=mean_structure, reference_total=1.0)
    assert k == pytest.approx([0.1 + 0.05 + 0.15])


# --------------------------------------------------------------------------------------- Gini
def test_gini_specialisation_small_exact() -> None:
    # region 0: LQs 1.5, 1.2, 2/7 — Gini by the mean-difference formula Σ_i Σ_j |a_i − a_j| / (2 n² mean)
    lqs = [Fraction(3, 2), Fraction(6, 5), Fraction(2, 7)]
    by_hand = sum(abs(a - b) for a in lqs for b in lqs) / (2 * 9 * (sum(lqs) / 3))
    g = gini_specialisation(X)
    assert g[0] == pytest.approx(float(by_hand), rel=1e-14)
    assert np.isnan(g[2])
    assert gini_specialisation(X, normalised=True)[0] == pytest.approx(float(by_hand) * 3 / 2, rel=1e-14)


def test_gini_specialisation_matches_reat_formula_as_written() -> None:
    """REAT gini.spec: 2/(n²·R̄)·Σ λ(R_(λ) − R̄) over the sorted LQs (written out with a loop here)."""
    x = np.array([[10.0, 20.0, 5.0, 65.0], [40.0, 10.0, 30.0, 20.0]])
    ref, total = np.array([100.0, 100.0, 50.0, 250.0]), 500.0
    g = gini_specialisation(x, reference=ref, reference_total=total)
    for r in range(2):
        lq = sorted((x[r] / x[r].sum()) / (ref / total))
        n, mean = len(lq), sum(lq) / len(lq)
        reat = 2 / (n**2 * mean) * sum(lam * (v - mean) for lam, v in enumerate(lq, start=1))
        assert g[r] == pytest.approx(reat, rel=1e-13)


def test_gini_specialisation_zero_industry_and_nan() -> None:
    # an industry absent from reference and region is not part of the economy: same as without the column
    x = np.array([[6.0, 3.0, 0.0, 1.0], [2.0, 2.0, 0.0, 6.0]])
    np.testing.assert_allclose(gini_specialisation(x), gini_specialisation(x[:, [0, 1, 3]]), rtol=1e-14)
    # employment in an industry the reference lacks (LQ = x/0) and NaN cells give NaN
    g = gini_specialisation([[1.0, 1.0], [1.0, nan]], reference=[0.0, 5.0], reference_total=5.0)
    assert np.isnan(g).all()
    # an even structure has no inequality; a single industry has n = 1
    assert gini_specialisation([[2.0, 4.0]], reference=[1.0, 2.0], reference_total=3.0) == pytest.approx([0.0])
    assert np.isnan(gini_specialisation([[3.0]], normalised=True)).all()


@given(counts())
def test_gini_specialisation_bounds(x: np.ndarray) -> None:
    g = gini_specialisation(x)
    n = (x.sum(axis=0) > 0).sum()
    assert ((g >= -1e-12) & (g <= (n - 1) / n + 1e-12)).all()


# --------------------------------------------------------------------------------------- Herfindahl
def test_herfindahl_small_exact() -> None:
    np.testing.assert_allclose(herfindahl(X), [0.46, 0.44, nan], rtol=1e-14)
    np.testing.assert_allclose(herfindahl(X, normalised=True), [0.19, 0.16, nan], rtol=1e-13)
    assert herfindahl([[0.0, 5.0, 0.0]]) == pytest.approx([1.0])
    assert herfindahl([[0.0, 5.0, 0.0]], normalised=True) == pytest.approx([1.0])
    assert herfindahl([[2.0, 2.0]], normalised=True) == pytest.approx([0.0])
    assert np.isnan(herfindahl([[4.0]], normalised=True)).all()
    assert np.isnan(herfindahl([[4.0, nan]], region_totals=[8.0])).all()
    np.testing.assert_allclose(herfindahl(np.stack([X, 2 * X])), [[0.46, 0.44, nan]] * 2, rtol=1e-14)


@given(counts())
def test_herfindahl_between_1_over_i_and_1(x: np.ndarray) -> None:
    h = herfindahl(x)
    n = x.shape[-1]
    assert ((h >= 1 / n - 1e-12) & (h <= 1 + 1e-12)).all()
    hn = herfindahl(x, normalised=True)
    if n > 1:
        assert ((hn >= -1e-12) & (hn <= 1 + 1e-12)).all()


# --------------------------------------------------------------------------------------- entropy, variety
def test_entropy_small_exact() -> None:
    e = entropy(X)
    assert e[0] == pytest.approx(plogp_sum(0.6, 0.3, 0.1), rel=1e-14)
    assert e[1] == pytest.approx(plogp_sum(0.2, 0.2, 0.6), rel=1e-14)
    assert np.isnan(e[2])
    assert entropy([[1.0, 1.0, 1.0, 1.0]], base=2) == pytest.approx([2.0])  # log2(4) bits
    assert entropy([[0.0, 7.0]]) == pytest.approx([0.0])  # 0 · log 0 = 0
    assert np.isnan(entropy([[1.0, nan]], region_totals=[2.0])).all()
    with pytest.raises(ValueError, match="base"):
        entropy(X, base=1.0)


def test_entropy_econgeo_convention() -> None:
    """EconGeo entropy: −Σ p·log2(p + 1e-9), rounded to 3 dp — equal to ours in bits at that precision."""
    x = np.array([[6.0, 3.0, 1.0, 0.0], [2.0, 2.0, 6.0, 5.0]])
    p = x / x.sum(axis=1, keepdims=True)
    econgeo = np.round(-(p * np.log2(p + 1e-9)).sum(axis=1), 3)
    np.testing.assert_allclose(np.round(entropy(x, base=2), 3), econgeo, rtol=0)
    np.testing.assert_allclose(entropy(x, base=2), -(p * np.log2(p + 1e-9)).sum(axis=1), atol=1e-7)


def test_variety_small_exact() -> None:
    # shares .125, .125 | .25, .5 ; group shares .25, .75
    v = variety([[1.0, 1.0, 2.0, 4.0]], np.array([0, 0, 1, 1]))
    unrelated = plogp_sum(0.25, 0.75)
    related = 0.25 * math.log(2) + 0.75 * plogp_sum(1 / 3, 2 / 3)
    assert v.unrelated == pytest.approx([unrelated], rel=1e-14)
    assert v.related == pytest.approx([related], rel=1e-14)
    assert v.entropy == pytest.approx([plogp_sum(0.125, 0.125, 0.25, 0.5)], rel=1e-14)
    np.testing.assert_allclose(v.entropy, v.related + v.unrelated, rtol=1e-14)


def test_variety_edge_cases() -> None:
    x = np.array([[1.0, 1.0, 2.0, 4.0], [0.0, 0.0, 3.0, 0.0], [1.0, nan, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    v = variety(x, np.array([7, 7, 3, 3]), base=2)  # ids need not be contiguous
    assert v.unrelated[0] == pytest.approx(plogp_sum(0.25, 0.75) / math.log(2))
    assert (v.entropy[1], v.related[1], v.unrelated[1]) == (0.0, 0.0, 0.0)  # a single industry
    assert np.isnan([v.entropy[2], v.related[2], v.unrelated[2]]).all()  # a NaN cell
    assert np.isnan([v.entropy[3], v.related[3], v.unrelated[3]]).all()  # an empty region
    # one group per industry: all variety is unrelated; one group for all: all related
    one_each = variety(x[:1], np.arange(4))
    assert one_each.related == pytest.approx([0.0]) and one_each.unrelated == pytest.approx(one_each.entropy)
    one_for_all = variety(x[:1], np.zeros(4, dtype=int))
    assert one_for_all.unrelated == pytest.approx([0.0]) and one_for_all.related == pytest.approx(one_for_all.entropy)
    with pytest.raises(ValueError, match="one id per industry"):
        variety(x, np.array([0, 1]))
    with pytest.raises(ValueError, match="integer"):
        variety(x, np.array([0.0, 0.0, 1.0, 1.0]))


def test_variety_broadcasts_over_years() -> None:
    x = np.stack([X[:2], X[:2] ** 2])
    groups = np.array([0, 0, 1])
    v = variety(x, groups)
    assert v.entropy.shape == (2, 2)
    for t in range(2):
        vt = variety(x[t], groups)
        np.testing.assert_array_equal(v.related[t], vt.related)
        np.testing.assert_array_equal(v.unrelated[t], vt.unrelated)
    np.testing.assert_array_equal(v.entropy, entropy(x))


@settings(max_examples=200)
@given(counts(min_industries=1), st.data())
def test_entropy_equals_related_plus_unrelated_variety(x: np.ndarray, data: st.DataObject) -> None:
    n = x.shape[-1]
    groups = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    v = variety(x, groups)
    np.testing.assert_allclose(v.entropy, v.related + v.unrelated, rtol=1e-12, atol=1e-14)
    assert ((v.related >= -1e-12) & (v.unrelated >= -1e-12)).all()
    assert (v.entropy <= math.log(n) + 1e-12).all()
    np.testing.assert_array_equal(v.entropy, entropy(x))


# --------------------------------------------------------------------------------------- official data
def employment(
    wh: Warehouse, years: list[int], level: str, industries: list[str], regions: list[str] | None = None
) -> Panel:
    return query_panel(
        wh.ibis,
        measure="employment",
        years=years,
        region_level=level,
        classification="wz2008-sg",
        industries=industries,
        regions=regions,
    )


@pytest.mark.integration
def test_specialisation_of_the_kreise_2020(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        panel = employment(wh, [2020], "de:kreis", list(NON_OVERLAPPING))
        totals = employment(wh, [2020], "de:kreis", ["TOTAL", "G-U"])
        germany = employment(wh, [2020], "de:bund", [*NON_OVERLAPPING, "TOTAL"], regions=["DG"])
    assert totals.regions == panel.regions
    x, total, g_u = panel.values[0], totals.values[0, :, 0], totals.values[0, :, 1]
    ref, ref_total = germany.values[0, 0, :-1], germany.values[0, 0, -1]
    assert x.shape == (401, 10) and np.isfinite(total).all() and np.isfinite(ref).all()
    named = {"region_totals": total, "reference": ref, "reference_total": ref_total}
    production = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 1])  # A, B-E, F | services G-I … R-U
    measures = {
        "krugman": krugman_index(x, **named),
        "hoover": hoover_specialisation(x, **named),
        "gini": gini_specialisation(x, **named),
        "herfindahl": herfindahl(x, region_totals=total),
        "entropy": entropy(x, region_totals=total),
        "related": variety(x, production, region_totals=total).related,
    }

    # What the data say: 20 Kreise have a suppressed section group in 2020 (Wolfsburg: A and B-E), so
    # their structure is unknown and every measure is NaN there; the other 381 are all finite.
    complete = ~np.isnan(x).any(axis=1)
    assert complete.sum() == 381
    wolfsburg = panel.regions.index("03103")
    assert not complete[wolfsburg] and np.isnan(x[wolfsburg, :2]).all()
    for name, m in measures.items():
        assert np.isfinite(m[complete]).all(), name
        assert np.isnan(m[~complete]).all(), name
    k = measures["krugman"]
    assert (k[complete] > 0).all() and (k[complete] < 2).all()
    assert panel.regions[int(np.nanargmax(k))] == "08327"  # Tuttlingen: the most specialised Kreis with full data

    # Wolfsburg, bounded. Merging industries can only lower K (triangle inequality), and A + B-E + F is
    # known as TOTAL − (G-U) − u, with u ≥ 0 the employment without assignment (0 … 26 persons, at most
    # 0.05 % of a Kreis where it is known). So K on the coarser partition, minus u / TOTAL, bounds K below.
    coarse = np.column_stack([total - g_u, x[:, 3:]])
    coarse_ref = np.concatenate([[ref[:3].sum()], ref[3:]])
    k_coarse = krugman_index(coarse, region_totals=total, reference=coarse_ref, reference_total=ref_total)
    assert np.isfinite(k_coarse).sum() == 394
    unassigned = (total - x.sum(axis=1))[complete] / total[complete]
    assert ((unassigned >= 0) & (unassigned < 5e-4)).all()
    assert (k_coarse[complete] - unassigned <= k[complete] + 1e-12).all()
    order = [panel.regions[i] for i in np.argsort(-np.nan_to_num(k_coarse, nan=-1.0))]
    assert order[:3] == ["08327", "03103", "09279"]
    # even with a 20-fold allowance for u, only two of the 381 fully known Kreise lie above Wolfsburg
    assert k_coarse[wolfsburg] == pytest.approx(0.6589, abs=1e-4)
    assert (k[complete] > k_coarse[wolfsburg] - 0.01).sum() == 2

    # the whole panel 2015–2020 at once equals year by year
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        years = list(range(2015, 2021))
        six = employment(wh, years, "de:kreis", list(NON_OVERLAPPING))
        de6 = employment(wh, years, "de:bund", list(NON_OVERLAPPING), regions=["DG"])
    k6 = krugman_index(six.values, reference=de6.values[:, 0, :])
    assert k6.shape == (6, 401)
    np.testing.assert_array_equal(k6[-1], krugman_index(six.values[-1], reference=de6.values[-1, 0, :]))
    v6 = variety(six.values, production)
    np.testing.assert_allclose(v6.entropy, v6.related + v6.unrelated, rtol=1e-12, equal_nan=True)


# --------------------------------------------------------------------------------------- all five at once
def _assert_same_as_single(x: np.ndarray, **kwargs: np.ndarray) -> None:
    own = {k: v for k, v in kwargs.items() if k == "region_totals"}
    got = specialisation_indices(x, **kwargs)
    assert isinstance(got, SpecialisationIndices)
    expected = {
        "krugman": krugman_index(x, **kwargs),
        "hoover": hoover_specialisation(x, **kwargs),
        "gini": gini_specialisation(x, **kwargs),
        "herfindahl": herfindahl(x, **own),
        "entropy": entropy(x, **own),
    }
    for name, value in expected.items():
        np.testing.assert_array_equal(getattr(got, name), value, err_msg=name)  # exact, NaN where NaN
        assert getattr(got, name).shape == value.shape


def test_specialisation_indices_equal_the_single_functions_small() -> None:
    _assert_same_as_single(X)  # incl. the empty (zero) region
    _assert_same_as_single(X, reference=np.array([8.0, 5.0, 7.0]), reference_total=np.array(25.0))
    _assert_same_as_single(X, region_totals=np.array([12.0, 10.0, 0.0]))


def test_specialisation_indices_nan_zero_rows_and_columns() -> None:
    x = np.array([[6.0, 3.0, 1.0, 0.0], [2.0, nan, 6.0, 0.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.0]])
    _assert_same_as_single(x)
    _assert_same_as_single(x, reference=np.array([10.0, 5.0, 8.0, 0.0]))
    got = specialisation_indices(x)
    assert np.isnan(got.krugman[1]) and np.isnan(got.gini[2]) and np.isnan(got.entropy[2])


def test_specialisation_indices_leading_year_axes() -> None:
    rng = np.random.default_rng(11)
    panel = rng.integers(0, 20, (2, 3, 7, 9)).astype(np.float64)  # (scenario, year, region, industry)
    panel[:, 1, 2, :] = 0.0
    panel[1, 2, 4, 5] = nan
    panel[:, 2:, :, 0] = 0.0
    _assert_same_as_single(panel)
    _assert_same_as_single(panel, reference=np.nansum(panel, axis=-2) + 1.0)
    _assert_same_as_single(panel, region_totals=np.nansum(panel, axis=-1) * 1.5)
    assert specialisation_indices(panel).gini.shape == (2, 3, 7)


@given(counts(min_industries=2))
def test_specialisation_indices_equal_the_single_functions(x: np.ndarray) -> None:
    _assert_same_as_single(x)


def test_plogp_sum_in_blocks_is_the_sum_of_the_where_form() -> None:
    rng = np.random.default_rng(5)
    p = rng.random((40, 50)) ** 8
    p[rng.random(p.shape) < 0.3] = 0.0
    p[0, :10] = [0.0, -0.0, 1.0, 0.0, 0.5, 5e-324, 1e-300, 0.25, 1.0 - 1e-16, 1.0 + 2e-16]
    p[1, 3], p[2, 7], p[3, 0] = np.nan, -0.5, np.inf  # NaN, negative (NaN) and infinite shares
    p[4], p[5] = 0.0, -0.0  # rows without any share
    p[6], p[6, 9] = 0.0, 1.0  # a single industry
    expected = np.sum(_plogp(p), axis=-1)
    got = _plogp_sum_of_shares(p, np.empty(0))
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0)  # NaN where NaN, ±inf where ±inf
    assert np.isnan(got[1:3]).all() and got[3] == np.inf and (got[4:7] == 0).all()


def _gini_by_hand(x: np.ndarray, reference: np.ndarray) -> float:
    """The documented rule for one region, written out: NaN for a NaN cell or an LQ x/0; industries absent from
    region and reference left out; G = 2/(n²·R̄)·Σ λ(R_(λ) − R̄) over the sorted LQs."""
    share, ref_share = x / x.sum(), reference / reference.sum()
    if np.isnan(share).any() or ((ref_share == 0) & (share != 0)).any():
        return nan
    lq = sorted(share[ref_share != 0] / ref_share[ref_share != 0])
    n, mean = len(lq), sum(lq) / len(lq)
    return 2 / (n**2 * mean) * sum(lam * (v - mean) for lam, v in enumerate(lq, start=1))


def test_gini_specialisation_absent_industries_nan_cells_by_hand() -> None:
    rng = np.random.default_rng(17)
    x = np.where(rng.random((30, 12)) < 0.3, 0.0, rng.integers(1, 500, (30, 12)).astype(np.float64))
    reference = x.sum(axis=0) + rng.integers(0, 50, 12)
    reference[[2, 7]] = 0.0  # two industries absent from the reference …
    x[:, [2, 7]] = 0.0
    x[3, 7] = 4.0  # … one of them present in region 3 (LQ x/0)
    x[5, 1] = nan  # a suppressed cell
    x[8] = 0.0  # an empty region (0/0 shares)
    g = gini_specialisation(x, reference=reference)
    expected = [_gini_by_hand(row, reference) if row.sum() != 0 else nan for row in x]
    assert np.isnan(g[[3, 5, 8]]).all()
    np.testing.assert_allclose(g, expected, rtol=1e-12, atol=0)
