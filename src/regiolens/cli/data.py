"""``regiolens data``: import official files, show what the warehouse holds, pull from online sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from regiolens.cli.common import FormatOption, WarehouseOption, err, user_errors
from regiolens.cli.output import OutputFormat, render
from regiolens.errors import RegiolensError
from regiolens.ingest import readers
from regiolens.warehouse.store import Warehouse

app = typer.Typer(help="Import official statistics and inspect the warehouse.", no_args_is_help=True)


def _options(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise RegiolensError(f"--option takes KEY=VALUE, not {pair!r}")
        out[key.strip().replace("-", "_")] = value
    return out


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files to import (format detected by content).")],
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Name the format instead of detecting it.")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="Reader option KEY=VALUE, e.g. region_col=AGS (repeatable)."),
    ] = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import files into the warehouse: all or nothing, idempotent, corrected files replace old ones."""
    with user_errors():
        opts = _options(option or [])
        with (
            Warehouse.open(warehouse) as wh,
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=fmt is not OutputFormat.table,
            ) as bar,
        ):
            task = bar.add_task("Parsing", total=len(paths))
            results = wh.import_files(paths, source, progress=lambda p: bar.advance(task), **opts)
            bar.update(task, description="Stored")
        render(
            [r.__dict__ for r in results],
            fmt,
            ["file_name", "dataset_key", "status", "observations", "notes"],
            title=f"Import into {wh.path}",
        )


@app.command()
def status(warehouse: WarehouseOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """List the imported sources with licence, attribution, vintage and coverage."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        sources = wh.sources()
        coverage = wh.coverage()
        rows = []
        for s in cast(list[dict[str, Any]], sources.to_dict("records")):
            cov = coverage[coverage.source_id == s["source_id"]]
            s["years"] = sorted({int(y) for y in cov.first_year} | {int(y) for y in cov.last_year})
            s["classifications"] = sorted(set(cov.classification))
            s["measures"] = sorted(set(cov.measure))
            s["region_levels"] = sorted(set(cov.region_level))
            s["notes"] = list(s["notes"])
            rows.append(s)
        columns = ["source_id", "dataset_key", "observation_count", "years", "vintage", "attribution"]
        if fmt is not OutputFormat.table:
            columns += [
                "kind",
                "file_name",
                "sha256",
                "publisher",
                "licence",
                "format",
                "classifications",
                "measures",
                "region_levels",
                "notes",
                "imported_at",
            ]
        licences = sorted(set(sources.licence))
        render(rows, fmt, columns, title=f"Warehouse {wh.path}", caption="Licences: " + "; ".join(licences))


@app.command("formats")
def formats(fmt: FormatOption = OutputFormat.table) -> None:
    """List the source formats regiolens reads (names for --source)."""
    render([{"name": r.name, "description": r.description} for r in readers().values()], fmt)
