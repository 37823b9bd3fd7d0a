"""The County Business Patterns reader: small extracts written here, and the official extracts."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from regiolens.errors import InputError
from regiolens.ingest import detect, read_source
from regiolens.ingest.cbp import classification_for_year, sniff, year_from_name
from regiolens.ingest.validate import validate

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CBP = DATA / "us" / "cbp"
HEADER = "Fips,Naics,Establishments,Employees,Payroll\n"


def _write(tmp_path: Path, body: str, name: str = "US-XX-census-naics6-counties-2019.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _obs(parsed, fips: str, naics: str, measure: str):
    o = parsed.observations
    sel = o[(o.region_code == fips) & (o.industry_code == naics) & (o.measure == measure)]
    assert len(sel) == 1, sel
    return sel.iloc[0]


SMALL = (
    "01001,336111,4,250,12000\n"  # line 2: plain
    "01001,336112,3,0,0\n"  # line 3: withheld: employment and payroll suppressed
    "01003,336111,5,0,140\n"  # line 4: 0 employees but payroll published: employment suppressed only
    "1005,00,10,900,30000\n"  # line 5: leading zero lost; 00 = total
    "01005,31-33,2,40,1000\n"  # line 6: sector range
)


def test_values_flags_and_lines(tmp_path: Path) -> None:
    parsed = read_source(_write(tmp_path, SMALL), "cbp")
    assert len(parsed.observations) == 15
    row = _obs(parsed, "01001", "336111", "employment")
    assert (row.value, row.flag, row.line, row.year, row.region_level) == (250.0, "none", 2, 2019, "us:county")
    assert _obs(parsed, "01001", "336111", "establishments").value == 4.0
    assert _obs(parsed, "01001", "336111", "payroll_thousand_usd").value == 12000.0
    for measure in ("employment", "payroll_thousand_usd"):
        withheld = _obs(parsed, "01001", "336112", measure)
        assert math.isnan(withheld.value) and withheld.flag == "suppressed"
    assert _obs(parsed, "01001", "336112", "establishments").value == 3.0
    assert _obs(parsed, "01003", "336111", "employment").flag == "suppressed"
    assert _obs(parsed, "01003", "336111", "payroll_thousand_usd").value == 140.0
    total = _obs(parsed, "01005", "TOTAL", "employment")
    assert (total.value, total.line) == (900.0, 5)
    assert _obs(parsed, "01005", "31-33", "employment").value == 40.0
    assert set(parsed.observations.classification) == {"naics2017"}


def test_provenance_and_notes(tmp_path: Path) -> None:
    info = read_source(_write(tmp_path, SMALL), "cbp").info
    assert info.dataset_key == "cbp:01:2019"
    assert info.publisher == "U.S. Census Bureau, County Business Patterns"
    assert info.licence == "Public domain (U.S. government work)"
    assert info.attribution == (
        "Source: U.S. Census Bureau, County Business Patterns 2019; extract: ModelEarth/community-data"
    )
    notes = " | ".join(info.notes)
    assert "2 rows with establishments but 0 employees" in notes
    assert "payroll also suppressed in 1 of them" in notes
    assert "1 FIPS codes had lost their leading zero" in notes


def test_state_file_scope_and_padding(tmp_path: Path) -> None:
    parsed = read_source(_write(tmp_path, "1,113110,49,59,2279\n26,113110,3,10,200\n", "states-2016.csv"), "cbp")
    assert parsed.info.dataset_key == "cbp:us:2016"
    assert set(parsed.observations.region_code) == {"01", "26"}
    assert set(parsed.observations.region_level) == {"us:state"}
    assert set(parsed.observations.classification) == {"naics2012"}


def test_counties_of_several_states(tmp_path: Path) -> None:
    parsed = read_source(_write(tmp_path, "01001,113110,4,5,6\n26001,113110,4,5,6\n", "c-2022.csv"), "cbp")
    assert parsed.info.dataset_key == "cbp:us-counties:2022"
    assert set(parsed.observations.classification) == {"naics2022"}


def test_year_option_and_missing_year(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL, "extract.csv")
    with pytest.raises(InputError) as err:
        read_source(path, "cbp")
    assert err.value.field == "year"
    parsed = read_source(path, "cbp", year=2021, classification="naics2022")
    assert set(parsed.observations.year) == {2021}
    assert set(parsed.observations.classification) == {"naics2022"}
    assert parsed.info.dataset_key == "cbp:01:2021"


def test_missing_column_names_header_line(tmp_path: Path) -> None:
    path = tmp_path / "x-2019.csv"
    path.write_text("Fips,Naics,Establishments,Employees\n01001,336111,4,250\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_source(path, "cbp")
    assert (err.value.line, err.value.field) == (1, "Payroll")
    assert "x-2019.csv" in str(err.value)


def test_non_numeric_cell_names_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL + "01007,336111,4,1.5k,100\n")
    with pytest.raises(InputError) as err:
        read_source(path, "cbp")
    assert (err.value.line, err.value.field) == (7, "Employees")
    assert "1.5k" in err.value.message


@pytest.mark.parametrize(
    ("row", "field"),
    [("123,336111,4,5,6\n", "Fips"), ("01A01,336111,4,5,6\n", "Fips"), ("01001,33611X,4,5,6\n", "Naics")],
)
def test_bad_codes_name_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    with pytest.raises(InputError) as err:
        read_source(_write(tmp_path, SMALL + row), "cbp")
    assert (err.value.line, err.value.field) == (7, field)


def test_duplicate_row(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_write(tmp_path, SMALL + "01001,336111,1,1,1\n"), "cbp")
    assert err.value.line == 7


def test_helpers() -> None:
    assert year_from_name("US-census-naics6-2016.csv") == 2016
    assert year_from_name("cbp-api-26-2021.csv") == 2021
    assert year_from_name("counties.csv") is None
    assert [classification_for_year(y) for y in (2012, 2016, 2017, 2021, 2022)] == [
        "naics2012",
        "naics2012",
        "naics2017",
        "naics2017",
        "naics2022",
    ]
    assert sniff(Path("a.csv"), b"\xef\xbb\xbfFips,Naics,Establishments,Employees,Payroll\r\n01,1,2,3,4")
    assert not sniff(Path("a.csv"), b"Fips,Naics,Establishments,Employees\n")


# ---------------------------------------------------------------- the official extracts


def _official(name: str) -> Path:
    path = CBP / name
    if not path.is_file():
        pytest.skip(f"official data not found: {path}")
    return path


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.integration
def test_michigan_2021_total_employment() -> None:
    path = _official("US-MI-census-naics6-counties-2021.csv")
    assert detect(path).name == "cbp"
    parsed = read_source(path)
    emp = parsed.observations[parsed.observations.measure == "employment"]
    assert len(emp) == 11_418
    assert emp.value.sum() == 3_140_115  # "3.14 M employees" (data README)
    assert emp.value.sum() == sum(int(r["Employees"]) for r in _raw_rows(path))
    assert emp.region_code.nunique() == 83
    row = _obs(parsed, "26001", "113310", "employment")
    assert (row.value, row.line) == (55.0, 2)
    assert parsed.info.dataset_key == "cbp:26:2021"
    assert set(parsed.observations.classification) == {"naics2017"}
    validate(parsed)


@pytest.mark.integration
def test_michigan_2017_withheld_cells() -> None:
    parsed = read_source(_official("US-MI-census-naics6-counties-2017.csv"))
    obs = parsed.observations
    emp = obs[obs.measure == "employment"]
    pay = obs[obs.measure == "payroll_thousand_usd"]
    assert (emp.flag == "suppressed").sum() == 1_469
    assert (pay.flag == "suppressed").sum() == 1_451  # "1,451 rows with establishments but 0 employees and 0 payroll"
    assert emp[emp.flag == "suppressed"].value.isna().all()
    assert (obs[obs.measure == "establishments"].flag == "none").all()


@pytest.mark.integration
def test_national_2016_states_and_suppression() -> None:
    parsed = read_source(_official("US-census-naics6-2016.csv"))
    obs = parsed.observations
    emp = obs[obs.measure == "employment"]
    assert len(emp) == 43_362
    assert (emp.flag == "suppressed").sum() == 14_950  # "about 15,000 of 43,362 rows" (data README)
    assert set(emp.region_level) == {"us:state"}
    assert emp.region_code.nunique() == 50 and "56" not in set(emp.region_code)  # Wyoming missing
    assert parsed.info.dataset_key == "cbp:us:2016"
    assert set(obs.classification) == {"naics2012"}
    assert (emp.value == 0).sum() == 0  # withheld cells are gaps, never zeros
    validate(parsed)
