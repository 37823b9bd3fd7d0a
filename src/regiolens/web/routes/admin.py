"""Organisation administration for its admins: members and roles, new users, networks, the audit log.

Every page and form here needs the role admin in the organisation named in the URL (:func:`administered`); anyone
else gets 403, the same for an organisation that does not exist. A member is addressed by user id *within* that
organisation: the id of somebody who is no member answers 404, so an admin of one organisation cannot reach the
members of another. Every change goes through :mod:`regiolens.web.accounts`, which writes the audit log and refuses
to remove or demote an organisation's last admin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from regiolens.errors import RegiolensError
from regiolens.web import accounts
from regiolens.web.db import Membership, Network, Organisation, Role, User
from regiolens.web.routes.clusters import MAX_ID
from regiolens.web.security import current_user, editable_organisations, get_db, has_role_anywhere
from regiolens.web.templating import lang_of, render
from regiolens.web.words import Lang, t

router = APIRouter(dependencies=[Depends(current_user)])

DONE = ("member_added", "user_created", "role_changed", "member_removed")
"""The confirmations a redirect to the members page may ask for (``?done=``)."""


def administers_any(request: Request) -> bool:
    """Whether the page's user is an admin of some organisation (the header shows the link to ``/orgs`` then).

    A template global: error pages are rendered after the request's database session has closed, so this asks
    with a session of its own, once per request.
    """
    user = getattr(request.state, "user", None)
    if user is None:
        return False
    known = getattr(request.state, "administers_any", None)
    if known is None:
        with request.app.state.sessions() as s:
            known = has_role_anywhere(s, user, Role.admin)
        request.state.administers_any = known
    return bool(known)


def administered(
    request: Request, slug: str, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Organisation:
    """The organisation ``slug`` when the user is its admin; 403 otherwise (an unknown slug too: it tells nothing)."""
    org = db.scalar(select(Organisation).where(Organisation.slug == slug))
    role = accounts.role_in(db, user, org.id) if org else None
    if org is None or role is None or not role.allows(Role.admin):
        raise accounts.PermissionDenied(t("org_admins_only", lang_of(request)))
    return org


def _member(db: Session, org: Organisation, user_id: int) -> Membership:
    """The membership of user ``user_id`` in ``org``; 404 for anybody who is no member (whoever they are)."""
    membership = db.get(Membership, (user_id, org.id)) if 0 < user_id <= MAX_ID else None
    if membership is None:
        raise HTTPException(404, f"no member {user_id}")
    return membership


def _error_message(exc: RegiolensError, lang: Lang) -> str:
    """The words for the errors an admin can act on; others as the library says them (translated where known)."""
    if isinstance(exc, accounts.LastAdmin):
        return t("last_admin", lang)
    if isinstance(exc, accounts.AlreadyMember):
        return t("already_member", lang)
    if isinstance(exc, accounts.WeakPassword):
        return t("password_too_short", lang, n=accounts.MIN_PASSWORD_LENGTH)
    return exc.localised(lang)


@router.get("/orgs")
def orgs_page(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    organisations = editable_organisations(db, user, Role.admin)
    if not organisations:
        raise accounts.PermissionDenied(t("org_admins_only", lang_of(request)))
    return render(request, "org_index.html", {"nav": "orgs", "organisations": organisations})


def _members_page(request: Request, db: Session, org: Organisation, status: int = 200, **extra: Any) -> Response:
    networks = db.scalars(
        select(Network)
        .options(selectinload(Network.members))
        .where(Network.members.contains(org))
        .order_by(Network.name, Network.id)
    ).all()
    done = request.query_params.get("done")
    context = {
        "nav": "orgs",
        "org": org,
        "members": accounts.members(db, org.id),
        "networks": networks,
        "roles": list(Role),
        "min_password": accounts.MIN_PASSWORD_LENGTH,
        "done": done if done in DONE else None,
        "error": None,
        "add_form": {"email": "", "role": "viewer"},
        "create_form": {"email": "", "name": "", "role": "viewer"},
        **extra,
    }
    return render(request, "org_members.html", context, status)


@router.get("/orgs/{slug}")
def members_page(
    request: Request, db: Session = Depends(get_db), org: Organisation = Depends(administered)
) -> Response:
    return _members_page(request, db, org)


def _apply(
    request: Request,
    db: Session,
    org: Organisation,
    change: Callable[[], object],
    done: str,
    then: str | None = None,
    **forms: dict[str, str],
) -> Response:
    """Run one change of :mod:`~regiolens.web.accounts` and commit it, then go to ``then`` (default: the members
    page confirming ``done``); on an error nothing is kept and the page is shown again with the reason (400)."""
    try:
        change()
    except RegiolensError as exc:
        db.rollback()
        return _members_page(request, db, org, 400, error=_error_message(exc, lang_of(request)), **forms)
    db.commit()
    return RedirectResponse(then or f"/orgs/{org.slug}?done={done}", status_code=303)


@router.post("/orgs/{slug}/members")
def add_member(
    request: Request,
    email: str = Form(""),
    role: Role = Form(Role.viewer),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
    org: Organisation = Depends(administered),
) -> Response:
    form = {"email": email, "role": str(role)}
    add = partial(accounts.add_member, db, email, org.slug, role, actor=user)
    return _apply(request, db, org, add, "member_added", add_form=form)


@router.post("/orgs/{slug}/users")
def create_user(
    request: Request,
    email: str = Form(""),
    name: str = Form(""),
    password: str = Form(""),
    role: Role = Form(Role.viewer),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
    org: Organisation = Depends(administered),
) -> Response:
    form = {"email": email, "name": name, "role": str(role)}
    create = partial(accounts.create_user, db, email, name, password, org.slug, role, actor=user)
    return _apply(request, db, org, create, "user_created", create_form=form)


@router.post("/orgs/{slug}/members/{user_id}/role")
def change_role(
    request: Request,
    user_id: int,
    role: Role = Form(...),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
    org: Organisation = Depends(administered),
) -> Response:
    email = _member(db, org, user_id).user.email
    stepped_down = user_id == user.id and role != Role.admin  # no longer an admin here: the page would answer 403
    change = partial(accounts.change_role, db, email, org.slug, role, actor=user)
    return _apply(request, db, org, change, "role_changed", then="/account" if stepped_down else None)


@router.post("/orgs/{slug}/members/{user_id}/remove")
def remove_member(
    request: Request,
    user_id: int,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
    org: Organisation = Depends(administered),
) -> Response:
    email = _member(db, org, user_id).user.email
    change = partial(accounts.remove_member, db, email, org.slug, actor=user)
    return _apply(request, db, org, change, "member_removed", then="/account" if user_id == user.id else None)


@router.get("/orgs/{slug}/audit")
def audit_page(
    request: Request,
    page: int = 1,
    who: str = "",
    what: str = "",
    db: Session = Depends(get_db),
    org: Organisation = Depends(administered),
) -> Response:
    actor_id = int(who) if who.isascii() and who.isdigit() and 0 < int(who) <= MAX_ID else None
    entries = accounts.audit_log(db, org.id, max(1, min(page, MAX_ID)), actor_id=actor_id, entity=what or None)
    actors, entities = accounts.audit_filters(db, org.id)
    context = {
        "nav": "orgs",
        "org": org,
        "log": entries,
        "actors": actors,
        "entities": entities,
        "who": actor_id,
        "what": what,
    }
    return render(request, "org_audit.html", context)
