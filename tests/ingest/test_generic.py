"""The generic long-table reader: CSV and XLSX written here, and the official districts table."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from regiolens.errors import InputError
from regiolens.ingest import read_source
from regiolens.ingest.generic import check_region_codes, sniff
from regiolens.ingest.validate import validate
from regiolens.model import RegionLevel

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DISTRICTS = DATA / "de" / "population_area_2018" / "districts.csv"

KREIS = {
    "region_col": "Kreis",
    "industry_col": "WZ",
    "year_col": "Jahr",
    "value_col": "Beschäftigte",
    "measure": "employment",
    "region_level": "de:kreis",
    "classification": "wz2008",
}


def _csv(tmp_path: Path, text: str, name: str = "table.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _row(obs, code: str, industry: str = "TOTAL", measure: str | None = None):
    sel = obs[(obs.region_code == code) & (obs.industry_code == industry)]
    if measure:
        sel = sel[sel.measure == measure]
    assert len(sel) == 1, sel
    return sel.iloc[0]


GERMAN = (
    "\ufeffKreis;WZ;Jahr;Beschäftigte;Hinweis\n"  # line 1, with a byte-order mark
    "05562;C;2020;42.117;\n"  # 2: thousands dot
    "5512;C;2020;.;\n"  # 3: leading zero lost; "." suppressed
    "\n"  # 4: blank
    "05513;C;2020;1.234,5;p\n"  # 5: decimal comma, provisional by flag column
    "05513;Insgesamt;2020;-;\n"  # 6: "-" is exactly zero; Insgesamt = TOTAL
    "05562;TOTAL;2020;;c\n"  # 7: empty, suppressed by flag column
    "05512;TOTAL;2020;17p;\n"  # 8: provisional suffix
)


def test_german_csv_with_symbols_and_flags(tmp_path: Path) -> None:
    parsed = read_source(_csv(tmp_path, GERMAN), "generic", flag_col="Hinweis", **KREIS)
    obs = parsed.observations
    assert len(obs) == 6
    assert list(obs.line) == [2, 3, 5, 6, 7, 8]
    row = _row(obs, "05562", "C")
    assert (row.value, row.flag, row.year, row.region_level, row.classification) == (
        42117.0,
        "none",
        2020,
        "de:kreis",
        "wz2008",
    )
    suppressed = _row(obs, "05512", "C")
    assert math.isnan(suppressed.value) and suppressed.flag == "suppressed"
    assert (_row(obs, "05513", "C").value, _row(obs, "05513", "C").flag) == (1234.5, "provisional")
    assert (_row(obs, "05513").value, _row(obs, "05513").flag) == (0.0, "none")
    flagged = _row(obs, "05562")
    assert math.isnan(flagged.value) and flagged.flag == "suppressed"
    assert (_row(obs, "05512").value, _row(obs, "05512").flag) == (17.0, "provisional")
    assert parsed.info.dataset_key == "generic:table"
    assert "decimal mark ','" in parsed.info.notes
    assert any("1 region codes had lost their leading zero" in n for n in parsed.info.notes)
    validate(parsed)


def test_english_csv_detected(tmp_path: Path) -> None:
    text = 'region,year,value\nDEA36,2018,"1,234.5"\nDEA37,2018,0.25\nDEA38,2018,7\n'
    parsed = read_source(
        _csv(tmp_path, text),
        "generic",
        region_col="region",
        year_col="year",
        value_col="value",
        measure="gva",
        region_level="nuts3",
    )
    obs = parsed.observations
    assert list(obs.value) == [1234.5, 0.25, 7.0]
    assert set(obs.industry_code) == {"TOTAL"}
    assert set(obs.classification) == {"total"}
    assert "decimal mark '.'" in parsed.info.notes


@pytest.mark.parametrize(
    ("delimiter", "decimal", "expected"),
    [(";", None, 1234.0), (",", None, 1.234), (";", ".", 1.234), (",", ",", 1234.0)],
)
def test_ambiguous_numbers_follow_the_delimiter_or_option(
    tmp_path: Path, delimiter: str, decimal: str | None, expected: float
) -> None:
    text = f"Kreis{delimiter}Jahr{delimiter}Wert\n05562{delimiter}2020{delimiter}1.234\n"
    options: dict[str, Any] = {"decimal": decimal} if decimal else {}
    obs = read_source(
        _csv(tmp_path, text),
        "generic",
        region_col="Kreis",
        year_col="Jahr",
        value_col="Wert",
        measure="employment",
        region_level="de:kreis",
        **options,
    ).observations
    assert obs.value.iloc[0] == expected


def test_mixed_number_formats_are_an_error(tmp_path: Path) -> None:
    text = "Kreis;Jahr;Wert\n05562;2020;1,5\n05512;2020;2,5\n05513;2020;3.25\n"
    with pytest.raises(InputError) as err:
        read_source(
            _csv(tmp_path, text),
            "generic",
            region_col="Kreis",
            year_col="Jahr",
            value_col="Wert",
            measure="m",
            region_level="de:kreis",
        )
    assert (err.value.line, err.value.field) == (4, "Wert")


def test_missing_column_names_header_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, GERMAN), "generic", **{**KREIS, "value_col": "Beschaeftigte"})
    assert (err.value.line, err.value.field) == (1, "Beschaeftigte")
    assert "table.csv" in str(err.value)


def test_non_numeric_cell_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, GERMAN + "05513;F;2020;12a;\n"), "generic", **KREIS)
    assert (err.value.line, err.value.field) == (9, "Beschäftigte")
    assert "12a" in err.value.message


@pytest.mark.parametrize("code", ["DEA36", "123", "17001", "0556 2"])
def test_bad_region_code_names_line_and_column(tmp_path: Path, code: str) -> None:
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, GERMAN + f"{code};F;2020;12;\n"), "generic", **KREIS)
    assert (err.value.line, err.value.field) == (9, "Kreis")


def test_bad_year_and_unknown_flag(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, GERMAN + "05513;F;20x0;12;\n"), "generic", **KREIS)
    assert (err.value.line, err.value.field) == (9, "Jahr")
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, GERMAN + "05513;F;2020;12;zz\n"), "generic", flag_col="Hinweis", **KREIS)
    assert (err.value.line, err.value.field) == (9, "Hinweis")


def test_duplicate_rows_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_csv(tmp_path, GERMAN + "05562;C;2020;5;\n"), "generic", **KREIS)
    assert err.value.line == 9
    assert "not mapped" in err.value.message


def test_missing_options(tmp_path: Path) -> None:
    path = _csv(tmp_path, GERMAN)
    with pytest.raises(InputError) as err:
        read_source(path, "generic", **{k: v for k, v in KREIS.items() if k != "region_level"})
    assert err.value.field == "region_level"
    with pytest.raises(InputError) as err:
        read_source(path, "generic", **{**KREIS, "year": 2020})
    assert err.value.field == "year_col"
    with pytest.raises(InputError) as err:
        read_source(path, "generic", **{**KREIS, "region_level": "kreis"})
    assert err.value.field == "region_level"


def test_measure_column_year_option_latin1_and_names(tmp_path: Path) -> None:
    text = "AGS;Name;Merkmal;Wert\n03159;Göttingen;employment;100\n03159;Göttingen;establishments;7\n"
    parsed = read_source(
        _csv(tmp_path, text, encoding="iso-8859-1"),
        "generic",
        region_col="AGS",
        region_name_col="Name",
        measure_col="Merkmal",
        year=2019,
        value_col="Wert",
        region_level="de:kreis",
        encoding="iso-8859-1",
        dataset_key="ba:test:2019",
        publisher="Bundesagentur für Arbeit",
    )
    obs = parsed.observations
    assert _row(obs, "03159", measure="establishments").value == 7.0
    assert set(obs.year) == {2019}
    assert parsed.regions.iloc[0]["name"] == "Göttingen"
    assert (parsed.info.dataset_key, parsed.info.publisher) == ("ba:test:2019", "Bundesagentur für Arbeit")
    with pytest.raises(InputError) as err:  # the same bytes are not UTF-8
        read_source(tmp_path / "table.csv", "generic", region_col="AGS", measure_col="Merkmal", year=2019)
    assert err.value.field == "value_col"


def _xlsx(path: Path, rows: list[list[Any]], title_rows: int = 0) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    wb.create_sheet("Notes").append(["nothing here"])
    for i in range(title_rows):
        ws.append([f"Title line {i + 1}"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_numbers_codes_and_symbols(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Kreis", "WZ", "Jahr", "Beschäftigte"],
        [5562, "C", 2020, 42117],  # integer AGS lost its leading zero
        ["05512", "C", 2020, "."],
        ["05513", "C", 2020.0, 1234.5],  # a float from a formula
        ["05513", "J", 2020, "1.234,5"],  # text cell, German
    ]
    path = _xlsx(tmp_path / "bea.xlsx", rows, title_rows=2)
    obs = read_source(path, "generic", sheet="Daten", header_line=3, **KREIS).observations
    assert list(obs.line) == [4, 5, 6, 7]
    assert (_row(obs, "05562", "C").value, _row(obs, "05562", "C").flag) == (42117.0, "none")
    assert _row(obs, "05512", "C").flag == "suppressed"
    assert _row(obs, "05513", "C").value == 1234.5
    assert _row(obs, "05513", "J").value == 1234.5
    assert set(obs.year) == {2020}


def test_xlsx_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Kreis", "WZ", "Jahr", "Beschäftigte"], ["05562", "C", 2020, "viele"]]
    path = _xlsx(tmp_path / "bad.xlsx", rows, title_rows=1)
    with pytest.raises(InputError) as err:
        read_source(path, "generic", header_line=2, **KREIS)
    assert (err.value.line, err.value.field) == (3, "Beschäftigte")
    with pytest.raises(InputError) as err:
        read_source(path, "generic", header_line=1, **KREIS)
    assert (err.value.line, err.value.field) == (1, "Kreis")
    with pytest.raises(InputError) as err:
        read_source(path, "generic", sheet="Tabelle1", header_line=2, **KREIS)
    assert err.value.field == "sheet"
    with pytest.raises(InputError) as err:  # by index: the same sheet, the same error
        read_source(path, "generic", sheet=0, header_line=2, **KREIS)
    assert (err.value.line, err.value.field) == (3, "Beschäftigte")


def test_never_sniffed(tmp_path: Path) -> None:
    path = _csv(tmp_path, GERMAN)
    assert not sniff(path, path.read_bytes())


def test_check_region_codes() -> None:
    import pandas as pd

    codes, bad, padded = check_region_codes(pd.Series(["5562", "05512", "DEA36", "1234567"]), RegionLevel.DE_KREIS)
    assert list(codes) == ["05562", "05512", "DEA36", "1234567"]
    assert list(bad) == [False, False, True, True]
    assert padded == 1


# ---------------------------------------------------------------- an official table


@pytest.fixture(scope="module")
def districts_path() -> Path:
    if not DISTRICTS.is_file():
        pytest.skip(f"official data not found: {DISTRICTS}")
    return DISTRICTS


@pytest.mark.integration
def test_districts_population(districts_path: Path) -> None:
    parsed = read_source(
        districts_path,
        "generic",
        region_col="AGS",
        region_name_col="name",
        value_col="population",
        year=2018,
        measure="population",
        region_level="de:kreis",
    )
    obs = parsed.observations
    assert len(obs) == 401
    assert _row(obs, "05562").value == 615_261  # Recklinghausen
    assert _row(obs, "11000").value == 3_644_826  # Berlin
    assert _row(obs, "05562").line == 96
    assert parsed.regions.set_index("region_code").loc["05562", "name"] == "Recklinghausen"
    validate(parsed)


@pytest.mark.integration
def test_districts_area_has_english_decimals(districts_path: Path) -> None:
    """A ';'-separated file with decimal points: the reader detects '.' from cells like 761.31."""
    parsed = read_source(
        districts_path,
        "generic",
        region_col="AGS",
        value_col="area_km2",
        year=2018,
        measure="area_km2",
        region_level="de:kreis",
    )
    assert _row(parsed.observations, "05562").value == 761.31
    assert "decimal mark '.'" in parsed.info.notes
