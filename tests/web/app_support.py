"""Helpers of the web-app tests: a real app on a real SQLite app database and the real warehouse fixture.

The world every app test starts from: organisations Herten and Gladbeck form the network Emscher-Lippe,
Bottrop stands alone. Users: a viewer and an editor of Herten, an editor of Bottrop, an analyst of Gladbeck.
Taxonomies: Bottrop's private one, Gladbeck's shared with its network and Gladbeck's private one.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.app import create_app
from regiolens.web.db import Role, Taxonomy, User, Visibility, session_factory
from regiolens.web.settings import Settings
from tests.conftest import SHARED_DATA

PASSWORD = "eine lange Passphrase"
VIEWER = "viewer@herten.de"
EDITOR = "editor@herten.de"
BOTTROP = "editor@bottrop.de"
GLADBECK = "analyst@gladbeck.de"

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    app: FastAPI
    settings: Settings
    taxonomies: dict[str, int] = field(default_factory=dict)


def build_app(tmp: Path, warehouse: Path) -> World:
    """The app on ``warehouse`` with a fresh SQLite app database in ``tmp``, seeded with the world above."""
    settings = Settings(
        warehouse=warehouse,
        database_url=f"sqlite:///{tmp / 'app.db'}",
        data_dir=tmp,
        secret_key="test-secret-key",
        groups=tmp / "groups.toml",
    )
    app = create_app(settings)
    world = World(app, settings)
    with session_factory(app.state.engine).begin() as s:
        for slug, name in (("herten", "WF Herten"), ("bottrop", "WF Bottrop"), ("gladbeck", "WF Gladbeck")):
            accounts.create_organisation(s, slug, name)
        accounts.create_network(s, "emscher-lippe", "Netzwerk Emscher-Lippe", ["herten", "gladbeck"])
        accounts.create_user(s, VIEWER, "Vera Viewer", PASSWORD, "herten", Role.viewer)
        accounts.create_user(s, EDITOR, "Eda Editor", PASSWORD, "herten", Role.editor)
        bottrop = accounts.create_user(s, BOTTROP, "Bo Bottrop", PASSWORD, "bottrop", Role.editor)
        gladbeck = accounts.create_user(s, GLADBECK, "Gla Gladbeck", PASSWORD, "gladbeck", Role.analyst)
        orgs = {m.organisation.slug: m.organisation.id for u in (bottrop, gladbeck) for m in u.memberships}
        for slug, org, visibility, creator in (
            ("bottrop-geheim", "bottrop", Visibility.private, bottrop),
            ("gladbeck-netz", "gladbeck", Visibility.network, gladbeck),
            ("gladbeck-privat", "gladbeck", Visibility.private, gladbeck),
        ):
            record = Taxonomy(
                organisation_id=orgs[org],
                visibility=visibility,
                created_by=creator.id,
                slug=slug,
                name=f"Taxonomie {slug}",
                classification="wz2008",
                definition=[{"id": "auto", "label_de": "Auto", "label_en": "Cars", "codes": ["29.10"]}],
            )
            s.add(record)
            s.flush()
            world.taxonomies[slug] = record.id
    return world


def mapped_warehouse(tmp: Path, warehouse: Path) -> Path:
    """A copy of ``warehouse`` in ``tmp`` with the BKG Kreis boundaries (for the map); skips without them."""
    boundaries = SHARED_DATA / "de" / "geo_bkg_vg5000_2021" / "Ebene_Kreise_vg5000_2021.geojson"
    if not boundaries.exists():
        pytest.skip(f"{boundaries} is missing")
    copy = tmp / "warehouse.duckdb"
    shutil.copy(warehouse, copy)
    with Warehouse.open(copy) as wh:
        wh.import_files([boundaries])
    return copy


def csrf_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from the hidden field of a page's form."""
    response = client.get(path)
    match = _CSRF.search(response.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    """Log in through the login form (as a browser does); returns the answer to the POST."""
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


def client_for(world: World, email: str | None = None) -> TestClient:
    """A browser-like client, logged in as ``email`` when given."""
    client = TestClient(world.app)
    if email:
        response = login(client, email)
        assert response.status_code == 303, response.text
    return client


def api_token(world: World, email: str) -> str:
    with session_factory(world.app.state.engine).begin() as s:
        user = s.scalar(select(User).where(User.email == email))
        assert user is not None
        return accounts.create_token(s, user, "test")


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port in a background thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:  # uvicorn sets the flag once it listens
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
