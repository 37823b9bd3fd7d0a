"""U.S. Census County Business Patterns (CBP) extracts: ``Fips,Naics,Establishments,Employees,Payroll``.

The layout of the ModelEarth/community-data extracts (and of what :func:`regiolens.ingest.pull.pull_cbp`
writes from the Census API)::

    Fips,Naics,Establishments,Employees,Payroll
    26001,113310,7,55,2705          ← county (5-digit FIPS), 6-digit NAICS, counts, payroll in $1,000
    01,113110,49,59,2279            ← or a state (2-digit FIPS)

Decisions, each visible in the data or the notes of the import:

- **Year** from the file name (the last ``19xx``/``20xx`` group, ``US-census-naics6-2016.csv`` → 2016)
  or the ``year`` option, which wins when both are present; an
  :class:`~regiolens.errors.InputError` when neither gives one.
- **Regions.** ``Fips`` of 2 digits → ``us:state``, 5 digits → ``us:county``. Files whose leading zeros
  were lost (a spreadsheet made ``01001`` into ``1001``) are repaired: 1 digit → state, 4 digits →
  county, zero-padded. Any other length or a non-digit is an error naming the line and ``Fips``.
  The file names no regions, so the ``regions`` frame is empty.
- **Industries.** ``Naics`` is kept as written (2–6 digits, or a sector range such as ``31-33``);
  the Census total codes ``00`` and ``------`` become ``TOTAL``; trailing ``-``/``/`` of the old
  CBP file layout (``11----``, ``1133//``) are removed. Classification by year: ≤ 2016 ``naics2012``,
  2017–2021 ``naics2017``, ≥ 2022 ``naics2022`` (override with the ``classification`` option).
- **Measures.** ``employment`` (mid-March employees), ``establishments``, ``payroll_thousand_usd``
  (annual payroll in $1,000 as published).
- **Suppression.** The extracts write withheld cells as 0. A row with establishments > 0 and
  0 employees is treated as withheld: ``employment`` gets flag ``suppressed`` and no value; its payroll
  is suppressed as well when it is also 0 (a positive payroll is a published number and is kept — it
  happens for seasonal businesses with nobody on the payroll in mid-March, and in the noise-infused
  files from 2017 on). Both counts are in the notes. Establishment counts are never suppressed.
- **Provenance.** ``dataset_key`` ``cbp:<scope>:<year>`` where the scope is the state FIPS when every
  row is a county of one state, ``us-counties`` for counties of several states (so that a national
  county file does not replace the national state file) and ``us`` otherwise. The attribution
  names the extract: files named ``cbp-api-…`` were written by the puller from the Census API, all
  others are taken to be ModelEarth/community-data extracts (the ``extract`` option names another).

Parsing is vectorised (``read_csv`` with ``dtype=str``, then whole-column checks); the first bad row
is reported with its line (header = line 1) and field.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import sha256_of
from regiolens.model import OBSERVATION_COLUMNS, TOTAL_INDUSTRY, Flag, ParsedSource, RegionLevel, SourceInfo

COLUMNS: tuple[str, ...] = ("Fips", "Naics", "Establishments", "Employees", "Payroll")
PUBLISHER = "U.S. Census Bureau, County Business Patterns"
LICENCE = "Public domain (U.S. government work)"
MEASURES = {"Employees": "employment", "Establishments": "establishments", "Payroll": "payroll_thousand_usd"}
"""Measure name per CBP column."""

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NAICS = re.compile(r"^(\d{2,6}|\d{2}-\d{2})$")
_TOTAL_CODES = {"", "00"}
API_FILE_PREFIX = "cbp-api-"
"""File-name prefix of the CSVs :func:`regiolens.ingest.pull.pull_cbp` writes from the Census API."""


def classification_for_year(year: int) -> str:
    """NAICS version CBP uses for a reference year (≤2016 2012, 2017–2021 2017, ≥2022 2022)."""
    if year <= 2016:
        return "naics2012"
    if year <= 2021:
        return "naics2017"
    return "naics2022"


def year_from_name(name: str) -> int | None:
    """The last four-digit year (19xx or 20xx) in a file name, or ``None``."""
    found = _YEAR_IN_NAME.findall(Path(name).stem)
    return int(found[-1]) if found else None


def sniff(path: Path, head: bytes) -> bool:
    """The exact CBP extract header ``Fips,Naics,Establishments,Employees,Payroll`` (any case)."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return first == b"fips,naics,establishments,employees,payroll"


