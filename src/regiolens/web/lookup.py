"""Finding an organisation-owned record for a page or an API call: 404 for what the user may not see, 403 for what
the user may see but not change. One rule for fund plans, concepts and the like
(:func:`regiolens.network.records.find_keyed` does the finding)."""

from __future__ import annotations

from typing import TypeVar

from fastapi import HTTPException
from sqlalchemy.orm import Session

from regiolens.network.records import NotFound, find_keyed
from regiolens.web import accounts
from regiolens.web.db import OrgRecord, User
from regiolens.web.routes.clusters import MAX_ID

K = TypeVar("K", bound=OrgRecord)


def known_number(ref: int | str) -> bool:
    """Whether ``ref`` can name a record: a key, or a number the database's integer holds (a larger one would be a
    server error in PostgreSQL; it names nothing)."""
    text = str(ref)
    return not text.isdigit() or (text.isascii() and 0 < int(text) <= MAX_ID)


def visible_or_404(db: Session, user: User, model: type[K], ref: int | str, kind: str) -> K:
    """The record (number or key) the user may see, else 404 (another organisation's private record looks
    missing)."""
    if not known_number(ref):
        raise HTTPException(404, f"no {kind} {ref}")
    try:
        return find_keyed(db, user, model, ref, kind)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None


def editable_or_403(db: Session, user: User, model: type[K], ref: int, kind: str, refusal: str) -> K:
    """The record the user may change: 404 unless the user belongs to its organisation, 403 (``refusal``) unless
    as editor."""
    record = visible_or_404(db, user, model, ref, kind)
    if accounts.role_in(db, user, record.organisation_id) is None:
        raise HTTPException(404, f"no {kind} {ref} of yours to change")
    if not accounts.can_edit(db, user, record):
        raise accounts.PermissionDenied(refusal)
    return record
