"""Economic complexity: presence + ECI/PCI + proximity + density, regiolens against ecomplexity (synthetic, seeded).

regiolens: ``presence`` (RCA ≥ 1), ``eci_pci``, ``proximity`` and ``density`` of ``regiolens.metrics`` on the
``(T, R, I)`` array, all years at once; and the same from ecomplexity's input (the long frame scattered into the
array first). Anchor: the ``ecomplexity`` package (Harvard Growth Lab) in the same process — ``ecomplexity()``
(RCA, ECI, PCI, density; COI/COG come with it) plus ``ecomplexity.proximity()`` (its proximity matrices, which
``ecomplexity()`` computes but does not return), both with their printing silenced.
Sizes: 400 regions × 600 industries × 10 years in full; 3,000 × 1,000 × 20 with the anchor on the first two years
only (ecomplexity takes tens of seconds per year there) and regiolens timed on the same two years for the ratio,
and on all 20 years on its own. Every regiolens result is checked against ecomplexity's before anything is reported.
"""

from __future__ import annotations

import gc
import time
from typing import Any

import numpy as np
import pandas as pd

from bench_metrics import CLOSED_FROM, ECOMPLEXITY_COLUMNS, _quiet, generate, long_frame
from harness import Case, print_table, time_cases, timing_records
from regiolens.metrics.complexity import eci_pci, presence
from regiolens.metrics.relatedness import density, proximity

REPEAT = 3
# ecomplexity on two years of 3,000 × 1,000 (~2 min): one timed run, no untimed first run (see time_once)
SEED = 20_241_128
SMALL = (10, 400, 600)
BIG = (20, 3_000, 1_000)
ANCHOR_BIG_YEARS = 2  # ecomplexity runs on the first two of the 20 years
TARGET_SPEEDUP = 20.0
TOL = 1e-9
Arrays = dict[str, np.ndarray]


# ------------------------------------------------------------------------------------------------ data
def panel(shape: tuple[int, int, int]) -> np.ndarray:
    """bench_metrics' generator, with industry 0 kept open (its level of the last open year held constant).

    bench_metrics closes industry 0 for good in year ``CLOSED_FROM``; ecomplexity drops such a column (and would
    make a year with an empty row all NaN), so here every region and industry has employment in every year and
    the presence matrices are connected (checked in :func:`run`).
    """
    x = generate(shape=shape, seed=SEED)
    if shape[0] > CLOSED_FROM:
        x[CLOSED_FROM:, :, 0] = x[CLOSED_FROM - 1, :, 0]
    return x


# ------------------------------------------------------------------------------------------------ regiolens
def regiolens_complexity(x: np.ndarray) -> Arrays:
    """Presence (RCA ≥ 1), ECI + PCI, proximity and density of every year, on the whole ``(T, R, I)`` stack."""
    m = presence(x)
    result = eci_pci(m)
    phi = proximity(m)
    return {"eci": result.eci, "pci": result.pci, "proximity": phi, "density": density(m, phi)}


def regiolens_from_long(df: pd.DataFrame) -> Arrays:
    """From ecomplexity's input: scatter the long frame to ``(T, R, I)`` (codes are 0-based integers), then the same."""
    year, region, industry = (df[c].to_numpy() for c in ("year", "region", "industry"))
    t = year - year.min()
    x = np.zeros((t.max() + 1, region.max() + 1, industry.max() + 1))
    x[t, region, industry] = df["emp"].to_numpy()
    return regiolens_complexity(x)


