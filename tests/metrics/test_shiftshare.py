from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.classifications.section_groups import NON_OVERLAPPING, code_for_label
from regiolens.metrics.shiftshare import (
    LABELS,
    DynamicGerfin,
    EstebanMarquillas,
    Gerfin,
    ShiftShare,
    _Factors,
    _zero_base_into,
    _zero_base_products,
    dynamic_decompositions,
    dynamic_gerfin,
    dynamic_shift_share,
    esteban_marquillas,
    gerfin,
    shift_share,
)
from regiolens.metrics.stats import finite_or_nan
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse
from tests.conftest import raw_genesis_rows

nan = np.nan
T = TypeVar("T")

# Farhauer/Kröll (2013) textbook example, as in REAT's documentation of shift.growth()/shiftd()
REGION_A = np.array([[90.0, 20.0, 10.0, 60.0], [100.0, 40.0, 10.0, 55.0], [105.0, 45.0, 15.0, 60.0]])
NATION = np.array([[400.0, 150.0, 150.0, 400.0], [440.0, 210.0, 135.0, 480.0], [460.0, 230.0, 155.0, 500.0]])


def textbook(method: Callable[..., T]) -> T:
    """Region A, first pair of years, against the nation."""
    return method(REGION_A[0][None, :], REGION_A[1][None, :], NATION[0], NATION[1])


def two_years(min_regions: int = 1, low: int = 0) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """Pairs (start, end) of region × industry counts, zeros included."""
    shape = st.tuples(st.integers(min_regions, 5), st.integers(1, 5))
    cells = st.integers(low, 10_000).map(float)
    return shape.flatmap(
        lambda s: st.tuples(arrays(np.float64, s, elements=cells), arrays(np.float64, s, elements=cells))
    )


def panels() -> st.SearchStrategy[np.ndarray]:
    shape = st.tuples(st.integers(2, 5), st.integers(1, 4), st.integers(1, 4))
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=st.integers(1, 10_000).map(float)))


# ------------------------------------------------------------------------------------ textbook values
def test_dunn_textbook_values() -> None:
    s = textbook(shift_share)
    assert s.actual_change[0] == pytest.approx(25)
    assert s.national[0] == pytest.approx(27)
    assert s.industry_mix[0] == pytest.approx(1)
    assert s.regional[0] == pytest.approx(-3)
    assert s.net_total_shift[0] == pytest.approx(-2)
    # per industry, by hand: G = 0.15, G_i = (0.1, 0.4, −0.1, 0.2)
    np.testing.assert_allclose(s.national_by_industry, [[13.5, 3.0, 1.5, 9.0]], rtol=1e-12)
    np.testing.assert_allclose(s.industry_mix_by_industry, [[-4.5, 5.0, -2.5, 3.0]], rtol=1e-12)
    np.testing.assert_allclose(s.regional_by_industry, [[1.0, 12.0, 1.0, -17.0]], rtol=1e-12)
    np.testing.assert_allclose(s.net_total_shift_by_industry, [[-3.5, 17.0, -1.5, -14.0]], rtol=1e-12)
    np.testing.assert_array_equal(s.actual_change_by_industry, [[10.0, 20.0, 0.0, -5.0]])


def test_esteban_marquillas_textbook_values() -> None:
    em = textbook(esteban_marquillas)
    assert isinstance(em, ShiftShare)
    assert em.competitive[0] == pytest.approx(-0.6364, abs=5e-5)
    assert em.allocation[0] == pytest.approx(-2.3636, abs=5e-5)
    assert em.regional[0] == pytest.approx(-3)
    # homothetic employment ê = 180 · E_i0 / 1100; competitive = ê · (g − G_i)
    homothetic = 180 * NATION[0] / 1100
    np.testing.assert_allclose(em.homothetic, [homothetic], rtol=1e-12)
    deviation = np.array([100 / 90 - 1.1, 1.0 - 0.4, 0.0 + 0.1, 55 / 60 - 1.2])
    np.testing.assert_allclose(em.competitive_by_industry, [homothetic * deviation], rtol=1e-12)
    np.testing.assert_allclose(em.allocation_by_industry, [(REGION_A[0] - homothetic) * deviation], rtol=1e-12)


