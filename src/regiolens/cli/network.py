"""``regiolens network``: the knowledge base of initiatives, exchanges (site visits) and lessons on the command line.

Every command acts as one user (``--user EMAIL``, or ``$REGIOLENS_USER``), so that it sees and changes exactly what
that user may in the web app; the app database is ``--database-url`` (default ``$REGIOLENS_DATABASE_URL``).
Changes are committed only when the command succeeds.

    regiolens network examples load --user ada@herten.de
    regiolens network initiatives list --user ada@herten.de
    regiolens network search "Venture Capital" --user ada@herten.de
    regiolens network assess hannoverimpuls emscher-lippe --user ada@herten.de --out bewertung.pdf
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from regiolens.cli.accounts import DatabaseUrlOption
from regiolens.cli.accounts import _database as database
from regiolens.cli.common import FormatOption, WarehouseOption, user_errors
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number
from regiolens.network import assessment, checklist, examples, records, search, tomlio
from regiolens.network.attachments import AttachmentStore
from regiolens.network.models import Exchange, Initiative
from regiolens.warehouse.store import Warehouse
from regiolens.web.accounts import get_user
from regiolens.web.db import User
from regiolens.web.settings import Settings

app = typer.Typer(
    help="Knowledge base: initiatives, exchanges (site visits), lessons, transferability.", no_args_is_help=True
)
initiatives_app = typer.Typer(help="Initiatives seen elsewhere (e.g. hannoverimpuls).", no_args_is_help=True)
exchanges_app = typer.Typer(
    help="Exchanges: visits, meetings, calls, with findings and follow-ups.", no_args_is_help=True
)
lessons_app = typer.Typer(help="Lessons: what worked or failed, under which preconditions.", no_args_is_help=True)
examples_app = typer.Typer(help="The example content (hannoverimpuls, Emscher-Lippe, the visit).", no_args_is_help=True)
app.add_typer(initiatives_app, name="initiatives")
app.add_typer(exchanges_app, name="exchanges")
app.add_typer(lessons_app, name="lessons")
app.add_typer(examples_app, name="examples")

UserOption = Annotated[
    str | None,
    typer.Option("--user", "-u", help="E-mail address of the user acting (default: $REGIOLENS_USER)."),
]
OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation of new records (default: the user's only one as editor).")
]


@contextmanager
def _acting(email: str | None, url: str | None) -> Iterator[tuple[Session, User]]:
    """The session (committed at the end) and the acting user."""
    email = email or os.environ.get("REGIOLENS_USER")
    if not email:
        raise RegiolensError("name the acting user with --user EMAIL (or $REGIOLENS_USER)")
    with database(url) as s:
        yield s, get_user(s, email)


def _store() -> AttachmentStore:
    return AttachmentStore.in_data_dir(Settings().data_dir)


def _summary_row(s: Session, user: User, record: records.Record) -> dict[str, Any]:
    d = records.describe(s, user, record)
    common = {"key": d["key"], "organisation": d["organisation"], "visibility": d["visibility"]}
    if isinstance(record, Initiative):
        return {**common, "name": d["name"], "region": d["region"], "tags": d["tags"], "example": d["example"]}
    if isinstance(record, Exchange):
        return {**common, "date": d["date"], "title": d["title"], "kind": d["kind"], "example": d["example"]}
    return {**common, "title": d["title"], "outcome": d["outcome"], "tags": d["tags"]}


def _commands(group: typer.Typer, kind: str) -> None:
    """``list``, ``show``, ``add`` and ``export`` for one kind of record."""
    model = records.KINDS[kind]

    @group.command("list", help=f"List the {kind}s the user may see.")
    def list_cmd(
        user: UserOption = None,
        tag: Annotated[str | None, typer.Option("--tag", help="Only records with this tag.")] = None,
        fmt: FormatOption = OutputFormat.table,
        url: DatabaseUrlOption = None,
    ) -> None:
        with user_errors(), _acting(user, url) as (s, acting):
            rows = [_summary_row(s, acting, r) for r in records.list_records(s, acting, model, tag=tag)]
        render(rows, fmt)

    @group.command("show")
    def show_cmd(
        ref: Annotated[str, typer.Argument(help="Key, organisation/key or number.")],
        user: UserOption = None,
        url: DatabaseUrlOption = None,
    ) -> None:
        """Show one record with its statements, links and history (JSON)."""
        with user_errors(), _acting(user, url) as (s, acting):
            record = records.get(s, acting, model, ref)
            document = records.describe(s, acting, record)
            document["history"] = [
                {"at": h.at.isoformat(), "user_id": h.user_id, "action": h.action, "fields": sorted(h.changes)}
                for h in records.record_history(s, acting, record)
            ]
        render_document(document, OutputFormat.json)

    @group.command("add")
    def add_cmd(
        file: Annotated[
            Path, typer.Argument(help="TOML file ([[actors]], [[initiatives]], [[exchanges]], [[lessons]]).")
        ],
        user: UserOption = None,
        org: OrgOption = None,
        update: Annotated[bool, typer.Option("--update", help="Replace records whose key exists already.")] = False,
        url: DatabaseUrlOption = None,
    ) -> None:
        """Add the records of a TOML file (it may hold the actors and other records they refer to)."""
        with user_errors(), _acting(user, url) as (s, acting):
            if not tomlio.read_toml(file).get(f"{kind}s"):
                raise RegiolensError(f"{file} holds no {kind}s")
            summary = tomlio.import_toml(s, acting, file, organisation=org, update=update)
        for what, done in (("created", summary.created), ("updated", summary.updated)):
            for k, keys in done.items():
                typer.echo(f"{what} {len(keys)} {k}(s): {', '.join(keys)}")

    @group.command("export")
    def export_cmd(
        user: UserOption = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="json or csv.")] = "json",
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")
        ] = None,
        url: DatabaseUrlOption = None,
    ) -> None:
        """Export every record the user may see as JSON or CSV."""
        with user_errors(), _acting(user, url) as (s, acting):
            if fmt not in ("json", "csv"):
                raise RegiolensError(f"unknown export format {fmt!r}: json or csv")
            content = tomlio.export_records(s, acting, kind, "csv" if fmt == "csv" else "json")
        if out is None:
            typer.echo(content, nl=False)
        else:
            out.write_text(content, encoding="utf-8")
            typer.echo(f"wrote {out}")


_commands(initiatives_app, "initiative")
_commands(exchanges_app, "exchange")
_commands(lessons_app, "lesson")


@app.command("search")
def search_cmd(
    text: Annotated[str, typer.Argument(help="Words to find (each must occur; a word matches words it begins).")],
    user: UserOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many hits.")] = 50,
    fmt: FormatOption = OutputFormat.table,
    url: DatabaseUrlOption = None,
) -> None:
    """Search initiatives, exchanges and lessons (German and English) among the records the user may see."""
    with user_errors(), _acting(user, url) as (s, acting):
        hits = search.search(s, acting, text, limit=limit)
    render([{"kind": h.kind, "id": h.record_id, "title": h.title, "snippet": h.snippet} for h in hits], fmt)


@app.command("assess")
def assess_cmd(
    initiative: Annotated[str, typer.Argument(help="The initiative: key, organisation/key or number.")],
    target: Annotated[str, typer.Argument(help="The target region: a code or group (e.g. emscher-lippe).")],
    user: UserOption = None,
    checklist_file: Annotated[
        Path | None, typer.Option("--checklist", help="TOML file with the preconditions' answers and weights.")
    ] = None,
    out: Annotated[list[Path] | None, typer.Option("--out", "-o", help="Report file(s): .pdf, .html or .xlsx.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report and the table: de or en.")] = "de",
    year: Annotated[int | None, typer.Option("--year", help="Year (default: the latest with data).")] = None,
    base_year: Annotated[int | None, typer.Option("--base-year", help="Base year (default: the earliest).")] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Keep the run as a new version.")] = True,
    org: OrgOption = None,
    fmt: FormatOption = OutputFormat.table,
    warehouse: WarehouseOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Assess how well an initiative would suit a target region: total score, components and their reasons."""
    from regiolens.reports.assessment import write_assessment_report

    with user_errors(), _acting(user, url) as (s, acting), Warehouse.open(warehouse, read_only=True) as wh:
        filled = checklist.read_checklist(checklist_file) if checklist_file else None
        result = assessment.assess(
            s,
            wh,
            acting,
            initiative,
            target,
            checklist=filled,
            year=year,
            base_year=base_year,
            save=save,
            organisation=org,
        )
        written = [write_assessment_report(result, path, lang) for path in out or []]
    if render_document(result.model_dump(mode="json"), fmt):
        return
    de = lang != "en"
    rows = [
        {
            "component": c.name_de if de else c.name_en,
            "weight": c.weight,
            "score": c.score,
            "reason": c.reason_de if de else c.reason_en,
        }
        for c in result.components
    ]
    total = "–" if result.total is None else format_number(result.total, 2, "de_DE" if de else "en_GB")
    version = f", Version {result.version}" if result.version else ""
    heading = "Gesamtscore" if de else "Total score"
    render(rows, fmt, title=f"{result.initiative_name} → {result.target.name}: {heading} {total}{version}")
    for path in written:
        typer.echo(f"wrote {path}")


