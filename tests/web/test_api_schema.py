"""Property-based test of the JSON API: schemathesis generates requests from the app's own OpenAPI document.

The document is read from ``/api/openapi.json``; every operation under ``/api/v1`` is then called in-process
(ASGI, no network) with a valid bearer token and requests drawn from its schema — the documented examples,
boundary values of every parameter, then random valid and invalid ones. Each answer must be no server error
(5xx), carry a documented status code and content type, and match the documented response schema. The number
of generated examples per operation is bounded, so that the test stays well under a minute.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from starlette.types import ASGIApp, Receive, Scope, Send

from regiolens.web import accounts
from regiolens.web.app import create_app
from regiolens.web.settings import Settings
from tests.web.app_support import VIEWER, World, api_token, build_app, client_for

MAX_EXAMPLES = int(os.environ.get("REGIOLENS_API_EXAMPLES", "25"))
"""Generated requests per operation and generation phase (``REGIOLENS_API_EXAMPLES=500`` for a deeper search)."""


class LateApp:
    """An ASGI app that hands every request to ``self.app``.

    schemathesis reads the schema when this module is imported, before pytest has built the warehouse
    fixture; the app that answers is set by the fixture. Until then a throwaway app (no warehouse, an
    in-memory app database) serves the OpenAPI document, which is the same for every app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


LATE = LateApp(
    create_app(Settings(warehouse=Path("unused.duckdb"), database_url="sqlite://", secret_key="spec", migrate=False))
)
CONFIG = schemathesis.Config.from_dict(
    # A request the schema allows may still be refused with 400 for reasons no schema can state: a year without
    # data, a base year after the year, weights for indicators not chosen. 422 (the schema promised more than the
    # app accepts) and 5xx stay failures.
    {
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}},
        # Creating a concept needs the role editor somewhere: the viewer's token is refused with 403, as documented.
        "operations": [
            {
                "include-name": "POST /api/v1/concepts/{key}/versions",
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404"]}},
            }
        ],
    }
)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", LATE, config=CONFIG)


TOKEN = secrets.token_urlsafe(32)
"""The viewer's API token: chosen now, because schemathesis builds the documented examples at collection time;
the fixture ``world`` issues it through :func:`regiolens.web.accounts.create_token`."""


@schema.auth(refresh_interval=None)
class BearerToken:
    """Every generated request carries the viewer's token (schemathesis knows it, so its auth checks apply)."""

    def get(self, case: Any, ctx: Any) -> str:
        return TOKEN

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    world = build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)
    assert world.app.openapi() == schema.raw_schema  # the same document
    LATE.app = world.app
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts.secrets, "token_urlsafe", lambda nbytes=None: TOKEN)
        assert api_token(world, VIEWER) == TOKEN
    return world


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_documented(case: Any, world: World) -> None:
    case.call_and_validate()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/taxonomies/org-²",  # "²".isdigit() holds, int("²") fails
        "/api/v1/taxonomies/org-0",
        "/api/v1/taxonomies/org-99999999999",  # beyond PostgreSQL's integer
        "/api/v1/taxonomies/org-99999999999999999999999",
    ],
)
def test_api_taxonomy_ids_that_name_no_record_are_not_found(world: World, path: str) -> None:
    """Ids the search found, or could find, that once were server errors."""
    client = TestClient(world.app, headers={"Authorization": f"Bearer {TOKEN}"})
    assert client.get(path).status_code == 404


def test_page_of_a_taxonomy_id_beyond_the_database_integer_is_not_found(world: World) -> None:
    client = client_for(world, VIEWER)
    assert client.get("/clusters/org/99999999999999999999999").status_code == 404
    assert client.get("/clusters/org/0").status_code == 404
