"""The Eurostat JSON-stat reader: small documents written here, and the official nama_10r_3empers file."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from regiolens.errors import InputError
from regiolens.ingest import detect, read_source
from regiolens.ingest.jsonstat import nuts_level, parse_status, sniff
from regiolens.ingest.validate import validate
from regiolens.model import Flag, RegionLevel

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EUROSTAT_FILE = DATA / "eu" / "eurostat" / "nama_10r_3empers_2018.json"

GEO = ["EU27_2020", "DE", "DE1", "DE11", "DE111"]
NACE = ["TOTAL", "C"]


def _doc(values: Any, status: Any, **overrides: Any) -> dict[str, Any]:
    """A 1 × 1 × 1 × 2 (nace) × 5 (geo) × 1 (time) cube shaped like the Eurostat API's answer."""
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "test cube",
        "updated": "2026-01-02T03:04:05+0100",
        "value": values,
        "status": status,
        "id": ["freq", "unit", "wstatus", "nace_r2", "geo", "time"],
        "size": [1, 1, 1, len(NACE), len(GEO), 1],
        "dimension": {
            "freq": {"category": {"index": {"A": 0}, "label": {"A": "Annual"}}},
            "unit": {"category": {"index": {"THS": 0}, "label": {"THS": "Thousand"}}},
            "wstatus": {"category": {"index": {"EMP": 0}, "label": {"EMP": "Employed persons"}}},
            "nace_r2": {"category": {"index": {c: i for i, c in enumerate(NACE)}}},
            "geo": {
                "category": {
                    "index": {c: i for i, c in enumerate(GEO)},
                    "label": {
                        "DE": "Germany",
                        "DE1": "Baden-Württemberg",
                        "DE11": "Stuttgart",
                        "DE111": "Stuttgart, Stadtkreis",
                    },
                }
            },
            "time": {"category": {"index": {"2018": 0}}},
        },
        "extension": {"id": "NAMA_10R_3EMPERS"},
    }
    doc.update(overrides)
    return doc


# positions: nace * 5 + geo
VALUES = {"0": 200000.0, "1": 44878, "2": 6200.5, "3": 2800.0, "5": 30000, "6": 1500.2, "7": 1200.0}
STATUS = {"2": "p", "3": "e", "4": "|C", "7": "b", "8": ":"}


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "cube.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _row(obs, code: str, industry: str):
    sel = obs[(obs.region_code == code) & (obs.industry_code == industry)]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_dict_form_values_flags_and_levels(tmp_path: Path) -> None:
    parsed = read_source(_write(tmp_path, _doc(VALUES, STATUS)), "jsonstat")
    obs = parsed.observations
    # EU27_2020 is skipped; position 9 (C, DE111) has neither value nor status: not emitted
    assert len(obs) == 7
    assert set(obs.measure) == {"employment_thousand_persons"}
    assert set(obs.classification) == {"nace2-eurostat-groups"}
    de = _row(obs, "DE", "TOTAL")
    assert (de.value, de.flag, de.region_level, de.year, de.line) == (44878.0, "none", "nuts0", 2018, 2)
    assert _row(obs, "DE1", "TOTAL").flag == Flag.PROVISIONAL
    assert _row(obs, "DE1", "TOTAL").value == 6200.5
    assert (_row(obs, "DE11", "TOTAL").value, _row(obs, "DE11", "TOTAL").flag) == (2800.0, "estimated")
    stuttgart = _row(obs, "DE111", "TOTAL")  # confidential: no value, never zero
    assert math.isnan(stuttgart.value) and stuttgart.flag == "suppressed"
    assert stuttgart.region_level == RegionLevel.NUTS3
    assert (_row(obs, "DE1", "C").value, _row(obs, "DE1", "C").flag) == (1200.0, "none")  # "b": break, note only
    unavailable = _row(obs, "DE11", "C")
    assert math.isnan(unavailable.value) and unavailable.flag == "unavailable"
    notes = " | ".join(parsed.info.notes)
    assert "EU27_2020" in notes
    assert "1 cells of the cube without value or status" in notes
    assert "status 'b' (break in series)" in notes