@app.command("compare")
def compare_cmd(
    target: Annotated[str, typer.Argument(help="The target region (as given to assess).")],
    user: UserOption = None,
    fmt: FormatOption = OutputFormat.table,
    url: DatabaseUrlOption = None,
) -> None:
    """The latest assessments of every initiative for one target region, side by side, best first."""
    with user_errors(), _acting(user, url) as (s, acting):
        rows = [
            {
                "initiative": a.initiative_name,
                "organisation": a.organisation,
                "version": a.version,
                "total": a.total,
                **a.scores,
            }
            for a in assessment.assessments_for_target(s, acting, target)
        ]
    render(rows, fmt)


def _examples(action: Callable[[Session, User, str | None], str]) -> Callable[..., None]:
    def command(user: UserOption = None, org: OrgOption = None, url: DatabaseUrlOption = None) -> None:
        with user_errors(), _acting(user, url) as (s, acting):
            message = action(s, acting, org)
        typer.echo(message)

    return command


def _load(s: Session, user: User, org: str | None) -> str:
    summary = examples.load_examples(s, user, organisation=org)
    return f"loaded {summary.count()} example records: " + json.dumps(summary.created, ensure_ascii=False)


def _remove(s: Session, user: User, org: str | None) -> str:
    return f"removed {examples.remove_examples(s, user, organisation=org, store=_store())} example records"


examples_app.command("load", help="Load the example content (marked as example) into the user's organisation.")(
    _examples(_load)
)
examples_app.command("remove", help="Remove every record marked as example content of the user's organisation.")(
    _examples(_remove)
)
