"""Establishment-level microdata (Parquet or CSV, a file or a partitioned directory) to region × industry × year.

One record per establishment (and year), columns named by options::

    betrieb_id,kreis,wz,jahr,beschaeftigte
    4711,05562,29.10,2020,412
    4712,05562,29.10,2020,37

    read_source("betriebe/", source="microdata", region_col="kreis", industry_col="wz", year_col="jahr",
                employees_col="beschaeftigte", establishment_col="betrieb_id", region_level="de:kreis",
                classification="wz2008", engine="spark", bad_rows="skip")

    regiolens data import betriebe/ --source microdata --engine spark -o bad_rows=skip -o region_col=kreis …

Options (``*`` = required): ``region_col`` *, ``industry_col`` *, ``year_col`` *, ``employees_col`` *,
``region_level`` *, ``classification`` * (a classification name such as ``wz2008``, or ``wz``: WZ 2008 up to
reporting year 2024 and WZ 2025 from 2025 on, as the official statistics switch), ``establishment_col``
(establishment id: establishments are then counted as distinct ids and exact duplicates are found),
``bad_rows`` (``strict``, the default, or ``skip``), ``as_of`` (ISO date of the territorial status region codes
are mapped to; default today), ``file_format`` (``parquet`` or ``csv``; default from the suffix, ``parquet`` for
a directory), ``delimiter`` (CSV; default from the header line: ``;``, ``,`` or tab), the engine settings
``engine`` (``duckdb`` or ``spark``), ``memory_limit``, ``temp_directory``, ``threads``, ``spark_master``,
``spark_driver_memory``, ``spark_conf`` (see :class:`regiolens.config.EngineSettings`; defaults from the
``REGIOLENS_*`` environment), and the provenance ``dataset_key``, ``publisher``, ``licence``, ``attribution``,
``vintage``.

**One pipeline, two engines.** The transform is a chain of Ibis expressions, run unchanged on DuckDB (default:
in process, out of core beyond ``memory_limit``) or on PySpark (local mode, or a cluster: see ``README.md``,
"Scaling out"); :mod:`regiolens.ingest.engines` opens the engine and reads the files with the same meaning on
both. Python turns the few distinct raw codes into code maps with the code paths the rest of regiolens uses
(:func:`code_maps`): region codes are checked and zero-padded (:func:`regiolens.ingest.generic.check_region_codes`)
and old codes mapped to their successor at ``as_of`` (:func:`regiolens.regions.history.successor`, the history the
warehouse applies to official tables); industry codes are respelled to their canonical form by the classification
(``2910`` and ``C29.10`` → ``29.10``). Where the maps apply depends on ``establishment_col``:

- **without** it (records have no identity), one query: the records are aggregated by their region, industry
  and year as written (:func:`written_cells_expr`: one hash aggregation, as fast as
  :func:`aggregate_establishments` alone), and what depends on the year cell is computed per group. Python then
  strips, checks and maps each distinct code once, and sums the cells that now share their keys (sums and counts
  add up) (:func:`mapped_cells`);
- **with** it (exact duplicates are found after the code mapping), two queries: the distinct raw ``(region,
  industry, classification version)`` triples with their record counts, then the pipeline with the code maps
  joined (small tables: a broadcast join on Spark) before it aggregates (:func:`microdata_expr`; on DuckDB its
  two intermediate aggregations are temporary tables, so that it stays within its memory limit) and
  :func:`finished_cells`.

Either way the cells and the bad-record counts come out of one aggregate of the engine, the records are
classified by the same expressions and rules, and Python sorts the few cells (vectorised), so both engines and
both pipelines deliver the same frame row for row.

**Records.** Text cells are stripped; an empty cell is missing. A year is four digits (text), a whole number
1000–9999, or a float with no fraction. An employee count is a finite number (text: decimal notation with a
point, ``12``, ``12.5``, ``1e3``). Each record gets the first of these kinds that applies, in this order, or
none; a record of a kind is *bad*:

==========================  ===============================================================================
``missing_region``           no region code
``missing_industry``         no industry code
``missing_year``             no year
``missing_establishment_id`` no establishment id (only with ``establishment_col``)
``bad_year``                 not a year
``bad_employees``            an employee count that is not a number (or not finite)
``negative_employees``       an employee count below zero
``bad_region``               a region code that does not fit ``region_level`` (after zero-padding)
==========================  ===============================================================================

- ``bad_rows="strict"`` (default; official imports): any bad record is an :class:`~regiolens.errors.InputError`
  naming the first one in the file(s): the file, the 1-based record number (Parquet) or line (CSV, header = line
  1), the column, and how many bad records there are in all. Finding that record is a second look at the data
  with DuckDB (local files; on the error path only, whatever the engine).
- ``bad_rows="skip"`` (large registers): bad records are skipped, counted by kind and reported
  (:class:`MicrodataReport`, and in the source's notes). Both engines classify with the same expressions,
  so their reports are equal.

**Not bad, but reported:**

- A missing employee count (suppressed in the source) does not make the sum zero: the cell's ``employment`` is
  flagged ``partial`` (a lower bound), or ``unavailable`` with no value when no record of the cell has a count.
- **Exact duplicates**: with ``establishment_col``, records equal in establishment id, region, industry, year and
  employee count (after the code mapping, so a record delivered once as ``05562``/``29.10`` and once as
  ``5562``/``2910`` is one record) are one record delivered twice: counted once in every measure, and
  reported. Records of one establishment and year that differ (several sites or industries) are all kept: the
  establishment is counted once per cell and its employees are summed. Without ``establishment_col`` records
  have no identity and are never merged (two small bakeries with 3 employees each are two records).
- Records under old region codes (mergers) are counted under their successor; codes that lost a leading zero
  are padded; industry codes that the classification does not know are kept as written (listed in the notes).

Measures: ``employment`` (sum of employees) and ``establishments`` (records, or distinct establishment ids).
Aggregated observations have no single source line: their ``line`` is 0. Groups of regions (Emscher-Lippe) are
summed from the stored cells by the panel query (:func:`regiolens.warehouse.panel.query_panel`), as for official
tables. Employment is summed in float64: exact, and so equal on both engines, for whole numbers below 2**53.

Speed: see ``benchmarks/README.md`` (``aggregate`` and ``scale``).
"""

