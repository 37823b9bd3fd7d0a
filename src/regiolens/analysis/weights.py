"""Weights of the indicators of a ranking (peers, opportunities): checked once, the same way everywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from regiolens.errors import RegiolensError

MAX_WEIGHT = 1000.0
"""Largest weight accepted: weights are relative, so larger ones add nothing but overflow risk."""


def indicator_weights(
    selected: Sequence[str], known: Sequence[str], given: Mapping[str, float] | None
) -> dict[str, float]:
    """Weight per selected indicator, 1 unless given.

    Errors: no indicator or an unknown one selected; a weight for an indicator not selected; a weight that is
    negative, not finite or above :data:`MAX_WEIGHT`; no positive weight.
    """
    weights = dict(given or {})
    unknown = [k for k in [*selected, *weights] if k not in known]
    if unknown or not selected:
        raise RegiolensError(f"unknown indicator(s) {unknown or '(none)'}; choose from {', '.join(known)}")
    extra = [k for k in weights if k not in selected]
    if extra:
        raise RegiolensError(f"weights for indicators not selected: {', '.join(extra)} (selected: {list(selected)})")
    out = {k: float(weights.get(k, 1.0)) for k in selected}
    if any(not np.isfinite(w) or not 0 <= w <= MAX_WEIGHT for w in out.values()):
        raise RegiolensError(f"weights must lie between 0 and {MAX_WEIGHT:g}: {out}")
    if not any(w > 0 for w in out.values()):
        raise RegiolensError("at least one weight must be positive")
    return out