def test_gerfin_textbook_values() -> None:
    g = textbook(gerfin)
    assert g.structural_factor[0] == pytest.approx(1.00483, abs=5e-6)
    assert g.location_factor[0] == pytest.approx(0.98558, abs=5e-6)
    assert g.regional_factor[0] == pytest.approx(0.99034, abs=5e-6)
    # exactly: (208/180)/1.15, 205/208, (205/180)/1.15
    assert g.structural_factor[0] == pytest.approx((208 / 180) / 1.15, rel=1e-14)
    assert g.location_factor[0] == pytest.approx(205 / 208, rel=1e-14)
    np.testing.assert_allclose(g.structural_factor_by_industry, [1.1 / 1.15, 1.4 / 1.15, 0.9 / 1.15, 1.2 / 1.15])
    np.testing.assert_allclose(g.location_factor_by_industry, [[(10 / 9) / 1.1, 2 / 1.4, 1 / 0.9, (55 / 60) / 1.2]])


# --------------------------------------------------------------------------------- hand-computed cases
def test_zero_base_cell_keeps_the_identity() -> None:
    """REAT gives NaN for the regional share here; the zero-base-safe form gives e_ri1."""
    start = np.array([[0.0, 50.0], [100.0, 50.0]])
    end = np.array([[5.0, 55.0], [110.0, 40.0]])
    s = shift_share(start, end)  # reference: the two regions, 200 → 210, G = 0.05; G_i = (0.15, −0.05)
    np.testing.assert_allclose(s.national_by_industry, [[0.0, 2.5], [5.0, 2.5]], rtol=1e-12)
    np.testing.assert_allclose(s.industry_mix_by_industry, [[0.0, -5.0], [10.0, -5.0]], rtol=1e-12)
    np.testing.assert_allclose(s.regional_by_industry, [[5.0, 7.5], [-5.0, -7.5]], rtol=1e-12)
    np.testing.assert_allclose(s.national + s.industry_mix + s.regional, s.actual_change, rtol=1e-12)
    np.testing.assert_allclose(s.actual_change, [10.0, 0.0])

    em = esteban_marquillas(start, end)
    # the new industry in region 0 has no growth rate: its competitive/allocation split is undefined
    assert np.isnan([em.competitive_by_industry[0, 0], em.allocation_by_industry[0, 0]]).all()
    assert np.isnan([em.competitive[0], em.allocation[0]]).all()
    assert em.regional[0] == pytest.approx(12.5)
    # region 1 is complete: ê = 150 · (100, 100)/200 = (75, 75)
    np.testing.assert_allclose(em.homothetic[1], [75.0, 75.0])
    np.testing.assert_allclose(em.competitive_by_industry[1], [75 * (0.1 - 0.15), 75 * (-0.2 + 0.05)], rtol=1e-12)
    assert em.competitive[1] + em.allocation[1] == pytest.approx(em.regional[1], rel=1e-12)

    g = gerfin(start, end)
    # ê_r1 of region 0 = 0 · 1.15 + 50 · 0.95 = 47.5; e_r0 = 50, e_r1 = 60
    assert g.location_factor[0] == pytest.approx(60 / 47.5)
    assert g.structural_factor[0] == pytest.approx((47.5 / 50) / 1.05)
    assert np.isnan(g.location_factor_by_industry[0, 0])


def test_industry_absent_at_both_dates_contributes_nothing() -> None:
    start = np.array([[0.0, 50.0], [100.0, 50.0]])
    end = np.array([[0.0, 55.0], [110.0, 40.0]])
    em = esteban_marquillas(start, end)
    assert em.competitive_by_industry[0, 0] == 0.0 and em.allocation_by_industry[0, 0] == 0.0
    assert em.regional_by_industry[0, 0] == 0.0
    assert em.competitive[0] + em.allocation[0] == pytest.approx(em.regional[0], rel=1e-12)