from __future__ import annotations

import hashlib
import math
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regiolens.classifications import get_classification
from regiolens.classifications.base import UnknownClassificationError
from regiolens.config import Engine, EngineSettings, engine_settings
from regiolens.errors import InputError, RegiolensError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.engines import connect, is_url, read_table
from regiolens.ingest.files import data_files, user_source_info
from regiolens.ingest.generic import check_region_codes
from regiolens.model import OBSERVATION_COLUMNS, Flag, ParsedSource, RegionLevel
from regiolens.regions.codes import CODE_PATTERNS
from regiolens.regions.history import successor

KEYS: tuple[str, ...] = ("region_code", "industry_code", "year")
"""Group keys of :func:`aggregate_establishments` output."""

KINDS: tuple[str, ...] = (
    "missing_region",
    "missing_industry",
    "missing_year",
    "missing_establishment_id",
    "bad_year",
    "bad_employees",
    "negative_employees",
    "bad_region",
)
"""Kinds of bad records, in the order they are tested (a record gets the first that applies)."""

BadRows = Literal["strict", "skip"]

WZ_BY_YEAR = "wz"
"""``classification="wz"``: WZ 2008 up to reporting year 2024, WZ 2025 from :data:`WZ2025_FROM` on."""
WZ2025_FROM = 2025

_NUMBER = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
_YEAR = r"^[0-9]{4}$"
_MESSAGES = {
    "missing_region": "empty {col!r}: every establishment needs region, industry and year",
    "missing_industry": "empty {col!r}: every establishment needs region, industry and year",
    "missing_year": "empty {col!r}: every establishment needs region, industry and year",
    "missing_establishment_id": "empty {col!r}: no establishment id",
    "bad_year": "not a year",
    "bad_employees": "not a number",
    "negative_employees": "negative employee count",
    "bad_region": "region code {code!r} does not fit level {level} ({pattern})",
}


@dataclass(frozen=True)
class MicrodataSpec:
    """Which column holds what, the region level and the classification (the reader's required options)."""

    region_col: str
    industry_col: str
    year_col: str
    employees_col: str
    region_level: RegionLevel
    classification: str
    establishment_col: str | None = None

    def column_of(self, kind: str) -> str:
        """The column a bad record of ``kind`` is wrong in."""
        if kind in ("missing_region", "bad_region"):
            return self.region_col
        if kind == "missing_industry":
            return self.industry_col
        if kind in ("missing_year", "bad_year"):
            return self.year_col
        if kind == "missing_establishment_id":
            return str(self.establishment_col)
        return self.employees_col


@dataclass(frozen=True)
class CodeMaps:
    """What Python made of the distinct raw codes: the joins of the pipeline and the counts for the report.

    ``regions``: raw code → ``map_region`` (padded, then its successor at ``as_of``) and ``map_bad`` (fits no code
    of the level); only raw codes that change or are bad. ``industries``: raw code and
    classification version → canonical spelling; only codes that change. ``unknown_industries``: codes the
    classification does not know (kept as written).
    """

    regions: pd.DataFrame
    industries: pd.DataFrame
    records: int
    old_region_records: int
    padded_region_codes: int
    respelled_industry_codes: int
    unknown_industries: tuple[str, ...]


@dataclass(frozen=True)
class MicrodataReport:
    """What the pipeline did with the records: equal on every engine for the same data.

    ``bad_rows`` counts the bad records of every kind in :data:`KINDS` (0 where none); in ``strict`` mode any of
    them is an error instead.
    """

    records: int
    aggregated_records: int
    cells: int
    bad_rows: dict[str, int]
    duplicate_records: int
    employees_missing: int
    old_region_code_records: int
    padded_region_codes: int
    respelled_industry_codes: int
    unknown_industry_codes: tuple[str, ...]
    as_of: date

    @property
    def skipped(self) -> int:
        """Bad records in all."""
        return sum(self.bad_rows.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the date as ISO text, the codes as a list)."""
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        out["unknown_industry_codes"] = list(self.unknown_industry_codes)
        return out

    def notes(self, classification: str) -> list[str]:
        """The report as the source's notes (stored with the import and shown by ``regiolens data import``)."""
        notes = [
            f"{self.aggregated_records} establishment records aggregated to {self.cells} region × industry × year cells"
        ]
        if self.skipped:
            kinds = ", ".join(f"{n} {kind}" for kind, n in self.bad_rows.items() if n)
            notes.append(f"{self.skipped} of {self.records} records skipped as bad: {kinds}")
        if self.duplicate_records:
            notes.append(
                f"{self.duplicate_records} exact duplicate records (same establishment, region, industry, year and"
                " employee count) counted once"
            )
        if self.employees_missing:
            notes.append(f"{self.employees_missing} records without employee count: employment flagged 'partial'")
        if self.old_region_code_records:
            notes.append(
                f"{self.old_region_code_records} records under old region codes counted under their successor"
                f" as of {self.as_of.isoformat()}"
            )
        if self.padded_region_codes:
            notes.append(
                f"region codes that had lost their leading zero were zero-padded ({self.padded_region_codes} codes)"
            )
        if self.respelled_industry_codes:
            notes.append(f"{self.respelled_industry_codes} industry codes respelled to their {classification} form")
        if self.unknown_industry_codes:
            shown = ", ".join(self.unknown_industry_codes[:10]) + (
                " …" if len(self.unknown_industry_codes) > 10 else ""
            )
            count = len(self.unknown_industry_codes)
            notes.append(f"{count} industry codes unknown to {classification}, kept as written: {shown}")
        return notes


