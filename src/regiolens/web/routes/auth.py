"""Log in, log out. Logins are rate limited (:func:`regiolens.web.accounts.authenticate`) and audited."""

from __future__ import annotations

import math
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from regiolens.web import accounts
from regiolens.web.db import User
from regiolens.web.security import USER_SESSION_KEY, get_db, log_in, log_out
from regiolens.web.templating import lang_of, render
from regiolens.web.words import t

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def seconds(value: object) -> int:
    """``RateLimited.retry_after`` (seconds or a timedelta) as whole seconds, at least 1."""
    total = value.total_seconds() if isinstance(value, timedelta) else float(value)  # type: ignore[arg-type]
    return max(1, math.ceil(total))


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    if request.session.get(USER_SESSION_KEY) is not None and next:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "email": "", "message": None})


@router.post("/login")
def login(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    db: Session = Depends(get_db),
) -> Response:
    lang = lang_of(request)
    status, message = 401, t("login_failed", lang)
    headers: dict[str, str] = {}
    try:
        user = accounts.authenticate(db, email, password, client_ip(request))
    except accounts.RateLimited as exc:
        db.commit()
        retry = seconds(exc.retry_after)
        status, message = 429, t("rate_limited", lang, minutes=max(1, math.ceil(retry / 60)))
        headers["Retry-After"] = str(retry)
    except accounts.AuthError:
        db.commit()  # the failed attempt counts towards the rate limit
    else:
        accounts.audit(db, user, "login", "user", str(user.id), {"ip": client_ip(request)})
        db.commit()
        log_in(request, user)
        return RedirectResponse(safe_next(next), status_code=303)
    response = render(
        request, "login.html", {"next": safe_next(next), "email": email, "message": message}, status_code=status
    )
    response.headers.update(headers)
    return response


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)) -> Response:
    uid = request.session.get(USER_SESSION_KEY)
    if isinstance(uid, int):
        user = db.get(User, uid)
        if user is not None:
            accounts.audit(db, user, "logout", "user", str(user.id))
            db.commit()
    log_out(request)
    lang = lang_of(request)
    return RedirectResponse(f"/login?lang={lang}&logged_out=1", status_code=303)
