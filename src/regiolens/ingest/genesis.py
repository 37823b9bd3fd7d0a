"""GENESIS / Regionalstatistik flat CSV as exported (e.g. table 13111-07-05-4).

Layout of such a file (ISO-8859-1, ``;``-separated)::

    GENESIS-Tabelle: 13111-07-05-4          ← table id
    <title lines>
    Stichtag: 30.06.2018                    ← reference date (year of every row)
    ;;;Nationalität;Nationalität;…          ← pairs of header rows: dimension name, dimension value
    ;;;Insgesamt;Insgesamt;…;Ausländer(innen);…
    ;;;Geschlecht;…
    ;;;Insgesamt;männlich;weiblich;…
    DG;Deutschland;Land- und Forstwirtschaft, Fischerei (A);250983;…   ← data: code;name;group;values
    01;  Schleswig-Holstein;…               ← names indented by level
    __________                              ← footer: notes, licence, "Stand: <vintage>"

Decisions, each visible in the data or the notes of the import:

- Region level from the code: ``DG`` Germany, 2 digits Land, 3 Regierungsbezirk/statistical region,
  5 Kreis, 8 Gemeinde. Berlin (11) and Hamburg (02) are Länder and Kreise at once; GENESIS lists
  them once under the Land code, so their rows are also emitted as the Kreise 11000 and 02000.
- A region whose every cell is ``-`` did not exist in that year (obsolete codes, such as 03159
  before the Göttingen merger of 1 November 2016); its rows are dropped and counted in the notes.
  Everywhere else ``-`` means exactly zero.
- ``.`` is a suppressed cell: no value, flag ``suppressed``.
- Old codes (03152 Göttingen, 03156 Osterode am Harz in 2015/2016) are stored as published; the
  region-code history maps them to today's codes in panel queries.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from regiolens.classifications.section_groups import (
    WZ2008_SECTION_GROUPS,
    WZ2025_SECTION_GROUPS,
    code_for_label,
)
from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import read_text, sha256_of
from regiolens.ingest.numbers import parse_cells
from regiolens.model import GERMANY_CODE, REGION_COLUMNS, ParsedSource, RegionLevel, SourceInfo

LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
PUBLISHER = "Statistische Ämter des Bundes und der Länder (Regionalstatistik/GENESIS)"

_TABLE = re.compile(r"^GENESIS-Tabelle:\s*(\S+)")
_STICHTAG = re.compile(r"^Stichtag:\s*(\d{2})\.(\d{2})\.(\d{4})")
_YEAR = re.compile(r"^(?:Jahr|Berichtsjahr):\s*(\d{4})")
_VINTAGE = re.compile(r"^Stand:\s*(.+?)\s*$")
_FOOTER = "__________"
_LABEL_FIELDS = ("region code", "region name", "Wirtschaftszweig")  # the columns before the values

# measure per table family (first 5 digits of the table id)
_BASE_MEASURE = {"13111": "employment", "13312": "employment_total_workplace", "52111": "establishments"}
# column suffix per (nationality, sex) header value
_COLUMN_SUFFIX = {
    ("Insgesamt", "Insgesamt"): "",
    ("Insgesamt", "männlich"): "_male",
    ("Insgesamt", "weiblich"): "_female",
    ("Ausländer(innen)", "Insgesamt"): "_foreign",
    ("Ausländer(innen)", "männlich"): "_foreign_male",
    ("Ausländer(innen)", "weiblich"): "_foreign_female",
}
_LEVEL_BY_LENGTH = {
    2: RegionLevel.DE_LAND,
    3: RegionLevel.DE_REGBEZ,
    5: RegionLevel.DE_KREIS,
    8: RegionLevel.DE_GEMEINDE,
}
_CITY_STATES = {"02": "02000", "11": "11000"}  # Hamburg, Berlin: Land and Kreis at once
_KIND_SUFFIXES = (
    ("Landkreis", "Landkreis"),
    ("Kreisfreie Stadt", "Kreisfreie Stadt"),
    ("Kreis", "Kreis"),
    ("Stadtkreis", "Stadtkreis"),
    ("Regierungsbezirk", "Regierungsbezirk"),
    ("Stat. Region", "Statistische Region"),
    ("Landeshauptstadt", "Landeshauptstadt"),
    ("Stadt", "Stadt"),
    ("Land", "Land"),
)


def region_level(code: str) -> RegionLevel | None:
    """Region level of a GENESIS region code, or ``None`` if the code has no known form."""
    if code == GERMANY_CODE:
        return RegionLevel.DE_BUND
    if code.isdigit():
        return _LEVEL_BY_LENGTH.get(len(code))
    return None


def _kind(name: str, level: RegionLevel) -> str:
    if level is RegionLevel.DE_BUND:
        return "Bund"
    if level is RegionLevel.DE_LAND:
        return "Land"
    tail = name.rsplit(",", 1)[-1].strip() if "," in name else ""
    for suffix, kind in _KIND_SUFFIXES:
        if tail == suffix:
            return kind
    return "Gemeinde" if level is RegionLevel.DE_GEMEINDE else "Kreisfreie Stadt"


def sniff(path: Path, head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"GENESIS-Tabelle:")


def read(path: Path, encoding: str = "iso-8859-1") -> ParsedSource:
    """Parse a GENESIS flat CSV export into canonical observations (see the module docstring)."""
    text = read_text(path, encoding)
    lines = text.splitlines()
    if any("\x00" in line for line in lines[:5]):
        raise InputError(path, 1, "encoding", f"contains NUL bytes: not {encoding} text (UTF-16?)")

    table = year = None
    header_rows: list[list[str]] = []
    first_data = None
    for i, line in enumerate(lines):
        if m := _TABLE.match(line):
            table = m.group(1)
        elif m := _STICHTAG.match(line):
            year = int(m.group(3))
            stichtag = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
        elif m := _YEAR.match(line):
            year = int(m.group(1))
            stichtag = m.group(1)
        elif line.startswith(";;"):
            header_rows.append(line.split(";"))
        elif header_rows:
            first_data = i
            break
    if table is None:
        raise InputError(path, 1, None, "no 'GENESIS-Tabelle:' line: not a GENESIS export")
    if year is None:
        raise InputError(path, None, "Stichtag", "header names no reference date ('Stichtag:' or 'Jahr:')")
    if first_data is None or len(header_rows) % 2:
        raise InputError(path, len(lines), None, "header block incomplete: file truncated?")

    value_start = next((i for i, cell in enumerate(header_rows[0]) if cell), len(header_rows[0]))
    if value_start != len(_LABEL_FIELDS):
        raise InputError(
            path, first_data, None, "this reader handles tables with region code, name and Wirtschaftszweig columns"
        )
    value_columns: list[str] = []
    base = _BASE_MEASURE.get(table[:5], "value")
    for col in range(value_start, len(header_rows[0])):
        key = tuple(header_rows[r][col] for r in range(1, len(header_rows), 2))
        suffix = _COLUMN_SUFFIX.get(key[:2]) if len(key) == 2 else None
        if suffix is None:
            suffix = "_" + "_".join(re.sub(r"\W+", "", k).lower() for k in key)
        value_columns.append(base + suffix)
    labels = [
        "/".join(header_rows[r][col] for r in range(1, len(header_rows), 2))
        for col in range(value_start, len(header_rows[0]))
    ]
    n_fields = value_start + len(value_columns)

    footer = next((i for i in range(first_data, len(lines)) if lines[i].startswith(_FOOTER)), None)
    end = len(lines) if footer is None else footer
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    for i in range(first_data, end):
        if not lines[i].strip():
            continue
        fields = lines[i].split(";")
        if len(fields) != n_fields:
            if len(fields) > n_fields:
                raise InputError(path, i + 1, None, f"{len(fields)} fields where the header declares {n_fields}")
            missing = [*_LABEL_FIELDS, *labels][len(fields)]
            ends_here = footer is None and not any(line.strip() for line in lines[i + 1 :])
            hint = "; the file ends in this line: truncated?" if ends_here else ""
            raise InputError(path, i + 1, missing, f"missing column: {len(fields)} of {n_fields} fields{hint}")
        rows.append(fields)
        line_numbers.append(i + 1)
    table_rows = np.array(rows, dtype=object).reshape(len(rows), n_fields)
    lines_arr = np.asarray(line_numbers, dtype=np.int64)

    codes = pd.Series(table_rows[:, 0]).str.strip()
    level_of = {c: region_level(c) for c in codes.unique()}
    unknown = codes.map(lambda c: level_of[c] is None).to_numpy(dtype=bool)
    if unknown.any():
        k = int(np.argmax(unknown))
        raise InputError(path, int(lines_arr[k]), "region code", f"unknown region code {codes[k]!r}")
    group_of = {label: code_for_label(label) for label in set(table_rows[:, 2])}
    industries = pd.Series(table_rows[:, 2]).map(group_of)
    if industries.isna().any():
        k = int(np.argmax(industries.isna().to_numpy()))
        raise InputError(path, int(lines_arr[k]), "Wirtschaftszweig", f"unknown industry group {table_rows[k, 2]!r}")
    cells = table_rows[:, value_start:]
    values, flags, bad = parse_cells(cells.reshape(-1), decimal=",")
    if bad.any():
        k = int(np.argmax(bad))
        row, col = divmod(k, len(value_columns))
        raise InputError(
            path, int(lines_arr[row]), labels[col], f"not a number or statistical symbol: {cells[row, col]!r}"
        )
    names = dict(zip(codes, (n.strip() for n in table_rows[:, 1]), strict=True))
    has_value = (np.char.strip(cells.astype(str)) != "-").any(axis=1)
    present = set(codes[has_value])

    if footer is None:
        raise InputError(path, len(lines), None, "file ends before the table footer ('__________'): truncated?")
    tail = "\n".join(lines[footer:])
    vintage = next((m.group(1) for line in lines[footer:] if (m := _VINTAGE.match(line))), None)
    classification = WZ2025_SECTION_GROUPS if ("WZ 2025" in tail or year >= 2025) else WZ2008_SECTION_GROUPS

    n_measures = len(value_columns)
    level_values = {c: lvl.value for c, lvl in level_of.items() if lvl is not None}
    frame = pd.DataFrame(
        {
            "region_code": np.repeat(codes.to_numpy(dtype=object), n_measures),
            "region_level": np.repeat(codes.map(level_values).to_numpy(dtype=object), n_measures),
            "industry_code": np.repeat(industries.to_numpy(dtype=object), n_measures),
            "year": year,
            "measure": np.tile(np.asarray(value_columns, dtype=object), len(codes)),
            "value": values,
            "flag": flags,
            "line": np.repeat(lines_arr, n_measures),
        }
    )
    absent = sorted(set(names) - present)
    frame = frame[frame["region_code"].isin(present)]
    city_rows = frame[frame["region_code"].isin(list(_CITY_STATES))].copy()
    city_rows["region_code"] = city_rows["region_code"].map(_CITY_STATES)
    city_rows["region_level"] = RegionLevel.DE_KREIS.value
    frame = pd.concat([frame, city_rows], ignore_index=True)
    frame["classification"] = classification

    regions = pd.DataFrame(
        [
            (lvl.value, code, name, None, None, _kind(name, lvl))
            for code, name in names.items()
            if code in present and (lvl := region_level(code)) is not None
        ]
        + [
            (RegionLevel.DE_KREIS.value, k, names[land], land, None, "Kreisfreie Stadt")
            for land, k in _CITY_STATES.items()
            if land in names
        ],
        columns=list(REGION_COLUMNS),
    )
    notes = (
        [f"{len(absent)} region codes without any value dropped (obsolete in {year}): {', '.join(absent)}"]
        if absent
        else []
    )
    info = SourceInfo(
        dataset_key=f"genesis:{table}:{stichtag}",
        file_name=path.name,
        sha256=sha256_of(path),
        format="genesis",
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=_attribution(tail),
        vintage=vintage,
        notes=tuple(notes),
    )
    return ParsedSource(info=info, observations=frame, regions=regions)


def _attribution(footer: str) -> str:
    """The "© …" sentence of the footer, without the licence sentence that follows it."""
    m = re.search(r"©[^\n\"]*?(\d{4})", footer)
    if m:
        return m.group(0).strip()
    return "© Statistische Ämter des Bundes und der Länder, Deutschland"


register(Reader("genesis", "GENESIS/Regionalstatistik flat CSV export", sniff, read))
