"""Eurostat GISCO NUTS boundaries as GeoJSON (e.g. ``NUTS_RG_60M_2021_4326_LEVL_3.geojson``).

One file per NUTS level (or one file with all levels), WGS84 (EPSG:4326), one feature per region
with the properties ``NUTS_ID``, ``LEVL_CODE``, ``CNTR_CODE``, ``NAME_LATN``, ``NUTS_NAME`` (and the
typologies ``MOUNT_TYPE``, ``URBN_TYPE``, ``COAST_TYPE``, which are not kept).

Decisions:

- Regions at levels ``nuts0`` … ``nuts3``; ``region_code`` = ``nuts_code`` = ``NUTS_ID``;
  ``parent_code`` = the NUTS id one level up (the id without its last character), none for NUTS 0;
  ``kind`` = ``"NUTS <level>"``.
- ``name`` = ``NAME_LATN`` (Latin script, so that Greek or Bulgarian names can be read and sorted with
  the rest); ``NUTS_NAME`` (the name in the national script) is used only when ``NAME_LATN`` is missing.
- ``LEVL_CODE`` must agree with the length of ``NUTS_ID`` (2 + level characters).
- Geometries are stored Vega-ready: rounded to 6 decimals, exterior rings clockwise and holes
  counter-clockwise (d3-geo's convention, see :mod:`regiolens.regions.geometry`); invalid rings
  repaired; a region whose geometry has no area at the file's scale keeps its region row without a
  geometry (named in the notes).
- Only WGS84 files are accepted (GISCO also publishes EPSG:3035 and 3857 versions: use the 4326 one).
- Dataset key ``gisco:nuts<year>:<scale>:levl<N>`` from the file name (``levl0-3`` for a file with
  every level); vintage = the NUTS version year.
- Licence: GISCO distributes the boundaries under its EuroGeographics licence, which covers
  non-commercial use only (fine for tests and the demo); commercial deployments obtain their own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import sha256_of
from regiolens.model import REGION_COLUMNS, ParsedSource, RegionLevel, SourceInfo
from regiolens.regions.geometry import features_of, geometry_text, is_wgs84, load_json, simplify_by_level

PUBLISHER = "Eurostat GISCO"
ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
LICENCE = (
    "EuroGeographics licence via Eurostat GISCO: non-commercial use only (tests, demo); "
    "commercial deployments must obtain their own licence"
)

LEVELS = (RegionLevel.NUTS0, RegionLevel.NUTS1, RegionLevel.NUTS2, RegionLevel.NUTS3)
"""Region level per ``LEVL_CODE``."""

_NAME = re.compile(r"NUTS_(?:RG|BN|LB)_(\d+M)_(\d{4})_(\d{4})(?:_LEVL_(\d))?", re.IGNORECASE)
_NUTS_ID = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def sniff(path: Path, head: bytes) -> bool:
    """A GeoJSON FeatureCollection with ``NUTS_ID`` and ``LEVL_CODE`` properties (or a GISCO file name)."""
    if b'"FeatureCollection"' not in head:
        return False
    if b'"NUTS_ID"' in head and b'"LEVL_CODE"' in head:
        return True
    return path.name.upper().startswith("NUTS_RG_") and path.suffix.lower() in (".geojson", ".json")


def _text(props: dict[str, Any], field: str) -> str:
    value = props.get(field)
    return "" if value is None else str(value).strip()


def read(path: Path, simplify: float | None = None) -> ParsedSource:
    """Parse a GISCO NUTS GeoJSON file into regions and Vega-ready geometries (see module docstring)."""
    document = load_json(path)
    features = features_of(path, document)
    if not is_wgs84(document):
        raise InputError(path, None, "crs", "coordinates are not WGS84 lon/lat; use the EPSG:4326 file")
    if not features:
        raise InputError(path, None, "features", "no features: an empty FeatureCollection")
    regions: list[tuple[Any, ...]] = []
    geometries: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    levels: set[int] = set()
    collapsed: list[str] = []
    for i, feature in enumerate(features, start=1):
        props = feature["properties"]
        nuts_id = _text(props, "NUTS_ID")
        if not nuts_id:
            raise InputError(path, i, "NUTS_ID", f"feature {i} has no 'NUTS_ID' property")
        if not _NUTS_ID.match(nuts_id):
            raise InputError(path, i, "NUTS_ID", f"feature {i}: not a NUTS id: {nuts_id!r}")
        raw_level = props.get("LEVL_CODE")
        if raw_level is None or str(raw_level).strip() == "":
            raise InputError(path, i, "LEVL_CODE", f"feature {i} ({nuts_id}) has no 'LEVL_CODE' property")
        try:
            level = int(str(raw_level).strip())
        except ValueError:
            raise InputError(path, i, "LEVL_CODE", f"feature {i}: not a level: {raw_level!r}") from None
        if level not in range(len(LEVELS)) or len(nuts_id) != 2 + level:
            raise InputError(path, i, "LEVL_CODE", f"feature {i}: level {level} does not fit NUTS id {nuts_id!r}")
        if nuts_id in seen:
            raise InputError(path, i, "NUTS_ID", f"{nuts_id} appears twice (first as feature {seen[nuts_id]})")
        seen[nuts_id] = i
        name = _text(props, "NAME_LATN") or _text(props, "NUTS_NAME")
        if not name:
            raise InputError(path, i, "NAME_LATN", f"feature {i} ({nuts_id}) has no name")
        lvl = LEVELS[level].value
        levels.add(level)
        regions.append((lvl, nuts_id, name, nuts_id[:-1] if level else None, nuts_id, f"NUTS {level}"))
        text = geometry_text(feature["geometry"])
        if text is None:
            collapsed.append(nuts_id)
        else:
            geometries.append((lvl, nuts_id, text))
    frame = pd.DataFrame(geometries, columns=["region_level", "region_code", "geojson"])
    notes = [
        f"{len(regions)} NUTS regions; rings wound clockwise (exterior) for d3/Vega, coordinates rounded to 6 decimals"
    ]
    if collapsed:
        notes.append(f"{len(collapsed)} regions without area at this resolution, no geometry: {', '.join(collapsed)}")
    if simplify:
        frame["geojson"] = simplify_by_level(frame["region_level"].tolist(), frame["geojson"].tolist(), simplify)
        notes.append(f"geometry simplified (coverage simplification, tolerance {simplify} degrees)")
    m = _NAME.search(path.stem)
    scale, year = (m.group(1).lower(), m.group(2)) if m else ("unknown", None)
    level_key = f"levl{min(levels)}" if len(levels) == 1 else f"levl{min(levels)}-{max(levels)}"
    info = SourceInfo(
        dataset_key=f"gisco:nuts{year or ''}:{scale}:{level_key}",
        file_name=path.name,
        sha256=sha256_of(path),
        format="gisco-nuts",
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        vintage=year,
        kind="geometry",
        notes=tuple(notes),
    )
    return ParsedSource(info=info, regions=pd.DataFrame(regions, columns=list(REGION_COLUMNS)), geometries=frame)


register(Reader("gisco-nuts", "Eurostat GISCO NUTS boundaries GeoJSON (NUTS_ID, LEVL_CODE; WGS84)", sniff, read))
