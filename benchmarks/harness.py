"""Shared helpers of the benchmarks: side-by-side timing, machine description, result records.

Every benchmark times regiolens and its anchor (a plain implementation written in the benchmark) side
by side in one process, so that both see the same machine and libraries. It reports best-of-N and
median wall times (and CPU times), rows/s, and the ratio of each best wall time to its anchor's
(below 1 = faster), and only after it has checked that each case computed what its anchor did.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""

PACKAGES = ("regiolens", "duckdb", "ibis-framework", "pandas", "numpy", "pyarrow")


class Skipped(Exception):
    """A benchmark that cannot run here (e.g. its data are absent); the message says why."""


@dataclass
class Case:
    """One timed implementation; ``anchor`` names the case it is compared with (``None`` for anchors)."""

    name: str
    run: Callable[[], object]
    rows: int
    anchor: str | None = None
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)
    first: float | None = None  # the untimed first run
    result: Any = None  # what the last run returned, for checking results against the anchor's

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def time_cases(cases: list[Case], repeat: int) -> None:
    """Time every case: one untimed first run each, then ``repeat`` rounds with every case once (A, B, A, B …).

    Interleaving spreads the load of whatever else runs on the machine (a shared 2-core VM) over all
    cases alike, and best-of-N picks each case's least disturbed run. Wall and CPU time (all threads of
    the process) are both kept: CPU time barely changes with contention, so it tells a slow run from
    slow code. The first run pays imports and caches; it is reported, not ranked. ``case.result``
    keeps what the last run returned, for checking it against the anchor's.
    """
    for round_ in range(repeat + 1):
        for case in cases:
            case.result = None
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            case.result = case.run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if round_ == 0:
                case.first = wall
            else:
                case.times.append(wall)
                case.cpu_times.append(cpu)


def timing_records(cases: list[Case]) -> list[dict[str, Any]]:
    """JSON-ready records of timed cases, each with its ratio to its anchor's best time."""
    by_name = {c.name: c for c in cases}
    records = []
    for c in cases:
        anchor = by_name[c.anchor] if c.anchor else None
        records.append(
            {
                "name": c.name,
                "anchor": c.anchor,
                "rows": c.rows,
                "best_s": round(c.best, 4),
                "median_s": round(c.median, 4),
                "best_cpu_s": round(min(c.cpu_times), 4),
                "times_s": [round(t, 4) for t in c.times],
                "cpu_s": [round(t, 4) for t in c.cpu_times],
                "first_run_s": round(c.first, 4) if c.first is not None else None,
                "rows_per_s": round(c.rows / c.best),
                "ratio_vs_anchor": round(c.best / anchor.best, 3) if anchor else None,
            }
        )
    return records


def machine() -> dict[str, Any]:
    """Where and with what the numbers were measured."""
    versions: dict[str, str | None] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": versions,
        "git_commit": _git_commit(),
    }


def print_table(title: str, cases: list[Case]) -> None:
    """A short human-readable summary on stdout."""
    print(f"\n{title}")
    print(f"  {'case':<58} {'best s':>8} {'median s':>9} {'cpu s':>7} {'rows/s':>12} {'ratio':>7}")
    anchors = {c.anchor for c in cases}
    for r in timing_records(cases):
        ratio = "anchor" if r["name"] in anchors else "-"
        if r["ratio_vs_anchor"] is not None:
            ratio = f"{r['ratio_vs_anchor']:.2f}"
        print(
            f"  {r['name']:<58} {r['best_s']:>8.3f} {r['median_s']:>9.3f} {r['best_cpu_s']:>7.2f}"
            f" {r['rows_per_s']:>12,} {ratio:>7}"
        )


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _git_commit() -> str | None:
    """The checked-out commit, with ``+dirty`` when the working tree has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return None
    if not head.stdout.strip():
        return None
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")