@dataclass(frozen=True)
class MicrodataResult:
    """The parsed source (observations and provenance, ready for the warehouse) and the report."""

    parsed: ParsedSource
    report: MicrodataReport


def aggregate_establishments(
    table: ibis.Table,
    *,
    region_col: str,
    industry_col: str,
    year_col: str,
    employees_col: str,
    establishment_col: str | None = None,
    by: Sequence[str] = (),
    stage: Callable[[ibis.Table], ibis.Table] | None = None,
) -> ibis.Table:
    """Aggregate establishment records to region × industry × year, as a backend-independent Ibis expression.

    Output columns: the extra group keys ``by``, then ``region_code`` (string), ``industry_code`` (string),
    ``year`` (int64), ``employment`` (float64, sum of the non-null employee counts; null when all are null),
    ``establishments`` (int64: records, or distinct ``establishment_col`` values), ``employees_missing`` (int64:
    records with a null employee count), ``records`` (int64) and ``duplicate_records`` (int64). Records with null
    keys form groups with null keys: callers check for them rather than losing them silently.

    With ``establishment_col``, exact duplicates (equal id, keys and employee count) count once and are counted
    in ``duplicate_records``: records are grouped by establishment and employee count first, then by
    establishment (its employment and records in the cell), then by cell (distinct establishments are then
    the rows), three plain hash aggregations. Without it ``records`` counts every record and ``duplicate_records``
    is 0. ``stage`` (e.g. ``Table.cache``) is applied to the two intermediate aggregations: DuckDB 2.0 runs one
    aggregation with as many groups as records out of core within its memory limit, but not two stacked in one
    query (out of memory at 50 M records and 1 GB, 200 M and 4 GB), so there each becomes a temporary table of its
    own; Spark materialises its shuffle stages anyway and needs none.

    The group keys are the raw columns and the casts come after the aggregation, so that the backend hashes the
    narrowest types (an ``int16`` year, an integer region code) and casts only one row per group; the employee
    count is summed as ``float64`` (exact below 2**53, and faster than DuckDB's 128-bit integer sums).
    """
    keys = [*by, "region", "industry", "yr"]
    employees = table[employees_col].cast("float64")
    base = [*(table[k] for k in by), table[region_col].name("region"), table[industry_col].name("industry")]
    base.append(table[year_col].name("yr"))
    if establishment_col is None:
        cells = table.group_by(base).aggregate(
            employment=employees.sum(), records=table.count(), employees_counted=employees.count()
        )
        cells = cells.mutate(copies=cells["records"], establishments=cells["records"])
    else:
        rows = table.group_by([*base, table[establishment_col].name("establishment"), employees.name("employees")])
        materialise = stage or (lambda t: t)
        copies = materialise(rows.aggregate(copies=table.count()))
        per_establishment = copies.group_by([*keys, "establishment"]).aggregate(
            employment=copies["employees"].sum(),
            records=copies.count(),
            employees_counted=copies["employees"].count(),
            copies=copies["copies"].sum(),
        )
        e = materialise(per_establishment)
        cells = e.group_by(keys).aggregate(
            employment=e["employment"].sum(),
            records=e["records"].sum(),
            employees_counted=e["employees_counted"].sum(),
            copies=e["copies"].sum(),
            establishments=e.count(),
        )
    return cells.select(
        *by,
        region_code=cells["region"].cast("string"),
        industry_code=cells["industry"].cast("string"),
        year=cells["yr"].cast("int64"),
        employment=cells["employment"],
        establishments=cells["establishments"].cast("int64"),
        employees_missing=(cells["records"] - cells["employees_counted"]).cast("int64"),
        records=cells["records"].cast("int64"),
        duplicate_records=(cells["copies"] - cells["records"]).cast("int64"),
    )


def _text(column: Any) -> Any:
    """A column as stripped text, empty → null (in Python: :func:`_stripped`)."""
    return column.cast("string").strip().nullif("")


def prepared_records(
    table: ibis.Table, spec: MicrodataSpec, keep: Sequence[str] = (), location: str | Path = "records"
) -> ibis.Table:
    """Each record cleaned, with the facts its kind depends on (see the module docstring), and ``keep`` columns.

    Columns: ``region_raw``, ``industry_raw`` (stripped text, null when empty), ``year`` (int64, null unless a
    year), ``year_missing``, ``employees`` (float64, null unless a finite number), ``employees_bad``, ``version``
    (the classification of the record: by year for ``classification="wz"``) and ``establishment``.
    """
    _check_columns(table, spec, location)
    year, year_missing = _parsed_year(table[spec.year_col], spec, location)
    employees, employees_bad = _parsed_employees(table[spec.employees_col], spec, location)
    columns: dict[str, Any] = {
        "region_raw": _text(table[spec.region_col]),
        "industry_raw": _text(table[spec.industry_col]),
        "year": year,
        "year_missing": year_missing,
        "employees": employees,
        "employees_bad": ibis.literal(False) if employees_bad is None else employees_bad,
        "version": _version(year, spec),
    }
    if spec.establishment_col is not None:
        ident = table[spec.establishment_col]
        columns["establishment"] = _text(ident) if ident.type().is_string() else ident
    return table.select(*keep, **columns)


def _check_columns(table: ibis.Table, spec: MicrodataSpec, location: str | Path) -> None:
    for col in (spec.region_col, spec.industry_col, spec.year_col, spec.employees_col, spec.establishment_col):
        if col is not None and col not in table.columns:
            raise InputError(location, 1, col, f"missing column {col!r}; columns: {', '.join(table.columns)}")


