"""``make demo``: load the official German employment data and show Emscher-Lippe beside Region Hannover.

Run as ``python -m regiolens.demo --shared ../shared``. Uses the files in ``<shared>/data`` when they
are there; otherwise it says how to pull them from the official source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from regiolens.analysis.compare import compare
from regiolens.analysis.maps import default_map_industry, lq_map
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers
from regiolens.analysis.structure import structure
from regiolens.concept.demo import load_demo_concept, paper_files
from regiolens.config import warehouse_path
from regiolens.fund.demo import PLAN_FILE, load_demo_fund
from regiolens.fund.projection import project
from regiolens.fund.terms import load_plan
from regiolens.i18n import format_number, format_share
from regiolens.network.examples import load_demo
from regiolens.regions.resolve import resolve_region
from regiolens.reports import write_report
from regiolens.reports.fund_report import write_fund_report
from regiolens.warehouse.store import Warehouse

GERMAN_EMPLOYMENT = "data/de/regionalstatistik_13111-07-05-4"
GERMAN_REGISTRY = "data/de/geo_bkg_vg5000_2021/kreise_ags_nuts3.csv"
GERMAN_GEOMETRY = "data/de/geo_bkg_vg5000_2021/Ebene_Kreise_vg5000_2021.geojson"
GERMAN_POPULATION = "data/de/population_area_2018/districts.csv"
EU_EMPLOYMENT = "data/eu/eurostat/nama_10r_3empers_2018.json"
console = Console()


def german_files(shared: Path) -> list[Path]:
    """The official files the demo imports: Kreis registry and boundaries, population and area per Kreis
    (for peers by density), EU NUTS-3 employment (for peers within the EU), six years of German employment."""
    employment = sorted((shared / GERMAN_EMPLOYMENT).glob("13111-07-05-4_*.csv"))
    optional = (GERMAN_REGISTRY, GERMAN_GEOMETRY, GERMAN_POPULATION, EU_EMPLOYMENT)
    reference = [shared / p for p in optional if (shared / p).exists()]
    return reference + employment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder with data/ (official files)")
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("var"), help="folder for the comparison report")
    args = parser.parse_args(argv)

    files = german_files(args.shared)
    if not any(f.name.startswith("13111") for f in files):
        console.print(
            f"[red]No official data under {args.shared / GERMAN_EMPLOYMENT}.[/]\n"
            "Pull table 13111-07-05-4 from the Regionalstatistik (needs a free GENESIS account):\n"
            "  export REGIOLENS_GENESIS_USER=… REGIOLENS_GENESIS_PASSWORD=…\n"
            "  regiolens data pull genesis 13111-07-05-4 --years 2015-2020\n"
            "or run `make demo SHARED=/path/to/shared`."
        )
        return 1
    path = warehouse_path(args.warehouse)
    console.rule("[bold]regiolens demo")
    with Warehouse.open(path) as wh:
        results = wh.import_files(files)
        for r in results:
            counts = [
                f"{format_number(n)} {what}"
                for n, what in ((r.observations, "observations"), (r.regions, "regions"), (r.geometries, "geometries"))
                if n
            ]
            console.print(f"  {r.status:<9} {r.file_name}  ({', '.join(counts) or 'nothing new'})")
        console.print(f"Warehouse: {path}\n")
        selections = [resolve_region("emscher-lippe"), resolve_region("region-hannover")]
        s = structure(wh, selections)
        comparison = compare(wh, selections)
        first = comparison.profiles[0]
        industry = default_map_industry(first)
        the_map = lq_map(wh, industry, first.year, "de:kreis", [m for x in selections for m in x.members])
        args.out.mkdir(parents=True, exist_ok=True)
        profiled = list(zip(selections, comparison.profiles, strict=True))  # peers and opportunities of each region
        found_peers = [peers(wh, x, year=p.year, base_year=p.base_year) for x, p in profiled]
        found_opportunities = [opportunities(wh, x, year=p.year, base_year=p.base_year) for x, p in profiled]
        reports = [
            write_report(
                comparison,
                args.out / f"emscher-lippe_region-hannover.{suffix}",
                "de",
                the_map,
                peers=found_peers,
                opportunities=found_opportunities,
            )
            for suffix in ("pdf", "xlsx")
        ]
    table = Table(
        title=f"Sozialversicherungspflichtig Beschäftigte am Arbeitsort, 30.06.{s.year}",
        caption=(
            "Anteile an der Summe der überschneidungsfreien Wirtschaftsabschnittsgruppen (WZ 2008); "
            "Emscher-Lippe = Kreis Recklinghausen + Bottrop + Gelsenkirchen.\n" + "\n".join(s.attribution)
        ),
        caption_justify="left",
    )
    table.add_column("WZ 2008")
    table.add_column("Wirtschaftsabschnitte")
    for ref in [*s.regions, s.reference]:
        label = {"emscher-lippe": "Emscher-Lippe", "region-hannover": "Region Hannover"}.get(ref, ref)
        table.add_column(f"{label}\nBeschäftigte", justify="right")
        table.add_column("Anteil", justify="right")
    for row in s.rows:
        cells = []
        for ref in [*s.regions, s.reference]:
            c = row.cells[ref]
            cells += [
                "." if c.employment is None else format_number(c.employment),
                "" if c.share is None else format_share(c.share),
            ]
        table.add_row(row.industry_code, row.short_de, *cells)
    console.print(table)
    console.print()
    for line in comparison.summary_de:
        console.print(f"• {line}")
    console.print("\nBerichte: " + ", ".join(str(r) for r in reports))
    console.print(load_demo())
    console.print(load_demo_fund())
    fund_report = write_fund_report(project(load_plan(PLAN_FILE)), args.out / "beispiel-seedfonds.pdf", "de")
    console.print(f"Fondsbericht (Beispiel): {fund_report}")
    console.print(load_demo_concept(path, args.out))
    papers = paper_files(args.out)
    if all(f.exists() for f in papers):
        console.print("Konzeptpapier (Beispiel): " + ", ".join(str(f) for f in papers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
