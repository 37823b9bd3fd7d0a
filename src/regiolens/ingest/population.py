"""Population and area per Kreis: ``districts.csv`` of the npm package ``landkreise-deutschland``.

Layout (UTF-8, ``;``-separated, one row per Kreis or kreisfreie Stadt)::

    AGS;type;name;NUTS3;area_km2;population;population_male;population_female;population_per_km2
    05562;Kreis;Recklinghausen;DEA36;761.31;615261;300019;315242;808

The package (CC BY 4.0) compiles the Gemeindeverzeichnis-Informationssystem GV-ISys of the Statistisches
Bundesamt: area and population on 31 December of the reference year (package 3.x: 31.12.2018).

Decisions, each visible in the data or the notes of the import:

- **Observations.** Two measures per Kreis, both as industry ``TOTAL`` under the classification ``total``
  (a region total, as the generic importer stores totals; panels read them with
  ``classification="total", industries=["TOTAL"]``): ``population`` (persons) and ``area_km2`` (square
  kilometres). ``population_male``/``population_female`` and ``population_per_km2`` are not stored: density
  is derived where it is needed (a group's density is its summed population over its summed area, never an
  average of member densities). ``population_per_km2`` is checked against ``population / area_km2``
  (it is rounded to whole persons, so a difference of up to 1 or 1 % is accepted): a larger difference means
  shifted or swapped columns and is an error.
- **Year.** The ``year`` option, else the last ``19xx``/``20xx`` in the file name, else in the name of the
  folder (``population_area_2018/districts.csv`` → 2018); an error when none gives one (the file itself
  names no year). The vintage is 31 December of that year.
- **Regions.** ``AGS`` must be a 5-digit Kreis key (``05562``); a 4-digit key whose leading zero a
  spreadsheet removed (``5562``) is repaired and counted in the notes; any other form is an error. The
  ``regions`` frame carries name, Land (first two digits), NUTS 3 code and ``type`` as kind, so that a
  warehouse without the BKG registry still knows the NUTS code of each Kreis.
- **Numbers** are written with a decimal point (``761.31``); population must be a whole number ≥ 0 and the
  area positive. Every bad cell raises an :class:`~regiolens.errors.InputError` naming file, line
  (header = line 1) and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import read_text, sha256_of
from regiolens.model import (
    OBSERVATION_COLUMNS,
    REGION_COLUMNS,
    TOTAL_INDUSTRY,
    Flag,
    ParsedSource,
    RegionLevel,
    SourceInfo,
)
from regiolens.regions.codes import is_valid_code

FORMAT = "landkreise-deutschland"
CLASSIFICATION = "total"
"""Classification of region totals (industry ``TOTAL``), as :mod:`regiolens.ingest.generic` names it."""
POPULATION = "population"
AREA = "area_km2"
PUBLISHER = "Statistisches Bundesamt (Destatis), GV-ISys; compiled by the npm package landkreise-deutschland"
LICENCE = "CC BY 4.0"
ATTRIBUTION = "Fläche und Bevölkerung: Statistisches Bundesamt (Destatis), GV-ISys; via landkreise-deutschland"
REQUIRED: tuple[str, ...] = ("AGS", "name", "NUTS3", "area_km2", "population")
"""Columns the reader needs (any case); ``type`` and ``population_per_km2`` are used when present."""

_NUTS3 = re.compile(r"^DE[0-9A-Z]{3}$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_INTEGER = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def sniff(path: Path, head: bytes) -> bool:
    """A ``;``-separated header naming ``AGS``, ``NUTS3``, ``area_km2`` and ``population``."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    cells = {c.strip().strip(b'"') for c in first.split(b";")}
    return {b"ags", b"nuts3", b"area_km2", b"population"} <= cells


def _year(path: Path, year: int | str | None) -> int:
    if year is not None:
        text = str(year).strip()
        if not re.fullmatch(r"(19|20)\d{2}", text):
            raise InputError(path, None, "year", f"the 'year' option must be a year such as 2018, not {year!r}")
        return int(text)
    for name in (path.stem, path.parent.name):
        found = _YEAR.findall(name)
        if found:
            return int(found[-1])
    raise InputError(
        path, None, "year", "no year in the file or folder name (e.g. 'population_area_2018'); give the 'year' option"
    )


def _number(path: Path, line: int, column: str, text: str, integer: bool) -> float:
    pattern = _INTEGER if integer else _DECIMAL
    if not pattern.match(text):
        kind = "a whole number" if integer else "a number with a decimal point (e.g. 761.31)"
        raise InputError(path, line, column, f"not {kind}: {text!r}")
    return float(text)


