"""Generic long tables (CSV or XLSX) with a column mapping given as options.

One row per observation; the options name which column holds what::

    Kreis;WZ;Jahr;Beschäftigte                  ← header line (``header_line``, default 1)
    05562;C;2020;42.117                         ← region, industry, year, value (German 42.117 = 42117)
    05512;C;2020;.                              ← GENESIS symbols work: "." = suppressed

    read_source("bea.csv", source="generic", region_col="Kreis", industry_col="WZ", year_col="Jahr",
                value_col="Beschäftigte", measure="employment", region_level="de:kreis",
                classification="wz2008")

Options (``*`` = required):

========================= ==========================================================================
``region_col`` *         column of region codes
``region_level`` *       level of every code (``de:kreis``, ``nuts3``, ``us:county`` …, see
                         :class:`~regiolens.model.RegionLevel`); codes are checked against its pattern
``value_col`` *          column of values: numbers (German or English) or GENESIS symbols
``year_col`` / ``year``  column of four-digit years, or one year for the whole file (one is required)
``measure_col`` /        column of measure names, or one measure for the whole file (one is required)
``measure``
``industry_col``         column of industry codes; without it every row is the total (``TOTAL``)
``classification``       classification of the industry codes (required with ``industry_col``;
                         default ``total`` without it)
``flag_col``             optional column of flags (see below)
``region_name_col``      optional column of region names: fills the ``regions`` frame
``decimal``              ``","`` or ``"."``; detected per file when not given (see below)
``sheet``                XLSX sheet name, or 0-based index if no sheet has that name (default: the first)
``encoding``             CSV encoding, default ``utf-8`` (a byte-order mark is accepted)
``delimiter``            CSV delimiter; detected from the header line (``;``, ``,`` or tab) when not given
``header_line``          1-based line (CSV) or row (XLSX) of the header, default 1
``dataset_key``,         provenance; defaults ``generic:<file stem>``, "user-supplied file",
``publisher``,           "unknown (user-supplied file)", "" and none
``licence``,
``attribution``,
``vintage``
========================= ==========================================================================

Decisions:

- **Detection.** ``sniff`` always answers ``False``: a long table is recognisable only with its
  mapping, so generic must be chosen explicitly (``--source generic``). (A CSV whose header
  contains the mapped columns would be recognisable, but ``sniff`` does not receive options.)
- **Decimal mark** when ``decimal`` is not given: every text value cell is classified as
  unambiguously German (``1.234,5``, ``0,5``), unambiguously English (``1,234.5``, ``0.5``) or
  ambiguous (``1234``, ``1.234``, ``1,234``). Evidence of one kind decides; evidence of both kinds is
  an error naming the first cell that contradicts the majority. With only ambiguous cells the
  decimal mark is ``"."`` in comma-separated files (where a comma cannot be the decimal mark of an
  unquoted number) and ``","`` (German first) everywhere else. Numeric XLSX cells are numbers
  already and need no guessing.
- **Cells.** Numbers and symbols go through :func:`regiolens.ingest.numbers.parse_cell` (``.``
  suppressed, ``-`` zero, ``x``/``...``/``/``/``:`` unavailable, suffixes ``p``/``s``/``e``/``r``).
  An empty value cell is ``unavailable`` (counted in the notes), never zero.
- **Flag column** (case-insensitive): empty → the cell's own flag; ``none``; ``suppressed``/``c``/``.``;
  ``provisional``/``p``; ``estimated``/``e``/``s``; ``unavailable``/``:``/``x``/``...``/``/``/``z``/``na``/``n/a``;
  ``partial``; ``b``/``r`` → none. Anything else is an error. Suppressed and unavailable cells carry
  no value, whatever the value column holds; a cell without a value keeps its own flag.
- **Region codes.** A digits-only code one digit shorter than its level requires lost its leading
  zero to a spreadsheet (``5562`` for Kreis ``05562``) and is zero-padded (counted in the notes).
- **Industry totals.** ``TOTAL``, ``Total``, ``Insgesamt`` (any case) become ``TOTAL``.
- **Duplicates.** Two rows with the same region, industry, year and measure are an error (usually an
  unmapped dimension such as sex); the error names the second row.
- **Lines.** ``line`` is the 1-based line of the CSV (rows with a line break inside quotes shift
  it) or the row number of the sheet. A missing mapped column is reported at the header line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import read_text, user_source_info
from regiolens.ingest.numbers import parse_cells
from regiolens.model import (
    OBSERVATION_COLUMNS,
    REGION_COLUMNS,
    TOTAL_INDUSTRY,
    Flag,
    ParsedSource,
    RegionLevel,
)
from regiolens.regions.codes import CODE_PATTERNS

_DIGIT_LENGTH: Mapping[RegionLevel, int] = {
    RegionLevel.DE_LAND: 2,
    RegionLevel.DE_REGBEZ: 3,
    RegionLevel.DE_KREIS: 5,
    RegionLevel.DE_GEMEINDE: 8,
    RegionLevel.US_STATE: 2,
    RegionLevel.US_COUNTY: 5,
}
"""Length of the all-digit code levels (for repairing codes that lost their leading zero)."""

_FLAG_WORDS: Mapping[str, Flag] = {
    "none": Flag.NONE,
    "b": Flag.NONE,
    "r": Flag.NONE,
    "suppressed": Flag.SUPPRESSED,
    "c": Flag.SUPPRESSED,
    ".": Flag.SUPPRESSED,
    "provisional": Flag.PROVISIONAL,
    "p": Flag.PROVISIONAL,
    "estimated": Flag.ESTIMATED,
    "e": Flag.ESTIMATED,
    "s": Flag.ESTIMATED,
    "unavailable": Flag.UNAVAILABLE,
    ":": Flag.UNAVAILABLE,
    "x": Flag.UNAVAILABLE,
    "...": Flag.UNAVAILABLE,
    "…": Flag.UNAVAILABLE,
    "/": Flag.UNAVAILABLE,
    "z": Flag.UNAVAILABLE,
    "na": Flag.UNAVAILABLE,
    "n/a": Flag.UNAVAILABLE,
    "partial": Flag.PARTIAL,
}
"""Flag-column values (lower case) and the flag each means."""

_NO_VALUE = (Flag.SUPPRESSED.value, Flag.UNAVAILABLE.value)
_TOTAL_WORDS = {"total", "insgesamt"}
_GERMAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_ENGLISH = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\d*\.\d+$")
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def sniff(path: Path, head: bytes) -> bool:
    """Never: the generic reader needs its column mapping and is chosen with ``--source generic``."""
    return False


def check_region_codes(codes: pd.Series, level: RegionLevel) -> tuple[pd.Series, pd.Series, int]:
    """Normalise region codes for ``level``: returns ``(codes, bad_mask, n_padded)``.

    Digits-only codes one digit short of the level's length are zero-padded; ``bad_mask`` marks
    codes that still do not match :data:`regiolens.regions.codes.CODE_PATTERNS`.
    """
    codes = codes.astype(str).str.strip()
    padded = 0
    if level in _DIGIT_LENGTH:
        short = codes.str.fullmatch(r"\d+") & (codes.str.len() == _DIGIT_LENGTH[level] - 1)
        padded = int(short.sum())
        codes = codes.where(~short, "0" + codes)
    pattern = CODE_PATTERNS[level]
    ok = {c: bool(pattern.match(c)) for c in codes.unique()}
    return codes, ~codes.map(ok).astype(bool), padded


def _level(path: Path, region_level: str | RegionLevel | None) -> RegionLevel:
    if region_level is None:
        raise InputError(path, None, "region_level", "option 'region_level' is required (e.g. de:kreis, nuts3)")
    try:
        return RegionLevel(str(region_level))
    except ValueError:
        known = ", ".join(lvl.value for lvl in RegionLevel)
        raise InputError(path, None, "region_level", f"unknown region level {region_level!r}; known: {known}") from None


def _text(x: Any) -> str:
    """One XLSX cell as text: integral floats without ``.0``, dates as their year."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, datetime | date):
        return str(x.year)
    return str(x).strip()


