"""Region geometries for maps: winding for Vega/d3, rounding, simplification, FeatureCollections.

Every geometry regiolens stores is a GeoJSON geometry object in WGS84 longitude/latitude, serialised
as compact JSON text (:func:`geometry_text`), and is **Vega-ready**:

- *Winding.* Vega and Vega-Lite draw maps with d3-geo, which works on the sphere and decides which
  side of a ring is the inside by its orientation: exterior rings must run **clockwise** and holes
  **counter-clockwise** as seen on a map with north up (negative and positive shoelace area in the
  lon/lat plane respectively). That is the *opposite* of RFC 7946 §3.1.6 (exterior counter-clockwise),
  and an RFC 7946 polygon drawn by d3 fills the whole globe except the region. :func:`orient_d3`
  rewinds rings accordingly (Bostock, d3-geo README, "Spherical polygons"; Butler et al. 2016,
  RFC 7946).
- *Rounding.* Coordinates are rounded to 6 decimal places (about 0.1 m), which is far below the
  resolution of the 1:5 million to 1:60 million boundaries used here; repeated points and rings that
  collapse are dropped after rounding, and the winding is decided on the rounded coordinates, so
  that it holds for exactly what is stored.
- *Simplification* (optional, :func:`simplify_geometries`) uses GEOS coverage simplification
  (Visvalingam-Whyatt on shared edges) so that neighbouring regions keep common borders without gaps
  or overlaps. Simplified data is modified data: for BKG geometries the attribution must then carry
  " (Daten verändert)" (dl-de/by-2-0), see :func:`modified_attribution`.

The importers in :mod:`regiolens.ingest` apply these rules when they read a geometry file, so the
warehouse only ever holds oriented, rounded geometries. :func:`feature_collection` turns stored rows
into a GeoJSON FeatureCollection for a Vega-Lite map.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from regiolens.errors import InputError

GeoJSON = dict[str, Any]
"""A GeoJSON geometry object as a plain ``dict`` (``{"type": ..., "coordinates": ...}``)."""

PRECISION = 6
"""Decimal places kept in stored coordinates (1e-6 degree is about 0.1 m)."""

MODIFIED_MARKER = " (Daten verändert)"
"""Modification notice that dl-de/by-2-0 requires after the attribution of changed (e.g. simplified) data."""

_POLYGONAL = ("Polygon", "MultiPolygon")


# --------------------------------------------------------------------------------------------- winding


def signed_area(ring: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Shoelace area of a ring in the lon/lat plane: positive when counter-clockwise (north up).

    The ring may be closed (first point repeated at the end) or not; the result is the same.
    Planar area is enough to decide the winding of rings smaller than a hemisphere.
    """
    xy = np.asarray(ring, dtype="float64")
    if len(xy) < 3:
        return 0.0
    x, y = xy[:, 0], xy[:, 1]
    closing = x[-1] * y[0] - x[0] * y[-1]  # zero when the ring is closed
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]) + closing)


def is_clockwise(ring: Sequence[Sequence[float]] | np.ndarray) -> bool:
    """Whether a ring runs clockwise in the lon/lat plane (d3's winding of an exterior ring)."""
    return signed_area(ring) < 0


def _wind(ring: list[list[float]], clockwise: bool) -> list[list[float]]:
    area = signed_area(ring)
    if (area < 0) != clockwise and area != 0:
        return ring[::-1]
    return ring


