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

**One pipeline, two engines.** The transform is a chain of Ibis expressions (:func:`microdata_expr`), run
unchanged on DuckDB (default: in process, out of core beyond ``memory_limit``) or on PySpark (local mode, or a
cluster: see ``README.md``, "Scaling out"); :mod:`regiolens.ingest.engines` opens the engine and reads the files
with the same meaning on both. Two queries run on the engine:

1. the distinct raw ``(region, industry, classification version)`` triples with their record counts. Python
   turns the few distinct codes into code maps with the code paths the rest of regiolens uses: region codes are
   checked and zero-padded (:func:`regiolens.ingest.generic.check_region_codes`) and old codes mapped to their
   successor at ``as_of`` (:func:`regiolens.regions.history.successor`, the history the warehouse applies to
   official tables); industry codes are respelled to their canonical form by the classification (``2910`` and
   ``C29.10`` → ``29.10``);
2. the pipeline: clean each record, join the code maps (small tables: a broadcast join on Spark), classify bad
   records, and aggregate (:func:`aggregate_establishments`). Cells and the bad-record counts come out of this
   one query (on DuckDB its two intermediate aggregations are temporary tables, so that it stays within its
   memory limit). Python then sorts the cells, so both engines deliver the same frame row for row.

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
from collections.abc import Callable, Sequence
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
from regiolens.errors import InputError, RegiolensError, UnknownIndustryError
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
    """A column as stripped text, empty → null."""
    return column.cast("string").strip().nullif("")


def prepared_records(
    table: ibis.Table, spec: MicrodataSpec, keep: Sequence[str] = (), location: str | Path = "records"
) -> ibis.Table:
    """Each record cleaned, with the facts its kind depends on (see the module docstring), and ``keep`` columns.

    Columns: ``region_raw``, ``industry_raw`` (stripped text, null when empty), ``year`` (int64, null unless a
    year), ``year_missing``, ``employees`` (float64, null unless a finite number), ``employees_bad``, ``version``
    (the classification of the record: by year for ``classification="wz"``) and ``establishment``.
    """
    for col in (spec.region_col, spec.industry_col, spec.year_col, spec.employees_col, spec.establishment_col):
        if col is not None and col not in table.columns:
            raise InputError(location, 1, col, f"missing column {col!r}; columns: {', '.join(table.columns)}")
    raw_year, raw_emp = table[spec.year_col], table[spec.employees_col]
    null_int, null_float = ibis.null("int64"), ibis.null("float64")

    if raw_year.type().is_string():
        text = _text(raw_year)
        year_missing = text.isnull()
        year = text.re_search(_YEAR).ifelse(text.try_cast("int64"), null_int)
    elif raw_year.type().is_integer():
        year_missing, whole = raw_year.isnull(), raw_year.cast("int64")
        year = ((whole >= 1000) & (whole <= 9999)).ifelse(whole, null_int)
    elif raw_year.type().is_numeric():
        year_missing, number = raw_year.isnull(), raw_year.cast("float64")
        whole_number = (number == number.floor()) & (number >= 1000) & (number <= 9999)
        year = whole_number.ifelse(number.try_cast("int64"), null_int)
    else:
        raise InputError(location, 1, spec.year_col, f"years are numbers or text, not {raw_year.type()}")

    if raw_emp.type().is_string():
        text = _text(raw_emp)
        number = text.re_search(_NUMBER).ifelse(text.try_cast("float64"), null_float)
        given = text.notnull()
    elif raw_emp.type().is_numeric():
        number, given = raw_emp.cast("float64"), raw_emp.notnull()
    else:
        raise InputError(location, 1, spec.employees_col, f"employee counts are numbers or text, not {raw_emp.type()}")
    # not ±inf and not NaN (NaN sorts above every number on DuckDB and on Spark); Ibis 12's isinf() is
    # constant false on PySpark, so the test is written with comparisons
    infinity = ibis.literal(math.inf)
    finite = ((number > -infinity) & (number < infinity)).fill_null(False)
    employees = finite.ifelse(number, null_float)

    if spec.classification == WZ_BY_YEAR:
        version: Any = (year >= WZ2025_FROM).ifelse(ibis.literal("wz2025"), ibis.literal("wz2008"))
    else:
        version = ibis.literal(spec.classification)
    columns: dict[str, Any] = {
        "region_raw": _text(table[spec.region_col]),
        "industry_raw": _text(table[spec.industry_col]),
        "year": year,
        "year_missing": year_missing,
        "employees": employees,
        "employees_bad": given & ~finite,
        "version": version,
    }
    if spec.establishment_col is not None:
        ident = table[spec.establishment_col]
        columns["establishment"] = _text(ident) if ident.type().is_string() else ident
    return table.select(*keep, **columns)


