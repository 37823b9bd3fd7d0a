"""Shift-share analysis: classic (Dunn), Esteban-Marquillas, multiplicative (Gerfin) and dynamic variants.

Notation: ``e_ri0``, ``e_ri1`` employment of region r in industry i at the start and end; ``e_r0 = Σ_i e_ri0``;
``E_i0``, ``E_i1`` the reference area's (usually national) industry totals; ``E0``, ``E1`` its totals.
Growth rates: ``G = E1/E0 − 1`` (reference), ``G_i = E_i1/E_i0 − 1`` (reference industry),
``g_ri = e_ri1/e_ri0 − 1`` (region × industry).

Both vocabularies are in :data:`LABELS` and in the field documentation of each result:

==================  ==================================  ====================
field               English                             German
==================  ==================================  ====================
``national``        national share (growth) effect      Konjunkturkomponente
``industry_mix``    industry-mix (proportional) effect  Strukturkomponente
``regional``        regional (competitive) effect       Standortkomponente
==================  ==================================  ====================

Multiplicative (Gerfin): *Regionalfaktor* (regional factor) = *Strukturfaktor* (structural factor) ×
*Standortfaktor* (location factor).

Conventions as in :mod:`regiolens.metrics`: arrays ``(..., R, I)`` with leading axes broadcast; ``NaN`` for
unknown cells; reference totals explicit. The rows may be custom groups aggregated beforehand while the
reference stays national. A region's components are sums over the industries given (``NaN`` if any of its
cells is unknown), so pass a **complete, non-overlapping** set of industries. Where every input of a cell
is known, ``actual change = national + industry_mix + regional`` holds for that cell and for the region sums
(up to floating-point rounding).

**Zero base (our choice, different from REAT).** REAT computes the regional share as
``Σ_i e_ri0·(e_ri1/e_ri0 − E_i1/E_i0)``, which is ``NaN`` when any ``e_ri0 = 0`` and breaks the identity.
Here ``regional_ri = e_ri1 − e_ri0·(1 + G_i)`` — algebraically identical, and defined for ``e_ri0 = 0``
(then all of the cell's change ``e_ri1`` is regional). A zero base also contributes nothing to the national
and industry-mix components, even where a growth rate is undefined (an industry with ``E_i0 = 0``): zero
employees times any growth rate is zero. A cell with ``e_ri0 > 0`` whose reference growth rate is undefined
(``E_i0 = 0``, or ``E0 = 0``) has ``NaN`` components.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from regiolens.metrics.location import _as_float
from regiolens.metrics.stats import (
    BoolArray,
    FloatArray,
    Index,
    finite_or_nan,
    map_blocks,
    nansum,
    safe_divide,
    scratch,
)

__all__ = [
    "LABELS",
    "DynamicGerfin",
    "DynamicShiftShare",
    "EstebanMarquillas",
    "Gerfin",
    "ShiftShare",
    "dynamic_decompositions",
    "dynamic_gerfin",
    "dynamic_shift_share",
    "esteban_marquillas",
    "gerfin",
    "shift_share",
]


LABELS: dict[str, dict[str, str]] = {
    "actual_change": {"en": "Actual change", "de": "Tatsächliche Veränderung"},
    "national": {"en": "National share", "de": "Konjunkturkomponente"},
    "industry_mix": {"en": "Industry mix", "de": "Strukturkomponente"},
    "regional": {"en": "Regional (competitive) effect", "de": "Standortkomponente"},
    "net_total_shift": {"en": "Net total shift", "de": "Gesamteffekt (Struktur- und Standortkomponente)"},
    "homothetic": {"en": "Homothetic employment", "de": "Homothetische Beschäftigung"},
    "competitive": {"en": "Competitive effect (homothetic)", "de": "Standortkomponente (homothetisch)"},
    "allocation": {"en": "Allocation effect", "de": "Allokationseffekt"},
    "structural_factor": {"en": "Structural factor", "de": "Strukturfaktor"},
    "location_factor": {"en": "Location factor", "de": "Standortfaktor"},
    "regional_factor": {"en": "Regional factor", "de": "Regionalfaktor"},
}
"""Display labels per component (field name) in English and German."""


# ---------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ShiftShare:
    """Classic shift-share components (Dunn 1960) per region ``(..., R)`` and per region × industry ``(..., R, I)``.

    Per region (sums over the industries; ``NaN`` if a cell of the region is unknown):

    - ``actual_change`` — Δe_r = e_r1 − e_r0 (*tatsächliche Veränderung*).
    - ``national`` — national share / national growth effect, *Konjunkturkomponente*: e_r0·G, the change had
      the region grown like the reference area.
    - ``industry_mix`` — industry-mix (proportional, structural) effect, *Strukturkomponente*:
      Σ_i e_ri0·(G_i − G), the part due to the region's industry structure.
    - ``regional`` — regional (competitive, differential) effect, *Standortkomponente*:
      Σ_i (e_ri1 − e_ri0·(1 + G_i)) = Σ_i e_ri0·(g_ri − G_i), growth beyond the industries' reference growth.

    The same four as ``*_by_industry`` for each region × industry cell, and :attr:`net_total_shift`
    (industry_mix + regional, *Gesamteffekt*, Dunn's "net total shift").
    """

    actual_change: FloatArray
    national: FloatArray
    industry_mix: FloatArray
    regional: FloatArray
    actual_change_by_industry: FloatArray
    national_by_industry: FloatArray
    industry_mix_by_industry: FloatArray
    regional_by_industry: FloatArray

    @property
    def net_total_shift(self) -> FloatArray:
        """Net total shift (*Gesamteffekt*) per region: industry_mix + regional = e_r1 − e_r0·(1 + G)."""
        return np.asarray(self.industry_mix + self.regional)

    @property
    def net_total_shift_by_industry(self) -> FloatArray:
        """Net total shift per region × industry: industry_mix_by_industry + regional_by_industry."""
        return np.asarray(self.industry_mix_by_industry + self.regional_by_industry)


@dataclass(frozen=True)
class EstebanMarquillas(ShiftShare):
    """Esteban-Marquillas (1972) shift-share: the classic components plus a split of the regional effect.

    In addition to the fields of :class:`ShiftShare`:

    - ``homothetic`` ``(..., R, I)`` — homothetic employment ê_ri = e_r0·E_i0/E0, the region's employment
      distributed like the reference area's (*homothetische Beschäftigung*).
    - ``competitive`` ``(..., R)`` — competitive effect C' = Σ_i ê_ri·(g_ri − G_i), the regional effect of a
      region with the reference structure (*Standortkomponente, homothetisch*).
    - ``allocation`` ``(..., R)`` — allocation effect A = Σ_i (e_ri0 − ê_ri)·(g_ri − G_i): positive when the
      region is specialised in the industries where it grows faster than the reference (*Allokationseffekt*).
    - ``competitive_by_industry``, ``allocation_by_industry`` ``(..., R, I)``.

    ``competitive + allocation = regional`` wherever both are defined.
    """

    homothetic: FloatArray
    competitive: FloatArray
    allocation: FloatArray
    competitive_by_industry: FloatArray
    allocation_by_industry: FloatArray


@dataclass(frozen=True)
class Gerfin:
    """Multiplicative shift-share (Gerfin 1964): *Regionalfaktor = Strukturfaktor × Standortfaktor*.

    Per region ``(..., R)``, with ``ê_r1 = Σ_i e_ri0·E_i1/E_i0`` the end employment had every industry of the
    region grown like in the reference area:

    - ``structural_factor`` — (ê_r1/e_r0) / (E1/E0), *Strukturfaktor*: > 1 when the region's structure
      favours growth.
    - ``location_factor`` — (e_r1/e_r0) / (ê_r1/e_r0) = e_r1/ê_r1, *Standortfaktor*: > 1 when the region's
      industries grew faster than the same industries in the reference area.
    - ``regional_factor`` — (e_r1/e_r0) / (E1/E0) = structural × location, *Regionalfaktor*: relative growth.

    Per industry: ``structural_factor_by_industry`` ``(..., I)`` = (E_i1/E_i0)/(E1/E0) and
    ``location_factor_by_industry`` ``(..., R, I)`` = (e_ri1/e_ri0)/(E_i1/E_i0) (``NaN`` for a zero base).
    """

    structural_factor: FloatArray
    location_factor: FloatArray
    regional_factor: FloatArray
    structural_factor_by_industry: FloatArray
    location_factor_by_industry: FloatArray


@dataclass(frozen=True)
class DynamicShiftShare:
    """Dynamic shift-share (Barff & Knight 1988).

    ``yearly`` holds the classic components of every consecutive pair of years (a year-pair axis of length
    T − 1 in place of the year axis: ``(..., T−1, R)`` and ``(..., T−1, R, I)``); ``total`` their sums over
    the year pairs (``(..., R)`` and ``(..., R, I)``). ``total.actual_change`` equals e_rT − e_r0.
    ``yearly`` is ``None`` when :func:`dynamic_shift_share` was called with ``yearly=False`` (only the totals
    were computed; they are identical to those of ``yearly=True``).
    """

    total: ShiftShare
    yearly: ShiftShare | None


@dataclass(frozen=True)
class DynamicGerfin:
    """Dynamic multiplicative shift-share: Gerfin factors of every consecutive pair of years, chained.

    - ``yearly`` — factors of each year pair (year-pair axis of length T − 1 as in :class:`DynamicShiftShare`);
      ``None`` when :func:`dynamic_gerfin` was called with ``yearly=False`` (``total`` and ``annual`` are
      identical to those of ``yearly=True``).
    - ``total`` — the **product** of the yearly factors over the year pairs. The regional factor telescopes
      to the static one, (e_rT/e_r0)/(E_T/E_0), and structural × location = regional still holds.
    - ``annual`` — the geometric mean per year pair, ``total ** (1/(T−1))`` (comparable across periods of
      different length; the product identity holds as well).
    """

    total: Gerfin
    yearly: Gerfin | None
    annual: Gerfin


# ------------------------------------------------------------------------------------------- internals
@dataclass(frozen=True)
class _Inputs:
    e0: FloatArray  # (..., R, I)
    e1: FloatArray  # (..., R, I)
    ref0: FloatArray  # (..., I)
    ref1: FloatArray  # (..., I)
    total0: FloatArray  # (...)
    total1: FloatArray  # (...)


def _inputs(
    start: ArrayLike,
    end: ArrayLike,
    reference_start: ArrayLike | None,
    reference_end: ArrayLike | None,
    reference_total_start: ArrayLike | None,
    reference_total_end: ArrayLike | None,
) -> _Inputs:
    e0, e1 = np.broadcast_arrays(_as_float(start), _as_float(end))
    if e0.ndim < 2:
        raise ValueError(f"start and end need shape (..., R, I), got {e0.shape}")
    ref0 = nansum(e0, axis=-2) if reference_start is None else _as_float(reference_start)
    ref1 = nansum(e1, axis=-2) if reference_end is None else _as_float(reference_end)
    total0 = nansum(ref0, axis=-1) if reference_total_start is None else _as_float(reference_total_start)
    total1 = nansum(ref1, axis=-1) if reference_total_end is None else _as_float(reference_total_end)
    return _Inputs(e0, e1, ref0, ref1, total0, total1)


def _zero_base_into(value: FloatArray, zero: BoolArray) -> FloatArray:
    """``np.where(zero, 0.0, value)`` in place (``zero``: e_ri0 == 0), bit for bit: the exact path of
    :func:`_zero_base_products`.

    The trick: a masked copy over the ~30 % zero-base cells is slow (a branch per cell), but ``value + 0.0``
    is fast and already right almost everywhere — it turns a zero base's ``±0 · G`` into +0.0 and leaves
    every other number as it is. It is wrong only (i) where a cell off the zero base has the value −0.0
    (it must keep its sign; a product with a zero growth rate) and (ii) where a zero base meets an undefined
    growth rate (``0 · NaN``, must be 0). Both are rare, and a masked copy over few cells is fast.
    """
    keep_sign = scratch("zero_base.keep_sign", value.shape, np.bool_)
    undefined = scratch("zero_base.undefined", value.shape, np.bool_)
    np.logical_and(np.equal(value, 0.0, out=keep_sign), np.signbit(value, out=undefined), out=keep_sign)
    np.logical_and(keep_sign, np.logical_not(zero, out=undefined), out=keep_sign)  # (i)
    np.logical_and(np.isnan(value, out=undefined), zero, out=undefined)  # (ii)
    np.add(value, 0.0, out=value)
    np.copyto(value, -0.0, where=keep_sign)
    np.copyto(value, 0.0, where=undefined)
    return value


class _Factors:
    """Growth rates or factors of the cells of ``shape`` ``(..., R, I)`` for :func:`_zero_base_products`, stacked on
    a new first axis: each has no region axis (shape ``(..., 1, I)`` or ``(..., 1, 1)``), so they are small.

    ``value`` and ``regular`` (the same with 0 where not finite) are broadcast to ``(k, *shape)``; ``special`` marks
    where a factor is 0 or not finite (``None`` if one is ``±inf``: then :func:`_zero_base_products` always takes
    the exact path).
    """

    def __init__(self, factors: list[FloatArray], shape: tuple[int, ...]) -> None:
        small = np.stack([np.broadcast_to(f, (*shape[:-2], 1, shape[-1])) for f in factors])
        full = (len(factors), *shape)
        finite = np.isfinite(small)
        self.count = len(factors)
        self.value = np.broadcast_to(small, full)
        self.regular = np.broadcast_to(np.where(finite, small, 0.0), full)
        self.special = None if np.isinf(small).any() else np.broadcast_to(~finite | (small == 0), full)
        self._cells: dict[tuple[int, ...], tuple[Any, ...] | None] = {}

    def special_cells(self, at: Index) -> tuple[Any, ...] | None:
        """The cells of block ``at`` whose factor is special, as an index of the block's products ``(k, …, rows, I)``
        — (factor, [year pair,] every row, industry), shape ``(cells, rows)`` — or ``None``. They are the same
        for every block of the same leading axes, so they are looked up once."""
        key = tuple(i for i in at if isinstance(i, int))
        if key not in self._cells:
            assert self.special is not None
            where = np.nonzero(self.special[(slice(None), *at)][..., 0, :])
            self._cells[key] = (*where[:-1], slice(None), where[-1]) if where[0].size else None
        return self._cells[key]


def _zero_base_products(e0: FloatArray, factors: _Factors, at: Index, out: FloatArray) -> FloatArray:
    """``out[j] = np.where(e0 == 0, 0.0, e0 · factor_j)`` for the block ``at`` (``e0`` its cells), bit for bit:
    every product with a zero base is 0 (nothing grows from nothing).

    Fast path: multiply by the factors with ``NaN`` replaced by 0, so that every zero base gives ±0, and add +0.0,
    which makes each ±0 a +0.0 and leaves every other number as it is; then put the few cells of the *special*
    (year pair ×) industry columns, whose factor is 0 or ``NaN`` (an industry that closes or does not grow),
    exactly as the formula says (gathered, ``np.where``, written back). Elsewhere the factors are finite and not
    0, so a product is 0 only at a zero base — or in an underflow, whose −0.0 would have to keep its sign. The
    multiplication raises the floating-point underflow flag for that, at no cost (numpy checks the flags after
    every ufunc anyway); should it happen (rare), the exact path, :func:`_zero_base_into`. No mask of the ~30 %
    zero bases is needed: a masked copy over them would cost a branch per cell.
    """
    index = (slice(None), *at)
    if factors.special is not None:
        try:
            with np.errstate(under="raise"):
                np.multiply(e0, factors.regular[index], out=out)
        except FloatingPointError:  # a product underflowed: the exact path below
            pass
        else:
            cells = factors.special_cells(at)
            np.add(out, 0.0, out=out)
            if cells is not None:
                base = np.broadcast_to(e0, out.shape)[cells]
                out[cells] = np.where(base == 0, 0.0, base * factors.value[index][cells])
            return out
    zero = np.equal(e0, 0.0, out=scratch("zero_base.zero", e0.shape, np.bool_))
    for factor, product in zip(factors.value[index], out, strict=True):
        _zero_base_into(np.multiply(e0, factor, out=product), zero)
    return out


_CLASSIC = ("actual_change", "national", "industry_mix", "regional")
_ClassicResult = tuple[ShiftShare | None, ShiftShare | None]


@dataclass(frozen=True)
class _GerfinSums:
    """Gerfin's block results: region sums per year (pair) and the cell factors."""

    expected: FloatArray  # ê_r1, (..., R)
    e_r0: FloatArray  # (..., R)
    e_r1: FloatArray  # (..., R)
    location_by_industry: FloatArray | None  # (..., R, I), None without ``yearly``
    chained_location_by_industry: FloatArray | None  # product over the year pairs (axis −3), (..., R, I)
    annual_location_by_industry: FloatArray | None  # its geometric mean per year pair, (..., R, I)


class _Decomposition:
    """The classic components (``classic``) and/or Gerfin's sums (``gerfin``) of ``v``, block by block
    (:func:`map_blocks`) with the whole-array formulas: :meth:`run`, then :meth:`classic` / :meth:`gerfin_sums`.

    Per cell, with the zero-base products of :func:`_zero_base_products`: actual = e1 − e0; national = e0·G;
    industry_mix = e0·(G_i − G); regional = actual − e0·G_i; Gerfin's ê_r1 = Σ_i e0·E_i1/E_i0 and location
    = (e1/e0)/(E_i1/E_i0). The products of a block are taken in one call per step for all factors at once,
    stacked, so that the per-call overhead stays small against the arithmetic.

    With ``pairs`` (axis −3 is the year pair) a block holds all year pairs of a few regions, so the sums (classic)
    and products (Gerfin's location factors) over the year pairs are taken in the cache as well; with ``pairs``
    and ``yearly=False`` only those are kept: the components of the year pairs live only in a block, never in
    full-size arrays. They are the same operations on the same values, so identical to those of ``yearly=True``.
    """

    def __init__(self, v: _Inputs, *, pairs: bool, yearly: bool, classic: bool, gerfin: bool) -> None:
        factors = []
        if classic:
            growth = safe_divide(v.total1 - v.total0, v.total0)[..., None, None]  # G
            industry_growth = safe_divide(v.ref1 - v.ref0, v.ref0)[..., None, :]  # G_i
            factors += [growth, industry_growth - growth, industry_growth]  # national, industry mix, e0·G_i
        if gerfin:
            factors.append(safe_divide(v.ref1, v.ref0)[..., None, :])  # E_i1/E_i0
        self.shape = shape = np.broadcast_shapes(v.e0.shape, v.e1.shape, *(f.shape for f in factors))
        self.e0, self.e1 = np.broadcast_to(v.e0, shape), np.broadcast_to(v.e1, shape)
        self.factors = _Factors(factors, shape)
        self.pairs, self.is_classic, self.is_gerfin = pairs, classic, gerfin
        keep = yearly or not pairs
        n = len(_CLASSIC) if classic else 0  # stacked outputs, one per component
        self.cells = np.empty((n, *shape)) if keep else None
        self.sums = np.empty((n, *shape[:-1])) if keep else None
        self.total_cells = np.empty((n, *shape[:-3], *shape[-2:])) if pairs else None
        self.total_sums = np.empty((n, *shape[:-3], shape[-2])) if pairs else None
        self.expected, self.e_r0, self.e_r1 = (np.empty(shape[:-1] if gerfin else 0) for _ in range(3))
        self.location = np.empty(shape) if gerfin and keep else None
        self.chained = np.empty((*shape[:-3], *shape[-2:])) if gerfin and pairs else None
        self.annual = np.empty_like(self.chained) if self.chained is not None else None

    def run(self) -> None:
        shape = self.shape
        if self.pairs:  # blocks of regions (axis −2) with every year pair (axis −3)
            pairs_shape, cells = (*shape[:-3], shape[-2]), shape[-3] * shape[-1]
            map_blocks(lambda at: self.block((*at[:-1], slice(None), at[-1])), pairs_shape, cells=cells)
        else:
            map_blocks(self.block, shape, axis=-2)

    def block(self, at: Index) -> None:
        e0, e1 = self.e0[at], self.e1[at]
        n = int(self.is_classic) + self.factors.count  # the actual change first, then the products
        values = scratch("decomposition.values", (n, *e0.shape))
        with np.errstate(divide="ignore", invalid="ignore"):  # 0·NaN and x/0 are handled (in every thread)
            _zero_base_products(e0, self.factors, at, values[n - self.factors.count :])
            if self.is_classic:
                np.subtract(e1, e0, out=values[0])
                np.subtract(values[0], values[3], out=values[3])  # regional = e_ri1 − e_ri0·(1 + G_i)
            row_sums = np.add.reduce(values, axis=-1)
            if self.is_classic:
                self._collect_classic(at, values[: len(_CLASSIC)], row_sums[: len(_CLASSIC)])
            if self.is_gerfin:
                self._gerfin(at, e0, e1, row_sums[-1])

    def _collect_classic(self, at: Index, values: FloatArray, row_sums: FloatArray) -> None:
        stacked = (slice(None), *at)
        if self.cells is not None and self.sums is not None:
            self.cells[stacked] = values
            self.sums[stacked] = row_sums
        if self.total_cells is not None and self.total_sums is not None:  # at = (..., all year pairs, regions)
            summed = (slice(None), *at[:-2], at[-1])
            self.total_cells[summed] = np.add.reduce(values, axis=-3)
            self.total_sums[summed] = np.add.reduce(row_sums, axis=-2)

    def _gerfin(self, at: Index, e0: FloatArray, e1: FloatArray, expected: FloatArray) -> None:
        self.expected[at] = expected
        self.e_r0[at] = e_r0 = np.add.reduce(e0, axis=-1)
        if self.pairs:  # the end of a year pair is the start of the next: only the last end's sums are new
            e_r1 = self.e_r1[at]
            e_r1[:-1] = e_r0[1:]
            e_r1[-1] = np.add.reduce(e1[-1], axis=-1)
        else:
            self.e_r1[at] = np.add.reduce(e1, axis=-1)
        out = scratch("decomposition.location", e0.shape) if self.location is None else self.location[at]
        # location = safe_divide(safe_divide(e1, e0), f): the quotients of both divisions, then one NaN fill —
        # a quotient that is not finite stays so when divided by the factor (which is finite or NaN)
        quotients = np.divide(np.divide(e1, e0, out=out), self.factors.value[-1][at], out=out)
        if self.location is not None:
            finite_or_nan(quotients)
        if self.chained is not None and self.annual is not None:  # at = (..., all year pairs, regions)
            summed = (*at[:-2], at[-1])
            self.chained[summed] = chained = self._chained(quotients, filled=self.location is not None)
            self.annual[summed] = np.power(chained, 1.0 / e0.shape[-3])  # in the blocks: in parallel

    @staticmethod
    def _chained(quotients: FloatArray, filled: bool) -> FloatArray:
        """The product over the year pairs (axis −3) of the location factors, from their ``quotients`` — NaN-filled
        already (``filled``) or not: then the product of the raw quotients, which is the same wherever it is finite
        or ``NaN``; it is ``±inf`` where a quotient is (its location factor is ``NaN``: the product must be ``NaN``)
        or where finite factors overflow (it stays ``±inf``). Why: saves the NaN fill of every year pair's
        quotients when only the product is kept; the ``±inf`` products are few (cells that open)."""
        chained = np.multiply.reduce(quotients, axis=-3)
        if not filled:
            infinite = np.isinf(chained)
            if infinite.any():
                from_x0 = np.isinf(quotients[..., infinite]).any(axis=-2)  # (..., T−1, cells)
                chained[infinite] = np.where(from_x0, np.nan, chained[infinite])
        return chained

    def classic(self) -> _ClassicResult:
        def result(sums: FloatArray, cells: FloatArray) -> ShiftShare:
            by_industry = {f"{name}_by_industry": value for name, value in zip(_CLASSIC, cells, strict=True)}
            return ShiftShare(**dict(zip(_CLASSIC, sums, strict=True)), **by_industry)

        by_year = None if self.sums is None or self.cells is None else result(self.sums, self.cells)
        summed = (
            None if self.total_sums is None or self.total_cells is None else result(self.total_sums, self.total_cells)
        )
        return by_year, summed

    def gerfin_sums(self) -> _GerfinSums:
        return _GerfinSums(self.expected, self.e_r0, self.e_r1, self.location, self.chained, self.annual)


def _classic(v: _Inputs, pairs: bool = False, yearly: bool = True) -> _ClassicResult:
    """The classic components of ``v``; with ``pairs`` also their sums over the year-pair axis (axis −3), and
    with ``pairs`` and ``yearly=False`` only those (the first result is ``None``); see :class:`_Decomposition`."""
    d = _Decomposition(v, pairs=pairs, yearly=yearly, classic=True, gerfin=False)
    d.run()
    return d.classic()


def _single(v: _Inputs) -> ShiftShare:
    """The classic components of one comparison (no year pairs)."""
    result = _classic(v)[0]
    assert result is not None
    return result


def _gerfin_factors(sums: _GerfinSums, factor: FloatArray) -> dict[str, FloatArray]:
    """The region factors of :class:`Gerfin` from the region sums and E1/E0 (``factor``, shape ``(...)``)."""
    return {
        "structural_factor": safe_divide(safe_divide(sums.expected, sums.e_r0), factor[..., None]),
        "location_factor": safe_divide(sums.e_r1, sums.expected),
        "regional_factor": safe_divide(safe_divide(sums.e_r1, sums.e_r0), factor[..., None]),
    }


# ------------------------------------------------------------------------------------------- public API
def shift_share(
    start: ArrayLike,
    end: ArrayLike,
    reference_start: ArrayLike | None = None,
    reference_end: ArrayLike | None = None,
    reference_total_start: ArrayLike | None = None,
    reference_total_end: ArrayLike | None = None,
) -> ShiftShare:
    """Classic shift-share decomposition (Dunn 1960), per region and per region × industry.

    For each cell::

        national_ri     = e_ri0 · G                      (Konjunkturkomponente)
        industry_mix_ri = e_ri0 · (G_i − G)              (Strukturkomponente)
        regional_ri     = e_ri1 − e_ri0 · (1 + G_i)      (Standortkomponente; = e_ri0·(g_ri − G_i) for e_ri0 ≠ 0)

    so that ``e_ri1 − e_ri0 = national_ri + industry_mix_ri + regional_ri``; region figures are sums over i
    (national_r = e_r0·G). The regional term is written in the zero-base-safe form (see the module docstring):
    REAT's ``shift()`` returns ``NaN`` for the regional share when any e_ri0 = 0, we do not.

    Parameters
    ----------
    start, end
        e_ri0 and e_ri1, shape ``(..., R, I)``; ``NaN`` for unknown cells.
    reference_start, reference_end
        E_i0 and E_i1, shape ``(..., I)`` — the national industry totals also when the rows are groups.
        Default: column sums (``nansum``) over the regions given.
    reference_total_start, reference_total_end
        E0 and E1, shape ``(...)`` (e.g. the published national total). Default: sums of the reference.

    Returns
    -------
    :class:`ShiftShare`. Reference: Dunn (1960), "A statistical and analytical technique for regional
    analysis", *Papers of the Regional Science Association* 6; Farhauer & Kröll (2013/2014).
    Textbook check (Farhauer/Kröll, region A): change 25, national 27, industry mix 1, regional −3.
    """
    return _single(_inputs(start, end, reference_start, reference_end, reference_total_start, reference_total_end))


def esteban_marquillas(
    start: ArrayLike,
    end: ArrayLike,
    reference_start: ArrayLike | None = None,
    reference_end: ArrayLike | None = None,
    reference_total_start: ArrayLike | None = None,
    reference_total_end: ArrayLike | None = None,
) -> EstebanMarquillas:
    """Esteban-Marquillas (1972) shift-share: the regional effect split into competitive and allocation effects.

    Homothetic employment ``ê_ri = e_r0 · E_i0 / E0`` (e_r0 = Σ_i e_ri0; E0 = ``reference_total_start``, so
    ê_ri = e_ri0 / LQ_ri with the same reference as :func:`~regiolens.metrics.location.location_quotient`)::

        competitive_ri = ê_ri · (g_ri − G_i)
        allocation_ri  = (e_ri0 − ê_ri) · (g_ri − G_i)
        competitive_ri + allocation_ri = regional_ri

    Zero-base-safe form: for e_ri0 ≠ 0, ``competitive_ri = (ê_ri / e_ri0) · regional_ri`` with the classic
    ``regional_ri = e_ri1 − e_ri0·(1 + G_i)``, and ``allocation_ri = regional_ri − competitive_ri``. Where
    e_ri0 = 0 the regional growth rate g_ri is undefined: if also e_ri1 = 0 the industry is absent at both
    dates, its regional effect is 0 and so are both parts; if e_ri1 > 0 (an industry new to the region) the
    split is undefined and both parts are ``NaN`` (their region sums too), while ``regional`` stays defined.

    Parameters and classic fields as in :func:`shift_share`. Returns :class:`EstebanMarquillas`.

    Reference: Esteban-Marquillas (1972), "A reinterpretation of shift-share analysis", *Regional and Urban
    Economics* 2(3). Textbook check (Farhauer/Kröll, region A): competitive −0.6364, allocation −2.3636.
    """
    v = _inputs(start, end, reference_start, reference_end, reference_total_start, reference_total_end)
    classic = _single(v)
    region_total = np.sum(v.e0, axis=-1)[..., None]
    reference_share = safe_divide(v.ref0, v.total0[..., None])[..., None, :]
    homothetic = region_total * reference_share
    regional = classic.regional_by_industry
    shape = np.broadcast_shapes(v.e0.shape, v.e1.shape, homothetic.shape, regional.shape)
    e0_all, e1_all, h_all, r_all = (np.broadcast_to(a, shape) for a in (v.e0, v.e1, homothetic, regional))
    competitive, allocation = np.empty(shape), np.empty(shape)
    sums = np.empty((2, *shape[:-1]))  # competitive, allocation

    def block(at: Index) -> None:
        # competitive = np.where(e0 != 0, safe_divide(ê, e0) · regional, np.where(e1 == 0, 0.0, np.nan)) and
        # allocation = regional − competitive, block by block (see map_blocks) into the outputs: on the whole
        # array each step would write a full-size temporary
        e0, e1, comp = e0_all[at], e1_all[at], competitive[at]
        with np.errstate(divide="ignore", invalid="ignore"):
            np.multiply(finite_or_nan(np.divide(h_all[at], e0, out=comp)), r_all[at], out=comp)
        # comp is NaN at every zero base (ê/0 is not finite); the industries absent at both dates get 0
        absent = np.equal(e0, 0.0, out=scratch("em.absent", e0.shape, np.bool_))
        absent &= np.equal(e1, 0.0, out=scratch("em.end", e0.shape, np.bool_))
        np.copyto(comp, 0.0, where=absent)
        np.subtract(r_all[at], comp, out=allocation[at])
        sums[(0, *at)] = np.add.reduce(comp, axis=-1)
        sums[(1, *at)] = np.add.reduce(allocation[at], axis=-1)

    map_blocks(block, shape, axis=-2)
    return EstebanMarquillas(
        **{f.name: getattr(classic, f.name) for f in fields(ShiftShare)},
        homothetic=homothetic,
        competitive=sums[0],
        allocation=sums[1],
        competitive_by_industry=competitive,
        allocation_by_industry=allocation,
    )


def gerfin(
    start: ArrayLike,
    end: ArrayLike,
    reference_start: ArrayLike | None = None,
    reference_end: ArrayLike | None = None,
    reference_total_start: ArrayLike | None = None,
    reference_total_end: ArrayLike | None = None,
) -> Gerfin:
    """Multiplicative shift-share (Gerfin 1964): regional factor = structural factor × location factor.

    With ``ê_r1 = Σ_i e_ri0 · E_i1/E_i0`` (a zero base contributes 0 even where E_i1/E_i0 is undefined)::

        structural_factor = (ê_r1 / e_r0) / (E1 / E0)
        location_factor   = (e_r1 / e_r0) / (ê_r1 / e_r0) = e_r1 / ê_r1
        regional_factor   = (e_r1 / e_r0) / (E1 / E0)     = structural_factor · location_factor

    e_r0, e_r1 are the sums over the industries given (``NaN`` if a cell is unknown). ``NaN`` where a
    denominator is 0 (e.g. a region without employment at the start).

    Parameters as in :func:`shift_share`. Returns :class:`Gerfin` (also per industry, see there).

    Reference: Gerfin (1964), "Gesamtwirtschaftliches Wachstum und regionale Entwicklung", *Kyklos* 17(4).
    Textbook check (Farhauer/Kröll, region A): structural 1.00483, location 0.98558, regional 0.99034.
    """
    v = _inputs(start, end, reference_start, reference_end, reference_total_start, reference_total_end)
    factor = safe_divide(v.total1, v.total0)  # E1/E0, (...)
    industry_factor = safe_divide(v.ref1, v.ref0)  # E_i1/E_i0, (..., I)
    d = _Decomposition(v, pairs=False, yearly=True, classic=False, gerfin=True)
    d.run()
    sums = d.gerfin_sums()
    assert sums.location_by_industry is not None
    return Gerfin(
        **_gerfin_factors(sums, factor),
        structural_factor_by_industry=safe_divide(industry_factor, factor[..., None]),
        location_factor_by_industry=sums.location_by_industry,
    )


def _year_pairs(
    x: ArrayLike, reference: ArrayLike | None, reference_total: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    xa = _as_float(x)
    if xa.ndim < 3 or xa.shape[-3] < 2:
        raise ValueError(f"a dynamic shift-share needs a panel of shape (..., T, R, I) with T ≥ 2, got {xa.shape}")
    ref = nansum(xa, axis=-2) if reference is None else _as_float(reference)
    if ref.ndim < 2:
        raise ValueError(f"reference needs shape (..., T, I), got {ref.shape}")
    total = nansum(ref, axis=-1) if reference_total is None else _as_float(reference_total)
    if total.ndim < 1:
        raise ValueError(f"reference_total needs shape (..., T), got {total.shape}")
    return xa, ref, total


def _pair_inputs(xa: FloatArray, ref: FloatArray, total: FloatArray) -> _Inputs:
    """The consecutive year pairs of a panel as start and end (views, no copies)."""
    return _Inputs(
        e0=xa[..., :-1, :, :],
        e1=xa[..., 1:, :, :],
        ref0=ref[..., :-1, :],
        ref1=ref[..., 1:, :],
        total0=total[..., :-1],
        total1=total[..., 1:],
    )


def dynamic_shift_share(
    x: ArrayLike, reference: ArrayLike | None = None, reference_total: ArrayLike | None = None, *, yearly: bool = True
) -> DynamicShiftShare:
    """Dynamic shift-share (Barff & Knight 1988): the classic decomposition of each consecutive pair of years.

    ``yearly`` = :func:`shift_share` of (t, t+1) for t = 0 … T−2, computed at once by slicing the year axis;
    ``total`` = the sum over the year pairs. Because the reference growth rates are updated every year, the
    components follow structural change that a single start–end comparison misses; the actual changes still
    add up to e_rT − e_r0. A year pair with an unknown cell makes the sums ``NaN``.

    Parameters
    ----------
    x
        Panel, shape ``(..., T, R, I)`` (the year axis is the third from the end), T ≥ 2.
    reference
        Reference industry totals per year, shape ``(..., T, I)``. Default: column sums over the regions.
    reference_total
        Reference totals per year, shape ``(..., T)``. Default: sums of the reference.
    yearly
        ``True`` (default): also return the components of every year pair (``yearly``, five arrays of
        ``(T−1)·R·I`` cells for a panel). ``False``: only the sums over the year pairs (``total``; the
        result's ``yearly`` is ``None``) — computed block by block of regions with all their year pairs, so
        the yearly components never reach memory; ``total`` is identical to that of ``yearly=True``.

    Returns
    -------
    :class:`DynamicShiftShare`. Reference: Barff & Knight (1988), "Dynamic shift-share analysis", *Growth
    and Change* 19(2). REAT ``shiftd`` sums the annual components in the same way.
    """
    xa, ref, total = _year_pairs(x, reference, reference_total)
    by_year, summed = _classic(_pair_inputs(xa, ref, total), pairs=True, yearly=yearly)  # the sums as well
    assert summed is not None
    return DynamicShiftShare(total=summed, yearly=by_year)


def dynamic_gerfin(
    x: ArrayLike, reference: ArrayLike | None = None, reference_total: ArrayLike | None = None, *, yearly: bool = True
) -> DynamicGerfin:
    """Dynamic multiplicative shift-share: Gerfin factors of each consecutive pair of years, chained.

    The yearly factors are combined by their **product** (``total``) and their **geometric mean**
    (``annual`` = product^(1/(T−1))). Our choice: factors are ratios, so they compound; the product of the
    yearly regional factors telescopes to the static regional factor (e_rT/e_r0)/(E_T/E_0), and both the
    product and the geometric mean keep structural × location = regional exactly. REAT ``shiftd`` uses the
    *arithmetic* mean by default (``gerfin.shifts="mean"``), which breaks that identity; we do not offer it.

    Parameters as in :func:`dynamic_shift_share`; with ``yearly=False`` the result's ``yearly`` is ``None``
    and the per-cell location factors are multiplied over the year pairs block by block (no full-size array
    of yearly factors); ``total`` and ``annual`` are identical to those of ``yearly=True``. Returns
    :class:`DynamicGerfin`; the per-industry factors are chained the same way. Reference: Gerfin (1964);
    Barff & Knight (1988) for the yearly updating.
    """
    xa, ref, total = _year_pairs(x, reference, reference_total)
    v = _pair_inputs(xa, ref, total)
    d = _Decomposition(v, pairs=True, yearly=yearly, classic=False, gerfin=True)
    d.run()
    return _dynamic_gerfin(v, d.gerfin_sums(), yearly)


def _dynamic_gerfin(v: _Inputs, sums: _GerfinSums, yearly: bool) -> DynamicGerfin:
    """:func:`dynamic_gerfin` of the year pairs ``v`` from Gerfin's block results."""
    factor = safe_divide(v.total1, v.total0)  # E1/E0 per year pair, (..., T−1)
    industry_factor = safe_divide(v.ref1, v.ref0)  # E_i1/E_i0, (..., T−1, I)
    by_year = {
        **_gerfin_factors(sums, factor),
        "structural_factor_by_industry": safe_divide(industry_factor, factor[..., None]),
    }
    chained = {name: np.prod(value, axis=-2) for name, value in by_year.items()}
    with np.errstate(invalid="ignore"):
        annual = {name: np.power(value, 1.0 / v.e0.shape[-3]) for name, value in chained.items()}
    assert sums.chained_location_by_industry is not None and sums.annual_location_by_industry is not None
    chained["location_factor_by_industry"] = sums.chained_location_by_industry
    annual["location_factor_by_industry"] = sums.annual_location_by_industry
    yearly_factors = None
    if yearly:
        assert sums.location_by_industry is not None
        yearly_factors = Gerfin(**by_year, location_factor_by_industry=sums.location_by_industry)
    return DynamicGerfin(total=Gerfin(**chained), yearly=yearly_factors, annual=Gerfin(**annual))


def dynamic_decompositions(
    x: ArrayLike, reference: ArrayLike | None = None, reference_total: ArrayLike | None = None, *, yearly: bool = True
) -> tuple[DynamicShiftShare, DynamicGerfin]:
    """:func:`dynamic_shift_share` and :func:`dynamic_gerfin` of the same panel, in one pass over it.

    Both decompose the same consecutive year pairs, so each block (a few regions with all their year pairs) is
    computed for both at once — the four products with e_ri0 in one multiplication — instead of reading the
    panel twice.
    Parameters as in :func:`dynamic_shift_share`; the results are identical to
    ``(dynamic_shift_share(x, reference, reference_total, yearly=yearly), dynamic_gerfin(…, yearly=yearly))``.
    """
    xa, ref, total = _year_pairs(x, reference, reference_total)
    v = _pair_inputs(xa, ref, total)
    both = _Decomposition(v, pairs=True, yearly=yearly, classic=True, gerfin=True)
    if both.shape == np.broadcast_shapes(v.e0.shape, v.ref0[..., None, :].shape):  # Gerfin's own cells
        both.run()
        classic, gerfin = both, both
    else:  # the reference totals broadcast the shift-share further than Gerfin's cells: one pass each
        classic = _Decomposition(v, pairs=True, yearly=yearly, classic=True, gerfin=False)
        gerfin = _Decomposition(v, pairs=True, yearly=yearly, classic=False, gerfin=True)
        classic.run()
        gerfin.run()
    by_year, summed = classic.classic()
    assert summed is not None
    return DynamicShiftShare(total=summed, yearly=by_year), _dynamic_gerfin(v, gerfin.gerfin_sums(), yearly)
