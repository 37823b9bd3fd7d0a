"""``regiolens profile`` and ``regiolens compare``: the cluster analytics of regions, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from regiolens.analysis.compare import compare
from regiolens.analysis.maps import default_map_industry, lq_map
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers
from regiolens.analysis.profile import GERMANY, profile
from regiolens.analysis.results import LABELS, Comparison, Opportunities, Peers, Profile
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.cli.common import FormatOption, GroupsOption, WarehouseOption, err, parse_weights, user_errors
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number, format_share
from regiolens.metrics.strength import PRESETS
from regiolens.regions.resolve import resolve_region
from regiolens.reports import write_report
from regiolens.warehouse.store import Warehouse

YearOption = Annotated[int | None, typer.Option("--year", "-y", help="Year (default: the latest with data).")]
BaseYearOption = Annotated[
    int | None, typer.Option("--base-year", "-b", help="Base year of growth and shift-share (default: earliest).")
]
ReferenceOption = Annotated[
    str | None, typer.Option("--reference", "-r", help="Reference area (default: Germany), e.g. 05 or a group.")
]
ThresholdOption = Annotated[str, typer.Option("--threshold", "-t", help=f"Strength preset: {', '.join(PRESETS)}.")]

ClassificationOption = Annotated[
    str, typer.Option("--classification", help="Classification of the data, e.g. wz2008-sg, wz2008, naics2017.")
]
LevelOption = Annotated[
    str | None, typer.Option("--industry-level", help="Roll industries up to this level, e.g. division, sector.")
]

INDUSTRY_COLUMNS = [
    "code",
    "label_de",
    "employment",
    "share",
    "lq",
    "lq_low",
    "lq_high",
    "growth",
    "national",
    "industry_mix",
    "regional",
    "strong",
]


def _caption(p: Profile) -> str:
    return f"Referenz: {p.reference.name}; Stärke: {p.threshold.preset} – {p.threshold.description_de}\n" + "\n".join(
        sorted({s.attribution for s in p.sources})
    )


def _print_profile(p: Profile, fmt: OutputFormat) -> None:
    title = (
        f"{p.region.name}: {p.measure} {p.year} (Basis {p.base_year}), {format_number(p.total_employment)} insgesamt"
    )
    if fmt is not OutputFormat.table:
        render([r.__dict__ for r in p.industries], fmt, INDUSTRY_COLUMNS, title=title, caption=_caption(p))
        return

    def pct(v: float | None) -> str:
        return "–" if v is None else format_share(v)

    def num(v: float | None, digits: int = 0) -> str:
        return "–" if v is None else format_number(round(v, digits) if digits else round(v), digits or None)

    rows = [
        {
            "WZ": r.code,
            "Branche": r.label_de,
            LABELS["employment"]["de"]: num(r.employment),
            LABELS["share"]["de"]: pct(r.share),
            "LQ (95 %-Intervall)": "–" if r.lq is None else f"{num(r.lq, 2)} ({num(r.lq_low, 2)}–{num(r.lq_high, 2)})",
            LABELS["growth"]["de"]: pct(r.growth),
            "Konjunktur": num(r.national),
            "Struktur": num(r.industry_mix),
            "Standort": num(r.regional),
            LABELS["strong"]["de"]: "●" if r.strong else "",
        }
        for r in p.industries
    ]
    render(rows, fmt, title=title, caption=_caption(p))


def profile_cmd(
    region: Annotated[str, typer.Argument(help="A region code (05562) or group (emscher-lippe).")],
    year: YearOption = None,
    base_year: BaseYearOption = None,
    reference: ReferenceOption = None,
    threshold: ThresholdOption = "lq>=1.25",
    classification: ClassificationOption = WZ2008_SECTION_GROUPS,
    industry_level: LevelOption = None,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Profile a region: structure, location quotients, growth, shift-share, specialisation, clusters."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        ref = resolve_region(reference, groups) if reference else GERMANY
        p = profile(
            wh,
            resolve_region(region, groups),
            year,
            base_year,
            ref,
            preset=threshold,
            classification=classification,
            industry_level=industry_level,
        )
    if not render_document(p, fmt):
        _print_profile(p, fmt)


def compare_cmd(
    regions: Annotated[list[str], typer.Argument(help="Two or more regions or groups.")],
    year: YearOption = None,
    base_year: BaseYearOption = None,
    reference: ReferenceOption = None,
    threshold: ThresholdOption = "lq>=1.25",
    classification: ClassificationOption = WZ2008_SECTION_GROUPS,
    industry_level: LevelOption = None,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Compare regions: shared strengths, differences, and how much of each the industry mix explains."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        ref = resolve_region(reference, groups) if reference else GERMANY
        c = compare(
            wh,
            [resolve_region(r, groups) for r in regions],
            year,
            base_year,
            ref,
            preset=threshold,
            classification=classification,
            industry_level=industry_level,
        )
    if render_document(c, fmt):
        return
    rows = [
        {"code": d.code, "label_de": d.label_de, **{f"lq {k}": v for k, v in d.lq.items()}, "strong_in": d.strong_in}
        for d in c.differences
    ]
    if fmt is OutputFormat.table:
        for line in c.summary_de:
            typer.echo(line)
    render(rows, fmt, title="Unterschiede", caption=_caption(c.profiles[0]))


def report_cmd(
    region: Annotated[str, typer.Argument(help="A region code or group.")],
    out: Annotated[list[Path], typer.Option("--out", "-o", help="Output file(s): .pdf, .html or .xlsx.")],
    compare_with: Annotated[
        list[str] | None, typer.Option("--compare", "-c", help="Region(s) to compare with (repeatable).")
    ] = None,
    year: YearOption = None,
    base_year: BaseYearOption = None,
    reference: ReferenceOption = None,
    threshold: ThresholdOption = "lq>=1.25",
    map_industry: Annotated[
        str | None, typer.Option("--map-industry", help="Industry of the LQ map (default: the highest LQ).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="de or en.")] = "de",
    n_peers: Annotated[
        int,
        typer.Option("--peers", min=0, help="Peer regions per profiled region, on a page of their own (0: no page)."),
    ] = 10,
    with_opportunities: Annotated[
        bool,
        typer.Option(
            "--opportunities/--no-opportunities",
            help="A page of growth opportunities and strengths at risk per profiled region.",
        ),
    ] = True,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
) -> None:
    """Write a report (PDF, HTML, XLSX) of a profile, or of a comparison with --compare.

    Every profiled region gets a peers page and an opportunities page unless switched off; where one of those
    analyses cannot run for a region (e.g. no other region of its level to compare with), the report is
    written without that page and a warning on stderr says why.
    """

    def warn(message: str) -> None:  # one line on stderr, printed as it is (never read as markup)
        err.print(f"[yellow]Warning:[/] {escape(message)}", highlight=False, soft_wrap=True)

    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        ref = resolve_region(reference, groups) if reference else GERMANY
        selections = [resolve_region(r, groups) for r in [region, *(compare_with or [])]]
        result: Profile | Comparison
        if len(selections) > 1:
            result = compare(wh, selections, year, base_year, ref, preset=threshold)
            first = result.profiles[0]
        else:
            result = first = profile(wh, selections[0], year, base_year, ref, preset=threshold)
        industry = map_industry or default_map_industry(first)
        members = [m for s in selections for m in s.members]
        level = selections[0].level.value
        the_map = lq_map(wh, industry, first.year, level, members, ref) if wh.geometries(level).size else None
        found_peers: list[Peers] = []
        found_opportunities: list[Opportunities] = []
        profiles = result.profiles if isinstance(result, Comparison) else [result]
        for selection, p in zip(selections, profiles, strict=True):
            # the pages cover the profile's years; an analysis that cannot run leaves its page out
            if n_peers:
                try:
                    found_peers.append(peers(wh, selection, n_peers, year=p.year, base_year=p.base_year))
                except RegiolensError as exc:
                    warn(f"no peers page for {p.region.name}: {exc}")
            if with_opportunities:
                try:
                    found_opportunities.append(
                        opportunities(
                            wh,
                            selection,
                            year=p.year,
                            base_year=p.base_year,
                            measure=p.measure,
                            classification=p.classification,
                        )
                    )
                except RegiolensError as exc:
                    warn(f"no opportunities page for {p.region.name}: {exc}")
        for path in out:
            written = write_report(result, path, lang, the_map, peers=found_peers, opportunities=found_opportunities)
            typer.echo(str(written))


def peers_cmd(
    region: Annotated[str, typer.Argument(help="A region code (05562, nuts:DEA36) or group (emscher-lippe).")],
    n: Annotated[int, typer.Option("--n", "-n", help="Number of peers.")] = 10,
    year: YearOption = None,
    base_year: BaseYearOption = None,
    indicators: Annotated[
        str | None,
        typer.Option(
            "--indicators",
            "-i",
            help="Comma-separated: structure, size, growth, population, density "
            "(default: structure, size, growth, plus density when the warehouse has population and area).",
        ),
    ] = None,
    weights: Annotated[
        str | None, typer.Option("--weights", help="Weights per indicator, e.g. structure=2,size=1 (default 1).")
    ] = None,
    within: Annotated[
        str, typer.Option("--within", help="Candidate regions: de (German Kreise) or eu (EU NUTS-3, Eurostat).")
    ] = "de",
    classification: Annotated[
        str | None,
        typer.Option(
            "--classification", help="Classification of the data (default: wz2008-sg for de, Eurostat for eu)."
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    groups: GroupsOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Peer regions: the most similar regions by industry structure, size, growth and density, and why."""
    with user_errors(), Warehouse.open(warehouse, read_only=True) as wh:
        result = peers(
            wh,
            resolve_region(region, groups),
            n,
            year=year,
            base_year=base_year,
            indicators=[i.strip() for i in indicators.split(",") if i.strip()] if indicators is not None else None,
            weights=parse_weights(weights),
            classification=classification,
            within=within,
        )
    if render_document(result, fmt):
        return
    rows = [
        {
            "rank": p.rank,
            "code": p.code,
            "name": p.name,
            "distance": round(p.distance, 3),
            **{
                k: round(sum(i.contribution for i in p.indicators if i.name.split(":")[0] == k), 3)
                for k in result.indicators
            },
            "reason_de": p.reason_de,
        }
        for p in result.peers
    ]
    basis = f", Basis {result.base_year}" if result.base_year is not None else ""
    title = f"Vergleichsregionen für {result.region.name} ({result.region_level}, {result.year}{basis})"
    caption = "\n".join([*result.notes, *sorted({s.attribution for s in result.sources})])
    render(rows, fmt, title=title, caption=caption)
