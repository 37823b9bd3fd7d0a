"""The JSON API of the fund planner under ``/api/v1/fund``: plans, deals, mandate check, portfolio, projection.

Authentication and errors as in :mod:`regiolens.web.api` (``Authorization: Bearer <token>``). Every answer comes
from the functions the pages and the CLI call: plans and deals through :mod:`regiolens.fund.records` (another
organisation's private plan or deal answers 404, exactly like a missing one; changes need the role editor in the
plan's organisation, else 403), the deal JSON of :func:`regiolens.fund.records.describe_deal` (as ``regiolens fund
deals export --format json``), the projection of :func:`regiolens.web.routes.fund.run_projection` — the same call,
cache and numbers as the projection page, and as ``regiolens fund simulate`` with the same paths and seed.

A plan is created or given a new version by posting its TOML text (``POST /plans/<key>/versions``): an invalid
text is refused with 400 and a ``detail`` naming ``line``, ``field`` and ``message``; nothing is saved.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from regiolens.classifications import classification_names
from regiolens.errors import InputError
from regiolens.fund import records
from regiolens.fund.models import Deal, FundPlanRecord
from regiolens.fund.pipeline import (
    CODE_LENGTH,
    COMPANY_LENGTH,
    DEFAULT_CLASSIFICATION,
    KEY_LENGTH,
    REGION_LENGTH,
    DealIn,
    DealStatus,
    PortfolioSummary,
)
from regiolens.fund.terms import Stage
from regiolens.plain import jsonable
from regiolens.web.api import ERRORS, Problem, api_user
from regiolens.web.db import User, Visibility
from regiolens.web.routes.fund import (
    MAX_PATHS,
    MAX_SEED,
    MIN_PATHS,
    check_source,
    run_projection,
    visible_deal,
    visible_plan,
)
from regiolens.web.security import get_db

router = APIRouter(
    prefix="/api/v1/fund",
    dependencies=[Depends(api_user)],
    responses={
        **ERRORS,
        403: {"model": Problem, "description": "Changing needs the role editor in the plan's organisation."},
    },
    tags=["fund"],
)

PLAN = Path(
    ...,
    min_length=1,
    max_length=64,
    description="The plan's number or its key in your organisation (seedfonds).",
    examples=["emscher-lippe-seed"],
)
KEY = Path(
    ...,
    min_length=1,
    max_length=64,
    pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
    description="Short name of the plan in its organisation: lower-case letters, digits, inner hyphens.",
    examples=["seedfonds"],
)
DEAL = Path(
    ...,
    min_length=1,
    max_length=KEY_LENGTH,
    description="The deal's number or key (muster-gmbh/seed/2026-03-01).",
    examples=["muster-gmbh/seed"],
)


def _date_text(value: Any) -> Any:
    """Dates come as ISO text (``2026-03-01``): a number is no date here (Pydantic would read it as a timestamp)."""
    if value is not None and not isinstance(value, str | date):
        raise ValueError("a date is written as text, e.g. 2026-03-01")
    return value


IsoDate = Annotated[date | None, BeforeValidator(_date_text)]
"""An optional date, given as ISO text."""


def _number(value: Any) -> Any:
    """Whole numbers come as JSON numbers (``400000`` or ``400000.0``): text and true/false are no numbers here."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError("a JSON number is expected")
    return value


Whole = Annotated[int, BeforeValidator(_number)]
"""A whole number, given as a JSON number."""

MAX_AMOUNT = 10**12
"""Largest ticket the API takes (€1 trillion): beyond any fund, and inside the database's 64-bit integer."""


# ----------------------------------------------------------------------------------------------- models


class VersionOut(BaseModel):
    """One saved version of a plan."""

    number: int
    saved: datetime
    note: str


class PlanOut(BaseModel):
    """A fund plan as listed: its number, key, organisation, name, newest version."""

    id: int
    key: str
    organisation: str
    name: str
    version: int
    visibility: Visibility
    saved: datetime


class PlanDetail(PlanOut):
    """A fund plan with the TOML text and the terms (as JSON) of its newest version, and every version."""

    source: str
    terms: dict[str, Any]
    versions: list[VersionOut]


class PlanSaved(BaseModel):
    """What saving a plan did: the plan, and whether a new version was added (``false``: the text was unchanged)."""

    saved: bool
    plan: PlanDetail


