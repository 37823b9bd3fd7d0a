"""Run the benchmarks and write their records to ``benchmarks/results/<name>.json``.

    .venv/bin/python benchmarks/run.py                   # all but scale (what `make bench` does)
    .venv/bin/python benchmarks/run.py scale             # 10/50/200 M records on DuckDB and Spark (minutes)
    .venv/bin/python benchmarks/run.py import            # by name: bench_<name>.py
    .venv/bin/python benchmarks/run.py aggregate --repeat 1
    .venv/bin/python -m cProfile -s tottime benchmarks/run.py import --repeat 1 --no-save | head -40
    .venv/bin/python benchmarks/run.py --table           # Markdown tables of the saved results, for README.md

Each module ``bench_<name>.py`` has ``run(repeat) -> dict`` and raises :class:`harness.Skipped` when it
cannot run here; a skipped benchmark keeps its previous record.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from harness import Skipped, machine

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ON_REQUEST = {"scale"}  # runs for minutes on GBs of generated data: only when named


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(available())})")
    parser.add_argument("--repeat", type=int, help="timed runs per case (default: each benchmark's own)")
    parser.add_argument("--no-save", action="store_true", help="print only; keep the saved records (e.g. profiling)")
    parser.add_argument("--table", action="store_true", help="print the saved results as Markdown, run nothing")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(available())}")

    if args.table:
        for name in args.names or available():
            path = RESULTS / f"{name}.json"
            if path.exists():
                print(markdown(json.loads(path.read_text(encoding="utf-8"))))
        return 0

    RESULTS.mkdir(exist_ok=True)
    for name in args.names or [n for n in available() if n not in ON_REQUEST]:
        module = importlib.import_module(f"bench_{name}")
        load_before = os.getloadavg()
        try:
            result = module.run(args.repeat)
        except Skipped as exc:
            print(f"\n{name}: SKIPPED — {exc}")
            continue
        record = {
            "benchmark": name,
            "machine": {**machine(), "load_average_before": load_before, "load_average_after": os.getloadavg()},
            **result,
        }
        for target in result.get("targets", []):
            verdict = "met" if target["met"] else "NOT MET"
            print(f"  target {target['what']}: {target['target']}, measured {target['measured']} → {verdict}")
        if not args.no_save:
            out = RESULTS / f"{name}.json"
            out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"  → {out.relative_to(HERE.parent)}")
    return 0


def markdown(record: dict[str, Any]) -> str:
    """One result record as a Markdown table plus its targets."""
    m = record["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_average_before"])
    lines = [
        f"**{record['benchmark']}** — {m['date']}, {m['cpu_count']} × {m['cpu']}, Python {m['python']}, "
        f"DuckDB {m['versions']['duckdb']}, pandas {m['versions']['pandas']}, commit {m['git_commit']}, "
        f"load average before {load}",
        "",
        "| case | best s | median s | best CPU s | rows/s | ratio vs anchor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    anchors = {t["anchor"] for t in record["timings"]}
    for t in record["timings"]:
        ratio = f"{t['ratio_vs_anchor']:.2f}" if t["ratio_vs_anchor"] is not None else "—"
        if t["name"] in anchors:
            ratio = "anchor"
        lines.append(
            f"| {t['name']} | {t['best_s']:.3f} | {t['median_s']:.3f} | {t['best_cpu_s']:.2f} | {t['rows_per_s']:,}"
            f" | {ratio} |"
        )
    lines.append("")
    for target in record.get("targets", []):
        verdict = "**met**" if target["met"] else "**not met**"
        lines.append(f"- Target for {target['what']}: {target['target']}; measured {target['measured']} — {verdict}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
