"""Small numeric helpers shared by the metrics: NaN-honest division and quantiles over a masked axis.

Both follow the package conventions (see :mod:`regiolens.metrics`): ``x/0`` and ``0/0`` give ``NaN``,
never ``inf``, and no numpy warning escapes.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def safe_divide(numerator: ArrayLike, denominator: ArrayLike) -> FloatArray:
    """``numerator / denominator`` broadcast, with ``NaN`` wherever the quotient is not finite.

    ``x/0`` (``±inf``) and ``0/0`` both become ``NaN``; ``NaN`` operands stay ``NaN``. No warnings.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.true_divide(np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64))
    return np.where(np.isfinite(q), q, np.nan)


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
