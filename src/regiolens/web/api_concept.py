"""The JSON API of the concept builder under ``/api/v1/concepts``: concepts, versions, the scorecard of a concept's
target region, status, comments and sign-off.

Authentication and errors as in :mod:`regiolens.web.api` (``Authorization: Bearer <token>``). Every answer comes
from the functions the pages and the CLI call: concepts through :mod:`regiolens.concept.records` (another
organisation's private concept answers 404, exactly like a missing one; changes need the role editor in the
concept's organisation, else 403), the JSON of :func:`regiolens.concept.records.describe` and
:func:`~regiolens.concept.records.describe_version`, and the scorecard of
:func:`regiolens.web.concept_evidence.concept_scorecard` — the same call, cache and numbers as the evidence page.

A concept is created or given a new version by posting its content as JSON (``POST /concepts/<key>/versions``,
:class:`regiolens.concept.content.ConceptContent`); unchanged content adds no version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, SkipValidation, ValidationError
from sqlalchemy.orm import Session

from regiolens.analysis.weights import MAX_WEIGHT
from regiolens.concept import records
from regiolens.concept.content import ConceptContent
from regiolens.concept.models import Concept, ConceptStatus, SignOffStatus
from regiolens.plain import jsonable
from regiolens.regions.resolve import resolve_region
from regiolens.web import accounts
from regiolens.web.api import ERRORS, Problem, api_user
from regiolens.web.db import User, Visibility
from regiolens.web.routes.concept import find_sign_off, scorecard_of, visible_concept
from regiolens.web.security import get_db

router = APIRouter(
    prefix="/api/v1/concepts",
    dependencies=[Depends(api_user)],
    responses={
        **ERRORS,
        403: {"model": Problem, "description": "Changing needs the role editor in the concept's organisation."},
    },
    tags=["concepts"],
)

CONCEPT = Path(
    ...,
    min_length=1,
    max_length=64,
    description="The concept's number or its key (emscher-lippe-2027).",
    examples=["emscher-lippe-2027"],
)
KEY = Path(
    ...,
    min_length=1,
    max_length=64,
    pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
    description="Short name of the concept in its organisation: lower-case letters, digits, inner hyphens.",
    examples=["emscher-lippe-2027"],
)


# ----------------------------------------------------------------------------------------------- models


class SignOffOut(BaseModel):
    """A sign-off request to an organisation and its answer."""

    id: int
    organisation: str
    version: int
    status: SignOffStatus
    requested_by: int | None
    requested_at: datetime | None
    note: str
    answered_by: int | None
    answered_at: datetime | None
    answer_note: str


class ConceptOut(BaseModel):
    """A concept as listed (:func:`regiolens.concept.records.describe`) with its number."""

    id: int
    key: str
    organisation: str
    network: str | None
    visibility: Visibility
    title: str
    target_region: str
    authors: str
    status: ConceptStatus
    version: int
    adopted_version: int | None
    outdated: list[dict[str, Any]]
    evidence_checked_at: datetime | None
    sign_offs: list[SignOffOut]


class VersionOut(BaseModel):
    """One saved version (:func:`regiolens.concept.records.describe_version`)."""

    number: int
    created_at: datetime | None
    created_by: int | None
    note: str
    adopted_at: datetime | None
    content: dict[str, Any]


class ConceptDetail(ConceptOut):
    """A concept with every version and its content."""

    versions: list[VersionOut]


class ConceptSaved(BaseModel):
    """What saving did: the concept, and whether a new version was added (``false``: the content was unchanged)."""

    saved: bool
    concept: ConceptDetail


class ConceptIn(BaseModel):
    """A concept's content as JSON, and for a new concept its organisation, network and visibility."""

    model_config = ConfigDict(extra="forbid")

    content: SkipValidation[ConceptContent] = Field(
        description="The content; checked by the handler, so that what the schema cannot say (a text of blanks, a "
        "focus cluster named twice) is refused with 400 naming the field."
    )
    organisation: str | None = Field(
        None, max_length=64, description="Slug of the owning organisation (new concepts; default: yours as editor)."
    )
    network: str | None = Field(None, max_length=64, description="Slug of the network it is written for (new ones).")
    visibility: Visibility | None = Field(None, description="private or network (default: as before / private).")
    note: str = Field("", max_length=2_000, description="Why this version was saved.")


