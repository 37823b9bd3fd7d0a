"""Sessions, CSRF protection and the current user.

Sessions are Starlette's signed cookie sessions (:class:`starlette.middleware.sessions.SessionMiddleware`,
signed with itsdangerous): the cookie holds the user's id and the CSRF token, nothing else, and expires
after :attr:`~regiolens.web.settings.Settings.session_max_age`. A user who is deactivated or deleted is
logged out on the next request.

CSRF: every session carries a random token (:func:`csrf_token`). Pages put it into every form as the
hidden field ``csrf_token`` and into ``hx-headers`` on ``<body>``, so HTMX requests send it as the header
``X-CSRF-Token``. :class:`CSRFMiddleware` refuses (403) every POST, PUT, PATCH and DELETE whose token —
header or form field — does not match the session's. The JSON API (``/api/``) is exempt: it authenticates by
bearer token only and never reads the session cookie, so a forged cross-site request has nothing to ride on
(it gets 401).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from regiolens.web import accounts
from regiolens.web.db import Role, User

CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
USER_SESSION_KEY = "user_id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return str(token)


def is_api_request(scope: Scope) -> bool:
    """A JSON API request (under ``/api/``): exempt from CSRF, because the API authenticates by bearer token only
    and never reads the session cookie — a forged cross-site request carries no token, so it gets 401."""
    return bool(scope.get("path", "").startswith("/api/"))


def _refuse(status: int, text: str) -> Any:
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(text, status_code=status)


class CSRFMiddleware:
    """Refuse state-changing requests without the session's CSRF token (see the module docstring).

    Form bodies are read here in full (at most ``max_body`` bytes, else 413), searched for the token and
    then handed on unchanged to the app.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS or is_api_request(scope):
            await self.app(scope, receive, send)
            return
        expected = str(scope.get("session", {}).get(CSRF_SESSION_KEY) or "")
        headers = Headers(scope=scope)
        sent = headers.get(CSRF_HEADER.lower())
        body: bytes | None = None
        if sent is None and headers.get("content-type", "").split(";")[0].strip().lower() in FORM_TYPES:
            length = headers.get("content-length")
            if length and length.isdigit() and int(length) > self.max_body:
                await _refuse(413, "Request too large / Anfrage zu groß")(scope, receive, send)
                return
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    await _refuse(413, "Request too large / Anfrage zu groß")(scope, receive, send)
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = await _form_token(scope, body)
        if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
            await _refuse(
                403,
                "CSRF-Token fehlt oder ist ungültig – bitte laden Sie die Seite neu.\n"
                "CSRF token missing or invalid – please reload the page.",
            )(scope, receive, send)
            return
        if body is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _form_token(scope: Scope, body: bytes) -> str | None:
    from starlette.requests import Request as StarletteRequest

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    request = StarletteRequest(scope, once)
    try:
        async with request.form() as form:
            value = form.get(CSRF_FIELD)
            return value if isinstance(value, str) else None
    except Exception:  # a malformed body has no token; the app never sees it
        return None


# ------------------------------------------------------------------------------------------ current user


class LoginRequired(Exception):
    """No (valid) login in the session: pages answer with a redirect to ``/login``."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url
        super().__init__(next_url)


def get_db(request: Request) -> Iterator[Session]:
    """An app-database session for the request (closed afterwards; handlers commit what they change)."""
    with request.app.state.sessions() as s:
        yield s


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target, safe='')}"


def current_user(request: Request, db: Session = Depends(get_db)) -> User:
    """The logged-in user of a page request; :class:`LoginRequired` when there is none."""
    uid = request.session.get(USER_SESSION_KEY)
    user = db.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active:
        if uid is not None:
            request.session.pop(USER_SESSION_KEY, None)
        raise LoginRequired(login_url(request))
    request.state.user = user
    return user


def log_in(request: Request, user: User) -> None:
    """Start a fresh session for ``user`` (new CSRF token; the language choice survives)."""
    keep = {k: v for k, v in request.session.items() if k == "lang"}
    request.session.clear()
    request.session.update(keep)
    request.session[USER_SESSION_KEY] = user.id
    request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)


def log_out(request: Request) -> None:
    request.session.clear()


def has_role_anywhere(db: Session, user: User, needed: Role) -> bool:
    """Whether ``user`` holds at least ``needed`` in any of their organisations."""
    return any(m.role.allows(needed) for m in accounts.memberships(db, user))


def editable_organisations(db: Session, user: User, needed: Role = Role.editor) -> list[Any]:
    """The organisations in which ``user`` holds at least ``needed`` (those they may create records for)."""
    return [m.organisation for m in accounts.memberships(db, user) if m.role.allows(needed)]


def require_editor(db: Session, user: User) -> None:
    """403 unless ``user`` is an editor (or admin) in at least one organisation."""
    if not has_role_anywhere(db, user, Role.editor):
        raise HTTPException(status_code=403, detail="editor role required")
