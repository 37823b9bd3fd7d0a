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

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike

from regiolens.metrics.location import _as_float
from regiolens.metrics.stats import BoolArray, FloatArray, Index, map_blocks, nansum, safe_divide, scratch

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


def _zero_base(e0: FloatArray, value: FloatArray) -> FloatArray:
    """``value`` (a product with e_ri0), set to 0 where the base e_ri0 is 0 (nothing grows from nothing)."""
    return np.where(e0 == 0, 0.0, value)


def _zero_base_into(value: FloatArray, zero: BoolArray) -> FloatArray:
    """``np.where(zero, 0.0, value)`` in place (``zero``: e_ri0 == 0), bit for bit, for the blocks.

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


def _run_blocks(block: Callable[[Index], None], shape: tuple[int, ...], pairs: bool) -> None:
    """:func:`map_blocks` over ``shape`` ``(..., R, I)``; with ``pairs`` blocks of regions (axis −2) with every
    year pair (axis −3)."""
    if pairs:
        map_blocks(
            lambda at: block((*at[:-1], slice(None), at[-1])), shape[:-3] + shape[-2:-1], cells=shape[-3] * shape[-1]
        )
    else:
        map_blocks(block, shape, axis=-2)


_ClassicResult = tuple[ShiftShare | None, ShiftShare | None]


def _classic(v: _Inputs, pairs: bool = False, yearly: bool = True) -> _ClassicResult:
    """The classic components of ``v``; with ``pairs`` also their sums over the year-pair axis (axis −3).

    Computed block by block (see :func:`map_blocks`) with the whole-array formulas; with ``pairs`` a block
    holds all year pairs of a few regions, so the sums over the year pairs are taken in the cache as well.
    With ``pairs`` and ``yearly=False`` only those sums are kept (the first result is ``None``): the
    components of the year pairs live only in a block, never in full-size arrays; the sums are the same
    operations on the same values, so they are identical to those of ``yearly=True``.
    """
    shape, block, finish = _classic_blocks(v, pairs, yearly)
    _run_blocks(block, shape, pairs)
    return finish()


def _classic_blocks(
    v: _Inputs, pairs: bool, yearly: bool
) -> tuple[tuple[int, ...], Callable[[Index], None], Callable[[], _ClassicResult]]:
    """:func:`_classic` in parts: the shape to cover, the block function and the function that collects the
    results once every block has run (so that :func:`dynamic_decompositions` can run it beside Gerfin's)."""
    growth = safe_divide(v.total1 - v.total0, v.total0)[..., None, None]  # G
    industry_growth = safe_divide(v.ref1 - v.ref0, v.ref0)[..., None, :]  # G_i
    shape = np.broadcast_shapes(v.e0.shape, growth.shape, industry_growth.shape)
    e0_all, e1_all, g_all, gi_all = (np.broadcast_to(a, shape) for a in (v.e0, v.e1, growth, industry_growth))
    names = ("actual_change", "national", "industry_mix", "regional")
    keep = yearly or not pairs
    cells = {name: np.empty(shape) for name in names} if keep else {}
    sums = {name: np.empty(shape[:-1]) for name in names} if keep else {}
    total_cells = {name: np.empty(shape[:-3] + shape[-2:]) for name in names} if pairs else {}
    total_sums = {name: np.empty(shape[:-3] + shape[-2:-1]) for name in names} if pairs else {}

    mix_all = np.broadcast_to(industry_growth - growth, shape)  # G_i − G, small (no region axis)

    def block(at: Index) -> None:
        # the whole-array formulas, computed into scratch arrays (no temporaries of the block's size):
        # actual = e1 − e0; national = e0·G; industry_mix = e0·(G_i − G); regional = actual − e0·G_i,
        # each product with a zero base set to 0 (_zero_base_into, one e0 == 0 mask for all three)
        e0, e1 = e0_all[at], e1_all[at]
        zero = np.equal(e0, 0.0, out=scratch("classic.zero", e0.shape, np.bool_))
        with np.errstate(invalid="ignore"):
            actual = np.subtract(e1, e0, out=scratch("classic.actual", e0.shape))
            national = _zero_base_into(np.multiply(e0, g_all[at], out=scratch("classic.national", e0.shape)), zero)
            mix = _zero_base_into(np.multiply(e0, mix_all[at], out=scratch("classic.mix", e0.shape)), zero)
            regional = _zero_base_into(np.multiply(e0, gi_all[at], out=scratch("classic.regional", e0.shape)), zero)
            np.subtract(actual, regional, out=regional)  # = e_ri1 − e_ri0·(1 + G_i)
        values = {"actual_change": actual, "national": national, "industry_mix": mix, "regional": regional}
        for name, value in values.items():
            row_sums = np.sum(value, axis=-1)
            if keep:
                cells[name][at] = value
                sums[name][at] = row_sums
            if pairs:  # at = (..., all year pairs, regions)
                total_cells[name][at[:-2] + at[-1:]] = np.sum(value, axis=-3)
                total_sums[name][at[:-2] + at[-1:]] = np.sum(row_sums, axis=-2)

    def finish() -> _ClassicResult:
        by_year = ShiftShare(**sums, **{f"{name}_by_industry": cells[name] for name in names}) if keep else None
        if not pairs:
            return by_year, None
        return by_year, ShiftShare(**total_sums, **{f"{name}_by_industry": total_cells[name] for name in names})

    return shape, block, finish


def _single(v: _Inputs) -> ShiftShare:
    """The classic components of one comparison (no year pairs)."""
    result = _classic(v)[0]
    assert result is not None
    return result


@dataclass(frozen=True)
class _GerfinSums:
    """The block results of :func:`_gerfin_blocks`: region sums per year (pair) and the cell factors."""

    expected: FloatArray  # ê_r1, (..., R)
    e_r0: FloatArray  # (..., R)
    e_r1: FloatArray  # (..., R)
    location_by_industry: FloatArray | None  # (..., R, I), None without ``yearly``
    chained_location_by_industry: FloatArray | None  # product over the year pairs (axis −3), (..., R, I)


def _gerfin_blocks(e0_all: FloatArray, e1_all: FloatArray, f_all: FloatArray, pairs: bool, yearly: bool) -> _GerfinSums:
    """Gerfin's region sums and per-cell location factors, block by block (the whole-array formulas).

    ``e0_all``, ``e1_all``, ``f_all`` (E_i1/E_i0) are broadcast to the same shape ``(..., R, I)``. With
    ``pairs`` (axis −3 is the year pair) a block holds all year pairs of a few regions and the product of the
    cell factors over the year pairs is taken there; ``yearly=False`` (with ``pairs``) keeps only that product.
    """
    block, sums = _gerfin_block_fn(e0_all, e1_all, f_all, pairs, yearly)
    _run_blocks(block, e0_all.shape, pairs)
    return sums


def _gerfin_block_fn(
    e0_all: FloatArray, e1_all: FloatArray, f_all: FloatArray, pairs: bool, yearly: bool
) -> tuple[Callable[[Index], None], _GerfinSums]:
    """:func:`_gerfin_blocks` in parts: the block function and the results it fills (complete once every block
    has run)."""
    shape = e0_all.shape
    expected, e_r0, e_r1 = (np.empty(shape[:-1]) for _ in range(3))
    keep = yearly or not pairs
    location_by_industry = np.empty(shape) if keep else None
    chained = np.empty(shape[:-3] + shape[-2:]) if pairs else None

    def block(at: Index) -> None:
        # in scratch arrays as in _classic: ê_r1 = Σ_i (0 if e0 == 0 else e0·f), location = (e1/e0)/f
        e0, e1, f = e0_all[at], e1_all[at], f_all[at]
        zero = np.equal(e0, 0.0, out=scratch("gerfin.zero", e0.shape, np.bool_))
        with np.errstate(invalid="ignore"):
            expected[at] = np.sum(
                _zero_base_into(np.multiply(e0, f, out=scratch("gerfin.work", e0.shape)), zero), axis=-1
            )
        e_r0[at] = np.sum(e0, axis=-1)
        e_r1[at] = np.sum(e1, axis=-1)
        out = scratch("gerfin.work", e0.shape) if location_by_industry is None else location_by_industry[at]
        mask = scratch("gerfin.mask", e0.shape, np.bool_)
        location = safe_divide(safe_divide(e1, e0, out=out, mask=mask), f, out=out, mask=mask)
        if chained is not None:  # at = (..., all year pairs, regions)
            chained[at[:-2] + at[-1:]] = np.prod(location, axis=-3)

    return block, _GerfinSums(expected, e_r0, e_r1, location_by_industry, chained)


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
    with np.errstate(invalid="ignore"):
        competitive = np.where(
            v.e0 != 0,
            safe_divide(homothetic, v.e0) * regional,
            np.where(v.e1 == 0, 0.0, np.nan),
        )
        allocation = regional - competitive
    return EstebanMarquillas(
        **{f.name: getattr(classic, f.name) for f in fields(ShiftShare)},
        homothetic=homothetic,
        competitive=np.sum(competitive, axis=-1),
        allocation=np.sum(allocation, axis=-1),
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
    shape = np.broadcast_shapes(v.e0.shape, industry_factor[..., None, :].shape)
    e0_all, e1_all, f_all = (np.broadcast_to(a, shape) for a in (v.e0, v.e1, industry_factor[..., None, :]))
    sums = _gerfin_blocks(e0_all, e1_all, f_all, pairs=False, yearly=True)
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
    shape, block, finish = _dynamic_gerfin_blocks(xa, ref, total, yearly)
    _run_blocks(block, shape, pairs=True)
    return finish()


def _dynamic_gerfin_blocks(
    xa: FloatArray, ref: FloatArray, total: FloatArray, yearly: bool
) -> tuple[tuple[int, ...], Callable[[Index], None], Callable[[], DynamicGerfin]]:
    """:func:`dynamic_gerfin` in parts: the shape to cover, the block function (for the year pairs of a few
    regions) and the function that builds the result once every block has run."""
    v = _pair_inputs(xa, ref, total)
    e0, e1 = np.broadcast_arrays(v.e0, v.e1)
    factor = safe_divide(v.total1, v.total0)  # E1/E0 per year pair, (..., T−1)
    industry_factor = safe_divide(v.ref1, v.ref0)  # E_i1/E_i0, (..., T−1, I)
    shape = np.broadcast_shapes(e0.shape, industry_factor[..., None, :].shape)
    e0_all, e1_all, f_all = (np.broadcast_to(a, shape) for a in (e0, e1, industry_factor[..., None, :]))
    block, sums = _gerfin_block_fn(e0_all, e1_all, f_all, pairs=True, yearly=yearly)

    def finish() -> DynamicGerfin:
        by_year = {
            **_gerfin_factors(sums, factor),
            "structural_factor_by_industry": safe_divide(industry_factor, factor[..., None]),
        }
        chained = {name: np.prod(value, axis=-2) for name, value in by_year.items()}
        assert sums.chained_location_by_industry is not None
        chained["location_factor_by_industry"] = sums.chained_location_by_industry
        pairs = xa.shape[-3] - 1
        with np.errstate(invalid="ignore"):
            annual = {name: np.power(value, 1.0 / pairs) for name, value in chained.items()}
        yearly_factors = None
        if yearly:
            assert sums.location_by_industry is not None
            yearly_factors = Gerfin(**by_year, location_factor_by_industry=sums.location_by_industry)
        return DynamicGerfin(total=Gerfin(**chained), yearly=yearly_factors, annual=Gerfin(**annual))

    return shape, block, finish


def dynamic_decompositions(
    x: ArrayLike, reference: ArrayLike | None = None, reference_total: ArrayLike | None = None, *, yearly: bool = True
) -> tuple[DynamicShiftShare, DynamicGerfin]:
    """:func:`dynamic_shift_share` and :func:`dynamic_gerfin` of the same panel, in one pass over it.

    Both decompose the same consecutive year pairs, so their blocks (a few regions with all their year pairs)
    are computed one after the other while the block's data are at hand, instead of reading the panel twice.
    Parameters as in :func:`dynamic_shift_share`; the results are identical to
    ``(dynamic_shift_share(x, reference, reference_total, yearly=yearly), dynamic_gerfin(…, yearly=yearly))``.
    """
    xa, ref, total = _year_pairs(x, reference, reference_total)
    shape, classic_block, classic_finish = _classic_blocks(_pair_inputs(xa, ref, total), pairs=True, yearly=yearly)
    gerfin_shape, gerfin_block, gerfin_finish = _dynamic_gerfin_blocks(xa, ref, total, yearly)
    if gerfin_shape == shape:

        def block(at: Index) -> None:
            classic_block(at)
            gerfin_block(at)

        _run_blocks(block, shape, pairs=True)
    else:  # the reference totals broadcast the shift-share further than Gerfin's cells: one pass each
        _run_blocks(classic_block, shape, pairs=True)
        _run_blocks(gerfin_block, gerfin_shape, pairs=True)
    by_year, summed = classic_finish()
    assert summed is not None
    return DynamicShiftShare(total=summed, yearly=by_year), gerfin_finish()
