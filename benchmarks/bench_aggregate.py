"""Aggregation of 20 million synthetic establishment records to region × industry × year.

regiolens: ``aggregate_establishments`` (one Ibis expression) on DuckDB over the Parquet file, and the
whole ``microdata`` reader (``read_source(path, source="microdata", …)``: aggregation, checks, long
observations, file hash). Anchor: plain pandas, ``pd.read_parquet`` + ``groupby(...).agg``. For
orientation, the same group-by as hand-written DuckDB SQL and a bare DuckDB scan of the file.
Every implementation's result must equal the anchor's before anything is reported.

The data (``benchmarks/data/``, git-ignored) are generated once, seeded, outside the timing: ~400
five-digit region codes and ~600 WZ class codes drawn with skewed weights, each establishment
present in every year 2015–2020 with a heavy-tailed (Lomax/Pareto) number of employees.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from harness import ROOT, Case, print_table, time_cases, timing_records
from regiolens.ingest.base import read_source
from regiolens.ingest.microdata import aggregate_establishments

REPEAT = 5
ROWS = 20_000_000
SEED = 20_240_601
YEARS = tuple(range(2015, 2021))
DATA = ROOT / "benchmarks" / "data" / f"establishments_{ROWS // 1_000_000}m_seed{SEED}_v1.parquet"
TARGET_ROWS_PER_S = 10_000_000
COLUMNS = {"region_col": "kreis", "industry_col": "wz", "year_col": "jahr", "employees_col": "beschaeftigte"}
KEYS = ["region_code", "industry_code", "year"]


def generate(path: Path, rows: int = ROWS, seed: int = SEED) -> None:
    """Write the synthetic establishment file (deterministic for a given ``rows`` and ``seed``)."""
    rng = np.random.default_rng(seed)
    regions = pa.array([f"{land:02d}{k:03d}" for land in range(1, 17) for k in range(1, 26)])  # 400
    industries = pa.array([f"{div:02d}.{cls:02d}" for div in range(1, 100) for cls in range(10, 70, 10)][:600])

    def skewed(n: int, size: int, exponent: float) -> np.ndarray:  # Zipf-like weights in random order
        weights = 1.0 / np.arange(1, n + 1) ** exponent
        return rng.permutation(n)[rng.choice(n, size=size, p=weights / weights.sum())].astype(np.int32)

    n_est = -(-rows // len(YEARS))
    region = skewed(len(regions), n_est, 0.8)
    industry = skewed(len(industries), n_est, 1.0)
    size = rng.pareto(1.05, n_est) * 3.0
    est = np.tile(np.arange(n_est, dtype=np.int64), len(YEARS))[:rows]  # one record per establishment and year
    employees = np.minimum(np.rint(size[est] * rng.lognormal(0.0, 0.15, rows)), 50_000).astype(np.int32)
    table = pa.table(
        {
            "betrieb_id": est + 1,
            "kreis": regions.take(pa.array(region[est])),
            "wz": industries.take(pa.array(industry[est])),
            "jahr": np.repeat(np.array(YEARS, dtype=np.int16), n_est)[:rows],
            "beschaeftigte": employees,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, row_group_size=1_000_000)
    tmp.rename(path)


def pandas_aggregate(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path, columns=["kreis", "wz", "jahr", "beschaeftigte"])
    return frame.groupby(["kreis", "wz", "jahr"], as_index=False).agg(
        employment=("beschaeftigte", "sum"), establishments=("beschaeftigte", "size")
    )


def regiolens_aggregate(path: Path) -> pd.DataFrame:
    con = ibis.duckdb.connect()
    try:
        return aggregate_establishments(con.read_parquet(path), **COLUMNS).to_pyarrow().to_pandas()
    finally:
        con.disconnect()


def regiolens_reader(path: Path) -> pd.DataFrame:
    options = {**COLUMNS, "region_level": "de:kreis", "classification": "wz2008"}
    return read_source(path, source="microdata", **options).observations


def duckdb_sql(path: Path) -> pd.DataFrame:
    with duckdb.connect() as con:
        query = (
            "SELECT kreis, wz, jahr, sum(beschaeftigte::DOUBLE) AS employment, count(*) AS establishments"
            " FROM read_parquet(?) GROUP BY ALL"
        )
        return con.sql(query, params=[str(path)]).to_arrow_table().to_pandas()


def duckdb_scan(path: Path) -> object:
    with duckdb.connect() as con:
        query = "SELECT max(kreis), max(wz), max(jahr), sum(beschaeftigte) FROM read_parquet(?)"
        return con.sql(query, params=[str(path)]).fetchall()


def duckdb_threads() -> int | None:
    with duckdb.connect() as con:
        row = con.execute("SELECT current_setting('threads')").fetchone()
    return int(row[0]) if row else None


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Aggregates in one comparable form: keys, employment and establishments, sorted."""
    if "measure" in frame:  # long observations of the reader
        assert (frame["flag"] == "none").all(), "unexpected flags"
        frame = frame.pivot_table(index=KEYS, columns="measure", values="value", aggfunc="first").reset_index()
    frame = frame.rename(columns={"kreis": "region_code", "wz": "industry_code", "jahr": "year"})
    out = pd.DataFrame(
        {
            "region_code": frame["region_code"].astype(str),
            "industry_code": frame["industry_code"].astype(str),
            "year": frame["year"].astype("int64"),
            "employment": frame["employment"].astype("float64"),
            "establishments": frame["establishments"].astype("int64"),
        }
    )
    return out.sort_values(KEYS, ignore_index=True)


def run(repeat: int | None = None) -> dict[str, Any]:
    if not DATA.exists():
        print(f"generating {DATA.relative_to(ROOT)} (once, not timed) …", flush=True)
        start = time.perf_counter()
        generate(DATA)
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    rows = pq.ParquetFile(DATA).metadata.num_rows
    anchor = "pandas: read_parquet + groupby.agg"
    cases = [
        Case(anchor, lambda: pandas_aggregate(DATA), rows),
        Case("regiolens: aggregate_establishments (Ibis on DuckDB)", lambda: regiolens_aggregate(DATA), rows, anchor),
        Case("regiolens: read_source(source='microdata') end to end", lambda: regiolens_reader(DATA), rows, anchor),
        Case("reference: hand-written DuckDB SQL group-by", lambda: duckdb_sql(DATA), rows, anchor),
        Case("reference: DuckDB scan of the file only", lambda: duckdb_scan(DATA), rows),
    ]
    time_cases(cases, repeat or REPEAT)

    expected = canonical(cases[0].result)
    for case in cases[1:4]:  # a benchmark whose results differ is void
        pd.testing.assert_frame_equal(canonical(case.result), expected, check_exact=True, obj=case.name)
        case.result = None

    print_table(f"aggregate: {rows:,} establishment records → {len(expected):,} region × industry × year cells", cases)
    records = timing_records(cases)
    targets = [
        {
            "what": case.name,
            "target": f"≥ {TARGET_ROWS_PER_S / 1e6:g} million rows/s",
            "measured": f"{rows / case.best / 1e6:.1f} million rows/s (best of {len(case.times)})",
            "met": rows / case.best >= TARGET_ROWS_PER_S,
        }
        for case in cases[1:3]
    ]
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {
            "file": str(DATA.relative_to(ROOT)),
            "bytes": DATA.stat().st_size,
            "rows": rows,
            "seed": SEED,
            "cells": len(expected),
            "employees_total": float(expected["employment"].sum()),
            "results_checked_equal": [c.name for c in cases[1:4]],
        },
        "duckdb_threads": duckdb_threads(),
        "timings": records,
        "targets": targets,
    }
