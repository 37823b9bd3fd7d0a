"""Scale: the microdata pipeline on 10, 50 and 200 million establishment records, on DuckDB and on Spark local.

Each run is the whole reader as a user calls it (``aggregate_microdata(directory, engine=…, bad_rows="skip",
establishment_col=…)``: both queries, the code maps, the sorted observation frame, the directory's SHA-256; for
Spark also starting the JVM), timed around that call (``best_s``, ``rows_per_s``; ``process_wall_s`` adds the
interpreter, the imports and the result check), in a fresh subprocess so that its peak memory is its own. A
monitor polls the resident memory (RSS) of the whole process tree (Python, DuckDB's threads, Spark's JVM) and
its CPU time (``best_cpu_s``: the whole process) every 0.2 s, and the spill directory every second. DuckDB runs
with ``memory_limit=3GB``, so that the whole process (DuckDB, Python and the observation frame of ~3.6 million
cells) stays within a 4 GB budget; Spark with ``local[*]`` and ``spark.driver.memory=4g``, its other settings at
their defaults. Both engines' observations and reports must be equal (compared by hash) before anything is reported.

The data (``benchmarks/data/scale_*``, git-ignored, 0.1–1.6 GB each) are written once by DuckDB as Parquet
partitioned by year (``jahr=2010/…``): establishments present in each of 15 years (2010–2024) in one of 400 Kreise
(among them the real codes of the Wartburgkreis and of Göttingen, with records under the old codes 16056, 03152
and 03156 before their mergers) and one of the 615 WZ 2008 classes (skewed; 2 % written without dots),
heavy-tailed employee counts (0.1 % suppressed), 0.05 % exact duplicates and 0.01 % bad records. Deterministic
(hashes of the row number, no random state).

    .venv/bin/python benchmarks/run.py scale          # on request only: `make bench` leaves it out
    REGIOLENS_BENCH_SCALE_SIZES=1000000 .venv/bin/python benchmarks/run.py scale --no-save   # a quick look
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import psutil

from harness import ROOT

SIZES = tuple(int(s) for s in os.environ.get("REGIOLENS_BENCH_SCALE_SIZES", "10000000,50000000,200000000").split(","))
ENGINES = ("duckdb", "spark")
YEARS = tuple(range(2010, 2025))
SEED = 20_260_601
DATA = ROOT / "benchmarks" / "data"
MEMORY_TARGET_BYTES = 4 * 1000**3  # a 4 GB budget for the whole process tree (Python, DuckDB, the result frames)
DUCKDB_MEMORY_LIMIT = "3GB"  # DuckDB's buffer manager; Python and the observation frame (~1 GB at 3.6 M cells) on top
SPARK_DRIVER_MEMORY = "4g"
TIMEOUT_S = 3 * 3600
PROGRESS = DATA / "scale-progress.json"
RESUME = "REGIOLENS_BENCH_SCALE_RESUME"
OPTIONS: dict[str, Any] = {
    "region_col": "kreis",
    "industry_col": "wz",
    "year_col": "jahr",
    "employees_col": "beschaeftigte",
    "establishment_col": "betrieb_id",
    "region_level": "de:kreis",
    "classification": "wz2008",
    "as_of": "2024-12-31",
    "bad_rows": "skip",
}
NATIONAL_REGISTER = {"establishments": 3_500_000, "years": 15}
FIRM_LEVEL_ROWS = (500_000_000, 2_000_000_000)


def data_dir(rows: int) -> Path:
    return DATA / f"scale_{rows // 1_000_000}m_seed{SEED}_v1"


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` (+ 0.05 % duplicates) establishment records as year-partitioned Parquet (see the docstring)."""
    from regiolens.classifications import get_classification

    wz = get_classification("wz2008")
    classes = [i.code for i in wz if i.level == wz.level_index("class")]
    kreise = [f"{land:02d}{k:03d}" for land in range(1, 17) for k in range(1, 26)]
    kreise[:2] = ["16063", "03159"]  # real successors, written under old codes before the merger
    n_est = -(-rows // len(YEARS))
    tmp = path.with_name(path.name + ".tmp")
    with duckdb.connect(config={"memory_limit": "6GB", "preserve_insertion_order": False}) as con:
        con.execute(f"SET temp_directory = '{DATA / 'spill-generate'}'")
        u = "((hash({expr}) % 1000000007) / 1000000007.0)"  # deterministic uniform in [0, 1)
        body = f"""
            SELECT
                est AS betrieb_id,
                CASE
                    WHEN hash(i, 13) % 10000 = 0 THEN 'DEA36'  -- 0.01 % bad region codes
                    WHEN kreis = '16063' AND jahr < 2021 AND est % 3 = 0 THEN '16056'
                    WHEN kreis = '03159' AND jahr < 2017 THEN CASE WHEN est % 2 = 0 THEN '03152' ELSE '03156' END
                    ELSE kreis END AS kreis,
                CASE WHEN hash(i, 5) % 50 = 0 THEN replace(wz, '.', '') ELSE wz END AS wz,
                jahr,
                CASE WHEN hash(i, 7) % 1000 = 0 THEN NULL
                     ELSE least(50000, round(size * (0.85 + 0.3 * {u.format(expr="i, 3")})))::INTEGER END
                    AS beschaeftigte,
                i
            FROM (
                SELECT i, est, {YEARS[0]} + (i // {n_est}) AS jahr,
                       {kreise}[(1 + hash(est, 1) % {len(kreise)})::BIGINT] AS kreis,
                       {classes}[1 + floor({len(classes)} * pow({u.format(expr="est, 2")}, 2))::BIGINT] AS wz,
                       3.0 * pow(1.0 - {u.format(expr="est, 4")}, -1 / 1.05) AS size
                FROM (SELECT i, i % {n_est} + 1 AS est FROM range({rows}) t(i))
            )
        """
        query = f"""
            COPY (
                SELECT betrieb_id, kreis, wz, jahr, beschaeftigte FROM ({body}) records
                UNION ALL  -- 0.05 % exact duplicates
                SELECT betrieb_id, kreis, wz, jahr, beschaeftigte FROM ({body}) records WHERE hash(i, 11) % 2000 = 0
            ) TO '{tmp}' (FORMAT parquet, PARTITION_BY (jahr), OVERWRITE_OR_IGNORE, ROW_GROUP_SIZE 1000000)
        """
        con.execute(query)
    tmp.rename(path)


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # a spill file removed while we look
                total += os.stat(os.path.join(root, name)).st_size
    return total


def measure(engine: str, path: Path) -> dict[str, Any]:
    """One run in a subprocess: wall time, CPU time and peak RSS of its process tree, peak spill, its output."""
    spill = DATA / f"spill-{engine}"
    spill.mkdir(parents=True, exist_ok=True)
    log = DATA / f"scale-{engine}-{path.name}.log"
    cmd = [sys.executable, __file__, "--worker", engine, str(path), str(spill)]
    start = time.perf_counter()
    with log.open("w") as err:
        proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
        peak_rss, peak_spill, cpu, last_spill = 0, 0, {}, 0.0
        while proc.poll() is None:
            rss = 0
            for p in [proc, *proc.children(recursive=True)]:
                try:
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), t.user + t.system + t.children_user + t.children_system)
                except psutil.Error:
                    pass
            peak_rss = max(peak_rss, rss)
            if time.perf_counter() - last_spill > 1.0:
                peak_spill, last_spill = max(peak_spill, dir_bytes(spill)), time.perf_counter()
            if time.perf_counter() - start > TIMEOUT_S:
                proc.kill()
                raise RuntimeError(f"{engine} on {path.name} ran longer than {TIMEOUT_S} s")
            time.sleep(0.2)
        out = proc.stdout.read() if proc.stdout else ""
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} on {path.name} failed ({proc.returncode}); see {log}")
    result = json.loads(out.strip().splitlines()[-1])
    return {
        **result,
        "wall_s": wall,
        "cpu_s": sum(cpu.values()),
        "peak_rss_bytes": peak_rss,
        "peak_spill_bytes": peak_spill,
    }


