"""The user's own account: memberships and roles, password, API tokens, language.

Every change goes through :mod:`regiolens.web.accounts` (which audits it). The current password is checked by
:func:`regiolens.web.accounts.authenticate`, so guesses on this form count towards the login rate limit. A new API
token is shown once, in the answer to the form that created it (never stored, never cached); only its SHA-256 is
kept. The language is the app's: ``?lang=`` kept in a cookie (:class:`regiolens.web.app.LanguageMiddleware`).
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.web import accounts
from regiolens.web.db import User
from regiolens.web.routes.auth import client_ip, seconds
from regiolens.web.routes.clusters import MAX_ID
from regiolens.web.security import current_user, get_db, log_in
from regiolens.web.templating import lang_of, render
from regiolens.web.words import t

router = APIRouter(dependencies=[Depends(current_user)])

DONE = ("password_changed", "token_revoked")
"""The confirmations a redirect to the account page may ask for (``?done=``)."""


def _page(request: Request, db: Session, user: User, status: int = 200, **extra: Any) -> Response:
    context = {
        "nav": "account",
        "memberships": accounts.memberships(db, user),
        "tokens": accounts.tokens_of(db, user),
        "min_password": accounts.MIN_PASSWORD_LENGTH,
        "done": request.query_params.get("done") if request.query_params.get("done") in DONE else None,
        "password_error": None,
        "token_error": None,
        "new_token": None,
        **extra,
    }
    return render(request, "account.html", context, status)


@router.get("/account")
def account_page(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    return _page(request, db, user)


@router.post("/account/password")
def change_password(
    request: Request,
    current_password: str = Form(""),
    new_password: str = Form(""),
    new_password_again: str = Form(""),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    lang = lang_of(request)
    if new_password != new_password_again:
        return _page(request, db, user, 400, password_error=t("password_mismatch", lang))
    try:
        accounts.change_password(db, user, current_password, new_password, client_ip(request))
    except accounts.WeakPassword:
        too_short = t("password_too_short", lang, n=accounts.MIN_PASSWORD_LENGTH)
        return _page(request, db, user, 400, password_error=too_short)
    except accounts.RateLimited as exc:
        db.commit()  # the refused attempt counts
        minutes = max(1, math.ceil(seconds(exc.retry_after) / 60))
        response = _page(request, db, user, 429, password_error=t("rate_limited", lang, minutes=minutes))
        response.headers["Retry-After"] = str(seconds(exc.retry_after))
        return response
    except accounts.AuthError:
        db.commit()  # the wrong guess counts towards the rate limit
        return _page(request, db, user, 400, password_error=t("wrong_current_password", lang))
    db.commit()
    log_in(request, user)  # a fresh session (and CSRF token) after the password change
    return RedirectResponse("/account?done=password_changed", status_code=303)


@router.post("/account/tokens")
def create_token(
    request: Request,
    name: str = Form(""),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    try:
        token = accounts.create_token(db, user, name)
    except RegiolensError:
        db.rollback()
        return _page(request, db, user, 400, token_error=t("token_name_needed", lang_of(request)))
    db.commit()
    response = _page(request, db, user, new_token={"name": name.strip(), "token": token})
    response.headers["Cache-Control"] = "no-store"  # the token is shown this once and kept nowhere
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, token_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    revoked = accounts.revoke_token(db, user, token_id) if 0 < token_id <= MAX_ID else None
    if revoked is None:  # another user's token looks exactly like a missing one
        raise HTTPException(404, f"no token {token_id}")
    db.commit()
    return RedirectResponse("/account?done=token_revoked", status_code=303)
