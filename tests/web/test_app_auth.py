"""Web app: login, logout, sessions, CSRF, rate limiting, the login wall and the language switch."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from regiolens.web.app import create_app
from regiolens.web.db import AuditEntry, LoginAttempt, session_factory
from regiolens.web.settings import load_secret
from tests.web.app_support import EDITOR, PASSWORD, VIEWER, World, build_app, client_for, csrf_token, login


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    return build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)


PAGES = [
    "/",
    "/regions",
    "/regions/emscher-lippe",
    "/regions/emscher-lippe/peers",
    "/regions/emscher-lippe/opportunities",
    "/regions/emscher-lippe/data/industries.csv",
    "/regions/emscher-lippe/report.pdf",
    "/compare?regions=emscher-lippe&regions=region-hannover",
    "/map",
    "/data",
    "/clusters",
    "/clusters/new",
    "/api/docs",
]


@pytest.mark.parametrize("page", PAGES)
def test_pages_without_login_redirect_to_login(world: World, page: str) -> None:
    response = TestClient(world.app).get(page, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_login_page_static_files_and_health_need_no_login(world: World) -> None:
    client = TestClient(world.app)
    assert client.get("/login").status_code == 200
    assert client.get("/static/regiolens.css").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}


def test_htmx_request_without_login_is_told_where_to_go(world: World) -> None:
    response = TestClient(world.app).get("/data", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.headers["HX-Redirect"] == "/login?next=%2Fdata"


def test_login_goes_to_the_page_asked_for_then_logout_ends_the_session(world: World) -> None:
    client = TestClient(world.app)
    first = client.get("/data", follow_redirects=False)
    assert first.status_code == 303
    token = csrf_token(client, first.headers["location"])
    response = client.post(
        "/login",
        data={"email": EDITOR, "password": PASSWORD, "csrf_token": token, "next": "/data"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/data"
    page = client.get("/data")
    assert page.status_code == 200 and "Eda Editor" in page.text
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie

    # logging in gives a fresh CSRF token: the one from before the login is void
    new_token = csrf_token(client, "/")
    assert new_token != token
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 403
    out = client.post("/logout", data={"csrf_token": new_token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"].startswith("/login")
    assert client.get("/data", follow_redirects=False).status_code == 303

    with session_factory(world.app.state.engine)() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "user"))]
    assert "login" in actions and "logout" in actions


def test_open_redirects_after_login_are_refused(world: World) -> None:
    client = TestClient(world.app)
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"email": VIEWER, "password": PASSWORD, "csrf_token": token, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_wrong_password_says_so_and_five_failures_rate_limit_the_address(world: World) -> None:
    client = TestClient(world.app)
    email = "nobody@herten.de"  # the limit counts per address, known or not
    for _ in range(5):
        response = login(client, email, "falsches Passwort!")
        assert response.status_code == 401
        assert "E-Mail-Adresse oder Passwort ist falsch." in response.text
    limited = login(client, email, "falsches Passwort!")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Zu viele Fehlversuche" in limited.text
    with session_factory(world.app.state.engine)() as s:
        attempts = s.scalars(select(LoginAttempt).where(LoginAttempt.email == email)).all()
    assert len(attempts) == 6 and not any(a.success for a in attempts)


def test_a_rate_limited_user_cannot_log_in_even_with_the_right_password(world: World) -> None:
    client = TestClient(world.app)
    for _ in range(5):
        assert login(client, VIEWER, "falsches Passwort!").status_code == 401
    assert login(client, VIEWER, PASSWORD).status_code == 429
    # the rate limit is in English after the switch, too
    client.get("/login?lang=en")
    assert "Too many failed attempts" in login(client, VIEWER, PASSWORD).text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/login", {"email": EDITOR, "password": PASSWORD}),
        ("/logout", {}),
        ("/data/upload", {}),
        ("/clusters/new", {"organisation_id": "1", "slug": "x", "name": "x", "definition": "a | A | A | 29.10"}),
    ],
)
def test_posts_without_or_with_a_wrong_csrf_token_are_refused(world: World, path: str, data: dict[str, str]) -> None:
    client = client_for(world, EDITOR)
    assert client.post(path, data=data, follow_redirects=False).status_code == 403
    wrong = client.post(path, data={**data, "csrf_token": "forged"}, follow_redirects=False)
    assert wrong.status_code == 403
    header = client.post(path, data=data, headers={"X-CSRF-Token": "forged"}, follow_redirects=False)
    assert header.status_code == 403
    # a token of another session does not help either
    other = csrf_token(TestClient(world.app))
    assert client.post(path, data={**data, "csrf_token": other}, follow_redirects=False).status_code == 403


def test_the_csrf_header_of_htmx_is_accepted(world: World) -> None:
    client = client_for(world, EDITOR)
    page = client.get("/")
    assert 'hx-headers="{&#34;X-CSRF-Token&#34;: &#34;' in page.text
    token = csrf_token(client, "/")
    response = client.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == 303


def test_every_form_carries_the_csrf_field(world: World) -> None:
    client = client_for(world, EDITOR)
    for page in ("/", "/data", "/clusters/new"):
        html = client.get(page).text
        assert html.count("<form") >= 1
        posts = html.count('method="post"')
        assert html.count('name="csrf_token"') >= posts >= 1


def test_language_switch_is_remembered_and_german_is_the_default(world: World) -> None:
    client = TestClient(world.app)
    assert '<html lang="de">' in client.get("/login").text
    english = client.get("/login?lang=en")
    assert '<html lang="en">' in english.text and "E-mail address" in english.text
    assert '<html lang="en">' in client.get("/login").text  # the cookie remembers
    assert '<html lang="de">' in client.get("/login?lang=de").text


def test_https_only_sessions_set_secure_cookies(tmp_path: Path, loaded_warehouse: Path) -> None:
    world = build_app(tmp_path, loaded_warehouse)
    app = create_app(replace(world.settings, https_only=True, migrate=False))
    client = TestClient(app, base_url="https://testserver")
    response = login(client, EDITOR)
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


def test_the_secret_is_generated_once_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGIOLENS_SECRET_KEY", raising=False)
    first = load_secret(tmp_path)
    assert len(first) >= 32 and load_secret(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    monkeypatch.setenv("REGIOLENS_SECRET_KEY", "from-the-environment")
    assert load_secret(tmp_path) == "from-the-environment"
