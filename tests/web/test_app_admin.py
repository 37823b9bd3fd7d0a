"""Organisation administration in the browser: only an organisation's admins manage its members, roles and log.

Herten and Bottrop each get one admin on top of the world of ``app_support``; tests that change memberships do it in
an organisation of their own, so that they do not depend on each other's order.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from regiolens.web import accounts
from regiolens.web.db import AuditEntry, Membership, Organisation, Role, User, session_factory
from tests.web.app_support import (
    BOTTROP,
    EDITOR,
    GLADBECK,
    PASSWORD,
    VIEWER,
    World,
    build_app,
    client_for,
    csrf_token,
    login,
)

HERTEN_ADMIN = "admin@herten.de"
BOTTROP_ADMIN = "admin@bottrop.de"
HERTEN_ANALYST = "analyst@herten.de"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    world = build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)
    with session_factory(world.app.state.engine).begin() as s:
        accounts.create_user(s, HERTEN_ADMIN, "Ada Admin", PASSWORD, "herten", Role.admin)
        accounts.create_user(s, HERTEN_ANALYST, "Ana Analyst", PASSWORD, "herten", Role.analyst)
        accounts.create_user(s, BOTTROP_ADMIN, "Bea Bottrop-Admin", PASSWORD, "bottrop", Role.admin)
    return world


def user_id(world: World, email: str) -> int:
    with session_factory(world.app.state.engine)() as s:
        found = s.scalar(select(User.id).where(User.email == email))
        assert found is not None
        return found


def role_of(world: World, email: str, org: str) -> Role | None:
    with session_factory(world.app.state.engine)() as s:
        return s.scalar(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(User.email == email, Organisation.slug == org)
        )


def own_organisation(world: World, slug: str, *admins: str) -> None:
    """A new organisation of its own for one test, with these admins (new users)."""
    with session_factory(world.app.state.engine).begin() as s:
        accounts.create_organisation(s, slug, f"WF {slug.title()}")
        for email in admins:
            accounts.create_user(s, email, email.split("@")[0].title(), PASSWORD, slug, Role.admin)


def post(client: TestClient, path: str, data: dict[str, str], page: str = "/account") -> int:
    """POST a form with the session's CSRF token (read from ``page``); the status code."""
    token = csrf_token(client, page)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False).status_code


# ------------------------------------------------------------------ who may
@pytest.mark.parametrize("email", [VIEWER, HERTEN_ANALYST, EDITOR])
def test_viewer_analyst_and_editor_get_403_on_admin_pages_and_posts(world: World, email: str) -> None:
    client = client_for(world, email)
    home = client.get("/").text
    assert 'id="nav-account"' in home and 'id="nav-orgs"' not in home
    for page in ("/orgs", "/orgs/herten", "/orgs/herten/audit"):
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Administration der Organisation vorbehalten" in response.text
    victim = user_id(world, VIEWER)
    posts = {
        "/orgs/herten/members": {"email": GLADBECK, "role": "admin"},
        "/orgs/herten/users": {"email": "eve@herten.de", "name": "Eve", "password": PASSWORD, "role": "admin"},
        f"/orgs/herten/members/{victim}/role": {"role": "admin"},
        f"/orgs/herten/members/{victim}/remove": {},
    }
    for path, data in posts.items():
        assert post(client, path, data) == 403, path
    assert role_of(world, GLADBECK, "herten") is None
    assert role_of(world, VIEWER, "herten") is Role.viewer
    assert role_of(world, email, "herten") is not Role.admin
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(User).where(User.email == "eve@herten.de")) is None


def test_an_analyst_elsewhere_is_no_admin_either(world: World) -> None:
    client = client_for(world, GLADBECK)
    assert client.get("/orgs/gladbeck").status_code == 403
    assert post(client, "/orgs/gladbeck/members", {"email": VIEWER, "role": "viewer"}) == 403