def read(path: Path, year: int | str | None = None, encoding: str = "utf-8-sig") -> ParsedSource:
    """Parse ``districts.csv`` into ``population`` and ``area_km2`` per Kreis (see the module docstring).

    Options: ``year`` (reference year; default from the file or folder name), ``encoding`` (default UTF-8).
    """
    ref_year = _year(path, year)
    reader = csv.reader(io.StringIO(read_text(path, encoding), newline=""), delimiter=";")
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(path, 1, None, "empty file: no header line") from None
    lower = [h.lower() for h in header]
    for column in REQUIRED:
        if column.lower() not in lower:
            raise InputError(path, 1, column, f"missing column {column!r} in header {';'.join(header)}")
    pos = {c.lower(): lower.index(c.lower()) for c in (*REQUIRED, "type", "population_per_km2") if c.lower() in lower}

    observations: list[tuple[Any, ...]] = []
    regions: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}
    repaired = 0
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            missing = header[len(fields)] if len(fields) < len(header) else None
            raise InputError(path, line, missing, f"{len(fields)} fields where the header has {len(header)}")
        value = {c: fields[i].strip() for c, i in pos.items()}
        for column in ("AGS", "name", "area_km2", "population"):
            if not value[column.lower()]:
                raise InputError(path, line, column, "empty value")
        ags = value["ags"]
        if len(ags) == 4 and ags.isdigit():
            ags, repaired = "0" + ags, repaired + 1
        if not is_valid_code(RegionLevel.DE_KREIS, ags):
            raise InputError(path, line, "AGS", f"not a 5-digit Kreis key (AGS such as 05562): {value['ags']!r}")
        if ags in seen:
            raise InputError(path, line, "AGS", f"Kreis {ags} listed twice (first on line {seen[ags]})")
        seen[ags] = line
        nuts = value["nuts3"] or None
        if nuts is not None and not _NUTS3.match(nuts):
            raise InputError(path, line, "NUTS3", f"not a German NUTS 3 code: {nuts!r}")
        population = _number(path, line, "population", value["population"], integer=True)
        area = _number(path, line, "area_km2", value["area_km2"], integer=False)
        if area <= 0:
            raise InputError(path, line, "area_km2", f"the area must be positive, not {value['area_km2']!r}")
        if value.get("population_per_km2"):
            stated = _number(path, line, "population_per_km2", value["population_per_km2"], integer=False)
            derived = population / area
            if abs(stated - derived) > max(1.0, 0.01 * derived):
                raise InputError(
                    path,
                    line,
                    "population_per_km2",
                    f"{stated:g} does not match population / area_km2 = {derived:.1f}: shifted columns?",
                )
        for measure, v in ((POPULATION, population), (AREA, area)):
            observations.append(
                (ags, RegionLevel.DE_KREIS.value, TOTAL_INDUSTRY, CLASSIFICATION, ref_year, measure, v, "none", line)
            )
        regions.append((RegionLevel.DE_KREIS.value, ags, value["name"], ags[:2], nuts, value.get("type") or None))
    if not regions:
        raise InputError(path, None, None, "no Kreis rows below the header")

    frame = pd.DataFrame(observations, columns=[*OBSERVATION_COLUMNS, "line"])
    frame["flag"] = Flag.NONE.value
    frame["value"] = frame["value"].astype("float64")
    frame["year"] = frame["year"].astype("int64")
    notes = [
        f"{len(regions)} Kreise, population and area on 31 December {ref_year}; stored as measures "
        f"'{POPULATION}' (persons) and '{AREA}' (km²), industry {TOTAL_INDUSTRY}, classification {CLASSIFICATION}",
    ]
    if repaired:
        notes.append(f"{repaired} 4-digit AGS keys zero-padded to 5 digits (leading zero lost)")
    info = SourceInfo(
        dataset_key=f"{FORMAT}:districts:{ref_year}",
        file_name=path.name,
        sha256=sha256_of(path),
        format=FORMAT,
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=f"{ATTRIBUTION} (CC BY 4.0), Stand 31.12.{ref_year}",
        vintage=f"{ref_year}-12-31",
        notes=tuple(notes),
    )
    return ParsedSource(info=info, observations=frame, regions=pd.DataFrame(regions, columns=list(REGION_COLUMNS)))


register(Reader(FORMAT, "Population and area per Kreis (landkreise-deutschland districts.csv)", sniff, read))
