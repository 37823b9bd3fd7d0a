"""The knowledge base in the browser: actors, initiatives, exchanges (visits), lessons, search, follow-ups,
attachments, assessments.

Every record is read through :mod:`regiolens.network.records` (scoped by :func:`regiolens.web.accounts.visible`):
another organisation's private record answers 404 exactly like a missing one. Creating, editing and uploading need
the role editor: a new record in an organisation the user is editor of
(:func:`regiolens.network.records.owner_organisation`), a change in the record's own organisation — its viewers
get 403, members of other organisations (who may see a shared record) 404, for there is nothing of theirs to edit.
Every change is kept in the record's history, shown on its page. Forms carry the CSRF token; the forms of all four
kinds are one set of handlers over :data:`regiolens.network.forms.SPECS` (empty rows and the button "add a row"
work without JavaScript, see :mod:`regiolens.network.forms`). A follow-up is marked done (or open again) with a
small form that HTMX posts in place and that works as a plain form post without JavaScript. Attachments are served
with ``Content-Disposition: attachment`` and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile

from regiolens.clusters.registry import list_taxonomies
from regiolens.errors import RegiolensError
from regiolens.network import checklist as checklists
from regiolens.network import forms, records
from regiolens.network.assessment import (
    AssessmentResult,
    assess,
    assessments_for_target,
    get_assessment,
    load_version,
    versions_of,
)
from regiolens.network.attachments import (
    PARENTS,
    AttachmentStore,
    UploadRefused,
    add_attachment,
    attachments_of,
    read_attachment,
)
from regiolens.network.models import (
    Actor,
    ActorKind,
    Exchange,
    ExchangeKind,
    FactKind,
    FollowUp,
    Initiative,
    Lesson,
    Outcome,
)
from regiolens.network.search import search
from regiolens.reports.assessment import write_assessment_report
from regiolens.web import accounts
from regiolens.web.db import User
from regiolens.web.routes.clusters import MAX_ID
from regiolens.web.security import current_user, editable_organisations, get_db
from regiolens.web.templating import lang_of, render
from regiolens.web.words import Lang, t

router = APIRouter(dependencies=[Depends(current_user)])

Model = type[Actor] | type[Initiative] | type[Exchange] | type[Lesson]

PATHS: dict[str, str] = {
    "actor": "/network/actors",
    "initiative": "/network/initiatives",
    "exchange": "/network/exchanges",
    "lesson": "/network/lessons",
}
"""Where the records of each kind live (``<path>/<number>``, ``<path>/new``, ``<path>/<number>/edit``)."""


def store_of(request: Request) -> AttachmentStore:
    """The attachment folder of the app (``<data dir>/attachments``)."""
    return AttachmentStore.in_data_dir(request.app.state.settings.data_dir)


def visible_record(db: Session, user: User, model: Model, record_id: int) -> Any:
    """The record the user may see, else 404 (a private record of another organisation looks missing)."""
    if not 0 < record_id <= MAX_ID:
        raise HTTPException(404, f"no record {record_id}")
    try:
        return records.get(db, user, model, record_id)
    except records.NotFound as exc:
        raise HTTPException(404, str(exc)) from None


def editable_record(db: Session, user: User, model: Model, record_id: int, lang: Lang) -> Any:
    """The record the user may change: 404 unless the user belongs to its organisation, 403 unless as editor."""
    record = visible_record(db, user, model, record_id)
    if accounts.role_in(db, user, record.organisation_id) is None:
        raise HTTPException(404, f"no {records.kind_of(record)} {record_id} of yours to change")
    if not accounts.can_edit(db, user, record):
        raise accounts.PermissionDenied(t("network_editors_only", lang))
    return record


def _invalid(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())


def _message(exc: ValidationError | RegiolensError) -> str:
    return _invalid(exc) if isinstance(exc, ValidationError) else str(exc)


def _organisation_slug(db: Session, user: User, organisation_id: int | None) -> str | None:
    """The slug of the chosen organisation (must be one the user is editor in; else 403)."""
    editable = editable_organisations(db, user)
    if not editable:
        raise accounts.PermissionDenied(t("network_editors_only", "de") + " / " + t("network_editors_only", "en"))
    if organisation_id is None:
        return None
    chosen = next((o for o in editable if o.id == organisation_id), None)
    if chosen is None:
        raise accounts.PermissionDenied(f"you are no editor in organisation {organisation_id}")
    return str(chosen.slug)


async def _form_data(request: Request) -> forms.FormData:
    """The fields of a posted form, each with its values (files are not read here)."""
    async with request.form() as raw:
        return {key: [v for v in raw.getlist(key) if isinstance(v, str)] for key in raw}


# ----------------------------------------------------------------------------------------------- start page, search


@router.get("/network")
def network_page(
    request: Request, q: str = "", db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    query = q.strip()[:200]
    hits = search(db, user, query) if query else []
    context = {
        "nav": "network",
        "q": query,
        "hits": hits,
        "initiatives": records.list_records(db, user, Initiative),
        "exchanges": records.list_records(db, user, Exchange),
        "lessons": records.list_records(db, user, Lesson),
        "actors": records.list_records(db, user, Actor),
        "follow_ups": records.open_follow_ups(db, user),
        "today": date.today(),
        "can_create": bool(editable_organisations(db, user)),
        "paths": PATHS,
    }
    return render(request, "network_index.html", context)


# ----------------------------------------------------------------------------------------------- forms of records


@dataclass(frozen=True)
class Editable:
    """A kind of record with its form, and the functions that create and change it."""

    kind: str
    model: Model
    create: Callable[..., Any]
    update: Callable[..., Any]

    @property
    def spec(self) -> forms.FormSpec:
        return forms.SPECS[self.kind]


EDITABLE: dict[str, Editable] = {
    "actor": Editable("actor", Actor, records.create_actor, records.update_actor),
    "initiative": Editable("initiative", Initiative, records.create_initiative, records.update_initiative),
    "exchange": Editable("exchange", Exchange, records.create_exchange, records.update_exchange),
    "lesson": Editable("lesson", Lesson, records.create_lesson, records.update_lesson),
}


def _choices(items: list[Any], label: Callable[[Any], str]) -> list[tuple[str, str]]:
    return [(str(i.id), label(i)) for i in items]


def _options(db: Session, user: User, kind: str, lang: Lang) -> dict[str, Any]:
    """What the selects of a kind's form offer: the records the user may see, kinds, clusters."""
    actors = _choices(records.list_records(db, user, Actor), lambda a: f"{a.name} ({a.organisation.name})")
    if kind == "actor":
        return {"actors": actors, "kinds": [(str(k), t(f"network_actor_kind_{k}", lang)) for k in ActorKind]}
    initiatives = _choices(records.list_records(db, user, Initiative), lambda i: f"{i.name} ({i.organisation.name})")
    if kind == "initiative":
        clusters = [
            (f"{tax.id}/{c.id}", f"{c.label(lang)} ({tax.id})") for tax in list_taxonomies() for c in tax.clusters
        ]
        facts = [(str(k), t(f"network_fact_{k}", lang)) for k in FactKind]
        return {"actors": actors, "clusters": clusters, "fact_kinds": facts}
    if kind == "exchange":
        kinds = [(str(k), t(f"network_exchange_{k}", lang)) for k in ExchangeKind]
        return {"actors": actors, "initiatives": initiatives, "kinds": kinds}
    exchanges = _choices(records.list_records(db, user, Exchange), lambda e: e.title)
    outcomes = [(str(o), t(f"network_outcome_{o}", lang)) for o in Outcome]
    return {"initiatives": initiatives, "exchanges": exchanges, "outcomes": outcomes}