class Move(BaseModel):
    """A status change (draft → in_consultation → adopted; back from in_consultation to draft)."""

    model_config = ConfigDict(extra="forbid")

    to: ConceptStatus
    note: str = Field("", max_length=2_000)


class CommentIn(BaseModel):
    """A comment on the newest version (or on version ``version``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=10_000)
    version: int | None = Field(None, ge=1, le=1_000_000)


class CommentOut(BaseModel):
    id: int
    version: int
    author_id: int | None
    text: str
    created_at: datetime


class SignOffRequest(BaseModel):
    """Ask a member organisation of the concept's network to sign off the newest version."""

    model_config = ConfigDict(extra="forbid")

    organisation: str = Field(min_length=1, max_length=64, description="Slug of the organisation asked.")
    note: str = Field("", max_length=2_000)


class SignOffAnswer(BaseModel):
    """The answer of the asked organisation (its editors)."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    note: str = Field("", max_length=2_000)


def _ok(model: Any, what: str = "The result.") -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": what}}


# ----------------------------------------------------------------------------------------------- helpers


def _sign_offs(concept: Concept) -> list[dict[str, Any]]:
    return [{"id": o.id, **records.describe_sign_off(o)} for o in concept.sign_offs]


def concept_json(concept: Concept, detail: bool = False) -> dict[str, Any]:
    """The concept as the API shows it (:class:`ConceptOut`, with ``detail`` :class:`ConceptDetail`)."""
    out = {"id": concept.id, **records.describe(concept), "sign_offs": _sign_offs(concept)}
    if detail:
        out["versions"] = [records.describe_version(v) for v in concept.versions]
    return out


def _json(value: Any, status: int = 200) -> Response:
    return JSONResponse(jsonable(value), status_code=status)


def _content(given: Any) -> ConceptContent:
    """The content of a request body; what the schema cannot say is refused with 400 naming the field."""
    try:
        return ConceptContent.model_validate(given)
    except ValidationError as exc:
        raise HTTPException(400, [{"loc": e["loc"], "msg": e["msg"]} for e in exc.errors()]) from None


def _own_concept(db: Session, user: User, key: str) -> Concept | None:
    """The concept ``key`` of one of the user's organisations, if there is one."""
    try:
        found = records.get_concept(db, user, key)
    except records.NotFound:
        return None
    return found if accounts.role_in(db, user, found.organisation_id) is not None else None


# ----------------------------------------------------------------------------------------------- concepts
# Every path has one method (a comment is added at /comments/add): the answer to an unsupported method (405) then
# names in its Allow header exactly the methods the schema documents for that path.