def test_list_form_gives_the_same_observations(tmp_path: Path) -> None:
    n = len(NACE) * len(GEO)
    values = [VALUES.get(str(i)) for i in range(n)]
    status = [STATUS.get(str(i), "") for i in range(n)]
    from_list = read_source(_write(tmp_path, _doc(values, status), "list.json"), "jsonstat").observations
    from_dict = read_source(_write(tmp_path, _doc(VALUES, STATUS), "dict.json"), "jsonstat").observations
    key = ["region_code", "industry_code"]
    a = from_list.sort_values(key).reset_index(drop=True)
    b = from_dict.sort_values(key).reset_index(drop=True)
    assert a.equals(b)


def test_provenance(tmp_path: Path) -> None:
    info = read_source(_write(tmp_path, _doc(VALUES, STATUS)), "jsonstat").info
    assert info.dataset_key.startswith("eurostat:nama_10r_3empers:2018:")
    assert info.vintage == "2026-01-02T03:04:05+0100"
    assert info.publisher == "Eurostat"
    assert info.licence == "CC BY 4.0 (Eurostat reuse policy)"
    assert info.attribution == "Source: Eurostat"


def test_regions_frame(tmp_path: Path) -> None:
    regions = read_source(_write(tmp_path, _doc(VALUES, STATUS)), "jsonstat").regions.set_index("region_code")
    assert "EU27_2020" not in regions.index
    assert regions.loc["DE111", "name"] == "Stuttgart, Stadtkreis"
    assert regions.loc["DE111", "parent_code"] == "DE11"
    assert regions.loc["DE111", "region_level"] == "nuts3"
    assert regions.loc["DE", "kind"] == "country"
    assert pd.isna(regions.loc["DE", "parent_code"])


def test_unmapped_measure_named_from_codes_and_override(tmp_path: Path) -> None:
    doc = _doc(VALUES, {})
    doc["dimension"]["unit"] = {"category": {"index": {"MIO_EUR": 0}}}
    del doc["dimension"]["wstatus"]
    doc["id"] = ["freq", "unit", "nace_r2", "geo", "time"]
    doc["size"] = [1, 1, len(NACE), len(GEO), 1]
    path = _write(tmp_path, doc)
    parsed = read_source(path, "jsonstat")
    assert set(parsed.observations.measure) == {"nama_10r_3empers_mio_eur"}
    assert any("measures named from the dimension codes" in n for n in parsed.info.notes)
    assert set(read_source(path, "jsonstat", measure="gva_mio_eur").observations.measure) == {"gva_mio_eur"}


def test_dataset_without_industry_dimension_is_total(tmp_path: Path) -> None:
    doc = _doc({"1": 5.0, "2": 6.0}, {})
    del doc["dimension"]["nace_r2"]
    doc["id"] = ["freq", "unit", "wstatus", "geo", "time"]
    doc["size"] = [1, 1, 1, len(GEO), 1]
    obs = read_source(_write(tmp_path, doc), "jsonstat").observations
    assert list(obs.industry_code) == ["TOTAL", "TOTAL"]
    assert list(obs.value) == [5.0, 6.0]


def test_non_number_names_the_record(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_write(tmp_path, _doc({"1": 5.0, "6": "12,5"}, {})), "jsonstat")
    assert (err.value.line, err.value.field) == (7, "value")
    assert "cube.json" in str(err.value)


def test_quarterly_data_are_refused(tmp_path: Path) -> None:
    doc = _doc(VALUES, {})
    doc["dimension"]["freq"] = {"category": {"index": {"Q": 0}}}
    with pytest.raises(InputError) as err:
        read_source(_write(tmp_path, doc), "jsonstat")
    assert err.value.field == "dimension.freq"


def test_size_mismatch_names_the_dimension(tmp_path: Path) -> None:
    doc = _doc(VALUES, {})
    doc["size"] = [1, 1, 1, 2, 4, 1]
    with pytest.raises(InputError) as err:
        read_source(_write(tmp_path, doc), "jsonstat")
    assert err.value.field == "dimension.geo"


def test_position_outside_the_cube(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_source(_write(tmp_path, _doc({"10": 1.0}, {})), "jsonstat")
    assert err.value.field == "value"
    assert "outside the cube" in err.value.message


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"version": "2.0",\n"class": "dataset",\n"value": {1: 2}}', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_source(path, "jsonstat")
    assert err.value.line == 3


