"""Split of LP cash flows between investor classes: hand-computed structures, conservation to the cent, leverage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiolens.fund.classes import ClassSplit, leverage, split_classes
from regiolens.fund.terms import (
    BuyoutOption,
    CappedPublicReturn,
    InvestorClass,
    InvestorKind,
    PariPassu,
    PublicFirstLoss,
    Structure,
)

PUBLIC = InvestorClass(name="Stadt", kind=InvestorKind.public, commitment=5e6)
PRIVATE = InvestorClass(name="Privat", kind=InvestorKind.private, commitment=5e6)
ONE_TO_ONE = (PUBLIC, PRIVATE)
CAPPED = CappedPublicReturn(kind="capped_public_return", cap_rate=0.05)
FIRST_LOSS = PublicFirstLoss(kind="public_first_loss", share=0.4)
BUYOUT = BuyoutOption(kind="buyout_option")


def by_name(split: ClassSplit) -> dict[str, dict[str, np.ndarray]]:
    return {c.name: {"c": c.contributions, "d": c.distributions, "t": c.transfers, "v": c.nav} for c in split.classes}


def test_pari_passu_is_pro_rata_to_commitments() -> None:
    classes = (PUBLIC, PRIVATE.model_copy(update={"commitment": 15e6}))
    split = by_name(split_classes(classes, PariPassu(), np.array([4e6, 0]), np.array([0, 8e6]), np.array([4e6, 0])))
    assert split["Stadt"]["c"] == pytest.approx([1e6, 0]) and split["Privat"]["c"] == pytest.approx([3e6, 0])
    assert split["Stadt"]["d"] == pytest.approx([0, 2e6]) and split["Privat"]["d"] == pytest.approx([0, 6e6])
    assert split["Stadt"]["v"] == pytest.approx([1e6, 0])


def test_capped_public_return_by_hand() -> None:
    # 1 m called at t0 (500,000 each); annual. Public accrues 5 % compound on unreturned capital + accrued:
    # t1: 25,000; t2: 25,000 + 5 % of 525,000 = 51,250. 1.5 m at t2: capital 500,000 each, public 51,250,
    # the rest 448,750 to the private class. Public: 500,000 → 551,250 after two years = exactly 5 % p.a.
    calls, proceeds, nav = np.array([1e6, 0, 0]), np.array([0, 0, 1.5e6]), np.zeros(3)
    split = by_name(split_classes(ONE_TO_ONE, CAPPED, calls, proceeds, nav, period_years=1.0))
    assert split["Stadt"]["d"] == pytest.approx([0, 0, 551_250])
    assert split["Privat"]["d"] == pytest.approx([0, 0, 948_750])
    # with a public share of 10 % above the cap: 44,875 more to the public side
    shared = CAPPED.model_copy(update={"public_share_above_cap": 0.1})
    split = by_name(split_classes(ONE_TO_ONE, shared, calls, proceeds, nav, period_years=1.0))
    assert split["Stadt"]["d"][2] == pytest.approx(596_125)
    # below the cap the public return ranks first: 1.03 m back → public 500,000 + 30,000, private 500,000
    split = by_name(split_classes(ONE_TO_ONE, CAPPED, calls, np.array([0, 0, 1.03e6]), nav, period_years=1.0))
    assert split["Stadt"]["d"][2] == pytest.approx(530_000) and split["Privat"]["d"][2] == pytest.approx(500_000)


@pytest.mark.parametrize(
    ("back", "public", "private"),
    [
        # first-loss piece L = 40 % of the public 5 m = 2 m; senior: private 5 m + public 3 m
        (7e6, 2.625e6, 4.375e6),  # loss 3 m > L: the 7 m pro rata to the senior 3 m : 5 m
        (9e6, 4e6, 5e6),  # loss 1 m ≤ L: private whole, public absorbs the loss
        (12e6, 6e6, 6e6),  # profit 2 m pro rata to commitments
    ],
)
def test_public_first_loss_by_hand(back: float, public: float, private: float) -> None:
    split = by_name(split_classes(ONE_TO_ONE, FIRST_LOSS, np.array([10e6, 0]), np.array([0, back]), np.zeros(2)))
    assert split["Stadt"]["d"][1] == pytest.approx(public) and split["Privat"]["d"][1] == pytest.approx(private)


def test_nav_is_split_by_hypothetical_liquidation() -> None:
    split = by_name(split_classes(ONE_TO_ONE, FIRST_LOSS, np.array([10e6]), np.array([0.0]), np.array([9e6])))
    assert split["Stadt"]["v"] == pytest.approx([4e6]) and split["Privat"]["v"] == pytest.approx([5e6])


def test_buyout_at_the_early_rate_when_the_public_share_is_worth_more() -> None:
    # 10 m called at t0. NAV 10.5 m at t1: public share 5.25 m > price 5 m·1.01 = 5.05 m → exercised at t1.
    calls, proceeds, nav = np.array([10e6, 0, 0]), np.array([0, 0, 12e6]), np.array([10e6, 10.5e6, 0])
    split = split_classes(ONE_TO_ONE, BUYOUT, calls, proceeds, nav, period_years=1.0)
    flows = by_name(split)
    assert split.exercise_period is not None and split.exercise_period.tolist() == [1]
    assert flows["Stadt"]["t"] == pytest.approx([0, 5.05e6, 0]) and flows["Privat"]["t"] == pytest.approx(
        [0, -5.05e6, 0]
    )
    assert flows["Stadt"]["v"] == pytest.approx([5e6, 0, 0]) and flows["Privat"]["v"] == pytest.approx([5e6, 10.5e6, 0])
    assert flows["Stadt"]["d"] == pytest.approx([0, 0, 0]) and flows["Privat"]["d"] == pytest.approx([0, 0, 12e6])


@pytest.mark.parametrize(("start", "price"), [(4, 5e6 * 1.01**4), (5, 5e6 * 1.05**5)])
def test_buyout_price_switches_to_the_late_rate_after_four_years(start: float, price: float) -> None:
    years = np.arange(8)
    calls, proceeds = np.where(years == 0, 10e6, 0.0), np.zeros(8)
    nav = 10e6 * 1.2**years
    terms = BUYOUT.model_copy(update={"exercise_from_years": start})
    split = split_classes(ONE_TO_ONE, terms, calls, proceeds, nav, period_years=1.0)
    assert split.exercise_period is not None and split.exercise_period.tolist() == [start]
    assert split.classes[0].transfers[start] == pytest.approx(price)


def test_buyout_not_exercised_while_the_public_share_is_worth_less() -> None:
    nav = np.array([10e6, 9e6, 10.09e6, 0])  # public share 5.045 m < 5 m·1.01² = 5.1005 m at t2
    split = split_classes(ONE_TO_ONE, BUYOUT, np.array([10e6, 0, 0, 0]), np.array([0, 0, 0, 11e6]), nav, 1.0)
    assert split.exercise_period is not None and split.exercise_period.tolist() == [-1]
    assert split.classes[0].distributions[3] == pytest.approx(5.5e6)


# ---------------------------------------------------------------------------------------------- properties

STRUCTURES: list[Structure] = [
    PariPassu(),
    CAPPED,
    CAPPED.model_copy(update={"public_share_above_cap": 0.2}),
    FIRST_LOSS,
    FIRST_LOSS.model_copy(update={"basis": "fund", "share": 0.1}),
    BUYOUT,
]


@st.composite
def investor_classes(draw: st.DrawFn) -> tuple[InvestorClass, ...]:
    kinds = [InvestorKind.public, InvestorKind.private, *draw(st.lists(st.sampled_from(InvestorKind), max_size=2))]
    return tuple(
        InvestorClass(name=f"class {i}", kind=kind, commitment=draw(st.floats(1e5, 1e9)))
        for i, kind in enumerate(kinds)
    )


@st.composite
def fund_flows(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shape = (draw(st.integers(1, 3)), draw(st.integers(2, 10)))
    amounts = arrays(np.float64, shape, elements=st.floats(0, 1e9, allow_subnormal=False))
    return draw(amounts), draw(amounts), draw(amounts)


@settings(max_examples=150, deadline=None)
@given(classes=investor_classes(), flows=fund_flows(), structure=st.sampled_from(STRUCTURES))
def test_every_euro_is_allocated_to_the_cent(
    classes: tuple[InvestorClass, ...], flows: tuple[np.ndarray, np.ndarray, np.ndarray], structure: Structure
) -> None:
    calls, paid, value = flows
    public = sum(c.commitment for c in classes if c.kind is InvestorKind.public)
    if isinstance(structure, PublicFirstLoss) and structure.basis == "fund":
        structure = structure.model_copy(update={"share": 0.1 * public / sum(c.commitment for c in classes)})
    split = split_classes(classes, structure, calls, paid, value, period_years=0.25)
    total = {k: sum(c[k] for c in by_name(split).values()) for k in "cdtv"}
    assert np.abs(total["c"] - calls).max() < 0.005  # paid in
    assert np.abs(total["d"] - paid).max() < 0.005  # paid out
    assert np.abs(total["v"] - value).max() < 0.005  # held as NAV
    assert np.abs(total["t"]).max() < 0.005  # transfers between classes net to zero
    for c in split.classes:
        assert (c.contributions >= 0).all() and (c.distributions >= 0).all() and (c.nav >= -0.005).all()


@settings(max_examples=100, deadline=None)
@given(flows=fund_flows(), structure=st.sampled_from(STRUCTURES), cut=st.integers(0, 8), data=st.data())
def test_no_look_ahead_the_future_does_not_change_the_past(
    flows: tuple[np.ndarray, np.ndarray, np.ndarray], structure: Structure, cut: int, data: st.DataObject
) -> None:
    calls, paid, value = flows
    cut = min(cut, calls.shape[1] - 1)
    other = [a.copy() for a in flows]
    for a in other:
        a[:, cut + 1 :] = data.draw(arrays(np.float64, a[:, cut + 1 :].shape, elements=st.floats(0, 1e9)))
    first = split_classes(ONE_TO_ONE, structure, calls, paid, value, period_years=1.0)
    second = split_classes(ONE_TO_ONE, structure, *other, period_years=1.0)
    for a, b in zip(first.classes, second.classes, strict=True):
        for field in ("contributions", "distributions", "transfers", "nav"):
            assert getattr(a, field)[:, : cut + 1] == pytest.approx(getattr(b, field)[:, : cut + 1])


def test_leverage_per_public_euro() -> None:
    one_to_one = leverage(ONE_TO_ONE, invested=8e6)
    assert (one_to_one.private_per_public_euro, one_to_one.fund_per_public_euro) == (1.0, 2.0)
    assert one_to_one.finance_per_public_euro == pytest.approx(1.6)  # Art. 223: 8 m reached companies per 5 m
    # Yozma 2.0: $0.30 of state money per $1 of institutional money
    yozma = leverage((PUBLIC.model_copy(update={"commitment": 0.3}), PRIVATE.model_copy(update={"commitment": 1.0})))
    assert yozma.private_per_public_euro == pytest.approx(1 / 0.3) and yozma.finance_per_public_euro is None
    with pytest.raises(ValueError, match="public"):
        leverage((PRIVATE,))