def orient_d3(geometry: GeoJSON) -> GeoJSON:
    """A copy of ``geometry`` wound for d3-geo/Vega: exteriors clockwise, holes counter-clockwise.

    Polygons, MultiPolygons and GeometryCollections are rewound; other types are returned unchanged.
    Rings with zero area are left as they are.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": _orient_polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_orient_polygon(p) for p in geometry["coordinates"]]}
    if kind == "GeometryCollection":
        return {"type": "GeometryCollection", "geometries": [orient_d3(g) for g in geometry["geometries"]]}
    return geometry


def _orient_polygon(rings: Sequence[Sequence[Sequence[float]]]) -> list[list[list[float]]]:
    out = []
    for i, ring in enumerate(rings):
        out.append(_wind([list(p) for p in ring], clockwise=(i == 0)))
    return out


def exterior_rings(geometry: GeoJSON) -> Iterator[list[list[float]]]:
    """Every exterior ring of a (Multi)Polygon or of the polygons inside a GeometryCollection."""
    for polygon in _polygons(geometry):
        if polygon:
            yield polygon[0]


def interior_rings(geometry: GeoJSON) -> Iterator[list[list[float]]]:
    """Every hole of a (Multi)Polygon or of the polygons inside a GeometryCollection."""
    for polygon in _polygons(geometry):
        yield from polygon[1:]


def _polygons(geometry: GeoJSON) -> Iterator[list[list[list[float]]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    elif kind == "GeometryCollection":
        for g in geometry["geometries"]:
            yield from _polygons(g)


# --------------------------------------------------------------------------------------------- cleaning


def _clean_ring(ring: Sequence[Sequence[float]] | np.ndarray, precision: int | None) -> np.ndarray | None:
    """Round, drop repeated points, close; ``None`` when fewer than three distinct points remain."""
    xy = np.asarray(ring, dtype="float64")
    if xy.ndim != 2 or xy.shape[1] < 2 or len(xy) == 0:
        return None
    xy = xy[:, :2]
    if precision is not None:
        xy = np.round(xy, precision) + 0.0  # + 0.0 turns -0.0 into 0.0
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
    xy = xy[keep]
    if len(xy) > 1 and np.array_equal(xy[0], xy[-1]):
        xy = xy[:-1]
    if len(xy) < 3:
        return None
    return np.vstack([xy, xy[:1]])


def _clean_polygon(rings: Sequence[Any], precision: int | None) -> list[list[list[float]]] | None:
    out: list[list[list[float]]] = []
    for i, ring in enumerate(rings):
        xy = _clean_ring(ring, precision)
        if xy is None:
            if i == 0:
                return None  # exterior collapsed: the whole polygon goes
            continue
        area = signed_area(xy)  # zero for collinear or self-cancelling rings: left for repair()
        if area != 0 and (area < 0) != (i == 0):  # exterior clockwise, holes counter-clockwise
            xy = xy[::-1]
        out.append(xy.tolist())
    return out


def _clean_line(coords: Sequence[Any], precision: int | None) -> list[list[float]]:
    xy = np.asarray(coords, dtype="float64")[:, :2]
    if precision is not None:
        xy = np.round(xy, precision) + 0.0
    return xy.tolist()


def clean_geometry(geometry: GeoJSON, precision: int | None = PRECISION) -> GeoJSON | None:
    """Round coordinates, drop repeated points and collapsed rings, and wind the rings for d3.

    Returns ``None`` when nothing of a polygonal geometry survives (every exterior ring collapsed).
    Only the first two ordinates are kept.
    """
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        polygon = _clean_polygon(coords or [], precision)
        return None if polygon is None else {"type": "Polygon", "coordinates": polygon}
    if kind == "MultiPolygon":
        polygons = [p for p in (_clean_polygon(p, precision) for p in coords or []) if p is not None]
        if not polygons:
            return None
        return {"type": "MultiPolygon", "coordinates": polygons}
    if kind == "GeometryCollection":
        parts = [g for g in (clean_geometry(g, precision) for g in geometry.get("geometries", [])) if g]
        return {"type": "GeometryCollection", "geometries": parts} if parts else None
    if kind == "Point":
        return {"type": "Point", "coordinates": _clean_line([coords], precision)[0]}
    if kind in ("MultiPoint", "LineString"):
        return {"type": kind, "coordinates": _clean_line(coords or [], precision)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_clean_line(c, precision) for c in coords or []]}
    raise ValueError(f"not a GeoJSON geometry type: {kind!r}")


def to_text(geometry: GeoJSON) -> str:
    """Compact JSON text of a geometry, exactly as stored (no spaces, no NaN)."""
    return json.dumps(geometry, separators=(",", ":"), allow_nan=False)


def repair(geometry: GeoJSON) -> GeoJSON | None:
    """A valid version of a polygonal geometry (unchanged when it is valid already).

    Some official boundaries contain rings that touch themselves (a "pinch" where an inlet almost
    closes), which OGC validity forbids and which break area computations and coverage
    simplification. GEOS ``make_valid`` (structure method) rebuilds the same area as valid polygons;
    collapsed parts are dropped. ``None`` when nothing polygonal remains.
    """
    if geometry.get("type") not in _POLYGONAL:
        return geometry
    geom = shape(geometry)
    if geom.is_valid:
        return geometry
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    polygons = [g for g in shapely.get_parts(fixed) if g.geom_type in _POLYGONAL and not g.is_empty]
    if not polygons:
        return None
    return dict(mapping(shapely.union_all(polygons)))


def geometry_text(geometry: GeoJSON | shapely.Geometry, precision: int | None = PRECISION) -> str | None:
    """The stored form of a geometry: cleaned (:func:`clean_geometry`), valid, wound for d3, compact JSON.

    Accepts a GeoJSON ``dict`` or a shapely geometry; ``None`` when the geometry collapses. An invalid
    polygonal geometry (after rounding) is repaired with :func:`repair` and cleaned again.
    """
    as_dict = mapping(geometry) if isinstance(geometry, shapely.Geometry) else geometry
    cleaned = clean_geometry(dict(as_dict), precision)
    if cleaned is None:
        return None
    text = to_text(cleaned)
    if cleaned["type"] in _POLYGONAL and not shapely.is_valid(shapely.from_geojson(text)):
        fixed = repair(cleaned)
        cleaned = None if fixed is None else clean_geometry(fixed, precision)
        return None if cleaned is None else to_text(cleaned)
    return text


def merge_polygons(geometries: Sequence[GeoJSON]) -> GeoJSON:
    """One MultiPolygon holding every polygon of ``geometries`` (parts side by side, no union).

    Used when a source splits one region into several records (e.g. the main land area and islands);
    the parts are assumed not to overlap.
    """
    polygons: list[Any] = []
    for g in geometries:
        polygons.extend(_polygons(g))
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


# --------------------------------------------------------------------------------------------- simplify


def simplify_geometries(
    geometries: Sequence[str],
    tolerance: float,
    *,
    coverage: bool = True,
    precision: int | None = PRECISION,
) -> list[str]:
    """Simplified copies of stored geometries (JSON texts), in the same order.

    ``tolerance`` is in degrees. With ``coverage=True`` (the default, for the regions of one level,
    which tile the territory) GEOS coverage simplification keeps shared borders shared: no gaps, no
    slivers. With ``coverage=False`` each geometry is simplified on its own (Douglas-Peucker,
    topology preserved within the geometry). A geometry that would vanish is kept unsimplified.
    Attribute the result as modified data (:func:`modified_attribution`).
    """
    if tolerance < 0 or not math.isfinite(tolerance):
        raise ValueError(f"tolerance must be a finite number >= 0, got {tolerance!r}")
    if not geometries or tolerance == 0:
        return list(geometries)
    shapes = np.array([shape(json.loads(t)) for t in geometries], dtype=object)
    polygonal = np.array([g.geom_type in _POLYGONAL for g in shapes])
    result = shapes.copy()
    if coverage and polygonal.any():
        result[polygonal] = shapely.coverage_simplify(shapes[polygonal], tolerance)
        rest = ~polygonal
    else:
        rest = np.ones(len(shapes), dtype=bool)
    if rest.any():
        result[rest] = shapely.simplify(shapes[rest], tolerance, preserve_topology=True)
    out: list[str] = []
    for original, simplified, source in zip(geometries, result, shapes, strict=True):
        text = None if simplified is None or simplified.is_empty else geometry_text(simplified, precision)
        out.append(text if text is not None else (geometry_text(source, precision) or original))
    return out


def simplify_by_level(levels: Sequence[str], geometries: Sequence[str], tolerance: float) -> list[str]:
    """:func:`simplify_geometries` applied to the geometries of each region level as one coverage.

    ``levels[i]`` is the region level of ``geometries[i]``; the result keeps the input order.
    """
    if len(levels) != len(geometries):
        raise ValueError(f"{len(levels)} levels for {len(geometries)} geometries")
    out = list(geometries)
    for level in dict.fromkeys(levels):
        idx = [i for i, lv in enumerate(levels) if lv == level]
        for i, text in zip(idx, simplify_geometries([out[i] for i in idx], tolerance), strict=True):
            out[i] = text
    return out


def modified_attribution(attribution: str, marker: str = MODIFIED_MARKER) -> str:
    """``attribution`` with the modification notice appended once (dl-de/by-2-0: "(Daten verändert)")."""
    return attribution if attribution.endswith(marker) else attribution + marker


# --------------------------------------------------------------------------------------------- files


def load_json(path: Path) -> Any:
    """Parse a (Geo/Topo)JSON file; a syntax error becomes an :class:`InputError` naming the line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, f"not UTF-8 JSON (byte at offset {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, None, f"invalid JSON at column {exc.colno}: {exc.msg}") from None