def read(
    path: Path, year: int | None = None, classification: str | None = None, extract: str | None = None
) -> ParsedSource:
    """Parse a CBP extract into canonical observations (see the module docstring).

    Options: ``year`` (reference year; default from the file name), ``classification`` (NAICS version;
    default from the year), ``extract`` (who made the extract, named in the attribution; default
    "Census API via regiolens pull" for files named ``cbp-api-…``, else "ModelEarth/community-data").
    """
    name_year = year_from_name(path.name)
    if year is None:
        year = name_year
    if year is None:
        raise InputError(path, None, "year", "no year in the file name (e.g. '…-2016.csv'); give the 'year' option")
    year = int(year)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, None, None, "cannot be decoded as UTF-8; wrong encoding?") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path, int(m.group(1)) if m else None, None, f"malformed CSV: {exc}") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, 1, None, "empty file: no header line") from None
    header = {c.strip().lower(): c for c in raw.columns}
    for col in COLUMNS:
        if col.lower() not in header:
            raise InputError(path, 1, col, f"missing column {col!r}; header: {','.join(raw.columns)}")
    df = raw.rename(columns={header[c.lower()]: c for c in COLUMNS})[list(COLUMNS)]
    lines = np.arange(2, len(df) + 2, dtype=np.int64)

    def fail(mask: np.ndarray | pd.Series, field: str, message: str) -> None:
        i = int(np.flatnonzero(np.asarray(mask))[0])
        raise InputError(path, int(lines[i]), field, message.replace("{!r}", repr(df[field].iat[i])))

    fips = df["Fips"].str.strip()
    bad = ~fips.str.fullmatch(r"\d{1,5}") | fips.str.len().isin([3])
    if bad.any():
        fail(bad, "Fips", "FIPS code {!r} is neither a state (2 digits) nor a county (5 digits)")
    n = fips.str.len()
    fips = fips.where(~n.isin([1, 4]), "0" + fips)
    level = np.where(fips.str.len() == 2, RegionLevel.US_STATE.value, RegionLevel.US_COUNTY.value)

    naics = df["Naics"].str.strip().str.rstrip("-/")
    bad = ~(naics.isin(_TOTAL_CODES) | naics.str.match(_NAICS.pattern))
    if bad.any():
        fail(bad, "Naics", "NAICS code {!r} is not 2–6 digits or a sector range such as '31-33'")
    naics = naics.where(~naics.isin(_TOTAL_CODES), TOTAL_INDUSTRY)

    dup = df.assign(Fips=fips, Naics=naics).duplicated(["Fips", "Naics"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, int(lines[i]), "Naics", f"second row for FIPS {fips.iat[i]} and NAICS {naics.iat[i]}")

    numbers: dict[str, np.ndarray] = {}
    for col in ("Establishments", "Employees", "Payroll"):
        text = df[col].str.strip()
        bad = ~text.str.fullmatch(r"\d+(\.0+)?")
        if bad.any():
            fail(bad, col, "not a non-negative whole number: {!r}")
        numbers[col] = text.astype("float64").to_numpy()

    est, emp, pay = numbers["Establishments"], numbers["Employees"], numbers["Payroll"]
    emp_suppressed = (est > 0) & (emp == 0)
    pay_suppressed = emp_suppressed & (pay == 0)
    suppressed = {
        "Establishments": np.zeros(len(df), dtype=bool),
        "Employees": emp_suppressed,
        "Payroll": pay_suppressed,
    }

    parts = []
    for col, measure in MEASURES.items():
        values = numbers[col].copy()
        values[suppressed[col]] = np.nan
        parts.append(
            pd.DataFrame(
                {
                    "region_code": fips.to_numpy(),
                    "region_level": level,
                    "industry_code": naics.to_numpy(),
                    "classification": classification or classification_for_year(year),
                    "year": np.full(len(df), year, dtype=np.int64),
                    "measure": measure,
                    "value": values,
                    "flag": np.where(suppressed[col], Flag.SUPPRESSED.value, Flag.NONE.value),
                    "line": lines,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    for col in ("region_code", "region_level", "industry_code", "classification", "measure", "flag"):
        frame[col] = frame[col].astype(str)
    frame = frame[[*OBSERVATION_COLUMNS, "line"]]

    states = fips.str[:2].unique()
    counties = level == RegionLevel.US_COUNTY.value
    scope = "us" if not counties.all() else str(states[0]) if len(states) == 1 else "us-counties"
    notes = []
    if emp_suppressed.any():
        notes.append(
            f"{int(emp_suppressed.sum())} rows with establishments but 0 employees: employment flagged "
            f"'suppressed' (withheld, not zero); payroll also suppressed in {int(pay_suppressed.sum())} of them "
            "(payroll 0), kept where published > 0"
        )
    padded = int(n.isin([1, 4]).sum())
    if padded:
        notes.append(f"{padded} FIPS codes had lost their leading zero and were zero-padded")
    if name_year is not None and name_year != year:
        notes.append(f"year {year} from the 'year' option, not {name_year} from the file name")
    if extract is None:
        extract = (
            "Census API via regiolens pull" if path.name.startswith(API_FILE_PREFIX) else "ModelEarth/community-data"
        )
    info = SourceInfo(
        dataset_key=f"cbp:{scope}:{year}",
        file_name=path.name,
        sha256=sha256_of(path),
        format="cbp",
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=f"Source: U.S. Census Bureau, County Business Patterns {year}; extract: {extract}",
        vintage=None,
        notes=tuple(notes),
    )
    return ParsedSource(info=info, observations=frame)


register(Reader("cbp", "County Business Patterns extract (Fips,Naics,Establishments,Employees,Payroll)", sniff, read))