def worker(engine: str, path: Path, spill: Path) -> None:
    """The measured job (run in the subprocess): prints one JSON line."""
    sys.path.insert(0, str(ROOT / "src"))
    from regiolens.ingest.microdata import aggregate_microdata

    settings: dict[str, Any] = {"engine": engine, "temp_directory": str(spill)}
    if engine == "duckdb":
        settings["memory_limit"] = DUCKDB_MEMORY_LIMIT
    else:
        settings |= {"spark_master": "local[*]", "spark_driver_memory": SPARK_DRIVER_MEMORY}
    start = time.perf_counter()
    result = aggregate_microdata(path, **OPTIONS, **settings)
    seconds = time.perf_counter() - start
    obs = result.parsed.observations
    digest = hashlib.sha256(pd.util.hash_pandas_object(obs, index=False).to_numpy().tobytes()).hexdigest()
    emp = obs[obs.measure == "employment"].value
    print(
        json.dumps(
            {
                "pipeline_s": seconds,
                "observations_sha256": digest,
                "report": result.report.to_dict(),
                "employment_total": float(np.nansum(emp)),
            }
        )
    )


def fit(points: list[tuple[int, float]]) -> dict[str, float]:
    """Least-squares line ``seconds = fixed_s + rows / rows_per_s`` through the measured points."""
    rows = np.array([p[0] for p in points], dtype=float)
    secs = np.array([p[1] for p in points], dtype=float)
    slope, intercept = np.polyfit(rows, secs, 1) if len(points) > 1 else (secs[0] / rows[0], 0.0)
    return {"fixed_s": round(float(intercept), 2), "marginal_rows_per_s": round(float(1 / slope))}