def test_zero_row_and_zero_column() -> None:
    # region 2 has no employment at the start; industry 2 is absent everywhere at both dates
    start = np.array([[40.0, 60.0, 0.0], [60.0, 40.0, 0.0], [0.0, 0.0, 0.0]])
    end = np.array([[50.0, 60.0, 0.0], [60.0, 50.0, 0.0], [3.0, 7.0, 0.0]])
    s = shift_share(start, end)
    assert np.isfinite(s.regional).all() and np.isfinite(s.industry_mix).all()
    np.testing.assert_array_equal(s.national_by_industry[:, 2], 0.0)
    np.testing.assert_array_equal(s.industry_mix_by_industry[:, 2], 0.0)
    np.testing.assert_array_equal(s.regional_by_industry[:, 2], 0.0)
    # the empty column changes nothing
    without = shift_share(start[:, :2], end[:, :2])
    for f in ("actual_change", "national", "industry_mix", "regional"):
        np.testing.assert_allclose(getattr(s, f), getattr(without, f), rtol=1e-12)
    # the new region: nothing to grow, everything is regional
    assert (s.national[2], s.industry_mix[2], s.regional[2]) == (0.0, 0.0, 10.0)
    np.testing.assert_allclose(s.national + s.industry_mix + s.regional, s.actual_change, rtol=1e-12)
    g = gerfin(start, end)
    assert np.isnan([g.structural_factor[2], g.location_factor[2], g.regional_factor[2]]).all()
    assert np.isfinite(g.regional_factor[:2]).all()
    em = esteban_marquillas(start, end)
    np.testing.assert_array_equal(em.homothetic[2], 0.0)
    assert np.isnan(em.competitive[2])  # new industries in the new region
    assert np.isfinite(em.competitive[:2]).all()


def test_suppressed_cell_is_nan_for_its_region_only() -> None:
    start = np.array([[nan, 60.0], [60.0, 40.0]])
    end = np.array([[50.0, 60.0], [60.0, 50.0]])
    reference = (np.array([100.0, 100.0]), np.array([110.0, 110.0]))
    s = shift_share(start, end, *reference, 200.0, 220.0)
    assert np.isnan([s.national[0], s.industry_mix[0], s.regional[0], s.actual_change[0]]).all()
    assert np.isnan(s.regional_by_industry[0, 0])
    # the known cell of the same region is still decomposed: G = 0.1, G_i = 0.1
    assert (s.national_by_industry[0, 1], s.industry_mix_by_industry[0, 1]) == pytest.approx((6.0, 0.0))
    assert s.regional_by_industry[0, 1] == pytest.approx(-6.0)
    np.testing.assert_allclose([s.national[1], s.industry_mix[1], s.regional[1]], [10.0, 0.0, 0.0], atol=1e-12)
    assert np.isnan(gerfin(start, end, *reference, 200.0, 220.0).regional_factor[0])


def test_group_row_with_national_reference() -> None:
    """Emscher-Lippe style: a group row aggregated beforehand, the reference stays national."""
    kreise_start = np.array([[10.0, 30.0], [20.0, 40.0]])
    kreise_end = np.array([[12.0, 30.0], [20.0, 50.0]])
    group_start, group_end = kreise_start.sum(0, keepdims=True), kreise_end.sum(0, keepdims=True)
    national_start, national_end = np.array([1000.0, 3000.0]), np.array([1100.0, 3000.0])
    s = shift_share(group_start, group_end, national_start, national_end, 5000.0, 5200.0)  # incl. other industries
    assert s.national[0] == pytest.approx(100 * 0.04)
    assert s.industry_mix[0] == pytest.approx(30 * (0.1 - 0.04) + 70 * (0.0 - 0.04))
    assert s.regional[0] == pytest.approx(32 - 30 * 1.1 + 80 - 70 * 1.0)
    # the group's figures are the sums of its members' figures (with the same reference)
    members = shift_share(kreise_start, kreise_end, national_start, national_end, 5000.0, 5200.0)
    for f in fields(ShiftShare):
        np.testing.assert_allclose(getattr(s, f.name)[0], getattr(members, f.name).sum(axis=0), rtol=1e-12)