def _parsed_year(raw_year: Any, spec: MicrodataSpec, location: str | Path) -> tuple[Any, Any]:
    """``(year, year_missing)``: the year (int64, null unless a year) and whether the cell is empty."""
    null_int = ibis.null("int64")
    if raw_year.type().is_string():
        text = _text(raw_year)
        return text.re_search(_YEAR).ifelse(text.try_cast("int64"), null_int), text.isnull()
    if raw_year.type().is_integer():
        whole = raw_year.cast("int64")
        return ((whole >= 1000) & (whole <= 9999)).ifelse(whole, null_int), raw_year.isnull()
    if raw_year.type().is_numeric():
        number = raw_year.cast("float64")
        whole_number = (number == number.floor()) & (number >= 1000) & (number <= 9999)
        return whole_number.ifelse(number.try_cast("int64"), null_int), raw_year.isnull()
    raise InputError(location, 1, spec.year_col, f"years are numbers or text, not {raw_year.type()}")


def _parsed_employees(raw_emp: Any, spec: MicrodataSpec, location: str | Path) -> tuple[Any, Any | None]:
    """``(employees, employees_bad)``: the count (float64, null unless a finite number) and whether a cell that is
    not empty holds no such number (``None`` for an integer column: every integer is a count).
    """
    if raw_emp.type().is_integer():
        return raw_emp.cast("float64"), None
    if raw_emp.type().is_string():
        text = _text(raw_emp)
        number = text.re_search(_NUMBER).ifelse(text.try_cast("float64"), ibis.null("float64"))
        given = text.notnull()
    elif raw_emp.type().is_numeric():
        number, given = raw_emp.cast("float64"), raw_emp.notnull()
    else:
        raise InputError(location, 1, spec.employees_col, f"employee counts are numbers or text, not {raw_emp.type()}")
    # not ±inf and not NaN (NaN sorts above every number on DuckDB and on Spark); Ibis 12's isinf() is
    # constant false on PySpark, so the test is written with comparisons
    infinity = ibis.literal(math.inf)
    finite = ((number > -infinity) & (number < infinity)).fill_null(False)
    return finite.ifelse(number, ibis.null("float64")), given & ~finite


def _version(year: Any, spec: MicrodataSpec) -> Any:
    """The classification a record's industry code is read in: by its year for ``classification="wz"``."""
    if spec.classification == WZ_BY_YEAR:
        return (year >= WZ2025_FROM).ifelse(ibis.literal("wz2025"), ibis.literal("wz2008"))
    return ibis.literal(spec.classification)


def _first_kind(tests: dict[str, Any]) -> Any:
    """The name of the first test (in :data:`KINDS` order; ``None`` = not tested) that is true, else null."""
    cases = ((test, name) for name, test in tests.items() if test is not None)
    return ibis.cases(*cases, else_=ibis.null("string"))


def code_maps(raw: pa.Table, spec: MicrodataSpec, as_of: date) -> CodeMaps:
    """The code maps from ``(region_raw, industry_raw, version, n)`` rows: records by their codes (stripped)."""
    frame = raw.to_pandas()
    regions = frame.dropna(subset=["region_raw"]).groupby("region_raw", sort=True)["n"].sum()
    pairs = frame.dropna(subset=["industry_raw"])[["industry_raw", "version"]].drop_duplicates()
    return _code_maps(regions, pairs.itertuples(index=False, name=None), int(frame["n"].sum()), spec, as_of)


def _code_maps(
    region_records: pd.Series,
    industries: Iterable[tuple[str, str]],
    records: int,
    spec: MicrodataSpec,
    as_of: date,
) -> CodeMaps:
    """The code maps from the records by region code (``region_records``: stripped code → records, sorted) and the
    distinct ``(industry code, classification version)`` pairs; ``records`` in all.
    """
    raw_codes = pd.Series(region_records.index, dtype=object)
    codes, bad, padded = check_region_codes(raw_codes, spec.region_level)
    final = [
        "" if is_bad else successor(spec.region_level, code, as_of)
        for code, is_bad in zip(codes, bad.to_numpy(), strict=True)
    ]
    old = ~bad.to_numpy() & (np.asarray(final, dtype=object) != codes.to_numpy())
    region_map = pd.DataFrame({"map_region_raw": raw_codes, "map_region": final, "map_bad": bad.to_numpy()})
    old_records = int(region_records.to_numpy()[old].sum())
    region_map = region_map[region_map["map_bad"] | (region_map["map_region"] != region_map["map_region_raw"])]

    by_version: dict[str, set[str]] = {}
    for code, version in industries:
        by_version.setdefault(str(version), set()).add(code)
    respelled: list[tuple[str, str, str]] = []
    unknown: set[str] = set()
    for version in sorted(by_version):
        try:
            clf = get_classification(version)
        except UnknownClassificationError:
            continue  # a classification regiolens does not know: codes as written
        for code in sorted(by_version[version]):
            canonical = clf.canonical(code)
            if canonical is None:
                unknown.add(code)
            elif canonical != code:
                respelled.append((code, version, canonical))
    industry_map = pd.DataFrame(respelled, columns=["map_industry_raw", "map_version", "map_industry"])
    return CodeMaps(
        regions=region_map.reset_index(drop=True),
        industries=industry_map,
        records=records,
        old_region_records=old_records,
        padded_region_codes=padded,
        respelled_industry_codes=len(industry_map),
        unknown_industries=tuple(sorted(unknown)),
    )


def classified_records(prepared: ibis.Table, spec: MicrodataSpec, maps: CodeMaps) -> ibis.Table:
    """Prepared records with the code maps joined, their ``kind`` (null = good) and the canonical keys."""
    t = prepared
    if len(maps.regions):
        rmap = ibis.memtable(maps.regions)
        t = t.left_join(rmap, t["region_raw"] == rmap["map_region_raw"]).drop("map_region_raw")
        region_code, region_bad = ibis.coalesce(t["map_region"], t["region_raw"]), t["map_bad"].fill_null(False)
    else:
        region_code, region_bad = t["region_raw"], ibis.literal(False)
    if len(maps.industries):
        imap = ibis.memtable(maps.industries)
        condition = (t["industry_raw"] == imap["map_industry_raw"]) & (t["version"] == imap["map_version"])
        t = t.left_join(imap, condition).drop("map_industry_raw", "map_version")
        industry_code = ibis.coalesce(t["map_industry"], t["industry_raw"])
    else:
        industry_code = t["industry_raw"]
    tests = {
        "missing_region": t["region_raw"].isnull(),
        "missing_industry": t["industry_raw"].isnull(),
        "missing_year": t["year_missing"],
        "missing_establishment_id": t["establishment"].isnull() if spec.establishment_col else None,
        "bad_year": t["year"].isnull(),
        "bad_employees": t["employees_bad"],
        "negative_employees": t["employees"] < 0,
        "bad_region": region_bad,
    }
    return t.mutate(kind=_first_kind(tests), region_code=region_code, industry_code=industry_code)