def _form_page(
    request: Request,
    db: Session,
    user: User,
    kind: str,
    values: forms.Values,
    *,
    record: Any = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    lang = lang_of(request)
    base = PATHS[kind]
    context = {
        "nav": "network",
        "kind": kind,
        "record": record,
        "action": f"{base}/{record.id}/edit" if record is not None else f"{base}/new",
        "organisations": editable_organisations(db, user) if record is None else [],
        "form": values,
        "error": error,
        **_options(db, user, kind, lang),
    }
    return render(request, f"network_{kind}_form.html", context, status)


def _first(form: forms.FormData, name: str) -> str:
    return (form.get(name) or [""])[0]


def _new_form(request: Request, db: Session, user: User, kind: str) -> Response:
    if not editable_organisations(db, user):
        raise accounts.PermissionDenied(t("network_editors_only", lang_of(request)))
    spec = forms.SPECS[kind]
    values = forms.with_blank_rows(spec, forms.empty(spec), "new")
    for name in spec.choices:  # ?initiative=3&exchange=5: the records a new lesson or visit is about
        values[name] = request.query_params.getlist(name.removesuffix("s"))
    return _form_page(request, db, user, kind, values)


async def _create(request: Request, db: Session, user: User, editable: Editable) -> Response:
    form = await _form_data(request)
    chosen = _first(form, "organisation_id")
    organisation = _organisation_slug(db, user, int(chosen) if chosen.isascii() and chosen.isdigit() else None)
    values = {**forms.read(editable.spec, form), "organisation_id": chosen}
    if extra := _first(form, "add_row"):
        values = forms.with_blank_rows(editable.spec, values, extra=extra)
        return _form_page(request, db, user, editable.kind, values)
    try:
        record = editable.create(db, user, forms.to_input(editable.spec, values), organisation=organisation)
    except (ValidationError, RegiolensError) as exc:
        if isinstance(exc, accounts.PermissionDenied):
            raise
        db.rollback()
        return _form_page(request, db, user, editable.kind, values, error=_message(exc), status=400)
    db.commit()
    return RedirectResponse(f"{PATHS[editable.kind]}/{record.id}?created=1", status_code=303)


def _kept(editable: Editable, record: Any) -> dict[str, Any]:
    """The fields of the record's input that its form does not show (an exchange's people): kept as they are."""
    spec = editable.spec
    shown = {*spec.texts, *spec.choices, *spec.words, *spec.rows}
    current: BaseModel = records.as_input(record)
    return current.model_dump(exclude=shown)


def _edit_form(request: Request, db: Session, user: User, editable: Editable, record_id: int) -> Response:
    record = editable_record(db, user, editable.model, record_id, lang_of(request))
    values = forms.with_blank_rows(editable.spec, forms.write(editable.spec, records.as_input(record)), "edit")
    return _form_page(request, db, user, editable.kind, values, record=record)


async def _update(request: Request, db: Session, user: User, editable: Editable, record_id: int) -> Response:
    record = editable_record(db, user, editable.model, record_id, lang_of(request))
    form = await _form_data(request)
    values = forms.read(editable.spec, form)
    if extra := _first(form, "add_row"):
        values = forms.with_blank_rows(editable.spec, values, extra=extra)
        return _form_page(request, db, user, editable.kind, values, record=record)
    try:
        data = forms.to_input(editable.spec, values, keep=_kept(editable, record))
        editable.update(db, user, record, data)
    except (ValidationError, RegiolensError) as exc:
        if isinstance(exc, accounts.PermissionDenied):
            raise
        db.rollback()
        record = visible_record(db, user, editable.model, record_id)
        return _form_page(request, db, user, editable.kind, values, record=record, error=_message(exc), status=400)
    db.commit()
    return RedirectResponse(f"{PATHS[editable.kind]}/{record_id}?saved=1", status_code=303)


def _register(editable: Editable) -> None:
    """The handlers of one kind: new form, create, the record's page, edit form, change (``new`` before the page,
    whose number would not take it)."""
    base = PATHS[editable.kind]

    def page(
        request: Request, record_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
    ) -> Response:
        return _record_page(request, db, user, visible_record(db, user, editable.model, record_id))

    def new_form(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
        return _new_form(request, db, user, editable.kind)

    async def create(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
        return await _create(request, db, user, editable)

    def edit_form(
        request: Request, record_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
    ) -> Response:
        return _edit_form(request, db, user, editable, record_id)

    async def update(
        request: Request, record_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
    ) -> Response:
        return await _update(request, db, user, editable, record_id)

    router.add_api_route(f"{base}/new", new_form, methods=["GET"], name=f"new_{editable.kind}")
    router.add_api_route(f"{base}/new", create, methods=["POST"], name=f"create_{editable.kind}")
    router.add_api_route(f"{base}/{{record_id}}", page, methods=["GET"], name=f"{editable.kind}_page")
    router.add_api_route(f"{base}/{{record_id}}/edit", edit_form, methods=["GET"], name=f"edit_{editable.kind}")
    router.add_api_route(f"{base}/{{record_id}}/edit", update, methods=["POST"], name=f"update_{editable.kind}")


# ----------------------------------------------------------------------------------------------- record pages

FIELD_WORDS: dict[str, str] = {
    "key": "slug",
    "name": "name",
    "title": "network_exchange_title",
    "kind": "network_exchange_kind",
    "region": "region",
    "website": "network_website",
    "summary": "network_summary",
    "notes": "network_notes",
    "members": "network_members",
    "facts": "network_facts",
    "tags": "network_tags",
    "visibility": "visibility",
    "example": "network_example",
    "date": "network_date",
    "place": "network_place",
    "topics": "network_topics",
    "findings": "network_findings",
    "people": "network_people",
    "parties": "network_parties",
    "initiatives": "network_initiatives",
    "exchanges": "network_exchanges",
    "follow_ups": "network_follow_ups",
    "outcome": "network_outcome",
    "what_worked": "network_what_worked",
    "what_failed": "network_what_failed",
    "preconditions": "network_preconditions",
}
"""The page word of each field a history entry names."""

VALUE_WORDS: dict[str, str] = {"visibility": "visibility_", "outcome": "network_outcome_"}
"""Fields whose values are codes with page words (``visibility_network``)."""

SHOWN_LENGTH = 80
"""Old and new values of a change are shown when both are this short (names, dates, codes); longer texts and
lists are only named."""


def _value(kind: str, name: str, value: Any, lang: Lang) -> str:
    if value is None or value == "":
        return "–"
    if name in VALUE_WORDS:
        return t(f"{VALUE_WORDS[name]}{value}", lang)
    if name == "kind":
        return t(f"network_{'actor_kind' if kind == 'actor' else 'exchange'}_{value}", lang)
    return str(value)


def _history(db: Session, user: User, record: Any, lang: Lang) -> list[dict[str, Any]]:
    """The record's changes for its page: when, by whom, what (old → new where both are short)."""
    kind = records.kind_of(record)
    entries = records.record_history(db, user, record)
    ids = {e.user_id for e in entries if e.user_id is not None}
    names = {u.id: u.name for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    out = []
    for entry in entries:
        changes = []
        for name, change in entry.changes.items():
            old, new = change.get("old"), change.get("new")
            short = all(not isinstance(v, list | dict) and len(str(v or "")) <= SHOWN_LENGTH for v in (old, new))
            shown = (_value(kind, name, old, lang), _value(kind, name, new, lang)) if short else None
            changes.append({"field": t(FIELD_WORDS.get(name, name), lang), "old_new": shown})
        if entry.action == "create":
            changes = []  # a creation is the record itself, shown above
        who = names.get(entry.user_id or 0, "–")
        out.append({"at": entry.at, "who": who, "action": entry.action, "changes": changes})
    return out


def _page_context(request: Request, db: Session, user: User, record: Any, upload_error: str | None) -> dict[str, Any]:
    kind = records.kind_of(record)
    context: dict[str, Any] = {
        "nav": "network",
        "record": record,
        "kind": kind,
        "record_path": PATHS[kind],
        "can_edit": accounts.can_edit(db, user, record),
        "history": _history(db, user, record, lang_of(request)),
        "created": request.query_params.get("created"),
        "saved": request.query_params.get("saved"),
        "upload_error": upload_error,
    }
    if kind != "actor":
        context["attachments"] = attachments_of(db, user, kind, record.id)
    return context


def _record_page(
    request: Request, db: Session, user: User, record: Any, upload_error: str | None = None, status: int = 200
) -> Response:
    """The page of any record (the upload form shows ``upload_error`` above it)."""
    context = _page_context(request, db, user, record, upload_error)
    if isinstance(record, Initiative):
        actors = records.visible_actor_names(db, user, (f.actor_id for f in record.facts))
        context |= {
            "facts": [{"fact": f, "actor": actors.get(f.actor_id or 0)} for f in record.facts],
            "exchanges": records.exchanges_about(db, user, record),
            "lessons": records.lessons_about(db, user, record),
        }
    elif isinstance(record, Exchange):
        context |= {
            "parties": records.exchange_parties_of(db, user, record),
            "initiatives": records.exchange_initiatives_of(db, user, record),
            "today": date.today(),
        }
    elif isinstance(record, Lesson):
        context |= {
            "initiatives": records.lesson_initiatives_of(db, user, record),
            "exchanges": records.lesson_exchanges_of(db, user, record),
        }
    else:
        context["members"] = records.actor_members_of(db, user, record)
    return render(request, f"network_{context['kind']}.html", context, status)


for _editable in EDITABLE.values():
    _register(_editable)


# ----------------------------------------------------------------------------------------------- follow-ups


@router.post("/network/follow-ups/{follow_up_id}/done")
async def follow_up_done(
    request: Request, follow_up_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Mark a follow-up done (``done=1``) or open again (``done=0``): the row again for HTMX, else the exchange."""
    follow_up = db.get(FollowUp, follow_up_id) if 0 < follow_up_id <= MAX_ID else None
    if follow_up is None:
        raise HTTPException(404, f"no follow-up {follow_up_id}")
    exchange = editable_record(db, user, Exchange, follow_up.exchange_id, lang_of(request))
    done = _first(await _form_data(request), "done") != "0"
    records.set_follow_up_done(db, user, follow_up.id, done)
    db.commit()
    if request.headers.get("hx-request"):
        context = {"f": follow_up, "can_edit": True, "today": date.today()}
        return render(request, "network_follow_up_row.html", context)
    return RedirectResponse(f"{PATHS['exchange']}/{exchange.id}#follow-ups", status_code=303)


# ----------------------------------------------------------------------------------------------- attachments


@router.post("/network/{kind}s/{record_id}/attachments")
async def upload(
    request: Request, kind: str, record_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    if kind not in PARENTS:
        raise HTTPException(404, f"no records of kind {kind!r}")
    record = visible_record(db, user, PARENTS[kind], record_id)
    if not accounts.can_edit(db, user, record):
        raise accounts.PermissionDenied(t("network_editors_only", lang_of(request)))
    async with request.form() as form:
        file = form.get("file")
        if not isinstance(file, StarletteUploadFile) or not file.filename:
            message = t("no_file", lang_of(request))
            filename, data = "", b""
        else:
            message, filename, data = "", file.filename, await file.read()
    if not message:
        try:
            add_attachment(db, user, store_of(request), record, filename, data)
        except UploadRefused as exc:
            db.rollback()
            message = str(exc)
    if message:  # the record's page again, with the reason above the upload form
        return _record_page(request, db, user, record, message, 400)
    db.commit()
    return RedirectResponse(f"{PATHS[kind]}/{record_id}#attachments", status_code=303)


@router.get("/network/attachments/{attachment_id}")
def download(
    request: Request, attachment_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    if not 0 < attachment_id <= MAX_ID:
        raise HTTPException(404, f"no attachment {attachment_id}")
    try:
        attachment, data = read_attachment(db, user, store_of(request), attachment_id)
    except RegiolensError as exc:  # missing and private look the same
        raise HTTPException(404, str(exc)) from None
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in attachment.filename)
    return Response(
        data,
        media_type=attachment.media_type,
        # X-Content-Type-Options: nosniff is set on every answer by the app's LanguageMiddleware
        headers={"Content-Disposition": f'attachment; filename="{safe or "attachment"}"'},
    )


# ----------------------------------------------------------------------------------------------- assessments


def _assess_form(db: Session, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "nav": "network",
        "initiatives": records.list_records(db, user, Initiative),
        "checklist": checklists.default_checklist(),
        "components": checklists.COMPONENTS,
        "answers": ["unknown", "yes", "partly", "no"],
        "form": {"initiative": "", "target": "emscher-lippe"},
        "error": None,
        **extra,
    }


@router.get("/network/assess")
def assess_form(
    request: Request, initiative: str = "", db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    context = _assess_form(db, user)
    context["form"]["initiative"] = initiative
    return render(request, "network_assess.html", context)


def _number(text: str, what: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise RegiolensError(f"{what}: {text!r} is no number") from None
    if not 0 <= value <= 100:
        raise RegiolensError(f"{what}: {value} lies outside 0 … 100")
    return value


@router.post("/network/assess")
async def run_assessment(
    request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    async with request.form() as raw:
        fields = {k: v for k, v in raw.items() if isinstance(v, str)}
    form = {"initiative": fields.get("initiative", ""), "target": fields.get("target", "").strip()}
    defaults = checklists.default_checklist()
    can_save = bool(editable_organisations(db, user))
    try:
        if not form["initiative"]:
            raise RegiolensError(t("choose_initiative", lang_of(request)))
        initiative = visible_record(
            db, user, Initiative, int(form["initiative"]) if form["initiative"].isdigit() else 0
        )
        answers = {i.key: fields.get(f"answer_{i.key}", "unknown") for i in defaults.items}
        item_weights = {
            i.key: _number(fields[f"weight_{i.key}"], i.key) for i in defaults.items if fields.get(f"weight_{i.key}")
        }
        notes = {i.key: fields[f"note_{i.key}"] for i in defaults.items if fields.get(f"note_{i.key}")}
        filled = checklists.fill(defaults, answers, notes=notes, weights=item_weights)
        weights = {
            c: _number(fields[f"component_{c}"], c) for c in checklists.COMPONENTS if fields.get(f"component_{c}")
        }
        with request.app.state.warehouse.read() as wh:
            result = assess(db, wh, user, initiative, form["target"], checklist=filled, weights=weights, save=can_save)
    except RegiolensError as exc:
        if isinstance(exc, accounts.PermissionDenied):
            raise
        db.rollback()
        return render(request, "network_assess.html", _assess_form(db, user, form=form, error=str(exc)), 400)
    if result.assessment_id is None:  # a viewer: shown, not saved
        return render(request, "network_assessment.html", _result_context(db, user, result))
    db.commit()
    return RedirectResponse(f"/network/assessments/{result.assessment_id}?version={result.version}", status_code=303)


def _result_context(db: Session, user: User, result: AssessmentResult) -> dict[str, Any]:
    versions = versions_of(db, user, result.assessment_id) if result.assessment_id is not None else []
    return {
        "nav": "network",
        "result": result,
        "versions": versions,
        "side": [r for r in result.side_by_side if r.strong_origin or r.strong_target],
    }


def _saved(db: Session, user: User, assessment_id: int, version: int | None) -> AssessmentResult:
    if not 0 < assessment_id <= MAX_ID:
        raise HTTPException(404, f"no assessment {assessment_id}")
    try:
        get_assessment(db, user, assessment_id)
    except RegiolensError as exc:
        raise HTTPException(404, str(exc)) from None
    return load_version(db, user, assessment_id, version)


@router.get("/network/assessments/{assessment_id}")
def assessment_page(
    request: Request,
    assessment_id: int,
    version: int | None = None,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    result = _saved(db, user, assessment_id, version)
    return render(request, "network_assessment.html", _result_context(db, user, result))


@router.get("/network/assessments/{assessment_id}/report.pdf")
def assessment_pdf(
    request: Request,
    assessment_id: int,
    version: int | None = None,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    result = _saved(db, user, assessment_id, version)
    with tempfile.TemporaryDirectory() as folder:
        out = write_assessment_report(result, Path(folder) / "assessment.pdf", lang_of(request))
        content = out.read_bytes()
    name = f"{result.initiative_key}_{result.target.ref}_{date.today().isoformat()}.pdf"
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{safe}"'}
    )


@router.get("/network/assessments")
def assessments_page(
    request: Request, target: str = "emscher-lippe", db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    target = target.strip()[:100]
    context = {"nav": "network", "target": target, "rows": assessments_for_target(db, user, target)}
    return render(request, "network_assessments.html", context)
