"""``regiolens fund``: the co-investment fund planner on the command line — mandate check, plans, deal pipeline.

``check-deal`` needs no database: it checks one deal against the ``[mandate]`` table of a plan file and prints
every rule with its reason. Its exit code is 0 when the deal is eligible and 1 when it is not (or when the input is
wrong; the error is then on standard error)::

    regiolens fund check-deal --mandate plan.toml --wz 62.01 --region 05562004 --stage seed --amount 400000

``simulate`` projects a plan file (:func:`regiolens.fund.projection.project`: Monte-Carlo portfolio, fees, waterfall,
investor classes) and prints the outcome per investor class; ``--format json`` prints everything::

    regiolens fund simulate plan.toml --paths 10000 --seed 1
    regiolens fund report plan.toml --out fonds.pdf        # or .xlsx / .html, for an ex-ante assessment

The other commands act as one user on the app database, as ``regiolens network`` does (``--user EMAIL`` or
``$REGIOLENS_USER``, ``--database-url``); changes are committed only when the command succeeds::

    regiolens fund plans save plan.toml --key seedfonds --user ada@herten.de
    regiolens fund deals import deals.csv --plan seedfonds --user ada@herten.de
    regiolens fund deals move muster-gmbh/seed --to due_diligence --plan seedfonds --user ada@herten.de
    regiolens fund portfolio --plan seedfonds --user ada@herten.de
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from regiolens.cli.accounts import DatabaseUrlOption
from regiolens.cli.common import FormatOption, WarehouseOption, user_errors
from regiolens.cli.network import UserOption, _acting
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.errors import RegiolensError
from regiolens.fund import records
from regiolens.fund.mandate import check_deal, read_mandate, warehouse_region_names
from regiolens.fund.pipeline import DealIn, DealStatus, Lang, label
from regiolens.fund.projection import MAX_PATHS, project
from regiolens.fund.terms import load_plan
from regiolens.i18n import format_number
from regiolens.reports.fund_report import write_fund_report
from regiolens.warehouse.store import Warehouse
from regiolens.web.db import Visibility

app = typer.Typer(help="Co-investment fund planner: mandate check, fund plans, deal pipeline.", no_args_is_help=True)
plans_app = typer.Typer(help="Fund plans (versioned: every saved change is a new version).", no_args_is_help=True)
deals_app = typer.Typer(help="The deal pipeline of a plan: import, list, export, move.", no_args_is_help=True)
app.add_typer(plans_app, name="plans")
app.add_typer(deals_app, name="deals")

PlanOption = Annotated[str, typer.Option("--plan", help="The plan: key, organisation/key or number.")]
OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation of the plan (default: the user's own, or the only one).")
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the reasons: de or en.")]


def _lang(text: str) -> Lang:
    if text not in ("de", "en"):
        raise RegiolensError(f"unknown language {text!r}: de or en")
    return "de" if text == "de" else "en"


def _plan_ref(plan: str, org: str | None) -> str:
    return f"{org}/{plan}" if org and "/" not in plan and not plan.isdigit() else plan


@app.command("check-deal")
def check_deal_cmd(
    mandate: Annotated[Path, typer.Option("--mandate", help="Plan TOML file; its [mandate] table is used.")],
    region: Annotated[str, typer.Option("--region", help="The company's region: AGS (05562004), nuts:…, us:….")],
    stage: Annotated[str, typer.Option("--stage", help="Stage: pre_seed, seed, series_a, series_b, series_c, growth.")],
    amount: Annotated[int, typer.Option("--amount", help="The fund's ticket in euros.")],
    wz: Annotated[
        str | None, typer.Option("--wz", help="WZ code of the company (WZ 2008 unless --classification).")
    ] = None,
    naics: Annotated[
        str | None, typer.Option("--naics", help="NAICS code of the company (NAICS 2017 unless --classification).")
    ] = None,
    classification: Annotated[
        str | None, typer.Option("--classification", help="Classification of the code: wz2008, wz2025, naics2022 …")
    ] = None,
    company_total: Annotated[
        int, typer.Option("--company-total", help="Euros the fund has already put into the company (earlier tickets).")
    ] = 0,
    founded: Annotated[str | None, typer.Option("--founded", help="Founding date of the company (2021-03-01).")] = None,
    round_date: Annotated[str | None, typer.Option("--date", help="Date of the round (default: today).")] = None,
    company: Annotated[str, typer.Option("--company", help="Company name (shown only).")] = "—",
    lang: LangOption = "de",
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    warehouse: WarehouseOption = None,
) -> None:
    """Check one deal against a plan's mandate; exit code 0 when eligible, 1 when not."""
    with user_errors():
        language = _lang(lang)
        if fmt not in ("text", "json"):
            raise RegiolensError(f"unknown format {fmt!r}: text or json")
        if (wz is None) == (naics is None):
            raise RegiolensError("give the company's code with either --wz or --naics")
        the_mandate = read_mandate(mandate)
        try:
            deal = DealIn.model_validate(
                {
                    "company": company,
                    "code": wz if wz is not None else naics,
                    "classification": classification or ("wz2008" if wz is not None else "naics2017"),
                    "region": region,
                    "stage": stage,
                    "amount": amount,
                    "founded": founded,
                    "round_date": round_date,
                }
            )
        except ValueError as exc:
            raise RegiolensError(str(exc)) from None
        names = {}
        if warehouse is not None:
            with Warehouse.open(warehouse, read_only=True) as wh:
                names = warehouse_region_names(wh)
        result = check_deal(deal, the_mandate, earlier=company_total, on=date.today(), region_names=names)
    if fmt == "json":
        render_document(result.to_dict(), OutputFormat.json)
    else:
        verdict = (
            ("förderfähig" if result.eligible else "nicht förderfähig")
            if language == "de"
            else ("eligible" if result.eligible else "not eligible")
        )
        typer.echo(f"{'Mandat' if language == 'de' else 'Mandate'}: {verdict}")
        for rule in result.rules:
            typer.echo(f"{'✓' if rule.passed else '✗'} {rule.reason(language)}")
    if not result.eligible:
        raise typer.Exit(1)