def test_leading_axes_are_broadcast() -> None:
    rng = np.random.default_rng(7)
    start = rng.integers(0, 100, size=(3, 4, 5)).astype(float)
    end = rng.integers(0, 100, size=(3, 4, 5)).astype(float)
    ref0, ref1 = start.sum(-2) * 2, end.sum(-2) * 2
    tot0, tot1 = ref0.sum(-1) + 10, ref1.sum(-1) + 12
    for method in (shift_share, esteban_marquillas, gerfin):
        stacked = method(start, end, ref0, ref1, tot0, tot1)
        for k in range(3):
            single = method(start[k], end[k], ref0[k], ref1[k], tot0[k], tot1[k])
            for f in fields(single):
                np.testing.assert_array_equal(getattr(stacked, f.name)[k], getattr(single, f.name))


# ---------------------------------------------------------------------------------------------- dynamic
def test_dynamic_textbook_extension_by_hand() -> None:
    d = dynamic_shift_share(REGION_A[:, None, :], NATION)
    first = textbook(shift_share)
    for f in fields(ShiftShare):
        np.testing.assert_array_equal(getattr(d.yearly, f.name)[0], getattr(first, f.name))
    regional_2 = (105 - 100 * 460 / 440) + (45 - 40 * 230 / 210) + (15 - 10 * 155 / 135) + (60 - 55 * 500 / 480)
    national_2 = 205 * (1345 / 1265 - 1)
    assert d.yearly.regional[1, 0] == pytest.approx(regional_2, rel=1e-12)
    assert d.yearly.national[1, 0] == pytest.approx(national_2, rel=1e-12)
    assert d.total.regional[0] == pytest.approx(-3 + regional_2, rel=1e-12)
    assert d.total.national[0] == pytest.approx(27 + national_2, rel=1e-12)
    assert d.total.actual_change[0] == 45.0
    assert d.total.regional_by_industry.shape == (1, 4)
    assert d.yearly.regional_by_industry.shape == (2, 1, 4)
    np.testing.assert_allclose(
        d.total.national + d.total.industry_mix + d.total.regional, d.total.actual_change, rtol=1e-12
    )


def test_dynamic_gerfin_chains_and_averages() -> None:
    d = dynamic_gerfin(REGION_A[:, None, :], NATION)
    assert isinstance(d, DynamicGerfin) and isinstance(d.total, Gerfin)
    static = gerfin(REGION_A[0][None, :], REGION_A[2][None, :], NATION[0], NATION[2])
    # the chained regional factor telescopes to the static one: (225/180)/(1345/1100)
    assert d.total.regional_factor[0] == pytest.approx((225 / 180) / (1345 / 1100), rel=1e-12)
    assert d.total.regional_factor[0] == pytest.approx(static.regional_factor[0], rel=1e-12)
    assert d.yearly.regional_factor[0, 0] == pytest.approx(0.99034, abs=5e-6)
    assert d.total.structural_factor[0] * d.total.location_factor[0] == pytest.approx(d.total.regional_factor[0])
    assert d.annual.regional_factor[0] == pytest.approx(np.sqrt(d.total.regional_factor[0]), rel=1e-12)
    assert d.annual.structural_factor[0] * d.annual.location_factor[0] == pytest.approx(d.annual.regional_factor[0])
    assert d.total.location_factor_by_industry.shape == (1, 4)
    assert d.total.location_factor_by_industry[0, 0] == pytest.approx((105 / 90) / (460 / 400), rel=1e-12)


def test_dynamic_with_scenario_axis_and_errors() -> None:
    panel = np.stack([REGION_A[:, None, :], REGION_A[:, None, :] * 2])  # (S=2, T=3, R=1, I=4)
    reference = np.stack([NATION, NATION * 2])
    d = dynamic_shift_share(panel, reference)
    np.testing.assert_allclose(d.total.regional[1], 2 * d.total.regional[0], rtol=1e-12)
    assert d.yearly.national.shape == (2, 2, 1)
    with pytest.raises(ValueError):
        dynamic_shift_share(REGION_A[:1, None, :])  # one year only
    with pytest.raises(ValueError):
        dynamic_gerfin(REGION_A[:, None, :], NATION[0])  # reference without a year axis