def microdata_expr(
    table: ibis.Table, spec: MicrodataSpec, maps: CodeMaps, stage: Callable[[ibis.Table], ibis.Table] | None = None
) -> ibis.Table:
    """The pipeline's aggregate with the code maps joined: cells (``kind`` null) and a row per kind of bad record.

    Bad records keep only their kind (keys, id and count set to null), so they aggregate to one row per kind
    whose ``records + duplicate_records`` is their number. ``stage``: see :func:`aggregate_establishments`.
    """
    t = classified_records(prepared_records(table, spec), spec, maps)
    good = t["kind"].isnull()

    def kept(column: str, dtype: Any) -> Any:
        return good.ifelse(t[column], ibis.null(dtype))

    columns: dict[str, Any] = {
        "kind": t["kind"],
        "classification": kept("version", "string"),
        "region_code": kept("region_code", "string"),
        "industry_code": kept("industry_code", "string"),
        "year": kept("year", "int64"),
        "employees": kept("employees", "float64"),
    }
    if spec.establishment_col is not None:
        columns["establishment"] = kept("establishment", t["establishment"].type().copy(nullable=True))
    rows = t.select(**columns)
    return aggregate_establishments(
        rows,
        region_col="region_code",
        industry_col="industry_code",
        year_col="year",
        employees_col="employees",
        establishment_col="establishment" if spec.establishment_col is not None else None,
        by=("kind", "classification"),
        stage=stage,
    )


def written_cells_expr(table: ibis.Table, spec: MicrodataSpec, location: str | Path = "records") -> ibis.Table:
    """The pipeline's aggregate without establishment ids, by the codes as written: one hash aggregation.

    The records are grouped by their region, industry and year cells as written and by whether their employee
    count is not a number or negative: narrow hash keys (dictionary-encoded text, a small integer year, two
    booleans), as in :func:`aggregate_establishments`. What depends only on the year cell (the year, the
    classification version, ``missing_year`` and ``bad_year``) is then computed once per group, with the
    expressions :func:`prepared_records` applies to each record; the codes stay as written (text, not stripped:
    :func:`mapped_cells` strips, checks and maps each distinct code once). Output: the columns of
    :func:`microdata_expr`, bad records included with their codes, and ``kind`` one of the kinds that depend on
    year and employee count (``missing_region``, ``missing_industry`` and ``bad_region`` come from the codes).
    """
    if spec.establishment_col is not None:
        raise ValueError("establishment ids are deduplicated after the code mapping: use microdata_expr")
    _check_columns(table, spec, location)
    employees, employees_bad = _parsed_employees(table[spec.employees_col], spec, location)
    keys = {
        "written_region": table[spec.region_col],
        "written_industry": table[spec.industry_col],
        "written_year": table[spec.year_col],
        "negative": employees < 0,
    }
    if employees_bad is not None:
        keys["employees_bad"] = employees_bad
    g = table.group_by(**keys).aggregate(
        employment=employees.sum(), records=table.count(), employees_counted=employees.count()
    )
    year, year_missing = _parsed_year(g["written_year"], spec, location)
    tests = {
        "missing_year": year_missing,
        "bad_year": year.isnull(),
        "bad_employees": g["employees_bad"] if employees_bad is not None else None,
        "negative_employees": g["negative"],
    }
    records = g["records"].cast("int64")
    return g.select(
        kind=_first_kind(tests),
        classification=_version(year, spec),
        region_code=g["written_region"].cast("string"),
        industry_code=g["written_industry"].cast("string"),
        year=year,
        employment=g["employment"],
        establishments=records,
        employees_missing=(g["records"] - g["employees_counted"]).cast("int64"),
        records=records,
        duplicate_records=ibis.literal(0, "int64"),
    )


def run_pipeline(
    location: str | Path,
    spec: MicrodataSpec,
    settings: EngineSettings,
    *,
    file_format: str,
    delimiter: str = ",",
    as_of: date,
) -> tuple[pa.Table, dict[str, int], CodeMaps]:
    """The pipeline on the configured engine: the sorted cells, the bad records by kind and the code maps.

    Without ``establishment_col`` one query (codes as written; Python maps them), with it two (the distinct raw
    codes for the maps, then the pipeline with the maps joined): see the module docstring.
    """
    with connect(settings) as con:
        try:
            table = read_table(con, location, file_format, delimiter=delimiter)
        except RegiolensError:
            raise
        except Exception as exc:  # DuckDB and Spark raise their own I/O and format errors
            raise InputError(location, None, None, f"cannot read as {file_format}: {_first_line(exc)}") from None
        if spec.establishment_col is None:
            return mapped_cells(written_cells_expr(table, spec, location).to_pyarrow(), spec, as_of)
        prepared = prepared_records(table, spec, location=location)
        distinct = prepared.group_by(["region_raw", "industry_raw", "version"]).aggregate(n=prepared.count())
        maps = code_maps(distinct.to_pyarrow(), spec, as_of)
        temporary: list[str] = []  # DuckDB's stage tables, dropped as soon as the result is in

        def temporary_table(stage: ibis.Table) -> ibis.Table:
            temporary.append(f"regiolens_stage_{len(temporary)}")
            return con.create_table(temporary[-1], stage, temp=True)

        try:
            expr = microdata_expr(table, spec, maps, temporary_table if settings.engine == "duckdb" else None)
            return (*finished_cells(expr.to_pyarrow(), spec), maps)
        finally:
            for name in reversed(temporary):  # Ibis 12's drop_table loses the name of a temporary table
                con.raw_sql(f'DROP TABLE IF EXISTS temp.main."{name}"')