@app.command("simulate")
def simulate_cmd(
    plan: Annotated[Path, typer.Argument(help="Plan TOML file.")],
    paths: Annotated[int, typer.Option("--paths", help="Simulated portfolio histories (1 to 100,000).")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random numbers: same seed, same result.")] = 1,
    lang: LangOption = "de",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Project a fund plan: IRR, TVPI, DPI and the probability of losing money per investor class."""
    with user_errors():
        language = _lang(lang)
        if not 1 <= paths <= MAX_PATHS:
            raise RegiolensError(f"--paths must be between 1 and {MAX_PATHS:,}")
        result = project(load_plan(plan), paths=paths, seed=seed)
    if render_document(result.to_dict(), fmt):
        return
    de = language == "de"
    companies = result.assumptions.companies_per_path
    render(
        [
            {
                "investor": ("alle Investoren" if de else "all investors") if o.kind == "fund" else o.name,
                "commitment": o.commitment,
                "irr_p5": o.irr.p5,
                "irr_p50": o.irr.p50,
                "irr_p95": o.irr.p95,
                "tvpi_p5": o.tvpi.p5,
                "tvpi_p50": o.tvpi.p50,
                "tvpi_p95": o.tvpi.p95,
                "dpi_p50": o.dpi.p50,
                "loss_probability": o.loss_probability,
            }
            for o in result.investors
        ],
        fmt,
        title=result.plan.name,
        caption=(
            f"{format_number(paths, locale='de_DE')} Pfade, Seed {seed}; {companies} Unternehmen je Pfad; "
            "IRR und Verlustwahrscheinlichkeit als Anteile (0,1 = 10 %)"
            if de
            else f"{format_number(paths, locale='en_GB')} paths, seed {seed}; {companies} companies per path; "
            "IRR and loss probability as fractions (0.1 = 10 %)"
        ),
    )


@app.command("report")
def report_cmd(
    plan: Annotated[Path, typer.Argument(help="Plan TOML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Report file: .pdf, .xlsx or .html.")],
    paths: Annotated[int, typer.Option("--paths", help="Simulated portfolio histories (1 to 100,000).")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random numbers: same seed, same result.")] = 1,
    lang: LangOption = "de",
) -> None:
    """Write the projection of a plan as a PDF, XLSX or HTML report (terms, outcomes, charts, assumptions)."""
    with user_errors():
        language = _lang(lang)
        if not 1 <= paths <= MAX_PATHS:
            raise RegiolensError(f"--paths must be between 1 and {MAX_PATHS:,}")
        written = write_fund_report(project(load_plan(plan), paths=paths, seed=seed), out, language)
    typer.echo(f"wrote {written}")


# ----------------------------------------------------------------------------------------------- plans


@plans_app.command("save")
def plans_save(
    file: Annotated[Path, typer.Argument(help="Plan TOML file.")],
    key: Annotated[str, typer.Option("--key", help="Short name of the plan in its organisation (seedfonds).")],
    user: UserOption = None,
    org: OrgOption = None,
    visibility: Annotated[
        Visibility | None, typer.Option("--visibility", help="private or network (default: as before / private).")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why this version was saved.")] = "",
    url: DatabaseUrlOption = None,
) -> None:
    """Save a plan file as a new plan or a new version of it (nothing happens when it is unchanged)."""
    with user_errors(), _acting(user, url) as (s, acting):
        plan_terms = load_plan(file)
        plan, saved = records.save_plan(
            s,
            acting,
            key,
            plan_terms.name,
            file.read_text(encoding="utf-8"),
            plan_terms.model_dump(mode="json"),
            organisation=org,
            visibility=visibility,
            note=note,
        )
        ref = f"{plan.organisation.slug}/{plan.key}"
        version = plan.version
    typer.echo(
        f"saved fund plan {ref}, version {version}" if saved else f"unchanged: fund plan {ref}, version {version}"
    )


@plans_app.command("list")
def plans_list(user: UserOption = None, fmt: FormatOption = OutputFormat.table, url: DatabaseUrlOption = None) -> None:
    """List the fund plans the user may see."""
    with user_errors(), _acting(user, url) as (s, acting):
        rows = [
            {
                "key": p.key,
                "organisation": p.organisation.slug,
                "name": p.name,
                "version": p.version,
                "visibility": str(p.visibility),
                "saved": p.current.created_at,
            }
            for p in records.list_plans(s, acting)
        ]
    render(rows, fmt)


# ----------------------------------------------------------------------------------------------- deals


@deals_app.command("import")
def deals_import(
    file: Annotated[Path, typer.Argument(help="CSV file of deals (see regiolens.fund.pipeline for the columns).")],
    plan: PlanOption,
    user: UserOption = None,
    org: OrgOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Import the deals of a CSV file into a plan: all rows or none; re-importing the same file changes nothing."""
    with user_errors(), _acting(user, url) as (s, acting):
        summary = records.import_deals(s, acting, records.get_plan(s, acting, _plan_ref(plan, org)), file)
    typer.echo(
        f"created {len(summary.created)}, updated {len(summary.updated)}, unchanged {len(summary.unchanged)} deal(s)"
    )


@deals_app.command("list")
def deals_list(
    plan: PlanOption,
    user: UserOption = None,
    org: OrgOption = None,
    status: Annotated[DealStatus | None, typer.Option("--status", help="Only deals in this status.")] = None,
    lang: LangOption = "de",
    fmt: FormatOption = OutputFormat.table,
    url: DatabaseUrlOption = None,
) -> None:
    """List a plan's deals with their status and mandate check (failed rules with their reasons)."""
    with user_errors(), _acting(user, url) as (s, acting):
        language = _lang(lang)
        the_plan = records.get_plan(s, acting, _plan_ref(plan, org))
        rows = []
        for deal in records.list_deals(s, acting, the_plan, status=status):
            check = records.stored_check(deal)
            rows.append(
                {
                    "key": deal.key,
                    "company": deal.company,
                    "code": deal.code,
                    "region": deal.region,
                    "stage": label(deal.stage, language),
                    "amount": deal.amount,
                    "status": label(deal.status, language),
                    "eligible": deal.eligible,
                    "failed": [r.reason(language) for r in check.failed] if check else [],
                }
            )
    render(rows, fmt)


@deals_app.command("export")
def deals_export(
    plan: PlanOption,
    user: UserOption = None,
    org: OrgOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (re-importable) or json (with the checks).")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Export a plan's deals as CSV or JSON."""
    with user_errors(), _acting(user, url) as (s, acting):
        if fmt not in ("csv", "json"):
            raise RegiolensError(f"unknown export format {fmt!r}: csv or json")
        content = records.export_deals(
            s, acting, records.get_plan(s, acting, _plan_ref(plan, org)), "csv" if fmt == "csv" else "json"
        )
    if out is None:
        typer.echo(content, nl=False)
    else:
        out.write_text(content, encoding="utf-8")
        typer.echo(f"wrote {out}")


@deals_app.command("move")
def deals_move(
    deal: Annotated[str, typer.Argument(help="The deal: key or number.")],
    to: Annotated[DealStatus, typer.Option("--to", help="The new status.")],
    plan: PlanOption,
    user: UserOption = None,
    org: OrgOption = None,
    note: Annotated[str, typer.Option("--note", help="Why (kept in the deal's history).")] = "",
    url: DatabaseUrlOption = None,
) -> None:
    """Move a deal to the next status (screening → due_diligence → committee → invested, or declined)."""
    with user_errors(), _acting(user, url) as (s, acting):
        the_plan = records.get_plan(s, acting, _plan_ref(plan, org))
        found = records.get_deal(s, acting, the_plan, deal)
        event = records.move_deal(s, acting, found, to, note)
        key = found.key
    typer.echo(f"moved {key} from {event.from_status} to {event.to_status}")


@app.command("portfolio")
def portfolio_cmd(
    plan: PlanOption,
    user: UserOption = None,
    org: OrgOption = None,
    lang: LangOption = "de",
    fmt: FormatOption = OutputFormat.table,
    url: DatabaseUrlOption = None,
) -> None:
    """The invested portfolio per cluster and stage, the pipeline per status, and the regional impact."""
    with user_errors(), _acting(user, url) as (s, acting):
        language = _lang(lang)
        summary = records.portfolio(s, acting, records.get_plan(s, acting, _plan_ref(plan, org)))
    if render_document(summary.to_dict(), fmt):
        return
    de = language == "de"
    render(
        [
            {
                "group": kind_label,
                "name": t.label_de if de else t.label_en,
                "deals": t.deals,
                "amount": t.amount,
                "companies": t.companies,
            }
            for kind_label, totals in (
                ("Cluster", summary.by_cluster),
                ("Phase" if de else "Stage", summary.by_stage),
                ("Status", summary.by_status),
            )
            for t in totals
        ],
        fmt,
        title=(
            f"{summary.companies_financed} Unternehmen finanziert, davon {summary.companies_in_region} in der Region"
            if de
            else f"{summary.companies_financed} companies financed, {summary.companies_in_region} in the region"
        ),
        caption=(
            f"Arbeitsplätze in der Region: {summary.jobs_in_region if summary.jobs_in_region is not None else '–'}"
            if de
            else f"Jobs in the region: {summary.jobs_in_region if summary.jobs_in_region is not None else '–'}"
        ),
    )
