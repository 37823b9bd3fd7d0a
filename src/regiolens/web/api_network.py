"""The JSON API of the knowledge base under ``/api/v1/network``: initiatives, exchanges, lessons, search, assess.

Authentication and serialisation as in :mod:`regiolens.web.api` (``Authorization: Bearer <token>``; answers are
:func:`regiolens.cli.output.jsonable` of :func:`regiolens.network.records.describe`, the same values the CLI's
``regiolens network … --format json`` exports). A record another organisation keeps private answers 404, exactly
like a missing one; search results hold only records the token's user may see.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from regiolens.cli.output import jsonable
from regiolens.network import checklist as checklists
from regiolens.network import records
from regiolens.network.assessment import assess as run_assessment
from regiolens.network.models import Exchange, Initiative, Lesson
from regiolens.network.search import SEARCHABLE
from regiolens.network.search import search as search_records
from regiolens.web.api import ERRORS, Problem, api_user
from regiolens.web.db import User
from regiolens.web.routes.clusters import MAX_ID
from regiolens.web.security import get_db

router = APIRouter(prefix="/api/v1/network", dependencies=[Depends(api_user)], responses=ERRORS, tags=["network"])

REF = Path(
    ...,
    min_length=1,
    max_length=129,
    description="The record's number, key (hannoverimpuls) or organisation/key (herten/hannoverimpuls).",
)
TAG = Query(None, max_length=64, description="Only records with this tag.")


def _record(db: Session, user: User, model: Any, ref: str) -> Any:
    if ref.isdigit() and not (ref.isascii() and 0 < int(ref) <= MAX_ID):
        raise HTTPException(404, f"no record {ref!r}")
    try:
        return records.get(db, user, model, ref)
    except records.NotFound as exc:
        raise HTTPException(404, str(exc)) from None


def _list(db: Session, user: User, model: Any, tag: str | None) -> Response:
    return JSONResponse(
        jsonable([records.describe(db, user, r) for r in records.list_records(db, user, model, tag=tag)])
    )


def _one(db: Session, user: User, model: Any, ref: str) -> Response:
    return JSONResponse(jsonable(records.describe(db, user, _record(db, user, model, ref))))


@router.get("/initiatives", response_class=JSONResponse)
def initiatives(tag: str | None = TAG, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The initiatives the user may see, with their dated statements and tags."""
    return _list(db, user, Initiative, tag)


@router.get("/initiatives/{ref}", response_class=JSONResponse)
def initiative(ref: str = REF, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """One initiative (404 if it does not exist or is private to another organisation)."""
    return _one(db, user, Initiative, ref)


@router.get("/exchanges", response_class=JSONResponse)
def exchanges(tag: str | None = TAG, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The exchanges (visits, meetings, calls) the user may see, newest first, with findings and follow-ups."""
    return _list(db, user, Exchange, tag)


@router.get("/exchanges/{ref}", response_class=JSONResponse)
def exchange(ref: str = REF, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """One exchange (404 if it does not exist or is private to another organisation)."""
    return _one(db, user, Exchange, ref)


@router.get("/lessons", response_class=JSONResponse)
def lessons(tag: str | None = TAG, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The lessons the user may see."""
    return _list(db, user, Lesson, tag)


@router.get("/lessons/{ref}", response_class=JSONResponse)
def lesson(ref: str = REF, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """One lesson (404 if it does not exist or is private to another organisation)."""
    return _one(db, user, Lesson, ref)


@router.get("/search", response_class=JSONResponse)
def search(
    q: str = Query(..., min_length=1, max_length=200, description="Words to find (German or English)."),
    kinds: list[str] | None = Query(
        None,
        description="Kinds of record (default: all).",
        json_schema_extra={"items": {"type": "string", "enum": list(SEARCHABLE)}},
    ),
    limit: int = Query(50, ge=1, le=200),
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> Response:
    """Full-text search across initiatives, exchanges and lessons the user may see, best first."""
    return JSONResponse(jsonable(search_records(db, user, q, kinds=kinds, limit=limit)))


class AssessIn(BaseModel):
    """What to assess: an initiative (number, key or organisation/key) for a target region or group."""

    model_config = ConfigDict(extra="forbid")

    initiative: str = Field(min_length=1, max_length=129, examples=["hannoverimpuls"])
    target: str = Field(min_length=1, max_length=100, examples=["emscher-lippe"])
    checklist: dict[str, str | float | None] = Field(
        {}, description="Answers by precondition key: yes, partly, no, unknown or a number from 0 to 1."
    )
    weights: dict[str, float] = Field({}, description="Weights of the components (structure, clusters, …).")
    year: int | None = Field(None, ge=1900, le=2100)
    base_year: int | None = Field(None, ge=1900, le=2100)
    save: bool = Field(False, description="Save the run as a new version (editor role needed).")


@router.post(
    "/assess",
    response_class=JSONResponse,
    responses={403: {"model": Problem, "description": "Saving needs the role editor."}},
)
def assess(body: AssessIn, request: Request, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The transferability assessment: components with scores and reasons in German and English, side by side."""
    initiative = _record(db, user, Initiative, body.initiative)
    filled = checklists.fill(checklists.default_checklist(), body.checklist)
    with request.app.state.warehouse.read() as wh:
        result = run_assessment(
            db,
            wh,
            user,
            initiative,
            body.target,
            checklist=filled,
            weights=body.weights,
            year=body.year,
            base_year=body.base_year,
            save=body.save,
        )
    if body.save:
        db.commit()
    return JSONResponse(jsonable(result.model_dump(mode="json")))
