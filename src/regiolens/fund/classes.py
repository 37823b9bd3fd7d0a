"""Split of the fund's LP cash flows between investor classes, and the leverage of public money.

Input: the LPs' side of the fund per period, after fees and carry — contributions C (calls), distributions D and the
LPs' NAV V at the end of the period (e.g. :attr:`WaterfallResult.lp_nav <regiolens.fund.waterfall.WaterfallResult>`)
— shape (periods,) or (paths, periods). Calls are always shared pro rata to commitments w_j = K_j / ΣK (capital is
called from every class alike). Distributions and NAV follow the plan's structure (fund_methods.md §6):

- ``pari_passu``: d_j = w_j·D, v_j = w_j·V (NRW.SeedCap, EIF Angels Fund, §6.1).
- ``capped_public_return``: per period, 1. capital back to every class pro rata to its unreturned capital;
  2. the public classes up to the cap rate, compound on their unreturned capital; 3. the rest, a share s to the
  public classes and 1 − s to the others, each pro rata to commitments (§6.6 "asymmetric profit share").
- ``public_first_loss``: the first-loss piece L (share × public commitment or fund) is a junior tranche; each public
  call is junior in the proportion L / K_pub. Per period: 1. the private capital and the senior public capital pro
  rata to what is unreturned; 2. the junior public capital; 3. the rest pro rata to commitments.
- ``buyout_option``: pari passu until the private classes buy the public share (Yozma, §6.2/§6.6) at the first
  period end at which the public share of V exceeds the price: the public net paid-in capital compounded at 1 % (age
  ≤ 4 years since the first public call) or 5 % (later), at least 0. The decision uses only what is known at that
  period (the value and the price then). The price moves as a transfer (+ to the public classes, − to the private
  classes pro rata to their commitments); from then on the public share of calls, distributions and NAV is the
  private classes'. Classes of kind "other" stay pari passu and do not buy.

Tiered structures are run period by period on the running accounts of each class; the NAV of a class is what it
would receive if V were distributed now on top of D (hypothetical liquidation), so Σ_j v_j = V. No structure moves
money back between classes once paid (no clawback between LP classes).

Conservation. Every euro is allocated: Σ_j c_j = C, Σ_j d_j = D, Σ_j v_j = V and Σ_j transfers_j = 0 in every
period and path. The arithmetic is float64 (≈ 16 significant digits); the tests prove each sum to within half a cent
(|difference| < 0.005 €) on random flows up to 10⁹ €, rather than carrying integer cents through every tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from regiolens.fund.terms import (
    BuyoutOption,
    CappedPublicReturn,
    InvestorClass,
    InvestorKind,
    PariPassu,
    PublicFirstLoss,
    Structure,
    first_loss_amount,
)
from regiolens.fund.waterfall import accrue_preferred


@dataclass(frozen=True)
class ClassFlows:
    """Cash flows of one investor class per period, the shape of the fund's flows.

    ``contributions`` and ``distributions`` are ≥ 0; ``transfers`` are payments between classes (buy-out price:
    + received, − paid); ``nav`` is the class's value at the end of each period. Net cash flow of the class:
    distributions + transfers − contributions.
    """

    name: str
    kind: InvestorKind
    commitment: float
    contributions: np.ndarray
    distributions: np.ndarray
    transfers: np.ndarray
    nav: np.ndarray


@dataclass(frozen=True)
class ClassSplit:
    """The flows of every class; for ``buyout_option`` the period of exercise per path (−1: not exercised)."""

    structure: str
    classes: tuple[ClassFlows, ...]
    exercise_period: np.ndarray | None = None


@dataclass(frozen=True)
class Leverage:
    """Leverage of the public commitment at fund level (fi-compass glossary, fund_methods.md §6.4).

    - ``private_per_public_euro`` = (private + other commitments) / public commitments: private money per public euro.
    - ``fund_per_public_euro`` = all commitments / public commitments: the ESIF definition, (public contribution +
      additional public and private resources raised) / public contribution.
    - ``finance_per_public_euro`` = finance reaching final recipients / public commitments: Financial Regulation
      Art. 223 (amount invested in companies; None when not given).
    """

    public: float
    private: float
    private_per_public_euro: float
    fund_per_public_euro: float
    finance_per_public_euro: float | None


def leverage(classes: Sequence[InvestorClass], invested: float | None = None) -> Leverage:
    """Fund-level leverage of the public classes' commitment (see :class:`Leverage`); ``invested`` in euro."""
    public = sum(c.commitment for c in classes if c.kind is InvestorKind.public)
    private = sum(c.commitment for c in classes if c.kind is not InvestorKind.public)
    if public <= 0:
        raise ValueError("Hebelwirkung braucht eine Klasse 'public' / leverage needs a class of kind 'public'")
    return Leverage(
        public=public,
        private=private,
        private_per_public_euro=private / public,
        fund_per_public_euro=(public + private) / public,
        finance_per_public_euro=None if invested is None else invested / public,
    )