def _first_bad(
    location: str | Path, spec: MicrodataSpec, maps: CodeMaps, file_format: str, delimiter: str
) -> dict[str, Any] | None:
    """The first bad record (file, line, kind, raw region), found with DuckDB on a local path; else ``None``."""
    if is_url(location):
        return None
    con = ibis.duckdb.connect(threads=1) if file_format == "csv" else ibis.duckdb.connect()
    try:
        table = read_table(con, location, file_format, delimiter=delimiter, numbered=True)
        t = classified_records(prepared_records(table, spec, keep=("__file", "__line")), spec, maps)
        first = t.filter(t["kind"].notnull()).order_by(["__file", "__line"]).limit(1)
        rows = first.select("__file", "__line", "kind", "region_raw").to_pyarrow().to_pylist()
    finally:
        con.disconnect()
    return rows[0] if rows else None


def aggregate_microdata(
    location: str | Path,
    *,
    region_col: str | None = None,
    industry_col: str | None = None,
    year_col: str | None = None,
    employees_col: str | None = None,
    region_level: str | RegionLevel | None = None,
    classification: str | None = None,
    establishment_col: str | None = None,
    bad_rows: BadRows = "strict",
    as_of: str | date | None = None,
    file_format: str | None = None,
    delimiter: str | None = None,
    engine: Engine | None = None,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
    threads: int | str | None = None,
    spark_master: str | None = None,
    spark_driver_memory: str | None = None,
    spark_conf: str | dict[str, str] | None = None,
    dataset_key: str | None = None,
    publisher: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    vintage: str | None = None,
) -> MicrodataResult:
    """Run the microdata pipeline on ``location`` (a file, a directory or, on Spark, a URL); see the module docstring.

    ``engine`` is ``"duckdb"`` or ``"spark"`` (default: ``$REGIOLENS_ENGINE``, else DuckDB).
    """
    required = {
        "region_col": region_col,
        "industry_col": industry_col,
        "year_col": year_col,
        "employees_col": employees_col,
        "region_level": region_level,
        "classification": classification,
    }
    for option, given in required.items():
        if given is None:
            raise InputError(location, None, option, f"option {option!r} is required")
    assert region_col and industry_col and year_col and employees_col and classification
    try:
        level = RegionLevel(str(region_level))
    except ValueError:
        raise InputError(location, None, "region_level", f"unknown region level {region_level!r}") from None
    if bad_rows not in ("strict", "skip"):
        raise InputError(location, None, "bad_rows", f"bad_rows must be 'strict' or 'skip', not {bad_rows!r}")
    try:
        target = as_of if isinstance(as_of, date) else date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise InputError(location, None, "as_of", f"as_of is a date like 2024-12-31, not {as_of!r}") from None
    local = None if is_url(location) else Path(location)
    suffix = (local.suffix if local is not None and not local.is_dir() else Path(str(location)).suffix).lower()
    fmt = (file_format or ("csv" if suffix in {".csv", ".txt"} else "parquet")).lower()
    if fmt not in {"csv", "parquet"}:
        raise InputError(location, None, "file_format", f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    sep = delimiter or (_sniff_delimiter(local) if fmt == "csv" and local is not None else ",")
    settings = engine_settings(
        engine=engine,
        memory_limit=memory_limit,
        temp_directory=temp_directory,
        threads=threads,
        spark_master=spark_master,
        spark_driver_memory=spark_driver_memory,
        spark_conf=spark_conf,
    )
    spec = MicrodataSpec(region_col, industry_col, year_col, employees_col, level, classification, establishment_col)

    cells, bad_counts, maps = run_pipeline(location, spec, settings, file_format=fmt, delimiter=sep, as_of=target)
    if bad_rows == "strict" and any(bad_counts.values()):
        _raise_first_bad(location, spec, maps, fmt, sep, bad_counts)

    observations = _observations(cells, level)
    report = MicrodataReport(
        records=maps.records,
        aggregated_records=int(pc.sum(cells["records"]).as_py() or 0),
        cells=cells.num_rows,
        bad_rows=bad_counts,
        duplicate_records=int(pc.sum(cells["duplicate_records"]).as_py() or 0),
        employees_missing=int(pc.sum(cells["employees_missing"]).as_py() or 0),
        old_region_code_records=maps.old_region_records,
        padded_region_codes=maps.padded_region_codes,
        respelled_industry_codes=maps.respelled_industry_codes,
        unknown_industry_codes=maps.unknown_industries,
        as_of=target,
    )
    name = Path(str(location).rstrip("/"))
    info = user_source_info(
        name,
        "microdata",
        report.notes(classification),
        dataset_key,
        publisher,
        licence,
        attribution,
        vintage,
        sha256=_content_sha256(observations, report) if local is None else None,
    )
    return MicrodataResult(ParsedSource(info=info, observations=observations, path=str(location)), report)


def _raise_first_bad(
    location: str | Path, spec: MicrodataSpec, maps: CodeMaps, fmt: str, sep: str, counts: dict[str, int]
) -> None:
    total = sum(counts.values())
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    hint = f" ({total} bad records in all: {summary}; bad_rows='skip' skips and counts them)" if total > 1 else ""
    first = _first_bad(location, spec, maps, fmt, sep)
    kind = first["kind"] if first else next(k for k, n in counts.items() if n)
    col = spec.column_of(kind)
    message = _MESSAGES[kind].format(
        col=col,
        code=first["region_raw"] if first else None,
        level=spec.region_level.value,
        pattern=CODE_PATTERNS[spec.region_level].pattern,
    )
    path = first["__file"] if first and Path(location).is_dir() else location
    raise InputError(path, int(first["__line"]) if first else None, col, message + hint)


def mapped_cells(written: pa.Table, spec: MicrodataSpec, as_of: date) -> tuple[pa.Table, dict[str, int], CodeMaps]:
    """The sorted cells, the bad records by kind and the code maps, from :func:`written_cells_expr`'s result.

    Each distinct code as written is handled once: stripped as :func:`_text` strips in the engine (an empty code
    makes its records ``missing_region`` or ``missing_industry``, the first kinds of all), counted for the code
    maps (:func:`code_maps`) and mapped (a region code that fits no code of the level makes the records that are
    good otherwise ``bad_region``, the last kind). Cells that then share their keys are summed (:func:`_summed_cells`).
    """
    records = _records(written)
    regions, region_row = _distinct(written["region_code"])
    industries, industry_row = _distinct(written["industry_code"])
    versions, version_row = _distinct(written["classification"])
    region_text = [_stripped(code) for code in regions]
    industry_text = [_stripped(code) for code in industries]
    # an industry code is read in the classification version of its record: one spelling per distinct pair
    pairs, pair_row = _distinct_pairs(industry_row, version_row, len(versions))
    pair_text = [(industry_text[i], versions[v]) for i, v in pairs]

    by_region: dict[str, int] = {}
    for text, n in zip(region_text, np.bincount(region_row, records, len(regions)).tolist(), strict=True):
        if text is not None:
            by_region[text] = by_region.get(text, 0) + int(n)
    known_pairs = [(code, version) for code, version in pair_text if code is not None]
    region_records = pd.Series(by_region, dtype="int64").sort_index()
    maps = _code_maps(region_records, known_pairs, int(records.sum()), spec, as_of)

    kinds, kind_row = _distinct(written["kind"])
    names = [*kinds, "missing_region", "missing_industry", "bad_region"]
    missing_region = np.array([text is None for text in region_text], dtype=bool)[region_row]
    missing_industry = np.array([text is None for text in industry_text], dtype=bool)[industry_row]
    kind_row = np.where(missing_region, len(kinds), np.where(missing_industry, len(kinds) + 1, kind_row))
    bad_codes = set(maps.regions.loc[maps.regions["map_bad"], "map_region_raw"])
    bad_region = np.array([text in bad_codes for text in region_text], dtype=bool)[region_row]
    good = kind_row == (kinds.index(None) if None in kinds else -1)
    kind_row[good & bad_region] = len(kinds) + 2
    good &= ~bad_region

    region_to = dict(zip(maps.regions["map_region_raw"], maps.regions["map_region"], strict=True))
    respelled = {(code, version): canonical for code, version, canonical in maps.industries.itertuples(index=False)}
    keys = {
        "classification": (versions, version_row),
        "region_code": ([region_to.get(text, text) for text in region_text], region_row),
        "industry_code": ([respelled.get(pair, pair[0]) for pair in pair_text], pair_row),
        "year": _distinct(written["year"]),
    }
    return _summed_cells(written, keys, good), _bad_counts(names, kind_row, records, spec), maps


def finished_cells(aggregate: pa.Table, spec: MicrodataSpec) -> tuple[pa.Table, dict[str, int]]:
    """The sorted cells and the bad records by kind from :func:`microdata_expr`'s result (codes mapped already)."""
    kinds, kind_row = _distinct(aggregate["kind"])
    good = kind_row == (kinds.index(None) if None in kinds else -1)
    keys = {name: _distinct(aggregate[name]) for name in ("classification", "region_code", "industry_code", "year")}
    return _summed_cells(aggregate, keys, good), _bad_counts(kinds, kind_row, _records(aggregate), spec)


def _summed_cells(aggregate: pa.Table, keys: dict[str, tuple[list[Any], np.ndarray]], rows: np.ndarray) -> pa.Table:
    """The ``rows`` (a mask) of ``aggregate`` summed by ``keys`` and sorted by them, in their order.

    ``keys``: column → its values (mapped codes: a value may repeat) and each row's index into them. Vectorised:
    each key becomes the rank of its value among the key's distinct values (text by code point) and the ranks one
    integer. Where there are not many more combinations of the keys than rows (region × industry × year), the
    integers index the sums directly (``bincount``: a counting sort); else one argsort orders the rows and brings
    those with equal keys together. Employment is null when all its parts are; records, employees without count,
    establishments and duplicates add up (whole numbers: exact in float64 below 2**53).
    """
    index = np.flatnonzero(rows)
    combined, capacity = np.zeros(len(index), dtype=np.int64), 1
    distinct_values: dict[str, list[Any]] = {}
    for name, (values, row) in keys.items():
        distinct_values[name], rank = _ranked(values)
        radix = max(len(distinct_values[name]), 1)
        capacity *= radix
        if capacity >= 2**62:  # too many combinations for one integer (never for region × industry × year)
            raise ValueError(f"cannot sort by {list(keys)}: {capacity} combinations")
        combined = combined * radix + rank[row if len(index) == len(row) else row[index]]

    def part(values: np.ndarray) -> np.ndarray:
        return values if len(index) == len(values) else values[index]

    if capacity <= _DENSE_KEYS_PER_ROW * len(index):
        cell = np.flatnonzero(np.bincount(combined, minlength=capacity))

        def summed(values: np.ndarray) -> np.ndarray:
            return np.bincount(combined, part(values), capacity)[cell]

    else:
        order = np.argsort(combined)
        ordered = combined[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if len(order) else order
        cell = ordered[starts]

        def summed(values: np.ndarray) -> np.ndarray:
            return np.add.reduceat(part(values)[order], starts) if len(order) else part(values)

    out: dict[str, pa.Array] = {}
    code = cell  # each cell's key ranks, decoded from its combined integer, last key first
    for name in reversed(keys):
        code, rank = np.divmod(code, max(len(distinct_values[name]), 1))
        out[name] = pa.array(distinct_values[name], aggregate.schema.field(name).type).take(pa.array(rank))
    out = {name: out[name] for name in keys}
    employment = aggregate["employment"].to_numpy()  # null → NaN
    counted = ~np.isnan(employment)
    if counted.all():
        out["employment"] = pa.array(summed(employment), pa.float64())
    else:
        unavailable = summed(counted.astype(np.int64)) == 0
        out["employment"] = pa.array(summed(np.where(counted, employment, 0.0)), pa.float64(), mask=unavailable)
    for column in ("establishments", "employees_missing", "records", "duplicate_records"):
        out[column] = pa.array(summed(aggregate[column].to_numpy()).astype(np.int64), pa.int64())
    return pa.table(out)


_DENSE_KEYS_PER_ROW = 8
"""Up to this many key combinations per row, :func:`_summed_cells` sums by counting rather than sorting."""


def _bad_counts(
    kinds: list[str | None], kind_row: np.ndarray, records: np.ndarray, spec: MicrodataSpec
) -> dict[str, int]:
    """The records of every kind in :data:`KINDS` (0 where none; the kind ``None`` is good)."""
    counts = {k: 0 for k in KINDS if k != "missing_establishment_id" or spec.establishment_col}
    for kind, n in zip(kinds, np.bincount(kind_row, records, len(kinds)).tolist(), strict=True):
        if kind is not None:
            counts[kind] += int(n)
    return counts


def _records(rows: pa.Table) -> np.ndarray:
    """The records aggregated into each row: every exact duplicate is a record too."""
    return rows["records"].to_numpy() + rows["duplicate_records"].to_numpy()


def _distinct(column: pa.ChunkedArray) -> tuple[list[Any], np.ndarray]:
    """A column's distinct values (null as ``None``) and each row's index into them."""
    encoded = pc.dictionary_encode(column.combine_chunks(), null_encoding="encode")
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy()


def _distinct_pairs(first: np.ndarray, second: np.ndarray, n_second: int) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The distinct ``(first, second)`` index pairs of the rows, and each row's index into them (a lookup table
    over all ``first × second`` combinations: both are indices into a few distinct values).
    """
    combined = first.astype(np.int64) * n_second + second
    present = np.zeros((int(first.max()) + 1 if len(first) else 0) * n_second, dtype=bool)
    present[combined] = True
    codes = np.flatnonzero(present)
    lookup = np.zeros(len(present), dtype=np.int64)
    lookup[codes] = np.arange(len(codes))
    return [(int(c) // n_second, int(c) % n_second) for c in codes], lookup[combined]


def _ranked(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """The distinct values sorted (``None`` left out), and each value's rank among them (``None``: -1)."""
    distinct = sorted({value for value in values if value is not None})
    position = {value: i for i, value in enumerate(distinct)}
    return distinct, np.array([position.get(value, -1) for value in values], dtype=np.int64)


def _stripped(code: str | None) -> str | None:
    """A code as :func:`_text` makes it in the engine: Ibis strips :data:`string.whitespace` on DuckDB and on Spark
    (``TRIM``), and an empty code is missing.
    """
    return (code.strip(string.whitespace) or None) if code is not None else None


def _observations(cells: pa.Table, level: RegionLevel) -> pd.DataFrame:
    """The long observation frame (``employment`` then ``establishments``) of the sorted cells."""
    n = cells.num_rows
    emp_value = cells["employment"].to_numpy(zero_copy_only=False).astype("float64")
    missing = cells["employees_missing"].to_numpy(zero_copy_only=False)
    emp_flag = np.where(np.isnan(emp_value), 2, np.where(missing > 0, 1, 0)).astype(np.int32)
    flag_names = pa.array([Flag.NONE.value, Flag.PARTIAL.value, Flag.UNAVAILABLE.value], pa.string())

    def constant(text: str) -> pa.Array:
        return pa.repeat(pa.scalar(text, pa.string()), n)

    def part(measure: str, value: np.ndarray, flag: pa.Array) -> pa.Table:
        return pa.table(
            {
                "region_code": cells["region_code"],
                "region_level": constant(level.value),
                "industry_code": cells["industry_code"],
                "classification": cells["classification"],
                "year": cells["year"].cast(pa.int64()),
                "measure": constant(measure),
                "value": pa.array(value, pa.float64()),
                "flag": flag,
                "line": pa.array(np.zeros(n, dtype=np.int64)),
            }
        )

    establishments = cells["establishments"].to_numpy(zero_copy_only=False).astype("float64")
    long = pa.concat_tables(
        [
            part("employment", emp_value, flag_names.take(pa.array(emp_flag))),
            part("establishments", establishments, constant(Flag.NONE.value)),
        ]
    )
    frame = long.to_pandas()
    frame["value"] = frame["value"].astype("float64")
    return frame[[*OBSERVATION_COLUMNS, "line"]]


def _content_sha256(observations: pd.DataFrame, report: MicrodataReport) -> str:
    """Identity of a source read from a URL (no local bytes to hash): its observations and report."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(observations, index=False).to_numpy().tobytes())
    digest.update(repr(report.to_dict()).encode())
    return digest.hexdigest()


def _sniff_delimiter(path: Path) -> str:
    """The CSV delimiter from the first header line: the most frequent of ``;``, ``,`` and tab (``,`` if none)."""
    first = data_files(path)[0] if path.is_dir() and data_files(path) else path
    try:
        with first.open(encoding="utf-8-sig", errors="replace") as fh:
            head = fh.readline()
    except OSError:
        return ","
    counts = {d: head.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def sniff(path: Path, head: bytes) -> bool:
    """Never: microdata are chosen explicitly with ``--source microdata``."""
    return False


def read(path: Path, **options: Any) -> ParsedSource:
    """Aggregate an establishment file or directory to canonical observations (see the module docstring)."""
    return aggregate_microdata(path, **options).parsed


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


register(
    Reader(
        "microdata",
        "establishment microdata aggregated (choose with --source microdata; a file or a partitioned directory)",
        sniff,
        read,
        directories=True,
    )
)
