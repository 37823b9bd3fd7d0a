"""The own account in the browser: memberships, password change, API tokens (shown once, revocable), language."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.web import accounts
from regiolens.web.db import ApiToken, AuditEntry, LoginAttempt, Role, User, session_factory
from tests.web.app_support import (
    EDITOR,
    GLADBECK,
    PASSWORD,
    VIEWER,
    World,
    api_token,
    build_app,
    client_for,
    csrf_token,
    login,
)

NEW_PASSWORD = "ein ganz neues Passwort"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    return build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)


def new_user(world: World, email: str, role: Role = Role.viewer) -> None:
    """A user of Herten of its own for a test that changes the account."""
    with session_factory(world.app.state.engine).begin() as s:
        accounts.create_user(s, email, email.split("@")[0].title(), PASSWORD, "herten", role)


def audit_actions(world: World, email: str) -> list[tuple[str, str]]:
    with session_factory(world.app.state.engine)() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        entries = s.scalars(select(AuditEntry).where(AuditEntry.user_id == user.id).order_by(AuditEntry.id))
        return [(e.action, e.entity) for e in entries]


def test_the_account_page_shows_memberships_and_roles_in_german_and_english(world: World) -> None:
    client = client_for(world, EDITOR)
    page = client.get("/account")
    assert page.status_code == 200
    assert "Ihre Organisationen und Rollen" in page.text and "WF Herten" in page.text
    assert "Bearbeitung" in page.text and EDITOR in page.text
    assert 'aria-current="page"' in page.text.split('id="nav-account"')[1].split(">")[0]
    assert "<caption>" in page.text and 'label for="current-password"' in page.text
    english = client.get("/account?lang=en").text
    assert "Your organisations and roles" in english and "Editor" in english
    # the choice is kept (in the language cookie) for the next page
    assert "Change password" in client.get("/account").text
    assert "Passwort ändern" in client.get("/account?lang=de").text


def test_the_password_changes_only_with_the_current_password(world: World) -> None:
    new_user(world, "wechsel@herten.de")
    client = client_for(world, "wechsel@herten.de")

    def change(current: str, new: str, again: str | None = None) -> tuple[int, str]:
        form = {
            "csrf_token": csrf_token(client, "/account"),
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
        }
        response = client.post("/account/password", data=form, follow_redirects=False)
        return response.status_code, response.text

    status, text = change("falsch und falsch", NEW_PASSWORD)
    assert status == 400 and "Das aktuelle Passwort ist falsch" in text
    status, text = change(PASSWORD, NEW_PASSWORD, "etwas anderes!")
    assert status == 400 and "stimmen nicht überein" in text
    status, text = change(PASSWORD, "kurz")
    assert status == 400 and "mindestens 10 Zeichen" in text
    assert login(TestClient(world.app), "wechsel@herten.de", NEW_PASSWORD).status_code == 401  # nothing changed
    assert ("change_password", "user") not in audit_actions(world, "wechsel@herten.de")

    status, _ = change(PASSWORD, NEW_PASSWORD)
    assert status == 303
    assert "Ihr Passwort ist geändert." in client.get("/account?done=password_changed").text
    assert login(TestClient(world.app), "wechsel@herten.de", NEW_PASSWORD).status_code == 303
    assert login(TestClient(world.app), "wechsel@herten.de", PASSWORD).status_code == 401
    assert ("change_password", "user") in audit_actions(world, "wechsel@herten.de")
    with session_factory(world.app.state.engine)() as s:
        user = s.scalars(select(User).where(User.email == "wechsel@herten.de")).one()
        assert user.password_hash.startswith("$argon2id$") and NEW_PASSWORD not in user.password_hash


def test_wrong_current_passwords_count_towards_the_login_rate_limit(world: World) -> None:
    new_user(world, "rate@herten.de")
    client = client_for(world, "rate@herten.de")
    statuses = []
    for _ in range(accounts.MAX_FAILURES_PER_EMAIL + 1):
        form = {
            "csrf_token": csrf_token(client, "/account"),
            "current_password": "geraten, geraten",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        }
        statuses.append(client.post("/account/password", data=form).status_code)
    assert statuses == [400] * accounts.MAX_FAILURES_PER_EMAIL + [429]
    with session_factory(world.app.state.engine)() as s:
        failures = s.scalars(
            select(LoginAttempt).where(LoginAttempt.email == "rate@herten.de", LoginAttempt.success.is_(False))
        ).all()
    assert len(failures) == accounts.MAX_FAILURES_PER_EMAIL + 1


def test_a_token_is_shown_once_works_for_the_api_and_stops_when_revoked(world: World) -> None:
    new_user(world, "token@herten.de")
    client = client_for(world, "token@herten.de")
    response = client.post(
        "/account/tokens", data={"csrf_token": csrf_token(client, "/account"), "name": "Jupyter-Notizbuch"}
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert "nur dieses eine Mal angezeigt" in response.text
    token = response.text.split('id="new-token-value" value="')[1].split('"')[0]
    assert len(token) >= 43
    page = client.get("/account").text
    assert token not in page and "Jupyter-Notizbuch" in page  # listed by name, never shown again

    headers = {"Authorization": f"Bearer {token}"}
    api = TestClient(world.app)
    assert api.get("/api/v1/taxonomies", headers=headers).status_code == 200
    assert "noch nie" not in client.get("/account").text  # its last use is shown

    with session_factory(world.app.state.engine)() as s:
        token_id = s.scalars(select(ApiToken.id).where(ApiToken.name == "Jupyter-Notizbuch")).one()
    revoke = client.post(
        f"/account/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token(client, "/account")},
        follow_redirects=False,
    )
    assert revoke.status_code == 303
    assert api.get("/api/v1/taxonomies", headers=headers).status_code == 401
    page = client.get("/account?done=token_revoked").text
    assert "Jupyter-Notizbuch" not in page and "öffnet die API nicht mehr" in page
    assert audit_actions(world, "token@herten.de")[-2:] == [("create", "api_token"), ("revoke", "api_token")]

    # nobody revokes another user's token: it answers like a missing one and keeps working
    other = api_token(world, VIEWER)
    with session_factory(world.app.state.engine)() as s:
        other_id = s.scalars(select(ApiToken.id).order_by(ApiToken.id.desc())).first()
    assert other_id is not None
    taken = client.post(f"/account/tokens/{other_id}/revoke", data={"csrf_token": csrf_token(client, "/account")})
    assert taken.status_code == 404
    assert api.get("/api/v1/taxonomies", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    empty = client.post("/account/tokens", data={"csrf_token": csrf_token(client, "/account"), "name": "  "})
    assert empty.status_code == 400 and "Bezeichnung" in empty.text


def test_account_posts_without_the_csrf_token_are_refused(world: World) -> None:
    client = client_for(world, GLADBECK)
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    assert client.post("/account/password", data=form).status_code == 403
    assert client.post("/account/tokens", data={"name": "heimlich"}).status_code == 403
    assert login(TestClient(world.app), GLADBECK, PASSWORD).status_code == 303  # the password is unchanged
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(ApiToken).where(ApiToken.name == "heimlich")) is None


def test_the_account_page_needs_a_login(world: World) -> None:
    response = TestClient(world.app).get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Faccount"


# ------------------------------------------------------------------ the library functions, on both databases
def test_change_password_and_tokens_on_both_databases(session: Session) -> None:
    accounts.create_organisation(session, "herten", "WF Herten")
    ada = accounts.create_user(session, "ada@herten.de", "Ada", PASSWORD, "herten", Role.viewer)
    with pytest.raises(accounts.WeakPassword):
        accounts.change_password(session, ada, PASSWORD, "kurz", "10.0.0.1")
    with pytest.raises(accounts.AuthError):
        accounts.change_password(session, ada, "nicht das Passwort", NEW_PASSWORD, "10.0.0.1")
    accounts.change_password(session, ada, PASSWORD, NEW_PASSWORD, "10.0.0.1")
    assert accounts.authenticate(session, "ada@herten.de", NEW_PASSWORD, "10.0.0.1") is ada
    first = accounts.create_token(session, ada, "eins")
    accounts.create_token(session, ada, "zwei")
    tokens = accounts.tokens_of(session, ada)
    assert sorted(tok.name for tok in tokens) == ["eins", "zwei"]
    eins = next(tok for tok in tokens if tok.name == "eins")
    assert accounts.revoke_token(session, ada, eins.id) is not None
    assert accounts.revoke_token(session, ada, eins.id) is None
    assert accounts.user_for_token(session, first) is None
    assert [tok.name for tok in accounts.tokens_of(session, ada)] == ["zwei"]