def test_labels_carry_both_vocabularies() -> None:
    assert LABELS["national"] == {"en": "National share", "de": "Konjunkturkomponente"}
    assert LABELS["industry_mix"]["de"] == "Strukturkomponente"
    assert LABELS["regional"]["de"] == "Standortkomponente"
    assert LABELS["regional_factor"]["de"] == "Regionalfaktor"
    documented = {f.name for cls in (EstebanMarquillas, Gerfin) for f in fields(cls)} | {"net_total_shift"}
    components = {n for n in documented if not n.endswith("_by_industry")}
    assert components <= set(LABELS)
    assert all(set(v) == {"en", "de"} and all(v.values()) for v in LABELS.values())


# ----------------------------------------------------------------------------------------- properties
@given(two_years())
def test_identity_holds_wherever_inputs_are_known(pair: tuple[np.ndarray, np.ndarray]) -> None:
    start, end = pair
    s = shift_share(start, end)
    scale = max(1.0, float(np.abs(start).max()), float(np.abs(end).max()))
    np.testing.assert_allclose(
        s.national_by_industry + s.industry_mix_by_industry + s.regional_by_industry,
        end - start,
        rtol=1e-12,
        atol=1e-9 * scale,
    )
    np.testing.assert_allclose(s.national + s.industry_mix + s.regional, s.actual_change, rtol=1e-12, atol=1e-9 * scale)
    # the regions are the whole economy: the regional effects of an industry cancel out over the regions
    present = start.sum(axis=0) > 0
    np.testing.assert_allclose(s.regional_by_industry.sum(axis=0)[present], 0.0, atol=1e-9 * scale)
    assert not np.isinf(s.regional).any()


@given(two_years())
def test_esteban_marquillas_parts_add_up_to_regional(pair: tuple[np.ndarray, np.ndarray]) -> None:
    start, end = pair
    em = esteban_marquillas(start, end)
    scale = max(1.0, float(end.max()), float(start.max()))
    defined = ~np.isnan(em.competitive_by_industry)
    np.testing.assert_allclose(
        (em.competitive_by_industry + em.allocation_by_industry)[defined],
        em.regional_by_industry[defined],
        rtol=1e-12,
        atol=1e-9 * scale,
    )
    # undefined exactly where an industry is new to a region
    np.testing.assert_array_equal(~defined, (start == 0) & (end > 0))
    complete = defined.all(axis=-1)
    np.testing.assert_allclose(
        (em.competitive + em.allocation)[complete], em.regional[complete], rtol=1e-12, atol=1e-9 * scale
    )


@given(two_years(low=0))
def test_gerfin_product_identity(pair: tuple[np.ndarray, np.ndarray]) -> None:
    start, end = pair
    g = gerfin(start, end)
    finite = np.isfinite(g.structural_factor) & np.isfinite(g.location_factor)
    np.testing.assert_allclose((g.structural_factor * g.location_factor)[finite], g.regional_factor[finite], rtol=1e-12)
    assert not np.isinf(g.location_factor).any()


@given(panels())
def test_dynamic_telescopes(panel: np.ndarray) -> None:
    d = dynamic_shift_share(panel)
    np.testing.assert_allclose(d.total.actual_change, panel[-1].sum(-1) - panel[0].sum(-1), rtol=1e-12)
    np.testing.assert_allclose(
        d.total.national + d.total.industry_mix + d.total.regional, d.total.actual_change, rtol=1e-9, atol=1e-6
    )
    dg = dynamic_gerfin(panel)
    static = gerfin(panel[0], panel[-1])
    np.testing.assert_allclose(dg.total.regional_factor, static.regional_factor, rtol=1e-12)
    np.testing.assert_allclose(
        dg.total.structural_factor * dg.total.location_factor, dg.total.regional_factor, rtol=1e-12
    )