def features_of(path: Path, document: Any) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection, each checked to be a Feature with a polygon.

    Errors name the feature by its 1-based position, reported as the ``line`` of the
    :class:`InputError` (GeoJSON files often hold every feature on one text line).
    """
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InputError(path, None, "type", "not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise InputError(path, None, "features", "FeatureCollection without a 'features' array")
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError(path, i, None, f"feature {i} is not a GeoJSON Feature")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in _POLYGONAL:
            raise InputError(path, i, "geometry", f"feature {i} has no Polygon or MultiPolygon geometry")
        if not isinstance(feature.get("properties"), dict):
            raise InputError(path, i, "properties", f"feature {i} has no properties")
    return features


def is_wgs84(document: Mapping[str, Any]) -> bool:
    """Whether a GeoJSON document declares WGS84 lon/lat (no ``crs`` member also means WGS84)."""
    crs = document.get("crs")
    if not crs:
        return True
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, Mapping) else ""
    return name.endswith(("CRS84", "EPSG::4326", "EPSG:4326", "4326"))


# --------------------------------------------------------------------------------------------- maps


def _plain(value: Any) -> Any:
    """A JSON-safe Python value: numpy scalars unwrapped, NaN/NA/NaT as ``None``."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists, dicts: not scalars
        pass
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def feature_collection(
    rows: pd.DataFrame,
    *,
    properties: Sequence[str] | None = None,
    simplify: float | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for a map from stored region rows.

    ``rows`` needs the columns ``region_level``, ``region_code`` and ``geojson`` (stored geometry
    text); ``name`` and any other columns (metric values, classes, …) become feature properties.
    ``properties`` restricts and orders the extra columns. Each feature's ``id`` is
    ``"<region_level>:<region_code>"``, unique even where AGS and FIPS codes coincide. Rows without a
    geometry are skipped. Rings are (re)wound for d3, so the result can go straight into a Vega-Lite
    ``data`` block (``{"values": fc, "format": {"type": "json", "property": "features"}}``).
    ``simplify`` (degrees) simplifies the geometries of each level as a coverage; say so in the
    attribution (:func:`modified_attribution`).
    """
    missing = [c for c in ("region_level", "region_code", "geojson") if c not in rows.columns]
    if missing:
        raise ValueError(f"rows lack the column(s) {', '.join(missing)}")
    extra = [c for c in rows.columns if c not in ("region_level", "region_code", "name", "geojson")]
    if properties is not None:
        unknown = [c for c in properties if c not in rows.columns]
        if unknown:
            raise ValueError(f"unknown property column(s) {', '.join(unknown)}")
        extra = [c for c in properties if c not in ("region_level", "region_code", "name", "geojson")]
    present = rows[rows["geojson"].notna()]
    texts = present["geojson"].astype(str).tolist()
    if simplify:
        texts = simplify_by_level(present["region_level"].astype(str).tolist(), texts, simplify)
    has_name = "name" in present.columns
    features: list[dict[str, Any]] = []
    for text, record in zip(texts, present.to_dict("records"), strict=True):
        props: dict[str, Any] = {
            "region_level": _plain(record["region_level"]),
            "region_code": _plain(record["region_code"]),
        }
        if has_name:
            props["name"] = _plain(record["name"])
        for column in extra:
            props[column] = _plain(record[column])
        features.append(
            {
                "type": "Feature",
                "id": f"{props['region_level']}:{props['region_code']}",
                "geometry": orient_d3(json.loads(text)),
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}