def run(repeat: int | None = None) -> dict[str, Any]:
    """One run per engine and size (``repeat`` is ignored: a 200 M run takes minutes)."""
    datasets = []
    for rows in SIZES:
        path = data_dir(rows)
        if not path.exists():
            print(f"generating {path.relative_to(ROOT)} (once, not timed) …", flush=True)
            start = time.perf_counter()
            generate(path, rows)
            print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
        with duckdb.connect() as con:
            count = con.execute(f"SELECT count(*) FROM read_parquet('{path}/**/*.parquet')").fetchone()
        datasets.append(
            {"dir": str(path.relative_to(ROOT)), "rows": int(count[0]) if count else 0, "bytes": dir_bytes(path)}
        )

    # engine by engine (DuckDB's figures first); every measurement is kept in PROGRESS at once, and with
    # REGIOLENS_BENCH_SCALE_RESUME=1 a measurement found there (same engine, rows and settings) is not repeated
    done = json.loads(PROGRESS.read_text()) if PROGRESS.exists() and os.environ.get(RESUME) == "1" else {}
    timings, runs = [], {}
    for engine in ENGINES:
        for dataset in datasets:
            rows = dataset["rows"]
            key = f"{engine}:{rows}:{DUCKDB_MEMORY_LIMIT if engine == 'duckdb' else SPARK_DRIVER_MEMORY}"
            print(f"  {engine} on {rows:,} rows …", flush=True)
            m = done.get(key) or measure(engine, ROOT / dataset["dir"])
            done[key] = runs[(engine, rows)] = m
            PROGRESS.write_text(json.dumps(done, indent=1))
            print(
                f"    {m['pipeline_s']:.1f} s ({m['wall_s']:.1f} s with the process),"
                f" {rows / m['pipeline_s'] / 1e6:.2f} M rows/s, CPU {m['cpu_s']:.0f} s,"
                f" peak RSS {m['peak_rss_bytes'] / 2**30:.2f} GiB, spill {m['peak_spill_bytes'] / 2**30:.2f} GiB",
                flush=True,
            )
            timings.append(
                {
                    "name": f"{engine} · {rows / 1e6:g} M rows",
                    "engine": engine,
                    "anchor": None,
                    "rows": rows,
                    "best_s": round(m["pipeline_s"], 2),
                    "median_s": round(m["pipeline_s"], 2),
                    "best_cpu_s": round(m["cpu_s"], 1),
                    "times_s": [round(m["pipeline_s"], 2)],
                    "process_wall_s": round(m["wall_s"], 2),
                    "cpu_s": [round(m["cpu_s"], 1)],
                    "first_run_s": None,
                    "rows_per_s": round(rows / m["pipeline_s"]),
                    "ratio_vs_anchor": None,
                    "peak_rss_bytes": m["peak_rss_bytes"],
                    "peak_spill_bytes": m["peak_spill_bytes"],
                    "cells": m["report"]["cells"],
                    "skipped": sum(m["report"]["bad_rows"].values()),
                    "duplicate_records": m["report"]["duplicate_records"],
                }
            )
    for dataset in datasets:
        duck, spark = runs[("duckdb", dataset["rows"])], runs[("spark", dataset["rows"])]
        if duck["observations_sha256"] != spark["observations_sha256"] or duck["report"] != spark["report"]:
            raise AssertionError(f"DuckDB and Spark differ on {dataset['dir']}: the benchmark is void")
        dataset["observations_sha256"] = duck["observations_sha256"]
        dataset["report"] = duck["report"]

    curves = {e: fit([(t["rows"], t["best_s"]) for t in timings if t["engine"] == e]) for e in ENGINES}
    national = NATIONAL_REGISTER["establishments"] * NATIONAL_REGISTER["years"]
    estimates = {
        e: {
            str(n): round(curves[e]["fixed_s"] + n / curves[e]["marginal_rows_per_s"], 1)
            for n in (national, *FIRM_LEVEL_ROWS)
        }
        for e in ENGINES
    }
    largest = max(SIZES)
    duck_largest = next(t for t in timings if t["engine"] == "duckdb" and t["rows"] >= largest)
    targets = [
        {
            "what": f"DuckDB on {duck_largest['rows']:,} rows with memory_limit={DUCKDB_MEMORY_LIMIT}: peak RSS of the"
            " process",
            "target": f"< {MEMORY_TARGET_BYTES / 1e9:g} GB",
            "measured": f"{duck_largest['peak_rss_bytes'] / 1e9:.2f} GB",
            "met": duck_largest["peak_rss_bytes"] < MEMORY_TARGET_BYTES,
        }
    ]
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {"sizes": datasets, "seed": SEED, "years": [YEARS[0], YEARS[-1]], "results_checked_equal": True},
        "settings": {
            "duckdb_memory_limit": DUCKDB_MEMORY_LIMIT,
            "spark_master": "local[*]",
            "spark_driver_memory": SPARK_DRIVER_MEMORY,
            "options": OPTIONS,
        },
        "curves": curves,
        "estimates_s": estimates,
        "timings": timings,
        "targets": targets,
    }


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--worker":
    worker(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
