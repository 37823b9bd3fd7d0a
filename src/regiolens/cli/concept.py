"""``regiolens concept``: the concept builder from the command line — the focus-cluster scorecard, the concept
workspace and the paper.

``scorecard`` needs no database. The other commands act as one user on the app database, as ``regiolens fund``
does (``--user EMAIL`` or ``$REGIOLENS_USER``, ``--database-url``); changes are committed only when the command
succeeds. The content of a version is a TOML or JSON file of :class:`regiolens.concept.content.ConceptContent`::

    regiolens concept create konzept.toml --key emscher-lippe-2027 --network emscher-lippe --user ada@herten.de
    regiolens concept save konzept.toml --concept emscher-lippe-2027 --note "Budget ergänzt" --user ada@herten.de
    regiolens concept status emscher-lippe-2027 --to in_consultation --user ada@herten.de
    regiolens concept sign-off emscher-lippe-2027 --ask gelsenkirchen --user ada@herten.de
    regiolens concept sign-off herten/emscher-lippe-2027 --approve --user gil@gelsenkirchen.de
    regiolens concept export emscher-lippe-2027 --out konzept.docx -w warehouse.duckdb --user ada@herten.de
"""

from __future__ import annotations

import json
import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.cli.accounts import DatabaseUrlOption
from regiolens.cli.accounts import _database as database
from regiolens.cli.analysis import BaseYearOption, ClassificationOption, YearOption
from regiolens.cli.common import FormatOption, GroupsOption, WarehouseOption, parse_weights, user_errors
from regiolens.cli.network import UserOption, _acting
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.clusters.registry import BUILTIN
from regiolens.clusters.tomlfile import _Locator
from regiolens.concept import records
from regiolens.concept.content import ConceptContent
from regiolens.concept.models import ConceptStatus, SignOffStatus
from regiolens.concept.scorecard import DEFAULT_PEERS, scorecard
from regiolens.config import warehouse_path
from regiolens.errors import InputError, RegiolensError
from regiolens.fund.projection import MAX_PATHS
from regiolens.fund.terms import _field_path, _line, _reason
from regiolens.regions.resolve import resolve_region
from regiolens.reports.concept_paper import (
    PAPER_PATHS,
    PAPER_PEERS,
    PAPER_SEED,
    SUFFIXES,
    check_suffix,
    gather_paper,
    write_concept_paper,
)
from regiolens.warehouse.store import Warehouse
from regiolens.web.accounts import memberships
from regiolens.web.concept_evidence import check_all_evidence
from regiolens.web.db import Visibility
from regiolens.web.warehouse import WarehouseAccess

app = typer.Typer(
    help="The region's development concept: focus clusters on evidence, versions, sign-off, the paper.",
    no_args_is_help=True,
)


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


# ----------------------------------------------------------------------------------------------- the workspace

ConceptArgument = Annotated[str, typer.Argument(help="The concept: key, organisation/key or number.")]
VersionOption = Annotated[int | None, typer.Option("--version", help="Version number (default: the newest).")]
NoteOption = Annotated[str, typer.Option("--note", help="Why (stored with the change).")]


