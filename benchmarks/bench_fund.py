"""Monte Carlo portfolio simulation: 100,000 paths × 60 quarters × 30 companies, against a per-path loop.

regiolens: ``regiolens.fund.simulation.simulate_portfolio``, vectorised over paths and companies (blocks of whole
paths on the threads of ``regiolens.metrics.stats.map_blocks``). Anchor: ``simulate_portfolio_loop``, the
reference implementation of the same model — a plain loop over paths with an event queue per path, in which each
follow-on is decided when its round comes. The anchor runs on 2,000 paths (~50 s for all 100,000) and its time
is scaled linearly to 100,000 (its cost is per path: the per-path time is measured at 500 and 2,000 paths and
recorded). regiolens also runs on the same 2,000 paths for a same-size ratio. Check before anything is reported:
the mean curves (cumulative money in, cumulative proceeds, NAV, every quarter) and mean counts of the 100,000
vectorised paths and the 2,000 loop paths agree within 4.5 standard errors (different random streams, same
distributions). Peak memory of one vectorised run is traced separately (``tracemalloc``, untimed).
"""

from __future__ import annotations

import os
import tracemalloc
from typing import Any

import numpy as np

from harness import Case, print_table, time_cases, timing_records
from regiolens.fund.simulation import (
    EntryStage,
    PortfolioAssumptions,
    PortfolioPaths,
    simulate_portfolio,
    simulate_portfolio_loop,
)
from regiolens.metrics.stats import WORKERS

REPEAT = 5
PATHS, ANCHOR_PATHS, SCALING_PATHS = 100_000, 2_000, 500
SEED, ANCHOR_SEED = 20_261_128, 20_261_129
TARGET_S = 3.0
ASSUMPTIONS = PortfolioAssumptions(
    investable_capital=60_000_000,
    quarters=60,
    investment_quarters=20,
    entry=(EntryStage("seed", 0.7, 600_000, 0.15), EntryStage("series_a", 0.3, 1_500_000, 0.10)),
    companies=30,
    reserve_ratio=0.25,
    max_per_company=4_000_000,
)
"""€60m investable, 25 % reserve (€45m initial pool: 30 tickets always fit), 70 % seed (HTGF 2016: €600k for 15 %),
30 % Series A (€1.5m for 10 %, illustrative), at most €4m per company; default stage table (Carta graduation,
Monaco split/dilution/step-ups, Atas timing, Correlation multiples, aryashah exit timing)."""


def check_curves(ours: PortfolioPaths, anchor: PortfolioPaths) -> dict[str, float]:
    """Largest difference, in standard errors, between the two implementations' mean curves — cumulative money in,
    cumulative proceeds and NAV at every quarter — and their mean counts; raises if any reaches 4.5 (a Bonferroni
    bound for ~180 comparisons). Returns the largest |z| of each."""
    curves = {
        "cumulative invested": lambda r: np.cumsum(r.invested, axis=1),
        "cumulative proceeds": lambda r: np.cumsum(r.proceeds, axis=1),
        "nav": lambda r: r.nav,
        "companies financed": lambda r: r.companies_financed[:, None].astype(float),
        "follow-ons": lambda r: r.follow_ons[:, None].astype(float),
        "write-offs": lambda r: r.write_offs[:, None].astype(float),
        "exits": lambda r: r.exits[:, None].astype(float),
    }
    worst = {}
    for name, curve in curves.items():
        x, y = curve(ours), curve(anchor)
        se = np.sqrt(x.var(axis=0, ddof=1) / x.shape[0] + y.var(axis=0, ddof=1) / y.shape[0])
        diff = np.abs(x.mean(axis=0) - y.mean(axis=0))
        z = np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)
        worst[name] = round(float(z.max()), 2)
        if np.any(z >= 4.5) or np.any((se == 0) & (diff > 1e-9 * np.abs(x.mean(axis=0)))):
            raise AssertionError(f"{name}: vectorised and loop means differ by {z.max():.1f} standard errors")
    return worst


