"""U.S. counties, states and nation from the us-atlas TopoJSON (``counties-10m.json``).

us-atlas (npm package, ISC licence) ships the Census Bureau's 2017 cartographic boundaries as one
TopoJSON topology in WGS84 lon/lat, quantized, with the objects ``counties`` (3,231 features, 5-digit
FIPS ids), ``states`` (56: 50 states, DC and five territories; 2-digit FIPS) and ``nation`` (one
feature without id); each county and state has a ``name`` property.

TopoJSON is decoded here (:func:`decode_arcs`, :func:`to_geojson`, about forty lines following the
TopoJSON specification): the PyPI packages either encode TopoJSON (``topojson``) or are unmaintained
ports of topojson-client (``pytopojson``, last release 2022), and decoding is small and fully tested.

- Arcs of a quantized topology are delta-encoded integers: positions are the running sums of the
  deltas, then ``x * scale + translate`` (spec §2.1.2–2.1.3).
- An arc index ``i < 0`` means arc ``~i`` (= ``-i - 1``) reversed (§2.1.4).
- The arcs of a ring or line are stitched: the first position of every arc after the first repeats
  the last position of the previous arc and is dropped.

Decisions: levels ``us:county`` (code = 5-digit FIPS, parent = state FIPS), ``us:state`` (2-digit FIPS,
parent ``US``; ``kind`` "State", or "Territory" for FIPS codes 60 and above) and ``us:nation`` (code
``US``; the file gives it no name, so ``name`` is empty). Geometries are stored Vega-ready (rounded to
6 decimals, exterior rings clockwise, holes counter-clockwise; see :mod:`regiolens.regions.geometry`).
A region whose geometry has no area at this resolution (Falls Church, VA, 51610, in
``counties-10m``) keeps its region row but gets no geometry; the notes name it. Projected variants
(``counties-albers-10m.json``, pixel coordinates) are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import sha256_of
from regiolens.model import REGION_COLUMNS, USA_CODE, ParsedSource, RegionLevel, SourceInfo
from regiolens.regions.geometry import GeoJSON, geometry_text, load_json, simplify_by_level

PUBLISHER = "us-atlas (Mike Bostock) from U.S. Census Bureau cartographic boundary files"
ATTRIBUTION = "us-atlas 3.0.1 (ISC); U.S. Census Bureau cartographic boundaries 2017"
LICENCE = "ISC / public domain"
VINTAGE = "2017"

OBJECTS: dict[str, RegionLevel] = {
    "nation": RegionLevel.US_NATION,
    "states": RegionLevel.US_STATE,
    "counties": RegionLevel.US_COUNTY,
}
"""TopoJSON object name → region level, in the order the levels are emitted."""

_CODE_LENGTH = {RegionLevel.US_STATE: 2, RegionLevel.US_COUNTY: 5}
_KIND = {RegionLevel.US_NATION: "Nation", RegionLevel.US_STATE: "State", RegionLevel.US_COUNTY: "County"}
_TOPOLOGY = re.compile(rb'"type"\s*:\s*"Topology"')


# --------------------------------------------------------------------------------------------- TopoJSON


def decode_arcs(topology: Mapping[str, Any]) -> list[np.ndarray]:
    """The arcs of a topology as ``(n, 2)`` float arrays of absolute lon/lat (or x/y) positions.

    With a ``transform``, arcs are delta-decoded (running sums) and scaled: ``x * scale + translate``.
    Extra ordinates (z, m) are dropped.
    """
    transform = topology.get("transform")
    out: list[np.ndarray] = []
    if transform:
        scale = np.asarray(transform["scale"], dtype="float64")[:2]
        translate = np.asarray(transform["translate"], dtype="float64")[:2]
    for arc in topology.get("arcs", []):
        xy = np.asarray(arc, dtype="float64").reshape(len(arc), -1)[:, :2]
        if transform:
            xy = np.cumsum(xy, axis=0) * scale + translate
        out.append(xy)
    return out


def _stitch(indices: Sequence[int], arcs: Sequence[np.ndarray]) -> np.ndarray:
    """Positions of a line or ring made of arcs; negative index ``i`` is arc ``~i`` reversed."""
    pieces: list[np.ndarray] = []
    for k, index in enumerate(indices):
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        pieces.append(arc if k == 0 else arc[1:])
    if not pieces:
        return np.empty((0, 2))
    return np.concatenate(pieces)


def _point(position: Sequence[float], transform: Mapping[str, Any] | None) -> list[float]:
    x, y = float(position[0]), float(position[1])
    if transform:
        (sx, sy), (tx, ty) = transform["scale"][:2], transform["translate"][:2]
        return [x * sx + tx, y * sy + ty]
    return [x, y]


def to_geojson(
    obj: Mapping[str, Any], arcs: Sequence[np.ndarray], transform: Mapping[str, Any] | None = None
) -> GeoJSON | None:
    """The GeoJSON geometry of one TopoJSON geometry object (``None`` for a null geometry).

    ``arcs`` come from :func:`decode_arcs`; ``transform`` (the topology's) is needed only for
    quantized Point and MultiPoint coordinates, which are not delta-encoded. Coordinates are lists
    of floats; ring winding is kept as in the topology.
    """
    kind = obj.get("type")
    if kind is None:
        return None
    if kind == "Point":
        return {"type": "Point", "coordinates": _point(obj["coordinates"], transform)}
    if kind == "MultiPoint":
        return {"type": "MultiPoint", "coordinates": [_point(p, transform) for p in obj["coordinates"]]}
    if kind == "LineString":
        return {"type": "LineString", "coordinates": _stitch(obj["arcs"], arcs).tolist()}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_stitch(line, arcs).tolist() for line in obj["arcs"]]}
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_stitch(ring, arcs).tolist() for ring in obj["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[_stitch(ring, arcs).tolist() for ring in polygon] for polygon in obj["arcs"]],
        }
    if kind == "GeometryCollection":
        parts = [to_geojson(g, arcs, transform) for g in obj.get("geometries", [])]
        return {"type": "GeometryCollection", "geometries": [g for g in parts if g is not None]}
    raise ValueError(f"unknown TopoJSON geometry type {kind!r}")


# --------------------------------------------------------------------------------------------- reader


def sniff(path: Path, head: bytes) -> bool:
    """A TopoJSON topology whose objects include ``counties``, ``states`` or ``nation``."""
    if not _TOPOLOGY.search(head[:4096]):
        return False
    return any(f'"{name}"'.encode() in head for name in OBJECTS)


def _members(path: Path, topology: Mapping[str, Any], name: str) -> list[Any]:
    obj = topology["objects"][name]
    if not isinstance(obj, dict):
        raise InputError(path, None, name, f"object {name!r} is not a TopoJSON object")
    if obj.get("type") == "GeometryCollection":
        members = obj.get("geometries")
        if not isinstance(members, list):
            raise InputError(path, None, name, f"object {name!r} has no 'geometries' array")
        return members
    return [obj]


def _check_lonlat(path: Path, topology: Mapping[str, Any], arcs: Sequence[np.ndarray]) -> None:
    bbox = topology.get("bbox")
    if bbox and len(bbox) >= 4:
        x0, y0, x1, y1 = (float(v) for v in bbox[:4])
    elif arcs:
        allxy = np.concatenate(arcs)
        (x0, y0), (x1, y1) = allxy.min(axis=0), allxy.max(axis=0)
    else:
        return
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InputError(
            path,
            None,
            "bbox",
            "coordinates are not lon/lat (a projected us-atlas file?); use counties-10m.json",
        )


def read(path: Path, simplify: float | None = None) -> ParsedSource:
    """Parse a us-atlas TopoJSON into county, state and nation regions and Vega-ready geometries.

    Errors name the object and the 1-based position of the geometry in it (given as ``line``).
    """
    topology = load_json(path)
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise InputError(path, None, "type", "not a TopoJSON Topology")
    objects = topology.get("objects")
    if not isinstance(objects, dict):
        raise InputError(path, None, "objects", "topology has no 'objects'")
    present = [name for name in OBJECTS if name in objects]
    if not present:
        raise InputError(path, None, "objects", f"none of the objects {', '.join(OBJECTS)} in the topology")
    try:
        arcs = decode_arcs(topology)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(path, None, "arcs", f"arcs or transform cannot be decoded: {exc}") from None
    _check_lonlat(path, topology, arcs)
    transform = topology.get("transform")

    regions: list[tuple[Any, ...]] = []
    geometries: list[tuple[str, str, str]] = []
    collapsed: list[str] = []
    for name in present:
        level = OBJECTS[name]
        seen: dict[str, int] = {}
        for i, member in enumerate(_members(path, topology, name), start=1):
            where = f"feature {i} of object {name!r}"
            if not isinstance(member, dict):
                raise InputError(path, i, None, f"{where} is not a TopoJSON geometry")
            code, parent, kind = _code(path, i, where, level, member)
            if code in seen:
                raise InputError(path, i, "id", f"{where}: id {code} already used by feature {seen[code]}")
            seen[code] = i
            props = member.get("properties") or {}
            label = props.get("name") if isinstance(props, dict) else None
            if level is not RegionLevel.US_NATION and not label:
                raise InputError(path, i, "name", f"{where} ({code}) has no 'name' property")
            try:
                geometry = to_geojson(member, arcs, transform)
            except (IndexError, KeyError, TypeError, ValueError) as exc:
                raise InputError(path, i, "arcs", f"{where} ({code}): geometry cannot be decoded: {exc}") from None
            if geometry is None or geometry["type"] not in ("Polygon", "MultiPolygon"):
                raise InputError(path, i, "type", f"{where} ({code}) is not a Polygon or MultiPolygon")
            regions.append((level.value, code, str(label).strip() if label else None, parent, None, kind))
            text = geometry_text(geometry)
            if text is None:  # e.g. Falls Church (51610): a sliver without area at 1:10 million
                collapsed.append(f"{code} {label}")
            else:
                geometries.append((level.value, code, text))

    frame = pd.DataFrame(geometries, columns=["region_level", "region_code", "geojson"])
    counts = pd.Series([r[0] for r in regions]).value_counts()
    notes = [
        ", ".join(f"{counts.get(OBJECTS[n].value, 0)} {n}" for n in present)
        + "; rings wound clockwise (exterior) for d3/Vega, coordinates rounded to 6 decimals"
    ]
    if collapsed:
        notes.append(f"{len(collapsed)} regions without area at this resolution, no geometry: {', '.join(collapsed)}")
    if RegionLevel.US_NATION.value in counts:
        notes.append("the nation has no name in the file (name left empty)")
    if simplify:
        frame["geojson"] = simplify_by_level(frame["region_level"].tolist(), frame["geojson"].tolist(), simplify)
        notes.append(f"geometry simplified (coverage simplification, tolerance {simplify} degrees)")
    stem = path.name.split(".", 1)[0]
    info = SourceInfo(
        dataset_key=f"us-atlas:{stem}",
        file_name=path.name,
        sha256=sha256_of(path),
        format="us-atlas-topojson",
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        vintage=VINTAGE,
        kind="geometry",
        notes=tuple(notes),
    )
    return ParsedSource(info=info, regions=pd.DataFrame(regions, columns=list(REGION_COLUMNS)), geometries=frame)


def _code(
    path: Path, line: int, where: str, level: RegionLevel, member: Mapping[str, Any]
) -> tuple[str, str | None, str]:
    """Region code, parent code and kind of one TopoJSON member, checked against its level."""
    if level is RegionLevel.US_NATION:
        return USA_CODE, None, _KIND[level]
    raw = member.get("id")
    if raw is None or str(raw).strip() == "":
        raise InputError(path, line, "id", f"{where} has no 'id' (FIPS code)")
    code = str(raw).strip()
    if isinstance(raw, int):  # ids written as numbers lose their leading zeros
        code = code.zfill(_CODE_LENGTH[level])
    if not (code.isdigit() and len(code) == _CODE_LENGTH[level]):
        raise InputError(path, line, "id", f"{where}: {code!r} is not a {_CODE_LENGTH[level]}-digit FIPS code")
    if level is RegionLevel.US_STATE:
        return code, USA_CODE, "Territory" if int(code) >= 60 else "State"
    return code, code[:2], _KIND[level]


register(Reader("us-atlas", "us-atlas TopoJSON (counties, states, nation; WGS84)", sniff, read))
