"""Accounts, organisations, networks, roles, login, API tokens and the one rule of who sees which record.

Every function takes the :class:`~sqlalchemy.orm.Session` first, flushes, and leaves the commit to the caller;
every change writes an :class:`~regiolens.web.db.AuditEntry`. Permission checks are the caller's: these functions
do what they are told (the command line is the administrator), the web app calls :func:`require_role` first::

    with session_factory(make_engine()).begin() as s:
        create_organisation(s, "herten", "Wirtschaftsförderung Herten")
        user = create_user(s, "ada@herten.de", "Ada", "eine lange Passphrase", "herten", Role.editor)
        taxonomies = s.scalars(visible(s, user, Taxonomy).order_by(Taxonomy.name)).all()
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from regiolens.errors import RegiolensError
from regiolens.web.db import (
    EMAIL_LENGTH,
    IP_LENGTH,
    NAME_LENGTH,
    ApiToken,
    AuditEntry,
    LoginAttempt,
    Membership,
    Network,
    Organisation,
    OrgRecord,
    Role,
    User,
    Visibility,
    network_members,
    normalise_email,
    utcnow,
)

R = TypeVar("R", bound=OrgRecord)

MIN_PASSWORD_LENGTH = 10
"""Shortest password accepted (characters); length beats composition rules (NIST SP 800-63B)."""

MAX_FAILURES_PER_EMAIL = 5
"""Failed logins for one e-mail address within :data:`RATE_WINDOW` after which further attempts are refused."""

MAX_FAILURES_PER_IP = 20
"""Failed logins from one IP address within :data:`RATE_WINDOW` after which further attempts are refused."""

RATE_WINDOW = timedelta(minutes=15)
"""The sliding window over which failed logins are counted."""

TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
"""How stale an API token's ``last_used_at`` may be before a request updates it."""

AUDIT_PAGE_SIZE = 50
"""Audit entries per page of :func:`audit_log`."""

LOGIN_FAILED = "E-Mail oder Passwort falsch"
"""The one message for every failed login: it does not tell whether the address exists."""

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_hasher = PasswordHasher()


class AuthError(RegiolensError):
    """A login or token that does not authenticate anybody."""


class RateLimited(AuthError):
    """Too many failed logins: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = math.ceil(retry_after / 60)
        super().__init__(f"Zu viele fehlgeschlagene Anmeldungen; bitte in {minutes} Minuten erneut versuchen")


class PermissionDenied(RegiolensError):
    """The user's role in the organisation does not allow the action."""


class WeakPassword(RegiolensError):
    """A password shorter than :data:`MIN_PASSWORD_LENGTH`."""


class AlreadyMember(RegiolensError):
    """The user is a member of the organisation already (change the role instead)."""


class NotAMember(RegiolensError):
    """The user is no member of the organisation."""


class LastAdmin(RegiolensError):
    """The change would leave the organisation without an admin, and nobody could administer it in the browser."""


