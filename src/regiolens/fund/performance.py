"""Fund performance per path and its distribution over paths: IRR, XIRR, TVPI, DPI, RVPI, J-curve, KS-PME.

Definitions (fund_methods.md §5.1; contributions C_t ≥ 0 paid in, distributions D_t ≥ 0, NAV_T the value left at the
last period T; sign convention of the cash flow CF_t = D_t − C_t, with NAV_T added to CF_T)::

    DPI  = Σ D / Σ C        RVPI = NAV_T / Σ C        TVPI = DPI + RVPI
    IRR  : Σ_t CF_t / (1 + r)^t = 0 per period (``pyxirr.irr``), annualised (1 + r)^(1/Δ) − 1
    XIRR : Σ_t CF_t / (1 + x)^((d_t − d_0)/365) = 0, ACT/365F (Excel convention; ``pyxirr.xirr``)
    KS-PME = (Σ D_t·I_T/I_t + NAV_T) / Σ C_t·I_T/I_t (Kaplan & Schoar 2005; ``pyxirr.pe.ks_pme_2``)
    J-curve: cumulative net cash flow Σ_{s≤t} (D_s − C_s)

A path whose flows are all ≤ 0 (nothing ever comes back) has IRR = XIRR = −100 %; other paths without a root are
NaN and counted in ``irr_undefined``. Percentiles over paths are numpy's linear interpolation (Hyndman & Fan type 7)
ignoring NaN; the probability of losing money is the share of paths with TVPI < 1.

pyxirr takes one cash flow at a time, so IRR, XIRR and PME loop over paths in compiled code per path; the rest is
numpy over all paths at once. IRR starts from a guess near the root (:func:`_guess`): 10,000 paths × 60 quarters
take about 0.2 s for IRR on this machine (0.65 s from pyxirr's default guess).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyxirr
from pyxirr import pe

from regiolens.fund.classes import ClassFlows, ClassSplit

PERCENTILES = (5, 25, 50, 75, 95)
"""Percentiles reported for every metric."""


@dataclass(frozen=True)
class Percentiles:
    """P5, P25, P50 (median), P75, P95 and the mean of a metric over paths; NaN if no path has a value."""

    p5: float
    p25: float
    p50: float
    p75: float
    p95: float
    mean: float


@dataclass(frozen=True)
class PathMetrics:
    """Metrics of each path (arrays of length paths; ``j_curve`` (paths, periods)); ``xirr``/``pme`` if asked for."""

    irr: np.ndarray
    tvpi: np.ndarray
    dpi: np.ndarray
    rvpi: np.ndarray
    j_curve: np.ndarray
    xirr: np.ndarray | None = None
    pme: np.ndarray | None = None


@dataclass(frozen=True)
class PerformanceSummary:
    """Distribution of the metrics over paths; ``j_curve`` has one :class:`Percentiles` per period."""

    paths: int
    irr: Percentiles
    tvpi: Percentiles
    dpi: Percentiles
    rvpi: Percentiles
    j_curve: tuple[Percentiles, ...]
    probability_of_loss: float
    mean_tvpi: float
    irr_undefined: int
    xirr: Percentiles | None = None
    pme: Percentiles | None = None


def period_dates(first_close: date, periods: int, period_years: float) -> list[date]:
    """Date of each period: ``first_close`` plus t·Δ years in whole months (day clamped to the month's end)."""
    months = period_years * 12
    if not float(months).is_integer() or months <= 0:
        raise ValueError(f"a period of {period_years} years is not a whole number of months")
    out = []
    for t in range(periods):
        index = first_close.month - 1 + t * int(months)
        year, month = first_close.year + index // 12, index % 12 + 1
        out.append(date(year, month, min(first_close.day, calendar.monthrange(year, month)[1])))
    return out


def path_metrics(
    contributions: np.ndarray,
    distributions: np.ndarray,
    nav: np.ndarray,
    period_years: float = 0.25,
    dates: Sequence[date] | None = None,
    index: np.ndarray | Sequence[float] | None = None,
) -> PathMetrics:
    """Metrics of each path from flows of shape (periods,) or (paths, periods) (definitions in the module docstring).

    ``nav`` is the value at the end of each period (only its last period enters the multiples and IRR). ``dates``
    (one per period, e.g. :func:`period_dates`) adds XIRR; ``index`` (a market index level per period) adds KS-PME.
    """
    c, d, v = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (contributions, distributions, nav))
    paid_in = c.sum(axis=1)
    final_nav = v[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        dpi = np.where(paid_in > 0, d.sum(axis=1) / paid_in, np.nan)
        rvpi = np.where(paid_in > 0, final_nav / paid_in, np.nan)
    flows = d - c
    j_curve = np.cumsum(flows, axis=1)
    flows[:, -1] += final_nav
    total_loss = (flows <= 0).all(axis=1) & (flows < 0).any(axis=1)
    guess = _guess(flows)
    periodic = _rates(flows, total_loss, guess, lambda row, g: pyxirr.irr(row, guess=g, silent=True))
    irr = np.where(total_loss, -1.0, (1.0 + periodic) ** (1.0 / period_years) - 1.0)
    xirr = None
    if dates is not None:
        if len(dates) != flows.shape[1]:
            raise ValueError(f"{len(dates)} dates for {flows.shape[1]} periods")
        days = np.array(dates, dtype="datetime64[D]")
        annual = (1.0 + guess) ** (1.0 / period_years) - 1.0
        xirr = _rates(
            flows, total_loss, annual, lambda row, g: pyxirr.xirr(days, row, guess=g, silent=True, day_count=_ACT_365F)
        )
    pme = None
    if index is not None:
        level = np.asarray(index, dtype=float)
        if level.shape != (flows.shape[1],):
            raise ValueError(f"the index needs one level per period ({flows.shape[1]})")
        # contributions and distributions apart (``ks_pme_2``): netting a period's call against its distribution
        # would shrink both sums, and the PME against a flat index would no longer be the TVPI
        pme = np.array([pe.ks_pme_2(ci, di, level, n) for ci, di, n in zip(c, d, final_nav, strict=True)])
    return PathMetrics(irr=irr, tvpi=dpi + rvpi, dpi=dpi, rvpi=rvpi, j_curve=j_curve, xirr=xirr, pme=pme)


_ACT_365F = pyxirr.DayCount.ACT_365F


def _guess(flows: np.ndarray) -> np.ndarray:
    """A starting rate per period for the IRR search: M^(1/D) − 1.

    M = money out / money in, D = cash-weighted mean period of the positive flows minus that of the negative ones
    (at least one period): a fund returning M after D periods on average. Near the root, pyxirr's Newton steps
    converge about four times faster than from its default guess (0.65 s → 0.17 s for 10,000 × 60).
    """
    periods = np.arange(flows.shape[1])
    money_out, money_in = np.maximum(flows, 0.0), np.maximum(-flows, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        duration = money_out @ periods / money_out.sum(axis=1) - money_in @ periods / money_in.sum(axis=1)
        guess = (money_out.sum(axis=1) / money_in.sum(axis=1)) ** (1.0 / np.maximum(duration, 1.0)) - 1.0
    return np.where(np.isfinite(guess) & (guess > -1.0), guess, 0.1)


def _rates(
    flows: np.ndarray, total_loss: np.ndarray, guess: np.ndarray, solve: Callable[[np.ndarray, float | None], Any]
) -> np.ndarray:
    """A rate per path from ``solve(row, guess)``, retried with pyxirr's own guesses when that finds no root
    (None/NaN → NaN); −1 for paths that never get money back."""
    out = np.full(flows.shape[0], np.nan)
    for i, row in enumerate(flows):
        if total_loss[i]:
            out[i] = -1.0
            continue
        rate = solve(row, float(guess[i]))
        if rate is None or rate != rate:
            rate = solve(row, None)
        out[i] = np.nan if rate is None else rate
    return out


def class_metrics(
    flows: ClassFlows,
    period_years: float = 0.25,
    dates: Sequence[date] | None = None,
    index: np.ndarray | Sequence[float] | None = None,
) -> PathMetrics:
    """Metrics of one investor class: transfers received count as distributions, transfers paid as contributions."""
    paid = flows.contributions + np.maximum(-flows.transfers, 0.0)
    received = flows.distributions + np.maximum(flows.transfers, 0.0)
    return path_metrics(paid, received, flows.nav, period_years, dates, index)


def split_metrics(
    split: ClassSplit,
    period_years: float = 0.25,
    dates: Sequence[date] | None = None,
    index: np.ndarray | Sequence[float] | None = None,
) -> dict[str, PathMetrics]:
    """:func:`class_metrics` of every class of ``split``, by class name."""
    return {cls.name: class_metrics(cls, period_years, dates, index) for cls in split.classes}


def _quantiles(values: np.ndarray) -> np.ndarray:
    """:data:`PERCENTILES` and the mean over the first axis, NaN ignored: shape (6, columns); all-NaN columns: NaN."""
    data = np.asarray(values, dtype=float).reshape(len(values), -1)
    q = np.full((len(PERCENTILES) + 1, data.shape[1]), np.nan)
    keep = ~np.isnan(data).all(axis=0)
    if keep.any():
        q[:-1, keep] = np.nanpercentile(data[:, keep], PERCENTILES, axis=0)
        q[-1, keep] = np.nanmean(data[:, keep], axis=0)
    return q


def percentiles(values: np.ndarray) -> Percentiles:
    """:data:`PERCENTILES` and the mean of one metric over paths (NaN ignored)."""
    return Percentiles(*(float(x) for x in _quantiles(values)[:, 0]))


def percentiles_by_period(values: np.ndarray) -> tuple[Percentiles, ...]:
    """:data:`PERCENTILES` and the mean over paths of a (paths, periods) array, one :class:`Percentiles` per period."""
    return tuple(Percentiles(*(float(x) for x in column)) for column in _quantiles(values).T)


def summarise(metrics: PathMetrics) -> PerformanceSummary:
    """The distribution of ``metrics`` over paths (percentiles, probability of loss, mean TVPI)."""
    tvpi = metrics.tvpi[~np.isnan(metrics.tvpi)]

    return PerformanceSummary(
        paths=len(metrics.irr),
        irr=percentiles(metrics.irr),
        tvpi=percentiles(metrics.tvpi),
        dpi=percentiles(metrics.dpi),
        rvpi=percentiles(metrics.rvpi),
        j_curve=percentiles_by_period(metrics.j_curve),
        probability_of_loss=float((tvpi < 1).mean()) if len(tvpi) else float("nan"),
        mean_tvpi=float(tvpi.mean()) if len(tvpi) else float("nan"),
        irr_undefined=int(np.isnan(metrics.irr).sum()),
        xirr=None if metrics.xirr is None else percentiles(metrics.xirr),
        pme=None if metrics.pme is None else percentiles(metrics.pme),
    )
