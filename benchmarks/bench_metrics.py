"""The metric suite on 3,000 regions × 1,000 industries × 20 years (synthetic, seeded, in memory).

regiolens: the numpy functions of ``regiolens.metrics`` on the ``(T, R, I)`` array — location quotients
of every year; classic, Esteban-Marquillas and Gerfin shift-share between the first and last year;
dynamic shift-share and dynamic Gerfin over all year pairs (their totals, ``yearly=False``: what a profile or
report needs); Krugman, Hoover, Gini, Herfindahl and entropy of every year (``specialisation_indices``). The
whole suite on all 20 years is one case, its four parts are timed inside its runs; the dynamic variants with
all yearly by-industry outputs (``yearly=True``) are a separate case beside it.
Anchors, on the first five years (15 M cells; the pandas anchors take ~2.3 min for all 20 years):
straightforward long-format pandas (groupby/transform/merge) computing the same quantities with the same
conventions, part by part; and for the RCA (= LQ) the ``ecomplexity`` package — its RCA code path on the
same five years, and its full ``ecomplexity()`` call on a 400 × 600 × 5 panel (43 s per year at full size).
Every regiolens result is checked against its anchor's before anything is reported.
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from harness import Case, print_table, time_cases, timing_records
from regiolens.metrics.location import location_quotient
from regiolens.metrics.shiftshare import (
    dynamic_decompositions,
    dynamic_gerfin,
    dynamic_shift_share,
    esteban_marquillas,
    gerfin,
    shift_share,
)
from regiolens.metrics.specialisation import specialisation_indices

REPEAT = 3
ANCHOR_REPEAT = 1  # the pandas anchors take ~30 s a round even on the five years
SEED = 20_241_127
YEARS, REGIONS, INDUSTRIES = 20, 3_000, 1_000
ANCHOR_YEARS = 5  # pandas and ecomplexity's RCA path run on the first five years (15 M cells)
SMALL = (5, 400, 600)  # the full ecomplexity() call: 43 s per year at 3,000 × 1,000, so on the size of econ_methods.md
FIRST_YEAR = 2005
CLOSED_FROM = 3  # industry 0 is empty from the fourth year on (an abolished code): NaN LQs, zero-base shift-share
TARGET_SUITE_S = 2.0
TARGET_RCA_SPEEDUP = 10.0
RTOL = 1e-9
Arrays = dict[str, np.ndarray]


# ------------------------------------------------------------------------------------------------ data
def generate(shape: tuple[int, int, int] | None = None, seed: int = SEED) -> np.ndarray:
    """Employment ``(T, R, I)``: integer-valued float64 (so sums are exact), ~30 % structural zeros, no NaN.

    Region and industry sizes are lognormal, a cell's base is negative-binomial around their product, small
    cells are more often empty; every year the base moves with an industry trend and 5 % lognormal noise.
    About 1 in 10,000 cells opens in a later year, and industry 0 closes for good in year ``CLOSED_FROM``.
    """
    t_n, r_n, i_n = shape = shape or (YEARS, REGIONS, INDUSTRIES)
    rng = np.random.default_rng(seed)
    mean = 6.0 * rng.lognormal(0.0, 1.0, r_n)[:, None] * rng.lognormal(0.0, 1.2, i_n)[None, :]
    present = rng.random((r_n, i_n)) < 1.0 - 0.38 * np.exp(-mean / 40.0)  # small cells are more often empty
    base = 1.0 + rng.negative_binomial(1, 1.0 / (1.0 + mean))
    opens = np.where(rng.random((r_n, i_n)) < 1e-4, rng.integers(1, max(t_n, 2), (r_n, i_n)), 0)
    trend = rng.normal(0.0, 0.02, i_n)
    x = np.empty(shape)
    for t in range(t_n):
        level = base * np.exp(trend * t + rng.normal(0.0, 0.05, (r_n, i_n)))
        x[t] = np.where(present & (opens <= t), np.maximum(np.rint(level), 1.0), 0.0)
    x[CLOSED_FROM:, :, 0] = 0.0
    return x


def long_frame(x: np.ndarray) -> pd.DataFrame:
    """The panel as a long table (year, region, industry, emp), one row per cell, zeros included."""
    t_n, r_n, i_n = x.shape
    return pd.DataFrame(
        {
            "year": np.repeat(np.arange(FIRST_YEAR, FIRST_YEAR + t_n, dtype=np.int16), r_n * i_n),
            "region": np.tile(np.repeat(np.arange(r_n, dtype=np.int32), i_n), t_n),
            "industry": np.tile(np.arange(i_n, dtype=np.int32), t_n * r_n),
            "emp": x.reshape(-1),
        }
    )


# ------------------------------------------------------------------------------------------------ regiolens
def regiolens_lq(x: np.ndarray) -> Arrays:
    return {"lq": location_quotient(x)}


def regiolens_shift_share(x: np.ndarray) -> Arrays:
    classic = shift_share(x[0], x[-1])
    em = esteban_marquillas(x[0], x[-1])  # repeats the classic fields
    return {**_flat("classic.", classic), **_flat("", em), **_flat("gerfin.", gerfin(x[0], x[-1]))}


def regiolens_dynamic(x: np.ndarray) -> Arrays:
    """The totals only (``yearly=False``): summed components and chained / annual Gerfin factors, in one pass."""
    dss, dg = dynamic_decompositions(x, yearly=False)
    return {**_flat("dss.total.", dss.total), **_flat("dg.total.", dg.total), **_flat("dg.annual.", dg.annual)}


def regiolens_dynamic_yearly(x: np.ndarray) -> Arrays:
    """The same with every year pair's components as well (``yearly=True``, ~2.3 GB on the full panel)."""
    dss, dg = dynamic_shift_share(x), dynamic_gerfin(x)
    assert dss.yearly is not None
    return {
        **_flat("dss.total.", dss.total),
        **_flat("dss.yearly.", dss.yearly),
        **_flat("dg.total.", dg.total),
        **_flat("dg.annual.", dg.annual),
    }