def test_the_admin_of_one_organisation_cannot_see_or_change_another(world: World) -> None:
    client = client_for(world, HERTEN_ADMIN)
    home = client.get("/").text
    assert 'id="nav-orgs"' in home
    assert client.get("/orgs").status_code == 200
    page = client.get("/orgs/herten").text
    assert VIEWER in page and BOTTROP not in page and BOTTROP_ADMIN not in page
    # another organisation's pages, and one that does not exist, answer alike
    for other in ("/orgs/bottrop", "/orgs/bottrop/audit", "/orgs/gibt-es-nicht"):
        assert client.get(other).status_code == 403, other
    assert "bottrop" not in client.get("/orgs").text
    # guessing ids: Bottrop's members through Bottrop's URLs (403) and through Herten's (404: no member here)
    bottrop_editor = user_id(world, BOTTROP)
    assert post(client, f"/orgs/bottrop/members/{bottrop_editor}/role", {"role": "viewer"}) == 403
    assert post(client, f"/orgs/bottrop/members/{bottrop_editor}/remove", {}) == 403
    assert post(client, "/orgs/bottrop/users", {"email": "x@y.de", "name": "X", "password": PASSWORD}) == 403
    assert post(client, f"/orgs/herten/members/{bottrop_editor}/role", {"role": "viewer"}) == 404
    assert post(client, f"/orgs/herten/members/{bottrop_editor}/remove", {}) == 404
    assert post(client, "/orgs/herten/members/99999999999/remove", {}) == 404
    assert role_of(world, BOTTROP, "bottrop") is Role.editor
    assert role_of(world, BOTTROP, "herten") is None
    # the audit log holds Herten's changes only
    log = client.get("/orgs/herten/audit").text
    assert HERTEN_ADMIN in log and BOTTROP not in log and BOTTROP_ADMIN not in log


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    client = client_for(world, HERTEN_ADMIN)
    form = {"email": "csrf@herten.de", "name": "Csrf", "password": PASSWORD, "role": "admin"}
    assert client.post("/orgs/herten/users", data=form, follow_redirects=False).status_code == 403
    wrong = {**form, "csrf_token": "forged"}
    assert client.post("/orgs/herten/users", data=wrong, follow_redirects=False).status_code == 403
    victim = user_id(world, VIEWER)
    assert client.post(f"/orgs/herten/members/{victim}/role", data={"role": "admin"}).status_code == 403
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(User).where(User.email == "csrf@herten.de")) is None
    assert role_of(world, VIEWER, "herten") is Role.viewer


# ------------------------------------------------------------------ what an admin does
def test_an_admin_adds_creates_changes_and_removes_members_and_every_change_is_logged(world: World) -> None:
    own_organisation(world, "dorsten", "chefin@dorsten.de")
    client = client_for(world, "chefin@dorsten.de")
    new = {"email": "neu@dorsten.de", "name": "Nina Neu", "password": PASSWORD, "role": "editor"}
    assert post(client, "/orgs/dorsten/users", new) == 303
    page = client.get("/orgs/dorsten?done=user_created").text
    assert "Nina Neu" in page and "Konto angelegt und aufgenommen." in page
    assert role_of(world, "neu@dorsten.de", "dorsten") is Role.editor
    assert login(TestClient(world.app), "neu@dorsten.de").status_code == 303  # the initial password works

    # an existing user of another organisation joins; twice is refused with a clear message
    assert post(client, "/orgs/dorsten/members", {"email": GLADBECK, "role": "viewer"}) == 303
    assert role_of(world, GLADBECK, "dorsten") is Role.viewer
    assert role_of(world, GLADBECK, "gladbeck") is Role.analyst  # untouched
    again = client.post(
        "/orgs/dorsten/members", data={"csrf_token": csrf_token(client, "/orgs/dorsten"), "email": GLADBECK}
    )
    assert again.status_code == 400 and "bereits Mitglied" in again.text
    unknown = client.post(
        "/orgs/dorsten/members", data={"csrf_token": csrf_token(client, "/orgs/dorsten"), "email": "nie@da.de"}
    )
    assert unknown.status_code == 400 and "nie@da.de" in unknown.text
    short = {**new, "email": "kurz@dorsten.de", "password": "kurz"}
    response = client.post("/orgs/dorsten/users", data={"csrf_token": csrf_token(client, "/orgs/dorsten"), **short})
    assert response.status_code == 400 and "mindestens 10 Zeichen" in response.text

    gladbeck = user_id(world, GLADBECK)
    assert post(client, f"/orgs/dorsten/members/{gladbeck}/role", {"role": "analyst"}) == 303
    assert role_of(world, GLADBECK, "dorsten") is Role.analyst
    assert post(client, f"/orgs/dorsten/members/{gladbeck}/role", {"role": "chef"}) == 400
    assert post(client, f"/orgs/dorsten/members/{gladbeck}/remove", {}) == 303
    assert role_of(world, GLADBECK, "dorsten") is None
    assert role_of(world, GLADBECK, "gladbeck") is Role.analyst

    chefin = user_id(world, "chefin@dorsten.de")
    with session_factory(world.app.state.engine)() as s:
        org = s.scalars(select(Organisation).where(Organisation.slug == "dorsten")).one()
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.organisation_id == org.id, AuditEntry.user_id == chefin)
        ).all()
    assert [(e.action, e.detail.get("email")) for e in entries] == [
        ("create", "neu@dorsten.de"),
        ("set_role", GLADBECK),
        ("set_role", GLADBECK),
        ("remove_member", GLADBECK),
    ]
    log = client.get("/orgs/dorsten/audit")
    assert log.status_code == 200
    rows = log.text.split('data-entry="')[1:]
    assert "remove_member" in rows[0] and "Chefin" in rows[0]  # newest first
    assert "create" in rows[-1] and "Kommandozeile" in rows[-1]  # the organisation was made on the command line


