"""``regiolens opportunities``: industries a region could grow into, and its strengths at risk."""

from __future__ import annotations

from typing import Annotated

import typer

from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.results import Opportunities
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.cli.analysis import BaseYearOption, ClassificationOption, LevelOption, YearOption
from regiolens.cli.common import FormatOption, GroupsOption, WarehouseOption, parse_weights, user_errors
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.i18n import format_number, format_share
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.store import Warehouse

CSV_COLUMNS = [
    "kind",
    "rank",
    "code",
    "label",
    "lq",
    "lq_base",
    "density",
    "density_median",
    "pci",
    "national_growth",
    "score",
    "at_risk",
    "reason",
]


def _caption(result: Opportunities) -> str:
    return "\n".join([*result.notes, *sorted({s.attribution for s in result.sources})])


def _num(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else format_number(round(v, digits), digits)


def opportunities_cmd(
    region: Annotated[str, typer.Argument(help="A region code (05562) or group (emscher-lippe).")],
    n: Annotated[int | None, typer.Option("--n", "-n", help="Number of opportunities (default: all).")] = None,
    year: YearOption = None,
    base_year: BaseYearOption = None,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Weights of density, complexity, growth, e.g. density=2,growth=1 (default 1)."),
    ] = None,
    classification: ClassificationOption = WZ2008_SECTION_GROUPS,
    industry_level: LevelOption = None,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Growth opportunities: industries the region is not specialised in, ranked by relatedness density,
    complexity and national growth, with a reason each; then its strengths, those at risk first."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        result = opportunities(
            wh,
            resolve_region(region, groups),
            year=year,
            base_year=base_year,
            weights=parse_weights(weights),
            classification=classification,
            industry_level=industry_level,
            n=n,
        )
    if render_document(result, fmt):
        return
    chances = [
        {
            "rank": o.rank,
            "code": o.code,
            "label": o.label_de,
            "lq": o.lq,
            "density": o.density,
            "pci": o.pci,
            "national_growth": o.national_growth,
            "score": o.score,
            "reason": o.reason_de,
        }
        for o in result.opportunities
    ]
    strengths = [
        {
            "code": s.code,
            "label": s.label_de,
            "lq": s.lq,
            "lq_base": s.lq_base,
            "density": s.density,
            "density_median": s.density_median,
            "at_risk": s.at_risk,
            "reason": s.reason_de,
        }
        for s in result.strengths
    ]
    if fmt is OutputFormat.csv:  # one table: the strengths follow the opportunities, marked by kind
        rows = [{"kind": "opportunity", **row} for row in chances] + [{"kind": "strength", **row} for row in strengths]
        render(rows, fmt, CSV_COLUMNS)
        return
    eci = "" if result.eci is None else f", ECI {_num(result.eci)}"
    title = f"Chancen für {result.region.name} ({result.year}, Basis {result.base_year}{eci})"
    for row, o in zip(chances, result.opportunities, strict=True):
        row["national_growth"] = "–" if o.national_growth is None else format_share(o.national_growth)
    render(chances, fmt, title=title)
    render(strengths, fmt, title=f"Stärken von {result.region.name} (gefährdete zuerst)", caption=_caption(result))
