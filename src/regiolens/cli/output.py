"""One way to print listings: a Rich table for people, JSON or CSV for programs (``--format``)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

from regiolens.i18n import format_number
from regiolens.plain import jsonable


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _is_identifier(column: str) -> bool:
    """Columns holding years or ids are printed without thousands separators."""
    return "year" in column or column.endswith("_id") or column.isdigit()


def _cell(value: Any, column: str) -> str:
    value = jsonable(value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int | float) and not _is_identifier(column):
        return format_number(value)
    if isinstance(value, list):
        return "; ".join(_cell(v, column) for v in value)
    return str(value)


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str | OutputFormat = OutputFormat.table,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Print ``rows`` as a table (German number format), a JSON list, or CSV on standard output."""
    fmt = OutputFormat(fmt)
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt is OutputFormat.json:
        json.dump([{c: jsonable(r.get(c)) for c in cols} for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow(["" if (v := jsonable(r.get(c))) is None else v for c in cols])
    else:
        table = Table(title=title, caption=caption, caption_justify="left")
        for c in cols:
            numeric = any(isinstance(jsonable(r.get(c)), int | float) and not isinstance(r.get(c), bool) for r in rows)
            table.add_column(c, justify="right" if numeric else "left")
        for r in rows:
            table.add_row(*(_cell(r.get(c), c) for c in cols))
        Console().print(table)


def render_document(document: Any, fmt: str | OutputFormat) -> bool:
    """Print a nested result as JSON and return True; return False for formats that need tables."""
    if OutputFormat(fmt) is OutputFormat.json:
        json.dump(jsonable(document), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return True
    return False
