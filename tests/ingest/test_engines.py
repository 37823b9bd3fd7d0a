"""The microdata pipeline on DuckDB and on PySpark: equal panels, equal bad-record reports, and both right.

The microdata are generated here (seeded): ~31,000 establishment records 2019–2025 with suppressed employee
counts, records of Eisenach under its old Kreis code 16056 (merged into the Wartburgkreis 16063 on 1 July 2021),
Kreis codes that lost their leading zero, WZ codes written ``2910``, ``C29.10`` or with blanks, WZ 2008 before
2025 and WZ 2025 from 2025 (``classification="wz"``), exact duplicates, records of one establishment that differ,
and bad records of every kind. The generator knows what it injected, so besides engine = engine the tests check
the cells against a plain pandas computation and the report against the injected counts. Both pipelines run on
both engines: with establishment ids (codes mapped in the engine, before duplicates are found) and without (one
query by the codes as written, mapped afterwards).

Spark runs in local mode with two cores and two shuffle partitions, one session for all tests (started once).
The tests need PySpark and Java 17 (``make test`` installs both); they fail when either is missing. Only
``REGIOLENS_SKIP_SPARK=1`` skips them, on purpose and visibly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from regiolens.cli import app
from regiolens.errors import InputError
from regiolens.ingest.microdata import KINDS, MicrodataResult, aggregate_microdata
from regiolens.regions.groups import BUILTIN_GROUPS
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse

pytestmark = [
    pytest.mark.spark,
    # PySpark 4.0's pandas conversion passes copy=False, which pandas 3 deprecates
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

SEED = 20_260_601
YEARS = tuple(range(2019, 2026))
AS_OF = date(2025, 12, 31)
# current Kreis codes (Emscher-Lippe, Region Hannover, Munich, Berlin, Wartburgkreis …)
KREISE = ("05562", "05512", "05513", "03241", "09162", "11000", "06412", "08111", "16063", "01001")
EISENACH_OLD, EISENACH_NEW = "16056", "16063"  # Stadt Eisenach → Wartburgkreis, effective 2021-07-01
WZ = ("29.10", "62.01", "10.71", "25.62", "28.22", "43.22", "47.11", "56.10", "86.10", "71.12", "46.90")
COLUMNS = {
    "region_col": "kreis",
    "industry_col": "wz",
    "year_col": "jahr",
    "employees_col": "beschaeftigte",
    "establishment_col": "betrieb",
}
OPTIONS: dict[str, Any] = {**COLUMNS, "region_level": "de:kreis", "classification": "wz", "as_of": AS_OF.isoformat()}


@dataclass(frozen=True)
class Generated:
    """Records as written to the files, and what the generator knows about them."""

    records: pd.DataFrame  # betrieb, kreis, wz, jahr, beschaeftigte as the files hold them
    truth: pd.DataFrame  # good records: region, industry, classification, year, employees, betrieb (canonical)
    bad: dict[str, int]  # injected bad records by kind
    without_ids: pd.DataFrame  # good records when no establishment ids are read: duplicates and id-less ones too
    duplicates: int


def generate(n_establishments: int = 4_500, seed: int = SEED) -> Generated:
    """Establishments present every year, plus injected duplicates, variants and bad records (see the docstring)."""
    rng = np.random.default_rng(seed)
    n = n_establishments * len(YEARS)
    est = np.tile(np.arange(1, n_establishments + 1), len(YEARS))
    year = np.repeat(np.array(YEARS), n_establishments)
    region = np.array(KREISE)[rng.integers(0, len(KREISE), n_establishments)][est - 1]
    industry = np.array(WZ)[rng.integers(0, len(WZ), n_establishments)][est - 1]
    employees = rng.geometric(0.08, n).astype(float)
    employees[rng.random(n) < 0.03] = np.nan  # suppressed counts
    truth = pd.DataFrame(
        {
            "betrieb": est,
            "region": region,
            "industry": industry,
            "classification": np.where(year >= 2025, "wz2025", "wz2008"),
            "year": year,
            "employees": employees,
        }
    )
    written_region = region.astype(object)
    eisenach = (region == EISENACH_NEW) & (est % 3 == 0) & (year < 2021)
    written_region[eisenach] = EISENACH_OLD  # reported under the old code before the merger
    unpadded = rng.random(n) < 0.04
    written_region[unpadded] = [c.lstrip("0") for c in written_region[unpadded]]
    # other spellings, but not of 62.01 and 56.10 in 2025: those are no WZ 2025 classes and stay as written
    variant = np.where((year >= 2025) & np.isin(industry, ("62.01", "56.10")), 1.0, rng.random(n))
    written_industry = industry.astype(object)
    undotted = variant < 0.15
    written_industry[undotted] = [c.replace(".", "") for c in industry[undotted]]
    lettered = (variant >= 0.15) & (variant < 0.22) & np.isin(industry, ("29.10", "25.62", "28.22", "10.71"))
    written_industry[lettered] = ["C" + c for c in industry[lettered]]
    padded_blanks = (variant >= 0.22) & (variant < 0.25)
    written_industry[padded_blanks] = [f" {c} " for c in industry[padded_blanks]]
    written = pd.DataFrame(
        {
            "betrieb": est.astype(object),
            "kreis": written_region,
            "wz": written_industry,
            "jahr": year.astype(str).astype(object),
            "beschaeftigte": [None if np.isnan(e) else str(int(e)) for e in employees],
        }
    )

    # one establishment and year with two differing records (two sites): both kept, counted once
    second_site = rng.choice(n, 150, replace=False)
    site = written.iloc[second_site].assign(beschaeftigte="1000")
    truth = pd.concat([truth, truth.iloc[second_site].assign(employees=1000.0)], ignore_index=True)
    # exact duplicates, some written with another spelling of the same codes
    dup = rng.choice(n, 300, replace=False)
    copies = written.iloc[dup].copy()
    respell = (np.arange(len(copies)) % 2 == 0) & (variant[dup] < 1.0)
    copies.loc[respell, "wz"] = [c.strip().replace(".", "").removeprefix("C") for c in copies.loc[respell, "wz"]]

    bad_rows: list[dict[str, Any]] = []
    bad: dict[str, int] = dict.fromkeys(KINDS, 0)
    without_id: list[np.ndarray] = []

    def inject(kind: str, count: int, **change: Any) -> None:
        picked = rng.choice(n, count, replace=False)
        bad_rows.extend({**row, **change} for row in written.iloc[picked].to_dict("records"))
        bad[kind] += count
        if kind == "missing_establishment_id":
            without_id.append(picked)

    inject("missing_region", 40, kreis=None)
    inject("missing_region", 10, kreis="  ", beschaeftigte="-5")  # blank region wins over the negative count
    inject("missing_industry", 30, wz=None)
    inject("missing_year", 25, jahr=None)
    inject("missing_establishment_id", 20, betrieb=None)
    inject("bad_year", 35, jahr="20x0")
    inject("bad_year", 5, jahr="199")
    inject("bad_employees", 30, beschaeftigte="viele")
    inject("bad_employees", 5, beschaeftigte="1,5")
    inject("negative_employees", 20, beschaeftigte="-3")
    inject("bad_region", 25, kreis="DEA36")
    inject("bad_region", 5, kreis="99999", jahr="2020")
    records = pd.concat([written, site, copies, pd.DataFrame(bad_rows)], ignore_index=True)
    records = records.iloc[rng.permutation(len(records))].reset_index(drop=True)
    without_ids = pd.concat([truth, truth.iloc[dup], *(truth.iloc[p] for p in without_id)], ignore_index=True)
    return Generated(records, truth, bad, without_ids, duplicates=len(copies))


def expected_cells(truth: pd.DataFrame, ids: bool = True) -> pd.DataFrame:
    """The cells computed with plain pandas from the good records: the reference both engines must meet.

    ``ids``: establishments are distinct ids; else records.
    """
    keys = ["classification", "region", "industry", "year"]
    grouped = truth.groupby(keys, dropna=False)
    cells = grouped.agg(
        employment=("employees", lambda s: s.sum(min_count=1)),
        establishments=("betrieb", "nunique" if ids else "size"),
        missing=("employees", lambda s: int(s.isna().sum())),
    ).reset_index()
    cells["flag"] = np.where(cells.employment.isna(), "unavailable", np.where(cells.missing > 0, "partial", "none"))
    return cells.sort_values(keys, ignore_index=True)


def write_csv(records: pd.DataFrame, path: Path) -> Path:
    records.to_csv(path, index=False)
    return path


def write_partitioned_parquet(records: pd.DataFrame, root: Path) -> Path:
    """Hive-partitioned by ``jahr`` (text in the directory names, bad and missing years included)."""
    table = pa.Table.from_pandas(records.astype({"betrieb": "Int64"}), preserve_index=False)
    pq.write_to_dataset(table, root, partition_cols=["jahr"], existing_data_behavior="delete_matching")
    (root / "_SUCCESS").write_text("")  # as Spark leaves it: not data
    return root


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session (2 cores, 2 shuffle partitions) for every test here; the pipeline reuses it."""
    if os.environ.get("REGIOLENS_SKIP_SPARK") == "1":
        pytest.skip("REGIOLENS_SKIP_SPARK=1: the Spark engine is not tested in this run")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("regiolens-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        # a JVM that lives for seconds: the C1 compiler alone and the serial collector halve its CPU time
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate()


@pytest.fixture(scope="module")
def files(generated: Generated, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("microdata")
    return {
        "csv": write_csv(generated.records, root / "betriebe.csv"),
        "parquet": write_partitioned_parquet(generated.records, root / "betriebe"),
    }


@pytest.fixture(scope="module")
def results(spark: Any, files: dict[str, Path]) -> dict[tuple[str, str], MicrodataResult]:
    """The pipeline on both engines over both files, in skip mode."""
    return {
        (fmt, engine): aggregate_microdata(path, engine=engine, bad_rows="skip", **OPTIONS)
        for fmt, path in files.items()
        for engine in ("duckdb", "spark")
    }


@pytest.fixture(scope="module")
def results_without_ids(spark: Any, files: dict[str, Path]) -> dict[tuple[str, str], MicrodataResult]:
    """The same without establishment ids: the one-query pipeline that maps the codes after aggregating."""
    options = {key: value for key, value in OPTIONS.items() if key != "establishment_col"}
    return {
        (fmt, engine): aggregate_microdata(path, engine=engine, bad_rows="skip", **options)
        for fmt, path in files.items()
        for engine in ("duckdb", "spark")
    }


@pytest.mark.parametrize("ids", [True, False], ids=["with ids", "without ids"])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_engines_deliver_equal_panels_and_reports(
    results: dict[tuple[str, str], MicrodataResult],
    results_without_ids: dict[tuple[str, str], MicrodataResult],
    fmt: str,
    ids: bool,
) -> None:
    both = results if ids else results_without_ids
    duck, spark = both[(fmt, "duckdb")], both[(fmt, "spark")]
    pd.testing.assert_frame_equal(duck.parsed.observations, spark.parsed.observations, check_exact=True)
    assert duck.report == spark.report
    assert duck.report.to_dict() == spark.report.to_dict()
    assert duck.parsed.info == spark.parsed.info  # notes and all: a re-import with the other engine changes nothing


def test_csv_and_partitioned_parquet_agree(results: dict[tuple[str, str], MicrodataResult]) -> None:
    csv, parquet = results[("csv", "duckdb")], results[("parquet", "duckdb")]
    pd.testing.assert_frame_equal(csv.parsed.observations, parquet.parsed.observations, check_exact=True)
    assert csv.report == parquet.report


def test_cells_match_pandas_on_the_good_records(
    results: dict[tuple[str, str], MicrodataResult], generated: Generated
) -> None:
    assert_cells(results[("parquet", "spark")].parsed.observations, expected_cells(generated.truth))


def test_without_ids_every_good_record_counts(
    results_without_ids: dict[tuple[str, str], MicrodataResult], generated: Generated
) -> None:
    """Without ids, exact duplicates and records without id are records like any other: counted, not merged."""
    result = results_without_ids[("csv", "spark")]
    assert_cells(result.parsed.observations, expected_cells(generated.without_ids, ids=False))
    report = result.report
    assert report.bad_rows == {k: n for k, n in generated.bad.items() if k != "missing_establishment_id"}
    assert report.duplicate_records == 0
    assert report.records == len(generated.records) == report.aggregated_records + report.skipped
    assert report.aggregated_records == len(generated.without_ids)
    assert report.old_region_code_records > 0 and report.padded_region_codes > 0
    assert report.respelled_industry_codes > 0
    assert report.unknown_industry_codes == ("56.10", "62.01")


def assert_cells(obs: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The observations are the expected cells: keys, employment with its flag, and establishments."""
    keys = ["classification", "region_code", "industry_code", "year"]
    employment = obs[obs.measure == "employment"].sort_values(keys, ignore_index=True)
    establishments = obs[obs.measure == "establishments"].sort_values(keys, ignore_index=True)
    assert list(employment.region_code) == list(expected.region)
    assert list(employment.industry_code) == list(expected.industry)
    assert list(employment.classification) == list(expected.classification)
    assert list(employment.year) == list(expected.year)
    np.testing.assert_array_equal(employment.value.to_numpy(), expected.employment.to_numpy())
    assert list(employment.flag) == list(expected.flag)
    np.testing.assert_array_equal(establishments.value.to_numpy(), expected.establishments.to_numpy(dtype=float))
    assert EISENACH_OLD not in set(obs.region_code)  # mapped to the Wartburgkreis before aggregating
    assert {"partial", "none"} <= set(employment.flag)


def test_report_counts_what_was_injected(results: dict[tuple[str, str], MicrodataResult], generated: Generated) -> None:
    report = results[("csv", "spark")].report
    assert report.bad_rows == generated.bad
    assert report.duplicate_records == generated.duplicates
    assert report.records == len(generated.records)
    assert report.aggregated_records == len(generated.truth)
    assert report.records == report.aggregated_records + report.duplicate_records + report.skipped
    assert report.old_region_code_records > 0 and report.padded_region_codes > 0
    assert report.respelled_industry_codes > 0
    assert report.unknown_industry_codes == ("56.10", "62.01")  # no WZ 2025 classes: kept as written
    assert report.employees_missing == int(generated.truth.employees.isna().sum())
    notes = " | ".join(results[("csv", "spark")].parsed.info.notes)
    assert f"{report.skipped} of {report.records} records skipped as bad" in notes
    assert "exact duplicate records" in notes


def test_strict_mode_names_the_same_first_bad_record_on_both_engines(spark: Any, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "betrieb": ["1", "2", "3", "4"],
            "kreis": ["05562", "05512", "05513", "05562"],
            "wz": ["29.10", "29.10", "29.10", "62.01"],
            "jahr": ["2020", "2020", "20x0", "2020"],
            "beschaeftigte": ["3", "viele", "4", "5"],
        }
    )
    path = write_csv(frame, tmp_path / "strict.csv")
    errors = []
    for engine in ("duckdb", "spark"):
        with pytest.raises(InputError) as err:
            aggregate_microdata(path, engine=engine, **OPTIONS)
        errors.append(err.value)
    assert str(errors[0]) == str(errors[1])
    assert (errors[0].line, errors[0].field) == (3, "beschaeftigte")
    assert "2 bad records in all: 1 bad_year, 1 bad_employees" in errors[0].message


def test_panels_the_metrics_read_are_equal(
    results: dict[tuple[str, str], MicrodataResult], generated: Generated, tmp_path: Path
) -> None:
    """Imported into a warehouse each, the panels (with a region group summed from its members) are equal."""
    panels = []
    for engine in ("duckdb", "spark"):
        with Warehouse.open(tmp_path / f"{engine}.duckdb") as wh:
            wh.import_parsed([results[("parquet", engine)].parsed])
            panels.append(
                query_panel(
                    wh.ibis,
                    measure="employment",
                    years=[2019, 2020, 2021, 2022, 2023, 2024],
                    region_level="de:kreis",
                    classification="wz2008",
                    groups=[BUILTIN_GROUPS["emscher-lippe"]],
                )
            )
    duck, spark = panels
    assert duck.regions == spark.regions and duck.industries == spark.industries
    np.testing.assert_array_equal(duck.values, spark.values)
    np.testing.assert_array_equal(duck.flags, spark.flags)
    members = [duck.regions.index(c) for c in BUILTIN_GROUPS["emscher-lippe"].members]
    group = duck.regions.index("emscher-lippe")
    np.testing.assert_array_equal(
        np.nansum(duck.values[:, members, :], axis=1), np.nan_to_num(duck.values[:, group, :])
    )


def test_cli_import_with_engine_spark(spark: Any, files: dict[str, Path], results: Any, tmp_path: Path) -> None:
    warehouse = tmp_path / "cli.duckdb"
    args = ["data", "import", str(files["parquet"]), "--source", "microdata", "--engine", "spark", "-w", str(warehouse)]
    args += [f"-o{key}={value}" for key, value in {**OPTIONS, "bad_rows": "skip"}.items()]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "skipped as bad" in result.output
    with Warehouse.open(warehouse, read_only=True) as wh:
        stored = wh.con.execute("SELECT count(*) FROM observations").fetchone()
    assert stored == (len(results[("parquet", "duckdb")].parsed.observations),)
    refused = CliRunner().invoke(app, ["data", "import", str(files["csv"]), "--engine", "spark", "-w", str(warehouse)])
    assert refused.exit_code == 1
    assert "--source microdata" in refused.output
