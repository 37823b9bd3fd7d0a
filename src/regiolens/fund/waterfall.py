"""European (whole-fund) distribution waterfall with preferred return, GP catch-up and carried interest; fees.

Tiers of each period's distributable proceeds P (fund_methods.md §5.5; A7 tiers ROC → pref → catch-up → carry;
the whole-fund form endorsed by ILPA Principles, §5.4)::

    tier 1  return of capital   min(P, U)             → LP       U: paid-in capital not yet returned
    tier 2  preferred return    min(rest, A)          → LP       A: pref accrued and not yet paid
    tier 3  GP catch-up         min(rest, X)          → GP c, LP 1 − c
    tier 4  carried interest    rest                  → GP k, LP 1 − k

with the catch-up size X = (k·Π − GP) / (c − k), Π the profit distributed so far (LP + GP − paid-in) and GP the
carry paid so far: exactly what brings the GP to k·Π when the tier is full. In the one-period case (Π = H after
tier 2, GP = 0) this is §5.5's k·H / (c − k). c = 0 means no catch-up (tier 3 is skipped).

The preferred return accrues on each contribution from its period (tier 2 pays it after all capital is back):
compound, A ← A + ((1 + h)^Δ − 1)·(U + A); or simple, A ← A + h·Δ·U (no interest on unpaid pref). Δ is the period
length in years. Everything is computed period by period on the running (cumulative) accounts, vectorised over a
leading axis of paths, so the GP is paid only what the terms give on the flows up to that date.

Clawback. Cumulative computation alone does not make the GP's carry final: capital called after carry was paid
(or paid-in capital later lost) can leave the GP with more than its share of the final profit, or the LPs short of
capital plus pref. The last period is therefore taken as the liquidation, and the GP returns to the LPs
``clawback = min(GP paid, max(GP paid − k·max(Π, 0), U + A))`` (the usual two-part test: carry at most k of the
whole-fund profit, and LPs made whole on capital and pref first; gross of tax). It shows as a negative GP and a
positive LP amount in the last period. Without calls after the first carry payment the clawback is zero: every tier
keeps GP ≤ k·Π and U + A stays 0 once reached (tests/fund/test_waterfall.py proves both cases).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regiolens.fund.terms import FundPlan, WaterfallTerms


@dataclass(frozen=True)
class WaterfallResult:
    """Distributions per period to the LPs and the GP (same shape as the proceeds), and the LP/GP split of NAV.

    ``lp + gp`` equals the proceeds in every period. ``lp_nav`` / ``gp_nav`` split the NAV as if it were distributed
    at that period (hypothetical liquidation; ``gp_nav`` is the accrued carry); zero when no NAV was given.
    ``clawback`` is what the GP returned in the last period (one value per path).
    """

    lp: np.ndarray
    gp: np.ndarray
    lp_nav: np.ndarray
    gp_nav: np.ndarray
    clawback: np.ndarray | float


def accrue_preferred(
    unreturned: np.ndarray, accrued: np.ndarray, rate: float, period_years: float, compounding: str
) -> np.ndarray:
    """Preferred return accrued over one period: the new ``accrued`` balance (see the module docstring)."""
    if compounding == "simple":
        return accrued + rate * period_years * unreturned
    return accrued + ((1.0 + rate) ** period_years - 1.0) * (unreturned + accrued)


@dataclass
class _Accounts:
    """The running whole-fund accounts of one period, one value per path."""

    unreturned: np.ndarray
    accrued: np.ndarray
    paid_in: np.ndarray
    lp: np.ndarray
    gp: np.ndarray


def _distribute(
    acc: _Accounts, proceeds: np.ndarray, terms: WaterfallTerms
) -> tuple[np.ndarray, np.ndarray, _Accounts]:
    """Run ``proceeds`` through the four tiers: (LP amount, GP amount, accounts afterwards)."""
    rest = proceeds
    capital = np.minimum(rest, acc.unreturned)
    rest = rest - capital
    pref = np.minimum(rest, acc.accrued)
    rest = rest - pref
    lp = capital + pref
    gp = np.zeros_like(rest)
    k, c = terms.carry_rate, terms.catch_up
    if c > 0:
        profit = acc.lp + lp + acc.gp - acc.paid_in
        catch_up = np.minimum(rest, np.maximum(k * profit - acc.gp, 0.0) / (c - k))
        gp = gp + c * catch_up
        lp = lp + (1.0 - c) * catch_up
        rest = rest - catch_up
    gp = gp + k * rest
    lp = lp + (1.0 - k) * rest
    after = _Accounts(acc.unreturned - capital, acc.accrued - pref, acc.paid_in, acc.lp + lp, acc.gp + gp)
    return lp, gp, after


def european_waterfall(
    contributions: np.ndarray,
    proceeds: np.ndarray,
    terms: WaterfallTerms,
    period_years: float = 1.0,
    nav: np.ndarray | None = None,
) -> WaterfallResult:
    """Split distributable ``proceeds`` between LPs and GP with the whole-fund waterfall of ``terms``.

    ``contributions`` (capital paid in by the LPs, fees included) and ``proceeds`` (cash available for distribution)
    are amounts ≥ 0 per period, shape (periods,) or (paths, periods); flows of period t happen at t·Δ. ``nav``
    (same shape, optional) is the fund's value at the end of each period after its distribution, split into LP and
    GP parts by hypothetical liquidation. Tiers, pref accrual and clawback as in the module docstring.
    """
    c_in = np.asarray(contributions, dtype=float)
    p_in = np.asarray(proceeds, dtype=float)
    if c_in.shape != p_in.shape or c_in.ndim not in (1, 2):
        raise ValueError(f"contributions {c_in.shape} and proceeds {p_in.shape} must share a 1-D or 2-D shape")
    if (c_in < 0).any() or (p_in < 0).any():
        raise ValueError("contributions and proceeds are amounts ≥ 0")
    if nav is not None and np.shape(nav) != p_in.shape:
        raise ValueError(f"nav {np.shape(nav)} must have the shape of the proceeds {p_in.shape}")
    # one contiguous row (paths,) per period
    calls, cash = (np.ascontiguousarray(np.atleast_2d(a).T) for a in (c_in, p_in))
    values = None if nav is None else np.ascontiguousarray(np.atleast_2d(np.asarray(nav, dtype=float)).T)
    periods, paths = cash.shape
    zero = np.zeros(paths)
    acc = _Accounts(zero, zero, zero, zero, zero)
    lp, gp, lp_nav, gp_nav = (np.zeros((periods, paths)) for _ in range(4))
    for t in range(periods):
        accrued = acc.accrued
        if t > 0:
            accrued = accrue_preferred(
                acc.unreturned, acc.accrued, terms.hurdle_rate, period_years, terms.hurdle_compounding
            )
        acc = _Accounts(acc.unreturned + calls[t], accrued, acc.paid_in + calls[t], acc.lp, acc.gp)
        if values is not None:
            lp_all, gp_all, _ = _distribute(acc, cash[t] + values[t], terms)
        lp[t], gp[t], acc = _distribute(acc, cash[t], terms)
        if values is not None:
            lp_nav[t], gp_nav[t] = lp_all - lp[t], gp_all - gp[t]
    profit = acc.lp + acc.gp - acc.paid_in
    excess = acc.gp - terms.carry_rate * np.maximum(profit, 0.0)
    clawback = np.clip(np.maximum(excess, acc.unreturned + acc.accrued), 0.0, acc.gp)
    lp[-1] += clawback
    gp[-1] -= clawback
    lp, gp, lp_nav, gp_nav = (np.ascontiguousarray(a.T) for a in (lp, gp, lp_nav, gp_nav))
    if c_in.ndim == 1:
        return WaterfallResult(lp[0], gp[0], lp_nav[0], gp_nav[0], float(clawback[0]))
    return WaterfallResult(lp, gp, lp_nav, gp_nav, clawback)


def management_fees(
    plan: FundPlan, periods: int, period_years: float = 0.25, invested: np.ndarray | None = None
) -> np.ndarray:
    """Management fee per period, charged in advance at the start of each period [t·Δ, (t+1)·Δ).

    fee_t = r_ip · basis_ip · (years of the period inside the investment period)
          + r_after · basis_after · (years of the period after it and before the end of life)

    with the rates and bases of ``plan.fees`` (fund_methods.md §5.4: 2 % on commitment in the investment period,
    then a step-down to 1.5 % on commitment, or a switch to invested capital). The commitment basis is the fund
    size; the invested basis is ``invested`` (cost of the portfolio still held at the start of each period, shape
    (periods,) or (paths, periods)), required when a basis is "invested". No fee after the end of life.
    """
    start = np.arange(periods) * period_years
    end = start + period_years
    in_period = np.clip(np.minimum(end, plan.investment_period_years) - start, 0.0, None)
    after = np.clip(np.minimum(end, plan.life_years) - np.maximum(start, plan.investment_period_years), 0.0, None)
    fees = plan.fees

    def basis(kind: str) -> np.ndarray | float:
        if kind == "commitment":
            return plan.size
        if invested is None:
            raise ValueError("the fee basis 'invested' needs the invested capital per period")
        return np.asarray(invested, dtype=float)

    return np.asarray(
        fees.rate_investment_period * basis(fees.basis_investment_period) * in_period
        + fees.rate_after * basis(fees.basis_after) * after
    )
