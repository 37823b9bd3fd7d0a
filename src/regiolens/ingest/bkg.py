"""BKG administrative areas (VG5000/VG250): registry CSV, WGS84 GeoJSON and Gauss-Krüger shapefiles.

Three readers, one per form in which the Bundesamt für Kartographie und Geodäsie (BKG) data reach us:

``bkg-registry`` — ``kreise_ags_nuts3.csv`` (UTF-8, ``,``-separated, header
``ags,ars,name,bez,nuts3,land_code,wsk``): one row per Kreis. Becomes a *registry* source: regions at
level ``de:kreis`` with ``nuts_code`` = NUTS 3 code, ``parent_code`` = 2-digit Land code and ``kind``
= ``bez`` ("Landkreis", "Kreis", "Kreisfreie Stadt", "Stadtkreis"). The file does not name the
Länder, so no Land rows are emitted (Land names come from GENESIS statistics or the Land geometry).

``bkg-geojson`` — a VG GeoJSON layer such as ``Ebene_Kreise_vg5000_2021.geojson`` (WGS84, properties
``ARS``, ``GEN``, ``BEZ``). Becomes a *geometry* source: regions (names, kinds) and geometries.

``bkg-shapefile`` — a VG shapefile layer such as ``VG5000_KRS.shp`` or ``VG5000_LAN.shp`` with its
``.dbf``, ``.prj`` (and ``.cpg``) beside it, in Gauss-Krüger zone 3 (EPSG:31467). Read with pyshp,
reprojected to EPSG:4326 with pyproj from the ``.prj``. Level from the ``ADE`` field (2 Land,
3 Regierungsbezirk, 4 Kreis, 6 Gemeinde) or else from the length of ``ARS``.

Decisions:

- Region codes: Land 2 digits, Regierungsbezirk 3, Kreis 5 (the ``ARS``); a Gemeinde gets its
  8-digit AGS (from ``AGS`` or built from the 12-digit ``ARS``). Parent: Land → ``DG``, Kreis and
  Regierungsbezirk → Land, Gemeinde → Kreis.
- Only land areas are kept: VG layers also hold coastal waters and the Bodensee as separate records of
  the same Land (``GF`` 8 or ``BSG`` 9 in VG5000 2021; ``GF`` 1/2 in older products). Records with
  ``GF`` in {4, 9} (land with structure) and ``BSG`` 1 are kept; the others are dropped and counted
  in the notes. Several land records of one region are merged into one MultiPolygon.
- Geometries are stored Vega-ready: rounded to 6 decimals, exterior rings clockwise, holes
  counter-clockwise (d3-geo's convention, see :mod:`regiolens.regions.geometry`).
- ``simplify`` (degrees) simplifies the geometries as a coverage; the attribution then ends in
  " (Daten verändert)" as dl-de/by-2-0 requires.
- Vintage: the date in ``aktualitaet.txt`` beside the file (``01.01.2021`` → ``2021-01-01``), else
  the year in the file name. Dataset keys: ``bkg:vg5000:krs:2021-01-01`` (shapefile),
  ``bkg:vg5000:krs-geojson:2021-01-01`` (GeoJSON), ``bkg:vg5000:krs-nuts3:2021-01-01`` (registry CSV):
  different forms of the data are different datasets, so importing one never replaces another.
"""

from __future__ import annotations

import csv
import io
import re
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapefile
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import read_text, sha256_of
from regiolens.model import GERMANY_CODE, REGION_COLUMNS, ParsedSource, RegionLevel, SourceInfo
from regiolens.regions.geometry import (
    features_of,
    geometry_text,
    is_wgs84,
    load_json,
    merge_polygons,
    modified_attribution,
    simplify_by_level,
)

PUBLISHER = "Bundesamt für Kartographie und Geodäsie (BKG)"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
ATTRIBUTION = "© GeoBasis-DE / BKG"
REGISTRY_COLUMNS = ("ags", "ars", "name", "bez", "nuts3", "land_code", "wsk")
"""Header of ``kreise_ags_nuts3.csv``; ``ars`` and ``wsk`` are optional, the others required."""