def _read_xlsx(
    path: Path, columns: list[str], value_col: str, sheet: str | int | None, header_line: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Cells of the mapped columns as text, numeric value cells as floats (NaN if text), line numbers."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise InputError(path, None, None, f"cannot open as XLSX: {exc}") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif str(sheet) in wb.sheetnames:  # a name first: sheets are often named "2020"
            ws = wb[str(sheet)]
        elif isinstance(sheet, int) or str(sheet).isdigit():
            idx = int(sheet)
            if not 0 <= idx < len(wb.worksheets):
                raise InputError(path, None, "sheet", f"no sheet {idx}; the workbook has {len(wb.worksheets)}")
            ws = wb.worksheets[idx]
        else:
            raise InputError(path, None, "sheet", f"no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
        rows = ws.iter_rows(min_row=header_line, values_only=True)
        header = [_text(c) for c in next(rows, ())]
        for col in columns:
            if col not in header:
                raise InputError(path, header_line, col, f"missing column {col!r}; header: {', '.join(header)}")
        pos = [header.index(c) for c in columns]
        vpos = header.index(value_col)
        data: dict[str, list[str]] = {c: [] for c in columns}
        numeric: list[float] = []
        lines: list[int] = []
        for lineno, row in enumerate(rows, start=header_line + 1):
            if row is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                continue
            cells = [row[p] if p < len(row) else None for p in pos]
            for c, x in zip(columns, cells, strict=True):
                data[c].append(_text(x))
            v = row[vpos] if vpos < len(row) else None
            numeric.append(float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan)
            lines.append(lineno)
    finally:
        wb.close()
    return (
        pd.DataFrame(data, dtype=object),
        np.asarray(numeric, dtype="float64"),
        np.asarray(lines, dtype=np.int64),
    )


def _read_csv(
    path: Path, columns: list[str], encoding: str, delimiter: str | None, header_line: int
) -> tuple[pd.DataFrame, np.ndarray, str]:
    """Cells of the mapped columns as text, line numbers, and the delimiter used."""
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    text = read_text(path, enc)
    all_lines = text.splitlines()
    if len(all_lines) < header_line:
        raise InputError(path, header_line, None, "file ends before the header line")
    head = all_lines[header_line - 1]
    if delimiter is None:
        counts = {d: head.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skiprows=header_line - 1,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) + header_line - 1 if m else None
        raise InputError(path, line, None, f"malformed CSV: {exc}") from None
    df.columns = [str(c).strip() for c in df.columns]
    for col in columns:
        if col not in df.columns:
            raise InputError(path, header_line, col, f"missing column {col!r}; header: {delimiter.join(df.columns)}")
    lines = np.arange(header_line + 1, header_line + 1 + len(df), dtype=np.int64)
    blank = np.ones(len(df), dtype=bool)
    for col in columns:
        blank &= (df[col].fillna("").str.strip() == "").to_numpy()
    return df.loc[~blank, columns].reset_index(drop=True), lines[~blank], delimiter


def _decimal(path: Path, texts: pd.Series, lines: np.ndarray, value_col: str, default: str) -> str:
    """Detect the decimal mark of the text value cells (see the module docstring)."""
    core = texts.str.strip().str.replace(r"\s*[psreSPRE]$", "", regex=True).str.strip("()").str.replace(" ", "")
    kinds = {}
    for u in core.unique():
        de, en = bool(_GERMAN.match(u)), bool(_ENGLISH.match(u))
        kinds[u] = "de" if de and not en else "en" if en and not de else ""
    kind = core.map(kinds)
    n_de, n_en = int((kind == "de").sum()), int((kind == "en").sum())
    if n_de and n_en:
        minority = "de" if n_de < n_en else "en"
        i = int(np.flatnonzero((kind == minority).to_numpy())[0])
        raise InputError(
            path,
            int(lines[i]),
            value_col,
            f"mixes German ({n_de} cells) and English ({n_en} cells) number formats, e.g. {texts.iat[i]!r}; "
            "give the 'decimal' option",
        )
    return "," if n_de else "." if n_en else default


def read(
    path: Path,
    region_col: str | None = None,
    value_col: str | None = None,
    region_level: str | RegionLevel | None = None,
    year_col: str | None = None,
    year: int | None = None,
    measure_col: str | None = None,
    measure: str | None = None,
    industry_col: str | None = None,
    classification: str | None = None,
    flag_col: str | None = None,
    region_name_col: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    header_line: int = 1,
    dataset_key: str | None = None,
    publisher: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    vintage: str | None = None,
) -> ParsedSource:
    """Parse a long CSV or XLSX table with the column mapping in the options (see the module docstring)."""
    if region_col is None:
        raise InputError(path, None, "region_col", "option 'region_col' is required")
    if value_col is None:
        raise InputError(path, None, "value_col", "option 'value_col' is required")
    level = _level(path, region_level)
    if (year_col is None) == (year is None):
        raise InputError(path, None, "year_col", "give exactly one of the options 'year_col' and 'year'")
    if (measure_col is None) == (measure is None):
        raise InputError(path, None, "measure_col", "give exactly one of the options 'measure_col' and 'measure'")
    if industry_col is not None and classification is None:
        raise InputError(path, None, "classification", "option 'classification' is required with 'industry_col'")
    if decimal not in (None, ",", "."):
        raise InputError(path, None, "decimal", f"decimal mark must be ',' or '.', not {decimal!r}")
    if header_line < 1:
        raise InputError(path, None, "header_line", "header_line is 1-based")
    mapped = [region_col, value_col, year_col, measure_col, industry_col, flag_col, region_name_col]
    columns = list(dict.fromkeys(c for c in mapped if c is not None))

    with path.open("rb") as fh:
        is_xlsx = path.suffix.lower() in _XLSX_SUFFIXES or fh.read(4) == b"PK\x03\x04"
    if is_xlsx:
        df, numeric, lines = _read_xlsx(path, columns, value_col, sheet, header_line)
        default_decimal = ","
    else:
        df, lines, used = _read_csv(path, columns, encoding, delimiter, header_line)
        numeric = np.full(len(df), np.nan)
        default_decimal = "." if used == "," else ","

    def fail(mask: np.ndarray | pd.Series, field: str, message: str) -> NoReturn:
        i = int(np.flatnonzero(np.asarray(mask, dtype=bool))[0])
        raise InputError(path, int(lines[i]), field, message.replace("{!r}", repr(df[field].iat[i])))

    regions, bad, padded = check_region_codes(df[region_col], level)
    if bad.any():
        fail(
            bad,
            region_col,
            f"region code {{!r}} does not fit level {level.value} ({CODE_PATTERNS[level].pattern})",
        )

    if industry_col is not None:
        industry = df[industry_col].astype(str).str.strip()
        if (industry == "").any():
            fail(industry == "", industry_col, "empty industry code {!r}")
        industry = industry.where(~industry.str.lower().isin(_TOTAL_WORDS), TOTAL_INDUSTRY)
    else:
        industry = pd.Series(TOTAL_INDUSTRY, index=df.index, dtype=object)

    if year_col is not None:
        years_text = df[year_col].astype(str).str.strip()
        bad = ~years_text.str.fullmatch(r"\d{4}")
        if bad.any():
            fail(bad, year_col, "not a four-digit year: {!r}")
        years = years_text.astype(np.int64).to_numpy()
    else:
        years = np.full(len(df), int(str(year)), dtype=np.int64)

    if measure_col is not None:
        measures = df[measure_col].astype(str).str.strip()
        if (measures == "").any():
            fail(measures == "", measure_col, "empty measure name {!r}")
    else:
        measures = pd.Series(str(measure), index=df.index, dtype=object)

    texts = df[value_col].astype(str).str.strip()
    is_text = np.isnan(numeric)
    if decimal is None:
        decimal = _decimal(path, texts[is_text], lines[is_text], value_col, default_decimal)
    values = numeric.copy()
    flags = np.full(len(df), Flag.NONE.value, dtype=object)
    empty = is_text & (texts == "").to_numpy()
    parse_mask = is_text & ~empty
    if parse_mask.any():
        parsed_values, parsed_flags, not_numbers = parse_cells(texts[parse_mask].to_numpy(), decimal=decimal)
        if not_numbers.any():
            wrong = np.zeros(len(df), dtype=bool)
            wrong[np.flatnonzero(parse_mask)[not_numbers]] = True
            fail(wrong, value_col, "not a number or statistical symbol: {!r}")
        values[parse_mask] = parsed_values
        flags[parse_mask] = parsed_flags
    flags[empty] = Flag.UNAVAILABLE.value

    if flag_col is not None:
        flag_text = df[flag_col].astype(str).str.strip().str.lower()
        known = flag_text.isin(list(_FLAG_WORDS)) | (flag_text == "")
        if not known.all():
            fail(
                ~known,
                flag_col,
                "unknown flag {!r} (use none, suppressed, estimated, provisional, unavailable)",
            )
        given = flag_text.map(lambda f: _FLAG_WORDS[f].value if f else "").to_numpy(object)
        override = (given != "") & ~(np.isnan(values) & ~np.isin(given, _NO_VALUE))
        flags[override] = given[override]
    values[np.isin(flags, _NO_VALUE)] = np.nan

    frame = pd.DataFrame(
        {
            "region_code": regions.to_numpy(),
            "region_level": level.value,
            "industry_code": industry.to_numpy(),
            "classification": classification or "total",
            "year": years,
            "measure": measures.to_numpy(),
            "value": values,
            "flag": flags,
            "line": lines,
        }
    )
    for col in ("region_code", "region_level", "industry_code", "classification", "measure", "flag"):
        frame[col] = frame[col].astype(str)
    frame = frame[[*OBSERVATION_COLUMNS, "line"]]
    dup = frame.duplicated(["region_code", "industry_code", "year", "measure"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        r = frame.iloc[i]
        raise InputError(
            path,
            int(r["line"]),
            None,
            f"second row for region {r['region_code']}, industry {r['industry_code']}, year {r['year']}, "
            f"measure {r['measure']}: is a dimension (e.g. sex) not mapped?",
        )

    region_frame = pd.DataFrame(columns=list(REGION_COLUMNS))
    if region_name_col is not None:
        names = pd.DataFrame({"region_code": regions, "name": df[region_name_col].astype(str).str.strip()})
        names = names.drop_duplicates("region_code")
        region_frame = pd.DataFrame(
            {
                "region_level": level.value,
                "region_code": names["region_code"].to_numpy(),
                "name": names["name"].to_numpy(),
                "parent_code": None,
                "nuts_code": None,
                "kind": None,
            },
            columns=list(REGION_COLUMNS),
        )

    notes = [f"decimal mark {decimal!r}"]
    n_empty = int((empty & (flags == Flag.UNAVAILABLE.value)).sum())
    if n_empty:
        notes.append(f"{n_empty} empty value cells read as 'unavailable'")
    if padded:
        notes.append(f"{padded} region codes had lost their leading zero and were zero-padded")
    info = user_source_info(path, "generic", notes, dataset_key, publisher, licence, attribution, vintage)
    return ParsedSource(info=info, observations=frame, regions=region_frame)


register(Reader("generic", "long CSV/XLSX table with a column mapping (choose with --source generic)", sniff, read))
