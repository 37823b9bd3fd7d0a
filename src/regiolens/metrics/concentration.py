"""Geographic concentration of industries: how unevenly an industry is spread over the regions.

Every function here works **per column** (industry) of ``x`` with shape ``(..., R, I)`` and returns
shape ``(..., I)``; the package conventions apply (see :mod:`regiolens.metrics`). Notation:

- ``s_ri = x_ri / X_i`` — region ``r``'s share of industry ``i`` (``X_i`` = column sum over the regions
  given: the regions are the whole territory, so a subset of regions measures concentration *within*
  that subset);
- ``w_r = b_r / B`` — region ``r``'s share of a **base** distribution ``b`` (shape ``(..., R)``;
  default: the region totals, i.e. the row sums of ``x``; pass the published region totals, or
  population or area, explicitly).

An industry's distribution needs every cell of its column: a column with a ``NaN`` cell gives ``NaN``,
and so does an industry with no employment anywhere (``X_i = 0``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from regiolens.metrics.stats import FloatArray, as_matrix, safe_divide

__all__ = [
    "EllisonGlaeser",
    "ellison_glaeser",
    "hoover_concentration",
    "locational_gini",
    "plant_herfindahl",
]


def _shares(x: FloatArray, base: ArrayLike | None) -> tuple[FloatArray, FloatArray]:
    """``(s_ri, w_r)`` with shapes ``(..., R, I)`` and ``(..., R, 1)``."""
    b = np.nansum(x, axis=-1) if base is None else np.asarray(base, dtype=np.float64)
    s = safe_divide(x, np.sum(x, axis=-2, keepdims=True))
    w = safe_divide(b, np.sum(b, axis=-1, keepdims=True))[..., None]
    return s, w


def locational_gini(x: ArrayLike, *, base: ArrayLike | None = None) -> FloatArray:
    """Locational Gini coefficient of each industry (Krugman 1991).

    Regions are ordered by ``LQ_ri = s_ri / w_r`` ascending; with ``F_k`` the cumulative base share and
    ``L_k`` the cumulative industry share of the first ``k`` regions (a Lorenz curve of the industry
    against the base)::

        G_i = 1 − Σ_k (F_k − F_{k−1}) · (L_k + L_{k−1})

    i.e. twice the area between the diagonal and the curve. ``G_i = 0`` when the industry is spread
    exactly like the base and ``1 − w_r`` when all of it sits in one region ``r``, so ``G_i ∈ [0, 1)``
    whenever every region has a positive base share.

    Reference: Krugman, P. (1991), *Geography and Trade*, MIT Press; Audretsch, D. B. & Feldman, M. P.
    (1996), "R&D spillovers and the geography of innovation and production", *American Economic
    Review* 86(3); EconGeo ``locational_gini``.

    Conventions: EconGeo ``locational_gini`` divides this Gini by 2 (range ``[0, 0.5)``) and rounds;
    we do **not** halve it, so that it is a Gini like every other (twice the Lorenz area, range
    ``[0, 1)``) — EconGeo's value is ours / 2. Regions with zero base share and some of the industry
    come last in the order (their LQ is infinite); ties in the LQ do not change the result.
    """
    a = as_matrix(x)
    s, w1 = _shares(a, base)
    w = np.broadcast_to(w1, s.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        key = np.where(w > 0, s / w, np.where(s > 0, np.inf, 0.0))  # sort key only, never returned
    order = np.argsort(key, axis=-2, kind="stable")
    s_sorted = np.take_along_axis(s, order, axis=-2)
    w_sorted = np.take_along_axis(w, order, axis=-2)
    cum = np.cumsum(s_sorted, axis=-2)
    return 1.0 - np.sum(w_sorted * (2.0 * cum - s_sorted), axis=-2)


def hoover_concentration(x: ArrayLike, *, base: ArrayLike | None = None) -> FloatArray:
    """Hoover index of concentration of each industry: ``HC_i = ½ Σ_r |s_ri − w_r|``.

    In ``[0, 1)`` whenever every region has a positive base share (``1 − w_r`` when all of the
    industry sits in region ``r``).

    The share of the industry's employment that would have to move for the industry to be spread like
    the base (a dissimilarity index between the industry's and the base's regional distribution).

    Reference: Hoover, E. M. (1936), "The measurement of industrial localization", *Review of
    Economics and Statistics* 18(4); EconGeo ``hoover_index``; REAT ``hoover``.

    Conventions: a fraction, not a percentage, and not rounded (EconGeo ``hoover_index`` returns
    ``100 · HC`` rounded to 2 dp). Default base: the region totals (the industry against all
    employment). EconGeo's default without ``pop`` is a *uniform* base (``1/R`` per region); pass
    ``base=np.ones(R)`` for that.
    """
    a = as_matrix(x)
    s, w = _shares(a, base)
    return 0.5 * np.sum(np.abs(s - w), axis=-2)


# ------------------------------------------------------------------ Ellison–Glaeser
def plant_herfindahl(
    industry: ArrayLike,
    employment: ArrayLike,
    n_industries: int | None = None,
) -> FloatArray:
    """Plant (establishment) Herfindahl index of each industry: ``H_i = Σ_k z_k²`` with ``z_k = e_k / E_i``.

    ``industry`` and ``employment`` are flat arrays over establishments ``k`` (industry index
    ``0 … I−1`` and employment of each establishment); returns shape ``(n_industries,)`` (default:
    ``max(industry) + 1``). ``H_i = 1/N_i`` for ``N_i`` equal-sized plants, 1 for a single plant.
    An industry without employment gives ``NaN``; a ``NaN`` employment makes its industry ``NaN``.

    For several years (or regions) at once, combine the indices into one flat index and reshape, e.g.
    ``plant_herfindahl(year_index * I + industry, employment, T * I).reshape(T, I)``.

    Reference: Ellison, G. & Glaeser, E. L. (1997), "Geographic concentration in U.S. manufacturing
    industries: a dartboard approach", *Journal of Political Economy* 105(5), 889–927.
    """
    ind = np.asarray(industry)
    emp = np.asarray(employment, dtype=np.float64)
    if ind.ndim != 1 or ind.shape != emp.shape:
        raise ValueError(f"industry and employment must be flat arrays of one length, got {ind.shape}, {emp.shape}")
    if ind.size and (not np.issubdtype(ind.dtype, np.integer) or ind.min() < 0):
        raise ValueError("industry must hold non-negative integer indices")
    n = int(ind.max(initial=-1)) + 1 if n_industries is None else int(n_industries)
    if n < int(ind.max(initial=-1)) + 1:
        raise ValueError(f"n_industries={n} is smaller than the largest industry index + 1")
    total = np.bincount(ind, weights=emp, minlength=n)
    squares = np.bincount(ind, weights=emp**2, minlength=n)
    return safe_divide(squares, total**2)


@dataclass(frozen=True)
class EllisonGlaeser:
    """Ellison–Glaeser agglomeration index and its parts (arrays of shape ``(..., I)``)."""

    gamma: FloatArray
    """``γ_i``: 0 means "as concentrated as random plant location would make it", > 0 agglomeration."""
    raw_concentration: FloatArray
    """``G_i = Σ_r (s_ri − w_r)²``, the raw geographic concentration."""
    expected_raw_concentration: FloatArray
    """``(1 − Σ_r w_r²) · H_i``: the expected ``G_i`` under random location (``γ = 0``)."""
    plant_herfindahl: FloatArray
    """``H_i`` as given."""


def ellison_glaeser(
    x: ArrayLike,
    plant_herfindahl: ArrayLike,
    *,
    base: ArrayLike | None = None,
) -> EllisonGlaeser:
    """Ellison–Glaeser (1997) index of geographic concentration ``γ_i`` of each industry.

    With ``s_ri`` region ``r``'s share of industry ``i``, ``w_r`` its share of aggregate employment
    (the base) and ``H_i`` the plant Herfindahl of the industry (:func:`plant_herfindahl`)::

        G_i = Σ_r (s_ri − w_r)²
        γ_i = (G_i − (1 − Σ_r w_r²) · H_i) / ((1 − Σ_r w_r²) · (1 − H_i))

    Under the dartboard model (plants located independently with probabilities ``w_r``, no
    spillovers or natural advantage), ``E[G_i] = (1 − Σ w_r²) · H_i``, so ``E[γ_i] = 0``; EG read
    ``γ > 0.05`` as highly and ``γ < 0.02`` as not very concentrated. An industry spread exactly like
    the base (``G_i = 0``) has ``γ_i = −H_i / (1 − H_i)``.

    ``plant_herfindahl`` has shape ``(..., I)``. ``H_i = 1`` (a single plant) or a single region
    (``Σ w_r² = 1``) give ``NaN``.

    Reference: Ellison, G. & Glaeser, E. L. (1997), "Geographic concentration in U.S. manufacturing
    industries: a dartboard approach", *Journal of Political Economy* 105(5), 889–927; REAT ``ellison.a``
    (same formula; REAT also reports a variance and z-value, which we do not).

    Conventions: default base = region totals (EG use total manufacturing employment; pass it as
    ``base`` to follow them exactly).
    """
    a = as_matrix(x)
    s, w = _shares(a, base)
    h = np.asarray(plant_herfindahl, dtype=np.float64)
    g = np.sum((s - w) ** 2, axis=-2)
    one_minus_w2 = 1.0 - np.sum(w[..., 0] ** 2, axis=-1, keepdims=True)  # (..., 1)
    expected = one_minus_w2 * h
    gamma = safe_divide(g - expected, one_minus_w2 * (1.0 - h))
    return EllisonGlaeser(
        gamma=gamma,
        raw_concentration=g,
        expected_raw_concentration=np.broadcast_to(expected, gamma.shape).copy(),
        plant_herfindahl=np.broadcast_to(h, gamma.shape).copy(),
    )