_REQUIRED_CSV = ("ags", "name", "bez", "nuts3", "land_code")
_NUTS3 = re.compile(r"^DE[0-9A-Z]{3}$")
_DATE_DE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")
_PRODUCT_IN_NAME = re.compile(r"(vg\d+)", re.IGNORECASE)
_LEVEL_BY_ADE = {
    2: RegionLevel.DE_LAND,
    3: RegionLevel.DE_REGBEZ,
    4: RegionLevel.DE_KREIS,
    6: RegionLevel.DE_GEMEINDE,
}
_LEVEL_BY_ARS_LENGTH = {
    2: RegionLevel.DE_LAND,
    3: RegionLevel.DE_REGBEZ,
    5: RegionLevel.DE_KREIS,
    8: RegionLevel.DE_GEMEINDE,
    12: RegionLevel.DE_GEMEINDE,
}
_LAYER = {
    RegionLevel.DE_LAND: "lan",
    RegionLevel.DE_REGBEZ: "rbz",
    RegionLevel.DE_KREIS: "krs",
    RegionLevel.DE_GEMEINDE: "gem",
}
_LAND_GF = {4, 9}  # Geofaktor of land areas ("mit Struktur"): 4 in older VG products, 9 in VG5000 2021
_SHP_MAGIC = b"\x00\x00\x27\x0a"


# --------------------------------------------------------------------------------------------- shared


def vintage_beside(path: Path) -> str | None:
    """The reference date of a BKG delivery from ``aktualitaet.txt`` beside ``path`` (ISO date).

    ``None`` when there is no such file; its text unchanged when it holds no ``dd.mm.yyyy`` date.
    """
    candidates = [p for p in path.parent.glob("*") if p.name.lower() == "aktualitaet.txt"]
    if not candidates:
        return None
    text = candidates[0].read_bytes().decode("utf-8", errors="replace").strip()
    if m := _DATE_DE.search(text):
        return f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    return text or None


def _vintage(path: Path) -> str | None:
    vintage = vintage_beside(path)
    if vintage is None and (m := _YEAR_IN_NAME.search(path.stem)):
        vintage = m.group(1) + m.group(2)
    return vintage


def _attribution(vintage: str | None, simplified: bool) -> str:
    year = vintage[:4] if vintage and vintage[:4].isdigit() else None
    text = f"{ATTRIBUTION} {year}" if year else ATTRIBUTION
    return modified_attribution(text) if simplified else text


def _product(path: Path) -> str:
    """``vg5000``, ``vg250``, … from the file name or else the folder name; ``vg`` when neither says."""
    m = _PRODUCT_IN_NAME.search(path.name) or _PRODUCT_IN_NAME.search(path.parent.name)
    return m.group(1).lower() if m else "vg"


def _info(
    path: Path, fmt: str, key: str, vintage: str | None, kind: str, simplified: bool, notes: Iterable[str]
) -> SourceInfo:
    return SourceInfo(
        dataset_key=key,
        file_name=path.name,
        sha256=sha256_of(path),
        format=fmt,
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=_attribution(vintage, simplified),
        vintage=vintage,
        kind=kind,
        notes=tuple(notes),
    )


def _region_code(ars: str, ags: str | None, level: RegionLevel) -> str:
    if level is RegionLevel.DE_GEMEINDE:
        if ags and len(ags) == 8:
            return ags
        if len(ars) == 12:
            return ars[:5] + ars[9:]
    return ars


def _parent(code: str, level: RegionLevel) -> str | None:
    if level is RegionLevel.DE_LAND:
        return GERMANY_CODE
    if level in (RegionLevel.DE_REGBEZ, RegionLevel.DE_KREIS):
        return code[:2]
    if level is RegionLevel.DE_GEMEINDE:
        return code[:5]
    return None


class _Collector:
    """Gathers region rows and polygon parts per region code, then builds the two frames."""

    def __init__(self) -> None:
        self.order: list[tuple[str, str]] = []
        self.regions: dict[tuple[str, str], tuple[Any, ...]] = {}
        self.parts: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.collapsed: list[str] = []

    def add(self, level: RegionLevel, code: str, name: str, kind: str | None, nuts: str | None, geom: Any) -> None:
        key = (level.value, code)
        if key not in self.regions:
            self.order.append(key)
            self.regions[key] = (level.value, code, name, _parent(code, level), nuts or None, kind or None)
            self.parts[key] = []
        self.parts[key].append(geom)

    def frames(self, simplify: float | None) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        regions = pd.DataFrame([self.regions[k] for k in self.order], columns=list(REGION_COLUMNS))
        texts = [geometry_text(merge_polygons(self.parts[k])) for k in self.order]
        kept = [(k, t) for k, t in zip(self.order, texts, strict=True) if t is not None]
        self.collapsed = [f"{k[1]} {self.regions[k][2]}" for k, t in zip(self.order, texts, strict=True) if t is None]
        merged = sum(1 for k in self.order if len(self.parts[k]) > 1)
        stored = [t for _, t in kept]
        if simplify:
            stored = simplify_by_level([k[0] for k, _ in kept], stored, simplify)
        geometries = pd.DataFrame(
            {
                "region_level": [k[0] for k, _ in kept],
                "region_code": [k[1] for k, _ in kept],
                "geojson": stored,
            }
        )
        return regions, geometries, merged