@router.get("", response_class=JSONResponse, responses=_ok(list[ConceptOut], "The concepts you may see, by title."))
def concepts(user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The concepts the user may see."""
    return _json([concept_json(c) for c in records.list_concepts(db, user)])


@router.get("/{ref}", response_class=JSONResponse, responses=_ok(ConceptDetail))
def concept(ref: str = CONCEPT, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """One concept with every version (404 if missing or private to another organisation)."""
    return _json(concept_json(visible_concept(db, user, ref), detail=True))


@router.post("/{key}/versions", response_class=JSONResponse, responses=_ok(ConceptSaved))
def save_concept(
    body: ConceptIn, key: str = KEY, user: User = Depends(api_user), db: Session = Depends(get_db)
) -> Response:
    """Create the concept ``key`` with the content as version 1, or save the content as its new version (unchanged
    content: no version). Instruments and the fund plan are resolved among the records you may see."""
    content = _content(body.content)
    found = _own_concept(db, user, key)
    if found is None:
        resolve_region(content.target_region)  # an unknown region or group: 404, as everywhere in the API
        found = records.create_concept(
            db,
            user,
            key,
            content,
            organisation=body.organisation,
            network=body.network,
            visibility=body.visibility or Visibility.private,
            note=body.note,
        )
        saved = True
    else:
        _, saved = records.save_concept(db, user, found, content, visibility=body.visibility, note=body.note)
    db.commit()
    return _json({"saved": saved, "concept": concept_json(found, detail=True)})


@router.get(
    "/{ref}/scorecard",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "The scorecard (regiolens.concept.scorecard.Scorecard as JSON: NaN as null).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def concept_scorecard_json(
    request: Request,
    ref: str = CONCEPT,
    strength: float = Query(1.0, ge=0, le=MAX_WEIGHT, description="Weight of strength (LQ, employment)."),
    dynamics: float = Query(1.0, ge=0, le=MAX_WEIGHT, description="Weight of dynamics (growth, Standort component)."),
    potential: float = Query(
        1.0, ge=0, le=MAX_WEIGHT, description="Weight of potential (density, complexity, opportunity gain)."
    ),
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> Response:
    """The focus-cluster scorecard of the concept's target region (built-in taxonomies and those shared in its
    network, no peers), ranked with the weights: the evidence page's numbers. 400 when no weight is positive."""
    found = visible_concept(db, user, ref)
    weights = {"strength": strength, "dynamics": dynamics, "potential": potential}
    return _json(scorecard_of(request, db, found, weights))


@router.post("/{ref}/status", response_class=JSONResponse, responses=_ok(ConceptOut))
def move(body: Move, ref: str = CONCEPT, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """Move the concept to another status (400 for a step the workspace does not allow, or adopting without every
    requested sign-off approved)."""
    found = visible_concept(db, user, ref)
    records.move_concept(db, user, found, body.to, body.note)
    db.commit()
    return _json(concept_json(found))


@router.get("/{ref}/comments", response_class=JSONResponse, responses=_ok(list[CommentOut]))
def comments(ref: str = CONCEPT, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The comments on every version, oldest first."""
    found = visible_concept(db, user, ref)
    return _json([_comment(c) for c in records.list_comments(db, user, found)])


def _comment(comment: Any) -> dict[str, Any]:
    return {
        "id": comment.id,
        "version": comment.version.number,
        "author_id": comment.author_id,
        "text": comment.text,
        "created_at": comment.created_at,
    }


@router.post(
    "/{ref}/comments/add", response_class=JSONResponse, status_code=201, responses={201: {"model": CommentOut}}
)
def comment(
    body: CommentIn, ref: str = CONCEPT, user: User = Depends(api_user), db: Session = Depends(get_db)
) -> Response:
    """Comment on the concept (anyone who sees it)."""
    found = visible_concept(db, user, ref)
    added = records.add_comment(db, user, found, body.text, body.version)
    db.commit()
    return _json(_comment(added), 201)


@router.post("/{ref}/sign-offs", response_class=JSONResponse, status_code=201, responses={201: {"model": SignOffOut}})
def ask_sign_off(
    body: SignOffRequest, ref: str = CONCEPT, user: User = Depends(api_user), db: Session = Depends(get_db)
) -> Response:
    """Ask a member organisation of the concept's network to sign off its newest version (editors)."""
    found = visible_concept(db, user, ref)
    asked = records.request_sign_off(db, user, found, body.organisation, body.note)
    db.commit()
    return _json({"id": asked.id, **records.describe_sign_off(asked)}, 201)


@router.post("/{ref}/sign-offs/{sign_off_id}/answer", response_class=JSONResponse, responses=_ok(SignOffOut))
def answer_sign_off(
    body: SignOffAnswer,
    ref: str = CONCEPT,
    sign_off_id: int = Path(..., ge=1, le=2**31 - 1),
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> Response:
    """Approve or decline a sign-off request (editors of the asked organisation)."""
    found = visible_concept(db, user, ref)
    sign_off = find_sign_off(found, sign_off_id)
    records.answer_sign_off(db, user, sign_off, body.approve, body.note)
    db.commit()
    return _json({"id": sign_off.id, **records.describe_sign_off(sign_off)})