def read_content(path: Path) -> ConceptContent:
    """A concept's content from a TOML or JSON file; every problem is an :class:`InputError` naming the file, the
    line (TOML) and the field."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, f"kein UTF-8-Text / not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise InputError(path, None, None, f"nicht lesbar / cannot be read: {exc.strerror}") from None
    toml = path.suffix.lower() != ".json"
    try:
        data: Any = tomllib.loads(source) if toml else json.loads(source)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise InputError(path, line, None, f"kein gültiges TOML / not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, None, f"kein gültiges JSON / not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(path, None, None, "erwartet ein Objekt / expected an object")
    try:
        return ConceptContent.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field, keys = _field_path(error["loc"], data)
        line = _line(_Locator(source), keys) if toml else None
        raise InputError(path, line, field or None, _reason(error)) from None


def _versioned(ref: str, number: int) -> str:
    return f"concept {ref}, version {number}"


@app.command("create")
def create_cmd(
    file: Annotated[Path, typer.Argument(help="TOML or JSON file of the concept's content.")],
    key: Annotated[str, typer.Option("--key", help="Short name of the concept in its organisation.")],
    user: UserOption = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Owning organisation (default: the user's only one).")
    ] = None,
    network: Annotated[str | None, typer.Option("--network", help="The network it is written for (slug).")] = None,
    visibility: Annotated[Visibility, typer.Option("--visibility", help="private or network.")] = Visibility.private,
    note: NoteOption = "",
    url: DatabaseUrlOption = None,
) -> None:
    """Create a concept from a content file (version 1, draft)."""
    with user_errors(), _acting(user, url) as (s, acting):
        content = read_content(file)
        concept = records.create_concept(
            s, acting, key, content, organisation=org, network=network, visibility=visibility, note=note
        )
        ref = f"{concept.organisation.slug}/{concept.key}"
    typer.echo(f"created {_versioned(ref, 1)}")


@app.command("save")
def save_cmd(
    file: Annotated[Path, typer.Argument(help="TOML or JSON file of the concept's content.")],
    concept: Annotated[str, typer.Option("--concept", help="The concept: key, organisation/key or number.")],
    user: UserOption = None,
    visibility: Annotated[
        Visibility | None, typer.Option("--visibility", help="private or network (default: as before).")
    ] = None,
    note: NoteOption = "",
    url: DatabaseUrlOption = None,
) -> None:
    """Save a content file as the concept's new version (nothing happens when it is unchanged)."""
    with user_errors(), _acting(user, url) as (s, acting):
        content = read_content(file)
        found = records.get_concept(s, acting, concept)
        before = found.current
        version, saved = records.save_concept(s, acting, found, content, visibility=visibility, note=note)
        ref = f"{found.organisation.slug}/{found.key}"
        changes = records.diff_versions(before, version) if saved else []
        number = version.number
    typer.echo(f"saved {_versioned(ref, number)}" if saved else f"unchanged: {_versioned(ref, number)}")
    for change in changes:
        typer.echo(f"  {change.de}")


@app.command("list")
def list_cmd(user: UserOption = None, fmt: FormatOption = OutputFormat.table, url: DatabaseUrlOption = None) -> None:
    """List the concepts the user may see."""
    with user_errors(), _acting(user, url) as (s, acting):
        rows = [
            {
                "key": c.key,
                "organisation": c.organisation.slug,
                "title": c.title,
                "target_region": c.target_region,
                "status": str(c.status),
                "version": c.version,
                "outdated": len(c.outdated),
            }
            for c in records.list_concepts(s, acting)
        ]
    render(rows, fmt, ["key", "organisation", "title", "target_region", "status", "version", "outdated"])


