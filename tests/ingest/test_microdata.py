"""Establishment microdata: the Ibis aggregation, the reader on Parquet and CSV, and its errors."""

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

from regiolens.errors import InputError
from regiolens.ingest import read_source
from regiolens.ingest.microdata import aggregate_establishments, sniff
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
    assert list(out.columns) == ["employment", "establishments", "employees_missing", "records"]


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
