"""Accounts, login, rate limit, tokens, roles and the visibility rule, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.web import accounts
from regiolens.web.accounts import (
    LOGIN_FAILED,
    MAX_FAILURES_PER_EMAIL,
    MAX_FAILURES_PER_IP,
    RATE_WINDOW,
    AuthError,
    PermissionDenied,
    RateLimited,
    add_to_network,
    audit,
    authenticate,
    can_edit,
    create_network,
    create_organisation,
    create_token,
    create_user,
    memberships,
    network_organisation_ids,
    require_role,
    role_in,
    set_role,
    user_for_token,
    visible,
    visible_organisation_ids,
)
from regiolens.web.db import (
    ApiToken,
    AuditEntry,
    LoginAttempt,
    Membership,
    Organisation,
    Role,
    Taxonomy,
    User,
    Visibility,
)

PASSWORD = "korrekt-pferd-batterie"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def audit_log(s: Session) -> list[tuple[str, str, int | None]]:
    return [(e.action, e.entity, e.user_id) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def login_at(
    s: Session, seconds: float, password: str = PASSWORD, email: str = "ada@herten.de", ip: str = "10.0.0.1"
) -> User:
    return authenticate(s, email, password, ip, now=T0 + timedelta(seconds=seconds))


@pytest.fixture
def ada(session: Session) -> User:
    create_organisation(session, "herten", "Wirtschaftsförderung Herten")
    user = create_user(session, "Ada@Herten.de", "Ada", PASSWORD, "herten", Role.editor)
    session.commit()
    return user


# ------------------------------------------------------------------ users and passwords
def test_password_is_stored_as_argon2_hash_only(session: Session, ada: User) -> None:
    assert ada.email == "ada@herten.de"
    assert ada.password_hash.startswith("$argon2id$")
    assert PASSWORD not in ada.password_hash
    assert PasswordHasher().verify(ada.password_hash, PASSWORD)
    assert [(m.organisation.slug, m.role) for m in memberships(session, ada)] == [("herten", Role.editor)]
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity) for e in entries] == [("create", "organisation"), ("create", "user")]
    assert entries[1].detail == {"email": "ada@herten.de", "name": "Ada", "organisation": "herten", "role": "editor"}
    assert entries[1].entity_id == str(ada.id)
    assert entries[1].organisation_id == ada.memberships[0].organisation_id
    assert entries[1].at.tzinfo is UTC


def test_user_creation_errors_are_clear(session: Session, ada: User) -> None:
    with pytest.raises(RegiolensError, match="at least 10 characters"):
        create_user(session, "bob@herten.de", "Bob", "kurz", "herten", Role.viewer)
    with pytest.raises(RegiolensError, match=r"'ada@herten\.de' exists already"):
        create_user(session, " ADA@herten.de", "Ada 2", PASSWORD, "herten", Role.viewer)
    with pytest.raises(RegiolensError, match="not an e-mail address"):
        create_user(session, "bob", "Bob", PASSWORD, "herten", Role.viewer)
    with pytest.raises(RegiolensError, match="no organisation 'gladbeck'"):
        create_user(session, "bob@herten.de", "Bob", PASSWORD, "gladbeck", Role.viewer)
    with pytest.raises(RegiolensError, match="organisation 'herten' exists already"):
        create_organisation(session, "herten", "Noch einmal")
    with pytest.raises(RegiolensError, match="slug 'Herten Süd'"):
        create_organisation(session, "Herten Süd", "Herten Süd")
    with pytest.raises(RegiolensError, match="user name must have 1 to 200 characters"):
        create_user(session, "bob@herten.de", "B" * 201, PASSWORD, "herten", Role.viewer)
    with pytest.raises(RegiolensError, match="not an e-mail address"):
        create_user(session, "b" * 320 + "@herten.de", "Bob", PASSWORD, "herten", Role.viewer)
    with pytest.raises(RegiolensError, match="organisation name must have"):
        create_organisation(session, "gladbeck", "  ")
    assert session.scalar(select(User.email).where(User.email == "bob@herten.de")) is None


def test_set_role_changes_or_creates_the_membership(session: Session, ada: User) -> None:
    create_organisation(session, "bottrop", "Wirtschaftsförderung Bottrop")
    bottrop = session.scalars(select(Organisation).where(Organisation.slug == "bottrop")).one()
    assert role_in(session, ada, bottrop.id) is None
    membership = set_role(session, "ADA@herten.de", "bottrop", Role.viewer)
    assert (membership.user_id, membership.organisation_id, membership.role) == (ada.id, bottrop.id, Role.viewer)
    set_role(session, "ada@herten.de", "bottrop", Role.admin, actor=ada)
    assert role_in(session, ada, bottrop.id) is Role.admin
    assert [m.organisation.slug for m in memberships(session, ada)] == ["bottrop", "herten"]
    roles = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_role").order_by(AuditEntry.id)).all()
    assert [(e.detail["previous"], e.detail["role"], e.user_id) for e in roles] == [
        (None, "viewer", None),
        ("viewer", "admin", ada.id),
    ]
    with pytest.raises(RegiolensError, match=r"no user 'eve@herten\.de'"):
        set_role(session, "eve@herten.de", "herten", Role.viewer)


# ------------------------------------------------------------------ login
def test_authenticate_ok_wrong_unknown_inactive(session: Session, ada: User) -> None:
    assert authenticate(session, "ADA@herten.de ", PASSWORD, "10.0.0.1") is ada
    for email, password in [("ada@herten.de", "falsch-falsch"), ("nobody@herten.de", PASSWORD)]:
        with pytest.raises(AuthError) as caught:
            authenticate(session, email, password, "10.0.0.1")
        assert str(caught.value) == LOGIN_FAILED
        assert not isinstance(caught.value, RateLimited)
    ada.active = False
    with pytest.raises(AuthError, match=LOGIN_FAILED):
        authenticate(session, "ada@herten.de", PASSWORD, "10.0.0.1")
    with pytest.raises(AuthError, match=LOGIN_FAILED):  # stored shortened, not a database error on PostgreSQL
        authenticate(session, "x" * 1000 + "@herten.de", PASSWORD, "f" * 1000)
    attempts = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.email, a.ip, a.success) for a in attempts] == [
        ("ada@herten.de", "10.0.0.1", True),
        ("ada@herten.de", "10.0.0.1", False),
        ("nobody@herten.de", "10.0.0.1", False),
        ("ada@herten.de", "10.0.0.1", False),
        ("x" * 320, "f" * 64, False),
    ]


def test_rate_limit_after_five_failures_resets_after_the_window(session: Session, ada: User) -> None:
    for i in range(MAX_FAILURES_PER_EMAIL):
        with pytest.raises(AuthError, match=LOGIN_FAILED):
            login_at(session, i, password="falsch-falsch")
        session.commit()
    with pytest.raises(RateLimited) as caught:
        login_at(session, 10)  # even the right password is not checked now
    # the oldest failure (at T0) leaves the 15-minute window 890 s later
    assert caught.value.retry_after == RATE_WINDOW.total_seconds() - 10
    assert "15 Minuten" in str(caught.value)
    session.commit()
    # another address from another IP is not affected
    create_user(session, "bob@herten.de", "Bob", PASSWORD, "herten", Role.viewer)
    assert login_at(session, 11, email="bob@herten.de", ip="10.0.0.2").email == "bob@herten.de"
    # T0 + 0 s and + 1 s have left the window; + 2, 3, 4 s and the refused attempt at + 10 s are 4 failures
    assert login_at(session, RATE_WINDOW.total_seconds() + 1) is ada


def test_rate_limit_per_ip_across_addresses(session: Session, ada: User) -> None:
    for i in range(MAX_FAILURES_PER_IP):
        with pytest.raises(AuthError, match=LOGIN_FAILED):
            login_at(session, i, email=f"guess{i}@herten.de", ip="192.0.2.7")
    with pytest.raises(RateLimited) as caught:
        login_at(session, 30, ip="192.0.2.7")
    assert caught.value.retry_after == RATE_WINDOW.total_seconds() - 30
    assert login_at(session, 31, ip="192.0.2.8") is ada


def test_hash_with_old_parameters_is_replaced_at_login(
    session: Session, ada: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())  # the production parameters
    ada.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    old = ada.password_hash
    authenticate(session, "ada@herten.de", PASSWORD, "10.0.0.1")
    session.commit()
    session.expire_all()
    new = session.scalars(select(User.password_hash).where(User.id == ada.id)).one()
    assert new != old
    assert not PasswordHasher().check_needs_rehash(new)
    assert authenticate(session, "ada@herten.de", PASSWORD, "10.0.0.1") is ada


# ------------------------------------------------------------------ API tokens
def test_tokens_are_stored_as_sha256_and_find_their_user(session: Session, ada: User) -> None:
    token = create_token(session, ada, "notebook")
    assert len(token) >= 43
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.name, stored.token_hash)
    assert stored.last_used_at is None
    assert user_for_token(session, token) is ada
    assert stored.last_used_at is not None
    assert stored.last_used_at.tzinfo is UTC
    assert user_for_token(session, token + "x") is None
    assert create_token(session, ada, "notebook") != token
    ada.active = False
    assert user_for_token(session, token) is None
    assert audit_log(session)[-2:] == [("create", "api_token", ada.id)] * 2


# ------------------------------------------------------------------ roles and the visibility rule
def test_role_order() -> None:
    order = [Role.viewer, Role.analyst, Role.editor, Role.admin]
    assert list(Role) == order
    for i, have in enumerate(order):
        assert [have.allows(needed) for needed in order] == [j <= i for j in range(len(order))]


@dataclass
class World:
    """A, B in network N; B, C in network M; D in no network. One user per organisation, records of each."""

    users: dict[str, User]
    records: dict[str, Taxonomy]


@pytest.fixture
def world(session: Session) -> World:
    users: dict[str, User] = {}
    records: dict[str, Taxonomy] = {}
    for org in "abcd":
        create_organisation(session, org, f"Organisation {org.upper()}")
        users[org] = create_user(session, f"user@{org}.de", org, PASSWORD, org, Role.editor)
    create_network(session, "n", "Netzwerk N", ["a", "b"])
    create_network(session, "m", "Netzwerk M", ["b"])
    add_to_network(session, "m", "c")
    ids = {o.slug: o.id for o in session.scalars(select(Organisation))}
    for org in "abcd":
        for visibility in Visibility:
            record = Taxonomy(
                organisation_id=ids[org],
                visibility=visibility,
                slug=f"{org}-{visibility}",
                name=f"{org} {visibility}",
                classification="wz2008",
                definition=[{"id": "x", "label_de": "X", "label_en": "X", "codes": ["29.10"]}],
                created_by=users[org].id,
            )
            session.add(record)
            records[record.slug] = record
    session.commit()
    return World(users, records)


@pytest.mark.parametrize(
    ("org", "sees"),
    [
        ("a", {"a-private", "a-network", "b-network"}),
        ("b", {"b-private", "b-network", "a-network", "c-network"}),
        ("c", {"c-private", "c-network", "b-network"}),
        ("d", {"d-private", "d-network"}),
    ],
)
def test_visible_own_records_and_network_shared_ones_only(
    session: Session, world: World, org: str, sees: set[str]
) -> None:
    user = world.users[org]
    assert set(session.scalars(visible(session, user, Taxonomy).with_only_columns(Taxonomy.slug))) == sees
    # never another organisation's private record, whatever the query adds
    query = visible(session, user, Taxonomy).where(Taxonomy.visibility == Visibility.private)
    assert {t.slug for t in session.scalars(query)} == {f"{org}-private"}


def test_visible_for_a_member_of_two_organisations(session: Session, world: World) -> None:
    set_role(session, "user@a.de", "d", Role.viewer)
    slugs = set(session.scalars(visible(session, world.users["a"], Taxonomy).with_only_columns(Taxonomy.slug)))
    assert slugs == {"a-private", "a-network", "b-network", "d-private", "d-network"}


def test_organisation_id_sets(session: Session, world: World) -> None:
    ids = {o.slug: o.id for o in session.scalars(select(Organisation))}
    assert visible_organisation_ids(session, world.users["a"]) == {ids["a"]}
    assert network_organisation_ids(session, world.users["a"]) == {ids["a"], ids["b"]}
    assert network_organisation_ids(session, world.users["b"]) == {ids["a"], ids["b"], ids["c"]}
    assert network_organisation_ids(session, world.users["d"]) == {ids["d"]}


def test_viewer_cannot_edit(session: Session, world: World) -> None:
    a, b = world.users["a"], world.users["b"]
    a_record, b_shared = world.records["a-private"], world.records["b-network"]
    org_a = a_record.organisation_id
    for role, editable in [(Role.viewer, False), (Role.analyst, False), (Role.editor, True), (Role.admin, True)]:
        set_role(session, a.email, "a", role)
        assert can_edit(session, a, a_record) is editable
        assert can_edit(session, a, b_shared) is False  # seen through the network, never editable
    set_role(session, a.email, "a", Role.viewer)
    require_role(session, a, org_a, Role.viewer)
    with pytest.raises(PermissionDenied, match="role editor in organisation 'a' \\(yours: viewer\\)"):
        require_role(session, a, org_a, Role.editor)
    with pytest.raises(PermissionDenied, match="yours: none"):
        require_role(session, b, org_a, Role.viewer)


def test_network_changes_and_explicit_entries_are_audited(session: Session, world: World) -> None:
    before = len(audit_log(session))
    add_to_network(session, "n", "a")  # a member already: nothing changes, nothing is written
    assert len(audit_log(session)) == before
    add_to_network(session, "n", "d", actor=world.users["a"])
    b, record = world.users["b"], world.records["b-network"]
    entry = audit(session, b, "update", "taxonomy", record.id, {"name": "neu"}, record.organisation_id)
    assert (entry.user_id, entry.entity_id, entry.detail) == (b.id, str(record.id), {"name": "neu"})
    assert entry.organisation_id == record.organisation_id
    session.commit()
    assert audit_log(session)[-2:] == [("add_member", "network", world.users["a"].id), ("update", "taxonomy", b.id)]
    creations = [e for e in audit_log(session) if e[0] == "create"]
    assert len(creations) == 4 + 4 + 2


# ------------------------------------------------------------------ database rules on both backends
def test_constraints_hold_on_both_databases(session: Session, world: World) -> None:
    org_a = world.records["a-private"].organisation_id
    duplicate = Taxonomy(organisation_id=org_a, slug="a-private", name="x", classification="wz2008", definition=[])
    session.add(duplicate)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    session.add(Membership(user_id=world.users["a"].id, organisation_id=10_000, role=Role.viewer))
    with pytest.raises(IntegrityError):  # foreign keys are enforced on SQLite too
        session.flush()
    session.rollback()


def test_timestamps_are_aware_utc_and_naive_ones_refused(session: Session, ada: User) -> None:
    session.expire_all()
    assert session.get_one(User, ada.id).created_at.tzinfo is UTC
    session.add(LoginAttempt(at=datetime(2026, 1, 1), email="x@y.de", ip="::1", success=False))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()