def test_the_last_admin_can_be_neither_demoted_nor_removed(world: World) -> None:
    own_organisation(world, "marl", "erste@marl.de")
    first = client_for(world, "erste@marl.de")
    first_id = user_id(world, "erste@marl.de")
    for path, data in (
        (f"/orgs/marl/members/{first_id}/role", {"role": "editor"}),
        (f"/orgs/marl/members/{first_id}/remove", {}),
    ):
        response = first.post(path, data={"csrf_token": csrf_token(first, "/orgs/marl"), **data})
        assert response.status_code == 400
        assert "letzte Administratorin bzw. der letzte Administrator" in response.text
    assert role_of(world, "erste@marl.de", "marl") is Role.admin

    # with a second admin the first may step down (and lands on the account page, no longer an admin here)
    new = {"email": "zweite@marl.de", "name": "Zweite", "password": PASSWORD, "role": "admin"}
    assert post(first, "/orgs/marl/users", new) == 303
    token = csrf_token(first, "/orgs/marl")
    stepped_down = first.post(
        f"/orgs/marl/members/{first_id}/role", data={"csrf_token": token, "role": "viewer"}, follow_redirects=False
    )
    assert stepped_down.status_code == 303 and stepped_down.headers["location"] == "/account"
    assert first.get("/orgs/marl").status_code == 403
    # now the second is the last admin: the second cannot leave either, in English too
    second = client_for(world, "zweite@marl.de")
    second_id = user_id(world, "zweite@marl.de")
    refused = second.post(
        f"/orgs/marl/members/{second_id}/remove?lang=en", data={"csrf_token": csrf_token(second, "/orgs/marl")}
    )
    assert refused.status_code == 400 and "last admin" in refused.text
    assert role_of(world, "zweite@marl.de", "marl") is Role.admin


def test_the_audit_log_is_paged_newest_first_and_filtered(world: World) -> None:
    own_organisation(world, "haltern", "chef@haltern.de")
    with session_factory(world.app.state.engine).begin() as s:
        org = s.scalars(select(Organisation).where(Organisation.slug == "haltern")).one()
        chef = s.scalars(select(User).where(User.email == "chef@haltern.de")).one()
        for n in range(60):
            accounts.audit(s, chef, "update", "taxonomy", n, {"n": n}, org.id)
    client = client_for(world, "chef@haltern.de")
    first = client.get("/orgs/haltern/audit").text
    # 60 updates + the organisation and the admin made on the command line
    assert "62 Einträge, neueste zuerst – Seite 1 von 2" in first
    assert first.count('data-entry="') == accounts.AUDIT_PAGE_SIZE
    assert "taxonomy 59" in first.split('data-entry="')[1] and "taxonomy 10<" in first and "taxonomy 9<" not in first
    assert 'id="audit-older"' in first and 'id="audit-newer"' not in first
    second = client.get("/orgs/haltern/audit?page=2").text
    assert second.count('data-entry="') == 12 and "taxonomy 9<" in second and 'id="audit-newer"' in second
    assert "Seite 2 von 2" in client.get("/orgs/haltern/audit?page=999").text
    only_users = client.get("/orgs/haltern/audit?what=user").text
    assert only_users.count('data-entry="') == 1 and "chef@haltern.de" in only_users
    by_chef = client.get(f"/orgs/haltern/audit?who={user_id(world, 'chef@haltern.de')}&lang=en").text
    assert "60 entries, newest first – page 1 of 2" in by_chef
    assert client.get("/orgs/haltern/audit?page=x").status_code == 400


