"""Establishment microdata on DuckDB: the Ibis aggregation, the reader on Parquet, CSV and directories, its errors,
its report (skip mode), code mapping and duplicates, and the engine settings (Spark: ``test_engines.py``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from regiolens.cli import app
from regiolens.config import engine_settings
from regiolens.errors import InputError, RegiolensError
from regiolens.ingest import read_source
from regiolens.ingest.engines import connect
from regiolens.ingest.microdata import aggregate_establishments, aggregate_microdata, sniff
from regiolens.ingest.validate import validate

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MICHIGAN_2021 = DATA / "us" / "cbp" / "US-MI-census-naics6-counties-2021.csv"

COLS = {"region_col": "kreis", "industry_col": "wz", "year_col": "jahr", "employees_col": "beschaeftigte"}
OPTIONS: dict[str, Any] = {**COLS, "region_level": "de:kreis", "classification": "wz2008"}

RECORDS = pd.DataFrame(
    {
        "betrieb": [1, 2, 3, 1, 4, 5, 6, 6],
        "kreis": ["05562", "05562", "05562", "05562", "05512", "05512", "05512", "05512"],
        "wz": ["29.10", "29.10", "62.01", "29.10", "29.10", "29.10", "29.10", "29.10"],
        "jahr": [2020, 2020, 2020, 2020, 2020, 2020, 2021, 2021],
        "beschaeftigte": [10, 5, 7, 3, 100, None, 40, 2],
    }
)
# expected per (kreis, wz, jahr): employment, employment flag, records, distinct establishments
EXPECTED = {
    ("05562", "29.10", 2020): (18.0, "none", 3, 2),
    ("05562", "62.01", 2020): (7.0, "none", 1, 1),
    ("05512", "29.10", 2020): (100.0, "partial", 2, 2),
    ("05512", "29.10", 2021): (42.0, "none", 2, 1),
}


def _parquet(tmp_path: Path, frame: pd.DataFrame, name: str = "betriebe.parquet") -> Path:
    path = tmp_path / name
    frame.to_parquet(path, index=False)
    return path


def _csv(tmp_path: Path, frame: pd.DataFrame, name: str = "betriebe.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _as_dict(obs: pd.DataFrame, measure: str) -> dict[tuple[str, str, int], tuple[float, str]]:
    sel = obs[obs.measure == measure]
    return {(r.region_code, r.industry_code, int(r.year)): (r.value, r.flag) for r in sel.itertuples()}


def test_expression_on_any_ibis_table() -> None:
    expr = aggregate_establishments(ibis.memtable(RECORDS), **COLS, establishment_col="betrieb")
    out = expr.to_pandas().set_index(["region_code", "industry_code", "year"]).sort_index()
    for key, (employment, _flag, records, distinct) in EXPECTED.items():
        row = out.loc[key]
        assert row.employment == employment
        assert row.records == records
        assert row.establishments == distinct
    assert out.loc[("05512", "29.10", 2020)].employees_missing == 1
    assert list(out.columns) == ["employment", "establishments", "employees_missing", "records", "duplicate_records"]
    assert (out.duplicate_records == 0).all()


@pytest.mark.parametrize("writer", [_parquet, _csv])
def test_reader_parquet_and_csv(tmp_path: Path, writer) -> None:
    parsed = read_source(writer(tmp_path, RECORDS), "microdata", **OPTIONS)
    obs = parsed.observations
    assert len(obs) == 8
    employment = _as_dict(obs, "employment")
    establishments = _as_dict(obs, "establishments")
    for key, (value, flag, records, _distinct) in EXPECTED.items():
        assert employment[key] == (value, flag)
        assert establishments[key] == (float(records), "none")
    assert set(obs.region_level) == {"de:kreis"}
    assert set(obs.classification) == {"wz2008"}
    assert set(obs.line) == {0}
    assert any("1 records without employee count" in n for n in parsed.info.notes)
    validate(parsed)


def test_distinct_establishment_ids(tmp_path: Path) -> None:
    obs = read_source(_parquet(tmp_path, RECORDS), "microdata", establishment_col="betrieb", **OPTIONS).observations
    establishments = _as_dict(obs, "establishments")
    for key, (*_, distinct) in EXPECTED.items():
        assert establishments[key] == (float(distinct), "none")


def test_all_counts_missing_is_unavailable(tmp_path: Path) -> None:
    frame = RECORDS.assign(beschaeftigte=[10, 5, 7, 3, None, None, 40, 2])
    obs = read_source(_parquet(tmp_path, frame), "microdata", **OPTIONS).observations
    value, flag = _as_dict(obs, "employment")[("05512", "29.10", 2020)]
    assert math.isnan(value) and flag == "unavailable"


def test_integer_region_codes_are_padded(tmp_path: Path) -> None:
    frame = RECORDS.assign(kreis=[int(k) for k in RECORDS.kreis])
    parsed = read_source(_parquet(tmp_path, frame), "microdata", **OPTIONS)
    assert set(parsed.observations.region_code) == {"05562", "05512"}
    assert any("zero-padded" in n for n in parsed.info.notes)


@pytest.mark.parametrize(("column", "record"), [("kreis", 4), ("wz", 2), ("jahr", 7)])
def test_null_key_names_the_record(tmp_path: Path, column: str, record: int) -> None:
    frame = RECORDS.astype({"jahr": "Int64"}).copy()
    frame.loc[record - 1, column] = None
    with pytest.raises(InputError) as err:
        read_source(_parquet(tmp_path, frame), "microdata", **OPTIONS)
    assert (err.value.line, err.value.field) == (record, column)
    with pytest.raises(InputError) as err:  # CSV: the line, header = line 1
        read_source(_csv(tmp_path, frame), "microdata", **OPTIONS)
    assert (err.value.line, err.value.field) == (record + 1, column)


def test_negative_count_and_bad_code_name_the_record(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_parquet(tmp_path, RECORDS.assign(beschaeftigte=[1, 2, 3, 4, 5, 6, -7, 8])), "microdata", **OPTIONS)
    assert (err.value.line, err.value.field) == (7, "beschaeftigte")
    frame = RECORDS.copy()
    frame.loc[5, "kreis"] = "DEA36"
    with pytest.raises(InputError) as err:
        read_source(_parquet(tmp_path, frame), "microdata", **OPTIONS)
    assert (err.value.line, err.value.field) == (6, "kreis")
    assert "DEA36" in err.value.message


def test_missing_column_and_option(tmp_path: Path) -> None:
    path = _parquet(tmp_path, RECORDS.drop(columns="wz"))
    with pytest.raises(InputError) as err:
        read_source(path, "microdata", **OPTIONS)
    assert err.value.field == "wz"
    assert "betriebe.parquet" in str(err.value)
    with pytest.raises(InputError) as err:
        read_source(path, "microdata", **{k: v for k, v in OPTIONS.items() if k != "classification"})
    assert err.value.field == "classification"


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError):
        read_source(path, "microdata", **OPTIONS)


def test_never_sniffed(tmp_path: Path) -> None:
    path = _parquet(tmp_path, RECORDS)
    assert not sniff(path, path.read_bytes()[:100])


def test_agrees_with_pandas_on_a_million_records(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 1_000_000
    kreise = np.array([f"{k:05d}" for k in rng.choice(np.arange(1001, 16077), 60, replace=False)])
    frame = pd.DataFrame(
        {
            "kreis": kreise[rng.integers(0, 60, n)],
            "wz": np.array([f"{i:02d}" for i in range(1, 100)])[rng.integers(0, 99, n)],
            "jahr": rng.integers(2018, 2021, n).astype(np.int16),
            "beschaeftigte": rng.geometric(0.1, n).astype(np.int32),
        }
    )
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "big.parquet")
    obs = read_source(tmp_path / "big.parquet", "microdata", **OPTIONS).observations
    expected = frame.groupby(["kreis", "wz", "jahr"]).beschaeftigte.agg(["sum", "size"])
    emp = obs[obs.measure == "employment"].set_index(["region_code", "industry_code", "year"]).sort_index()
    assert len(emp) == len(expected)
    assert np.array_equal(emp.value.to_numpy(), expected["sum"].to_numpy(dtype=float))
    est = obs[obs.measure == "establishments"].set_index(["region_code", "industry_code", "year"]).sort_index()
    assert np.array_equal(est.value.to_numpy(), expected["size"].to_numpy(dtype=float))


@pytest.mark.integration
def test_michigan_cbp_rows_as_records(tmp_path: Path) -> None:
    """The 2021 Michigan CBP extract read as establishment records: county × 3-digit NAICS sums."""
    if not MICHIGAN_2021.is_file():
        pytest.skip(f"official data not found: {MICHIGAN_2021}")
    raw = pd.read_csv(MICHIGAN_2021, dtype={"Fips": str, "Naics": str})
    records = raw.assign(naics3=raw.Naics.str[:3], year=2021)
    path = _parquet(tmp_path, records, "mi.parquet")
    obs = read_source(
        path,
        "microdata",
        region_col="Fips",
        industry_col="naics3",
        year_col="year",
        employees_col="Employees",
        region_level="us:county",
        classification="naics2017",
    ).observations
    emp = obs[obs.measure == "employment"]
    assert emp.value.sum() == 3_140_115
    wayne_autos = emp[(emp.region_code == "26163") & (emp.industry_code == "336")]
    assert wayne_autos.value.iloc[0] == raw[(raw.Fips == "26163") & raw.Naics.str.startswith("336")].Employees.sum()


@pytest.mark.parametrize(("column", "bad"), [("beschaeftigte", "viele"), ("jahr", "20x0")])
def test_unconvertible_cell_names_the_line(tmp_path: Path, column: str, bad: str) -> None:
    frame = RECORDS.astype(object)
    frame.loc[2, column] = bad
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, frame), "microdata", **OPTIONS)
    assert (err.value.line, err.value.field) == (4, column)


def test_text_columns_in_parquet(tmp_path: Path) -> None:
    frame = RECORDS.assign(beschaeftigte=[str(x) if x == x else None for x in RECORDS.beschaeftigte], jahr="2020")
    obs = read_source(_parquet(tmp_path, frame), "microdata", **OPTIONS).observations
    assert _as_dict(obs, "employment")[("05562", "29.10", 2020)] == (18.0, "none")
    with pytest.raises(InputError) as err:
        read_source(_parquet(tmp_path, frame.assign(beschaeftigte="-3")), "microdata", **OPTIONS)
    assert (err.value.line, err.value.field) == (1, "beschaeftigte")


def test_partitioned_directory_and_its_first_bad_record(tmp_path: Path) -> None:
    """A hive-partitioned directory reads like one file; a strict error names the file inside and its record."""
    root = tmp_path / "betriebe"
    frame = RECORDS.assign(beschaeftigte=RECORDS.beschaeftigte.astype("Int64"))
    pq.write_to_dataset(pa.Table.from_pandas(frame, preserve_index=False), root, partition_cols=["jahr"])
    (root / "_SUCCESS").write_text("not data")
    obs = read_source(root, "microdata", **OPTIONS).observations
    assert _as_dict(obs, "employment")[("05512", "29.10", 2021)] == (42.0, "none")
    bad = root / "jahr=2021" / "more.parquet"
    pd.DataFrame(
        {"betrieb": [9, 10], "kreis": ["05562", "DEA36"], "wz": ["29.10", "29.10"], "beschaeftigte": [1, 2]}
    ).to_parquet(bad, index=False)
    with pytest.raises(InputError) as err:
        read_source(root, "microdata", **OPTIONS)
    assert (err.value.path, err.value.line, err.value.field) == (str(bad), 2, "kreis")
    with pytest.raises(InputError, match="a directory"):
        read_source(root, "generic", **OPTIONS)


def test_skip_mode_reports_instead_of_raising(tmp_path: Path) -> None:
    frame = RECORDS.astype(object)
    frame.loc[2, "beschaeftigte"] = "viele"
    frame.loc[5, "kreis"] = "DEA36"
    result = aggregate_microdata(_csv(tmp_path, frame), bad_rows="skip", **OPTIONS)
    assert result.report.bad_rows["bad_employees"] == 1 and result.report.bad_rows["bad_region"] == 1
    assert result.report.skipped == 2 and result.report.records == 8
    assert ("05562", "62.01", 2020) not in _as_dict(result.parsed.observations, "employment")
    assert any("2 of 8 records skipped as bad: 1 bad_employees, 1 bad_region" in n for n in result.parsed.info.notes)


def test_spellings_old_codes_and_exact_duplicates(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "betrieb": [1, 1, 2, 3, 3],
            "kreis": ["16056", "16063", "5562", "05562", "05562"],
            "wz": ["29.10", "C29.10", "2910", "29.10", "29.10"],
            "jahr": [2020, 2020, 2020, 2020, 2020],
            "beschaeftigte": [7, 7, 4, 2, 3],
        }
    )
    result = aggregate_microdata(_parquet(tmp_path, frame), establishment_col="betrieb", as_of="2024-12-31", **OPTIONS)
    employment = _as_dict(result.parsed.observations, "employment")
    establishments = _as_dict(result.parsed.observations, "establishments")
    # Eisenach (16056) counts under the Wartburgkreis: the same record twice, once under the old code
    assert employment[("16063", "29.10", 2020)] == (7.0, "none")
    assert establishments[("16063", "29.10", 2020)] == (1.0, "none")
    # establishment 3 with two differing records: both summed, counted once
    assert employment[("05562", "29.10", 2020)] == (9.0, "none")
    assert establishments[("05562", "29.10", 2020)] == (2.0, "none")
    report = result.report
    assert (report.duplicate_records, report.old_region_code_records, report.padded_region_codes) == (1, 1, 1)
    assert report.respelled_industry_codes == 2
    before = aggregate_microdata(_parquet(tmp_path, frame), as_of="2021-06-30", **OPTIONS)
    assert ("16056", "29.10", 2020) in _as_dict(before.parsed.observations, "employment")  # not merged yet


def _messy_records(n: int, seed: int) -> pd.DataFrame:
    """Text records with codes written in several ways (white space, lost zeros, old codes, other spellings) and
    bad cells of every kind; every record is its own establishment.
    """
    rng = np.random.default_rng(seed)

    def drawn(values: list[str | None]) -> list[str | None]:
        return [values[i] for i in rng.integers(0, len(values), n)]

    return pd.DataFrame(
        {
            "betrieb": np.arange(1, n + 1),
            "kreis": drawn(["05562", "5562", " 05512", "05513\t", "16056", "16063", "1001 ", "DEA36", "", "  ", None]),
            "wz": drawn(["29.10", "2910", "C29.10", " 62.01 ", "62.01", "xx.99", "", None, "\t47.11", "1.11"]),
            "jahr": drawn(["2019", " 2020", "2024", "2025", "20x0", "199", "", None]),
            "beschaeftigte": drawn(["3", "0", "12.5", "1e3", " 7 ", "-3", "viele", "", None, "inf"]),
        }
    )


@pytest.mark.parametrize("classification", ["wz2008", "wz"])
@pytest.mark.parametrize("writer", [_parquet, _csv])
def test_codes_mapped_after_aggregating_agree_with_codes_mapped_before(
    tmp_path: Path, writer: Any, classification: str
) -> None:
    """Without establishment ids the records are aggregated by their codes as written and each distinct code is
    mapped once afterwards (one query); with ids the codes are mapped before aggregating. When every record is its
    own establishment, both give the same observations (sorted) and the same report."""
    path = writer(tmp_path, _messy_records(3_000, seed=11))
    options = {**OPTIONS, "classification": classification, "bad_rows": "skip", "as_of": "2025-12-31"}
    after = aggregate_microdata(path, **options)
    before = aggregate_microdata(path, establishment_col="betrieb", **options)
    pd.testing.assert_frame_equal(after.parsed.observations, before.parsed.observations, check_exact=True)
    expected = before.report.to_dict()
    assert expected["bad_rows"].pop("missing_establishment_id") == 0
    assert after.report.to_dict() == expected
    assert all(after.report.bad_rows.values())  # every kind occurs
    report = after.report
    assert report.old_region_code_records and report.padded_region_codes and report.respelled_industry_codes
    obs = after.parsed.observations
    assert set(obs.region_code) == {"05562", "05512", "05513", "16063", "01001"}  # stripped, padded, merged
    assert "16056" not in set(obs.region_code) and "C29.10" not in set(obs.industry_code)
    keys = list(zip(obs.measure, obs.classification, obs.region_code, obs.industry_code, obs.year, strict=True))
    assert keys[: len(keys) // 2] == sorted(keys[: len(keys) // 2])  # employment cells sorted by their keys


@pytest.mark.parametrize("years", [3, 3_000], ids=["few key combinations", "many key combinations"])
def test_cells_summed_and_sorted_across_spellings(tmp_path: Path, years: int) -> None:
    """Records written with different spellings of one cell's codes are summed into it, and the cells come out
    sorted, whether there are few combinations of the keys (summed by counting) or many (summed after sorting)."""
    rng = np.random.default_rng(5)
    n = 1_000
    canonical = pd.DataFrame(
        {
            "kreis": rng.choice(["05562", "05512", "03241", "09162", "16063", "01001"], n),
            "wz": rng.choice(["29.10", "62.01", "10.71", "47.11"], n),
            "jahr": rng.integers(2000, 2000 + years, n),
            "beschaeftigte": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 50, n)),
        }
    )
    written = canonical.assign(
        kreis=[k.lstrip("0") if i % 3 == 0 else k for i, k in enumerate(canonical.kreis)],
        wz=[w.replace(".", "") if i % 4 == 0 else f" {w}" for i, w in enumerate(canonical.wz)],
    )
    obs = aggregate_microdata(_parquet(tmp_path, written), as_of="2025-12-31", **OPTIONS).parsed.observations
    grouped = canonical.groupby(["kreis", "wz", "jahr"]).beschaeftigte
    expected = pd.DataFrame({"employment": grouped.sum(min_count=1), "establishments": grouped.size()})
    for measure in ("employment", "establishments"):
        part = obs[obs.measure == measure]
        assert list(zip(part.region_code, part.industry_code, part.year, strict=True)) == list(expected.index)
        np.testing.assert_array_equal(part.value.to_numpy(), expected[measure].to_numpy(dtype=float))


def test_wz_by_reporting_year(tmp_path: Path) -> None:
    frame = RECORDS.assign(jahr=[2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025])
    obs = aggregate_microdata(_parquet(tmp_path, frame), **{**OPTIONS, "classification": "wz"}).parsed.observations
    assert set(zip(obs.year, obs.classification, strict=True)) == {(2024, "wz2008"), (2025, "wz2025")}


def test_engine_settings_from_arguments_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REGIOLENS_ENGINE", "spark")
    monkeypatch.setenv("REGIOLENS_MEMORY_LIMIT", "3GB")
    monkeypatch.setenv("REGIOLENS_SPARK_CONF", "spark.sql.shuffle.partitions=8, spark.executor.memory=2g")
    settings = engine_settings(engine="duckdb", threads="1")
    assert (settings.engine, settings.memory_limit, settings.threads) == ("duckdb", "3GB", 1)
    assert settings.spark_conf == (("spark.sql.shuffle.partitions", "8"), ("spark.executor.memory", "2g"))
    assert engine_settings().engine == "spark"
    with pytest.raises(RegiolensError, match="unknown engine"):
        engine_settings(engine="polars")
    spill = tmp_path / "spill"
    with connect(engine_settings(engine="duckdb", memory_limit="512MB", threads=1, temp_directory=str(spill))) as con:
        limit, threads, temp = con.raw_sql(
            "SELECT current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')"
        ).fetchone()
    assert (limit, threads, temp) == ("488.2 MiB", 1, str(spill))


def test_cli_engine_only_for_microdata(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["data", "import", str(_csv(tmp_path, RECORDS)), "--engine", "duckdb", "-w", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 1
    assert "--source microdata" in result.output
    args = ["data", "import", str(_csv(tmp_path, RECORDS)), "--source", "microdata", "--engine", "duckdb"]
    args += ["-w", str(tmp_path / "w.duckdb"), *(f"-o{k}={v}" for k, v in OPTIONS.items())]
    ok = CliRunner().invoke(app, args)
    assert ok.exit_code == 0, ok.output
