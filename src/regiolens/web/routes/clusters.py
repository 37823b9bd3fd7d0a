"""Cluster taxonomies: browse the built-in ones, and the organisations' own (editors create them).

Organisation taxonomies are read only through :func:`regiolens.web.accounts.visible` — the one scoping rule:
a user sees their organisations' taxonomies and those their networks share, never another organisation's
private one.
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
from regiolens.web.db import Role, Taxonomy, User, Visibility
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
        if not name.strip():
            raise DefinitionError("the taxonomy needs a name")
        if classification not in classification_names():
            raise DefinitionError(f"unknown classification {classification!r}")
        if visibility not in {v.value for v in Visibility}:
            raise DefinitionError(f"unknown visibility {visibility!r}")
        clusters = parse_definition(definition, classification)
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


@router.get("/clusters/org/{taxonomy_id}")
def org_page(
    request: Request, taxonomy_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    record = None
    if 0 < taxonomy_id <= MAX_ID:  # a larger number would overflow the database's integer (a server error)
        record = db.scalar(accounts.visible(db, user, Taxonomy).where(Taxonomy.id == taxonomy_id))
    if record is None:  # another organisation's private taxonomy looks exactly like a missing one
        raise HTTPException(404, f"no taxonomy {taxonomy_id}")
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
    }
    return render(request, "taxonomy_org.html", context)