# ------------------------------------------------------------------------------------ official data
@pytest.mark.integration
def test_shift_share_of_all_kreise_2015_2020(loaded_warehouse: Path, genesis_files: list[Path]) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        kreise = query_panel(
            wh.ibis,
            measure="employment",
            years=[2015, 2020],
            region_level="de:kreis",
            classification="wz2008-sg",
            industries=list(NON_OVERLAPPING),
        )
        germany = query_panel(
            wh.ibis,
            measure="employment",
            years=[2015, 2020],
            region_level="de:bund",
            classification="wz2008-sg",
            regions=["DG"],
            industries=[*NON_OVERLAPPING, "TOTAL"],
        )
    x, ref = kreise.values, germany.values[:, 0, :]  # (2, 401, 10), (2, 11)
    args = (x[0], x[1], ref[0, :-1], ref[1, :-1], ref[0, -1], ref[1, -1])
    s = shift_share(*args)
    assert s.national.shape == (401,) and s.regional_by_industry.shape == (401, 10)

    known = ~np.isnan(x).any(axis=0)  # cells known in both years
    assert (~known).sum() > 0  # the files do suppress some cells
    # summed over all Kreise (every known cell): national + industry mix + regional = actual change
    total_change = np.nansum(s.actual_change_by_industry[known])
    total_parts = sum(
        np.nansum(getattr(s, f)[known])
        for f in ("national_by_industry", "industry_mix_by_industry", "regional_by_industry")
    )
    assert total_parts == pytest.approx(total_change, rel=1e-12)
    assert total_change == pytest.approx(np.sum(x[1][known] - x[0][known]))
    # region figures: defined exactly for the Kreise without a suppressed cell, where the identity holds
    complete = known.all(axis=-1)
    np.testing.assert_array_equal(np.isfinite(s.regional), complete)
    np.testing.assert_allclose(
        (s.national + s.industry_mix + s.regional)[complete], s.actual_change[complete], rtol=1e-12
    )

    # Kreis Recklinghausen by hand from the raw files: national component = e_r0 · (E1/E0 − 1)
    raw = [
        {(r[0], code_for_label(r[2])): int(r[3]) for r in raw_genesis_rows(path) if r[3].isdigit()}
        for path in (genesis_files[0], genesis_files[-1])
    ]
    k = kreise.regions.index("05562")
    e_r0 = sum(raw[0][("05562", code)] for code in NON_OVERLAPPING)
    growth = raw[1][("DG", "TOTAL")] / raw[0][("DG", "TOTAL")] - 1
    assert s.national[k] == pytest.approx(e_r0 * growth, rel=1e-12)
    j = NON_OVERLAPPING.index("J")
    e0j, e1j = raw[0][("05562", "J")], raw[1][("05562", "J")]
    assert s.regional_by_industry[k, j] == pytest.approx(e1j - e0j * raw[1][("DG", "J")] / raw[0][("DG", "J")])

    em = esteban_marquillas(*args)
    defined = np.isfinite(em.competitive)
    np.testing.assert_allclose((em.competitive + em.allocation)[defined], em.regional[defined], rtol=1e-9, atol=1e-6)
    g = gerfin(*args)
    np.testing.assert_allclose(
        (g.structural_factor * g.location_factor)[complete], g.regional_factor[complete], rtol=1e-12
    )
    assert g.regional_factor[k] == pytest.approx(
        (sum(raw[1][("05562", c)] for c in NON_OVERLAPPING) / e_r0) / (1 + growth), rel=1e-12
    )


# ------------------------------------------------------------------------------------ yearly=False
def _panel_with_edge_cases() -> np.ndarray:
    """(S=2, T=4, R=5, I=6) counts with zero bases, an industry closing, an empty region and a NaN cell."""
    rng = np.random.default_rng(7)
    x = rng.integers(0, 50, (2, 4, 5, 6)).astype(np.float64)
    x[:, 2:, :, 0] = 0.0  # industry 0 closes: zero base from the third year on
    x[:, :, 3, :] = 0.0  # an empty region
    x[1, 1, 2, 4] = nan  # a suppressed cell
    return x


