"""The fund planner in the browser: plans (TOML editor, versions), the deal pipeline with its mandate checks, deals,
CSV import and export, the portfolio, and the projection with its charts.

Every plan and deal is read and changed through :mod:`regiolens.fund.records` (scoped by
:func:`regiolens.web.accounts.visible`): another organisation's private plan or deal answers 404 exactly like a
missing one. Changing a plan or its deals needs the role editor in the plan's organisation: its viewers get 403,
members of other organisations (who may see a shared plan) 404, for there is nothing of theirs to change.

- **Plan editor.** A plan is its TOML text (:func:`regiolens.fund.terms.parse_plan`, then the ``[mandate]`` table
  with :func:`regiolens.fund.mandate.parse_mandate`); an invalid text is shown again beside the error naming its line
  and field, and nothing is saved. Saving a changed plan adds a version; saving it unchanged adds nothing.
- **Pipeline board.** One column per status with the totals of :attr:`~regiolens.fund.pipeline.PortfolioSummary.
  by_status`; every card shows the stored mandate check. A deal moves with a small form that HTMX posts (the board
  is swapped in place) and that works as a plain form post without JavaScript.
- **Import.** A CSV upload is imported by :func:`regiolens.fund.records.import_deals`: all rows or none; an error
  names the file, line and field, and the pipeline is then unchanged.
- **Projection.** ``/fund/<plan>/projection?paths=N&seed=S`` runs :func:`regiolens.fund.projection.project` (the
  function the CLI and the JSON API call) on the plan's newest terms; the result is kept in the app's cache by terms,
  paths and seed, so the page, its charts (:mod:`regiolens.reports.fund_charts`) and its CSV files show one run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile

import regiolens.fund
from regiolens.classifications import classification_names, get_classification
from regiolens.errors import InputError, RegiolensError
from regiolens.fund import records
from regiolens.fund.classes import Leverage, leverage
from regiolens.fund.defaults import SOURCES
from regiolens.fund.mandate import Mandate, euros, parse_mandate
from regiolens.fund.models import Deal, FundPlanRecord
from regiolens.fund.pipeline import DEFAULT_CLASSIFICATION, TRANSITIONS, DealIn, DealStatus, Lang, label
from regiolens.fund.projection import Projection, project
from regiolens.fund.terms import FundPlan, Stage, parse_plan, reason
from regiolens.i18n.messages import field_name
from regiolens.reports import fund_charts, fund_tables, text
from regiolens.reports.fund_report import write_fund_report
from regiolens.reports.html import inline_svg
from regiolens.reports.render import to_png, to_svg
from regiolens.web import accounts
from regiolens.web.db import User, Visibility
from regiolens.web.lookup import editable_or_403, known_number, visible_or_404
from regiolens.web.routes.data import safe_filename
from regiolens.web.routes.regions import filename
from regiolens.web.security import current_user, editable_organisations, get_db
from regiolens.web.templating import csv_response, file_response, labelled_svg, lang_of, render
from regiolens.web.words import t

router = APIRouter(dependencies=[Depends(current_user)])

T = TypeVar("T")

EXAMPLE_PLAN = Path(regiolens.fund.__file__).parent / "examples" / "emscher-lippe-seed.toml"
"""The plan the editor of a new plan starts from."""

MIN_PATHS = 100
MAX_PATHS = 50_000
DEFAULT_PATHS = 10_000
"""Paths of the projection page: at least 100 (fewer give no percentiles worth reading), at most 50,000 (about
what one request may take on a small server)."""
DEFAULT_SEED = 1
MAX_SEED = 2**32 - 1
"""Seeds are whole numbers from 0 to 2³² − 1 (numpy's SeedSequence takes larger ones too; a URL need not)."""

PLAN_FILE = "plan.toml"
"""The name errors give the editor's text."""


# ----------------------------------------------------------------------------------------------- lookups


def visible_plan(db: Session, user: User, ref: int | str) -> FundPlanRecord:
    """The plan (number or key) the user may see, else 404 (another organisation's private plan looks missing)."""
    return visible_or_404(db, user, FundPlanRecord, ref, "fund plan")


def editable_plan(db: Session, user: User, plan_id: int, lang: Lang) -> FundPlanRecord:
    """The plan the user may change: 404 unless the user belongs to its organisation, 403 unless as editor."""
    return editable_or_403(db, user, FundPlanRecord, plan_id, "fund plan", t("fund_editors_only", lang))


def visible_deal(db: Session, user: User, plan: FundPlanRecord, ref: int | str) -> Deal:
    """The plan's deal (number or key) the user may see, else 404."""
    if not known_number(ref):
        raise HTTPException(404, f"no deal {ref}")
    try:
        return records.get_deal(db, user, plan, ref)
    except records.NotFound as exc:
        raise HTTPException(404, str(exc)) from None


def plan_terms(plan: FundPlanRecord) -> FundPlan:
    """The terms of the plan's newest version, read from its TOML text as the CLI reads a plan file."""
    return parse_plan(plan.current.source, f"{plan.key}.toml")


def user_names(db: Session, ids: set[int | None]) -> dict[int, str]:
    """Names of the users ``ids`` (for who saved a version or moved a deal)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {uid: name for uid, name in db.execute(select(User.id, User.name).where(User.id.in_(wanted)))}


async def _fields(request: Request) -> dict[str, str]:
    """The text fields of a posted form (files are read elsewhere)."""
    async with request.form() as raw:
        return {key: value for key, value in raw.items() if isinstance(value, str)}


def _visibility(form: dict[str, str]) -> Visibility | None:
    """The visibility the form chose (``None`` when it chose none)."""
    chosen = form.get("visibility")
    return Visibility(chosen) if chosen in (Visibility.private.value, Visibility.network.value) else None


def attempt(db: Session, action: Callable[[], T]) -> T | RegiolensError:
    """``action()``, or the error a user can act on that it raised — the session rolled back — for the form to show
    again; a missing role is no such error and stays a 403."""
    try:
        return action()
    except accounts.PermissionDenied:
        raise
    except RegiolensError as exc:
        db.rollback()
        return exc


def helpers(lang: Lang) -> dict[str, Any]:
    """Formatting the fund pages need beyond the common helpers: euros, stage and status names, rule names."""
    return {
        "eur": lambda value: "–" if value is None else euros(round(value), lang),
        "fund_label": lambda value: label(value, lang),
        "rule_reason": lambda rule: rule.reason(lang),
    }


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, template, {"nav": "fund", **helpers(lang_of(request)), **context}, status)


# ----------------------------------------------------------------------------------------------- plans


@router.get("/fund")
def fund_page(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    context = {"plans": records.list_plans(db, user), "can_create": bool(editable_organisations(db, user))}
    return _page(request, "fund_index.html", context)


@router.get("/fund/example.toml")
def example_plan() -> Response:
    """The example plan the editor starts from, as a file."""
    return file_response(EXAMPLE_PLAN.read_text(encoding="utf-8"), "application/toml", EXAMPLE_PLAN.name)


def source_error(exc: InputError, source: str, lang: Lang) -> dict[str, Any]:
    """An error of the editor's text for the page: line, field, message and the text of that line."""
    lines = source.splitlines()
    line = exc.line if exc.line is not None and 0 < exc.line <= len(lines) else None
    return {
        "line": exc.line,
        "field": field_name(exc.field, lang) if exc.field is not None else None,
        "message": exc.localised_message(lang),
        "text": lines[line - 1] if line is not None else None,
    }


def check_source(source: str) -> FundPlan:
    """The plan of the editor's text with its mandate checked: :class:`InputError` naming line and field."""
    terms = parse_plan(source, PLAN_FILE)
    if terms.mandate is not None:
        parse_mandate({"mandate": terms.mandate}, PLAN_FILE, source)
    return terms


def _plan_form(
    request: Request,
    db: Session,
    user: User,
    form: dict[str, str],
    *,
    plan: FundPlanRecord | None = None,
    error: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "plan": plan,
        "form": form,
        "error": error,
        "organisations": editable_organisations(db, user) if plan is None else [],
        "action": f"/fund/{plan.id}/edit" if plan else "/fund/new",
    }
    return _page(request, "fund_plan_form.html", context, status)


def _owner_slug(db: Session, user: User, chosen: str, lang: Lang) -> str:
    """The slug of the organisation a new plan belongs to (one the user is editor in; else 403)."""
    editable = editable_organisations(db, user)
    if not editable:
        raise accounts.PermissionDenied(t("fund_editors_only", lang))
    if not chosen:
        return str(editable[0].slug)
    found = next((o for o in editable if str(o.id) == chosen), None)
    if found is None:
        raise accounts.PermissionDenied(f"you are no editor in organisation {chosen}")
    return str(found.slug)


@router.get("/fund/new")
def new_plan_form(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    if not editable_organisations(db, user):
        raise accounts.PermissionDenied(t("fund_editors_only", lang_of(request)))
    form = {"key": "", "visibility": "private", "note": "", "source": EXAMPLE_PLAN.read_text(encoding="utf-8")}
    return _plan_form(request, db, user, form)


def save_source(
    db: Session, user: User, key: str, organisation: str, form: dict[str, str], lang: Lang, *, new: bool
) -> tuple[FundPlanRecord, bool]:
    """Check the editor's text (``source``) and save it as plan ``key`` of ``organisation`` — a new plan when ``new``
    (its key must be free), else a new version; returns the plan and whether a version was added."""
    source = form.get("source", "")
    terms = check_source(source)
    if new:
        try:
            records.get_plan(db, user, f"{organisation}/{key}")
        except records.NotFound:
            pass
        else:
            raise RegiolensError(t("fund_key_taken", lang, plan=key))
    return records.save_plan(
        db,
        user,
        key,
        terms.name,
        source,
        terms.model_dump(mode="json"),
        organisation=organisation,
        visibility=_visibility(form) or (Visibility.private if new else None),
        note=form.get("note", ""),
    )


def _save_error(exc: RegiolensError, source: str, lang: Lang) -> dict[str, Any]:
    if isinstance(exc, InputError):
        return source_error(exc, source, lang)
    return {"message": exc.localised(lang)}


@router.post("/fund/new")
async def create_plan(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    lang = lang_of(request)
    form = await _fields(request)
    owner = _owner_slug(db, user, form.get("organisation_id", ""), lang)
    key = form.get("key", "").strip()
    outcome = attempt(db, lambda: save_source(db, user, key, owner, form, lang, new=True))
    if isinstance(outcome, RegiolensError):
        error = _save_error(outcome, form.get("source", ""), lang)
        return _plan_form(request, db, user, form, error=error, status=400)
    plan, _ = outcome
    db.commit()
    return RedirectResponse(f"/fund/{plan.id}?saved={plan.version}", status_code=303)


@router.get("/fund/{plan_id}/edit")
def edit_plan_form(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    plan = editable_plan(db, user, plan_id, lang_of(request))
    form = {"visibility": str(plan.visibility), "note": "", "source": plan.current.source}
    return _plan_form(request, db, user, form, plan=plan)


@router.post("/fund/{plan_id}/edit")
async def update_plan(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    plan = editable_plan(db, user, plan_id, lang)
    form = await _fields(request)
    key, owner = plan.key, plan.organisation.slug
    outcome = attempt(db, lambda: save_source(db, user, key, owner, form, lang, new=False))
    if isinstance(outcome, RegiolensError):
        error = _save_error(outcome, form.get("source", ""), lang)
        return _plan_form(request, db, user, form, plan=visible_plan(db, user, plan_id), error=error, status=400)
    plan, saved = outcome
    db.commit()
    return RedirectResponse(f"/fund/{plan.id}?{'saved' if saved else 'unchanged'}={plan.version}", status_code=303)


def mandate_words(mandate: Mandate, lang: Lang) -> dict[str, Any]:
    """The mandate's clusters, region and stages by name (for the sentence on the plan page)."""
    taxonomy = mandate.get_taxonomy()
    selection = mandate.selection()
    return {
        "taxonomy": taxonomy.name_de if lang == "de" else taxonomy.name_en,
        "clusters": [taxonomy.cluster(c).label(lang) for c in mandate.clusters],
        "region": selection.group.label if selection.group else selection.ref,
        "stages": [label(s, lang) for s in mandate.stages],
    }


def plan_leverage(terms: FundPlan) -> Leverage | None:
    """The leverage of the public commitment; ``None`` for a plan without a public class."""
    try:
        return leverage(terms.classes)
    except ValueError:
        return None


@router.get("/fund/{plan_id}")
def plan_page(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    plan = visible_plan(db, user, plan_id)
    terms = plan_terms(plan)
    mandate = records.plan_mandate(plan)
    context = {
        "plan": plan,
        "terms": terms,
        "mandate": mandate,
        "mandate_words": mandate_words(mandate, lang) if mandate else None,
        "leverage": plan_leverage(terms),
        "names": user_names(db, {v.created_by for v in plan.versions}),
        "can_edit": accounts.can_edit(db, user, plan),
        "saved": request.query_params.get("saved"),
        "unchanged": request.query_params.get("unchanged"),
    }
    return _page(request, "fund_plan.html", context)


@router.get("/fund/{plan_id}/versions/{number}.toml")
def plan_version_source(
    plan_id: int, number: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """The TOML text of one version of the plan, as a file."""
    plan = visible_plan(db, user, plan_id)
    version = next((v for v in plan.versions if v.number == number), None)
    if version is None:
        raise HTTPException(404, f"fund plan {plan.key!r} has no version {number}")
    return file_response(version.source, "application/toml", filename(plan.key, f"v{number}") + ".toml")


# ----------------------------------------------------------------------------------------------- pipeline


def _pipeline(
    request: Request, db: Session, user: User, plan: FundPlanRecord, status: int = 200, **extra: Any
) -> Response:
    deals = records.list_deals(db, user, plan)
    context = {
        "plan": plan,
        "deals": deals,
        "checks": {d.id: records.stored_check(d) for d in deals},
        "totals": {total.key: total for total in records.portfolio(db, user, plan).by_status},
        "statuses": list(DealStatus),
        "transitions": {s: sorted(TRANSITIONS[s], key=list(DealStatus).index) for s in DealStatus},
        "can_edit": accounts.can_edit(db, user, plan),
        "has_mandate": "mandate" in plan.current.terms,
        "imported": {k: request.query_params.get(k) for k in ("created", "updated", "unchanged")},
        "import_error": None,
        **extra,
    }
    return _page(request, "fund_pipeline.html", context, status)


@router.get("/fund/{plan_id}/pipeline")
def pipeline_page(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    return _pipeline(request, db, user, visible_plan(db, user, plan_id))


@router.post("/fund/{plan_id}/deals/{deal_id}/move")
async def move_deal(
    request: Request, plan_id: int, deal_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Move a deal one step (form fields ``to``, ``note``; ``back=deal`` returns to the deal's page)."""
    plan = editable_plan(db, user, plan_id, lang_of(request))
    deal = visible_deal(db, user, plan, deal_id)
    form = await _fields(request)
    if form.get("to") not in set(DealStatus):
        raise RegiolensError(f"unknown status {form.get('to')!r}; choose one of {', '.join(DealStatus)}")
    records.move_deal(db, user, deal, DealStatus(form["to"]), form.get("note", ""))
    db.commit()
    if form.get("back") == "deal":
        return RedirectResponse(f"/fund/{plan.id}/deals/{deal.id}", status_code=303)
    return RedirectResponse(f"/fund/{plan.id}/pipeline#deal-{deal.id}", status_code=303)


@router.post("/fund/{plan_id}/deals/import")
async def import_deals(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Import the uploaded CSV (form field ``file``): every row or none."""
    lang = lang_of(request)
    plan = editable_plan(db, user, plan_id, lang)
    async with request.form() as form:
        upload = form.get("file")
        name, content = "", b""
        if isinstance(upload, StarletteUploadFile) and upload.filename:
            name, content = upload.filename, await upload.read()
    if not name:
        return _pipeline(request, db, user, plan, 400, import_error={"message": t("no_file", lang)})
    with tempfile.TemporaryDirectory(prefix="regiolens-deals-") as tmp:
        path = Path(tmp) / safe_filename(name, 0)
        path.write_bytes(content)
        summary = attempt(db, lambda: records.import_deals(db, user, plan, path))
        if isinstance(summary, RegiolensError):
            error: dict[str, Any] = {
                "file": path.name,
                "message": summary.localised(lang).replace(str(path), path.name),
            }
            if isinstance(summary, InputError):
                error |= {
                    "line": summary.line,
                    "field": field_name(summary.field, lang) if summary.field is not None else None,
                    "message": summary.localised_message(lang),
                }
            return _pipeline(request, db, user, visible_plan(db, user, plan_id), 400, import_error=error)
    db.commit()
    counts = f"created={len(summary.created)}&updated={len(summary.updated)}&unchanged={len(summary.unchanged)}"
    return RedirectResponse(f"/fund/{plan.id}/pipeline?{counts}#import", status_code=303)


@router.get("/fund/{plan_id}/deals.{ext}")
def export_deals(plan_id: int, ext: str, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    """The plan's deals the user may see: CSV (re-importable) or JSON (with the mandate checks)."""
    plan = visible_plan(db, user, plan_id)
    if ext not in ("csv", "json"):
        raise HTTPException(404, f"deals are exported as csv or json, not {ext!r}")
    content = records.export_deals(db, user, plan, "csv" if ext == "csv" else "json")
    media = "text/csv; charset=utf-8" if ext == "csv" else "application/json"
    return file_response(content, media, filename(plan.key, "deals", date.today().isoformat()) + f".{ext}")


# ----------------------------------------------------------------------------------------------- deals

CLASSIFICATIONS = tuple(n for n in classification_names() if not n.endswith("-sg"))
"""Classifications a deal's code may be written in (section groups are no industry codes)."""
DEAL_FIELDS = ("company", "code", "classification", "region", "stage", "amount", "status", "round_date", "founded")
DEAL_FIELDS_ALL = (*DEAL_FIELDS, "jobs", "notes")


def _deal_form(
    request: Request,
    plan: FundPlanRecord,
    form: dict[str, str],
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    lang = lang_of(request)
    context = {
        "plan": plan,
        "form": form,
        "errors": errors or {},
        "message": message,
        "classifications": [(n, get_classification(n).title) for n in CLASSIFICATIONS],
        "stages": [(s.value, label(s, lang)) for s in Stage],
        "statuses": [(s.value, label(s, lang)) for s in DealStatus],
    }
    return _page(request, "fund_deal_form.html", context, status)


@router.get("/fund/{plan_id}/deals/new")
def new_deal_form(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    plan = editable_plan(db, user, plan_id, lang_of(request))
    form = {name: "" for name in DEAL_FIELDS_ALL} | {
        "classification": DEFAULT_CLASSIFICATION,
        "stage": Stage.seed.value,
        "status": DealStatus.screening.value,
        "visibility": Visibility.private.value,
    }
    return _deal_form(request, plan, form)


def read_deal(form: dict[str, str]) -> DealIn:
    """The deal of a posted form: empty fields are not given (:class:`ValidationError` names each wrong field)."""
    return DealIn.model_validate({name: form[name] for name in DEAL_FIELDS_ALL if form.get(name, "").strip()})


def field_errors(exc: ValidationError, lang: Lang) -> dict[str, str]:
    """The first message per form field of a validation error (an error of the whole deal under ``""``)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        where = str(error["loc"][0]) if error["loc"] else ""
        errors.setdefault(where, reason(error, lang))
    return errors


@router.post("/fund/{plan_id}/deals/new")
async def create_deal(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    plan = editable_plan(db, user, plan_id, lang)
    form = await _fields(request)
    try:
        data = read_deal(form)
    except ValidationError as exc:
        return _deal_form(request, plan, form, errors=field_errors(exc, lang), status=400)
    deal = attempt(
        db,
        lambda: records.add_deal(
            db, user, plan, data, visibility=_visibility(form) or Visibility.private, note=form.get("note", "")
        ),
    )
    if isinstance(deal, RegiolensError):
        message = deal.localised(lang)
        return _deal_form(request, visible_plan(db, user, plan_id), form, message=message, status=400)
    db.commit()
    return RedirectResponse(f"/fund/{plan.id}/deals/{deal.id}?created=1", status_code=303)


@router.get("/fund/{plan_id}/deals/{deal_id}")
def deal_page(
    request: Request, plan_id: int, deal_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    plan = visible_plan(db, user, plan_id)
    deal = visible_deal(db, user, plan, deal_id)
    history = records.deal_history(db, user, deal)
    context = {
        "plan": plan,
        "deal": deal,
        "check": records.stored_check(deal),
        "history": history,
        "names": user_names(db, {e.user_id for e in history}),
        "moves": sorted(TRANSITIONS[deal.status], key=list(DealStatus).index),
        "can_edit": accounts.can_edit(db, user, plan),
        "created": request.query_params.get("created"),
        "classification": get_classification(deal.classification).title,
    }
    return _page(request, "fund_deal.html", context)


# ----------------------------------------------------------------------------------------------- portfolio

PORTFOLIO_COLUMNS = ("group", "key", "label_de", "label_en", "deals", "amount", "companies")


@router.get("/fund/{plan_id}/portfolio")
def portfolio_page(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    plan = visible_plan(db, user, plan_id)
    context = {"plan": plan, "summary": records.portfolio(db, user, plan)}
    return _page(request, "fund_portfolio.html", context)


@router.get("/fund/{plan_id}/portfolio.csv")
def portfolio_csv(plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    """The portfolio's groups (cluster, stage, status) with deals, euros and companies, one row per group."""
    plan = visible_plan(db, user, plan_id)
    summary = records.portfolio(db, user, plan)
    rows = [
        {"group": group, **vars(total)}
        for group, totals in (
            ("cluster", summary.by_cluster),
            ("stage", summary.by_stage),
            ("status", summary.by_status),
        )
        for total in totals
    ]
    return csv_response(rows, PORTFOLIO_COLUMNS, filename(plan.key, "portfolio", date.today().isoformat()) + ".csv")


# ----------------------------------------------------------------------------------------------- projection


def projection_key(plan: FundPlanRecord, paths: int, seed: int) -> tuple[str, int, int]:
    """What a projection depends on: the terms themselves (not the plan's number, so a cached result never outlives
    the terms it was run on), the paths and the seed."""
    return json.dumps(plan.current.terms, sort_keys=True), paths, seed


def run_projection(request: Request, plan: FundPlanRecord, paths: int, seed: int) -> Projection:
    """The projection of the plan's newest terms with ``paths`` and ``seed``, kept in the app's cache."""
    terms = plan_terms(plan)
    key = ("fund-projection", *projection_key(plan, paths, seed))
    result: Projection = request.app.state.warehouse.memo(key, lambda: project(terms, paths=paths, seed=seed))
    return result


def whole(given: str | None, default: int, low: int, high: int, word: str, lang: Lang) -> int:
    """A whole number of the URL in ``low … high`` (``default`` when not given); else :class:`ProjectionInput`."""
    if given is None or not given.strip():
        return default
    try:
        value = int(given.strip())
    except ValueError:
        raise ProjectionInput(t("fund_not_whole", lang, field=t(word, lang), value=given)) from None
    if not low <= value <= high:
        raise ProjectionInput(
            t(
                "fund_out_of_range",
                lang,
                field=t(word, lang),
                low=text.num(low, lang),
                high=text.num(high, lang),
                value=text.num(value, lang),
            )
        )
    return value


class ProjectionInput(ValueError):
    """Paths or seed of the URL that cannot be run: the page says why."""


def projection_query(request: Request) -> tuple[int, int]:
    """``paths`` and ``seed`` of the URL (defaults 10,000 and 1); :class:`ProjectionInput` when out of range."""
    lang = lang_of(request)
    params = request.query_params
    paths = whole(params.get("paths"), DEFAULT_PATHS, MIN_PATHS, MAX_PATHS, "fund_paths", lang)
    seed = whole(params.get("seed"), DEFAULT_SEED, 0, MAX_SEED, "fund_seed", lang)
    return paths, seed


CHARTS = fund_charts.CHARTS

TABLES: dict[str, Callable[[Projection], list[dict[str, Any]]]] = {
    "investors": fund_charts.investor_rows,
    "j-curve": fund_charts.j_curve_rows,
    "outcomes": fund_charts.outcome_rows,
    "takahashi": fund_charts.takahashi_rows,
    "impact": fund_charts.impact_rows,
}
"""The projection's data downloads by URL name: the rows each chart or table is drawn from."""


def _chart_svg(request: Request, plan: FundPlanRecord, result: Projection, chart: str, lang: Lang) -> Markup:
    """The chart inline in the page (rendered once per terms, paths, seed, chart and language)."""
    key = ("fund-chart-svg", *projection_key(plan, result.paths, result.seed), chart, lang)
    svg = request.app.state.warehouse.memo(key, lambda: to_svg(CHARTS[chart](result, lang), lang))
    return labelled_svg(inline_svg(svg, f"fund-{chart}"), fund_charts.chart_title(chart, lang))


@router.get("/fund/{plan_id}/projection")
def projection_page(
    request: Request, plan_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    plan = visible_plan(db, user, plan_id)
    params = request.query_params
    context: dict[str, Any] = {
        "plan": plan,
        "form": {"paths": params.get("paths", str(DEFAULT_PATHS)), "seed": params.get("seed", str(DEFAULT_SEED))},
        "limits": {"min": MIN_PATHS, "max": MAX_PATHS},
        "result": None,
        "error": None,
    }
    try:
        paths, seed = projection_query(request)
    except ProjectionInput as exc:
        return _page(request, "fund_projection.html", context | {"error": str(exc)}, 422)
    result = run_projection(request, plan, paths, seed)
    context |= {
        "result": result,
        "query": {"paths": paths, "seed": seed},
        "charts": {name: _chart_svg(request, plan, result, name, lang) for name in CHARTS},
        "investors": fund_tables.investor_tables(result, lang),
        "impact": fund_tables.impact_table(result, lang),
        "assumptions": fund_tables.assumption_rows(result, lang),
        "sources": sorted({*result.assumptions.sources, *SOURCES.values()}),
    }
    return _page(request, "fund_projection.html", context)


@router.get("/fund/{plan_id}/projection/charts/{chart}.{ext}")
def projection_chart(
    request: Request,
    plan_id: int,
    chart: str,
    ext: str,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    """A projection chart as SVG or PNG (the URL's paths and seed)."""
    lang = lang_of(request)
    plan = visible_plan(db, user, plan_id)
    if chart not in CHARTS or ext not in ("svg", "png"):
        raise HTTPException(404, f"no chart {chart}.{ext}; choose {', '.join(CHARTS)} as svg or png")
    try:
        paths, seed = projection_query(request)
    except ProjectionInput as exc:
        raise HTTPException(422, str(exc)) from None
    result = run_projection(request, plan, paths, seed)
    spec = CHARTS[chart](result, lang)
    name = filename(plan.key, chart, f"{paths}p", f"seed{seed}")
    if ext == "svg":
        return file_response(to_svg(spec, lang), "image/svg+xml", f"{name}.svg")
    return file_response(to_png(spec, lang=lang), "image/png", f"{name}.png")


@router.get("/fund/{plan_id}/projection/data/{table}.csv")
def projection_csv(
    request: Request, plan_id: int, table: str, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """The rows behind a projection chart or table as CSV (the URL's paths and seed)."""
    plan = visible_plan(db, user, plan_id)
    if table not in TABLES:
        raise HTTPException(404, f"no table {table!r}; choose {', '.join(TABLES)}")
    try:
        paths, seed = projection_query(request)
    except ProjectionInput as exc:
        raise HTTPException(422, str(exc)) from None
    rows = TABLES[table](run_projection(request, plan, paths, seed))
    columns = list(rows[0]) if rows else ["name"]
    return csv_response(rows, columns, filename(plan.key, table, f"{paths}p", f"seed{seed}") + ".csv")


REPORT_TYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/fund/{plan_id}/projection/report.{ext}")
def projection_report(
    request: Request, plan_id: int, ext: str, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """The projection as a PDF or XLSX report (the URL's paths and seed; the same run as the page)."""
    lang = lang_of(request)
    plan = visible_plan(db, user, plan_id)
    if ext not in REPORT_TYPES:
        raise HTTPException(404, f"no report as .{ext}; choose pdf or xlsx")
    try:
        paths, seed = projection_query(request)
    except ProjectionInput as exc:
        raise HTTPException(422, str(exc)) from None
    result = run_projection(request, plan, paths, seed)
    name = filename(plan.key, "projection", f"{paths}p", f"seed{seed}") + f".{ext}"
    with tempfile.TemporaryDirectory() as tmp:
        body = write_fund_report(result, Path(tmp) / name, lang).read_bytes()
    return file_response(body, REPORT_TYPES[ext], name)
