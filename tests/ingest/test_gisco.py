"""GISCO NUTS GeoJSON: tiny exact files, errors, and the real NUTS 2021 1:60 million files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from regiolens.errors import InputError
from regiolens.ingest import detect
from regiolens.ingest.gisco import read, sniff
from regiolens.model import ParsedSource
from regiolens.regions.geometry import exterior_rings, interior_rings, is_clockwise

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
GISCO = DATA / "eu" / "geo_gisco_nuts2021_60m"
CRS_4326 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}


def feature(nuts_id: str, level: int, ring: list[list[float]], **props: Any) -> dict[str, Any]:
    properties = {
        "NUTS_ID": nuts_id,
        "LEVL_CODE": level,
        "CNTR_CODE": nuts_id[:2],
        "NAME_LATN": f"Latin {nuts_id}",
        "NUTS_NAME": f"Native {nuts_id}",
        "MOUNT_TYPE": 0,
        **props,
    }
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": properties}


CCW = [[6.0, 50.0], [7.5, 50.0], [7.5, 51.0], [6.0, 51.0], [6.0, 50.0]]
CW = [[6.0, 50.0], [6.0, 51.0], [7.5, 51.0], [7.5, 50.0], [6.0, 50.0]]
DOC: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [feature("DEA", 1, CCW), feature("EL3", 1, CW, NAME_LATN=None, NUTS_NAME="Αττική")],
    "crs": CRS_4326,
}


def write(tmp_path: Path, doc: dict[str, Any], name: str = "NUTS_RG_60M_2021_4326_LEVL_1.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_tiny_level_1_file(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, DOC))
    info = parsed.info
    assert (info.kind, info.dataset_key, info.vintage) == ("geometry", "gisco:nuts2021:60m:levl1", "2021")
    assert info.attribution == "© EuroGeographics for the administrative boundaries"
    assert "non-commercial" in info.licence
    assert [tuple(r) for r in parsed.regions.itertuples(index=False)] == [
        ("nuts1", "DEA", "Latin DEA", "DE", "DEA", "NUTS 1"),
        ("nuts1", "EL3", "Αττική", "EL", "EL3", "NUTS 1"),  # no Latin name: the national one
    ]
    stored = [json.loads(t) for t in parsed.geometries["geojson"]]
    assert stored[0] == {"type": "Polygon", "coordinates": [CW]}  # RFC 7946 ring rewound for d3
    assert stored[1] == {"type": "Polygon", "coordinates": [CW]}
    assert list(parsed.geometries["region_code"]) == ["DEA", "EL3"]


def test_simplification_is_noted(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, DOC), simplify=0.1)
    assert any("simplified" in n for n in parsed.info.notes)
    assert parsed.info.attribution == "© EuroGeographics for the administrative boundaries"
    assert len(parsed.geometries) == 2


def test_level_0_has_no_parent_and_mixed_levels_get_a_range_key(tmp_path: Path) -> None:
    doc = copy.deepcopy(DOC)
    doc["features"] = [feature("DE", 0, CCW), feature("DE1", 1, CCW), feature("DE11", 2, CCW), feature("DE111", 3, CCW)]
    parsed = read(write(tmp_path, doc, "NUTS_RG_60M_2021_4326.geojson"))
    assert parsed.info.dataset_key == "gisco:nuts2021:60m:levl0-3"
    assert list(parsed.regions["parent_code"].fillna("-")) == ["-", "DE", "DE1", "DE11"]
    assert list(parsed.regions["region_level"]) == ["nuts0", "nuts1", "nuts2", "nuts3"]


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (lambda d: d["features"][1]["properties"].pop("NUTS_ID"), 2, "NUTS_ID"),
        (lambda d: d["features"][1]["properties"].update(NUTS_ID="de-a"), 2, "NUTS_ID"),
        (lambda d: d["features"][1]["properties"].update(NUTS_ID="DEA"), 2, "NUTS_ID"),  # duplicate
        (lambda d: d["features"][0]["properties"].pop("LEVL_CODE"), 1, "LEVL_CODE"),
        (lambda d: d["features"][0]["properties"].update(LEVL_CODE=2), 1, "LEVL_CODE"),
        (lambda d: d["features"][1]["properties"].update(NAME_LATN="", NUTS_NAME=None), 2, "NAME_LATN"),
        (lambda d: d["features"][1].update(geometry=None), 2, "geometry"),
        (lambda d: d.update(crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}}), None, "crs"),
        (lambda d: d.update(features=[]), None, "features"),
    ],
)
def test_bad_files_name_file_feature_and_field(tmp_path: Path, change: Any, line: int | None, field: str) -> None:
    doc = copy.deepcopy(DOC)
    change(doc)
    path = write(tmp_path, doc)
    with pytest.raises(InputError) as err:
        read(path)
    assert (err.value.line, err.value.field) == (line, field)
    assert path.name in str(err.value)


def test_sniff() -> None:
    assert sniff(Path("x.geojson"), json.dumps(DOC).encode())
    assert sniff(Path("NUTS_RG_01M_2021_4326.geojson"), b'{"type": "FeatureCollection", "features": [{"geometry"')
    assert not sniff(Path("x.geojson"), b'{"type": "FeatureCollection", "features": [{"properties": {"ARS": 1}}')
    assert not sniff(Path("x.json"), b'{"type": "Topology"}')


# --------------------------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def nuts() -> dict[int, ParsedSource]:
    if not GISCO.is_dir():
        pytest.skip(f"real data not found at {GISCO}")
    return {level: read(GISCO / f"NUTS_RG_60M_2021_4326_LEVL_{level}.geojson") for level in range(4)}


@pytest.mark.integration
def test_real_level_counts_and_keys(nuts: dict[int, ParsedSource]) -> None:
    assert {lv: len(p.regions) for lv, p in nuts.items()} == {0: 37, 1: 125, 2: 334, 3: 1514}
    assert {lv: len(p.geometries) for lv, p in nuts.items()} == {0: 37, 1: 125, 2: 334, 3: 1514}
    german = {lv: int(p.regions["region_code"].str.startswith("DE").sum()) for lv, p in nuts.items()}
    assert german == {0: 1, 1: 16, 2: 38, 3: 401}
    assert [p.info.dataset_key for p in nuts.values()] == [f"gisco:nuts2021:60m:levl{lv}" for lv in range(4)]
    nuts3 = nuts[3].regions.set_index("region_code")
    assert nuts3.loc["DEA36", "name"] == "Recklinghausen"
    assert nuts3.loc["DEA36", "parent_code"] == "DEA3"


@pytest.mark.integration
def test_real_parents_exist_one_level_up(nuts: dict[int, ParsedSource]) -> None:
    assert nuts[0].regions["parent_code"].isna().all()
    for level in (1, 2, 3):
        parents = set(nuts[level].regions["parent_code"])
        assert parents <= set(nuts[level - 1].regions["region_code"]), level


@pytest.mark.integration
def test_real_rings_are_wound_for_d3(nuts: dict[int, ParsedSource]) -> None:
    for parsed in nuts.values():
        shapes = [json.loads(t) for t in parsed.geometries["geojson"]]
        assert all(is_clockwise(r) for g in shapes for r in exterior_rings(g))
        assert not any(is_clockwise(r) for g in shapes for r in interior_rings(g))


@pytest.mark.integration
def test_real_files_are_detected(nuts: dict[int, ParsedSource]) -> None:
    assert {detect(p).name for p in GISCO.glob("*.geojson")} == {"gisco-nuts"}