@app.command("show")
def show_cmd(
    concept: ConceptArgument,
    version: VersionOption = None,
    user: UserOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """The concept as JSON: status, sign-offs, outdated evidence, the version's content, what changed from the
    version before, and its comments."""
    with user_errors(), _acting(user, url) as (s, acting):
        found = records.get_concept(s, acting, concept)
        shown = records.get_version(found, version)
        previous = records.get_version(found, shown.number - 1) if shown.number > 1 else None
        document = {
            **records.describe(found),
            "shown_version": records.describe_version(shown),
            "changes": [
                {"section": c.section, "kind": c.kind, "de": c.de, "en": c.en}
                for c in (records.diff_versions(previous, shown) if previous else [])
            ],
            "comments": [
                {"version": c.version.number, "author_id": c.author_id, "text": c.text, "created_at": c.created_at}
                for c in records.list_comments(s, acting, found, shown.number)
            ],
        }
        render_document(document, OutputFormat.json)


@app.command("status")
def status_cmd(
    concept: ConceptArgument,
    to: Annotated[ConceptStatus | None, typer.Option("--to", help="Move to draft, in_consultation or adopted.")] = None,
    note: NoteOption = "",
    user: UserOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Show the concept's status (and move it with --to): version, sign-offs missing, outdated evidence."""
    with user_errors(), _acting(user, url) as (s, acting):
        found = records.get_concept(s, acting, concept)
        if to is not None:
            records.move_concept(s, acting, found, to, note)
        ref = f"{found.organisation.slug}/{found.key}"
        lines = [f"{ref}: {found.status}, version {found.version}"]
        if found.adopted_version is not None:
            lines.append(f"adopted version: {found.adopted_version}")
        missing = [o.slug for o in records.missing_sign_offs(found)]
        if missing:
            lines.append(f"sign-off missing: {', '.join(missing)}")
        lines += [f"outdated evidence: {o['cluster']}" for o in found.outdated]
    typer.echo("\n".join(lines))


@app.command("check-evidence")
def check_evidence_cmd(warehouse: WarehouseOption = None, url: DatabaseUrlOption = None) -> None:
    """After importing data: store, for every concept, which focus clusters rest on outdated evidence (what the
    web app does after an upload) and list them. Versions are not touched; the concept pages say what changed."""
    with user_errors(), database(url) as s:
        found = check_all_evidence(WarehouseAccess(warehouse_path(warehouse)), s)
        lines = [
            f"{c.organisation.slug}/{c.key}: outdated evidence: {', '.join(o['cluster'] for o in c.outdated)}"
            for c in found
        ]
    typer.echo("\n".join(lines) if lines else "no concept rests on outdated evidence")


@app.command("comment")
def comment_cmd(
    concept: ConceptArgument,
    text: Annotated[str, typer.Argument(help="The comment.")],
    version: VersionOption = None,
    user: UserOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Comment on a version of the concept (default: the newest)."""
    with user_errors(), _acting(user, url) as (s, acting):
        found = records.get_concept(s, acting, concept)
        comment = records.add_comment(s, acting, found, text, version)
        number = comment.version.number
    typer.echo(f"commented on {_versioned(concept, number)}")


@app.command("sign-off")
def sign_off_cmd(
    concept: ConceptArgument,
    ask: Annotated[
        str | None, typer.Option("--ask", help="Ask this member organisation (slug) to sign off the newest version.")
    ] = None,
    approve: Annotated[
        bool | None,
        typer.Option("--approve/--decline", help="Answer the request to the user's organisation."),
    ] = None,
    note: NoteOption = "",
    user: UserOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Ask a member organisation to sign off the concept (--ask), or answer the request to your organisation
    (--approve / --decline)."""
    with user_errors(), _acting(user, url) as (s, acting):
        if (ask is None) == (approve is None):
            raise RegiolensError("give either --ask ORGANISATION or --approve / --decline")
        found = records.get_concept(s, acting, concept)
        if ask is not None:
            asked = records.request_sign_off(s, acting, found, ask, note)
            message = f"asked {asked.organisation.slug} to sign off {_versioned(found.key, asked.version)}"
        else:
            own = {m.organisation_id for m in memberships(s, acting)}
            open_requests = [
                o for o in found.sign_offs if o.organisation_id in own and o.status is SignOffStatus.requested
            ]
            if not open_requests:
                raise RegiolensError(f"no open sign-off request of concept {found.key!r} to your organisation")
            answered = records.answer_sign_off(s, acting, open_requests[-1], bool(approve), note)
            message = f"{answered.status} {_versioned(found.key, answered.version)} for {answered.organisation.slug}"
    typer.echo(message)


@app.command("export")
def export_cmd(
    concept: ConceptArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help=f"The paper: {', '.join(SUFFIXES)}.")],
    version: VersionOption = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the paper.")] = Language.de,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Weights of the scorecard, e.g. strength=2,dynamics=1 (default: equal)."),
    ] = None,
    peers: Annotated[int, typer.Option("--peers", help="Peer regions of the scorecard (0: none).")] = PAPER_PEERS,
    paths: Annotated[int, typer.Option("--paths", help="Paths of the fund projection.")] = PAPER_PATHS,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fund projection.")] = PAPER_SEED,
    warehouse: WarehouseOption = None,
    user: UserOption = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Write the concept's paper (DOCX or PDF) with its evidence computed now from the warehouse."""
    with user_errors():
        check_suffix(out)
        if not 1 <= paths <= MAX_PATHS:
            raise RegiolensError(f"--paths must be between 1 and {MAX_PATHS:,}")
        with _acting(user, url) as (s, acting), Warehouse.open(warehouse, read_only=True) as wh:
            paper = gather_paper(
                s, wh, acting, concept, version, weights=parse_weights(weights), peers=peers, paths=paths, seed=seed
            )
        write_concept_paper(paper, out, lang.value)
    typer.echo(f"wrote {out}")
