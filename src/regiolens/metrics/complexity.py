"""Economic complexity: presence matrix, diversity, ubiquity, ECI/PCI (eigenvector method), method of reflections.

Conventions as in :mod:`regiolens.metrics`: ``x`` has shape ``(..., R, I)`` (regions × industries, leading axes
such as years broadcast), ``NaN`` marks an unknown cell, ``x/0`` gives ``NaN``, nothing is rounded. A presence
matrix ``m`` has the same shape; any positive value counts as present, ``0`` and ``NaN`` as absent.

References: Hidalgo & Hausmann (2009), "The building blocks of economic complexity", *PNAS* 106(26);
Hausmann, Hidalgo et al. (2014), *The Atlas of Economic Complexity*, MIT Press (eigenvector formulation and
normalisation). Anchors (``shared/reference/econ_methods.md`` §1, §3–5):

- **ecomplexity 0.5.3** (Harvard Growth Lab) is the anchor of :func:`eci_pci`: the same eigenvector, sign rule
  and normalisation; results agree to 1e-9 on connected matrices (tested). Differences: ecomplexity
  z-scores with ``mean``/``std`` over *all* regions, so a single region without presence makes its whole
  year ``NaN``; here excluded regions/industries are ``NaN`` and the others are computed and normalised on the
  remainder (which is exactly what ecomplexity computes for the remainder alone).
- **EconGeo** ``kci``/``tci`` round the transition matrix to 4 dp and scale ``v/Σv`` (no z-score; sign by the
  correlation with ``morc``); ``morc``/``mort`` min–max rescale every reflection from step 3 on to 0–100.
  We neither round nor rescale.
- **economic-complexity** (OEC) uses 19 reflections, pandas ``std`` (ddof=1) and no sign rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from regiolens.metrics.location import location_quotient
from regiolens.metrics.stats import BoolArray, FloatArray, safe_divide

__all__ = [
    "ComplexityResult",
    "diversity",
    "eci_pci",
    "method_of_reflections",
    "presence",
    "ubiquity",
]

_EIGEN_TOL = 1e-10
"""A year whose second-largest eigenvalue of M̃ is at most this has no complexity ranking (see :func:`eci_pci`)."""

_LANCZOS_MIN = 200
"""From this many industries on, only the top eigenpair is computed (Lanczos, :func:`_lanczos_top`); below it a
full ``eigh`` is cheaper. Both give the same eigenpair up to rounding (a test compares them)."""

_LANCZOS_MAX_STEPS = 300
"""Lanczos steps before giving up for the full ``eigh``; the panels of the benchmark need 15–25, random presence
matrices with a clustered spectrum 60–75."""

_EPS = float(np.finfo(np.float64).eps)


def _lanczos_top(a: FloatArray, top: FloatArray) -> tuple[float, FloatArray] | None:
    """Largest eigenvalue and its unit eigenvector of ``S = aᵀa − top·topᵀ`` by Lanczos; ``None`` if it fails.

    ``a`` is ``(R, I)``; ``top`` ``(I,)`` is a unit eigenvector of ``aᵀa`` (or 0). Lanczos (e.g. Golub & Van Loan,
    *Matrix Computations*, §10.1) with full reorthogonalisation: from ``q₀ ∝ 1 − top (topᵀ1)``, step ``j``
    computes ``w = aᵀ(a q_j)``, removes its components along ``top, q₀ … q_j`` twice (classical Gram–Schmidt twice
    keeps the basis orthogonal to machine precision, so no eigenvalue is found twice), ``α_j = q_jᵀ w``,
    ``β_j = ‖w‖``, ``q_{j+1} = w / β_j``. As every ``q_j`` is orthogonal to ``top``, ``w`` is ``S q_j`` plus a
    multiple of ``top``, which the reorthogonalisation removes: ``S`` is never formed (forming ``aᵀa`` costs
    ``2RI²`` flops, the ``4RI`` of a step ``I/2`` times over), and one year's ``a`` stays in the CPU cache across
    the steps. The top Ritz pair ``(θ, y)`` of the tridiagonal ``T_j`` is accepted once its residual
    ``‖S x − θ x‖ = β_j |y_j|`` is at most ``ε·max(ε^{2/3}, |θ|)`` — ARPACK's test with ``tol=0``, i.e. to machine
    precision; it is checked every third step only, as the small eigenproblem of ``T_j`` (~50 µs) costs about
    half a step. ``None`` (the caller falls back to the full decomposition) if ``q₀`` vanishes (``1 ∥ top``),
    if ``β_j`` vanishes before convergence (the Krylov space of ``q₀`` is invariant and need not hold the top
    eigenvector: e.g. ``S = 0``) or after :data:`_LANCZOS_MAX_STEPS` steps.

    Why not ``scipy.sparse.linalg.eigsh`` (ARPACK), which computes the same: it restarts, which took 31 steps on
    the 400 × 600 panels of the benchmark where this takes 24, and its own BLAS calls go to SciPy's OpenBLAS,
    whose threads then spin beside numpy's on the cores and slowed the numpy products that follow (on
    400 × 600 × 10: ECI 85 → 62 ms, and proximity 45 → 31 ms after it).
    """
    n = a.shape[-1]
    steps = min(n, _LANCZOS_MAX_STEPS)
    q = np.empty((steps + 2, n))  # row 0: top, row j + 1: q_j
    q[0] = top
    start = 1.0 - (top @ np.ones(n)) * top
    norm = float(np.sqrt(start @ start))
    if norm <= 1e-8 * np.sqrt(n):
        return None
    q[1] = start / norm
    t = np.zeros((steps, steps))  # T_j is t[:j + 1, :j + 1]
    norm_t = 0.0
    for j in range(steps):
        w = a.T @ (a @ q[j + 1])
        basis = q[: j + 2]
        h = basis @ w
        w -= h @ basis
        h2 = basis @ w
        w -= h2 @ basis
        t[j, j] = h[j + 1] + h2[j + 1]
        beta = float(np.sqrt(w @ w))
        norm_t = max(norm_t, abs(t[j, j]) + beta)
        if beta <= n * _EPS * norm_t:
            return None
        if j % 3 == 2 or j + 1 == steps:
            values, vectors = np.linalg.eigh(t[: j + 1, : j + 1])
            if beta * abs(vectors[-1, -1]) <= _EPS * max(_EPS ** (2 / 3), abs(values[-1])):
                x = vectors[:, -1] @ basis[1:]
                return float(values[-1]), x / np.sqrt(x @ x)
        if j + 1 < steps:
            t[j, j + 1] = t[j + 1, j] = beta
            np.divide(w, beta, out=q[j + 2])
    return None


def _top_eigenpair(a: FloatArray, top: FloatArray) -> tuple[float, FloatArray]:
    """Largest eigenvalue and its unit eigenvector of ``S = aᵀa − top·topᵀ`` (one year; ``a`` ``(R, I)``).

    From :data:`_LANCZOS_MIN` industries on by :func:`_lanczos_top`, below it (or if Lanczos fails) by
    ``np.linalg.eigh`` of ``S``.
    """
    n = a.shape[-1]
    if n >= _LANCZOS_MIN:
        found = _lanczos_top(a, top)
        if found is not None:
            return found
    s = a.T @ a
    s -= top[:, None] * top[None, :]
    values, vectors = np.linalg.eigh(s)
    return float(values[-1]), vectors[:, -1]


def _as_presence(m: ArrayLike) -> BoolArray:
    """``m`` as a bool array: positive → ``True``, ``0``/``NaN``/negative → ``False``."""
    a = np.asarray(m)
    if a.ndim < 2:
        raise ValueError(f"presence matrix must have shape (..., R, I), got shape {a.shape}")
    if a.dtype == np.bool_:
        return a
    with np.errstate(invalid="ignore"):
        return np.asarray(np.asarray(a, dtype=np.float64) > 0)


def presence(
    x: ArrayLike,
    *,
    threshold: float = 1.0,
    method: Literal["rca", "rpop"] = "rca",
    population: ArrayLike | None = None,
    region_totals: ArrayLike | None = None,
    reference: ArrayLike | None = None,
    reference_total: ArrayLike | None = None,
) -> BoolArray:
    """Binary presence ``M_ri``: whether region r is specialised in industry i.

    - ``method="rca"`` (Balassa 1965; Hidalgo & Hausmann 2009): ``M_ri = [RCA_ri ≥ threshold]`` with
      ``RCA_ri = (x_ri / x_r) / (X_i / X)`` = :func:`~regiolens.metrics.location.location_quotient` (totals as
      there: ``region_totals`` ``(..., R)``, ``reference`` ``(..., I)``, ``reference_total`` ``(...)``).
    - ``method="rpop"`` (Atlas 2014, subnational version): ``M_ri = [RPOP_ri ≥ threshold]`` with
      ``RPOP_ri = (x_ri / pop_r) / (X_i / Σ_r pop_r)``. ``population`` ``(..., R)`` is required; ``reference``
      is ``X_i`` (default: column sums of ``x``) and ``reference_total`` is the population of the reference
      area (default: ``Σ_r pop_r``). ``region_totals`` is not used and must not be given.

    An RCA/RPOP that cannot be computed (``NaN``: unknown cell, zero region total or population, industry absent
    from the reference) means *not present* — as in ecomplexity (``nan_to_num`` then ``≥ threshold``). EconGeo
    binarises its 2-dp rounded RCA with ``> 1`` (in effect ``≥ 1`` only through the rounding); we do not round.

    Returns a bool array of shape ``(..., R, I)``.
    """
    if method == "rca":
        if population is not None:
            raise ValueError("population is only used with method='rpop'")
        ratio = location_quotient(x, region_totals, reference, reference_total)
    elif method == "rpop":
        if population is None:
            raise ValueError("method='rpop' needs population (shape (..., R))")
        if region_totals is not None:
            raise ValueError("region_totals is not used with method='rpop' (population takes its place)")
        ratio = location_quotient(x, population, reference, reference_total)
    else:
        raise ValueError(f"method must be 'rca' or 'rpop', got {method!r}")
    with np.errstate(invalid="ignore"):
        return np.asarray(ratio >= threshold)  # NaN >= t is False


def diversity(m: ArrayLike) -> FloatArray:
    """Diversity ``k_r,0 = Σ_i M_ri`` (number of industries present in each region), shape ``(..., R)``.

    Reference: Hidalgo & Hausmann (2009). Same as EconGeo ``diversity`` / ecomplexity ``diversity``.
    """
    return np.asarray(np.sum(_as_presence(m), axis=-1, dtype=np.float64))


def ubiquity(m: ArrayLike) -> FloatArray:
    """Ubiquity ``k_i,0 = Σ_r M_ri`` (number of regions in which each industry is present), shape ``(..., I)``.

    Reference: Hidalgo & Hausmann (2009). Same as EconGeo ``ubiquity`` / ecomplexity ``ubiquity``.
    """
    return np.asarray(np.sum(_as_presence(m), axis=-2, dtype=np.float64))


@dataclass(frozen=True)
class ComplexityResult:
    """Result of :func:`eci_pci`: ``eci`` ``(..., R)``, ``pci`` ``(..., I)``, ``diversity`` ``(..., R)`` and
    ``ubiquity`` ``(..., I)`` (float64 counts)."""

    eci: FloatArray
    pci: FloatArray
    diversity: FloatArray
    ubiquity: FloatArray


def _masked_mean(a: FloatArray, mask: FloatArray, count: FloatArray) -> FloatArray:
    """Mean of ``a`` over the last axis where ``mask`` (0/1) is 1; ``NaN`` if ``count`` is 0."""
    return safe_divide(np.sum(np.where(mask > 0, a, 0.0), axis=-1), count)


def eci_pci(m: ArrayLike) -> ComplexityResult:
    """Economic Complexity Index of regions and (Product) Complexity Index of industries, eigenvector method.

    Formula (Hidalgo & Hausmann 2009; Hausmann et al. 2014, Atlas, "Technical box"), with ``M`` the presence
    matrix, ``D = diag(diversity)``, ``U = diag(ubiquity)``:

    - ``M̃ = U⁻¹ Mᵀ D⁻¹ M`` (industry × industry); ``kp`` = eigenvector of its second-largest eigenvalue;
    - ``kc = D⁻¹ M kp`` (the region's mean ``kp`` over its industries);
    - sign: ``kc, kp ← s·kc, s·kp`` with ``s = sign corr(diversity, kc)`` (more diverse ⇒ more complex);
    - normalisation (ecomplexity, "as per STATA package"): ``ECI = (kc − mean kc) / std kc`` and
      ``PCI = (kp − mean kc) / std kc`` — PCI is scaled with ECI's mean and sd, which keeps
      ``ECI_r = mean of PCI over the industries present in r``; ``std`` with ddof=0.

    This is ecomplexity 0.5.3's ``calc_eci_pci`` plus its normalisation; results agree with it to 1e-9.

    Implementation: ``M̃`` is similar to the symmetric ``S = U^{-1/2} Mᵀ D⁻¹ M U^{-1/2}`` (``M̃ = U^{-1/2} S U^{1/2}``),
    so ``kp = U^{-1/2} v`` for the eigenvector ``v`` of ``S`` (eigenvector scale is irrelevant after the z-score),
    and ``kc = D^{-1/2} A v`` with ``A = D^{-1/2} M U^{-1/2}`` (``S = AᵀA``). ``S``'s top eigenvalue 1 has the
    known eigenvector ``u ∝ U^{1/2}·1``; we deflate it (``S − u uᵀ``) and take the top eigenvector of the rest,
    year by year: from 200 industries on by Lanczos (to machine precision) on the products ``Aᵀ(A x) − u (uᵀx)``
    without forming ``S``, below that by ``np.linalg.eigh`` of ``S``. On a connected matrix that is exactly the
    second eigenvector; on a disconnected one (e.g. a region that alone holds an industry only it has)
    eigenvalue 1 is repeated, ``eig`` picks an arbitrary vector of that eigenspace, and the deflation makes the
    choice deterministic for two components (the contrast between them, orthogonal to ``u``) — so the result is
    defined, if of little economic meaning.

    Exclusions (defined convention): **a region without presence (diversity 0) gets ``NaN`` ECI, an industry
    without presence (ubiquity 0) ``NaN`` PCI; the others are computed on the remainder**, including the mean
    and sd of the normalisation (ecomplexity drops them likewise but then z-scores with a ``NaN`` mean, making the
    whole year ``NaN``). Excluded industries have zero rows and columns in ``S``, i.e. eigenvalue 0, so they never
    give the top eigenvector of a year with a ranking (second eigenvalue ``> 1e-10``) and need no smaller matrix.
    A year without a ranking — fewer than two regions or industries with presence, or second eigenvalue
    ``≤ 1e-10`` (e.g. every region has every industry) — is all ``NaN``. If ``corr(diversity, kc)`` is 0 or
    undefined (equal diversities), the sign falls back to ``corr(ubiquity, kp) < 0`` (EconGeo's ``tci`` rule),
    then to +1.

    Parameters
    ----------
    m
        Presence matrix ``(..., R, I)`` (bool or 0/1; positive = present), e.g. from :func:`presence`.

    Returns
    -------
    :class:`ComplexityResult`.
    """
    mb = _as_presence(m)
    d = np.asarray(np.sum(mb, axis=-1, dtype=np.float64))  # (..., R)
    u = np.asarray(np.sum(mb, axis=-2, dtype=np.float64))  # (..., I)
    reg_ok = (d > 0).astype(np.float64)
    ind_ok = (u > 0).astype(np.float64)
    with np.errstate(divide="ignore"):
        inv_d = np.where(d > 0, 1.0 / np.where(d > 0, d, 1.0), 0.0)
        inv_u = np.where(u > 0, 1.0 / np.where(u > 0, u, 1.0), 0.0)
    sqrt_u = np.sqrt(u)
    top = safe_divide(sqrt_u, np.linalg.norm(sqrt_u, axis=-1, keepdims=True))
    top = np.nan_to_num(top)  # no presence at all: u = 0

    *lead, n_r, n_i = mb.shape
    n_stack = math.prod(lead)
    years = mb.reshape(n_stack, n_r, n_i)
    row_scale = np.sqrt(inv_d).reshape(n_stack, n_r)
    col_scale = np.sqrt(inv_u).reshape(n_stack, n_i)
    tops = top.reshape(n_stack, n_i)
    lam2 = np.empty(lead)
    kp = np.empty((*lead, n_i))
    kc = np.empty((*lead, n_r))
    lam2_t, kp_t, kc_t = lam2.reshape(n_stack), kp.reshape(n_stack, n_i), kc.reshape(n_stack, n_r)  # views
    # one year at a time into one reused buffer: a year's `a` is small enough to stay in the CPU cache through
    # the Lanczos steps, where the whole stack would be read from memory at every step
    a = np.empty((n_r, n_i))
    for t, year in enumerate(years):
        np.multiply(year, row_scale[t, :, None], out=a)
        a *= col_scale[t]  # a = D^{-1/2} M U^{-1/2}
        lam2_t[t], vector = _top_eigenpair(a, tops[t])
        kp_t[t] = vector * col_scale[t]  # 0 for excluded industries
        kc_t[t] = row_scale[t] * (a @ vector)  # = D⁻¹ M kp; 0 for excluded regions

    n_reg = reg_ok.sum(axis=-1)
    n_ok = ind_ok.sum(axis=-1)
    # sign: corr(diversity, kc) > 0 over included regions; fallback corr(ubiquity, kp) < 0; then +1
    d_c = d - _masked_mean(d, reg_ok, n_reg)[..., None]
    kc_c = kc - _masked_mean(kc, reg_ok, n_reg)[..., None]
    cov_d = np.sum(reg_ok * d_c * kc_c, axis=-1)
    u_c = u - _masked_mean(u, ind_ok, n_ok)[..., None]
    kp_c = kp - _masked_mean(kp, ind_ok, n_ok)[..., None]
    cov_u = -np.sum(ind_ok * u_c * kp_c, axis=-1)
    sign = np.where(cov_d != 0, np.sign(cov_d), np.where(cov_u != 0, np.sign(cov_u), 1.0))
    sign = np.nan_to_num(sign, nan=1.0)
    kc = kc * sign[..., None]
    kp = kp * sign[..., None]

    mean_c = _masked_mean(kc, reg_ok, n_reg)
    std_c = np.sqrt(_masked_mean((kc - mean_c[..., None]) ** 2, reg_ok, n_reg))
    ranked = (n_reg >= 2) & (n_ok >= 2) & (lam2 > _EIGEN_TOL)
    std_c = np.where(ranked, std_c, np.nan)
    eci = safe_divide(kc - mean_c[..., None], std_c[..., None])
    pci = safe_divide(kp - mean_c[..., None], std_c[..., None])
    eci = np.where(reg_ok > 0, eci, np.nan)
    pci = np.where(ind_ok > 0, pci, np.nan)
    return ComplexityResult(eci=eci, pci=pci, diversity=d, ubiquity=u)


def method_of_reflections(m: ArrayLike, steps: int = 20) -> tuple[FloatArray, FloatArray]:
    """Method of reflections (Hidalgo & Hausmann 2009): ``(kc_steps, kp_steps)``, shapes ``(..., R)``, ``(..., I)``.

    ``kc,0 = diversity``, ``kp,0 = ubiquity`` and, for ``n = 1 … steps`` (both updated from step ``n − 1``)::

        kc,n = (1 / kc,0) Σ_i M_ri kp,n−1        kp,n = (1 / kp,0) Σ_r M_ri kc,n−1

    ``steps = 0`` returns diversity and ubiquity. Regions/industries without presence are ``NaN`` (EconGeo drops
    them first, which does not change the others: they contribute only zeros).

    Difference to EconGeo ``morc``/``mort`` (§1): EconGeo min–max rescales every reflection from step 3 on to
    0–100; we return the plain reflections. Reason: the rescaling is a per-step affine map, so orderings agree,
    but its values depend on the extremes of each step, and the unscaled ``kc,n`` keeps the textbook meaning
    (e.g. ``kc,1`` = mean ubiquity of the region's industries). Even ``n`` carry the diversity information, odd
    ``n`` the ubiquity information; as ``n`` grows, all ``kc,n`` converge to one constant and the ranking
    information sits in ever smaller differences — use :func:`eci_pci` for the limit ranking.
    """
    if steps < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    mb = _as_presence(m).astype(np.float64)
    d = mb.sum(axis=-1)
    u = mb.sum(axis=-2)
    with np.errstate(divide="ignore"):
        inv_d = np.where(d > 0, 1.0 / np.where(d > 0, d, 1.0), 0.0)
        inv_u = np.where(u > 0, 1.0 / np.where(u > 0, u, 1.0), 0.0)
    kc, kp = d.copy(), u.copy()
    mt = np.swapaxes(mb, -1, -2)
    for _ in range(steps):
        kc, kp = inv_d * (mb @ kp[..., :, None])[..., 0], inv_u * (mt @ kc[..., :, None])[..., 0]
    return np.where(d > 0, kc, np.nan), np.where(u > 0, kp, np.nan)
