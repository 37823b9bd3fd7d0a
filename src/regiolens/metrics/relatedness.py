"""Relatedness between industries and what follows from it for regions: co-occurrence, proximity,
relatedness (EconGeo's four normalisations), relatedness density, Complexity Outlook Index and Gain.

Input is the binary presence matrix ``m`` (bool or 0/1, shape ``(..., R, I)``: regions × industries, any
leading axes such as years), e.g. ``RCA ≥ 1`` from :mod:`regiolens.metrics.complexity`. Industry × industry
matrices have shape ``(..., I, I)``; all functions work on whole stacks at once (``matmul`` on stacks).

Conventions as in :mod:`regiolens.metrics`, with these documented deviations, all chosen so that the
quantities are defined for every industry and region:

- An industry present nowhere (ubiquity 0) has a proximity of 0 to every industry, itself included (not
  ``NaN``, as ecomplexity's ``0/0`` gives). Its density is ``0/0``, defined as 0: "no related industry".
- EconGeo's ``relatedness`` turns ``NaN`` into 0 (pairs without any co-occurrence); so does this module.

Differences to the reference implementations (``shared/reference/econ_methods.md``, §1, §3, §4, §5):

=====================  =============================  ==============  =====================
convention             here                           ecomplexity     economic-complexity
=====================  =============================  ==============  =====================
proximity diagonal     1 (``diagonal=`` to change)    1               0
density scale          0–1                            0–1             0–1
ubiquity 0             proximity 0, density 0         ``NaN``         ``NaN``
=====================  =============================  ==============  =====================

EconGeo's ``relatedness_density`` is 100 × our density rounded to 2 decimals (``_int``/``_ext`` to 0
decimals) and gives ``NaN`` for ``0/0``; nothing is rounded here.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from regiolens.metrics.stats import BoolArray, FloatArray, safe_divide

__all__ = [
    "RelatednessMethod",
    "co_occurrence",
    "complexity_outlook",
    "density",
    "density_inside",
    "density_inside_mean",
    "density_outside",
    "density_outside_mean",
    "opportunity_gain",
    "proximity",
    "relatedness",
    "relatedness_from_co_occurrence",
]

RelatednessMethod = Literal["probability", "prob", "association", "cosine", "jaccard"]


def _presence(m: ArrayLike) -> BoolArray:
    """``m`` as a bool array of shape ``(..., R, I)``; raises unless every value is 0/1 (or bool)."""
    a = np.asarray(m)
    if a.ndim < 2:
        raise ValueError(f"presence matrix must have shape (..., R, I), got {a.shape}")
    if a.dtype != np.bool_:
        if not np.isin(a, (0, 1)).all():
            raise ValueError("presence matrix must be binary (bool or 0/1, no NaN)")
        a = a.astype(bool)
    return a


def _t(a: FloatArray) -> FloatArray:
    """Swap the last two axes (transpose of every matrix in a stack)."""
    return np.swapaxes(a, -1, -2)


def _nan_to_zero(a: FloatArray) -> FloatArray:
    np.copyto(a, 0.0, where=np.isnan(a))
    return a


def _set_diagonal(a: FloatArray, values: ArrayLike) -> FloatArray:
    """Set the diagonal of every matrix of the stack ``a`` (in place) to ``values`` (broadcast to ``(..., I)``)."""
    idx = np.arange(a.shape[-1])
    a[..., idx, idx] = values
    return a


def _count_dtype(n_reg: int) -> type[np.floating]:
    """The float type for the co-occurrence counts ``MᵀM`` of ``n_reg`` regions: float32 up to 2²⁴ regions.

    The counts are integers ≤ ``n_reg``, which float32 holds and sums exactly up to 2²⁴ (whatever the order of
    the additions), so its product equals the float64 one, and it takes about half the time (half the bytes
    per multiply–add).
    """
    return np.float32 if n_reg <= 2**24 else np.float64


def co_occurrence(m: ArrayLike) -> FloatArray:
    """Co-occurrence of industries in regions: ``C = MᵀM`` with the diagonal set to 0, shape ``(..., I, I)``.

    ``C_ij`` is the number of regions where both ``i`` and ``j`` are present (``i ≠ j``). As EconGeo's
    ``co_occurrence(mat, diagonal=FALSE)`` (Balland 2017), whose ``mat`` has industries in rows and events
    (here: regions) in columns, i.e. ``mat = Mᵀ``. Counts as float64 (exact below 2⁵³).
    """
    mb = _presence(m)
    mf = mb.astype(_count_dtype(mb.shape[-2]))
    c = np.asarray(_t(mf) @ mf, dtype=np.float64)
    return _set_diagonal(c, 0.0)


def proximity(m: ArrayLike, *, diagonal: float = 1.0) -> FloatArray:
    """Proximity of industries (Hidalgo, Klinger, Barabási & Hausmann 2007, *Science* 317): shape ``(..., I, I)``.

    ``φ_ij = |M_i ∩ M_j| / max(u_i, u_j)``, the minimum of the two conditional probabilities
    ``P(j present | i present)`` and ``P(i | j)``, where ``|M_i ∩ M_j| = Σ_r M_ri M_rj`` and ``u_i = Σ_r M_ri``
    is the ubiquity. Symmetric, in [0, 1].

    Conventions: the diagonal is ``diagonal`` (default 1, which is what the formula gives and what
    ecomplexity returns; pass ``diagonal=0`` for economic-complexity's ``proximity``, whose
    ``np.fill_diagonal(phi, 0)`` leaves each industry out of its own density). An industry with ubiquity 0
    has proximity 0 to every industry, itself included, whatever ``diagonal`` is (ecomplexity: ``NaN``).
    With the default diagonal the values are identical to ecomplexity's ``calc_discrete_proximity``.
    """
    mb = _presence(m)
    *lead, n_reg, n_ind = mb.shape
    phi = np.empty((*lead, n_ind, n_ind))
    u = np.empty((*lead, n_ind))
    # year by year into reused buffers: each year's work arrays stay in the CPU cache from the product to phi
    mf = np.empty((n_reg, n_ind), dtype=_count_dtype(n_reg))
    c = np.empty((n_ind, n_ind), dtype=mf.dtype)
    den = np.empty((n_ind, n_ind))
    for idx in np.ndindex(*lead):
        np.copyto(mf, mb[idx])
        np.matmul(mf.T, mf, out=c)  # c_ij = |M_i ∩ M_j|, c_ii = u_i
        u[idx] = np.diagonal(c)
        # max(u_i, u_j, 1) instead of max(u_i, u_j): the same where that is positive (counts are integers), and
        # where both are 0, c_ij is 0 too: 0/1 gives the convention's 0 without a 0/0 to clean up afterwards
        u1 = np.maximum(u[idx], 1.0)
        np.maximum(u1[:, None], u1[None, :], out=den)
        np.divide(c, den, out=phi[idx])
    return _set_diagonal(phi, np.where(u > 0, diagonal, 0.0))


def relatedness_from_co_occurrence(c: ArrayLike, method: RelatednessMethod = "probability") -> FloatArray:
    """Relatedness of industries from a co-occurrence matrix ``c`` ``(..., I, I)``, as EconGeo's ``relatedness``.

    With ``c`` symmetric, its diagonal set to 0, ``s_i = Σ_j c_ij`` and ``T = Σ_ij c_ij`` (Balland 2017, EconGeo
    ``R/relatedness.r``):

    - ``"probability"`` (``"prob"``, EconGeo's default; Steijn 2017): ``c_ij`` over its expected value when
      industries are paired at random, ``c_ij / ([(s_i/T)(s_j/(T − s_i)) + (s_j/T)(s_i/(T − s_j))] · T/2)``;
    - ``"association"`` (van Eck & Waltman 2009): ``(c_ij/T) / ((s_i/T)(s_j/T))``;
    - ``"cosine"``: ``c_ij / √(s_i s_j)``;
    - ``"jaccard"``: ``c_ij / (s_i + s_j − c_ij)``.

    As in EconGeo, values that cannot be computed (``0/0``: an industry without any co-occurrence) are 0,
    not ``NaN``, and the diagonal is 0. Values above 1 (probability, association) mean more co-occurrence
    than expected by chance.
    """
    c = np.array(c, dtype=np.float64)
    if c.ndim < 2 or c.shape[-1] != c.shape[-2]:
        raise ValueError(f"co-occurrence matrix must have shape (..., I, I), got {c.shape}")
    _set_diagonal(c, 0.0)
    s = c.sum(axis=-2)
    total = s.sum(axis=-1)[..., None, None]
    si, sj = s[..., :, None], s[..., None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method in ("probability", "prob"):
            expected = ((si / total) * (sj / (total - si)) + (sj / total) * (si / (total - sj))) * total / 2
            r = safe_divide(c, expected)
        elif method == "association":
            r = safe_divide(c / total, (si / total) * (sj / total))
        elif method == "cosine":
            r = safe_divide(c, np.sqrt(si * sj))
        elif method == "jaccard":
            r = safe_divide(c, si + sj - c)
        else:
            raise ValueError(f"unknown relatedness method {method!r}")
    return _set_diagonal(_nan_to_zero(r), 0.0)


def relatedness(m: ArrayLike, method: RelatednessMethod = "probability") -> FloatArray:
    """EconGeo's ``relatedness(co_occurrence(mat), method)`` for the presence matrix ``m``: shape ``(..., I, I)``.

    The co-occurrence of industries across regions (:func:`co_occurrence`), normalised as described in
    :func:`relatedness_from_co_occurrence` (diagonal 0, ``0/0`` → 0).
    """
    return relatedness_from_co_occurrence(co_occurrence(m), method)


def density(m: ArrayLike, phi: ArrayLike) -> FloatArray:
    """Relatedness density (Hidalgo et al. 2007): shape ``(..., R, I)``, in [0, 1].

    ``d_ri = Σ_j M_rj φ_ji / Σ_j φ_ji``: the share of the industries related to ``i`` (weighted by proximity)
    that region ``r`` has. ``phi`` ``(..., I, I)`` is e.g. :func:`proximity` or :func:`relatedness`. ``phi`` may
    also be ``(..., I, K)``: the densities of ``K`` other columns (e.g. clusters) whose proximity to the ``I``
    industries is known, shape ``(..., R, K)`` — the same formula with ``i`` running over those columns.

    Conventions: with the default proximity diagonal of 1 the industry itself counts (as in ecomplexity,
    ``d_ri ≥ 1/Σ_j φ_ji`` when ``M_ri = 1``); with ``diagonal=0`` it does not (economic-complexity's
    ``relatedness``). For an industry without any related industry (``Σ_j φ_ji = 0``, e.g. ubiquity 0) the
    density is ``0/0``, defined here as 0 (EconGeo: ``NaN``; ecomplexity: ``NaN``). EconGeo's
    ``relatedness_density`` is ``100 · d`` rounded to 2 decimals. ecomplexity normalises by the row sums
    ``Σ_j φ_ij``, which is the same for a symmetric ``φ``.
    """
    mb = _presence(m)
    p = np.asarray(phi, dtype=np.float64)
    *_, n_reg, n_ind = mb.shape
    if p.ndim < 2 or p.shape[-2] != n_ind:
        raise ValueError(f"phi must have shape (..., {n_ind}, K) for {n_ind} industries, got {p.shape}")
    n_out = p.shape[-1]
    lead = np.broadcast_shapes(mb.shape[:-2], p.shape[:-2])
    ms = np.broadcast_to(mb, (*lead, n_reg, n_ind))
    ps = np.broadcast_to(p, (*lead, n_ind, n_out))
    den = ps.sum(axis=-2)  # Σ_j φ_ji
    d = np.empty((*lead, n_reg, n_out))
    # year by year into reused buffers: each year's product stays in the CPU cache for the division and the check
    mf = np.empty((n_reg, n_ind))
    bad = np.empty((n_reg, n_out), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for idx in np.ndindex(*lead):
            np.copyto(mf, ms[idx])
            out = d[idx]
            np.matmul(mf, ps[idx], out=out)  # Σ_j M_rj φ_ji
            np.divide(out, den[idx], out=out)
            np.logical_not(np.isfinite(out, out=bad), out=bad)  # x/0, 0/0 (and NaN in phi): 0
            np.copyto(out, 0.0, where=bad)
    return d


def density_inside(m: ArrayLike, d: ArrayLike) -> FloatArray:
    """Density of the industries a region has (``M_ri = 1``), ``NaN`` elsewhere: EconGeo's ``relatedness_density_int``
    (which is on the 0–100 scale and rounded to integers; nothing is rounded here)."""
    return np.where(_presence(m), np.asarray(d, dtype=np.float64), np.nan)


def density_outside(m: ArrayLike, d: ArrayLike) -> FloatArray:
    """Density of the industries a region does not have (``M_ri = 0``), ``NaN`` elsewhere: EconGeo's
    ``relatedness_density_ext`` (0–100 scale, rounded to integers there)."""
    return np.where(~_presence(m), np.asarray(d, dtype=np.float64), np.nan)


def _masked_mean(mask: BoolArray, d: ArrayLike) -> FloatArray:
    dd = np.asarray(d, dtype=np.float64)
    return safe_divide(np.where(mask, dd, 0.0).sum(axis=-1), mask.sum(axis=-1))


def density_inside_mean(m: ArrayLike, d: ArrayLike) -> FloatArray:
    """Mean density per region over the industries it has, shape ``(..., R)`` (EconGeo's
    ``relatedness_density_int_avg``). ``NaN`` for a region without any industry."""
    return _masked_mean(_presence(m), d)


def density_outside_mean(m: ArrayLike, d: ArrayLike) -> FloatArray:
    """Mean density per region over the industries it does not have, shape ``(..., R)`` (EconGeo's
    ``relatedness_density_ext_avg``). ``NaN`` for a region that has every industry."""
    return _masked_mean(~_presence(m), d)


def _zscore(x: FloatArray) -> FloatArray:
    """z-score along the last axis with the population sd (ddof=0, numpy's ``std``); sd 0 gives ``NaN``."""
    return safe_divide(x - x.mean(axis=-1, keepdims=True), x.std(axis=-1, keepdims=True))


def complexity_outlook(m: ArrayLike, phi: ArrayLike, pci: ArrayLike, *, standardize: bool = False) -> FloatArray:
    """Complexity Outlook Index (Hausmann et al. 2014, *The Atlas of Economic Complexity*): shape ``(..., R)``.

    ``COI_r = Σ_i d_ri (1 − M_ri) PCI_i``, with ``d`` the :func:`density` for ``phi``: how much complexity lies
    close to what the region has (as ecomplexity's ``coicog.py``). ``pci`` has shape ``(..., I)``.
    ``standardize=True`` z-scores over the regions (per leading index, ddof=0), as ecomplexity does.

    Conventions: a term with weight ``d_ri (1 − M_ri) = 0`` is 0 even where ``PCI_i`` is ``NaN`` (industries
    present nowhere have ``NaN`` PCI and density 0); any other ``NaN`` PCI makes ``COI`` ``NaN``.
    To reproduce ecomplexity's ``coi`` column pass its *raw* PCI (the eigenvector ``kp`` with its sign,
    before normalisation) and ``standardize=True``: ecomplexity computes COI from ``kp`` and only then
    rescales PCI to ``(kp − mean(ECI))/sd(ECI)``, and COI is not linear in that rescaling.
    """
    mm = _presence(m)
    d = density(mm, phi)
    w = d * ~mm
    p = np.asarray(pci, dtype=np.float64)[..., None, :]
    with np.errstate(invalid="ignore"):
        terms = np.where(w != 0, w * p, 0.0)
    coi = np.asarray(terms.sum(axis=-1))
    return _zscore(coi) if standardize else coi


def opportunity_gain(m: ArrayLike, phi: ArrayLike, pci: ArrayLike, *, eci_std: ArrayLike | None = None) -> FloatArray:
    """Complexity Outlook Gain (Hausmann et al. 2014): shape ``(..., R, I)``, 0 where ``M_ri = 1``.

    ``COG_ri = (1 − M_ri) Σ_j (1 − M_rj) φ_ji PCI_j / Σ_k φ_jk``: how much entering ``i`` would add to the
    region's outlook, i.e. the complexity of the missing industries ``j`` weighted by how close ``i`` is to them
    (relative to all of ``j``'s proximity). Computed exactly as ecomplexity's ``coicog.py``
    (``(1 − M) ∘ ((1 − M) @ (φ ∘ (PCI / rowsum φ)))``); for a symmetric ``φ`` it is the formula with ``φ_ij``
    and ``Σ_k φ_kj``. ``pci`` has shape ``(..., I)``.

    ``eci_std`` (optional, shape ``(...)``): ecomplexity divides COG by ``std(ECI)`` (ddof=0, of the raw
    eigenvector ECI before normalisation) "as per the STATA package"; pass that sd to get its ``cog`` column
    (together with its raw PCI ``kp``, see :func:`complexity_outlook`). Without it COG is not rescaled.

    Conventions: an industry without any related industry (``Σ_k φ_jk = 0``, e.g. ubiquity 0) contributes 0,
    even if its PCI is ``NaN``; any other ``NaN`` PCI makes COG ``NaN`` (for the whole leading index, as the
    matrix product spreads it).
    """
    mm = _presence(m)
    p = np.asarray(phi, dtype=np.float64)
    s = p.sum(axis=-1)  # Σ_k φ_jk
    weight = np.where(s != 0, safe_divide(np.asarray(pci, dtype=np.float64), s), 0.0)
    absent = (~mm).astype(np.float64)
    cog = absent * np.asarray(absent @ (p * weight[..., :, None]))
    if eci_std is not None:
        cog = safe_divide(cog, np.asarray(eci_std, dtype=np.float64)[..., None, None])
    return cog
