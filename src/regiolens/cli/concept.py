"""``regiolens concept``: the concept builder from the command line (the focus-cluster scorecard)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.cli.analysis import BaseYearOption, ClassificationOption, YearOption
from regiolens.cli.common import FormatOption, GroupsOption, WarehouseOption, parse_weights, user_errors
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.clusters.registry import BUILTIN
from regiolens.concept.scorecard import DEFAULT_PEERS, scorecard
from regiolens.errors import RegiolensError
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.store import Warehouse

app = typer.Typer(help="The region's development concept: focus clusters on evidence.", no_args_is_help=True)


class Language(StrEnum):
    de = "de"
    en = "en"


COLUMNS = {
    "de": ("Rang", "Cluster", "Taxonomie", "LQ", "Beschäftigte", "Wachstum", "Dichte", "Punktwert", "Begründung"),
    "en": ("rank", "cluster", "taxonomy", "lq", "employment", "growth", "density", "score", "reason"),
}


def _initiative(text: str) -> tuple[str, list[str]]:
    """``name=cluster,cluster`` → ``(name, [cluster, cluster])``."""
    name, sep, clusters = text.partition("=")
    if not sep or not name.strip() or not clusters.strip():
        raise RegiolensError(f"an initiative looks like name=cluster,cluster, not {text!r}")
    return name.strip(), [c.strip() for c in clusters.split(",") if c.strip()]


@app.command("scorecard")
def scorecard_cmd(
    region: Annotated[str, typer.Argument(help="A region code (05562) or group (emscher-lippe).")],
    taxonomy: Annotated[
        list[str] | None,
        typer.Option("--taxonomy", "-t", help="Taxonomy id or file (repeatable; default: the built-in ones)."),
    ] = None,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Weights of strength, dynamics, potential, e.g. strength=2,dynamics=1."),
    ] = None,
    peers: Annotated[int, typer.Option("--peers", help="Number of peer regions to look at (0: none).")] = DEFAULT_PEERS,
    initiative: Annotated[
        list[str] | None,
        typer.Option("--initiative", help="An initiative and its clusters, e.g. 'hannoverimpuls=automotive,ict'."),
    ] = None,
    year: YearOption = None,
    base_year: BaseYearOption = None,
    classification: ClassificationOption = WZ2008_SECTION_GROUPS,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the reasons.")] = Language.de,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Focus-cluster scorecard: every candidate cluster's strength, dynamics and potential in the region,
    weighted and ranked, with the reason for each rank, the data vintage and the evidence fingerprint."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        result = scorecard(
            wh,
            resolve_region(region, groups),
            taxonomies=taxonomy or tuple(BUILTIN),
            weights=parse_weights(weights),
            peers=peers,
            initiatives=[_initiative(text) for text in initiative or []],
            year=year,
            base_year=base_year,
            classification=classification,
        )
    if render_document(result, fmt):
        return
    de = lang is Language.de
    columns = COLUMNS[lang.value]
    rows = [
        dict(
            zip(
                columns,
                (
                    r.rank,
                    r.evidence.name_de if de else r.evidence.name_en,
                    r.evidence.taxonomy,
                    r.evidence.lq,
                    r.evidence.employment,
                    r.evidence.growth,
                    r.evidence.density,
                    r.score,
                    r.reason_de if de else r.reason_en,
                ),
                strict=True,
            )
        )
        for r in result.rows
    ]
    vintages = "; ".join(f"{s.dataset_key} ({s.vintage})" for s in result.sources)
    caption = "\n".join(
        [
            *(result.notes if de else result.notes_en),
            *(
                f"{e.name_de if de else e.name_en}: {e.resolution_de if de else e.resolution_en}"
                for e in result.unresolved
            ),
            ("Daten: " if de else "Data: ") + vintages,
            ("Fingerabdruck der Evidenz: " if de else "Evidence fingerprint: ") + result.fingerprint,
            *sorted({s.attribution for s in result.sources}),
        ]
    )
    title = (
        f"Fokuscluster für {result.region.name} ({result.year}, Basis {result.base_year})"
        if de
        else f"Focus clusters for {result.region.name} ({result.year}, base {result.base_year})"
    )
    render(rows, fmt, list(columns), title=title, caption=caption)
