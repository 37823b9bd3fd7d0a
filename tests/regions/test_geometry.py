"""Winding for d3/Vega, cleaning, repair, simplification and FeatureCollections on tiny exact cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from regiolens.errors import InputError
from regiolens.regions.geometry import (
    clean_geometry,
    exterior_rings,
    feature_collection,
    features_of,
    geometry_text,
    interior_rings,
    is_clockwise,
    is_wgs84,
    load_json,
    merge_polygons,
    modified_attribution,
    orient_d3,
    signed_area,
    simplify_by_level,
    simplify_geometries,
)

SQUARE_CCW = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
SQUARE_CW = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]


def test_signed_area_is_positive_counter_clockwise_and_ignores_closure() -> None:
    assert signed_area(SQUARE_CCW) == 1.0
    assert signed_area(SQUARE_CW) == -1.0
    assert signed_area(SQUARE_CCW[:-1]) == 1.0  # open ring, same area
    assert signed_area([[0, 0], [3, 0], [0, 4]]) == 6.0
    assert signed_area([[0, 0], [1, 1]]) == 0.0
    assert not is_clockwise(SQUARE_CCW)
    assert is_clockwise(SQUARE_CW)


def test_counter_clockwise_square_becomes_clockwise() -> None:
    out = orient_d3({"type": "Polygon", "coordinates": [SQUARE_CCW]})
    assert out == {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    assert orient_d3(out) == out  # idempotent


def test_rfc7946_polygon_with_hole_is_rewound_both_rings() -> None:
    exterior = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]  # counter-clockwise (RFC 7946)
    hole = [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]  # clockwise (RFC 7946)
    out = orient_d3({"type": "MultiPolygon", "coordinates": [[exterior, hole]]})
    assert out["coordinates"] == [
        [
            [[0, 0], [0, 4], [4, 4], [4, 0], [0, 0]],
            [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
        ]
    ]
    assert [is_clockwise(r) for r in exterior_rings(out)] == [True]
    assert [is_clockwise(r) for r in interior_rings(out)] == [False]


def test_orient_descends_into_collections_and_leaves_lines_alone() -> None:
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    out = orient_d3(
        {"type": "GeometryCollection", "geometries": [line, {"type": "Polygon", "coordinates": [SQUARE_CCW]}]}
    )
    assert out["geometries"][0] == line
    assert out["geometries"][1]["coordinates"] == [SQUARE_CW]


def test_clean_rounds_drops_repeats_closes_and_winds() -> None:
    ring = [[0.12345678, -0.00000001], [1, 0], [1, 0], [1, 1], [0, 1]]  # open, repeated point, CCW
    out = clean_geometry({"type": "Polygon", "coordinates": [ring]})
    assert out == {
        "type": "Polygon",
        "coordinates": [[[0.123457, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.123457, 0.0]]],
    }
    assert not any(np.signbit(v) for p in out["coordinates"][0] for v in p)  # no -0.0


def test_clean_drops_collapsed_rings_and_polygons() -> None:
    collapsed = [[5, 5], [5.0000001, 5], [5, 5]]  # one distinct point after rounding
    polygon = {"type": "MultiPolygon", "coordinates": [[SQUARE_CCW, collapsed], [collapsed]]}
    assert clean_geometry(polygon) == {"type": "MultiPolygon", "coordinates": [[SQUARE_CW]]}
    assert clean_geometry({"type": "Polygon", "coordinates": [collapsed]}) is None


def test_geometry_text_is_compact_json_of_the_cleaned_geometry() -> None:
    assert geometry_text({"type": "Polygon", "coordinates": [SQUARE_CCW]}) == (
        '{"type":"Polygon","coordinates":[[[0.0,0.0],[0.0,1.0],[1.0,1.0],[1.0,0.0],[0.0,0.0]]]}'
    )
    assert geometry_text(shapely.box(0, 0, 1, 1)) is not None  # shapely input
    assert geometry_text({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}) is None


def test_self_intersecting_ring_is_repaired_into_valid_clockwise_parts() -> None:
    bowtie = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]  # net area zero
    out = json.loads(geometry_text({"type": "Polygon", "coordinates": [bowtie]}) or "null")
    assert out["type"] == "MultiPolygon"
    assert shape(out).is_valid
    assert shape(out).area == pytest.approx(2.0)
    assert sorted(sorted(map(tuple, r[:-1])) for r in exterior_rings(out)) == [
        [(0.0, 0.0), (0.0, 2.0), (1.0, 1.0)],
        [(1.0, 1.0), (2.0, 0.0), (2.0, 2.0)],
    ]
    assert all(is_clockwise(r) for r in exterior_rings(out))


def test_merge_polygons_keeps_parts_side_by_side() -> None:
    a = {"type": "Polygon", "coordinates": [SQUARE_CW]}
    b = {"type": "MultiPolygon", "coordinates": [[[[2, 0], [2, 1], [3, 1], [3, 0], [2, 0]]]]}
    assert merge_polygons([a]) == a
    assert merge_polygons([a, b])["coordinates"] == [[SQUARE_CW], b["coordinates"][0]]


def _wiggly_neighbours() -> list[str]:
    """Two unit squares sharing the edge x = 1, which wiggles through 0.001-degree bumps."""
    edge = [[1 + (0.001 if i % 2 else 0.0), i / 10] for i in range(11)]  # (1, 0) … (1, 1)
    left = [[0, 0], *edge, [0, 1], [0, 0]]
    right = [*edge, [2, 1], [2, 0], [1, 0]]
    return [geometry_text({"type": "Polygon", "coordinates": [r]}) or "" for r in (left, right)]


def test_coverage_simplification_keeps_shared_borders_shared() -> None:
    texts = _wiggly_neighbours()
    out = simplify_geometries(texts, 0.01)
    before = [shape(json.loads(t)) for t in texts]
    after = [shape(json.loads(t)) for t in out]
    assert all(g.is_valid for g in after)
    assert sum(len(g.exterior.coords) for g in after) < sum(len(g.exterior.coords) for g in before)
    assert after[0].intersection(after[1]).area == pytest.approx(0.0, abs=1e-12)  # no overlap
    assert shapely.union_all(after).area == pytest.approx(after[0].area + after[1].area)  # no gap …
    assert shapely.union_all(after).area == pytest.approx(2.0, abs=1e-9)  # … and no loss
    assert all(is_clockwise(r) for t in out for r in exterior_rings(json.loads(t)))


def test_simplification_edge_cases() -> None:
    texts = _wiggly_neighbours()
    assert simplify_geometries(texts, 0) == texts
    assert simplify_geometries([], 1.0) == []
    with pytest.raises(ValueError, match="tolerance"):
        simplify_geometries(texts, -1)
    single = simplify_geometries(texts, 0.01, coverage=False)
    assert all(shape(json.loads(t)).is_valid for t in single)


def test_simplify_by_level_treats_each_level_as_its_own_coverage() -> None:
    texts = _wiggly_neighbours()
    square = geometry_text({"type": "Polygon", "coordinates": [SQUARE_CCW]}) or ""
    out = simplify_by_level(["a", "b", "a"], [texts[0], square, texts[1]], 0.01)
    assert out[1] == square  # nothing to simplify on a plain square
    assert out[0] == simplify_geometries(texts, 0.01)[0] and out[2] == simplify_geometries(texts, 0.01)[1]
    with pytest.raises(ValueError):
        simplify_by_level(["a"], texts, 0.01)


def test_modified_attribution_is_appended_once() -> None:
    once = modified_attribution("© GeoBasis-DE / BKG 2021")
    assert once == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert modified_attribution(once) == once


def test_feature_collection_for_a_vega_map() -> None:
    ccw = json.dumps({"type": "Polygon", "coordinates": [SQUARE_CCW]})
    rows = pd.DataFrame(
        {
            "region_level": ["de:kreis", "us:county", "de:kreis"],
            "region_code": ["05562", "05562", "05512"],
            "name": ["Recklinghausen", None, "Bottrop"],
            "geojson": [ccw, ccw, None],
            "lq": [np.float64(1.25), np.nan, 0.5],
            "rank": np.array([1, 2, 3], dtype="int64"),
        }
    )
    fc = feature_collection(rows)
    assert fc["type"] == "FeatureCollection"
    assert [f["id"] for f in fc["features"]] == ["de:kreis:05562", "us:county:05562"]  # Bottrop: no geometry
    first = fc["features"][0]
    assert first["properties"] == {
        "region_level": "de:kreis",
        "region_code": "05562",
        "name": "Recklinghausen",
        "lq": 1.25,
        "rank": 1,
    }
    assert first["geometry"]["coordinates"] == [SQUARE_CW]
    assert fc["features"][1]["properties"]["lq"] is None
    assert fc["features"][1]["properties"]["name"] is None
    json.dumps(fc, allow_nan=False)  # plain JSON, no numpy, no NaN
    only = feature_collection(rows, properties=["rank"])
    assert list(only["features"][0]["properties"]) == ["region_level", "region_code", "name", "rank"]


def test_feature_collection_checks_its_columns_and_simplifies() -> None:
    with pytest.raises(ValueError, match="geojson"):
        feature_collection(pd.DataFrame({"region_level": [], "region_code": []}))
    rows = pd.DataFrame({"region_level": ["x", "x"], "region_code": ["a", "b"], "geojson": _wiggly_neighbours()})
    with pytest.raises(ValueError, match="nope"):
        feature_collection(rows, properties=["nope"])
    before = [len(json.loads(t)["coordinates"][0]) for t in rows["geojson"]]
    fc = feature_collection(rows, simplify=0.01)
    after = [len(f["geometry"]["coordinates"][0]) for f in fc["features"]]
    assert all(a < b for a, b in zip(after, before, strict=True)), (after, before)


def test_load_json_and_features_of_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_json(bad)
    assert err.value.line == 2 and "bad.geojson" in str(err.value)
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": None}]}
    with pytest.raises(InputError) as err:
        features_of(bad, doc)
    assert (err.value.line, err.value.field) == (1, "geometry")
    with pytest.raises(InputError):
        features_of(bad, {"type": "Topology"})


def test_is_wgs84_reads_the_legacy_crs_member() -> None:
    assert is_wgs84({})
    assert is_wgs84({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}})
    assert is_wgs84({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}})
    assert not is_wgs84({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}}})
