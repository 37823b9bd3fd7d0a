"""Taxonomies from a table (CSV or XLSX): one row per cluster × industry code.

Logical columns (``*`` = required) and the default header that holds them; ``columns`` maps a logical name to
the header of your file (headers are compared without surrounding spaces and case)::

    cluster *       cluster name (the id is made from it unless ``cluster_id`` is given)
    code *          industry code in any spelling the classification accepts
    classification  classification of the row's code (else the ``classification`` argument)
    cluster_id      cluster id (lower-case letters, digits, "-")
    name_de/name_en cluster names in German / English (default: the ``cluster`` text)
    note, source    why the code is in the cluster, and where that comes from
    weight          share of the industry that belongs, in (0, 1] (then the code is partial)
    subcluster      finer grouping inside the cluster
    category        "traded" or "local" (U.S. Cluster Mapping), the same for every row of a cluster
    nonstandard     true for codes that the source itself marks as not standard (see below)

Rules:

* An unknown code is an error naming file, line and column — except on rows whose ``nonstandard`` cell is true:
  those are kept out of the cluster and listed in :attr:`Taxonomy.skipped` (kind ``"nonstandard"``), never dropped
  silently. A flagged code that the classification does know stays in the cluster, its note saying it was flagged.
* A row whose cluster cell is empty or one of ``na_values`` (``"NA"``) belongs to no cluster: listed as
  ``"unassigned"``. A cluster all of whose rows were skipped is listed as ``"empty_cluster"``.
* XLSX number cells become text without ``.0``; a code with decimals stored as a number (``29.1``) is an error,
  since ``29.1`` and ``29.10`` are different WZ codes: format the column as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from regiolens.classifications import get_classification
from regiolens.clusters.model import Category, Cluster, Definition, SkippedRow, Taxonomy
from regiolens.clusters.validate import (
    CodeEntry,
    build_definition,
    check_classification,
    check_id,
    check_weight,
    slug,
)
from regiolens.errors import InputError, UnknownIndustryError
from regiolens.ingest.files import read_text

LOGICAL_COLUMNS: tuple[str, ...] = (
    "cluster",
    "code",
    "classification",
    "cluster_id",
    "name_de",
    "name_en",
    "note",
    "source",
    "weight",
    "subcluster",
    "category",
    "nonstandard",
)
REQUIRED = ("cluster", "code")
_TRUE = {"true", "wahr", "ja", "yes", "y", "1", "x"}
_FALSE = {"false", "falsch", "nein", "no", "n", "0", ""}


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: dict[str, Any]


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    classification: str | None = None,
    id: str | None = None,
    version: str = "1",
    name_de: str | None = None,
    name_en: str | None = None,
    description: str = "",
    source: str = "",
    citation: str = "",
    licence: str = "",
    attribution: str = "",
    published: date | None = None,
    na_values: Sequence[str] = ("NA", "N/A", "#N/A"),
    encoding: str = "utf-8",
    delimiter: str | None = None,
) -> Taxonomy:
    """Read a taxonomy from a CSV or XLSX table (see the module docstring for columns and rules).

    Args:
        path: ``.csv``/``.txt`` or ``.xlsx``/``.xlsm`` file.
        columns: ``{logical name: header in the file}`` for columns not named like the logical name.
        sheet: XLSX sheet name or 0-based index (default: the first sheet).
        classification: classification of codes in rows without a ``classification`` cell; also the taxonomy's
            primary classification (default: that of the first row).
        id, version, name_de, name_en, description, source, citation, licence, attribution, published: metadata;
            ``id`` defaults to the file name made into an id.
        na_values: cluster cells meaning "no cluster" (besides empty ones); also empty subcluster cells.
        encoding, delimiter: CSV only (the delimiter is detected from the header line when not given).
    """
    file = Path(path)
    mapping = {name: name for name in LOGICAL_COLUMNS} | dict(columns or {})
    unknown = set(mapping) - set(LOGICAL_COLUMNS)
    if unknown:
        raise InputError(
            file, None, sorted(unknown)[0], f"not a column of a taxonomy table; use {', '.join(LOGICAL_COLUMNS)}"
        )
    header_line, header, rows = _read_rows(file, sheet, encoding, delimiter)
    present = {_norm(h): i for i, h in enumerate(header) if h}
    where: dict[str, int] = {}
    for name, head in mapping.items():
        if _norm(head) in present:
            where[name] = present[_norm(head)]
        elif name in REQUIRED or (columns and name in columns):
            raise InputError(
                file, header_line, head, f"missing column {head!r}; the header has {', '.join(h for h in header if h)}"
            )
    default_clf = check_classification(file, None, "classification", classification) if classification else None
    na = {v.strip().upper() for v in na_values}

    def cell(row: tuple[Any, ...], name: str) -> Any:
        i = where.get(name)
        return row[i] if i is not None and i < len(row) else None

    table = [_Row(line, {name: cell(raw, name) for name in where}) for line, raw in rows]
    if default_clf is None:
        first = next((r for r in table if _text(r.cells.get("classification"))), None)
        if first is None:
            raise InputError(file, None, "classification", "no classification column and no classification given")
        default_clf = check_classification(
            file, first.line, mapping["classification"], _text(first.cells["classification"])
        )
    return _assemble(
        file,
        table,
        mapping,
        default_clf,
        na,
        Taxonomy(
            id=check_id(file, None, "id", id or slug(file.stem)),
            name_de=name_de or name_en or file.stem,
            name_en=name_en or name_de or file.stem,
            version=version,
            classification=default_clf,
            clusters=(),
            description=description,
            source=source,
            citation=citation,
            licence=licence,
            attribution=attribution,
            published=published,
            path=str(file),
        ),
    )


def _assemble(
    file: Path, table: list[_Row], mapping: Mapping[str, str], primary: str, na: set[str], head: Taxonomy
) -> Taxonomy:
    order: list[str] = []
    names: dict[str, tuple[str, str, str]] = {}
    categories: dict[str, tuple[Category | None, int]] = {}
    entries: dict[tuple[str, str], list[CodeEntry]] = {}
    skipped: list[SkippedRow] = []
    for row in table:
        cells = row.cells
        code = _code_text(file, row.line, mapping["code"], cells.get("code"))
        label = _text(cells.get("cluster"))
        if not label or label.upper() in na:
            skipped.append(SkippedRow("unassigned", row.line, code, label, "the row names no cluster"))
            continue
        cid = check_id(file, row.line, mapping["cluster_id"], _text(cells.get("cluster_id")) or slug(label))
        clf = check_classification(
            file, row.line, mapping["classification"], _text(cells.get("classification")) or primary
        )
        flagged = _flag(file, row.line, mapping["nonstandard"], cells.get("nonstandard"))
        note = _text(cells.get("note"))
        if flagged:
            try:
                get_classification(clf).normalise(code)
            except UnknownIndustryError:
                skipped.append(
                    SkippedRow("nonstandard", row.line, code, cid, note or "flagged non-standard in the source")
                )
                continue
            note = f"{note} (flagged non-standard in the source)".strip()
        if cid not in names:
            order.append(cid)
            names[cid] = (label, _text(cells.get("name_de")) or label, _text(cells.get("name_en")) or label)
        category = _category(file, row.line, mapping["category"], cells.get("category"))
        if cid in categories and categories[cid][0] != category:
            raise InputError(
                file,
                row.line,
                mapping["category"],
                f"cluster {label!r} is {categories[cid][0]!r} on line {categories[cid][1]} but {category!r} here",
            )
        categories.setdefault(cid, (category, row.line))
        subcluster = _text(cells.get("subcluster"))
        weight_cell = cells.get("weight")
        entries.setdefault((cid, clf), []).append(
            CodeEntry(
                raw=code,
                line=row.line,
                field=mapping["code"],
                weight=check_weight(file, row.line, mapping["weight"], weight_cell) if _text(weight_cell) else 1.0,
                note=note,
                source=_text(cells.get("source")),
                subcluster=subcluster if subcluster and subcluster.upper() not in na else None,
            )
        )
    clusters = []
    kept = {cid for cid, _ in entries}
    for cid in order:
        definitions: dict[str, Definition] = {
            clf: build_definition(file, cid, clf, rows) for (c, clf), rows in entries.items() if c == cid
        }
        _, de, en = names[cid]
        clusters.append(Cluster(cid, de, en, definitions, category=categories[cid][0]))
    for s in list(skipped):
        if (
            s.kind == "nonstandard"
            and s.cluster not in kept
            and not any(x.kind == "empty_cluster" and x.cluster == s.cluster for x in skipped)
        ):
            skipped.append(SkippedRow("empty_cluster", None, "", s.cluster, "every code of the cluster was skipped"))
    if not clusters:
        raise InputError(file, None, mapping["cluster"], "the table defines no cluster")
    missing_primary = [c.id for c in clusters if primary not in c.definitions]
    if missing_primary:
        raise InputError(
            file, None, mapping["classification"], f"clusters without codes on {primary}: {', '.join(missing_primary)}"
        )
    return replace(head, clusters=tuple(clusters), skipped=tuple(skipped))


def _norm(header: str) -> str:
    return " ".join(str(header).split()).casefold()


def _text(value: Any) -> str:
    """A cell as text: ``None`` → ``""``, integral floats without ``.0``, white space trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _code_text(file: Path, line: int, field: str, value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        raise InputError(
            file, line, field, f"code stored as the number {value!r}: format the column as text ('29.1' is not '29.10')"
        )
    text = _text(value)
    if not text:
        raise InputError(file, line, field, "empty code")
    return text


def _flag(file: Path, line: int, field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(file, line, field, f"{value!r} is not true/false")


def _category(file: Path, line: int, field: str, value: Any) -> Category | None:
    text = _text(value).casefold()
    if not text:
        return None
    if text == "traded":
        return "traded"
    if text == "local":
        return "local"
    raise InputError(file, line, field, f"{value!r}: category is 'traded' or 'local'")


def _read_rows(
    file: Path, sheet: str | int | None, encoding: str, delimiter: str | None
) -> tuple[int, list[str], list[tuple[int, tuple[Any, ...]]]]:
    """Header line, header cells and ``(line, cells)`` of the non-blank rows of a CSV or XLSX file."""
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(file, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(file, encoding, delimiter)
    raise InputError(file, None, None, f"unknown table format {suffix!r}: use .csv or .xlsx (or .toml)")


def _read_csv(
    file: Path, encoding: str, delimiter: str | None
) -> tuple[int, list[str], list[tuple[int, tuple[Any, ...]]]]:
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    text = read_text(file, enc)
    lines = text.splitlines()
    if not lines:
        raise InputError(file, 1, None, "empty file")
    if delimiter is None:
        counts = {d: lines[0].count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for cells in reader:
        line = reader.line_num
        if any(c.strip() for c in cells):
            rows.append((line, tuple(cells)))
    return 1, header, rows


def _read_xlsx(file: Path, sheet: str | int | None) -> tuple[int, list[str], list[tuple[int, tuple[Any, ...]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise InputError(file, None, None, f"cannot open as XLSX: {exc}") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif str(sheet) in wb.sheetnames:
            ws = wb[str(sheet)]
        elif isinstance(sheet, int) or str(sheet).isdigit():
            index = int(sheet)
            if not 0 <= index < len(wb.worksheets):
                raise InputError(file, None, "sheet", f"no sheet {index}; the workbook has {len(wb.worksheets)}")
            ws = wb.worksheets[index]
        else:
            raise InputError(file, None, "sheet", f"no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
        it = ws.iter_rows(values_only=True)
        header = [_text(c) for c in next(it, ())]
        rows = [
            (line, tuple(raw)) for line, raw in enumerate(it, start=2) if any(c is not None and _text(c) for c in raw)
        ]
    finally:
        wb.close()
    return 1, header, rows
