"""Any metric of :mod:`regiolens.metrics` on a user's own long table (region, industry, year, value).

The table is read by the generic reader (German or English numbers, statistical symbols, errors naming
file, line and field), pivoted to a years × regions × industries array and passed to the metric. The
reference area is the whole table: column sums over all its regions, as the metrics default to.

Complexity and relatedness metrics (``MetricSpec.on_presence``) take the presence matrix
``M_ri = [RCA_ri ≥ threshold]`` instead of the values: :func:`regiolens.metrics.complexity.presence`, RCA against
the whole table, threshold 1 unless given; a missing cell counts as absent. Each year is computed on its own
(all years in one stacked call). Density, Complexity Outlook and Opportunity Gain use the proximity of
:func:`regiolens.metrics.relatedness.proximity` (diagonal 1) and the normalised PCI of
:func:`regiolens.metrics.complexity.eci_pci`; Outlook and Gain are not z-scored or rescaled.

Output is long, one row per value, with the columns ``metric`` and ``value`` after the keys of the kind:

- ``cell``: ``year``, ``region_code``, ``industry_code``;
- ``region``: ``year``, ``region_code``, ``industry_code`` (empty);
- ``industry``: ``year``, ``region_code`` (empty), ``industry_code``;
- ``pair`` (industry × industry): ``year``, ``industry_code``, ``other_industry_code``, every ordered pair of
  the table's industries including the diagonal (``i`` = ``industry_code``, ``j`` = ``other_industry_code``);
- ``change``: ``period`` (``first–last`` year), ``region_code``, ``industry_code``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from regiolens.errors import RegiolensError
from regiolens.metrics import complexity, concentration, location, relatedness, shiftshare, specialisation
from regiolens.metrics.relatedness import RelatednessMethod

Kind = Literal["cell", "region", "industry", "pair", "change"]


@dataclass(frozen=True)
class MetricSpec:
    """A metric by name: what it returns per year (cell, region, industry, industry pair) or between two years
    (change). ``compute`` takes the values ``x[T, R, I]``, or with ``on_presence`` the presence matrix ``M[T, R, I]``.
    """

    name: str
    kind: Kind
    description: str
    compute: Callable[[np.ndarray], dict[str, np.ndarray]]
    on_presence: bool = False


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


def _relatedness(method: RelatednessMethod) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    return lambda m: {f"relatedness-{method}": relatedness.relatedness(m, method)}


def _density(m: np.ndarray) -> dict[str, np.ndarray]:
    return {"density": relatedness.density(m, relatedness.proximity(m))}


def _complexity_outlook(m: np.ndarray) -> dict[str, np.ndarray]:
    outlook = relatedness.complexity_outlook(m, relatedness.proximity(m), complexity.eci_pci(m).pci)
    return {"complexity-outlook": outlook}


def _opportunity_gain(m: np.ndarray) -> dict[str, np.ndarray]:
    gain = relatedness.opportunity_gain(m, relatedness.proximity(m), complexity.eci_pci(m).pci)
    return {"opportunity-gain": gain + 0.0}  # + 0.0: the present cells' -0.0 (0 × negative) prints as 0.0


_RELATEDNESS: dict[RelatednessMethod, str] = {
    "probability": "co-occurrence over its expectation at random (Steijn 2017; EconGeo's default)",
    "association": "association strength (van Eck & Waltman 2009)",
    "cosine": "cosine similarity of co-occurrence",
    "jaccard": "Jaccard index of co-occurrence",
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
        MetricSpec(
            "rca",
            "cell",
            "Revealed comparative advantage (Balassa), the location quotient; presence is RCA ≥ threshold",
            lambda x: {"rca": location.location_quotient(x)},
        ),
        MetricSpec(
            "presence",
            "cell",
            "Presence (1) or absence (0) of the industry: RCA ≥ threshold",
            lambda m: {"presence": m.astype(np.float64)},
            on_presence=True,
        ),
        MetricSpec(
            "diversity",
            "region",
            "Number of industries present in the region (Hidalgo & Hausmann 2009)",
            lambda m: {"diversity": complexity.diversity(m)},
            on_presence=True,
        ),
        MetricSpec(
            "ubiquity",
            "industry",
            "Number of regions the industry is present in (Hidalgo & Hausmann 2009)",
            lambda m: {"ubiquity": complexity.ubiquity(m)},
            on_presence=True,
        ),
        MetricSpec(
            "eci",
            "region",
            "Economic Complexity Index, eigenvector method (Hausmann et al. 2014)",
            lambda m: {"eci": complexity.eci_pci(m).eci},
            on_presence=True,
        ),
        MetricSpec(
            "pci",
            "industry",
            "Product (industry) Complexity Index, eigenvector method (Hausmann et al. 2014)",
            lambda m: {"pci": complexity.eci_pci(m).pci},
            on_presence=True,
        ),
        MetricSpec(
            "proximity",
            "pair",
            "Proximity of two industries: co-presence over the larger ubiquity (Hidalgo et al. 2007)",
            lambda m: {"proximity": relatedness.proximity(m)},
            on_presence=True,
        ),
        *(
            MetricSpec(f"relatedness-{method}", "pair", f"Relatedness: {text}", _relatedness(method), on_presence=True)
            for method, text in _RELATEDNESS.items()
        ),
        MetricSpec(
            "density",
            "cell",
            "Relatedness density: proximity-weighted share of related industries present (Hidalgo et al. 2007)",
            _density,
            on_presence=True,
        ),
        MetricSpec(
            "complexity-outlook",
            "region",
            "Complexity Outlook Index: PCI of absent industries weighted by density (Hausmann et al. 2014)",
            _complexity_outlook,
            on_presence=True,
        ),
        MetricSpec(
            "opportunity-gain",
            "cell",
            "Complexity Outlook Gain of entering the industry (Hausmann et al. 2014)",
            _opportunity_gain,
            on_presence=True,
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


def compute_metric(observations: pd.DataFrame, metric: str, *, threshold: float | None = None) -> pd.DataFrame:
    """Compute ``metric`` (a key of :data:`METRICS`) on canonical observations of one measure; long output.

    ``threshold`` is the RCA from which an industry counts as present (default 1); only for metrics on presence.
    """
    if metric not in METRICS:
        raise RegiolensError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    if observations["measure"].nunique() > 1:
        raise RegiolensError("the table holds several measures; map one value column")
    spec = METRICS[metric]
    if threshold is not None and not spec.on_presence:
        raise RegiolensError(
            f"{metric} does not use presence; --rca-threshold applies only to the complexity and relatedness metrics"
        )
    if threshold is not None and not threshold > 0:
        raise RegiolensError(f"--rca-threshold must be positive, got {threshold}")
    x, years, regions, industries = to_array(observations)
    if spec.kind == "change" and len(years) < 2:
        raise RegiolensError(f"{metric} needs at least two years (map --year-col)")
    if spec.on_presence and len(industries) < 2:
        raise RegiolensError(f"{metric} needs at least two industries (map --industry-col)")
    data = complexity.presence(x, threshold=1.0 if threshold is None else threshold) if spec.on_presence else x
    region_axis = np.asarray(regions, dtype=object)
    industry_axis = np.asarray(industries, dtype=object)
    year_axis = np.asarray(years)
    frames = []
    for name, values in spec.compute(data).items():
        if spec.kind == "change":  # (R, I) between the first and the last year
            r, i = np.indices(values.shape).reshape(2, -1)
            columns = {
                "period": f"{years[0]}–{years[-1]}",
                "region_code": region_axis[r],
                "industry_code": industry_axis[i],
            }
        elif spec.kind == "cell":  # (T, R, I)
            t, r, i = np.indices(values.shape).reshape(3, -1)
            columns = {"year": year_axis[t], "region_code": region_axis[r], "industry_code": industry_axis[i]}
        elif spec.kind == "pair":  # (T, I, I)
            t, i, j = np.indices(values.shape).reshape(3, -1)
            columns = {"year": year_axis[t], "industry_code": industry_axis[i], "other_industry_code": industry_axis[j]}
        elif spec.kind == "region":  # (T, R)
            t, r = np.indices(values.shape).reshape(2, -1)
            columns = {"year": year_axis[t], "region_code": region_axis[r], "industry_code": ""}
        else:  # industry: (T, I)
            t, i = np.indices(values.shape).reshape(2, -1)
            columns = {"year": year_axis[t], "region_code": "", "industry_code": industry_axis[i]}
        frames.append(pd.DataFrame({**columns, "metric": name, "value": values.reshape(-1)}))
    return pd.concat(frames, ignore_index=True)
