"""The JSON API under ``/api/v1``: the analyses as the CLI prints them with ``--format json``.

Every answer is the typed result of :mod:`regiolens.analysis` serialised by
:func:`regiolens.cli.output.jsonable` (the CLI's JSON path: NaN → ``null``, dataclasses → objects), so
``GET /api/v1/profile/emscher-lippe`` and ``regiolens profile emscher-lippe --format json`` agree number for
number. Authentication: ``Authorization: Bearer <token>`` only (tokens from
:func:`regiolens.web.accounts.create_token`); the session cookie is never read here, which is why the API
needs no CSRF token. Errors: ``{"detail": message}`` with 400 (bad input, a year without data), 401 (no or bad
token), 404 (unknown region, taxonomy), 422 (a parameter out of its documented range) or 503 (warehouse busy, or
no data imported yet).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from regiolens.analysis.custom import METRICS
from regiolens.analysis.peers import INDICATORS as PEER_INDICATORS
from regiolens.analysis.results import Comparison, Opportunities, Peers, Profile
from regiolens.cli.output import jsonable
from regiolens.clusters.registry import BUILTIN, builtin_taxonomy
from regiolens.metrics.strength import PRESETS
from regiolens.web import accounts, analyses
from regiolens.web.analyses import ProfileParams
from regiolens.web.db import Taxonomy, User
from regiolens.web.routes.clusters import MAX_ID
from regiolens.web.security import get_db

bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer <token>`.")


def api_user(credentials: HTTPAuthorizationCredentials | None = Depends(bearer), db: Session = Depends(get_db)) -> User:
    """The user of the request's bearer token; 401 without a valid one."""
    unauthorised = HTTPException(401, "a valid API token is required", headers={"WWW-Authenticate": "Bearer"})
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthorised
    user = accounts.user_for_token(db, credentials.credentials)
    if user is None:
        raise unauthorised
    db.commit()  # last_used_at
    return user


class Problem(BaseModel):
    """An error: what went wrong, in words."""

    detail: Any


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Bad input, or a year the data do not hold (the message says which)."},
    401: {"model": Problem, "description": "No or invalid API token."},
    404: {"model": Problem, "description": "Unknown region, group or taxonomy."},
    422: {"model": Problem, "description": "A parameter out of its documented range, or of the wrong type."},
    503: {"model": Problem, "description": "No data imported yet, or the warehouse is busy (an import is running)."},
}

router = APIRouter(prefix="/api/v1", dependencies=[Depends(api_user)], responses=ERRORS)


def _json(request: Request, result: Any, key: tuple[Any, ...] | None = None) -> Response:
    """``result`` as the CLI's ``--format json``; with ``key`` (the request's parameters), the encoded answer is
    kept in the warehouse cache beside the result, so that a repeated request skips the encoding."""
    if key is None:
        return JSONResponse(jsonable(result))
    body = request.app.state.warehouse.memo(("api-json", *key), lambda: JSONResponse(jsonable(result)).body)
    return Response(body, media_type="application/json")


def _ok(model: Any) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": "The result, as `regiolens … --format json` prints it."}}


REGION_EXAMPLES = ["emscher-lippe", "05562", "region-hannover"]
REGION = Path(
    ...,
    max_length=100,
    description="A region code (e.g. 05562, Kreis Recklinghausen) or a group (e.g. emscher-lippe).",
    examples=REGION_EXAMPLES,
)
YEAR = Query(None, ge=1900, le=2100, description="Year (default: the latest with data).")
BASE_YEAR = Query(None, ge=1900, le=2100, description="Base year of growth and shift-share (default: the earliest).")
REFERENCE = Query(None, max_length=100, description="Reference area (default: Germany), e.g. 05 or a group.")
THRESHOLD = Query(
    analyses.DEFAULT_THRESHOLD,
    max_length=40,
    description="Strength preset (an unknown one is refused with 400).",
    json_schema_extra={"enum": list(PRESETS)},
)


