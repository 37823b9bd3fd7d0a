"""Cluster taxonomies: browse the built-in ones, and the organisations' own (editors create, edit and delete them).

Organisation taxonomies are read only through :func:`regiolens.web.accounts.visible` — the one scoping rule:
a user sees their organisations' taxonomies and those their networks share, never another organisation's
private one. Creating and editing check a form with one function (:func:`validate_form`); every change is audited.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from regiolens.classifications import classification_names, get_classification
from regiolens.clusters.registry import BUILTIN, builtin_taxonomy
from regiolens.errors import RegiolensError
from regiolens.web import accounts
from regiolens.web.db import NAME_LENGTH, Role, Taxonomy, User, Visibility
from regiolens.web.security import current_user, editable_organisations, get_db
from regiolens.web.templating import lang_of, render
from regiolens.web.words import t

router = APIRouter(dependencies=[Depends(current_user)])

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
CLUSTER_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


class DefinitionError(RegiolensError):
    """A line of a taxonomy definition that cannot be read; names the line."""


def parse_definition(textarea: str, classification: str) -> list[dict[str, Any]]:
    """``id | Name de | Name en | code, code`` per line → the ``definition`` list of :class:`Taxonomy`.

    Codes are checked against ``classification`` and stored in its canonical spelling.
    """
    tree = get_classification(classification)
    clusters: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(textarea.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4:
            raise DefinitionError(f"line {number}: expected 4 fields separated by '|', found {len(parts)}")
        cid, label_de, label_en, codes_text = parts
        if not CLUSTER_ID.fullmatch(cid):
            raise DefinitionError(f"line {number}: cluster id {cid!r}: lower-case letters, digits, '-' and '_'")
        if cid in seen:
            raise DefinitionError(f"line {number}: cluster id {cid!r} appears twice")
        seen.add(cid)
        if not label_de and not label_en:
            raise DefinitionError(f"line {number}: the cluster needs a name")
        codes = []
        for raw in (c.strip() for c in codes_text.split(",")):
            if not raw:
                continue
            try:
                codes.append(tree.normalise(raw))
            except RegiolensError as exc:
                raise DefinitionError(f"line {number}, code {raw!r}: {exc}") from None
        if not codes:
            raise DefinitionError(f"line {number}: the cluster {cid!r} has no codes")
        clusters.append({"id": cid, "label_de": label_de or label_en, "label_en": label_en or label_de, "codes": codes})
    if not clusters:
        raise DefinitionError("the taxonomy needs at least one cluster line")
    return clusters


def definition_text(clusters: list[dict[str, Any]]) -> str:
    """The ``definition`` list as the lines :func:`parse_definition` reads (the edit form's text)."""
    return "\n".join(f"{c['id']} | {c['label_de']} | {c['label_en']} | {', '.join(c['codes'])}" for c in clusters)


def validate_form(name: str, classification: str, visibility: str, definition: str) -> list[dict[str, Any]]:
    """The clusters of a taxonomy form (creation and edit); :class:`DefinitionError` naming the field or line."""
    if not name.strip():
        raise DefinitionError("the taxonomy needs a name")
    if len(name.strip()) > NAME_LENGTH:
        raise DefinitionError(f"the taxonomy name may have at most {NAME_LENGTH} characters")
    if classification not in classification_names():
        raise DefinitionError(f"unknown classification {classification!r}")
    if visibility not in {v.value for v in Visibility}:
        raise DefinitionError(f"unknown visibility {visibility!r}")
    return parse_definition(definition, classification)


def _visible_taxonomies(db: Session, user: User) -> list[Taxonomy]:
    return list(db.scalars(accounts.visible(db, user, Taxonomy).order_by(Taxonomy.name, Taxonomy.id)))


@router.get("/clusters")
def clusters_page(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    builtin = [builtin_taxonomy(name) for name in BUILTIN]
    own = _visible_taxonomies(db, user)
    context = {
        "nav": "clusters",
        "builtin": builtin,
        "own": own,
        "can_create": bool(editable_organisations(db, user)),
        "created": request.query_params.get("created"),
        "deleted": request.query_params.get("deleted"),
    }
    return render(request, "clusters.html", context)


@router.get("/clusters/builtin/{taxonomy_id}")
def builtin_page(request: Request, taxonomy_id: str, classification: str | None = None) -> Response:
    if taxonomy_id not in BUILTIN:
        raise HTTPException(404, f"no built-in taxonomy {taxonomy_id!r}")
    taxonomy = builtin_taxonomy(taxonomy_id)
    chosen = classification or taxonomy.classification
    if chosen not in classification_names():
        raise RegiolensError(f"unknown classification {chosen!r}; known: {', '.join(classification_names())}")
    lang = lang_of(request)
    tree = get_classification(chosen)
    rows = []
    for cluster in taxonomy.clusters:
        definition = taxonomy.definition(cluster.id, chosen)
        codes = []
        for code in definition.codes:
            try:
                code_label = tree.label(code.code, lang)
            except RegiolensError:
                code_label = ""
            codes.append({"code": code, "label": code_label})
        rows.append({"cluster": cluster, "definition": definition, "codes": codes})
    context = {
        "nav": "clusters",
        "taxonomy": taxonomy,
        "classification": chosen,
        "classifications": taxonomy.classifications(),
        "rows": rows,
    }
    return render(request, "taxonomy_builtin.html", context)


def _creation_context(db: Session, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "nav": "clusters",
        "organisations": editable_organisations(db, user),
        "classifications": classification_names(),
        "form": {"slug": "", "name": "", "classification": "wz2008", "visibility": "private", "definition": ""},
        "error": None,
        **extra,
    }


@router.get("/clusters/new")
def new_form(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    if not editable_organisations(db, user):
        raise accounts.PermissionDenied(t("editors_create", lang_of(request)))
    return render(request, "taxonomy_new.html", _creation_context(db, user))


@router.post("/clusters/new")
def create(
    request: Request,
    organisation_id: int = Form(...),
    slug: str = Form(""),
    name: str = Form(""),
    classification: str = Form("wz2008"),
    visibility: str = Form("private"),
    definition: str = Form(""),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    accounts.require_role(db, user, organisation_id, Role.editor)
    form = {
        "slug": slug,
        "name": name,
        "classification": classification,
        "visibility": visibility,
        "definition": definition,
        "organisation_id": organisation_id,
    }
    try:
        slug = slug.strip()
        if not SLUG.fullmatch(slug):
            raise DefinitionError(f"short name {slug!r}: lower-case letters, digits and inner hyphens, at most 64")
        clusters = validate_form(name, classification, visibility, definition)
        exists = db.scalar(
            select(Taxonomy.id).where(Taxonomy.organisation_id == organisation_id, Taxonomy.slug == slug)
        )
        if exists is not None:
            raise DefinitionError(f"your organisation has a taxonomy {slug!r} already")
        record = Taxonomy(
            organisation_id=organisation_id,
            visibility=Visibility(visibility),
            created_by=user.id,
            slug=slug,
            name=name.strip(),
            classification=classification,
            definition=clusters,
        )
        db.add(record)
        db.flush()
    except (DefinitionError, IntegrityError) as exc:
        db.rollback()
        message = str(exc) if isinstance(exc, DefinitionError) else "a taxonomy of that short name exists already"
        return render(request, "taxonomy_new.html", _creation_context(db, user, form=form, error=message), 400)
    accounts.audit(
        db,
        user,
        "create",
        "taxonomy",
        record.id,
        {"slug": slug, "name": record.name, "clusters": len(clusters), "visibility": visibility},
        organisation_id,
    )
    db.commit()
    return RedirectResponse(f"/clusters/org/{record.id}?created=1", status_code=303)


MAX_ID = 2**31 - 1
"""The largest record id the app database can hold (PostgreSQL ``integer``): larger numbers name no record."""


def _visible_record(db: Session, user: User, taxonomy_id: int) -> Taxonomy:
    """The organisation taxonomy if the user may see it; 404 otherwise."""
    record = None
    if 0 < taxonomy_id <= MAX_ID:  # a larger number would overflow the database's integer (a server error)
        record = db.scalar(accounts.visible(db, user, Taxonomy).where(Taxonomy.id == taxonomy_id))
    if record is None:  # another organisation's private taxonomy looks exactly like a missing one
        raise HTTPException(404, f"no taxonomy {taxonomy_id}")
    return record


def _editable_record(request: Request, db: Session, user: User, taxonomy_id: int) -> Taxonomy:
    """The organisation taxonomy if the user is an editor of its organisation; 404 when unseen, else 403."""
    record = _visible_record(db, user, taxonomy_id)
    if not accounts.can_edit(db, user, record):
        raise accounts.PermissionDenied(t("editors_edit", lang_of(request)))
    return record


@router.get("/clusters/org/{taxonomy_id}")
def org_page(
    request: Request, taxonomy_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    record = _visible_record(db, user, taxonomy_id)
    lang = lang_of(request)
    tree = get_classification(record.classification)

    def code_label(code: str) -> str:
        try:
            return tree.label(code, lang)
        except RegiolensError:
            return ""

    context = {
        "nav": "clusters",
        "record": record,
        "clusters": [
            {**c, "labels": [(code, code_label(code)) for code in c.get("codes", [])]} for c in record.definition
        ],
        "can_edit": accounts.can_edit(db, user, record),
        "created": request.query_params.get("created"),
        "updated": request.query_params.get("updated"),
    }
    return render(request, "taxonomy_org.html", context)


def _edit_page(
    request: Request, record: Taxonomy, form: dict[str, str] | None = None, error: str | None = None, status: int = 200
) -> Response:
    form = form or {
        "name": record.name,
        "visibility": str(record.visibility),
        "definition": definition_text(record.definition),
    }
    context = {
        "nav": "clusters",
        "record": record,
        "form": form,
        "error": error,
        "cluster_deleted": request.query_params.get("cluster_deleted"),
    }
    return render(request, "taxonomy_edit.html", context, status)


@router.get("/clusters/org/{taxonomy_id}/edit")
def edit_form(
    request: Request, taxonomy_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    return _edit_page(request, _editable_record(request, db, user, taxonomy_id))


def _changes(record: Taxonomy, name: str, visibility: str, clusters: list[dict[str, Any]]) -> dict[str, Any]:
    """What an edit changes, for the audit log: the name, the visibility and the ids of the clusters."""
    before = {c["id"]: c for c in record.definition}
    after = {c["id"]: c for c in clusters}
    detail: dict[str, Any] = {
        "slug": record.slug,
        "added": [cid for cid in after if cid not in before],
        "removed": [cid for cid in before if cid not in after],
        "changed": [cid for cid in after if cid in before and after[cid] != before[cid]],
    }
    if name != record.name:
        detail |= {"name": name, "previous_name": record.name}
    if visibility != record.visibility:
        detail |= {"visibility": visibility, "previous_visibility": str(record.visibility)}
    return detail


@router.post("/clusters/org/{taxonomy_id}/edit")
def update(
    request: Request,
    taxonomy_id: int,
    name: str = Form(""),
    visibility: str = Form("private"),
    definition: str = Form(""),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    record = _editable_record(request, db, user, taxonomy_id)
    form = {"name": name, "visibility": visibility, "definition": definition}
    try:
        clusters = validate_form(name, record.classification, visibility, definition)
    except DefinitionError as exc:
        return _edit_page(request, record, form, exc.localised(lang_of(request)), 400)
    detail = _changes(record, name.strip(), visibility, clusters)
    record.name = name.strip()
    record.visibility = Visibility(visibility)
    record.definition = clusters
    db.flush()
    accounts.audit(db, user, "update", "taxonomy", record.id, detail, record.organisation_id)
    db.commit()
    return RedirectResponse(f"/clusters/org/{record.id}?updated=1", status_code=303)


@router.post("/clusters/org/{taxonomy_id}/clusters/{cluster_id}/delete")
def delete_cluster(
    request: Request,
    taxonomy_id: int,
    cluster_id: str,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    record = _editable_record(request, db, user, taxonomy_id)
    remaining = [c for c in record.definition if c["id"] != cluster_id]
    if len(remaining) == len(record.definition):
        raise HTTPException(404, f"no cluster {cluster_id!r} in taxonomy {record.slug!r}")
    if not remaining:
        return _edit_page(request, record, error=t("last_cluster", lang_of(request)), status=400)
    record.definition = remaining
    db.flush()
    detail = {"slug": record.slug, "cluster": cluster_id}
    accounts.audit(db, user, "delete_cluster", "taxonomy", record.id, detail, record.organisation_id)
    db.commit()
    return RedirectResponse(f"/clusters/org/{record.id}/edit?cluster_deleted={cluster_id}", status_code=303)


@router.post("/clusters/org/{taxonomy_id}/delete")
def delete(
    request: Request,
    taxonomy_id: int,
    confirm: str = Form(""),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    record = _editable_record(request, db, user, taxonomy_id)
    if confirm != "yes":
        return _edit_page(request, record, error=t("confirm_delete_needed", lang_of(request)), status=400)
    detail = {"slug": record.slug, "name": record.name, "clusters": len(record.definition)}
    record_id, organisation_id = record.id, record.organisation_id
    db.delete(record)
    db.flush()
    accounts.audit(db, user, "delete", "taxonomy", record_id, detail, organisation_id)
    db.commit()
    return RedirectResponse("/clusters?deleted=1", status_code=303)
