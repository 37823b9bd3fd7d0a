from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.metrics.strength import (
    PRESETS,
    SMALL_NUMBER_RULES,
    StrengthRule,
    classify_strength,
    small_numbers,
)

nan = np.nan

# One cluster, eight regions of one type. Region 5 has no employment and is outside the percentile population.
#              r0     r1    r2    r3    r4    r5    r6    r7
LQ = np.array([2.0, 1.5, 1.2, 0.9, 0.5, 0.0, 1.1, 3.0])
EMP = np.array([500.0, 300.0, 50.0, 800.0, 100.0, 0.0, 200.0, 150.0])
EST = np.array([20.0, 12.0, 2.0, 30.0, 5.0, 0.0, 8.0, 1.0])
# Percentiles by hand over the n = 7 regions with emp > 0, linear interpolation at h = (n − 1)·p:
#   LQ sorted  0.5 0.9 1.1 1.2 1.5 2.0 3.0   P75: h = 4.5 → 1.5 + .5·(2.0 − 1.5) = 1.75
#                                            P90: h = 5.4 → 2.0 + .4·(3.0 − 2.0) = 2.4
#                                            P50: h = 3   → 1.2 ;  P25: h = 1.5 → 0.9 + .5·0.2 = 1.0
#   emp sorted 50 100 150 200 300 500 800    P25: h = 1.5 → 100 + .5·50 = 125
#   est sorted 1 2 5 8 12 20 30              P25: h = 1.5 → 2 + .5·3 = 3.5


def col(a: np.ndarray) -> np.ndarray:
    return a[:, None]  # (R, I=1)


def test_presets_are_documented() -> None:
    assert {"lq>=1", "lq>=1.25", "top-quartile", "us-cmp-strong", "us-cmp-strong10"} <= set(PRESETS)
    for key, rule in PRESETS.items():
        assert rule.key == key
        assert rule.description_de and rule.description_en and rule.source and rule.name("en")
    assert "Delgado" in PRESETS["us-cmp-strong"].source
    assert PRESETS["lq>=1.25"].name("de") == "LQ ≥ 1,25"


def test_us_cmp_strong_on_a_hand_computed_example() -> None:
    res = classify_strength(col(LQ), rule="us-cmp-strong", employment=col(EMP), establishments=col(EST))
    assert [c.key for c in res.conditions] == [
        "lq_quantile",
        "employment_quantile",
        "establishments_quantile",
        "lq_min",
    ]
    assert res.condition("lq_quantile").threshold.item() == pytest.approx(1.75)
    assert res.condition("employment_quantile").threshold.item() == pytest.approx(125.0)
    assert res.condition("establishments_quantile").threshold.item() == pytest.approx(3.5)
    assert res.condition("lq_min").threshold.item() == 1.0
    # LQ ≥ 1.75: r0, r7; emp > 125: r7 (150) yes; est > 3.5: r7 (1) no → only r0
    np.testing.assert_array_equal(res.condition("lq_quantile").held[:, 0], LQ >= 1.75)
    np.testing.assert_array_equal(res.strong[:, 0], [True, False, False, False, False, False, False, False])
    assert res.known.all() and not res.approximate and res.notes == ()
    assert res.condition("lq_quantile").label_en == "LQ ≥ P75(LQ)"
    assert res.condition("employment_quantile").label_de == "Beschäftigte > P25(Beschäftigte)"


def test_other_us_cmp_levels_on_the_same_example() -> None:
    kw = {"employment": col(EMP), "establishments": col(EST)}
    strong10 = classify_strength(col(LQ), rule="us-cmp-strong10", **kw)
    assert strong10.condition("lq_quantile").threshold.item() == pytest.approx(2.4)
    assert not strong10.strong.any()  # only r7 reaches P90, and it has too few establishments
    significant = classify_strength(col(LQ), rule="us-cmp-significant", **kw)  # LQ > 1.2 strictly
    assert significant.condition("lq_quantile").threshold.item() == pytest.approx(1.2)
    assert np.flatnonzero(significant.strong[:, 0]).tolist() == [0, 1]
    qualifying = classify_strength(col(LQ), rule="us-cmp-qualifying", **kw)  # LQ > 1.0 strictly
    assert qualifying.condition("lq_quantile").threshold.item() == pytest.approx(1.0)
    assert np.flatnonzero(qualifying.strong[:, 0]).tolist() == [0, 1, 6]


