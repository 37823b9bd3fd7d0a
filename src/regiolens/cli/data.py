"""``regiolens data``: import official files, show what the warehouse holds, pull from online sources."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from regiolens.cli.common import FormatOption, WarehouseOption, err, user_errors
from regiolens.cli.output import OutputFormat, render
from regiolens.config import user_data_dir
from regiolens.errors import RegiolensError
from regiolens.ingest import pull, readers
from regiolens.ingest.pull import PulledFile
from regiolens.warehouse.store import Warehouse

app = typer.Typer(help="Import official statistics and inspect the warehouse.", no_args_is_help=True)


class EngineChoice(StrEnum):
    """Engines of the microdata pipeline (:data:`regiolens.config.ENGINES`)."""

    duckdb = "duckdb"
    spark = "spark"


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
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files to import (format detected by content); directories with --source microdata."),
    ],
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Name the format instead of detecting it.")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="Reader option KEY=VALUE, e.g. region_col=AGS (repeatable)."),
    ] = None,
    engine: Annotated[
        EngineChoice | None,
        typer.Option(
            "--engine",
            help="Engine of the microdata pipeline (--source microdata): duckdb, or spark for data that outgrow "
            "one machine (default: $REGIOLENS_ENGINE, else duckdb).",
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import files into the warehouse: all or nothing, idempotent, corrected files replace old ones."""
    with user_errors():
        opts = _options(option or [])
        if engine is not None:
            if source != "microdata":
                raise RegiolensError("--engine chooses the engine of --source microdata; other sources are read here")
            opts["engine"] = engine.value
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
            ["file_name", "dataset_key", "status", "observations", "regions", "geometries", "notes"],
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


pull_app = typer.Typer(help="Download from the official online services, then import.", no_args_is_help=True)
app.add_typer(pull_app, name="pull")

DestOption = Annotated[
    Path | None, typer.Option("--dest", help="Where downloads go (default: downloads/ in the user data dir).")
]
ImportOption = Annotated[bool, typer.Option("--import/--no-import", help="Import what was downloaded.")]
BaseUrlOption = Annotated[str | None, typer.Option("--base-url", help="Another endpoint (a mirror).")]


def _years(text: str) -> list[int]:
    """``2015-2020`` or ``2015,2018`` → list of years."""
    years: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            years += list(range(int(first), int(last or first) + 1))
        except ValueError:
            raise RegiolensError(f"years are like 2015-2020 or 2015,2018, not {text!r}") from None
    return years


def _finish(pulled: list[PulledFile], do_import: bool, warehouse: Path | None, fmt: OutputFormat) -> None:
    rows: list[dict[str, Any]] = [{"file": str(p.path), "url": p.url, "status": "downloaded"} for p in pulled]
    if do_import:
        with Warehouse.open(warehouse) as wh:
            results = wh.import_parsed([p.read() for p in pulled])
        for row, result in zip(rows, results, strict=True):
            row |= {"status": result.status, "dataset_key": result.dataset_key, "observations": result.observations}
    render(rows, fmt)


def _with_progress(label: str, fetch: Callable[[], list[PulledFile]]) -> list[PulledFile]:
    with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
        bar.add_task(label, total=None)
        return fetch()


@pull_app.command("eurostat")
def pull_eurostat_cmd(
    dataset: Annotated[str, typer.Argument(help="Dataset id, e.g. nama_10r_3empers.")],
    filter_: Annotated[
        list[str] | None, typer.Option("--filter", "-F", help="DIM=CODE, e.g. geo=DE or time=2018 (repeatable).")
    ] = None,
    dest: DestOption = None,
    do_import: ImportOption = True,
    base_url: BaseUrlOption = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Download a Eurostat dataset (JSON-stat) through the dissemination API."""
    with user_errors():
        filters: dict[str, list[str]] = {}
        for dim, code in _options(filter_ or []).items():
            filters.setdefault(dim, []).append(code)
        url = base_url or pull.EUROSTAT_BASE_URL
        pulled = _with_progress(
            f"Eurostat {dataset}", lambda: [pull.pull_eurostat(dataset, _dest(dest), filters=filters, base_url=url)]
        )
        _finish(pulled, do_import, warehouse, fmt)


@pull_app.command("genesis")
def pull_genesis_cmd(
    table: Annotated[str, typer.Argument(help="GENESIS table, e.g. 13111-07-05-4.")],
    years: Annotated[str, typer.Option("--years", help="e.g. 2015-2020 or 2018,2020.")],
    regional_variable: Annotated[str | None, typer.Option(help="e.g. KREISE (default: all levels).")] = None,
    dest: DestOption = None,
    do_import: ImportOption = True,
    base_url: BaseUrlOption = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Download a Regionalstatistik/GENESIS table, one file per year.

    Credentials from REGIOLENS_GENESIS_USER and REGIOLENS_GENESIS_PASSWORD (or an API token as user).
    """
    with user_errors():
        url = base_url or pull.GENESIS_BASE_URL
        pulled = _with_progress(
            f"GENESIS {table}",
            lambda: [
                pull.pull_genesis(table, y, _dest(dest), regional_variable=regional_variable, base_url=url)
                for y in _years(years)
            ],
        )
        _finish(pulled, do_import, warehouse, fmt)


@pull_app.command("cbp")
def pull_cbp_cmd(
    year: Annotated[int, typer.Argument(help="Reference year, e.g. 2021.")],
    geography: Annotated[
        str, typer.Option(help="us (states), us:county (all counties) or a state FIPS such as 26.")
    ] = "us",
    dest: DestOption = None,
    do_import: ImportOption = True,
    base_url: BaseUrlOption = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Download County Business Patterns from the Census API (key from REGIOLENS_CENSUS_KEY, optional)."""
    with user_errors():
        url = base_url or pull.CENSUS_BASE_URL
        pulled = _with_progress(f"CBP {year}", lambda: [pull.pull_cbp(year, geography, _dest(dest), base_url=url)])
        _finish(pulled, do_import, warehouse, fmt)


def _dest(dest: Path | None) -> Path:
    return dest or user_data_dir() / "downloads"