def test_sniff(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc(VALUES, STATUS))
    assert detect(path).name == "jsonstat"
    assert not sniff(Path("x.json"), b'{"type": "FeatureCollection", "features": []}')
    assert sniff(Path("x.json"), b'{"id": ["geo"], "dimension": {}}')
    assert not sniff(Path("x.csv"), b"GENESIS-Tabelle: 1")


@pytest.mark.parametrize(
    ("status", "flag", "noted"),
    [
        ("|C", Flag.SUPPRESSED, ()),
        ("c", Flag.SUPPRESSED, ()),
        ("p", Flag.PROVISIONAL, ()),
        ("ep", Flag.PROVISIONAL, ()),
        ("e", Flag.ESTIMATED, ()),
        ("b", Flag.NONE, ("b",)),
        ("bu", Flag.NONE, ("b", "u")),
        (":", Flag.UNAVAILABLE, ()),
        ("p|F", Flag.PROVISIONAL, ()),
        ("", Flag.NONE, ()),
    ],
)
def test_parse_status(status: str, flag: Flag, noted: tuple[str, ...]) -> None:
    assert parse_status(status) == (flag, noted)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("DE", RegionLevel.NUTS0),
        ("DEA", RegionLevel.NUTS1),
        ("DEA3", RegionLevel.NUTS2),
        ("DEA36", RegionLevel.NUTS3),
        ("DEZZZ", RegionLevel.NUTS3),
        ("EU27_2020", None),
        ("EA20", None),
        ("EFTA", None),
    ],
)
def test_nuts_level(code: str, level: RegionLevel | None) -> None:
    assert nuts_level(code) is level


# ---------------------------------------------------------------- the official file


@pytest.fixture(scope="module")
def eurostat():
    if not EUROSTAT_FILE.is_file():
        pytest.skip(f"official data not found: {EUROSTAT_FILE}")
    return read_source(EUROSTAT_FILE)


@pytest.mark.integration
def test_official_file_detected() -> None:
    if not EUROSTAT_FILE.is_file():
        pytest.skip("official data not found")
    assert detect(EUROSTAT_FILE).name == "jsonstat"


@pytest.mark.integration
def test_official_known_values(eurostat) -> None:
    """Values looked up in the raw JSON by position (nace index × 1630 + geo index)."""
    obs = eurostat.observations
    assert _row(obs, "DE", "TOTAL").value == 44878.0
    assert _row(obs, "DE", "TOTAL").line == 146
    recklinghausen = _row(obs, "DEA36", "TOTAL")
    assert (recklinghausen.value, recklinghausen.region_level) == (246.11, "nuts3")
    assert _row(obs, "DEA36", "C").value == 28.05
    assert _row(obs, "BEZZZ", "TOTAL").value == 1.9
    withheld = _row(obs, "NO02", "A")
    assert math.isnan(withheld.value) and withheld.flag == "suppressed"


@pytest.mark.integration
def test_official_counts_and_provenance(eurostat) -> None:
    obs = eurostat.observations
    assert len(obs) == 20_774  # 24,450 cells − 3,661 absent − 15 of EU27_2020
    assert (obs.flag == "suppressed").sum() == 25
    assert not (obs.region_code == "EU27_2020").any()
    assert set(obs.measure) == {"employment_thousand_persons"}
    assert set(obs.industry_code) == {"TOTAL", "A", "B-E", "C", "F", "G-J", "G-I", "J", "K-N", "K", "L", "M_N"} | {
        "O-U",
        "O-Q",
        "R-U",
    }
    info = eurostat.info
    assert info.dataset_key.startswith("eurostat:nama_10r_3empers:2018:")
    assert info.vintage == "2026-07-31T23:00:00+0200"
    regions = eurostat.regions.set_index("region_code")
    assert regions.loc["DEA36", "name"] == "Recklinghausen"
    assert regions.loc["DEA36", "parent_code"] == "DEA3"
    assert regions.loc["BEZZZ", "kind"] == "Extra-Regio"


@pytest.mark.integration
def test_official_file_passes_the_warehouse_checks(eurostat) -> None:
    validate(eurostat)
