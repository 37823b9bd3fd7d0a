"""Small numeric helpers shared by the metrics: NaN-honest division, NaN-skipping sums, quantiles over a
masked axis, and :func:`map_blocks`, the one place where the metrics use threads.

They follow the package conventions (see :mod:`regiolens.metrics`): ``x/0`` and ``0/0`` give ``NaN``,
never ``inf``, and no numpy warning escapes.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Index = tuple[int | slice, ...]

BLOCK_CELLS = 1 << 16
"""Cells per block of :func:`map_blocks` (512 KiB of float64): small enough that a block's temporaries stay
in the CPU cache, large enough that the Python overhead per block is negligible."""

WORKERS = os.cpu_count() or 1
"""Threads of :func:`map_blocks`."""


def safe_divide(numerator: ArrayLike, denominator: ArrayLike, out: FloatArray | None = None) -> FloatArray:
    """``numerator / denominator`` broadcast, with ``NaN`` wherever the quotient is not finite.

    ``x/0`` (``±inf``) and ``0/0`` both become ``NaN``; ``NaN`` operands stay ``NaN``. No warnings.
    ``out`` (optional): a float64 array of the broadcast shape to write the quotient into (it is returned).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.asarray(
            np.true_divide(np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64), out=out)
        )
    np.copyto(q, np.nan, where=~np.isfinite(q))  # in place: no full-size copy of the quotient
    return q


def nansum(a: FloatArray, axis: int) -> FloatArray:
    """``np.nansum(a, axis)``, the same values, without its full-size copy of ``a`` when ``a`` has no ``NaN``.

    ``np.nansum`` replaces ``NaN`` by 0 in a copy and then sums as ``np.sum`` does; so ``np.sum`` alone gives
    the identical result unless it is ``NaN``, and only then is ``np.nansum`` needed.
    """
    total = np.sum(a, axis=axis)
    if np.isnan(total).any():
        total = np.nansum(a, axis=axis)
    return np.asarray(total)


def map_blocks(fn: Callable[[Index], None], shape: Sequence[int], axis: int = -1, cells: int | None = None) -> None:
    """Call ``fn(index)`` for blocks that cover an array of ``shape``, on a pool of :data:`WORKERS` threads.

    A block ``index`` is a tuple with an integer for every axis before ``axis`` and a ``slice`` of ``axis``
    (axes after ``axis`` stay whole); ``cells`` is how many cells one step along ``axis`` stands for
    (default: the product of the axes after it), and blocks hold about :data:`BLOCK_CELLS` cells. ``fn``
    computes its block and writes the result into preallocated outputs (``out[index] = ...``); blocks do
    not overlap, so no locking is needed.

    Why: the metrics are chains of elementwise numpy operations on arrays of up to ~10⁸ cells. On whole
    arrays each step writes a full-size temporary to memory; block by block the temporaries stay in the
    CPU cache, and numpy releases the GIL inside its loops, so the threads compute in parallel. Results
    are bit-identical to the whole-array computation as long as ``fn`` reduces only along axes that a
    block keeps whole (e.g. sums over industries per row). Errors in ``fn`` are raised here. ``fn`` runs
    in other threads, where numpy's error state is the default: it must set ``np.errstate`` itself.
    """
    shape = tuple(shape)
    axis = axis % len(shape)
    if cells is None:
        cells = math.prod(shape[axis + 1 :])
    step = max(1, BLOCK_CELLS // max(cells, 1))
    blocks: list[Index] = [
        (*lead, slice(start, start + step))
        for lead in np.ndindex(*shape[:axis])
        for start in range(0, shape[axis], step)
    ]
    if len(blocks) <= 1 or WORKERS == 1:
        for block in blocks:
            fn(block)
        return
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(blocks))) as pool:
        for _ in pool.map(fn, blocks):  # consume the results to raise the first error
            pass


def masked_quantile(values: ArrayLike, mask: ArrayLike, q: float, axis: int = -2) -> FloatArray:
    """The ``q``-quantile (``0 ≤ q ≤ 1``) of ``values`` along ``axis`` over the cells where ``mask`` holds.

    Linear interpolation between order statistics (numpy ``method="linear"``, Hyndman & Fan type 7),
    which is what ``d3.quantile`` and R's default ``quantile`` compute. Cells outside the mask and
    ``NaN`` cells are left out; an axis with no cell left gives ``NaN``. The quantile axis is kept with
    length 1 so that the result broadcasts against ``values``.
    """
    v = np.asarray(values, dtype=np.float64)
    m = np.broadcast_to(np.asarray(mask, dtype=bool), v.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "All-NaN slice encountered"
        return np.nanquantile(np.where(m, v, np.nan), q, axis=axis, method="linear", keepdims=True)