def regiolens_specialisation(x: np.ndarray) -> Arrays:
    indices = specialisation_indices(x)
    return {f.name: getattr(indices, f.name) for f in fields(indices)}


def timed_suite(x: np.ndarray, parts: list[tuple[Case, Callable[[np.ndarray], Arrays]]]) -> Arrays:
    """The whole suite, one part after the other; each part's wall and CPU time go to its own case.

    So the parts are timed inside the same runs as the suite (the first, untimed run included) instead of
    being run a second time: the full panel costs ~20 s a round.
    """
    out: Arrays = {}
    for case, part in parts:
        cpu, wall = time.process_time(), time.perf_counter()
        out |= part(x)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if case.first is None:
            case.first = wall
        else:
            case.times.append(wall)
            case.cpu_times.append(cpu)
    return out


def _flat(prefix: str, result: object) -> Arrays:
    assert is_dataclass(result)
    return {prefix + f.name: getattr(result, f.name) for f in fields(result)}


# ------------------------------------------------------------------------------------------------ pandas anchors
def _div(a: pd.Series | float, b: pd.Series | float) -> pd.Series:
    """``a / b`` with ``NaN`` for ``x/0`` (the metrics' convention)."""
    q = a / b
    assert isinstance(q, pd.Series)
    return q.replace([np.inf, -np.inf], np.nan)


def pandas_lq(df: pd.DataFrame) -> Arrays:
    region_total = df.groupby(["year", "region"])["emp"].transform("sum")
    industry_total = df.groupby(["year", "industry"])["emp"].transform("sum")
    total = df.groupby("year")["emp"].transform("sum")
    return {"lq": _div(_div(df["emp"], region_total), _div(industry_total, total)).to_numpy()}


