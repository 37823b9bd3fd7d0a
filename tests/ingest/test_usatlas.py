"""us-atlas TopoJSON: exact decoding of a hand-built topology, errors, and the real counties-10m file."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import shape

from regiolens.errors import InputError
from regiolens.ingest import detect
from regiolens.ingest.usatlas import decode_arcs, read, sniff, to_geojson
from regiolens.model import ParsedSource
from regiolens.regions.geometry import exterior_rings, interior_rings, is_clockwise

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
COUNTIES = DATA / "us" / "geo" / "counties-10m.topojson.json"

# Quantized square 0..8 (exterior, two arcs) with a square hole 2..6 (one arc, used reversed).
# x = q * 0.5 + 10, y = q * 0.25 + 20.
TOPOLOGY: dict[str, Any] = {
    "type": "Topology",
    "bbox": [10, 20, 14, 22],
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "objects": {
        "counties": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1], [-3]], "id": "06001", "properties": {"name": "Alameda"}},
                {"type": "Polygon", "arcs": [[-2, -1]], "id": "06003", "properties": {"name": "Alpine"}},
            ],
        },
        "states": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "MultiPolygon", "arcs": [[[0, 1]]], "id": "06", "properties": {"name": "California"}}
            ],
        },
        "nation": {"type": "GeometryCollection", "geometries": [{"type": "MultiPolygon", "arcs": [[[0, 1]]]}]},
    },
    "arcs": [
        [[0, 0], [8, 0], [0, 8]],  # (0,0) → (8,0) → (8,8)
        [[8, 8], [-8, 0], [0, -8]],  # (8,8) → (0,8) → (0,0)
        [[2, 2], [0, 4], [4, 0], [0, -4], [-4, 0]],  # (2,2) → (2,6) → (6,6) → (6,2) → (2,2), clockwise
    ],
}
EXTERIOR_AS_STORED = [[10.0, 20.0], [10.0, 22.0], [14.0, 22.0], [14.0, 20.0], [10.0, 20.0]]  # clockwise
HOLE_AS_STORED = [[11.0, 20.5], [13.0, 20.5], [13.0, 21.5], [11.0, 21.5], [11.0, 20.5]]  # counter-clockwise


def write(tmp_path: Path, topology: dict[str, Any], name: str = "counties-10m.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(topology), encoding="utf-8")
    return path


def test_arcs_are_delta_decoded_and_scaled() -> None:
    arcs = decode_arcs(TOPOLOGY)
    assert arcs[0].tolist() == [[10.0, 20.0], [14.0, 20.0], [14.0, 22.0]]
    assert arcs[1].tolist() == [[14.0, 22.0], [10.0, 22.0], [10.0, 20.0]]
    assert arcs[2].tolist() == [[11.0, 20.5], [11.0, 21.5], [13.0, 21.5], [13.0, 20.5], [11.0, 20.5]]


def test_arcs_without_transform_are_absolute() -> None:
    arcs = decode_arcs({"type": "Topology", "arcs": [[[1.5, 2.5, 99], [3, 4, 99]]]})
    assert arcs[0].tolist() == [[1.5, 2.5], [3.0, 4.0]]  # z dropped, no running sum


def test_rings_are_stitched_and_negative_indices_reversed() -> None:
    arcs = decode_arcs(TOPOLOGY)
    county = TOPOLOGY["objects"]["counties"]["geometries"][0]
    assert to_geojson(county, arcs) == {
        "type": "Polygon",
        "coordinates": [
            [[10.0, 20.0], [14.0, 20.0], [14.0, 22.0], [10.0, 22.0], [10.0, 20.0]],  # shared points once
            HOLE_AS_STORED,  # arc 2 reversed
        ],
    }
    other = to_geojson(TOPOLOGY["objects"]["counties"]["geometries"][1], arcs)
    assert other == {"type": "Polygon", "coordinates": [EXTERIOR_AS_STORED]}  # ~1 then ~0


def test_points_are_quantized_but_not_delta_encoded() -> None:
    transform = TOPOLOGY["transform"]
    assert to_geojson({"type": "Point", "coordinates": [4, 8]}, [], transform) == {
        "type": "Point",
        "coordinates": [12.0, 22.0],
    }
    assert to_geojson({"type": "MultiPoint", "coordinates": [[0, 0], [4, 8]]}, [], transform) == {
        "type": "MultiPoint",
        "coordinates": [[10.0, 20.0], [12.0, 22.0]],
    }
    assert to_geojson({"type": None}, []) is None
    with pytest.raises(ValueError):
        to_geojson({"type": "Circle"}, [])


def test_read_hand_built_topology(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, TOPOLOGY))
    assert parsed.info.kind == "geometry"
    assert parsed.info.dataset_key == "us-atlas:counties-10m"
    assert parsed.info.attribution == "us-atlas 3.0.1 (ISC); U.S. Census Bureau cartographic boundaries 2017"
    assert parsed.info.licence == "ISC / public domain"
    regions = parsed.regions.astype(object).where(parsed.regions.notna(), None)
    assert [tuple(r) for r in regions.itertuples(index=False)] == [
        ("us:nation", "US", None, None, None, "Nation"),
        ("us:state", "06", "California", "US", None, "State"),
        ("us:county", "06001", "Alameda", "06", None, "County"),
        ("us:county", "06003", "Alpine", "06", None, "County"),
    ]
    geo = parsed.geometries.set_index(["region_level", "region_code"])["geojson"]
    assert json.loads(geo[("us:county", "06001")]) == {
        "type": "Polygon",
        "coordinates": [EXTERIOR_AS_STORED, HOLE_AS_STORED],
    }
    assert json.loads(geo[("us:county", "06003")])["coordinates"] == [EXTERIOR_AS_STORED]
    assert json.loads(geo[("us:state", "06")]) == {"type": "MultiPolygon", "coordinates": [[EXTERIOR_AS_STORED]]}


def test_simplification_is_noted_and_keeps_every_geometry(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, TOPOLOGY), simplify=0.5)
    assert any("simplified" in n for n in parsed.info.notes)
    assert len(parsed.geometries) == 4
    assert all(shape(json.loads(t)).is_valid for t in parsed.geometries["geojson"])


def test_numeric_ids_get_their_leading_zero_back(tmp_path: Path) -> None:
    topology = copy.deepcopy(TOPOLOGY)
    topology["objects"]["counties"]["geometries"][0]["id"] = 6001
    parsed = read(write(tmp_path, topology))
    assert "06001" in set(parsed.regions["region_code"])


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (lambda t: t["objects"]["counties"]["geometries"][1].pop("id"), 2, "id"),
        (lambda t: t["objects"]["counties"]["geometries"][1].update(id="6003"), 2, "id"),
        (lambda t: t["objects"]["counties"]["geometries"][1].update(id="06001"), 2, "id"),
        (lambda t: t["objects"]["counties"]["geometries"][0].update(properties={}), 1, "name"),
        (lambda t: t["objects"]["states"]["geometries"][0].update(arcs=[[[0, 7]]]), 1, "arcs"),
        (lambda t: t["objects"]["counties"]["geometries"][1].update(type="LineString", arcs=[0]), 2, "type"),
        (lambda t: t.update(bbox=[-56.8, 12.4, 942.8, 596.9]), None, "bbox"),  # counties-albers-10m
        (lambda t: t["objects"].clear(), None, "objects"),
    ],
)
def test_bad_topologies_name_file_feature_and_field(tmp_path: Path, change: Any, line: int | None, field: str) -> None:
    topology = copy.deepcopy(TOPOLOGY)
    change(topology)
    path = write(tmp_path, topology)
    with pytest.raises(InputError) as err:
        read(path)
    assert (err.value.line, err.value.field) == (line, field)
    assert str(path) in str(err.value)


def test_sniff() -> None:
    head = json.dumps(TOPOLOGY).encode()
    assert sniff(Path("x.json"), head)
    assert not sniff(Path("x.json"), b'{"type":"Topology","objects":{"land":{}}}')
    assert not sniff(Path("x.geojson"), b'{"type":"FeatureCollection","features":[]}')


# --------------------------------------------------------------------------------------------- real file


@pytest.fixture(scope="module")
def atlas() -> ParsedSource:
    if not COUNTIES.is_file():
        pytest.skip(f"real data not found at {COUNTIES}")
    started = time.perf_counter()
    parsed = read(COUNTIES)
    assert time.perf_counter() - started < 10
    return parsed


@pytest.mark.integration
def test_real_counts_names_and_parents(atlas: ParsedSource) -> None:
    counts = atlas.regions["region_level"].value_counts().to_dict()
    assert counts == {"us:county": 3231, "us:state": 56, "us:nation": 1}
    by_code = atlas.regions.set_index(["region_level", "region_code"])
    assert by_code.loc[("us:county", "06037"), "name"] == "Los Angeles"
    assert by_code.loc[("us:county", "26163"), "name"] == "Wayne"  # Detroit
    assert by_code.loc[("us:state", "26"), "name"] == "Michigan"
    assert by_code.loc[("us:state", "72"), "kind"] == "Territory"
    counties = atlas.regions[atlas.regions["region_level"] == "us:county"]
    states = set(atlas.regions.loc[atlas.regions["region_level"] == "us:state", "region_code"])
    assert (counties["parent_code"] == counties["region_code"].str[:2]).all()
    assert set(counties["parent_code"]) <= states
    assert (counties["region_code"].str.fullmatch(r"\d{5}")).all()


@pytest.mark.integration
def test_real_geometries_are_lonlat_clockwise_and_valid(atlas: ParsedSource) -> None:
    geo = atlas.geometries
    assert geo["region_level"].value_counts().to_dict() == {"us:county": 3230, "us:state": 56, "us:nation": 1}
    assert "51610 Falls Church" in " ".join(atlas.info.notes)  # no area at 1:10 million
    shapes = [json.loads(t) for t in geo["geojson"]]
    assert all(is_clockwise(r) for g in shapes for r in exterior_rings(g))
    assert not any(is_clockwise(r) for g in shapes for r in interior_rings(g))
    points = np.array([p for g in shapes for r in exterior_rings(g) for p in r])
    assert points[:, 0].min() >= -180 and points[:, 0].max() <= 180
    assert points[:, 1].min() > -15 and points[:, 1].max() < 72
    la = shape(shapes[geo.index[geo["region_code"] == "06037"][0]])
    assert la.is_valid
    assert la.centroid.x == pytest.approx(-118.2, abs=0.5) and la.centroid.y == pytest.approx(34.3, abs=0.5)


@pytest.mark.integration
def test_real_file_is_detected(atlas: ParsedSource) -> None:
    assert detect(COUNTIES).name == "us-atlas"