def split_classes(
    classes: Sequence[InvestorClass],
    structure: Structure,
    contributions: np.ndarray,
    distributions: np.ndarray,
    nav: np.ndarray,
    period_years: float = 0.25,
) -> ClassSplit:
    """Split the LPs' ``contributions``, ``distributions`` and ``nav`` between ``classes`` by ``structure``.

    Arrays of shape (periods,) or (paths, periods), amounts ≥ 0; period t happens at t·``period_years`` years after
    the first close. Rules per structure in the module docstring.
    """
    flows = [np.asarray(a, dtype=float) for a in (contributions, distributions, nav)]
    if not flows[0].shape == flows[1].shape == flows[2].shape or flows[0].ndim not in (1, 2):
        raise ValueError("contributions, distributions and nav must share a 1-D or 2-D shape")
    calls, paid, value = (np.atleast_2d(a) for a in flows)
    commitment = np.array([c.commitment for c in classes])
    weights = (commitment / commitment.sum())[:, None, None]
    public = np.array([c.kind is InvestorKind.public for c in classes])
    # (periods, paths): each step of the tiered structures reads one contiguous row
    calls_t, paid_t, value_t = (np.ascontiguousarray(a.T) for a in (calls, paid, value))
    exercise = None
    c_j = weights * calls
    t_j = np.zeros_like(c_j)
    if isinstance(structure, PariPassu):
        d_j, v_j = weights * paid, weights * value
    elif isinstance(structure, BuyoutOption):
        private = np.array([c.kind is InvestorKind.private for c in classes])
        steps = _buyout(structure, commitment, public, private, calls_t, paid_t, value_t, period_years)
        c_j, d_j, t_j, v_j = (np.moveaxis(a, 0, -1) for a in steps[:4])
        exercise = steps[4]
    else:
        tiers = _tiered(structure, list(classes), commitment, public, calls_t, paid_t, value_t, period_years)
        d_j, v_j = (np.moveaxis(a, 0, -1) for a in tiers)
    one = flows[0].ndim == 1
    out = tuple(
        ClassFlows(
            name=cls.name,
            kind=cls.kind,
            commitment=cls.commitment,
            contributions=np.ascontiguousarray(c_j[j, 0] if one else c_j[j]),
            distributions=np.ascontiguousarray(d_j[j, 0] if one else d_j[j]),
            transfers=np.ascontiguousarray(t_j[j, 0] if one else t_j[j]),
            nav=np.ascontiguousarray(v_j[j, 0] if one else v_j[j]),
        )
        for j, cls in enumerate(classes)
    )
    if exercise is not None and one:
        exercise = exercise[:1]
    return ClassSplit(structure=structure.kind, classes=out, exercise_period=exercise)