def test_us_cmp_strong_needs_lq_of_at_least_one() -> None:
    lq = np.array([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    res = classify_strength(col(lq), rule="us-cmp-strong", employment=col(EMP + 1), establishments=col(EST + 10))
    assert res.condition("lq_quantile").held.any()
    assert not res.strong.any()


def test_without_establishments_the_rule_is_an_approximation() -> None:
    res = classify_strength(col(LQ), rule="us-cmp-strong", employment=col(EMP))
    assert res.approximate
    assert "establishment counts missing" in res.notes[0]
    assert [c.key for c in res.conditions] == ["lq_quantile", "employment_quantile", "lq_min"]
    np.testing.assert_array_equal(np.flatnonzero(res.strong[:, 0]), [0, 7])  # r7 now passes
    with pytest.raises(ValueError, match="needs employment"):
        classify_strength(col(LQ), rule="us-cmp-strong")


def test_absolute_and_top_quartile_rules() -> None:
    lq = np.array([[1.0, 0.99], [1.25, 1.3], [nan, 2.0], [0.0, 0.5]])
    one = classify_strength(lq)
    np.testing.assert_array_equal(one.strong, [[True, False], [True, True], [False, True], [False, False]])
    np.testing.assert_array_equal(one.known, ~np.isnan(lq))
    assert one.condition("lq_min").label_de == "LQ ≥ 1"
    np.testing.assert_array_equal(classify_strength(lq, rule="lq>=1.25").strong[:, 0], [False, True, False, False])
    # top quartile without employment: population LQ > 0 → column 0 {1.0, 1.25}: P75 = 1.1875
    top = classify_strength(lq, rule="top-quartile")
    np.testing.assert_allclose(
        top.condition("lq_quantile").threshold, [[1.1875, 1.475]]
    )  # col 1: .5 .99 1.3 2.0, h = 2.25
    np.testing.assert_array_equal(top.strong, [[False, False], [True, False], [False, True], [False, False]])
    assert "unknown" in top.notes[0]


def test_a_custom_rule() -> None:
    rule = StrengthRule("mine", "Meine", "Mine", "LQ ≥ 2", "LQ ≥ 2", "house rule", lq_min=2.0)
    assert classify_strength(col(LQ), rule=rule).strong[:, 0].tolist() == [True] + [False] * 6 + [True]


def test_unknown_cells_are_not_classified_and_leave_the_population() -> None:
    lq, emp = LQ.copy(), EMP.copy()
    lq[1] = nan  # a suppressed cell
    emp[4] = nan
    res = classify_strength(col(lq), rule="us-cmp-strong", employment=col(emp), establishments=col(EST))
    assert not res.known[1, 0] and not res.known[4, 0] and not res.strong[[1, 4], 0].any()
    assert res.known[5, 0]  # no employment: certainly not strong
    # population now r0 r2 r3 r6 r7: LQ sorted 0.9 1.1 1.2 2.0 3.0, P75: h = 3 → 2.0
    assert res.condition("lq_quantile").threshold.item() == pytest.approx(2.0)
    assert res.notes and "2 cell(s)" in res.notes[0]


def test_strength_broadcasts_over_years() -> None:
    lq = np.stack([np.column_stack([LQ, LQ[::-1]]), np.column_stack([LQ[::-1], LQ])])  # (T=2, R=8, I=2)
    emp = np.stack([np.column_stack([EMP, EMP[::-1]])] * 2)
    est = np.stack([np.column_stack([EST, EST[::-1]])] * 2)
    res = classify_strength(lq, rule="us-cmp-strong", employment=emp, establishments=est)
    assert res.strong.shape == (2, 8, 2)
    assert res.condition("lq_quantile").threshold.shape == (2, 1, 2)
    for t in range(2):
        one = classify_strength(lq[t], rule="us-cmp-strong", employment=emp[t], establishments=est[t])
        np.testing.assert_array_equal(res.strong[t], one.strong)
    assert res.strong[0, 0, 0] and res.strong[0, 7, 1]


@given(arrays(np.float64, st.tuples(st.integers(1, 9), st.integers(1, 4)), elements=st.floats(0, 5)))
def test_strong_is_a_subset_of_every_condition(lq: np.ndarray) -> None:
    emp = np.where(lq > 0, 10.0 + 100 * lq, 0.0)
    res = classify_strength(lq, rule="us-cmp-strong", employment=emp, establishments=emp / 10)
    for c in res.conditions:
        assert not (res.strong & ~c.held).any()
    assert not (res.strong & (lq < 1)).any()
    assert (classify_strength(lq, rule="top-quartile").strong.sum(axis=0) >= (lq > 0).any(axis=0)).all()


# --------------------------------------------------------------------------------------- small numbers
def test_small_numbers() -> None:
    emp = np.array([[0.0, 1.0, 2.0, 3.0, nan]])
    est = np.array([[0.0, 5.0, 1.0, 2.0, 3.0]])
    sn = small_numbers(emp, est)
    assert sn.rule is SMALL_NUMBER_RULES["de-min3"]
    assert sn.employment is not None and sn.establishments is not None
    np.testing.assert_array_equal(sn.employment, [[False, True, True, False, False]])
    np.testing.assert_array_equal(sn.establishments, [[False, False, True, True, False]])
    np.testing.assert_array_equal(sn.any, [[False, True, True, True, False]])
    only = small_numbers(establishments=est)
    assert only.employment is None
    np.testing.assert_array_equal(only.any, only.establishments)
    assert "Bundesagentur" in sn.rule.source
    with pytest.raises(ValueError):
        small_numbers()
