"""Population and area per Kreis (landkreise-deutschland ``districts.csv``): tiny exact files and the real one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from regiolens.errors import InputError
from regiolens.ingest import detect, read_source
from regiolens.ingest.population import read, sniff
from regiolens.ingest.validate import validate
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse
from tests.conftest import SHARED_DATA, warehouse_fingerprint

DISTRICTS = SHARED_DATA / "de" / "population_area_2018" / "districts.csv"
HEADER = "AGS;type;name;NUTS3;area_km2;population;population_male;population_female;population_per_km2"
ROWS = [
    "05562;Kreis;Recklinghausen;DEA36;761.31;615261;300019;315242;808",  # line 2
    "05512;Kreisfreie Stadt;Bottrop, Stadt;DEA31;100.61;117383;57101;60282;1167",  # line 3
    "11000;Kreisfreie Stadt;Berlin, Stadt;DE300;891.12;3644826;1792801;1852025;4090",  # line 4
]


def write(tmp_path: Path, lines: list[str], folder: str = "population_area_2018", name: str = "districts.csv") -> Path:
    (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    path = tmp_path / folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_population_and_area_per_kreis(tmp_path: Path) -> None:
    parsed = read_source(write(tmp_path, [HEADER, *ROWS]))
    validate(parsed)
    o = parsed.observations
    assert len(o) == 6
    assert set(o.region_level) == {"de:kreis"} and set(o.year) == {2018} and set(o.flag) == {"none"}
    assert set(o.industry_code) == {"TOTAL"} and set(o.classification) == {"total"}
    value = {(r.region_code, r.measure): (r.value, r.line) for r in o.itertuples()}
    assert value[("05562", "population")] == (615261.0, 2)
    assert value[("05562", "area_km2")] == (761.31, 2)
    assert value[("11000", "population")] == (3644826.0, 4)
    regions = [tuple(r) for r in parsed.regions.itertuples(index=False)]
    assert regions[1] == ("de:kreis", "05512", "Bottrop, Stadt", "05", "DEA31", "Kreisfreie Stadt")
    info = parsed.info
    assert (info.dataset_key, info.format, info.kind) == (
        "landkreise-deutschland:districts:2018",
        "landkreise-deutschland",
        "statistics",
    )
    assert info.licence == "CC BY 4.0" and info.vintage == "2018-12-31"
    assert "landkreise-deutschland" in info.attribution and "Destatis" in info.attribution
    assert "Destatis" in info.publisher


def test_year_from_option_file_name_or_folder(tmp_path: Path) -> None:
    assert set(read(write(tmp_path, [HEADER, *ROWS]), year="2017").observations.year) == {2017}
    assert set(read(write(tmp_path, [HEADER, *ROWS], "data", "districts-2019.csv")).observations.year) == {2019}
    with pytest.raises(InputError) as err:
        read(write(tmp_path, [HEADER, *ROWS], "data"))
    assert err.value.field == "year" and "give the 'year' option" in err.value.message
    with pytest.raises(InputError, match="must be a year"):
        read(write(tmp_path, [HEADER, *ROWS]), year="18")


def test_four_digit_ags_is_repaired_with_a_note(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, [HEADER, "5562;Kreis;Recklinghausen;DEA36;761.31;615261;300019;315242;808"]))
    assert set(parsed.observations.region_code) == {"05562"}
    assert any("zero-padded" in n for n in parsed.info.notes)


def test_missing_column_names_the_header_line(tmp_path: Path) -> None:
    header = HEADER.replace("area_km2;", "")
    rows = [r.replace(";761.31", "") for r in ROWS[:1]]
    with pytest.raises(InputError) as err:
        read_source(write(tmp_path, [header, *rows]), "landkreise-deutschland")
    assert (err.value.line, err.value.field) == (1, "area_km2")
    assert "districts.csv" in str(err.value)


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;260.654;;;2484", "population", "not a whole number"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104,94;260654;;;2484", "area_km2", "decimal point"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;n/a;;;2484", "population", "'n/a'"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;0;260654;;;", "area_km2", "positive"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;260654;;;248", "population_per_km2", "shifted columns"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;;;;", "population", "empty"),
        ("055130;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;260654;;;2484", "AGS", "5-digit Kreis key"),
        ("0551A;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;260654;;;2484", "AGS", "5-digit Kreis key"),
        ("17513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;260654;;;2484", "AGS", "5-digit Kreis key"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;XEA32;104.94;260654;;;2484", "NUTS3", "German NUTS 3"),
        ("05562;Kreis;Recklinghausen;DEA36;761.31;615261;300019;315242;808", "AGS", "listed twice"),
        ("05513;Kreisfreie Stadt;Gelsenkirchen;DEA32;104.94;260654", "population_male", "6 fields"),
    ],
)
def test_bad_cells_name_file_line_and_field(tmp_path: Path, row: str, field: str, words: str) -> None:
    path = write(tmp_path, [HEADER, *ROWS, row])
    with pytest.raises(InputError) as err:
        read_source(path)
    assert (err.value.path, err.value.line, err.value.field) == (str(path), 5, field)
    assert words in err.value.message


def test_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no Kreis rows"):
        read(write(tmp_path, [HEADER]))
    empty = tmp_path / "population_area_2018" / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no header"):
        read(empty)


def test_sniff() -> None:
    assert sniff(Path("x.csv"), (HEADER + "\n").encode())
    assert sniff(Path("x.csv"), b"\xef\xbb\xbf" + HEADER.lower().encode())
    assert not sniff(Path("x.csv"), b"ags,ars,name,bez,nuts3,land_code,wsk\n")
    assert not sniff(Path("x.csv"), b"AGS;name;population\n")


def test_import_is_atomic_and_idempotent(tmp_path: Path) -> None:
    """A good and a bad file in one import store nothing; the good one alone is added once."""
    good = write(tmp_path, [HEADER, *ROWS])
    bad = write(tmp_path, [HEADER, ROWS[0], "05512;Kreisfreie Stadt;Bottrop;DEA31;100.61;x;;;"], "bad_2018")
    path = tmp_path / "wh.duckdb"
    with Warehouse.open(path):
        pass
    before = warehouse_fingerprint(path)
    with Warehouse.open(path) as wh, pytest.raises(InputError) as err:
        wh.import_files([good, bad])
    assert (err.value.path, err.value.line, err.value.field) == (str(bad), 3, "population")
    assert warehouse_fingerprint(path) == before
    with Warehouse.open(path) as wh:
        assert [r.status for r in wh.import_files([good])] == ["added"]
        assert [r.status for r in wh.import_files([good])] == ["unchanged"]
        assert wh.con.execute("SELECT count(*) FROM observations").fetchone() == (6,)


# --------------------------------------------------------------------------------------------- the real file


@pytest.fixture(scope="module")
def real() -> Path:
    if not DISTRICTS.exists():
        pytest.skip(f"data not found: {DISTRICTS}")
    return DISTRICTS


def test_real_file_is_detected_and_complete(real: Path) -> None:
    assert detect(real).name == "landkreise-deutschland"
    parsed = read_source(real)
    validate(parsed)
    o = parsed.observations
    population = o[o.measure == "population"]
    assert len(population) == 401 and set(o.year) == {2018}
    assert population.value.sum() == 83_019_213  # Germany on 31.12.2018 (Destatis)
    with real.open(encoding="utf-8", newline="") as fh:
        raw = {r["AGS"]: r for r in csv.DictReader(fh, delimiter=";")}
    area = o[o.measure == "area_km2"].set_index("region_code").value
    assert area["05513"] == float(raw["05513"]["area_km2"]) == 104.94
    assert set(parsed.regions.nuts_code) == {r["NUTS3"] for r in raw.values()}


def test_real_file_in_a_warehouse_sums_a_group(real: Path, tmp_path: Path) -> None:
    from regiolens.regions.groups import BUILTIN_GROUPS

    with Warehouse.open(tmp_path / "wh.duckdb") as wh:
        wh.import_files([real])
        p = query_panel(
            wh.ibis,
            measure="population",
            years=2018,
            region_level="de:kreis",
            classification="total",
            groups=[BUILTIN_GROUPS["emscher-lippe"]],
            industries=["TOTAL"],
        )
        nuts = dict(zip(wh.regions("de:kreis").region_code, wh.regions("de:kreis").nuts_code, strict=True))
    assert p.values[0, p.regions.index("emscher-lippe"), 0] == 615261 + 117383 + 260654
    assert nuts["05562"] == "DEA36"