class PlanIn(BaseModel):
    """A plan as TOML text (the layout of ``regiolens/fund/examples/emscher-lippe-seed.toml``)."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(max_length=200_000, description="The plan's TOML text.")
    organisation: str | None = Field(
        None, max_length=64, description="Slug of the owning organisation (default: the one you are editor in)."
    )
    visibility: Visibility | None = Field(None, description="private or network (default: as before / private).")
    note: str = Field("", max_length=2_000, description="Why this version was saved.")


class DealBody(BaseModel):
    """A deal as entered (the fields of :class:`regiolens.fund.pipeline.DealIn`)."""

    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(
        None,
        max_length=KEY_LENGTH,
        pattern=r"^[\w.-]+(?:/[\w.-]+)*$",
        description="Key of the deal (default: company/stage[/round date]).",
    )
    company: str = Field(min_length=1, max_length=COMPANY_LENGTH, examples=["Muster GmbH"])
    code: str = Field(
        min_length=1,
        max_length=CODE_LENGTH,
        examples=["62.01"],
        description="Industry code; an unknown code fails the mandate check (it is no input error).",
    )
    classification: str = Field(
        DEFAULT_CLASSIFICATION, json_schema_extra={"enum": [n for n in classification_names() if not n.endswith("-sg")]}
    )
    region: str = Field(
        min_length=1,
        max_length=REGION_LENGTH,
        examples=["05562004"],
        description="Gemeinde or Kreis code (05562004), nuts:DEA36 or us:26163.",
    )
    stage: Stage
    amount: Whole = Field(gt=0, le=MAX_AMOUNT, description="The fund's ticket in whole euros.", examples=[400_000])
    status: DealStatus = DealStatus.screening
    round_date: IsoDate = None
    founded: IsoDate = None
    jobs: Annotated[int, Field(ge=0, le=10_000_000), BeforeValidator(_number)] | None = Field(
        None, description="Jobs the company has in the region."
    )
    notes: str = Field("", max_length=10_000)


class NewDeal(DealBody):
    """A deal to add, with its visibility (deals are private by default) and a note for its history."""

    visibility: Visibility = Visibility.private
    note: str = Field("", max_length=2_000)


class Move(BaseModel):
    """A status change of a deal (one step along the pipeline)."""

    model_config = ConfigDict(extra="forbid")

    to: DealStatus
    note: str = Field("", max_length=2_000)


class ClusterOut(BaseModel):
    id: str
    label_de: str
    label_en: str


class RuleOut(BaseModel):
    """One rule of a mandate check, with its reason in German and English."""

    rule: str
    passed: bool
    reason_de: str
    reason_en: str


class MandateCheckOut(BaseModel):
    """A deal checked against the mandate: eligible when every rule passes."""

    eligible: bool
    in_region: bool
    clusters: list[ClusterOut]
    rules: list[RuleOut]


class DealOut(BaseModel):
    """A deal with its latest mandate check (``null`` when the plan has no mandate)."""

    id: int
    key: str
    company: str
    code: str
    classification: str
    region: str
    stage: Stage
    amount: int
    status: DealStatus
    round_date: date | None
    founded: date | None
    jobs: int | None
    notes: str
    visibility: Visibility
    eligible: bool | None
    mandate_check: MandateCheckOut | None
    checked_version: int | None


def _ok(model: Any, what: str = "The result.") -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": what}}


# ----------------------------------------------------------------------------------------------- helpers


def plan_json(plan: FundPlanRecord, detail: bool = False) -> dict[str, Any]:
    """The plan as the API shows it (:class:`PlanOut`, with ``detail`` :class:`PlanDetail`)."""
    out: dict[str, Any] = {
        "id": plan.id,
        "key": plan.key,
        "organisation": plan.organisation.slug,
        "name": plan.name,
        "version": plan.version,
        "visibility": str(plan.visibility),
        "saved": plan.current.created_at,
    }
    if detail:
        out |= {
            "source": plan.current.source,
            "terms": plan.current.terms,
            "versions": [{"number": v.number, "saved": v.created_at, "note": v.note} for v in plan.versions],
        }
    return out


def deal_json(deal: Deal) -> dict[str, Any]:
    """The deal as :func:`regiolens.fund.records.describe_deal` gives it, with its number."""
    return {"id": deal.id, **records.describe_deal(deal)}


def _deal_in(body: DealBody) -> DealIn:
    """The library's deal of a request body; what the schema cannot say (a classification of section groups)
    is refused with 400."""
    try:
        return DealIn.model_validate(body.model_dump(include=set(DealIn.model_fields)))
    except ValidationError as exc:
        raise HTTPException(400, [{"loc": e["loc"], "msg": e["msg"]} for e in exc.errors()]) from None


def _json(value: Any, status: int = 200) -> Response:
    return JSONResponse(jsonable(value), status_code=status)


# ----------------------------------------------------------------------------------------------- plans


@router.get("/plans", response_class=JSONResponse, responses=_ok(list[PlanOut], "The plans you may see, by name."))
def plans(user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """The fund plans the user may see."""
    return _json([plan_json(p) for p in records.list_plans(db, user)])


@router.get("/plans/{ref}", response_class=JSONResponse, responses=_ok(PlanDetail))
def plan(ref: str = PLAN, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """One plan with its TOML text, its terms and its versions (404 if missing or private to another organisation)."""
    return _json(plan_json(visible_plan(db, user, ref), detail=True))


@router.post("/plans/{key}/versions", response_class=JSONResponse, responses=_ok(PlanSaved))
def save_plan(body: PlanIn, key: str = KEY, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """Create the plan ``key`` from TOML text, or save the text as its new version (unchanged text: no version).

    An invalid text answers 400 with ``detail`` = ``{"line", "field", "message"}``; nothing is saved.
    """
    try:
        terms = check_source(body.source)
    except InputError as exc:
        raise HTTPException(400, {"line": exc.line, "field": exc.field, "message": exc.message}) from None
    saved_plan, saved = records.save_plan(
        db,
        user,
        key,
        terms.name,
        body.source,
        terms.model_dump(mode="json"),
        organisation=body.organisation,
        visibility=body.visibility,
        note=body.note,
    )
    db.commit()
    return _json({"saved": saved, "plan": plan_json(saved_plan, detail=True)})


# ----------------------------------------------------------------------------------------------- deals


@router.get("/plans/{ref}/deals", response_class=JSONResponse, responses=_ok(list[DealOut]))
def deals(
    ref: str = PLAN,
    status: DealStatus | None = Query(None, description="Only deals in this status."),
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> Response:
    """The plan's deals the user may see, with their mandate checks."""
    found = visible_plan(db, user, ref)
    return _json([deal_json(d) for d in records.list_deals(db, user, found, status=status)])