def _pay_pro_rata(amount: np.ndarray, owed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pay up to ``amount`` (paths,) on the balances ``owed`` (classes, paths) pro rata: (payments, rest)."""
    total = owed.sum(axis=0)
    pay = np.minimum(amount, total)
    return owed * (pay / np.where(total > 0, total, 1.0)), amount - pay  # no balance owed: nothing paid


def _allocate(amount: np.ndarray, balances: Sequence[np.ndarray], residual: np.ndarray) -> list[np.ndarray]:
    """Pay ``amount`` on each tier of ``balances`` in order, the rest by the ``residual`` weights (classes, 1).

    Returns the payments of each tier, then those of the residual tier (each (classes, paths)).
    """
    payments = []
    rest = amount
    for owed in balances:
        paid, rest = _pay_pro_rata(rest, owed)
        payments.append(paid)
    payments.append(residual * rest)
    return payments


def _tiered(
    structure: CappedPublicReturn | PublicFirstLoss,
    classes: list[InvestorClass],
    commitment: np.ndarray,
    public: np.ndarray,
    calls: np.ndarray,
    paid: np.ndarray,
    value: np.ndarray,
    period_years: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Distributions and NAV (periods, classes, paths) for the two tiered structures; fund flows (periods, paths)."""
    periods, paths = calls.shape
    n_classes = len(commitment)
    weights = (commitment / commitment.sum())[:, None]
    pub = public[:, None]
    if isinstance(structure, CappedPublicReturn):
        s = structure.public_share_above_cap
        others = commitment[~public].sum()
        if others > 0:
            residual = np.where(public, s * commitment / commitment[public].sum(), (1 - s) * commitment / others)
        else:  # only public classes: nobody else to take the upside
            residual = commitment / commitment.sum()
        junior_part = np.zeros(n_classes)
    else:
        residual = commitment / commitment.sum()
        junior_part = np.where(public, first_loss_amount(structure, classes) / commitment[public].sum(), 0.0)
    residual = residual[:, None]
    junior_part = junior_part[:, None]
    senior = np.zeros((n_classes, paths))  # capped: unreturned capital; first loss: unreturned senior capital
    second = np.zeros((n_classes, paths))  # capped: accrued public return; first loss: unreturned junior capital
    dist, nav = np.empty((periods, n_classes, paths)), np.empty((periods, n_classes, paths))
    for t in range(periods):
        called = weights * calls[t]
        if isinstance(structure, CappedPublicReturn):
            if t > 0:
                accrued = accrue_preferred(senior, second, structure.cap_rate, period_years, "compound")
                second = np.where(pub, accrued, 0.0)
            senior = senior + called
        else:
            senior = senior + (1 - junior_part) * called
            second = second + junior_part * called
        with_nav = _allocate(paid[t] + value[t], (senior, second), residual)
        first, then, rest = _allocate(paid[t], (senior, second), residual)
        dist[t] = first + then + rest
        nav[t] = with_nav[0] + with_nav[1] + with_nav[2] - dist[t]
        senior, second = senior - first, second - then
    return dist, nav


def _buyout(
    terms: BuyoutOption,
    commitment: np.ndarray,
    public: np.ndarray,
    private: np.ndarray,
    calls: np.ndarray,
    paid: np.ndarray,
    value: np.ndarray,
    period_years: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flows (periods, classes, paths) and the exercise period per path for the buy-out option; fund flows
    (periods, paths)."""
    periods, paths = calls.shape
    before = commitment / commitment.sum()
    after = np.where(public, 0.0, before)
    after[private] += before[public].sum() * commitment[private] / commitment[private].sum()
    public_weights = before * public / before[public].sum()
    private_weights = commitment * private / commitment[private].sum()
    shape = (periods, len(commitment), paths)
    c_j, d_j, t_j, v_j = (np.zeros(shape) for _ in range(4))
    exercised = np.full(paths, -1)
    early = np.zeros(paths)  # public net paid-in capital compounded at the early rate
    late = np.zeros(paths)  # … at the late rate
    first_call = np.full(paths, np.nan)  # years of the first public call
    for t in range(periods):
        held = exercised < 0
        w = np.where(held, before[:, None], after[:, None])
        c_j[t], d_j[t], v_j[t] = w * calls[t], w * paid[t], w * value[t]
        net = (c_j[t] - d_j[t])[public].sum(axis=0)
        early = early * (1 + terms.early_rate) ** period_years + net
        late = late * (1 + terms.late_rate) ** period_years + net
        now = t * period_years
        first_call = np.where(np.isnan(first_call) & (c_j[t][public].sum(axis=0) > 0), now, first_call)
        price = np.maximum(np.where(now - first_call <= terms.switch_years, early, late), 0.0)
        public_value = v_j[t][public].sum(axis=0)
        exercise = held & ~np.isnan(first_call) & (now >= terms.exercise_from_years) & (public_value > price)
        if exercise.any():
            t_j[t] += exercise * (public_weights[:, None] - private_weights[:, None]) * price
            v_j[t] += exercise * (private_weights[:, None] - public_weights[:, None]) * public_value
            exercised = np.where(exercise, t, exercised)
    return c_j, d_j, t_j, v_j, exercised