def peak_memory_mb() -> float:
    """Peak traced memory of one vectorised run of the full size (untimed; numpy reports its buffers)."""
    tracemalloc.start()
    try:
        simulate_portfolio(ASSUMPTIONS, paths=PATHS, seed=SEED)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(repeat: int | None = None) -> dict[str, Any]:
    n = ASSUMPTIONS.companies_per_path
    tag, small = f"{PATHS:,} paths", f"{ANCHOR_PATHS:,} paths"
    anchor = Case(
        f"{small} · per-path loop (simulate_portfolio_loop)",
        lambda: simulate_portfolio_loop(ASSUMPTIONS, paths=ANCHOR_PATHS, seed=ANCHOR_SEED),
        ANCHOR_PATHS * n,
    )
    scaling = Case(
        f"{SCALING_PATHS:,} paths · per-path loop (scaling check)",
        lambda: simulate_portfolio_loop(ASSUMPTIONS, paths=SCALING_PATHS, seed=ANCHOR_SEED),
        SCALING_PATHS * n,
    )
    same_size = Case(
        f"{small} · regiolens simulate_portfolio",
        lambda: simulate_portfolio(ASSUMPTIONS, paths=ANCHOR_PATHS, seed=SEED),
        ANCHOR_PATHS * n,
        anchor.name,
    )
    full = Case(
        f"{tag} · regiolens simulate_portfolio",
        lambda: simulate_portfolio(ASSUMPTIONS, paths=PATHS, seed=SEED),
        PATHS * n,
    )
    cases = [anchor, scaling, same_size, full]
    time_cases(cases, repeat or REPEAT)
    worst_z = check_curves(full.result, anchor.result)
    for case in cases:
        case.result = None
    peak = peak_memory_mb()

    per_path = {c.name: c.best / (c.rows / n) for c in (scaling, anchor)}
    cpu_per_path = {c.name: min(c.cpu_times) / (c.rows / n) for c in (scaling, anchor)}
    scaled_anchor = anchor.best * PATHS / ANCHOR_PATHS
    ratio = full.best / scaled_anchor
    cpu_ratio = min(full.cpu_times) / (min(anchor.cpu_times) * PATHS / ANCHOR_PATHS)
    print_table(f"fund: {tag} × {ASSUMPTIONS.quarters} quarters × {n} companies", cases)
    print(f"  loop scaled to {PATHS:,} paths: {scaled_anchor:.1f} s → regiolens {ratio:.4f} of it ({1 / ratio:.0f}×)")
    print(f"  in CPU time: regiolens {cpu_ratio:.4f} of the scaled loop ({1 / cpu_ratio:.0f}×)")
    print(f"  peak traced memory of one {PATHS:,}-path run: {peak:,.0f} MB; threads: {WORKERS}")
    output_mb = 3 * PATHS * ASSUMPTIONS.quarters * 8 / 2**20
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {
            "paths": PATHS,
            "quarters": ASSUMPTIONS.quarters,
            "companies_per_path": n,
            "investment_quarters": ASSUMPTIONS.investment_quarters,
            "investable_capital": ASSUMPTIONS.investable_capital,
            "reserve_ratio": ASSUMPTIONS.reserve_ratio,
            "max_per_company": ASSUMPTIONS.max_per_company,
            "entry": [vars(e) for e in ASSUMPTIONS.entry],
            "stage_table": ASSUMPTIONS.stages.name,
            "seed": SEED,
            "anchor_seed": ANCHOR_SEED,
            "rows": "company histories (paths × companies)",
            "check": "mean curves (cumulative invested, cumulative proceeds, NAV per quarter) and mean counts of "
            "the 100,000 vectorised and the 2,000 loop paths; largest |difference| in standard errors (limit 4.5)",
            "check_largest_z": worst_z,
        },
        "anchor_scaling": {
            "anchor_paths": ANCHOR_PATHS,
            "scaled_to_paths": PATHS,
            "rule": "loop best time × paths / anchor paths (its cost is per path)",
            "loop_seconds_per_path": {k: round(v, 6) for k, v in per_path.items()},
            "loop_cpu_seconds_per_path": {k: round(v, 6) for k, v in cpu_per_path.items()},
            "anchor_scaled_s": round(scaled_anchor, 2),
            "ratio_full_vs_scaled_anchor": round(ratio, 5),
            "speedup_full_vs_scaled_anchor": round(1 / ratio, 1),
            "cpu_ratio_full_vs_scaled_anchor": round(cpu_ratio, 5),
            "cpu_speedup_full_vs_scaled_anchor": round(1 / cpu_ratio, 1),
        },
        "memory": {
            "peak_traced_mb": round(peak, 1),
            "outputs_mb": round(output_mb, 1),
            "note": "tracemalloc peak of one full run: outputs (invested, proceeds, nav) plus the work arrays",
        },
        "threads": WORKERS,
        "cpu_count": os.cpu_count(),
        "timings": timing_records(cases),
        "targets": [
            {
                "what": f"{PATHS:,} paths × {ASSUMPTIONS.quarters} quarters × {n} companies on 2 cores",
                "target": f"< {TARGET_S:g} s",
                "measured": f"{full.best:.2f} s (CPU {min(full.cpu_times):.2f} s); {1 / ratio:.0f}× the loop scaled",
                "met": full.best < TARGET_S,
            },
            {
                "what": "peak memory of one full run",
                "target": "< 3 GB",
                "measured": f"{peak:,.0f} MB",
                "met": peak < 3 * 1024,
            },
        ],
    }