# ------------------------------------------------------------------ audit
def audit(
    s: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Write one audit entry: ``actor`` (``None``: the command line) did ``action`` to ``entity`` ``entity_id``."""
    entry = AuditEntry(
        user_id=actor.id if actor else None,
        organisation_id=organisation_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail or {},
    )
    s.add(entry)
    s.flush()
    return entry


# ------------------------------------------------------------------ organisations and networks
def _check_slug(slug: str, what: str) -> None:
    if not _SLUG.fullmatch(slug):
        raise RegiolensError(f"{what} slug {slug!r}: lower-case letters, digits and inner hyphens, at most 64")


def _name(name: str, what: str) -> str:
    """``name`` trimmed; an error when it is empty or longer than the database keeps."""
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise RegiolensError(f"the {what} name must have 1 to {NAME_LENGTH} characters")
    return name


def get_organisation(s: Session, slug: str) -> Organisation:
    """The organisation with this slug; :class:`RegiolensError` when there is none."""
    org = s.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise RegiolensError(f"no organisation {slug!r}")
    return org


def _network(s: Session, slug: str) -> Network:
    network = s.scalar(select(Network).where(Network.slug == slug))
    if network is None:
        raise RegiolensError(f"no network {slug!r}")
    return network


def create_organisation(s: Session, slug: str, name: str, actor: User | None = None) -> Organisation:
    """A new organisation; ``slug`` (URL name, e.g. ``herten``) must be new."""
    _check_slug(slug, "organisation")
    name = _name(name, "organisation")
    if s.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        raise RegiolensError(f"organisation {slug!r} exists already")
    org = Organisation(slug=slug, name=name)
    s.add(org)
    s.flush()
    audit(s, actor, "create", "organisation", org.id, {"slug": slug, "name": name}, org.id)
    return org


def create_network(s: Session, slug: str, name: str, members: Sequence[str] = (), actor: User | None = None) -> Network:
    """A new network of the organisations with the slugs ``members`` (each must exist)."""
    _check_slug(slug, "network")
    name = _name(name, "network")
    if s.scalar(select(Network.id).where(Network.slug == slug)) is not None:
        raise RegiolensError(f"network {slug!r} exists already")
    orgs = [get_organisation(s, m) for m in dict.fromkeys(members)]
    network = Network(slug=slug, name=name, members=orgs)
    s.add(network)
    s.flush()
    audit(s, actor, "create", "network", network.id, {"slug": slug, "name": name, "members": [o.slug for o in orgs]})
    return network


def add_to_network(s: Session, network: str, organisation: str, actor: User | None = None) -> None:
    """Make the organisation a member of the network (nothing happens, nor is audited, when it is one already)."""
    net = _network(s, network)
    org = get_organisation(s, organisation)
    if org in net.members:
        return
    net.members.append(org)
    s.flush()
    audit(s, actor, "add_member", "network", net.id, {"network": network, "organisation": organisation}, org.id)


# ------------------------------------------------------------------ users and roles
def get_user(s: Session, email: str) -> User:
    """The user with this e-mail address (any case); :class:`RegiolensError` when there is none."""
    user = s.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise RegiolensError(f"no user {normalise_email(email)!r}")
    return user


def create_user(
    s: Session, email: str, name: str, password: str, organisation: str, role: Role, actor: User | None = None
) -> User:
    """A new user with ``role`` in ``organisation``; the password is stored as an argon2id hash only."""
    email = normalise_email(email)
    if not _EMAIL.fullmatch(email) or len(email) > EMAIL_LENGTH:
        raise RegiolensError(f"{email!r} is not an e-mail address")
    name = _name(name, "user")
    check_password(password)
    if s.scalar(select(User.id).where(User.email == email)) is not None:
        raise RegiolensError(f"a user with the e-mail address {email!r} exists already")
    org = get_organisation(s, organisation)
    user = User(email=email, name=name, password_hash=_hasher.hash(password))
    user.memberships.append(Membership(organisation=org, role=role))
    s.add(user)
    s.flush()
    detail = {"email": email, "name": name, "organisation": organisation, "role": str(role)}
    audit(s, actor, "create", "user", user.id, detail, org.id)
    return user


def set_role(s: Session, email: str, organisation: str, role: Role, actor: User | None = None) -> Membership:
    """Give the user ``role`` in ``organisation`` (a new membership when there is none)."""
    user = get_user(s, email)
    org = get_organisation(s, organisation)
    membership = s.get(Membership, (user.id, org.id))
    previous = str(membership.role) if membership else None
    if membership is None:
        membership = Membership(user=user, organisation=org, role=role)
        s.add(membership)
    membership.role = role
    s.flush()
    detail = {"email": user.email, "organisation": organisation, "role": str(role), "previous": previous}
    audit(s, actor, "set_role", "user", user.id, detail, org.id)
    return membership


def check_password(password: str) -> None:
    """Raise :class:`WeakPassword` unless the password has at least :data:`MIN_PASSWORD_LENGTH` characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def members(s: Session, organisation_id: int) -> list[Membership]:
    """The organisation's memberships, with their users loaded, by user name."""
    return list(
        s.scalars(
            select(Membership)
            .join(Membership.user)
            .options(selectinload(Membership.user))
            .where(Membership.organisation_id == organisation_id)
            .order_by(func.lower(User.name), User.id)
        )
    )


def _membership(s: Session, email: str, organisation: str) -> Membership:
    user = get_user(s, email)
    org = get_organisation(s, organisation)
    membership = s.get(Membership, (user.id, org.id))
    if membership is None:
        raise NotAMember(f"{user.email!r} is no member of organisation {organisation!r}")
    return membership


def _keep_an_admin(s: Session, membership: Membership, new_role: Role | None) -> None:
    """Raise :class:`LastAdmin` when ``membership`` is the organisation's last admin and would lose the role.

    ``new_role`` ``None``: the membership is removed. On PostgreSQL the admins' rows are locked until the
    transaction ends, so that two admins demoting each other at the same time cannot both succeed.
    """
    if membership.role != Role.admin or new_role == Role.admin:
        return
    admins = s.scalars(
        select(Membership.user_id)
        .where(Membership.organisation_id == membership.organisation_id, Membership.role == Role.admin)
        .with_for_update()
    ).all()
    if len(admins) <= 1:
        raise LastAdmin(f"{membership.user.email!r} is the last admin of organisation {membership.organisation.slug!r}")


def add_member(s: Session, email: str, organisation: str, role: Role, actor: User | None = None) -> Membership:
    """Make an existing user a member of ``organisation`` with ``role``; :class:`AlreadyMember` when one already."""
    user = get_user(s, email)
    org = get_organisation(s, organisation)
    if s.get(Membership, (user.id, org.id)) is not None:
        raise AlreadyMember(f"{user.email!r} is a member of organisation {organisation!r} already")
    return set_role(s, user.email, organisation, role, actor)


def change_role(s: Session, email: str, organisation: str, role: Role, actor: User | None = None) -> Membership:
    """Give a member of ``organisation`` another role; :class:`LastAdmin` when the last admin would be demoted."""
    _keep_an_admin(s, _membership(s, email, organisation), role)
    return set_role(s, email, organisation, role, actor)


def remove_member(s: Session, email: str, organisation: str, actor: User | None = None) -> None:
    """End the user's membership of ``organisation`` (the user stays); :class:`LastAdmin` for its last admin."""
    membership = _membership(s, email, organisation)
    _keep_an_admin(s, membership, None)
    user_id, org_id = membership.user_id, membership.organisation_id
    detail = {"email": membership.user.email, "organisation": organisation, "role": str(membership.role)}
    s.delete(membership)
    s.flush()
    audit(s, actor, "remove_member", "user", user_id, detail, org_id)


# ------------------------------------------------------------------ login
@cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown addresses, so that they take as long as known ones."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _retry_after(s: Session, email: str, ip: str, now: datetime) -> int | None:
    """Seconds until enough failures have left the window, or ``None`` when the attempt may go ahead."""
    since = now - RATE_WINDOW
    waits = []
    for column, value, limit in (
        (LoginAttempt.email, email, MAX_FAILURES_PER_EMAIL),
        (LoginAttempt.ip, ip, MAX_FAILURES_PER_IP),
    ):
        # the limit-th most recent failure in the window: until it leaves, `limit` failures are in the window
        limiting = s.scalar(
            select(LoginAttempt.at)
            .where(column == value, LoginAttempt.at > since, LoginAttempt.success.is_(False))
            .order_by(LoginAttempt.at.desc())
            .offset(limit - 1)
            .limit(1)
        )
        if limiting is not None:
            waits.append((limiting - since).total_seconds())
    return max(1, math.ceil(max(waits))) if waits else None


def authenticate(s: Session, email: str, password: str, ip: str, now: datetime | None = None) -> User:
    """The active user with this e-mail address and password; every attempt is recorded as a LoginAttempt.

    Raises :class:`RateLimited` after :data:`MAX_FAILURES_PER_EMAIL` failures for the address or
    :data:`MAX_FAILURES_PER_IP` from the IP within :data:`RATE_WINDOW` (the password is then not checked, and the
    refused attempt counts as a failure), else :class:`AuthError` with the same message for an unknown address, a
    wrong password and an inactive user. Commit the session when this raises too, or the failure is not counted.
    A hash made with older argon2 parameters is replaced by one with the current parameters.
    """
    now = now or utcnow()
    email, ip = normalise_email(email)[:EMAIL_LENGTH], ip[:IP_LENGTH]  # longer ones match nobody anyway
    attempt = LoginAttempt(at=now, email=email, ip=ip, success=False)
    retry_after = _retry_after(s, email, ip, now)
    if retry_after is not None:
        s.add(attempt)
        s.flush()
        raise RateLimited(retry_after)
    # The password is checked before the attempt is written: a write opens SQLite's write transaction, and held
    # over the ~0.1 s of argon2 it made concurrent logins wait for each other until "database is locked".
    user = s.scalar(select(User).where(User.email == email))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
        verified = True
    except (VerificationError, InvalidHashError):
        verified = False
    attempt.success = verified and user is not None and user.active
    s.add(attempt)
    s.flush()
    if not attempt.success:
        raise AuthError(LOGIN_FAILED)
    assert user is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        s.flush()
    return user


def change_password(s: Session, user: User, current: str, new: str, ip: str) -> None:
    """Replace the user's password with ``new`` (stored as an argon2id hash) after checking ``current``.

    ``current`` is checked by :func:`authenticate`, so wrong guesses count towards the same rate limit as failed
    logins (commit the session when this raises :class:`AuthError`, or the failure is not counted).
    :class:`WeakPassword` when ``new`` is too short; nothing is checked or recorded then.
    """
    check_password(new)
    authenticate(s, user.email, current, ip)
    user.password_hash = _hasher.hash(new)
    s.flush()
    audit(s, user, "change_password", "user", user.id)


# ------------------------------------------------------------------ API tokens
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(s: Session, user: User, name: str) -> str:
    """A new API token for ``user``; returns the plaintext, which is shown once and stored only as its SHA-256."""
    token = secrets.token_urlsafe(32)
    name = _name(name, "token")
    api_token = ApiToken(user_id=user.id, name=name, token_hash=_token_hash(token))
    s.add(api_token)
    s.flush()
    audit(s, user, "create", "api_token", api_token.id, {"name": name})
    return token


def user_for_token(s: Session, token: str) -> User | None:
    """The active user the token belongs to, else ``None``.

    The token's ``last_used_at`` is set to now when it is unset or older than :data:`TOKEN_TOUCH_INTERVAL`: a write
    on every API request would serialise all requests on SQLite's write lock.
    """
    api_token = s.scalar(
        select(ApiToken).options(selectinload(ApiToken.user)).where(ApiToken.token_hash == _token_hash(token))
    )
    if api_token is None or not api_token.user.active:
        return None
    now = utcnow()
    if api_token.last_used_at is None or now - api_token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        api_token.last_used_at = now
        s.flush()
    return api_token.user


def tokens_of(s: Session, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first (names and dates only: the tokens themselves are not stored)."""
    return list(
        s.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id))
    )


def revoke_token(s: Session, user: User, token_id: int) -> ApiToken | None:
    """Delete the user's API token ``token_id``, which then authenticates nobody; ``None`` when it is not theirs."""
    api_token = s.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if api_token is None:
        return None
    s.delete(api_token)
    s.flush()
    audit(s, user, "revoke", "api_token", token_id, {"name": api_token.name})
    return api_token


# ------------------------------------------------------------------ reading the audit log
@dataclass(frozen=True)
class AuditRow:
    """One audit entry and the user who made the change (``None``: the command line, or a deleted user)."""

    entry: AuditEntry
    actor: User | None


@dataclass(frozen=True)
class AuditPage:
    """One page of an organisation's audit log, newest first; ``total`` entries match the filters."""

    rows: list[AuditRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """The number of pages (at least one, empty or not)."""
        return max(1, math.ceil(self.total / self.per_page))


def audit_log(
    s: Session,
    organisation_id: int,
    page: int = 1,
    per_page: int = AUDIT_PAGE_SIZE,
    actor_id: int | None = None,
    entity: str | None = None,
) -> AuditPage:
    """Page ``page`` (from 1; clamped to the last) of the changes in the organisation, newest first.

    Optionally only the changes of the user ``actor_id`` or to records of kind ``entity`` (e.g. ``user``).
    """
    where = [AuditEntry.organisation_id == organisation_id]
    if actor_id is not None:
        where.append(AuditEntry.user_id == actor_id)
    if entity:
        where.append(AuditEntry.entity == entity)
    total = s.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    found = s.execute(
        select(AuditEntry, User)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return AuditPage([AuditRow(entry, actor) for entry, actor in found], total, page, per_page)


def audit_filters(s: Session, organisation_id: int) -> tuple[list[User], list[str]]:
    """The users who changed something in the organisation, and the kinds of record changed: the log's filters."""
    in_org = AuditEntry.organisation_id == organisation_id
    actors = s.scalars(
        select(User).where(User.id.in_(select(AuditEntry.user_id).where(in_org))).order_by(func.lower(User.name))
    )
    entities = s.scalars(select(AuditEntry.entity).where(in_org).distinct().order_by(AuditEntry.entity))
    return list(actors), list(entities)


# ------------------------------------------------------------------ roles and the visibility rule
def memberships(s: Session, user: User) -> list[Membership]:
    """The user's memberships, with their organisations loaded, by organisation name."""
    return list(
        s.scalars(
            select(Membership)
            .join(Membership.organisation)
            .options(selectinload(Membership.organisation))
            .where(Membership.user_id == user.id)
            .order_by(func.lower(Organisation.name), Organisation.id)
        )
    )


def role_in(s: Session, user: User, organisation_id: int) -> Role | None:
    """The user's role in the organisation, ``None`` when not a member."""
    return s.scalar(
        select(Membership.role).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )


def _own_ids(user: User) -> Select[int]:
    return select(Membership.organisation_id).where(Membership.user_id == user.id)


def _network_ids(user: User) -> Select[int]:
    shared = select(network_members.c.network_id).where(network_members.c.organisation_id.in_(_own_ids(user)))
    return select(network_members.c.organisation_id).where(network_members.c.network_id.in_(shared))


def visible_organisation_ids(s: Session, user: User) -> set[int]:
    """The organisations the user is a member of."""
    return set(s.scalars(_own_ids(user)))


def network_organisation_ids(s: Session, user: User) -> set[int]:
    """The organisations sharing a network with one of the user's organisations, the user's own included."""
    return set(s.scalars(_own_ids(user).union(_network_ids(user))))


def visible(s: Session, user: User, model: type[R]) -> Select[R]:
    """All records of ``model`` the user may see — THE scoping rule; every query of org-owned records starts here.

    Records of the user's own organisations (private or shared), plus records with visibility ``network`` of
    organisations sharing a network with one of them. Never another organisation's private record. The rule runs
    inside the returned query (one round trip; add ``where``/``order_by`` as needed); ``s`` is taken for the
    calling convention all functions here share.
    """
    return select(model).where(
        or_(
            model.organisation_id.in_(_own_ids(user)),
            and_(model.visibility == Visibility.network, model.organisation_id.in_(_network_ids(user))),
        )
    )


def require_role(s: Session, user: User, organisation_id: int, needed: Role) -> None:
    """Raise :class:`PermissionDenied` unless the user has at least role ``needed`` in the organisation."""
    role = role_in(s, user, organisation_id)
    if role is None or not role.allows(needed):
        org = s.get(Organisation, organisation_id)
        where = org.slug if org else f"#{organisation_id}"
        raise PermissionDenied(f"this needs the role {needed} in organisation {where!r} (yours: {role or 'none'})")


def can_edit(s: Session, user: User, record: OrgRecord) -> bool:
    """Whether the user may change the record: editor or admin in the record's organisation."""
    role = role_in(s, user, record.organisation_id)
    return role is not None and role.allows(Role.editor)