@pytest.mark.parametrize("x", [_panel_with_edge_cases(), _panel_with_edge_cases()[0], REGION_A[:, None, :]])
def test_dynamic_shift_share_totals_without_yearly_are_identical(x: np.ndarray) -> None:
    full, lean = dynamic_shift_share(x), dynamic_shift_share(x, yearly=False)
    assert full.yearly is not None and lean.yearly is None
    for f in fields(ShiftShare):
        np.testing.assert_array_equal(getattr(lean.total, f.name), getattr(full.total, f.name), err_msg=f.name)
        assert getattr(lean.total, f.name).shape == getattr(full.total, f.name).shape


def test_dynamic_shift_share_without_yearly_with_reference() -> None:
    full = dynamic_shift_share(REGION_A[:, None, :], NATION, NATION.sum(axis=-1))
    lean = dynamic_shift_share(REGION_A[:, None, :], NATION, NATION.sum(axis=-1), yearly=False)
    assert lean.yearly is None
    for f in fields(ShiftShare):
        np.testing.assert_array_equal(getattr(lean.total, f.name), getattr(full.total, f.name), err_msg=f.name)


@pytest.mark.parametrize("x", [_panel_with_edge_cases(), _panel_with_edge_cases()[0], REGION_A[:, None, :]])
def test_dynamic_gerfin_totals_without_yearly_are_identical(x: np.ndarray) -> None:
    full, lean = dynamic_gerfin(x), dynamic_gerfin(x, yearly=False)
    assert full.yearly is not None and lean.yearly is None
    for part in ("total", "annual"):
        for f in fields(Gerfin):
            expected, got = getattr(getattr(full, part), f.name), getattr(getattr(lean, part), f.name)
            np.testing.assert_array_equal(got, expected, err_msg=f"{part}.{f.name}")
            assert got.shape == expected.shape
    # and the textbook region against the nation
    d = dynamic_gerfin(REGION_A[:, None, :], NATION, yearly=False)
    assert d.yearly is None
    assert d.total.regional_factor[0] == pytest.approx((225 / 180) / (1345 / 1100), rel=1e-12)


def _assert_bitwise_equal(a: np.ndarray, b: np.ndarray, what: str = "") -> None:
    """Equal values, NaN where NaN, and the same sign on every zero (assert_array_equal has 0.0 == -0.0)."""
    np.testing.assert_array_equal(a, b, err_msg=what)
    zero = a == 0
    np.testing.assert_array_equal(np.signbit(a[zero]), np.signbit(b[zero]), err_msg=f"sign of zero: {what}")


