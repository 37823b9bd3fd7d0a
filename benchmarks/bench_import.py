"""Import of the six official GENESIS files (table 13111-07-05-4, 2015–2020) into a fresh warehouse.

regiolens: ``Warehouse.open(tmp).import_files(files)`` — parse, validate and store in one transaction.
Anchor: a plain pandas implementation of the same work for this one table layout (read_csv, melt to
long format, ``.``/``-`` symbols, a fresh DuckDB table). The parse step (``read_source``) and the
validate-and-store step (``import_parsed``) are timed alone as well, to show where the time goes.
Before anything is reported, the anchor's table is checked to hold the same observations.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from harness import ROOT, Case, Skipped, print_table, time_cases, timing_records
from regiolens.classifications.section_groups import code_for_label
from regiolens.ingest.base import read_source
from regiolens.model import ParsedSource
from regiolens.warehouse.store import Warehouse

REPEAT = 7
DATA = ROOT.parent / "shared" / "data" / "de" / "regionalstatistik_13111-07-05-4"
TARGET_S = 3.0
MEASURES = [
    "employment",
    "employment_male",
    "employment_female",
    "employment_foreign",
    "employment_foreign_male",
    "employment_foreign_female",
]
CITY_STATE_KREISE = ("02000", "11000")  # regiolens also stores Hamburg and Berlin as Kreise; the anchor does not
_STICHTAG = re.compile(r"Stichtag: \d\d\.\d\d\.(\d{4})")


def pandas_parse(path: Path) -> pd.DataFrame:
    """One GENESIS file as a long table, the way one would write it with pandas alone."""
    with path.open(encoding="iso-8859-1") as fh:
        head = list(itertools.islice(fh, 40))
    match = _STICHTAG.search("".join(head))
    assert match, f"{path}: no Stichtag"
    skip = max(i for i, line in enumerate(head) if line.startswith(";;")) + 1
    wide = pd.read_csv(
        path,
        sep=";",
        encoding="iso-8859-1",
        skiprows=skip,
        header=None,
        names=["region_code", "name", "industry", *MEASURES],
        dtype=str,
        keep_default_na=False,
    )
    wide = wide.iloc[: int(np.argmax(wide["region_code"].str.startswith("__________")))]
    wide = wide[(wide[MEASURES] != "-").any(axis=1).groupby(wide["region_code"]).transform("any")]  # obsolete
    long = wide.melt(id_vars=["region_code", "industry"], value_vars=MEASURES, var_name="measure", value_name="cell")
    labels = long["industry"].unique()
    long["industry_code"] = long["industry"].map(dict(zip(labels, map(code_for_label, labels), strict=True)))
    long["year"] = int(match.group(1))
    long["value"] = pd.to_numeric(long["cell"].replace({"-": "0", ".": None}), errors="raise").astype("float64")
    long["flag"] = np.where(long["cell"] == ".", "suppressed", "none")
    return long[["region_code", "industry_code", "year", "measure", "value", "flag"]]


def pandas_import(files: list[Path], db: Path) -> None:
    frame = pd.concat([pandas_parse(f) for f in files], ignore_index=True)
    con = duckdb.connect(str(db))
    con.register("frame", frame)
    con.execute("CREATE TABLE observations AS SELECT * FROM frame")
    con.close()


def regiolens_import(files: list[Path], db: Path) -> None:
    with Warehouse.open(db) as wh:
        wh.import_files(files)


def regiolens_store(parsed: list[ParsedSource], db: Path) -> None:
    with Warehouse.open(db) as wh:
        wh.import_parsed(parsed)


def _check_same(regiolens_db: Path, anchor_db: Path) -> int:
    """Both tables hold the same observations; returns their number."""
    columns = "region_code, industry_code, year::INTEGER AS year, measure, value, flag"
    with duckdb.connect(str(regiolens_db), read_only=True) as con:
        ours = con.execute(
            f"SELECT {columns} FROM observations WHERE region_code NOT IN {CITY_STATE_KREISE} ORDER BY ALL"
        ).df()
    with duckdb.connect(str(anchor_db), read_only=True) as con:
        theirs = con.execute(f"SELECT {columns} FROM observations ORDER BY ALL").df()
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False, check_exact=True)
    return len(ours)


def run(repeat: int | None = None) -> dict[str, Any]:
    files = sorted(DATA.glob("*.csv"))
    if len(files) != 6:
        raise Skipped(f"needs the six official GENESIS files in {DATA} (found {len(files)})")
    with tempfile.TemporaryDirectory(prefix="regiolens-bench-") as tmp:
        counter = itertools.count()

        def fresh() -> Path:
            return Path(tmp) / f"{next(counter)}.duckdb"

        parsed = [read_source(f) for f in files]
        rows = sum(len(p.observations) for p in parsed)
        lines = sum(len(f.read_bytes().splitlines()) for f in files)
        cases = [
            Case("pandas: read_csv + melt + DuckDB table", lambda: pandas_import(files, fresh()), rows),
            Case(
                "regiolens: Warehouse.open(tmp).import_files (full)",
                lambda: regiolens_import(files, fresh()),
                rows,
                anchor="pandas: read_csv + melt + DuckDB table",
            ),
            Case("pandas: read_csv + melt (parse only)", lambda: [pandas_parse(f) for f in files], rows),
            Case(
                "regiolens: read_source (parse only)",
                lambda: [read_source(f) for f in files],
                rows,
                anchor="pandas: read_csv + melt (parse only)",
            ),
            Case("regiolens: import_parsed (validate + store)", lambda: regiolens_store(parsed, fresh()), rows),
        ]
        time_cases(cases, repeat or REPEAT)

        ours, theirs = fresh(), fresh()
        regiolens_import(files, ours)
        pandas_import(files, theirs)
        checked = _check_same(ours, theirs)

    print_table(f"import: {len(files)} GENESIS files, {lines:,} lines, {rows:,} observations", cases)
    full = cases[1].best
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {
            "files": [f.name for f in files],
            "bytes": sum(f.stat().st_size for f in files),
            "lines": lines,
            "observations": rows,
            "observations_checked_equal": checked,
        },
        "timings": timing_records(cases),
        "targets": [
            {
                "what": "full import of the six official files",
                "target": f"< {TARGET_S:g} s",
                "measured": f"{full:.2f} s (best of {len(cases[1].times)})",
                "met": full < TARGET_S,
            }
        ],
    }