@router.post(
    "/plans/{ref}/check",
    response_class=JSONResponse,
    responses=_ok(MandateCheckOut | None, "Every rule with its reason; null when the plan has no mandate."),
)
def check(body: DealBody, ref: str = PLAN, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """Check a deal against the plan's mandate without saving it (earlier tickets: the company's invested deals in
    the plan that you may see)."""
    found = visible_plan(db, user, ref)
    result = records.preview_check(db, user, found, _deal_in(body))
    return _json(None if result is None else result.to_dict())


# The two POST routes under /deals/ come before the GET of one deal, whose path would match theirs too: the answer
# to an unsupported method (405) then names the methods of the path asked for in its Allow header.
@router.post(
    "/plans/{ref}/deals/add",
    response_class=JSONResponse,
    status_code=201,
    responses={201: {"model": DealOut, "description": "The deal as saved, with its mandate check."}},
)
def add_deal(body: NewDeal, ref: str = PLAN, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """Add a deal to the plan's pipeline; it is checked against the mandate at once."""
    found = visible_plan(db, user, ref)
    records.require_plan_edit(db, user, found)
    deal = records.add_deal(db, user, found, _deal_in(body), visibility=body.visibility, note=body.note)
    db.commit()
    return _json(deal_json(deal), 201)


@router.post("/plans/{ref}/deals/{deal:path}/move", response_class=JSONResponse, responses=_ok(DealOut))
def move(
    body: Move, ref: str = PLAN, deal: str = DEAL, user: User = Depends(api_user), db: Session = Depends(get_db)
) -> Response:
    """Move a deal one step (screening → due_diligence → committee → invested, or declined; 400 for a step the
    pipeline does not allow)."""
    found = visible_plan(db, user, ref)
    records.require_plan_edit(db, user, found)
    the_deal = visible_deal(db, user, found, deal)
    records.move_deal(db, user, the_deal, body.to, body.note)
    db.commit()
    return _json(deal_json(the_deal))


@router.get("/plans/{ref}/deals/{deal:path}", response_class=JSONResponse, responses=_ok(DealOut))
def deal(ref: str = PLAN, deal: str = DEAL, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """One deal of the plan (404 if missing or not visible to you)."""
    return _json(deal_json(visible_deal(db, user, visible_plan(db, user, ref), deal)))


# ----------------------------------------------------------------------------------------------- results


@router.get("/plans/{ref}/portfolio", response_class=JSONResponse, responses=_ok(PortfolioSummary))
def portfolio(ref: str = PLAN, user: User = Depends(api_user), db: Session = Depends(get_db)) -> Response:
    """Invested deals per cluster and stage, the pipeline per status, companies and jobs in the region."""
    return _json(records.portfolio(db, user, visible_plan(db, user, ref)).to_dict())


@router.get(
    "/plans/{ref}/projection",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "The projection (regiolens.fund.projection.Projection.to_dict(): NaN as null).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def projection(
    request: Request,
    ref: str = PLAN,
    paths: int = Query(10_000, ge=MIN_PATHS, le=MAX_PATHS, description="Simulated paths."),
    seed: int = Query(1, ge=0, le=MAX_SEED, description="Seed of the random numbers: same seed, same numbers."),
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> Response:
    """The plan's newest terms projected: per investor class IRR, XIRR, TVPI, DPI, RVPI percentiles, probability of
    loss, J-curve and TVPI histogram; the Takahashi–Alexander curve, leverage, impact, assumptions."""
    found = visible_plan(db, user, ref)
    return _json(run_projection(request, found, paths, seed).to_dict())