def _cells(d: pd.DataFrame) -> pd.DataFrame:
    """Reference sums beside each cell of ``d`` (year, region, industry, e0, e1; one year per year pair)."""
    ref = d.groupby(["year", "industry"])[["e0", "e1"]].transform("sum")
    tot = d.groupby("year")[["e0", "e1"]].transform("sum")
    reg = d.groupby(["year", "region"])[["e0", "e1"]].transform("sum")
    return d.assign(ref0=ref["e0"], ref1=ref["e1"], tot0=tot["e0"], tot1=tot["e1"], reg0=reg["e0"], reg1=reg["e1"])


def _classic(c: pd.DataFrame) -> pd.DataFrame:
    """Classic components per cell (zero base: nothing grows from nothing)."""
    growth = _div(c["tot1"] - c["tot0"], c["tot0"])
    industry_growth = _div(c["ref1"] - c["ref0"], c["ref0"])
    base = c["e0"] != 0
    actual = c["e1"] - c["e0"]
    return pd.DataFrame(
        {
            "actual_change": actual,
            "national": (c["e0"] * growth).where(base, 0.0),
            "industry_mix": (c["e0"] * (industry_growth - growth)).where(base, 0.0),
            "regional": actual - (c["e0"] * industry_growth).where(base, 0.0),
        }
    )


