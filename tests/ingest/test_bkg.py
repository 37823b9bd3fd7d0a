"""BKG VG5000: registry CSV, WGS84 GeoJSON and Gauss-Krüger shapefiles, tiny exact files and the real ones."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapefile
import shapely
from pyproj import CRS, Transformer
from pyproj.enums import WktVersion
from shapely.geometry import shape

from regiolens.errors import InputError
from regiolens.ingest import detect
from regiolens.ingest.bkg import (
    dbf_field_names,
    read_geojson,
    read_registry,
    read_shapefile,
    sniff_geojson,
    sniff_registry,
    sniff_shapefile,
    vintage_beside,
)
from regiolens.model import ParsedSource
from regiolens.regions.geometry import exterior_rings, interior_rings, is_clockwise

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BKG = DATA / "de" / "geo_bkg_vg5000_2021"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
HEADER = "ags,ars,name,bez,nuts3,land_code,wsk"
ROWS = [
    "05562,05562,Recklinghausen,Kreis,DEA36,05,2009-01-01",
    "05512,05512,Bottrop,Kreisfreie Stadt,DEA31,05,1976-01-01",
    "11000,11000,Berlin,Kreisfreie Stadt,DE300,11,1990-10-03",
]
GERMANY_BBOX = (5.8, 47.2, 15.1, 55.1)  # lon/lat box around Germany


def write_csv(tmp_path: Path, lines: list[str], name: str = "kreise_ags_nuts3.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plain(frame: Any) -> list[tuple[Any, ...]]:
    """Rows as tuples with missing values as ``None`` (pandas 3 string columns hold NaN)."""
    return [tuple(r) for r in frame.astype(object).where(frame.notna(), None).itertuples(index=False)]


# --------------------------------------------------------------------------------------------- registry CSV


def test_registry_csv_gives_kreise_with_nuts_codes_and_land_parents(tmp_path: Path) -> None:
    (tmp_path / "aktualitaet.txt").write_text("01.01.2021\n", encoding="utf-8")
    parsed = read_registry(write_csv(tmp_path, [HEADER, *ROWS]))
    assert plain(parsed.regions) == [
        ("de:kreis", "05562", "Recklinghausen", "05", "DEA36", "Kreis"),
        ("de:kreis", "05512", "Bottrop", "05", "DEA31", "Kreisfreie Stadt"),
        ("de:kreis", "11000", "Berlin", "11", "DE300", "Kreisfreie Stadt"),
    ]
    info = parsed.info
    assert (info.kind, info.format, info.vintage) == ("registry", "bkg-registry", "2021-01-01")
    assert info.dataset_key == "bkg:vg:krs-nuts3:2021-01-01"  # no product in the file or folder name
    assert info.attribution == "© GeoBasis-DE / BKG 2021"
    assert info.licence == LICENCE
    assert info.publisher == "Bundesamt für Kartographie und Geodäsie (BKG)"
    assert parsed.geometries.empty and parsed.observations.empty


def test_registry_csv_without_vintage_file_or_optional_columns(tmp_path: Path) -> None:
    folder = tmp_path / "geo_bkg_vg5000_2021"
    folder.mkdir()
    lines = ["ags,name,bez,nuts3,land_code", "05562,Recklinghausen,Kreis,DEA36,05"]
    parsed = read_registry(write_csv(folder, lines, "kreise.csv"))
    assert parsed.info.vintage is None
    assert parsed.info.dataset_key == "bkg:vg5000:krs-nuts3:undated"
    assert parsed.info.attribution == "© GeoBasis-DE / BKG"
    assert len(parsed.regions) == 1


@pytest.mark.parametrize(
    ("lines", "line", "field"),
    [
        (["ags,ars,name,bez,land_code,wsk", "05562,05562,Recklinghausen,Kreis,05,2009-01-01"], 1, "nuts3"),
        ([HEADER, ROWS[0], "05512,05512,Bottrop,Kreisfreie Stadt,,05,1976-01-01"], 3, "nuts3"),
        ([HEADER, ROWS[0], "05512,05512,Bottrop,Kreisfreie Stadt"], 3, "nuts3"),  # row cut short
        ([HEADER, "5562,05562,Recklinghausen,Kreis,DEA36,05,2009-01-01"], 2, "ags"),
        ([HEADER, "05562,05562,Recklinghausen,Kreis,DEA36,06,2009-01-01"], 2, "land_code"),
        ([HEADER, "05562,05562,Recklinghausen,Kreis,XX36,05,2009-01-01"], 2, "nuts3"),
        ([HEADER, ROWS[0], ROWS[1], ROWS[0]], 4, "ags"),  # listed twice
        ([HEADER], None, None),
    ],
)
def test_bad_registry_rows_name_file_line_and_field(
    tmp_path: Path, lines: list[str], line: int | None, field: str | None
) -> None:
    path = write_csv(tmp_path, lines)
    with pytest.raises(InputError) as err:
        read_registry(path)
    assert (err.value.line, err.value.field) == (line, field)
    assert str(path) in str(err.value)


def test_registry_sniff() -> None:
    assert sniff_registry(Path("k.csv"), f"\ufeff{HEADER}\n{ROWS[0]}\n".encode())
    assert sniff_registry(Path("k.csv"), b"nuts3,bez,name,ags\n")
    assert not sniff_registry(Path("k.csv"), b"Fips,Naics,Establishments,Employees,Payroll\n")


def test_vintage_beside(tmp_path: Path) -> None:
    assert vintage_beside(tmp_path / "x.csv") is None
    (tmp_path / "aktualitaet.txt").write_text("Stand: 31.12.2022", encoding="utf-8")
    assert vintage_beside(tmp_path / "x.csv") == "2022-12-31"


# --------------------------------------------------------------------------------------------- GeoJSON

CCW = [[7.0, 51.5], [7.5, 51.5], [7.5, 52.0], [7.0, 52.0], [7.0, 51.5]]
CW = [[7.0, 51.5], [7.0, 52.0], [7.5, 52.0], [7.5, 51.5], [7.0, 51.5]]
HOLE_CCW = [[7.1, 51.6], [7.2, 51.6], [7.2, 51.7], [7.1, 51.7], [7.1, 51.6]]
ISLAND_CW = [[8.0, 53.0], [8.0, 53.1], [8.1, 53.1], [8.1, 53.0], [8.0, 53.0]]


def vg_feature(ars: str, gen: str, bez: str, rings: list[list[list[float]]], **extra: Any) -> dict[str, Any]:
    props = {"ARS": ars, "GEN": gen, "BEZ": bez, "BEM": "--", **extra}
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": rings}}


GEOJSON: dict[str, Any] = {
    "type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    "features": [
        vg_feature("05562", "Recklinghausen", "Kreis", [CCW, HOLE_CCW[::-1]]),  # RFC 7946 winding
        vg_feature("05512", "Bottrop", "Kreisfreie Stadt", [HOLE_CCW]),
        vg_feature("03452", "Aurich", "Landkreis", [ISLAND_CW], GF=9, BSG=1),
        vg_feature("03452", "Aurich", "Landkreis", [CW], GF=9, BSG=1),  # second land part: merged
        vg_feature("03452", "Aurich", "Landkreis", [CW], GF=8, BSG=1),  # coastal water: dropped
    ],
}


def write_geojson(tmp_path: Path, doc: dict[str, Any], name: str = "Ebene_Kreise_vg5000_2021.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_geojson_layer_gives_names_and_vega_ready_geometries(tmp_path: Path) -> None:
    parsed = read_geojson(write_geojson(tmp_path, GEOJSON))
    assert plain(parsed.regions) == [
        ("de:kreis", "05562", "Recklinghausen", "05", None, "Kreis"),
        ("de:kreis", "05512", "Bottrop", "05", None, "Kreisfreie Stadt"),
        ("de:kreis", "03452", "Aurich", "03", None, "Landkreis"),
    ]
    geo = dict(zip(parsed.geometries["region_code"], map(json.loads, parsed.geometries["geojson"]), strict=True))
    assert geo["05562"] == {"type": "Polygon", "coordinates": [CW, HOLE_CCW]}
    assert geo["05512"] == {"type": "Polygon", "coordinates": [HOLE_CCW[::-1]]}  # exterior now clockwise
    assert geo["03452"] == {"type": "MultiPolygon", "coordinates": [[ISLAND_CW], [CW]]}
    info = parsed.info
    assert (info.kind, info.vintage, info.dataset_key) == ("geometry", "2021", "bkg:vg5000:krs-geojson:2021")
    assert info.attribution == "© GeoBasis-DE / BKG 2021"
    notes = " ".join(info.notes)
    assert "1 water-area records" in notes and "1 regions assembled" in notes


def test_simplified_geojson_says_daten_veraendert(tmp_path: Path) -> None:
    parsed = read_geojson(write_geojson(tmp_path, GEOJSON), simplify=0.01)
    assert parsed.info.attribution == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert any("simplified" in n for n in parsed.info.notes)
    assert all(shape(json.loads(t)).is_valid for t in parsed.geometries["geojson"])


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (lambda d: d["features"][1]["properties"].pop("ARS"), 2, "ARS"),
        (lambda d: d["features"][2]["properties"].update(GEN=""), 3, "GEN"),
        (lambda d: d["features"][1]["properties"].update(ARS="0551"), 2, "ARS"),
        (lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [7, 51]}), 1, "geometry"),
        (lambda d: d.update(crs={"type": "name", "properties": {"name": "EPSG:31467"}}), None, "crs"),
    ],
)
def test_bad_geojson_names_file_feature_and_field(tmp_path: Path, change: Any, line: int | None, field: str) -> None:
    doc = copy.deepcopy(GEOJSON)
    change(doc)
    path = write_geojson(tmp_path, doc)
    with pytest.raises(InputError) as err:
        read_geojson(path)
    assert (err.value.line, err.value.field) == (line, field)
    assert str(path) in str(err.value)


def test_geojson_sniff() -> None:
    assert sniff_geojson(Path("x.geojson"), json.dumps(GEOJSON).encode())
    assert not sniff_geojson(Path("x.geojson"), b'{"type": "FeatureCollection", "features": [{"NUTS_ID": "DE"}]}')


# --------------------------------------------------------------------------------------------- shapefile

GK3 = CRS.from_epsg(31467)
# Gauss-Krüger zone 3 squares (shapefile winding: exterior clockwise, hole counter-clockwise)
LAND = [(3400000, 5700000), (3400000, 5740000), (3440000, 5740000), (3440000, 5700000), (3400000, 5700000)]
LAND_HOLE = [(3410000, 5710000), (3420000, 5710000), (3420000, 5720000), (3410000, 5720000), (3410000, 5710000)]
WATER = [(3500000, 5800000), (3500000, 5810000), (3510000, 5810000), (3510000, 5800000), (3500000, 5800000)]
FIELDS = [("ADE", "N", 2), ("GF", "N", 2), ("BSG", "N", 2), ("ARS", "C", 12), ("AGS", "C", 8), ("GEN", "C", 60)]
FIELDS += [("BEZ", "C", 75), ("NUTS", "C", 5)]


def write_shapefile(folder: Path, records: list[tuple[list[Any], list[list[tuple[int, int]]]]]) -> Path:
    """A VG-like polygon shapefile with .dbf, .prj (ESRI WKT of EPSG:31467) and .cpg."""
    path = folder / "VG5000_LAN.shp"
    with shapefile.Writer(str(path.with_suffix("")), shapeType=shapefile.POLYGON, encoding="utf-8") as w:
        for name, kind, size in FIELDS:
            w.field(name, kind, size=size)
        for values, rings in records:
            w.poly(rings)
            w.record(*values)
    path.with_suffix(".prj").write_text(GK3.to_wkt(WktVersion.WKT1_ESRI), encoding="utf-8")
    path.with_suffix(".cpg").write_text("UTF-8", encoding="utf-8")
    return path


def expected_lonlat(ring: list[tuple[int, int]]) -> list[list[float]]:
    to_wgs84 = Transformer.from_crs(GK3, CRS.from_epsg(4326), always_xy=True)
    lon, lat = to_wgs84.transform([p[0] for p in ring], [p[1] for p in ring])
    rounded: list[list[float]] = np.round(np.column_stack([lon, lat]), 6).tolist()
    return rounded


def test_shapefile_is_reprojected_filtered_and_wound(tmp_path: Path) -> None:
    (tmp_path / "aktualitaet.txt").write_text("01.01.2021", encoding="utf-8")
    path = write_shapefile(
        tmp_path,
        [
            ([2, 9, 1, "05", "05", "Nordrhein-Westfalen", "Land", "DEA"], [LAND, LAND_HOLE]),
            ([2, 8, 1, "05", "05", "Nordrhein-Westfalen", "Land", "DEA"], [WATER]),  # water: dropped
            ([2, 9, 9, "08", "08", "Baden-Württemberg (Bodensee)", "Land", "DE1"], [WATER]),  # Bodensee
            ([2, 9, 1, "08", "08", "Baden-Württemberg", "Land", "DE1"], [WATER]),
        ],
    )
    assert dbf_field_names(path.with_suffix(".dbf")) == [f[0] for f in FIELDS]
    assert sniff_shapefile(path, path.read_bytes()[:100])
    parsed = read_shapefile(path)
    assert plain(parsed.regions) == [
        ("de:land", "05", "Nordrhein-Westfalen", "DG", "DEA", "Land"),
        ("de:land", "08", "Baden-Württemberg", "DG", "DE1", "Land"),
    ]
    geo = dict(zip(parsed.geometries["region_code"], map(json.loads, parsed.geometries["geojson"]), strict=True))
    exterior, hole = geo["05"]["coordinates"][0], geo["05"]["coordinates"][1]
    assert exterior == expected_lonlat(LAND)  # clockwise in GK3 stays clockwise in lon/lat
    assert hole == expected_lonlat(LAND_HOLE)
    assert is_clockwise(exterior) and not is_clockwise(hole)
    assert exterior[0][0] == pytest.approx(7.561, abs=0.005) and exterior[0][1] == pytest.approx(51.43, abs=0.01)
    assert geo["08"]["coordinates"] == [expected_lonlat(WATER)]
    assert geo["08"]["coordinates"][0][0][0] == pytest.approx(9.0, abs=0.002)  # on the central meridian
    info = parsed.info
    assert (info.dataset_key, info.vintage, info.format) == ("bkg:vg5000:lan:2021-01-01", "2021-01-01", "bkg-shapefile")
    assert "2 water-area records" in " ".join(info.notes)


def test_shapefile_errors_name_file_record_and_field(tmp_path: Path) -> None:
    path = write_shapefile(tmp_path, [([2, 9, 1, "", "", "Nordrhein-Westfalen", "Land", "DEA"], [LAND])])
    with pytest.raises(InputError) as err:
        read_shapefile(path)
    assert (err.value.line, err.value.field) == (1, "ARS")
    assert "VG5000_LAN.dbf" in str(err.value)
    path = write_shapefile(tmp_path, [([5, 9, 1, "05", "05", "Verband", "Amt", ""], [LAND])])
    with pytest.raises(InputError) as err:
        read_shapefile(path)
    assert (err.value.line, err.value.field) == (1, "ADE")
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match=r"\.prj"):
        read_shapefile(path)
    assert not sniff_shapefile(tmp_path / "other.shp", b"\x00\x00\x27\x0a")  # no .dbf beside it


# --------------------------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def real() -> dict[str, ParsedSource]:
    if not BKG.is_dir():
        pytest.skip(f"real data not found at {BKG}")
    return {
        "csv": read_registry(BKG / "kreise_ags_nuts3.csv"),
        "geojson": read_geojson(BKG / "Ebene_Kreise_vg5000_2021.geojson"),
        "krs": read_shapefile(BKG / "VG5000_KRS.shp"),
        "lan": read_shapefile(BKG / "VG5000_LAN.shp"),
    }


@pytest.mark.integration
def test_real_registry_has_401_kreise_with_nuts_codes(real: dict[str, ParsedSource]) -> None:
    regions = real["csv"].regions.set_index("region_code")
    assert len(regions) == 401 and regions.index.is_unique
    assert list(regions.loc["05562", ["name", "nuts_code", "parent_code", "kind"]]) == [
        "Recklinghausen",
        "DEA36",
        "05",
        "Kreis",
    ]
    assert regions.loc["05513", "nuts_code"] == "DEA32"  # Gelsenkirchen
    assert regions["nuts_code"].is_unique and regions["nuts_code"].str.fullmatch(r"DE[0-9A-G]\w\w").all()
    assert set(regions["parent_code"]) == {f"{i:02d}" for i in range(1, 17)}
    assert set(regions["kind"]) == {"Landkreis", "Kreis", "Kreisfreie Stadt", "Stadtkreis"}
    info = real["csv"].info
    assert (info.kind, info.dataset_key) == ("registry", "bkg:vg5000:krs-nuts3:2021-01-01")


@pytest.mark.integration
def test_real_kreis_layers_agree_with_the_registry(real: dict[str, ParsedSource]) -> None:
    csv = real["csv"].regions.set_index("region_code")
    for key in ("geojson", "krs"):
        regions = real[key].regions.set_index("region_code")
        assert len(regions) == 401 and len(real[key].geometries) == 401
        assert (regions["name"] == csv.loc[regions.index, "name"]).all()
        assert (regions["kind"] == csv.loc[regions.index, "kind"]).all()
    krs = real["krs"].regions.set_index("region_code")
    assert (krs["nuts_code"] == csv.loc[krs.index, "nuts_code"]).all()  # the shapefile carries NUTS too
    assert real["krs"].info.dataset_key == "bkg:vg5000:krs:2021-01-01"
    assert real["geojson"].info.dataset_key == "bkg:vg5000:krs-geojson:2021-01-01"


@pytest.mark.integration
def test_real_reprojection_matches_the_publishers_wgs84_geojson(real: dict[str, ParsedSource]) -> None:
    shp = dict(zip(real["krs"].geometries["region_code"], real["krs"].geometries["geojson"], strict=True))
    gj = dict(zip(real["geojson"].geometries["region_code"], real["geojson"].geometries["geojson"], strict=True))
    for code in ("05562", "09162", "01001", "16077"):
        a, b = shape(json.loads(shp[code])), shape(json.loads(gj[code]))
        assert a.centroid.distance(b.centroid) < 1e-3  # within about 100 m
        assert a.area == pytest.approx(b.area, rel=1e-3)


@pytest.mark.integration
def test_real_laender_from_the_shapefile(real: dict[str, ParsedSource]) -> None:
    lan = real["lan"]
    regions = lan.regions.set_index("region_code")
    assert list(regions.index) == [f"{i:02d}" for i in range(1, 17)]
    assert regions.loc["05", "name"] == "Nordrhein-Westfalen" and regions.loc["05", "nuts_code"] == "DEA"
    assert (regions["parent_code"] == "DG").all()
    assert len(lan.geometries) == 16
    shapes = [json.loads(t) for t in lan.geometries["geojson"]]
    points = np.array([p for g in shapes for r in exterior_rings(g) for p in r])
    west, south, east, north = GERMANY_BBOX
    assert west < points[:, 0].min() and points[:, 0].max() < east
    assert south < points[:, 1].min() and points[:, 1].max() < north
    assert all(shape(g).is_valid for g in shapes)  # Bayern's self-touching ring is repaired


@pytest.mark.integration
def test_real_rings_are_wound_for_d3(real: dict[str, ParsedSource]) -> None:
    for key in ("geojson", "krs", "lan"):
        shapes = [json.loads(t) for t in real[key].geometries["geojson"]]
        assert all(is_clockwise(r) for g in shapes for r in exterior_rings(g)), key
        assert not any(is_clockwise(r) for g in shapes for r in interior_rings(g)), key


@pytest.mark.integration
def test_real_simplified_kreise_stay_a_clean_coverage(real: dict[str, ParsedSource]) -> None:
    parsed = read_geojson(BKG / "Ebene_Kreise_vg5000_2021.geojson", simplify=0.01)
    assert parsed.info.attribution == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert len(parsed.geometries) == 401
    size = parsed.geometries["geojson"].str.len().sum()
    assert size < 0.8 * real["geojson"].geometries["geojson"].str.len().sum()
    shapes = [shape(json.loads(t)) for t in parsed.geometries["geojson"]]
    assert all(g.is_valid for g in shapes)
    assert shapely.coverage_is_valid(shapely.GeometryCollection(shapes))  # no overlaps; shared borders match
    assert all(is_clockwise(r) for t in parsed.geometries["geojson"] for r in exterior_rings(json.loads(t)))


@pytest.mark.integration
def test_real_files_are_detected(real: dict[str, ParsedSource]) -> None:
    assert detect(BKG / "kreise_ags_nuts3.csv").name == "bkg-registry"
    assert detect(BKG / "Ebene_Kreise_vg5000_2021.geojson").name == "bkg-geojson"
    assert detect(BKG / "VG5000_KRS.shp").name == "bkg-shapefile"
    assert detect(BKG / "VG5000_LAN.shp").name == "bkg-shapefile"