def code_maps(raw: pa.Table, spec: MicrodataSpec, as_of: date) -> CodeMaps:
    """The code maps from the distinct raw ``(region_raw, industry_raw, version, n)`` rows (query 1)."""
    frame = raw.to_pandas()
    records = int(frame["n"].sum())
    regions = frame.dropna(subset=["region_raw"]).groupby("region_raw", sort=True)["n"].sum()
    raw_codes = pd.Series(regions.index, dtype=object)
    codes, bad, padded = check_region_codes(raw_codes, spec.region_level)
    final = [
        "" if is_bad else successor(spec.region_level, code, as_of)
        for code, is_bad in zip(codes, bad.to_numpy(), strict=True)
    ]
    old = ~bad.to_numpy() & (np.asarray(final, dtype=object) != codes.to_numpy())
    region_map = pd.DataFrame({"map_region_raw": raw_codes, "map_region": final, "map_bad": bad.to_numpy()})
    old_records = int(regions.to_numpy()[old].sum())
    region_map = region_map[region_map["map_bad"] | (region_map["map_region"] != region_map["map_region_raw"])]

    pairs = frame.dropna(subset=["industry_raw"])[["industry_raw", "version"]].drop_duplicates()
    respelled: list[tuple[str, str, str]] = []
    unknown: set[str] = set()
    for version, group in pairs.groupby("version", sort=True):
        try:
            clf = get_classification(str(version))
        except UnknownClassificationError:
            continue  # a classification regiolens does not know: codes as written
        for code in sorted(group["industry_raw"]):
            try:
                canonical = clf.normalise(code)
            except UnknownIndustryError:
                unknown.add(code)
                continue
            if canonical != code:
                respelled.append((code, str(version), canonical))
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
    kind = ibis.cases(*((test, name) for name, test in tests.items() if test is not None), else_=ibis.null("string"))
    return t.mutate(kind=kind, region_code=region_code, industry_code=industry_code)


def microdata_expr(
    table: ibis.Table, spec: MicrodataSpec, maps: CodeMaps, stage: Callable[[ibis.Table], ibis.Table] | None = None
) -> ibis.Table:
    """The pipeline (query 2): cells (``kind`` null) and one row per kind of bad record, in one expression.

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


def run_pipeline(
    location: str | Path,
    spec: MicrodataSpec,
    settings: EngineSettings,
    *,
    file_format: str,
    delimiter: str = ",",
    as_of: date,
) -> tuple[pa.Table, CodeMaps]:
    """Both queries on the configured engine: the aggregated table (``kind`` null = cells) and the code maps."""
    with connect(settings) as con:
        try:
            table = read_table(con, location, file_format, delimiter=delimiter)
        except RegiolensError:
            raise
        except Exception as exc:  # DuckDB and Spark raise their own I/O and format errors
            raise InputError(location, None, None, f"cannot read as {file_format}: {_first_line(exc)}") from None
        prepared = prepared_records(table, spec, location=location)
        distinct = prepared.group_by(["region_raw", "industry_raw", "version"]).aggregate(n=prepared.count())
        maps = code_maps(distinct.to_pyarrow(), spec, as_of)
        temporary: list[str] = []  # DuckDB's stage tables, dropped as soon as the result is in

        def temporary_table(stage: ibis.Table) -> ibis.Table:
            temporary.append(f"regiolens_stage_{len(temporary)}")
            return con.create_table(temporary[-1], stage, temp=True)

        try:
            expr = microdata_expr(table, spec, maps, temporary_table if settings.engine == "duckdb" else None)
            return expr.to_pyarrow(), maps
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

    agg, maps = run_pipeline(location, spec, settings, file_format=fmt, delimiter=sep, as_of=target)
    bad_part = agg.filter(pc.is_valid(agg["kind"]))
    bad_counts = {k: 0 for k in KINDS if k != "missing_establishment_id" or establishment_col}
    for kind, records, duplicates in zip(
        bad_part["kind"].to_pylist(),
        bad_part["records"].to_pylist(),
        bad_part["duplicate_records"].to_pylist(),
        strict=True,
    ):
        bad_counts[kind] += int(records + duplicates)
    if bad_rows == "strict" and any(bad_counts.values()):
        _raise_first_bad(location, spec, maps, fmt, sep, bad_counts)

    cells = _sorted(agg.filter(pc.is_null(agg["kind"])), ["classification", "region_code", "industry_code", "year"])
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


def _sorted(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """``table`` sorted by ``keys`` (text by code point, no nulls): each key as the rank of its value among the
    key's distinct values, the ranks combined into one integer, one argsort (pyarrow's ``sort_by`` on a few million
    cells with text keys takes several times as long).
    """
    if not table.num_rows:
        return table
    combined, capacity = np.zeros(table.num_rows, dtype=np.int64), 1
    for key in keys:
        encoded = table[key].combine_chunks().dictionary_encode()
        distinct = encoded.dictionary.to_numpy(zero_copy_only=False)
        rank = np.argsort(np.argsort(distinct, kind="stable"), kind="stable")
        capacity *= len(distinct)
        if capacity >= 2**62:  # too many combinations for one integer (never for region × industry × year)
            raise ValueError(f"cannot sort by {keys}: {capacity} combinations")
        combined = combined * len(distinct) + rank[encoded.indices.to_numpy(zero_copy_only=False)]
    return table.take(pa.array(np.argsort(combined, kind="stable")))


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