def _gerfin(c: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Gerfin factors per (year, region), location factors per cell, structural factors per (year, industry)."""
    factor = _div(c["tot1"], c["tot0"])
    industry_factor = _div(c["ref1"], c["ref0"])
    expected = (c["e0"] * industry_factor).where(c["e0"] != 0, 0.0)
    r = c.assign(expected=expected, factor=factor).groupby(["year", "region"])
    s = r[["e0", "e1", "expected"]].sum(skipna=False).assign(factor=r["factor"].first())
    regions = pd.DataFrame(
        {
            "structural_factor": _div(_div(s["expected"], s["e0"]), s["factor"]),
            "location_factor": _div(s["e1"], s["expected"]),
            "regional_factor": _div(_div(s["e1"], s["e0"]), s["factor"]),
        }
    )
    cells = pd.DataFrame({"location_factor_by_industry": _div(_div(c["e1"], c["e0"]), industry_factor)})
    structural = _div(industry_factor, factor).groupby([c["year"], c["industry"]]).first()
    return regions, cells, structural.rename("structural_factor_by_industry")


def pandas_shift_share(df: pd.DataFrame) -> Arrays:
    first, last = df["year"].min(), df["year"].max()
    start = df.loc[df["year"] == first, ["region", "industry", "emp"]].rename(columns={"emp": "e0"})
    end = df.loc[df["year"] == last, ["year", "region", "industry", "emp"]].rename(columns={"emp": "e1"})
    c = _cells(end.merge(start, on=["region", "industry"]))
    cells = _classic(c)
    homothetic = c["reg0"] * _div(c["ref0"], c["tot0"])
    competitive = (_div(homothetic, c["e0"]) * cells["regional"]).where(
        c["e0"] != 0, np.where(c["e1"] == 0, 0.0, np.nan)
    )
    cells = cells.assign(competitive=competitive, allocation=cells["regional"] - competitive)
    sums = cells.groupby([c["year"], c["region"]]).sum(skipna=False)
    g_regions, g_cells, g_structural = _gerfin(c)
    out = {str(name): sums[name].to_numpy() for name in sums}
    out |= {f"{name}_by_industry": cells[name].to_numpy() for name in cells}
    out |= {f"classic.{name}": out[name] for name in out if not name.startswith(("competitive", "allocation"))}
    out["homothetic"] = homothetic.to_numpy()
    out |= {f"gerfin.{name}": g_regions[name].to_numpy() for name in g_regions}
    out["gerfin.location_factor_by_industry"] = g_cells["location_factor_by_industry"].to_numpy()
    out["gerfin.structural_factor_by_industry"] = g_structural.to_numpy()
    return out


def pandas_dynamic(df: pd.DataFrame) -> Arrays:
    e0 = df.groupby(["region", "industry"])["emp"].shift()
    c = _cells(df.assign(e0=e0).rename(columns={"emp": "e1"}).loc[df["year"] > df["year"].min()])
    cells = _classic(c)
    yearly = cells.groupby([c["year"], c["region"]]).sum(skipna=False)
    total_cells = cells.groupby([c["region"], c["industry"]]).sum(skipna=False)
    total = yearly.groupby(level="region").sum(skipna=False)
    out = {f"dss.yearly.{name}": yearly[name].to_numpy() for name in yearly}
    out |= {f"dss.yearly.{name}_by_industry": cells[name].to_numpy() for name in cells}
    out |= {f"dss.total.{name}": total[name].to_numpy() for name in total}
    out |= {f"dss.total.{name}_by_industry": total_cells[name].to_numpy() for name in total_cells}
    g_regions, g_cells, g_structural = _gerfin(c)
    pairs = c["year"].nunique()
    chained = {
        **g_regions.groupby(level="region").prod(skipna=False).to_dict("series"),
        "structural_factor_by_industry": g_structural.groupby(level="industry").prod(skipna=False),
        "location_factor_by_industry": g_cells.groupby([c["region"], c["industry"]]).prod(skipna=False).iloc[:, 0],
    }
    for name, series in chained.items():
        out[f"dg.total.{name}"] = series.to_numpy()
        out[f"dg.annual.{name}"] = (series ** (1.0 / pairs)).to_numpy()
    return out


def pandas_specialisation(df: pd.DataFrame) -> Arrays:
    keys = [df["year"], df["region"]]
    share = _div(df["emp"], df.groupby(["year", "region"])["emp"].transform("sum"))
    industry_total = df.groupby(["year", "industry"])["emp"].transform("sum")
    reference_share = _div(industry_total, df.groupby("year")["emp"].transform("sum"))
    krugman = (share - reference_share).abs().groupby(keys).sum(skipna=False)
    with np.errstate(divide="ignore"):
        plogp = (share * np.log(share)).where(share != 0, 0.0)
    lq = _div(share, reference_share)
    unknown = (lq.isna() & ~((share == 0) & (reference_share == 0))).groupby(keys).any()
    ranked = pd.DataFrame({"year": df["year"], "region": df["region"], "lq": lq}).dropna()
    ranked = ranked.sort_values(["year", "region", "lq"])
    groups = ranked.groupby(["year", "region"])["lq"]
    rank = ranked.groupby(["year", "region"]).cumcount() + 1.0
    n, mean = groups.count().astype(np.float64), groups.mean()
    deviation = ranked["lq"] - groups.transform("mean")
    weighted = (rank * deviation).groupby([ranked["year"], ranked["region"]]).sum()
    gini = _div(2.0 * weighted, n**2 * mean).where(~unknown, np.nan)
    return {
        "krugman": krugman.to_numpy(),
        "hoover": 0.5 * krugman.to_numpy(),
        "gini": gini.to_numpy(),
        "herfindahl": (share**2).groupby(keys).sum(skipna=False).to_numpy(),
        "entropy": -plogp.groupby(keys).sum(skipna=False).to_numpy(),
    }


# ------------------------------------------------------------------------------------------------ ecomplexity
ECOMPLEXITY_COLUMNS = {"time": "year", "loc": "region", "prod": "industry", "val": "emp"}
RcaParts = list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """ecomplexity prints the year and a log-supermodularity line, and pandas warns about its ``inplace=``."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def ecomplexity_rca(df: pd.DataFrame) -> RcaParts:
    """ecomplexity's own RCA code path alone: clean and index the data, then per year rectangularise and divide.

    The steps ``ecomplexity()`` runs before its ECI/PCI/density part; per year (year, locations, products, RCA).
    """
    from ecomplexity.ComplexityData import ComplexityData

    parts = []
    with _quiet():
        data = ComplexityData(df, ECOMPLEXITY_COLUMNS, "coerce")
        for year in data.data.index.unique("time"):
            data.create_full_df(year)
            data.calculate_rca()
            locations, products = data.data_t.index.levels
            parts.append((int(year), locations.to_numpy(), products.to_numpy(), data.rca_t))
    return parts


def ecomplexity_full(df: pd.DataFrame) -> pd.DataFrame:
    """The documented call, ``ecomplexity(df, cols_input, presence_test="rca")``: RCA plus ECI, PCI, density …"""
    from ecomplexity import ecomplexity

    with _quiet():
        return ecomplexity(df, ECOMPLEXITY_COLUMNS, presence_test="rca")


def regiolens_lq_from_long(df: pd.DataFrame) -> np.ndarray:
    """From the same long frame as ecomplexity: scatter to ``(T, R, I)`` (codes are 0-based integers), then LQ."""
    year, region, industry = (df[c].to_numpy() for c in ("year", "region", "industry"))
    t = year - year.min()
    x = np.zeros((t.max() + 1, region.max() + 1, industry.max() + 1))
    x[t, region, industry] = df["emp"].to_numpy()
    return location_quotient(x)


def _rca_grid(parts: RcaParts, shape: tuple[int, ...]) -> np.ndarray:
    """ecomplexity's per-year RCA matrices (zero-total locations and products dropped) on the full grid, NaN there."""
    grid = np.full(shape, np.nan)
    first = min(year for year, *_ in parts)
    for year, locations, products, rca in parts:
        grid[year - first][np.ix_(locations, products)] = rca
    return grid


def _full_call_grid(out: pd.DataFrame, shape: tuple[int, ...]) -> np.ndarray:
    return out.sort_values(["year", "region", "industry"])["rca"].to_numpy().reshape(shape)


# ------------------------------------------------------------------------------------------------ checks
def _check_close(ours: Arrays, theirs: Arrays, what: str) -> int:
    """Every quantity of the anchor equals regiolens' within ``RTOL`` (NaN where it is NaN); returns the values."""
    assert set(ours) == set(theirs), f"{what}: different quantities {sorted(set(ours) ^ set(theirs))}"
    for name, expected in theirs.items():
        np.testing.assert_allclose(np.ravel(ours[name]), expected, rtol=RTOL, atol=0, err_msg=f"{what}: {name}")
    return sum(v.size for v in theirs.values())


def _check_identical(ours: np.ndarray, theirs: np.ndarray, what: str) -> int:
    np.testing.assert_array_equal(ours, theirs, err_msg=what)  # exact, NaN where NaN
    return ours.size


def _release(cases: list[Case]) -> None:
    for case in cases:
        case.result = None


# ------------------------------------------------------------------------------------------------ run
def run(repeat: int | None = None) -> dict[str, Any]:
    x = generate()
    sub = x[:ANCHOR_YEARS]
    df = long_frame(sub)
    small = generate(shape=SMALL)
    small_df = long_frame(small)
    a_tag, b_tag, c_tag = f"{ANCHOR_YEARS} y", "{}×{}×{}".format(*SMALL[1:], SMALL[0]), f"{YEARS} y"
    checked: dict[str, int] = {}

    # regiolens against pandas, part by part, on the first years
    parts: list[tuple[str, str, Callable[[pd.DataFrame], Arrays], Callable[[np.ndarray], Arrays]]] = [
        ("LQ, groupby.transform", "location_quotient", pandas_lq, regiolens_lq),
        (
            "shift-share classic + EM + Gerfin, merge + groupby",
            "shift_share + esteban_marquillas + gerfin",
            pandas_shift_share,
            regiolens_shift_share,
        ),
        (
            "dynamic shift-share + Gerfin, groupby.shift/prod",
            "dynamic_decompositions: dynamic shift-share + Gerfin (totals, yearly=False)",
            pandas_dynamic,
            regiolens_dynamic,
        ),
        (
            "specialisation (5 indices), groupby + sort_values",
            "specialisation_indices (5 indices)",
            pandas_specialisation,
            regiolens_specialisation,
        ),
    ]
    yearly_name = "dynamic_shift_share + dynamic_gerfin (yearly=True: every year pair's outputs too)"
    anchored: list[Case] = []
    for anchor_name, ours_name, anchor, ours in parts:
        anchored.append(Case(f"{a_tag} · pandas: {anchor_name}", partial(anchor, df), sub.size))
        anchored.append(Case(f"{a_tag} · regiolens: {ours_name}", partial(ours, sub), sub.size, anchored[-1].name))
        if ours is regiolens_dynamic:  # the yearly variant against the same anchor run
            anchored.append(
                Case(f"{a_tag} · regiolens: {yearly_name}", partial(regiolens_dynamic_yearly, sub), sub.size)
            )
            anchored[-1].anchor = anchored[-3].name
    time_cases(anchored, repeat or ANCHOR_REPEAT)
    by_name = {case.name: case for case in anchored}
    for ours_case in anchored:
        if ours_case.anchor is None:
            continue
        theirs = by_name[ours_case.anchor].result
        if "yearly=False" in ours_case.name:  # the totals only: those of the anchor
            theirs = {name: value for name, value in theirs.items() if not name.startswith("dss.yearly.")}
        checked[ours_case.name] = _check_close(ours_case.result, theirs, ours_case.name)
    per_year_checked = {  # regiolens' LQ and specialisation
        **by_name[f"{a_tag} · regiolens: {parts[0][1]}"].result,
        **by_name[f"{a_tag} · regiolens: {parts[3][1]}"].result,
    }
    _release(anchored)

    # RCA against ecomplexity: its RCA code path on the same years, and the full call on a small panel
    rca = [
        Case(
            f"{a_tag} · ecomplexity: its RCA code path alone",
            lambda: ecomplexity_rca(df),
            sub.size,
        ),
        Case(f"{a_tag} · regiolens: location_quotient (array in)", lambda: location_quotient(sub), sub.size),
        Case(
            f"{a_tag} · regiolens: long frame → array + LQ",
            lambda: regiolens_lq_from_long(df),
            sub.size,
        ),
        Case(
            f"{b_tag} · ecomplexity: ecomplexity(), full call",
            lambda: ecomplexity_full(small_df),
            small.size,
        ),
        Case(f"{b_tag} · regiolens: location_quotient (array in)", lambda: location_quotient(small), small.size),
        Case(
            f"{b_tag} · regiolens: long frame → array + LQ",
            lambda: regiolens_lq_from_long(small_df),
            small.size,
        ),
    ]
    for case in rca[1:3]:
        case.anchor = rca[0].name
    for case in rca[4:]:
        case.anchor = rca[3].name
    time_cases(rca, repeat or REPEAT)
    eco_grid = _rca_grid(rca[0].result, sub.shape)
    for case in rca[1:3]:
        checked[case.name] = _check_identical(case.result, eco_grid, case.name)
    eco_grid = _full_call_grid(rca[3].result, small.shape)
    for case in rca[4:]:
        checked[case.name] = _check_identical(case.result, eco_grid, case.name)
    _release(rca)

    # the whole suite on the full panel; its parts are timed inside the suite's runs (never run alone: no-op)
    full = [Case(f"{c_tag} · regiolens: {ours_name}", lambda: None, x.size) for _, ours_name, _, _ in parts]
    timed_parts = [(case, ours) for case, (*_, ours) in zip(full, parts, strict=True)]
    full.append(
        Case(f"{c_tag} · regiolens: whole suite (the four parts above)", lambda: timed_suite(x, timed_parts), x.size)
    )
    time_cases(full[-1:], repeat or REPEAT)
    suite_result = full[-1].result
    for name, value in per_year_checked.items():  # the per-year results of the checked first years, exactly
        np.testing.assert_array_equal(suite_result[name][:ANCHOR_YEARS], value, err_msg=f"suite: {name}")
    checked[full[-1].name] = sum(v.size for v in per_year_checked.values())
    dynamic_totals = {name: value for name, value in suite_result.items() if name.startswith(("dss.", "dg."))}
    _release(full)
    suite_result = {}

    # not in the suite, reported beside it: the dynamic variants with every year pair's outputs (yearly=True)
    yearly = Case(f"{c_tag} · regiolens: {yearly_name}", partial(regiolens_dynamic_yearly, x), x.size)
    time_cases([yearly], repeat or REPEAT)
    for name, value in dynamic_totals.items():  # the suite's totals (yearly=False) equal these exactly
        np.testing.assert_array_equal(yearly.result[name], value, err_msg=f"yearly=False vs True: {name}")
    checked[yearly.name] = sum(v.size for v in dynamic_totals.values())
    del dynamic_totals
    _release([yearly])
    full.append(yearly)

    cases = anchored + rca + full
    print_table(f"metrics: {REGIONS:,} regions × {INDUSTRIES:,} industries × {YEARS} years", cases)
    suite = full[-2]  # the whole suite (full[-1] is the yearly variant beside it)
    speedup = {case.name: rca[0].best / case.best for case in rca[1:3]} | {
        case.name: rca[3].best / case.best for case in rca[4:]
    }
    e2e, array_only = speedup[rca[2].name], speedup[rca[1].name]
    small_e2e = speedup[rca[5].name]
    pandas_sum = sum(c.best for c in anchored if c.anchor is None)
    ours_sum = sum(c.best for c in anchored if c.anchor is not None and "yearly=True" not in c.name)
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {
            "shape": [YEARS, REGIONS, INDUSTRIES],
            "seed": SEED,
            "cells": x.size,
            "zero_cells": round(float((x == 0).mean()), 4),
            "employment": float(x.sum()),
            "anchor_subset": f"first {ANCHOR_YEARS} years, {sub.size:,} cells (pandas anchors, ecomplexity RCA path)",
            "ecomplexity_full_call_shape": list(SMALL),
            "values_checked": checked,
            "rtol_vs_pandas": RTOL,
        },
        "timings": timing_records(cases),
        "derived": {
            "pandas_sum_of_parts_s": round(pandas_sum, 3),
            "regiolens_sum_of_parts_s": round(ours_sum, 3),
            "regiolens_vs_pandas_sum_of_parts": round(ours_sum / pandas_sum, 4),
            "rca_speedup_vs_ecomplexity_rca_path": round(e2e, 2),
            "rca_speedup_vs_ecomplexity_rca_path_array_only": round(array_only, 2),
            "rca_speedup_vs_ecomplexity_full_call": round(small_e2e, 2),
        },
        "targets": [
            {
                "what": f"LQ + all shift-share variants + specialisation on {REGIONS:,} × {INDUSTRIES:,} × {YEARS}",
                "target": f"< {TARGET_SUITE_S:g} s",
                "measured": f"{suite.best:.2f} s (best of {len(suite.times)})",
                "met": suite.best < TARGET_SUITE_S,
            },
            {
                "what": "RCA vs ecomplexity's RCA code path (same long frame in, identical values)",
                "target": f"≥ {TARGET_RCA_SPEEDUP:g}× faster",
                "measured": f"{e2e:.1f}× (LQ on the array alone: {array_only:.1f}×)",
                "met": e2e >= TARGET_RCA_SPEEDUP,
            },
            {
                "what": f"RCA vs the full ecomplexity() call on {b_tag} (identical values)",
                "target": f"≥ {TARGET_RCA_SPEEDUP:g}× faster",
                "measured": f"{small_e2e:.0f}×",
                "met": small_e2e >= TARGET_RCA_SPEEDUP,
            },
        ],
    }