def _awkward_panel(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros, NaN cells, negative values, -0.0, a vanishing region, an industry that closes and one that opens."""
    rng = np.random.default_rng(seed)
    x = np.where(rng.random(shape) < 0.3, 0.0, np.rint(rng.lognormal(2.0, 1.5, shape)))
    x[rng.random(shape) < 0.02] = np.nan
    x[rng.random(shape) < 0.02] *= -1.0
    x[rng.random(shape) < 0.05] = -0.0
    x[..., 1:, 0, :] = 0.0
    x[..., 1:, :, 1] = 0.0
    x[..., 0, :, 2] = 0.0
    return x


@pytest.mark.parametrize("yearly", [True, False])
@pytest.mark.parametrize("shape", [(4, 6, 5), (2, 3, 7, 9)])
def test_dynamic_decompositions_is_both_dynamic_variants_exactly(yearly: bool, shape: tuple[int, ...]) -> None:
    x = _awkward_panel(7, shape)
    references = [(None, None), (np.nansum(x, axis=-2) * 1.5, None)]
    references.append((references[1][0], np.ones((3,) + (1,) * (x.ndim - 2)) * np.nansum(x, axis=(-2, -1))))
    for reference, reference_total in references:
        dss, dg = dynamic_decompositions(x, reference, reference_total, yearly=yearly)
        expected: tuple[Any, Any] = (
            dynamic_shift_share(x, reference, reference_total, yearly=yearly),
            dynamic_gerfin(x, reference, reference_total, yearly=yearly),
        )
        for got, want in zip((dss, dg), expected, strict=True):
            for part in fields(want):
                got_part, want_part = getattr(got, part.name), getattr(want, part.name)
                if want_part is None:
                    assert got_part is None
                    continue
                for f in fields(want_part):
                    what = f"{part.name}.{f.name}"
                    _assert_bitwise_equal(getattr(got_part, f.name), getattr(want_part, f.name), what)


def test_zero_base_into_is_np_where_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    e0 = np.where(rng.random((40, 50)) < 0.3, 0.0, rng.normal(0.0, 5.0, (40, 50)))
    e0[rng.random(e0.shape) < 0.05] = -0.0
    e0[rng.random(e0.shape) < 0.02] = np.nan
    factor = rng.normal(0.0, 0.1, 50)
    factor[:5] = [0.0, -0.0, np.nan, np.inf, -np.inf]
    with np.errstate(invalid="ignore"):
        value = e0 * factor
        expected = np.where(e0 == 0, 0.0, value)
        got = _zero_base_into(value.copy(), e0 == 0)
    _assert_bitwise_equal(got, expected)


def _where_products(e0: np.ndarray, factors: list[np.ndarray]) -> np.ndarray:
    with np.errstate(invalid="ignore", under="ignore"):
        return np.stack([np.where(e0 == 0, 0.0, e0 * f) for f in factors])


@pytest.mark.parametrize("rows", [slice(0, 40), slice(7, 19)])
def test_zero_base_products_are_np_where_bit_for_bit(rows: slice) -> None:
    rng = np.random.default_rng(11)
    e0 = np.where(rng.random((3, 40, 50)) < 0.3, 0.0, rng.normal(0.0, 5.0, (3, 40, 50)))  # (year pair, R, I)
    e0[rng.random(e0.shape) < 0.05] = -0.0
    e0[rng.random(e0.shape) < 0.02] = np.nan
    e0[rng.random(e0.shape) < 0.01] = np.inf
    factors = [rng.normal(0.0, 0.1, (3, 1, 50)) for _ in range(3)]
    factors[0][:, :, :3] = np.array([0.0, -0.0, np.nan])  # no growth, no growth (−0), undefined
    factors[1][1] = np.nan  # a whole year pair undefined
    factors[2][:, :, 5] = 0.0
    at = (slice(None), rows)
    block = e0[at]
    cases = {
        "fast path": factors,
        "underflow": [*factors[:2], np.full((3, 1, 50), 1e-300)],  # e0 · 1e-300 underflows for |e0| < 1e-24
        "infinite factor": [*factors[:2], np.where(np.arange(50) == 9, np.inf, factors[2])],
    }
    for name, fs in cases.items():
        if name == "underflow":
            block = block.copy()
            block[0, 0, :4] = [5e-324, -1e-310, 3e-30, 2.0]
        with np.errstate(invalid="ignore"):  # as in the blocks: inf · 0 where the formula says so
            got = _zero_base_products(block, _Factors(fs, e0.shape), at, np.empty((3, *block.shape)))
        _assert_bitwise_equal(got, _where_products(block, fs), name)


def test_finite_or_nan_is_the_nan_fill_of_safe_divide_bit_for_bit() -> None:
    a = np.array([1.5, -2.0, 0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -1e308, 1e308])
    _assert_bitwise_equal(finite_or_nan(a.copy()), np.where(np.isfinite(a), a, np.nan))


def test_esteban_marquillas_blocks_are_the_whole_array_formula() -> None:
    x = _awkward_panel(5, (2, 30, 12))
    start, end = x[0], x[1]
    em = esteban_marquillas(start, end)
    region_total = np.sum(start, axis=-1)[:, None]
    reference = np.nansum(start, axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        homothetic = region_total * (reference / np.nansum(reference))
        ratio = homothetic / start
        ratio[~np.isfinite(ratio)] = np.nan
        competitive = np.where(start != 0, ratio * em.regional_by_industry, np.where(end == 0, 0.0, np.nan))
    _assert_bitwise_equal(em.competitive_by_industry, competitive)
    _assert_bitwise_equal(em.allocation_by_industry, em.regional_by_industry - competitive)
    _assert_bitwise_equal(em.competitive, np.sum(competitive, axis=-1))
    _assert_bitwise_equal(em.allocation, np.sum(em.regional_by_industry - competitive, axis=-1))
