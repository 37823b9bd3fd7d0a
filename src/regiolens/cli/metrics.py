"""``regiolens metrics``: compute any metric on your own long CSV/XLSX table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import typer

from regiolens.analysis.custom import METRICS, compute_metric
from regiolens.cli.common import FormatOption, user_errors
from regiolens.cli.output import OutputFormat, render
from regiolens.ingest import read_source
from regiolens.model import RegionLevel

app = typer.Typer(help="Metrics on your own tables (no warehouse needed).", no_args_is_help=True)


@app.command("list")
def list_(fmt: FormatOption = OutputFormat.table) -> None:
    """List the metrics `metrics compute` knows."""
    render([{"metric": m.name, "kind": m.kind, "description": m.description} for m in METRICS.values()], fmt)


@app.command()
def compute(
    input_: Annotated[Path, typer.Option("--input", "-i", help="Long CSV or XLSX table.")],
    region_col: Annotated[str, typer.Option(help="Column with region codes.")],
    value_col: Annotated[str, typer.Option(help="Column with the values (e.g. employees).")],
    metric: Annotated[str, typer.Option("--metric", "-m", help="Metric name (see `metrics list`).")],
    industry_col: Annotated[str | None, typer.Option(help="Column with industry codes.")] = None,
    year_col: Annotated[str | None, typer.Option(help="Column with years (needed for growth, shift-share).")] = None,
    region_level: Annotated[
        str, typer.Option(help="Level of the codes, e.g. de:kreis; 'other' takes any codes.")
    ] = RegionLevel.OTHER.value,
    decimal: Annotated[str | None, typer.Option(help="Decimal mark ',' or '.' (default: detected).")] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet name or index.")] = None,
    rca_threshold: Annotated[
        float | None,
        typer.Option(help="RCA from which an industry counts as present (complexity and relatedness; default 1)."),
    ] = None,
    fmt: FormatOption = OutputFormat.csv,
) -> None:
    """Compute a metric of regiolens.metrics on a long table; the reference area is the whole table.

    Complexity and relatedness metrics work on presence (RCA ≥ 1, or --rca-threshold), year by year;
    industry × industry metrics (proximity, relatedness-*) have the columns year, industry_code,
    other_industry_code, metric, value.
    """
    with user_errors():
        options: dict[str, Any] = {
            "region_col": region_col,
            "value_col": value_col,
            "region_level": region_level,
            "measure": "value",
            "decimal": decimal,
            "sheet": sheet,
        }
        if industry_col:
            options |= {"industry_col": industry_col, "classification": "user"}
        options |= {"year_col": year_col} if year_col else {"year": 0}
        parsed = read_source(input_, "generic", **options)
        result = compute_metric(parsed.observations, metric, threshold=rca_threshold)
    render(cast(list[dict[str, Any]], result.to_dict("records")), fmt)