TAXONOMY = Query(
    analyses.DEFAULT_TAXONOMY,
    max_length=100,
    description="Cluster taxonomy: a built-in id (hannoverimpuls) or `org-<id>` of your organisation or network "
    "(see /api/v1/taxonomies; another organisation's private one is 404).",
    examples=[analyses.DEFAULT_TAXONOMY, "org-1"],
)


@router.get("/profile/{region}", response_class=JSONResponse, tags=["analyses"], responses=_ok(Profile))
def profile(
    request: Request,
    region: str = REGION,
    year: int | None = YEAR,
    base_year: int | None = BASE_YEAR,
    reference: str | None = REFERENCE,
    threshold: str = THRESHOLD,
    taxonomy: str = TAXONOMY,
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> Response:
    """Profile of a region or group: structure, location quotients, growth, shift-share, specialisation, clusters."""
    taxonomy_id, version, chosen = analyses.choose_taxonomy(db, user, taxonomy)
    p = ProfileParams(
        region, year, base_year, reference or None, analyses.check_threshold(threshold), taxonomy_id, version, chosen
    )
    result = analyses.get_profile(request.app.state.warehouse, p, request.app.state.settings.groups)
    return _json(request, result, ("profile", p))


@router.get("/compare", response_class=JSONResponse, tags=["analyses"], responses=_ok(Comparison))
def compare(
    request: Request,
    regions: list[str] = Query(
        ...,
        min_length=2,
        description="Two or more regions or groups (repeat the key).",
        json_schema_extra={"items": {"type": "string", "minLength": 1, "maxLength": 100}},
        examples=[["emscher-lippe", "region-hannover"]],
    ),
    year: int | None = YEAR,
    base_year: int | None = BASE_YEAR,
    reference: str | None = REFERENCE,
    threshold: str = THRESHOLD,
) -> Response:
    """Regions side by side: shared strengths, differences and how much of each the industry mix explains."""
    result = analyses.get_comparison(
        request.app.state.warehouse, regions, year, base_year, reference, threshold, request.app.state.settings.groups
    )
    return _json(request, result, ("compare", tuple(regions), year, base_year, reference, threshold))


@router.get("/peers/{region}", response_class=JSONResponse, tags=["analyses"], responses=_ok(Peers))
def peers(
    request: Request,
    region: str = REGION,
    n: int = Query(10, ge=analyses.PEERS_N[0], le=analyses.PEERS_N[1], description="Number of peers."),
    year: int | None = YEAR,
    base_year: int | None = BASE_YEAR,
    indicators: list[str] | None = Query(
        None,
        description="Indicators (default: structure, size, growth).",
        json_schema_extra={"items": {"type": "string", "enum": list(PEER_INDICATORS)}},
    ),
    weights: str | None = Query(None, max_length=200, description="Weights, e.g. structure=2,size=1."),
    within: str = Query(
        "de", description="Candidates: de (German Kreise) or eu (EU NUTS-3).", json_schema_extra={"enum": ["de", "eu"]}
    ),
) -> Response:
    """The most similar regions by industry structure, size, growth and density, with the reasons."""
    result = analyses.get_peers(
        request.app.state.warehouse,
        region,
        n,
        year,
        base_year,
        indicators,
        weights,
        within,
        request.app.state.settings.groups,
    )
    return _json(request, result, ("peers", region, n, year, base_year, tuple(indicators or ()), weights, within))


@router.get("/opportunities/{region}", response_class=JSONResponse, tags=["analyses"], responses=_ok(Opportunities))
def opportunities(
    request: Request,
    region: str = REGION,
    n: int | None = Query(
        None, ge=analyses.OPPORTUNITIES_N[0], le=analyses.OPPORTUNITIES_N[1], description="Number of opportunities."
    ),
    year: int | None = YEAR,
    base_year: int | None = BASE_YEAR,
    weights: str | None = Query(None, max_length=200, description="e.g. density=2,complexity=1,growth=1."),
) -> Response:
    """Industries the region could grow into (ranked, with reasons), and its strengths at risk."""
    result = analyses.get_opportunities(
        request.app.state.warehouse, region, n, year, base_year, weights, request.app.state.settings.groups
    )
    return _json(request, result, ("opportunities", region, n, year, base_year, weights))


class MetricInfo(BaseModel):
    metric: str
    kind: str
    description: str


@router.get("/metrics", response_model=list[MetricInfo], tags=["analyses"])
def metrics() -> list[MetricInfo]:
    """The metrics of `regiolens metrics compute` (as `regiolens metrics list --format json`)."""
    return [MetricInfo(metric=m.name, kind=m.kind, description=m.description) for m in METRICS.values()]


@router.get("/sources", response_class=JSONResponse, tags=["data"])
def sources(request: Request) -> Response:
    """The imported sources: licence, attribution, vintage and coverage (as `regiolens data status --format json`)."""
    return _json(request, analyses.source_rows(request.app.state.warehouse))


class TaxonomyCluster(BaseModel):
    id: str
    label_de: str
    label_en: str
    codes: list[str]


class TaxonomyInfo(BaseModel):
    """A cluster taxonomy: built in (``organisation`` null) or an organisation's own."""

    id: str
    name: str
    classification: str
    builtin: bool
    organisation: str | None = None
    visibility: str | None = None
    clusters: list[TaxonomyCluster]


def _builtin_info(name: str) -> TaxonomyInfo:
    tax = builtin_taxonomy(name)
    clusters = [
        TaxonomyCluster(id=c.id, label_de=c.name_de, label_en=c.name_en, codes=tax.definition(c.id).code_list())
        for c in tax.clusters
    ]
    return TaxonomyInfo(id=tax.id, name=tax.label(), classification=tax.classification, builtin=True, clusters=clusters)


def _org_info(record: Taxonomy) -> TaxonomyInfo:
    return TaxonomyInfo(
        id=f"org-{record.id}",
        name=record.name,
        classification=record.classification,
        builtin=False,
        organisation=record.organisation.slug,
        visibility=str(record.visibility),
        clusters=[TaxonomyCluster(**c) for c in record.definition],
    )


@router.get("/taxonomies", response_model=list[TaxonomyInfo], tags=["clusters"])
def taxonomies(user: User = Depends(api_user), db: Session = Depends(get_db)) -> list[TaxonomyInfo]:
    """The built-in taxonomies and those of the user's organisations and networks (never another's private one)."""
    own = db.scalars(accounts.visible(db, user, Taxonomy).order_by(Taxonomy.name, Taxonomy.id))
    return [_builtin_info(name) for name in BUILTIN] + [_org_info(r) for r in own]


@router.get("/taxonomies/{taxonomy_id}", response_model=TaxonomyInfo, tags=["clusters"])
def taxonomy(
    taxonomy_id: str = Path(..., max_length=100, examples=[*BUILTIN, "org-1"]),
    user: User = Depends(api_user),
    db: Session = Depends(get_db),
) -> TaxonomyInfo:
    """One taxonomy: a built-in id (``hannoverimpuls``) or ``org-<number>``."""
    if taxonomy_id in BUILTIN:
        return _builtin_info(taxonomy_id)
    number = taxonomy_id.removeprefix("org-")
    # ASCII digits only ("²".isdigit() holds, int("²") fails) and within the database's integer range
    if taxonomy_id.startswith("org-") and number.isascii() and number.isdigit() and 0 < int(number) <= MAX_ID:
        record = db.scalar(accounts.visible(db, user, Taxonomy).where(Taxonomy.id == int(number)))
        if record is not None:
            return _org_info(record)
    raise HTTPException(404, f"no taxonomy {taxonomy_id!r}")
