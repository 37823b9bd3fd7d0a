"""The Takahashi–Alexander (Yale) cash-flow model of a private-equity fund, on annual periods.

Takahashi, D. and Alexander, S. (2002): "Illiquid Alternative Asset Fund Modeling", Journal of Portfolio Management
28(2), 90–100; equations as quoted by the study guide, ``jzhang1223/CBA`` and Jäckel (2023), fund_methods.md §3.1.
With commitment CC, paid-in capital before year t PIC(t) = Σ_{i<t} C(i), life L, bow B, growth G, yield Y::

    C(t)   = RC(t) · (CC − PIC(t))                  contributions, RC(t) the rate for age t
    RD(t)  = max(Y, (t / L)^B)                      rate of distribution
    D(t)   = RD(t) · NAV(t−1) · (1 + G)             distributions
    NAV(t) = NAV(t−1) · (1 + G) + C(t) − D(t)       net asset value, NAV(0) = 0

for t = 1 … L. RD(L) = 1 liquidates the fund at L except the last call, which stays as NAV(L) = C(L) (the calls
decline geometrically, so 0.05 % of the VC base commitment is never called). With constant G the fund IRR equals G
whatever B is; B moves only the timing, and so TVPI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyxirr
from scipy.optimize import brentq

from regiolens.errors import RegiolensError
from regiolens.fund.terms import TakahashiParameters

BOW_BOUNDS = (0.01, 50.0)
"""Search range of the bow B in :func:`calibrate_bow` (B = 50 distributes nearly everything at L)."""
GROWTH_BOUNDS = (-0.99, 3.0)
"""Search range of the growth G in :func:`calibrate_growth` (as the TS ``getTASchedule`` bisection, §3.2)."""


class CalibrationError(RegiolensError):
    """A target the model cannot reach within the search range of its parameter."""


@dataclass(frozen=True)
class TakahashiResult:
    """Yearly cash flows of the model for one commitment, and the fund multiples at the end of life.

    Arrays have one entry per year of age t = 1 … L (``years``). Multiples on paid-in capital PIC = Σ C(t)
    (fund_methods.md §5.1): DPI = Σ D / PIC, RVPI = NAV(L) / PIC, TVPI = DPI + RVPI. ``irr`` is the annual IRR of the
    net cash flows D − C with NAV(L) added to the last year's flow (``pyxirr.irr``).
    """

    years: np.ndarray
    contributions: np.ndarray
    distributions: np.ndarray
    nav: np.ndarray
    net_cash_flow: np.ndarray
    paid_in: float
    tvpi: float
    dpi: float
    rvpi: float
    irr: float


def contribution_rates(params: TakahashiParameters) -> np.ndarray:
    """RC(t) for t = 1 … L: the given rates by year of age, the last one repeated."""
    rates = np.asarray(params.contribution_rates, dtype=float)
    ages = np.minimum(np.arange(params.life_years), len(rates) - 1)
    return rates[ages]


def project(params: TakahashiParameters, commitment: float = 1.0) -> TakahashiResult:
    """The Takahashi–Alexander projection of ``commitment`` (equations in the module docstring).

    Contributions are vectorised (the uncalled commitment after year t is CC · Π_{s≤t} (1 − RC(s))); the NAV
    recursion runs once per year.
    """
    life = params.life_years
    uncalled = commitment * np.cumprod(1.0 - contribution_rates(params))
    contributions = -np.diff(uncalled, prepend=commitment)
    years = np.arange(1, life + 1)
    distribution_rate = np.maximum(params.yield_rate, (years / life) ** params.bow)
    distributions = np.zeros(life)
    nav = np.zeros(life)
    previous = 0.0
    for t in range(life):
        grown = previous * (1.0 + params.growth)
        distributions[t] = distribution_rate[t] * grown
        previous = nav[t] = grown + contributions[t] - distributions[t]
    net = distributions - contributions
    paid_in = float(contributions.sum())
    final = net.copy()
    final[-1] += nav[-1]
    irr = pyxirr.irr(final, silent=True)
    dpi = float(distributions.sum()) / paid_in
    rvpi = float(nav[-1]) / paid_in
    return TakahashiResult(
        years=years,
        contributions=contributions,
        distributions=distributions,
        nav=nav,
        net_cash_flow=net,
        paid_in=paid_in,
        tvpi=dpi + rvpi,
        dpi=dpi,
        rvpi=rvpi,
        irr=float("nan") if irr is None else float(irr),
    )


def jeet_bow(target_tvpi: float, growth: float, life: int) -> float:
    """Jeet's closed-form approximation of the bow for a target TVPI M: d = ln(M) / (G·L), B = e^{π·d} / √2.

    V. Jeet (PGIM): "A Closed-Form Approximation of the Bow in the Takahashi–Alexander Model", Journal of Private
    Markets Investing 24(3), 62–73 (fund_methods.md §3.2; within ±0.35 of the exact solve for M ≤ 2.5, worse beyond).
    Used as the starting point of :func:`calibrate_bow`; needs M > 0 and G > 0.
    """
    d = math.log(target_tvpi) / (growth * life)
    return math.exp(math.pi * d) / math.sqrt(2.0)


def calibrate_bow(params: TakahashiParameters, target_tvpi: float) -> TakahashiParameters:
    """``params`` with the bow B that makes TVPI = ``target_tvpi`` (exact to 1e-10 in B).

    A bracket is grown geometrically around Jeet's closed form (:func:`jeet_bow`; 2.5 if G ≤ 0) within
    :data:`BOW_BOUNDS`, then the root is found by Brent's method (bisection safeguarded, so it converges like
    bisection in the worst case). :class:`CalibrationError` if no B in the range reaches the target.
    """
    if target_tvpi > 0 and params.growth > 0:
        guess = jeet_bow(target_tvpi, params.growth, params.life_years)
    else:
        guess = TakahashiParameters().bow

    def gap(bow: float) -> float:
        return project(params.model_copy(update={"bow": bow})).tvpi - target_tvpi

    bow = _solve(gap, guess, BOW_BOUNDS, "B", target_tvpi)
    return params.model_copy(update={"bow": bow})


def calibrate_growth(params: TakahashiParameters, target_tvpi: float) -> TakahashiParameters:
    """``params`` with the growth G that makes TVPI = ``target_tvpi``: "target 2.0× in 12 years" (§3.2).

    Brent's method on :data:`GROWTH_BOUNDS`, started from the current G; :class:`CalibrationError` if out of reach.
    """

    def gap(growth: float) -> float:
        return project(params.model_copy(update={"growth": growth})).tvpi - target_tvpi

    growth = _solve(gap, params.growth, GROWTH_BOUNDS, "G", target_tvpi)
    return params.model_copy(update={"growth": growth})


def _solve(gap: Callable[[float], float], guess: float, bounds: tuple[float, float], name: str, target: float) -> float:
    """Root of ``gap`` in ``bounds``: a bracket grown around ``guess`` (steps doubling), then Brent's method."""
    low_bound, high_bound = bounds
    low = high = min(max(guess, low_bound), high_bound)
    gap_low = gap_high = gap(low)
    step = 0.05 * max(abs(low), 1.0)
    while gap_low * gap_high > 0:
        if low == low_bound and high == high_bound:
            raise CalibrationError(
                f"Ziel-TVPI {target:g} ist mit {name} zwischen {low_bound:g} und {high_bound:g} nicht erreichbar / "
                f"target TVPI {target:g} cannot be reached with {name} between {low_bound:g} and {high_bound:g}"
            )
        low, high = max(low - step, low_bound), min(high + step, high_bound)
        gap_low, gap_high = gap(low), gap(high)
        step *= 2.0
    if gap_low == 0:
        return low
    if gap_high == 0:
        return high
    return float(brentq(gap, low, high, xtol=1e-12, rtol=1e-12))
