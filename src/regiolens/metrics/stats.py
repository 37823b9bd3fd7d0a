"""Small numeric helpers shared by the metrics: NaN-honest division, NaN-skipping sums, quantiles over a
masked axis, and :func:`map_blocks`, the one place where the metrics use threads.

They follow the package conventions (see :mod:`regiolens.metrics`): ``x/0`` and ``0/0`` give ``NaN``,
never ``inf``, and no numpy warning escapes.
"""

from __future__ import annotations

import math
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Index = tuple[int | slice, ...]

BLOCK_CELLS = 1 << 18
"""Cells per block of :func:`map_blocks` (2 MiB of float64): small enough that a block's work arrays stay in
the CPU caches, large enough that the Python overhead per block is small (blocks of a year-pair panel hold
all year pairs of a row, so smaller blocks mean a handful of regions per block). Measured on the metrics
benchmark (one thread, CPU time of the dynamic shift-share + Gerfin totals): 38 Ki cells 1.24 s / 76 Ki 1.00 /
128 Ki 0.91 / 256 Ki 0.84 / 512 Ki 1.00; 256 Ki is the best or level with it for the other metrics."""

WORKERS = os.cpu_count() or 1
"""Threads of :func:`map_blocks`."""


def safe_divide(
    numerator: ArrayLike, denominator: ArrayLike, out: FloatArray | None = None, mask: BoolArray | None = None
) -> FloatArray:
    """``numerator / denominator`` broadcast, with ``NaN`` wherever the quotient is not finite.

    ``x/0`` (``±inf``) and ``0/0`` both become ``NaN``; ``NaN`` operands stay ``NaN``. No warnings.
    ``out`` (optional): a float64 array of the broadcast shape to write the quotient into (it is returned).
    ``mask`` (optional): a bool array of that shape to use as scratch space (e.g. from :func:`scratch`), so
    that nothing is allocated; its contents afterwards are unspecified.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.asarray(
            np.true_divide(np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64), out=out)
        )
    if mask is None:
        np.copyto(q, np.nan, where=~np.isfinite(q))  # in place: no full-size copy of the quotient
    else:
        np.isfinite(q, out=mask)
        np.logical_not(mask, out=mask)
        np.copyto(q, np.nan, where=mask)
    return q


_SCRATCH = threading.local()


def scratch(key: str, shape: Sequence[int], dtype: type[np.float64] | type[np.bool_] = np.float64) -> NDArray[Any]:
    """A work array of ``shape`` for a block function of :func:`map_blocks`, reused across the blocks of a thread.

    Why: a fresh temporary of a block's size (hundreds of KiB) is page-faulted in anew on every allocation
    (the allocator hands such buffers back to the OS when they are freed), which costs several times the
    arithmetic on it. Block functions therefore write their intermediate results into these arrays with
    ``out=``. Each thread has its own arrays (one per ``key`` and dtype), so blocks in parallel never share
    one; the contents are whatever the thread's previous block left there. Callers must not keep a result
    in a scratch array beyond the block (copy it into the output).
    """
    arrays: dict[tuple[str, type], NDArray[Any]] = _SCRATCH.__dict__.setdefault("arrays", {})
    size = math.prod(shape)
    buf = arrays.get((key, dtype))
    if buf is None or buf.size < size:
        buf = arrays[(key, dtype)] = np.empty(max(size, BLOCK_CELLS), dtype=dtype)
    return buf[:size].reshape(shape)


def finite_or_nan(a: FloatArray) -> FloatArray:
    """``a`` with ``NaN`` wherever it is not finite (``±inf``), in place — the NaN fill of :func:`safe_divide`.

    Computed as ``a + a · 0``: ``a · 0`` is ``±0`` (with ``a``'s sign) for a finite ``a``, which added to ``a``
    changes nothing (also not the sign of a zero), and ``NaN`` for ``±inf`` or ``NaN``. Why: two passes of
    plain arithmetic instead of a masked copy, which costs a branch per cell — several times as much when many
    cells are not finite (e.g. ``e_ri1 / e_ri0`` over the ~30 % zero bases). For a block function of
    :func:`map_blocks` (the product goes to a :func:`scratch` array); sets no numpy warning.
    """
    work = scratch("finite_or_nan", a.shape)
    with np.errstate(invalid="ignore"):
        np.multiply(a, 0.0, out=work)
    return np.add(a, work, out=a)


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


def as_matrix(x: ArrayLike) -> FloatArray:
    """``x`` as a float64 array of shape ``(..., R, I)``; ``ValueError`` for fewer than two axes."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim < 2:
        raise ValueError(f"x must have shape (..., R, I), got {a.shape}")
    return a