def test_admin_pages_speak_german_first_and_english_on_request(world: World) -> None:
    client = client_for(world, HERTEN_ADMIN)
    german = client.get("/orgs/herten").text
    assert "Mitglieder von WF Herten mit ihrer Rolle" in german and "Netzwerk Emscher-Lippe" in german
    assert "<caption>" in german and 'label for="add-email"' in german
    english = client.get("/orgs/herten?lang=en").text
    assert "Members of WF Herten with their role" in english and "Create a new user" in english


# ------------------------------------------------------------------ the library functions, on both databases
def test_membership_functions_keep_an_admin_and_audit(session: Session) -> None:
    herten = accounts.create_organisation(session, "herten", "WF Herten")
    ada = accounts.create_user(session, "ada@herten.de", "Ada", PASSWORD, "herten", Role.admin)
    accounts.create_user(session, "bob@herten.de", "Bob", PASSWORD, "herten", Role.viewer)
    session.commit()
    with pytest.raises(accounts.LastAdmin):
        accounts.change_role(session, "ada@herten.de", "herten", Role.editor, actor=ada)
    with pytest.raises(accounts.LastAdmin):
        accounts.remove_member(session, "ada@herten.de", "herten", actor=ada)
    with pytest.raises(accounts.AlreadyMember):
        accounts.add_member(session, "bob@herten.de", "herten", Role.editor, actor=ada)
    accounts.change_role(session, "bob@herten.de", "herten", Role.admin, actor=ada)
    accounts.change_role(session, "ada@herten.de", "herten", Role.editor, actor=ada)
    accounts.remove_member(session, "ada@herten.de", "herten", actor=ada)
    with pytest.raises(accounts.NotAMember):
        accounts.remove_member(session, "ada@herten.de", "herten", actor=ada)
    session.commit()
    assert [(m.user.email, m.role) for m in accounts.members(session, herten.id)] == [("bob@herten.de", Role.admin)]
    # create organisation, create ada, create bob, bob -> admin, ada -> editor, ada removed
    page = accounts.audit_log(session, herten.id, per_page=2)
    assert (page.total, page.pages, len(page.rows)) == (6, 3, 2)
    assert [r.entry.action for r in page.rows] == ["remove_member", "set_role"]
    assert page.rows[0].actor is not None and page.rows[0].actor.email == "ada@herten.de"
    last = accounts.audit_log(session, herten.id, page=3, per_page=2)
    assert [r.entry.action for r in last.rows] == ["create", "create"] and last.rows[1].actor is None
    assert accounts.audit_log(session, herten.id, entity="organisation").total == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time through anyway")
    sessions = session_factory(engine)
    with sessions.begin() as s:
        accounts.create_organisation(s, "herten", "WF Herten")
        for email in ("ada@herten.de", "bob@herten.de"):
            accounts.create_user(s, email, email[:3].title(), PASSWORD, "herten", Role.admin)
    outcome: list[str] = []

    def bob_steps_down() -> None:
        with sessions() as s:
            try:
                accounts.change_role(s, "bob@herten.de", "herten", Role.editor)
                s.commit()
                outcome.append("demoted")
            except accounts.LastAdmin:
                outcome.append("refused")

    with sessions() as first:
        accounts.change_role(first, "ada@herten.de", "herten", Role.editor)  # holds the admins' rows
        other = threading.Thread(target=bob_steps_down)
        other.start()
        time.sleep(0.5)  # bob counts the admins while ada's change is not yet committed
        first.commit()
    other.join(timeout=30)
    assert outcome == ["refused"]
    with sessions() as s:
        admins = s.scalars(select(Membership).where(Membership.role == Role.admin)).all()
        assert [m.user.email for m in admins] == ["bob@herten.de"]


@pytest.mark.parametrize("page", ["/orgs", "/orgs/herten", "/orgs/herten/audit"])
def test_admin_pages_without_login_redirect_to_login(world: World, page: str) -> None:
    response = TestClient(world.app).get(page, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
