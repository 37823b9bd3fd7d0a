"""Any metric of :mod:`regiolens.metrics` on a user's own long table (region, industry, year, value).

The table is read by the generic reader (German or English numbers, statistical symbols, errors naming
file, line and field), pivoted to a years × regions × industries array and passed to the metric. The
reference area is the whole table: column sums over all its regions, as the metrics default to.

Output is long: ``year`` (or ``period`` ``first–last`` for metrics between two years), ``region_code``,
``industry_code`` (empty for region metrics), ``region_code`` empty for industry metrics, ``metric``, ``value``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from regiolens.errors import RegiolensError
from regiolens.metrics import concentration, location, shiftshare, specialisation

Kind = Literal["cell", "region", "industry", "change"]


@dataclass(frozen=True)
class MetricSpec:
    """A metric by name: what it returns per year (cell, region, industry) or between two years (change)."""

    name: str
    kind: Kind
    description: str
    compute: Callable[[np.ndarray], dict[str, np.ndarray]]


def _shift_share(x: np.ndarray) -> dict[str, np.ndarray]:
    ss = shiftshare.esteban_marquillas(x[0], x[-1])
    return {
        "actual_change": ss.actual_change_by_industry,
        "national": ss.national_by_industry,
        "industry_mix": ss.industry_mix_by_industry,
        "regional": ss.regional_by_industry,
        "competitive": ss.competitive_by_industry,
        "allocation": ss.allocation_by_industry,
    }


METRICS: dict[str, MetricSpec] = {
    m.name: m
    for m in (
        MetricSpec(
            "share", "cell", "Share of the industry in the region's total", lambda x: {"share": location.shares(x)}
        ),
        MetricSpec(
            "lq", "cell", "Location quotient against the whole table", lambda x: {"lq": location.location_quotient(x)}
        ),
        MetricSpec(
            "krugman", "region", "Krugman specialisation index", lambda x: {"krugman": specialisation.krugman_index(x)}
        ),
        MetricSpec(
            "hoover",
            "region",
            "Hoover coefficient of specialisation",
            lambda x: {"hoover": specialisation.hoover_specialisation(x)},
        ),
        MetricSpec(
            "gini-specialisation",
            "region",
            "Gini coefficient of specialisation",
            lambda x: {"gini-specialisation": specialisation.gini_specialisation(x)},
        ),
        MetricSpec(
            "herfindahl",
            "region",
            "Herfindahl index of the region's structure",
            lambda x: {"herfindahl": specialisation.herfindahl(x)},
        ),
        MetricSpec(
            "entropy",
            "region",
            "Shannon entropy of the region's structure",
            lambda x: {"entropy": specialisation.entropy(x)},
        ),
        MetricSpec(
            "locational-gini",
            "industry",
            "Locational Gini of the industry",
            lambda x: {"locational-gini": concentration.locational_gini(x)},
        ),
        MetricSpec(
            "hoover-concentration",
            "industry",
            "Hoover index of concentration",
            lambda x: {"hoover-concentration": concentration.hoover_concentration(x)},
        ),
        MetricSpec(
            "growth", "change", "Growth rate first → last year", lambda x: {"growth": location.growth_rate(x[0], x[-1])}
        ),
        MetricSpec(
            "shift-share", "change", "Shift-share (classic and Esteban-Marquillas) first → last year", _shift_share
        ),
    )
}


def to_array(observations: pd.DataFrame) -> tuple[np.ndarray, list[int], list[str], list[str]]:
    """Canonical observations → ``(x[T, R, I], years, regions, industries)``, NaN where no value."""
    years = sorted(int(y) for y in observations["year"].unique())
    regions = sorted(str(r) for r in observations["region_code"].unique())
    industries = sorted(str(i) for i in observations["industry_code"].unique())
    x = np.full((len(years), len(regions), len(industries)), np.nan)
    t = observations["year"].map({y: k for k, y in enumerate(years)}).to_numpy()
    r = observations["region_code"].map({c: k for k, c in enumerate(regions)}).to_numpy()
    i = observations["industry_code"].map({c: k for k, c in enumerate(industries)}).to_numpy()
    x[t, r, i] = observations["value"].to_numpy(dtype="float64")
    return x, years, regions, industries


def compute_metric(observations: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Compute ``metric`` (a key of :data:`METRICS`) on canonical observations of one measure; long output."""
    if metric not in METRICS:
        raise RegiolensError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    if observations["measure"].nunique() > 1:
        raise RegiolensError("the table holds several measures; map one value column")
    spec = METRICS[metric]
    x, years, regions, industries = to_array(observations)
    if spec.kind == "change" and len(years) < 2:
        raise RegiolensError(f"{metric} needs at least two years (map --year-col)")
    region_axis = np.asarray(regions, dtype=object)
    industry_axis = np.asarray(industries, dtype=object)
    frames = []
    for name, values in spec.compute(x).items():
        if spec.kind == "change":  # (R, I) between the first and the last year
            r, i = np.indices(values.shape).reshape(2, -1)
            columns = {
                "period": f"{years[0]}–{years[-1]}",
                "region_code": region_axis[r],
                "industry_code": industry_axis[i],
            }
        elif spec.kind == "cell":  # (T, R, I)
            t, r, i = np.indices(values.shape).reshape(3, -1)
            columns = {"year": np.asarray(years)[t], "region_code": region_axis[r], "industry_code": industry_axis[i]}
        elif spec.kind == "region":  # (T, R)
            t, r = np.indices(values.shape).reshape(2, -1)
            columns = {"year": np.asarray(years)[t], "region_code": region_axis[r], "industry_code": ""}
        else:  # industry: (T, I)
            t, i = np.indices(values.shape).reshape(2, -1)
            columns = {"year": np.asarray(years)[t], "region_code": "", "industry_code": industry_axis[i]}
        frames.append(pd.DataFrame({**columns, "metric": name, "value": values.reshape(-1)}))
    return pd.concat(frames, ignore_index=True)