# --------------------------------------------------------------------------------------------- registry CSV


def sniff_registry(path: Path, head: bytes) -> bool:
    """A CSV whose header starts ``ags,ars,name,bez,nuts3`` (or holds ags, name, bez and nuts3)."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    if first.startswith(b"ags,ars,name,bez,nuts3"):
        return True
    cells = {c.strip().strip(b'"') for c in first.split(b",")}
    return {b"ags", b"name", b"bez", b"nuts3"} <= cells


def read_registry(path: Path, encoding: str = "utf-8-sig") -> ParsedSource:
    """Parse ``kreise_ags_nuts3.csv`` into Kreis regions (level ``de:kreis``) with NUTS 3 codes."""
    text = read_text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(path, 1, None, "empty file: no header line") from None
    for column in _REQUIRED_CSV:
        if column not in header:
            raise InputError(path, 1, column, f"missing column {column!r} in header {','.join(header)}")
    pos = {c: header.index(c) for c in REGISTRY_COLUMNS if c in header}
    rows: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            missing = header[len(fields)] if len(fields) < len(header) else None
            raise InputError(path, line, missing, f"{len(fields)} fields where the header has {len(header)}")
        value = {c: fields[i].strip() for c, i in pos.items()}
        for column in _REQUIRED_CSV:
            if not value[column]:
                raise InputError(path, line, column, "empty value")
        ags, land, nuts = value["ags"], value["land_code"], value["nuts3"]
        if not (ags.isdigit() and len(ags) == 5):
            raise InputError(path, line, "ags", f"not a 5-digit Kreis key: {ags!r}")
        if not (land.isdigit() and len(land) == 2) or not ags.startswith(land):
            raise InputError(path, line, "land_code", f"{land!r} is not the Land of Kreis {ags}")
        if not _NUTS3.match(nuts):
            raise InputError(path, line, "nuts3", f"not a German NUTS 3 code: {nuts!r}")
        if ags in seen:
            raise InputError(path, line, "ags", f"Kreis {ags} listed twice (first on line {seen[ags]})")
        seen[ags] = line
        rows.append((RegionLevel.DE_KREIS.value, ags, value["name"], land, nuts, value["bez"]))
    if not rows:
        raise InputError(path, None, None, "no Kreis rows below the header")
    vintage = _vintage(path)
    info = _info(
        path,
        "bkg-registry",
        f"bkg:{_product(path)}:krs-nuts3:{vintage or 'undated'}",
        vintage,
        "registry",
        False,
        [f"{len(rows)} Kreise; Land names are not in this file (they come from GENESIS or the Land layer)"],
    )
    return ParsedSource(info=info, regions=pd.DataFrame(rows, columns=list(REGION_COLUMNS)))


# --------------------------------------------------------------------------------------------- GeoJSON


def sniff_geojson(path: Path, head: bytes) -> bool:
    """A GeoJSON FeatureCollection whose features carry the VG properties ``ARS`` and ``GEN``."""
    return b'"FeatureCollection"' in head and b'"ARS"' in head and b'"GEN"' in head


def _code_number(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _keep_land(props: dict[str, Any]) -> bool:
    """Whether a VG record is a land area (``GF`` 4 or 9, ``BSG`` 1); records without these fields pass."""
    gf, bsg = _code_number(props.get("GF")), _code_number(props.get("BSG"))
    return (gf is None or gf in _LAND_GF) and (bsg is None or bsg == 1)


def read_geojson(path: Path, simplify: float | None = None) -> ParsedSource:
    """Parse a BKG VG GeoJSON layer (WGS84) into regions and Vega-ready geometries."""
    document = load_json(path)
    features = features_of(path, document)
    if not is_wgs84(document):
        raise InputError(path, None, "crs", "coordinates are not WGS84 lon/lat; use the WGS84 GeoJSON")
    collector = _Collector()
    dropped = 0
    levels: set[RegionLevel] = set()
    for i, feature in enumerate(features, start=1):
        props = feature["properties"]
        for field in ("ARS", "GEN"):
            if props.get(field) in (None, ""):
                raise InputError(path, i, field, f"feature {i} has no {field!r} property")
        ars = str(props["ARS"]).strip()
        level = _level(path, i, None, ars)
        if not _keep_land(props):
            dropped += 1
            continue
        levels.add(level)
        code = _region_code(ars, str(props.get("AGS") or "").strip() or None, level)
        kind = str(props.get("BEZ") or "").strip() or None
        nuts = str(props.get("NUTS") or "").strip() or None
        collector.add(level, code, str(props["GEN"]).strip(), kind, nuts, feature["geometry"])
    regions, geometries, merged = collector.frames(simplify)
    vintage = _vintage(path)
    layer = "-".join(sorted(_LAYER[lv] for lv in levels)) or "empty"
    notes = _geometry_notes(len(regions), dropped, merged, simplify, collector.collapsed)
    key = f"bkg:{_product(path)}:{layer}-geojson:{vintage or 'undated'}"
    info = _info(path, "bkg-geojson", key, vintage, "geometry", bool(simplify), notes)
    return ParsedSource(info=info, regions=regions, geometries=geometries)


def _level(path: Path, line: int, ade: int | None, ars: str) -> RegionLevel:
    if ade is not None and ade in _LEVEL_BY_ADE:
        return _LEVEL_BY_ADE[ade]
    if ade is not None and ade not in (0,):
        raise InputError(path, line, "ADE", f"administrative level {ade} is not supported (2, 3, 4 or 6)")
    level = _LEVEL_BY_ARS_LENGTH.get(len(ars)) if ars.isdigit() else None
    if level is None:
        raise InputError(
            path, line, "ARS", f"not a regional key of a Land, Regierungsbezirk, Kreis or Gemeinde: {ars!r}"
        )
    return level


def _geometry_notes(n: int, dropped: int, merged: int, simplify: float | None, collapsed: list[str]) -> list[str]:
    notes = [f"{n} regions; rings wound clockwise (exterior) for d3/Vega, coordinates rounded to 6 decimals"]
    if collapsed:
        notes.append(f"{len(collapsed)} regions without area at this resolution, no geometry: {', '.join(collapsed)}")
    if dropped:
        notes.append(f"{dropped} water-area records (coastal waters, Bodensee) dropped: land areas only")
    if merged:
        notes.append(f"{merged} regions assembled from several land records into one MultiPolygon")
    if simplify:
        notes.append(f"geometry simplified (coverage simplification, tolerance {simplify} degrees)")
    return notes


# --------------------------------------------------------------------------------------------- shapefile


def dbf_field_names(dbf: Path) -> list[str]:
    """Field names from the header of a dBASE file, without reading its records."""
    with dbf.open("rb") as fh:
        head = fh.read(32)
        if len(head) < 32:
            return []
        header_length = struct.unpack("<H", head[8:10])[0]
        block = fh.read(max(0, header_length - 32))
    names = []
    for offset in range(0, len(block) - 31, 32):
        descriptor = block[offset : offset + 32]
        if descriptor[0] == 0x0D:
            break
        names.append(descriptor[:11].split(b"\x00", 1)[0].decode("ascii", errors="replace").strip())
    return names


def _sibling(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def sniff_shapefile(path: Path, head: bytes) -> bool:
    """A ``.shp`` (polygon shapefile) with a ``.dbf`` beside it that has VG fields ``ARS`` and ``GEN``."""
    if path.suffix.lower() != ".shp" or not head.startswith(_SHP_MAGIC):
        return False
    dbf = _sibling(path, ".dbf")
    if dbf is None:
        return False
    try:
        fields = set(dbf_field_names(dbf))
    except (OSError, struct.error):
        return False
    return {"ARS", "GEN"} <= fields


def transformer_for(prj: Path) -> Transformer:
    """A transformer from the CRS in a ``.prj`` (WKT) to WGS84 lon/lat (EPSG:4326, x = longitude)."""
    try:
        source = CRS.from_wkt(prj.read_text(encoding="utf-8", errors="replace"))
    except CRSError as exc:
        raise InputError(prj, 1, None, f"coordinate reference system not understood: {exc}") from None
    return Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)


def _reproject(geometry: dict[str, Any], transformer: Transformer) -> dict[str, Any]:
    """Reproject a (Multi)Polygon ``__geo_interface__`` with one vectorised call."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else list(geometry["coordinates"])
    lengths = [[len(ring) for ring in polygon] for polygon in polygons]
    xy = np.array([pt[:2] for polygon in polygons for ring in polygon for pt in ring], dtype="float64")
    lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
    points = np.column_stack([lon, lat])
    if not np.isfinite(points).all():
        raise ValueError("reprojection produced non-finite coordinates")
    out: list[list[Any]] = []
    start = 0
    for polygon_lengths in lengths:
        rings = []
        for n in polygon_lengths:
            rings.append(points[start : start + n])
            start += n
        out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def read_shapefile(path: Path, simplify: float | None = None) -> ParsedSource:
    """Parse a BKG VG shapefile layer (e.g. ``VG5000_KRS.shp``), reprojected to WGS84 lon/lat."""
    dbf, prj = _sibling(path, ".dbf"), _sibling(path, ".prj")
    if dbf is None:
        raise InputError(path, None, None, "no .dbf file beside the shapefile")
    if prj is None:
        raise InputError(path, None, None, "no .prj file beside the shapefile: coordinate system unknown")
    cpg = _sibling(path, ".cpg")
    encoding = cpg.read_text(errors="replace").strip() if cpg else "utf-8"
    transformer = transformer_for(prj)
    collector = _Collector()
    dropped = 0
    levels: set[RegionLevel] = set()
    try:
        sf = shapefile.Reader(shp=str(path), dbf=str(dbf), encoding=encoding or "utf-8")
    except shapefile.ShapefileException as exc:
        raise InputError(path, None, None, f"not a readable shapefile: {exc}") from None
    with sf:
        names = [f[0] for f in sf.fields[1:]]
        for field in ("ARS", "GEN"):
            if field not in names:
                raise InputError(dbf, 1, field, f"missing field {field!r} in the .dbf")
        for i, item in enumerate(sf.iterShapeRecords(), start=1):
            record = item.record.as_dict()
            ars = str(record.get("ARS") or "").strip()
            if not ars:
                raise InputError(dbf, i, "ARS", f"record {i} has no 'ARS'")
            if not str(record.get("GEN") or "").strip():
                raise InputError(dbf, i, "GEN", f"record {i} has no 'GEN'")
            ade = record.get("ADE")
            level = _level(dbf, i, int(ade) if ade not in (None, "") else None, ars)
            if not _keep_land(record):
                dropped += 1
                continue
            geo = item.shape.__geo_interface__
            if geo.get("type") not in ("Polygon", "MultiPolygon"):
                raise InputError(path, i, "geometry", f"record {i} is not a polygon ({geo.get('type')})")
            try:
                geometry = _reproject(geo, transformer)
            except ValueError as exc:
                raise InputError(path, i, "geometry", f"record {i}: {exc}") from None
            levels.add(level)
            code = _region_code(ars, str(record.get("AGS") or "").strip() or None, level)
            kind = str(record.get("BEZ") or "").strip() or None
            nuts = str(record.get("NUTS") or "").strip() or None
            collector.add(level, code, str(record["GEN"]).strip(), kind, nuts, geometry)
    regions, geometries, merged = collector.frames(simplify)
    vintage = _vintage(path)
    layer = "-".join(sorted(_LAYER[lv] for lv in levels)) or "empty"
    notes = _geometry_notes(len(regions), dropped, merged, simplify, collector.collapsed)
    notes.append(f"reprojected from {transformer.source_crs.name if transformer.source_crs else '?'} to EPSG:4326")
    key = f"bkg:{_product(path)}:{layer}:{vintage or 'undated'}"
    info = _info(path, "bkg-shapefile", key, vintage, "geometry", bool(simplify), notes)
    return ParsedSource(info=info, regions=regions, geometries=geometries)


register(
    Reader(
        "bkg-registry",
        "BKG Kreis registry CSV (ags, ars, name, bez, nuts3, …)",
        sniff_registry,
        read_registry,
    )
)
register(Reader("bkg-geojson", "BKG VG5000/VG250 GeoJSON layer (ARS, GEN, BEZ; WGS84)", sniff_geojson, read_geojson))
register(Reader("bkg-shapefile", "BKG VG5000/VG250 shapefile layer (Gauss-Krüger)", sniff_shapefile, read_shapefile))
