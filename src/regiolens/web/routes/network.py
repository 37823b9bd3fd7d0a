"""The knowledge base in the browser: initiatives, exchanges (visits), lessons, search, attachments, assessments.

Every record is read through :mod:`regiolens.network.records` (scoped by :func:`regiolens.web.accounts.visible`):
another organisation's private record answers 404 exactly like a missing one. Creating and uploading need the role
editor (:func:`regiolens.network.records.owner_organisation`); forms carry the CSRF token. Attachments are served
with ``Content-Disposition: attachment`` and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile

from regiolens.errors import RegiolensError
from regiolens.network import checklist as checklists
from regiolens.network import records
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
from regiolens.network.inputs import ExchangeIn, InitiativeIn
from regiolens.network.models import Exchange, ExchangeKind, Initiative, Lesson
from regiolens.network.search import SEARCHABLE, search
from regiolens.reports.assessment import write_assessment_report
from regiolens.web import accounts
from regiolens.web.db import User
from regiolens.web.routes.clusters import MAX_ID
from regiolens.web.security import current_user, editable_organisations, get_db
from regiolens.web.templating import lang_of, render
from regiolens.web.words import t

router = APIRouter(dependencies=[Depends(current_user)])

Model = type[Initiative] | type[Exchange] | type[Lesson]


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


def _words(text: str) -> list[str]:
    """Comma- or line-separated entries of a form field, stripped, without empty ones."""
    return [w.strip() for part in text.splitlines() for w in part.split(",") if w.strip()]


def _invalid(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())


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


# ----------------------------------------------------------------------------------------------- lists, search


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
        "can_create": bool(editable_organisations(db, user)),
        "paths": {kind: _path(kind) for kind in SEARCHABLE},
    }
    return render(request, "network_index.html", context)


def _path(kind: str) -> str:
    return {"initiative": "/network/initiatives", "exchange": "/network/exchanges", "lesson": "/network/lessons"}[kind]


# ----------------------------------------------------------------------------------------------- initiatives


def _initiative_form(db: Session, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "nav": "network",
        "organisations": editable_organisations(db, user),
        "form": {
            "key": "",
            "name": "",
            "region": "",
            "summary": "",
            "website": "",
            "tags": "",
            "visibility": "private",
        },
        "error": None,
        **extra,
    }


@router.get("/network/initiatives/new")
def new_initiative(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    if not editable_organisations(db, user):
        raise accounts.PermissionDenied(t("network_editors_only", lang_of(request)))
    return render(request, "network_initiative_new.html", _initiative_form(db, user))


@router.post("/network/initiatives/new")
def create_initiative(
    request: Request,
    organisation_id: int | None = Form(None),
    key: str = Form(""),
    name: str = Form(""),
    region: str = Form(""),
    summary: str = Form(""),
    website: str = Form(""),
    tags: str = Form(""),
    visibility: str = Form("private"),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    organisation = _organisation_slug(db, user, organisation_id)
    form = {
        "organisation_id": organisation_id,
        "key": key,
        "name": name,
        "region": region,
        "summary": summary,
        "website": website,
        "tags": tags,
        "visibility": visibility,
    }
    try:
        data = InitiativeIn.model_validate(
            {
                "key": key.strip(),
                "name": name,
                "region": region.strip() or None,
                "summary": summary,
                "website": website.strip() or None,
                "tags": _words(tags),
                "visibility": visibility,
            }
        )
        record = records.create_initiative(db, user, data, organisation=organisation)
    except (ValidationError, RegiolensError) as exc:
        if isinstance(exc, accounts.PermissionDenied):
            raise
        db.rollback()
        message = _invalid(exc) if isinstance(exc, ValidationError) else str(exc)
        return render(request, "network_initiative_new.html", _initiative_form(db, user, form=form, error=message), 400)
    db.commit()
    return RedirectResponse(f"/network/initiatives/{record.id}?created=1", status_code=303)


@router.get("/network/initiatives/{initiative_id}")
def initiative_page(
    request: Request, initiative_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    return _initiative_page(request, db, user, visible_record(db, user, Initiative, initiative_id))


def _initiative_page(
    request: Request, db: Session, user: User, record: Initiative, upload_error: str | None = None, status: int = 200
) -> Response:
    actors = records.visible_actor_names(db, user, (f.actor_id for f in record.facts))
    context = {
        "nav": "network",
        "record": record,
        "facts": [{"fact": f, "actor": actors.get(f.actor_id or 0)} for f in record.facts],
        "exchanges": records.exchanges_about(db, user, record),
        "lessons": records.lessons_about(db, user, record),
        "attachments": attachments_of(db, user, "initiative", record.id),
        "can_edit": accounts.can_edit(db, user, record),
        "kind": "initiative",
        "created": request.query_params.get("created"),
        "upload_error": upload_error,
    }
    return render(request, "network_initiative.html", context, status)


# ----------------------------------------------------------------------------------------------- exchanges


def _exchange_form(db: Session, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "nav": "network",
        "organisations": editable_organisations(db, user),
        "initiatives": records.list_records(db, user, Initiative),
        "kinds": [str(k) for k in ExchangeKind],
        "form": {
            "key": "",
            "title": "",
            "kind": "visit",
            "date": "",
            "place": "",
            "initiatives": [],
            "topics": "",
            "findings": "",
            "follow_up_task": "",
            "follow_up_owner": "",
            "follow_up_due": "",
            "visibility": "private",
        },
        "error": None,
        **extra,
    }


@router.get("/network/exchanges/new")
def new_exchange(
    request: Request, initiative: int | None = None, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    if not editable_organisations(db, user):
        raise accounts.PermissionDenied(t("network_editors_only", lang_of(request)))
    context = _exchange_form(db, user)
    if initiative is not None:
        context["form"]["initiatives"] = [str(initiative)]
    return render(request, "network_exchange_new.html", context)


@router.post("/network/exchanges/new")
async def create_exchange(
    request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    async with request.form() as raw:
        fields = {k: v for k, v in raw.items() if isinstance(v, str)}
        chosen = [v for v in raw.getlist("initiatives") if isinstance(v, str) and v]
    organisation_id = fields.get("organisation_id", "")
    organisation = _organisation_slug(
        db, user, int(organisation_id) if organisation_id.isascii() and organisation_id.isdigit() else None
    )
    form = {**_exchange_form(db, user)["form"], **fields, "initiatives": chosen}
    try:
        follow_ups = []
        if fields.get("follow_up_task", "").strip():
            follow_ups.append(
                {
                    "task": fields["follow_up_task"],
                    "owner": fields.get("follow_up_owner", "").strip() or None,
                    "due": fields.get("follow_up_due") or None,
                }
            )
        data = ExchangeIn.model_validate(
            {
                "key": fields.get("key", "").strip(),
                "title": fields.get("title", ""),
                "kind": fields.get("kind", "visit"),
                "date": fields.get("date") or None,
                "place": fields.get("place", "").strip() or None,
                "initiatives": chosen,
                "topics": _words(fields.get("topics", "")),
                "findings": fields.get("findings", ""),
                "follow_ups": follow_ups,
                "visibility": fields.get("visibility", "private"),
            }
        )
        record = records.create_exchange(db, user, data, organisation=organisation)
    except (ValidationError, RegiolensError) as exc:
        if isinstance(exc, accounts.PermissionDenied):
            raise
        db.rollback()
        message = _invalid(exc) if isinstance(exc, ValidationError) else str(exc)
        return render(request, "network_exchange_new.html", _exchange_form(db, user, form=form, error=message), 400)
    db.commit()
    return RedirectResponse(f"/network/exchanges/{record.id}?created=1", status_code=303)


@router.get("/network/exchanges/{exchange_id}")
def exchange_page(
    request: Request, exchange_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    return _exchange_page(request, db, user, visible_record(db, user, Exchange, exchange_id))


def _exchange_page(
    request: Request, db: Session, user: User, record: Exchange, upload_error: str | None = None, status: int = 200
) -> Response:
    context = {
        "nav": "network",
        "record": record,
        "parties": records.exchange_parties_of(db, user, record),
        "initiatives": records.exchange_initiatives_of(db, user, record),
        "attachments": attachments_of(db, user, "exchange", record.id),
        "can_edit": accounts.can_edit(db, user, record),
        "kind": "exchange",
        "created": request.query_params.get("created"),
        "upload_error": upload_error,
    }
    return render(request, "network_exchange.html", context, status)


@router.get("/network/lessons/{lesson_id}")
def lesson_page(
    request: Request, lesson_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    return _lesson_page(request, db, user, visible_record(db, user, Lesson, lesson_id))


def _lesson_page(
    request: Request, db: Session, user: User, record: Lesson, upload_error: str | None = None, status: int = 200
) -> Response:
    context = {
        "nav": "network",
        "record": record,
        "initiatives": records.lesson_initiatives_of(db, user, record),
        "exchanges": records.lesson_exchanges_of(db, user, record),
        "attachments": attachments_of(db, user, "lesson", record.id),
        "can_edit": accounts.can_edit(db, user, record),
        "kind": "lesson",
        "upload_error": upload_error,
    }
    return render(request, "network_lesson.html", context, status)


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
        if isinstance(record, Initiative):
            return _initiative_page(request, db, user, record, message, 400)
        if isinstance(record, Exchange):
            return _exchange_page(request, db, user, record, message, 400)
        return _lesson_page(request, db, user, record, message, 400)
    db.commit()
    return RedirectResponse(f"{_path(kind)}/{record_id}#attachments", status_code=303)


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