# ------------------------------------------------------------------------------------------------ ecomplexity
def ecomplexity_anchor(df: pd.DataFrame, parts: dict[str, list[float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``ecomplexity()`` (ECI, PCI, density …) and ``ecomplexity.proximity()`` on the long frame, output silenced.

    The wall time of each call is appended to ``parts`` (keys ``ecomplexity()``, ``proximity()``).
    """
    from ecomplexity import ecomplexity
    from ecomplexity import proximity as eco_proximity

    with _quiet():
        start = time.perf_counter()
        out = ecomplexity(df, ECOMPLEXITY_COLUMNS, presence_test="rca", check_logsupermodularity=False, verbose=False)
        middle = time.perf_counter()
        prox = eco_proximity(df, ECOMPLEXITY_COLUMNS, presence_test="rca")
        end = time.perf_counter()
    parts.setdefault("ecomplexity()", []).append(middle - start)
    parts.setdefault("proximity()", []).append(end - middle)
    return out, prox


def time_once(case: Case) -> None:
    """One timed run without the untimed first one (for the anchor on the large panel: ~2 min a run; ecomplexity
    is imported and warm from the 400 × 600 case by then)."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    case.result = case.run()
    case.times.append(time.perf_counter() - wall)
    case.cpu_times.append(time.process_time() - cpu)


def ecomplexity_arrays(result: tuple[pd.DataFrame, pd.DataFrame], shape: tuple[int, int, int]) -> Arrays:
    """ecomplexity's outputs on the ``(T, R, I)`` / ``(T, I, I)`` grids (every cell is in them: no row is dropped)."""
    out, prox = result
    t_n, r_n, i_n = shape
    assert len(out) == t_n * r_n * i_n and len(prox) == t_n * i_n * i_n, "ecomplexity dropped cells"
    out = out.sort_values(["year", "region", "industry"])
    prox = prox.sort_values(["year", "industry_1", "industry_2"])
    return {
        "eci": out["eci"].to_numpy().reshape(shape)[:, :, 0],
        "pci": out["pci"].to_numpy().reshape(shape)[:, 0, :],
        "density": out["density"].to_numpy().reshape(shape),
        "proximity": prox["proximity"].to_numpy().reshape(t_n, i_n, i_n),
    }


# ------------------------------------------------------------------------------------------------ checks
def _check(ours: Arrays, theirs: Arrays, what: str) -> int:
    """Every quantity equals ecomplexity's within ``TOL`` (rtol and atol: ECI/PCI are z-scores around 0)."""
    assert set(ours) == set(theirs), f"{what}: different quantities {sorted(set(ours) ^ set(theirs))}"
    for name, expected in theirs.items():
        assert not np.isnan(expected).any(), f"{what}: ecomplexity gave NaN in {name}"
        np.testing.assert_allclose(ours[name], expected, rtol=TOL, atol=TOL, err_msg=f"{what}: {name}")
    return sum(v.size for v in theirs.values())


def _max_abs_diff(ours: Arrays, theirs: Arrays) -> dict[str, float]:
    return {name: float(np.max(np.abs(ours[name] - expected))) for name, expected in theirs.items()}


def _connected(x: np.ndarray) -> None:
    """No empty region or industry in any year, and every region and industry has some presence (RCA ≥ 1)."""
    assert (x.sum(axis=-1) > 0).all() and (x.sum(axis=-2) > 0).all(), "empty region or industry"
    m = presence(x)
    assert m.any(axis=-1).all() and m.any(axis=-2).all(), "region or industry without presence"


# ------------------------------------------------------------------------------------------------ run
def run(repeat: int | None = None) -> dict[str, Any]:
    small = panel(SMALL)
    small_df = long_frame(small)
    big = panel(BIG)
    sub = np.ascontiguousarray(big[:ANCHOR_BIG_YEARS])
    sub_df = long_frame(sub)
    for x in (small, big):
        _connected(x)
    s_tag = "{}×{}×{}".format(*SMALL[1:], SMALL[0])
    b_tag = "{}×{}×{}".format(*BIG[1:], ANCHOR_BIG_YEARS)
    f_tag = "{}×{}×{}".format(*BIG[1:], BIG[0])
    what = "presence + eci_pci + proximity + density"
    checked: dict[str, int] = {}
    max_diff: dict[str, dict[str, float]] = {}
    anchor_parts: dict[str, dict[str, list[float]]] = {}

    def group(tag: str, x: np.ndarray, df: pd.DataFrame) -> list[Case]:
        parts = anchor_parts.setdefault(tag, {})
        anchor = Case(
            f"{tag} · ecomplexity: ecomplexity() + proximity()", lambda: ecomplexity_anchor(df, parts), x.size
        )
        return [
            anchor,
            Case(f"{tag} · regiolens: {what} (array in)", lambda: regiolens_complexity(x), x.size, anchor.name),
            Case(
                f"{tag} · regiolens: long frame → array + the same",
                lambda: regiolens_from_long(df),
                x.size,
                anchor.name,
            ),
        ]

    def check(cases: list[Case], shape: tuple[int, int, int]) -> None:
        theirs = ecomplexity_arrays(cases[0].result, shape)
        for case in cases[1:]:
            checked[case.name] = _check(case.result, theirs, case.name)
            max_diff[case.name] = _max_abs_diff(case.result, theirs)
        for case in cases:
            case.result = None

    small_cases = group(s_tag, small, small_df)
    time_cases(small_cases, repeat or REPEAT)
    check(small_cases, SMALL)

    big_cases = group(b_tag, sub, sub_df)
    time_once(big_cases[0])
    time_cases(big_cases[1:], repeat or REPEAT)
    check(big_cases, sub.shape)

    full = Case(f"{f_tag} · regiolens: {what} (array in)", lambda: regiolens_complexity(big), big.size)
    time_cases([full], repeat or REPEAT)
    first = regiolens_complexity(sub)  # the first years of the 20-year run equal the checked two-year run's
    for name, value in first.items():
        np.testing.assert_allclose(full.result[name][:ANCHOR_BIG_YEARS], value, rtol=TOL, atol=TOL, err_msg=name)
    checked[full.name] = sum(v.size for v in first.values())
    full.result = None

    cases = small_cases + big_cases + [full]
    print_table(f"complexity: {s_tag}, {b_tag} (anchor subset) and {f_tag}", cases)
    speedup = {case.name: group_[0].best / case.best for group_ in (small_cases, big_cases) for case in group_[1:]}
    targets = []
    for group_ in (small_cases, big_cases):
        array_in, long_in = (speedup[c.name] for c in group_[1:])
        tag = group_[0].name.split(" · ")[0]
        targets.append(
            {
                "what": f"{what} vs ecomplexity() + proximity() on {tag} (same long frame in, values to {TOL:g})",
                "target": f"≥ {TARGET_SPEEDUP:g}× faster",
                "measured": f"{long_in:.1f}× (array in: {array_in:.1f}×)",
                "met": long_in >= TARGET_SPEEDUP,
            }
        )
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {
            "generator": "bench_metrics.generate, industry 0 kept open",
            "seed": SEED,
            "shapes": {s_tag: list(SMALL), f_tag: list(BIG)},
            "anchor_subset": f"{b_tag}: the first {ANCHOR_BIG_YEARS} of the {BIG[0]} years, {sub.size:,} cells",
            "zero_cells": round(float((big == 0).mean()), 4),
            "presence_share": round(float(presence(small).mean()), 4),
            "values_checked": checked,
            "tolerance_rtol_atol": TOL,
            "max_abs_diff_vs_ecomplexity": max_diff,
        },
        "timings": timing_records(cases),
        "derived": {
            "speedup_vs_ecomplexity": {name: round(v, 2) for name, v in speedup.items()},
            # wall time of the two ecomplexity calls in the anchor's timed runs (the small one's first run is untimed)
            "anchor_parts_s": {
                tag: {call: [round(t, 3) for t in (times[1:] if tag == s_tag else times)] for call, times in p.items()}
                for tag, p in anchor_parts.items()
            },
        },
        "targets": targets,
    }
