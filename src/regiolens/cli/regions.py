"""``regiolens regions``: list, show and define regions and groups of regions."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from regiolens.analysis.regions import RegionSummary, summarise_region
from regiolens.cli.common import FormatOption, GroupsOption, WarehouseOption, user_errors
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.model import RegionLevel
from regiolens.regions.groups import define_group, load_groups
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.store import Warehouse

app = typer.Typer(help="Regions: Kreise, Länder, NUTS, U.S. counties, and named groups.", no_args_is_help=True)


@app.command("list")
def list_(
    level: Annotated[str | None, typer.Option("--level", "-l", help="e.g. de:kreis, nuts2, us:county, group.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help="Part of the name or code.")] = None,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List known regions (from imported registries and statistics) and groups."""
    with user_errors():
        rows: list[dict[str, object]] = []
        if level != RegionLevel.GROUP.value:
            with Warehouse.open(warehouse, read_only=True) as wh:
                rows = cast(
                    list[dict[str, object]],
                    wh.regions(RegionLevel(level).value if level else None).to_dict("records"),
                )
        if level in (None, RegionLevel.GROUP.value):
            rows += [
                {
                    "region_level": "group",
                    "region_code": g.name,
                    "name": g.label,
                    "parent_code": None,
                    "nuts_code": None,
                    "kind": "built-in group" if g.builtin else "user group",
                }
                for g in load_groups(groups).values()
            ]
        if search:
            s = search.lower()
            rows = [r for r in rows if s in str(r["name"]).lower() or s in str(r["region_code"]).lower()]
        render(rows, fmt, ["region_level", "region_code", "name", "kind", "nuts_code", "parent_code"])


def _series_row(summary: RegionSummary) -> dict[str, object]:
    return {str(p.year): p.value for p in summary.series}


@app.command()
def show(
    region: Annotated[str, typer.Argument(help="A code (05562, nuts:DEA36, us:26163) or a group name.")],
    measure: Annotated[str, typer.Option(help="Measure to sum per year.")] = "employment",
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show a region or group: its members and their yearly totals (groups summed from members)."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        summary = summarise_region(wh, resolve_region(region, groups), measure)
        if render_document(summary, fmt):
            return
        rows = [{"code": m.code, "name": m.name, "kind": m.kind} | _series_row(m) for m in summary.members]
        rows.append({"code": summary.code, "name": summary.name, "kind": summary.kind} | _series_row(summary))
        render(
            rows,
            fmt,
            title=f"{summary.name} ({summary.level}) — {measure}, {summary.classification}",
            caption="\n".join(summary.attribution),
        )


@app.command()
def define(
    name: Annotated[str, typer.Argument(help="Group name: lower-case letters, digits and '-'.")],
    members: Annotated[list[str], typer.Argument(help="Member codes, e.g. 05562 05512 05513.")],
    level: Annotated[str, typer.Option(help="Level of the member codes.")] = RegionLevel.DE_KREIS.value,
    label: Annotated[str | None, typer.Option(help="Display name.")] = None,
    description: Annotated[str, typer.Option(help="What the group is.")] = "",
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Define (or redefine) your own group of regions; saved in the group file."""
    with user_errors():
        g = define_group(name, members, level, label, description, groups)
        render([{"name": g.name, "label": g.label, "level": g.level.value, "members": list(g.members)}], fmt)
