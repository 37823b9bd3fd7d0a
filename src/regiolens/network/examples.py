"""Example content: hannoverimpuls, the Emscher-Lippe network and the visit with which this project began.

The files in ``examples/`` are loaded with the TOML import every user has (:func:`regiolens.network.tomlio.
import_toml`), every record marked ``example`` (shown as example content) and visible to the owning organisation's
networks. They record only what the project description says; unknown facts (dates, names, budgets, the fund's
volume, the visit's findings) stay unknown. :func:`remove_examples` deletes them again — and nothing else.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.network.attachments import AttachmentStore
from regiolens.network.models import Actor, Exchange, Initiative, Lesson
from regiolens.network.records import Record, delete_record, owner_organisation
from regiolens.network.tomlio import ImportSummary, import_toml
from regiolens.web.accounts import create_organisation, create_user
from regiolens.web.db import Organisation, Role, User, make_engine, normalise_email, session_factory, upgrade

EXAMPLES_DIR = Path(__file__).parent / "examples"
FILES: tuple[str, ...] = ("hannoverimpuls.toml", "emscher-lippe.toml", "besuch-hannoverimpuls.toml")
"""The example files, in the order they are loaded (later ones refer to records of earlier ones)."""

DEMO_ORGANISATION = ("demo", "Demo-Wirtschaftsförderung")
"""The organisation of the demo user (slug, name)."""
DEMO_EMAIL = "demo@example.org"
"""The demo user that ``regiolens serve --demo-user`` and ``make demo`` make (:func:`create_demo_user`)."""

_DELETE_ORDER: tuple[type[Record], ...] = (Lesson, Exchange, Initiative, Actor)


def _example_count(s: Session, organisation_id: int) -> int:
    return sum(
        s.scalar(select(func.count()).select_from(model).where(model.organisation_id == organisation_id, model.example))
        or 0
        for model in _DELETE_ORDER
    )


def load_examples(s: Session, user: User, *, organisation: str | None = None) -> ImportSummary:
    """Load the example content into ``organisation`` (default: the user's only one as editor).

    An organisation that holds example content already is left as it is (:class:`RegiolensError`): remove it first.
    """
    owner = owner_organisation(s, user, organisation)
    if _example_count(s, owner.id):
        raise RegiolensError(f"organisation {owner.slug!r} holds example content already; remove it first")
    summary = ImportSummary()
    for name in FILES:
        loaded = import_toml(s, user, EXAMPLES_DIR / name, organisation=owner.slug, example=True)
        for kind, keys in loaded.created.items():
            summary.created.setdefault(kind, []).extend(keys)
    return summary


def remove_examples(
    s: Session, user: User, *, organisation: str | None = None, store: AttachmentStore | None = None
) -> int:
    """Delete every record marked as example content in ``organisation``; returns how many were deleted.

    ``store`` is needed only if someone attached files to example records.
    """
    owner = owner_organisation(s, user, organisation)
    count = 0
    for model in _DELETE_ORDER:
        found = cast(
            list[Record], list(s.scalars(select(model).where(model.organisation_id == owner.id, model.example)))
        )
        for record in found:
            delete_record(s, user, record, store)
            count += 1
    return count


def create_demo_user(s: Session) -> str:
    """Make the organisation :data:`DEMO_ORGANISATION` and its editor :data:`DEMO_EMAIL` (password
    ``$REGIOLENS_DEMO_PASSWORD`` or a random one); returns the line that tells the login."""
    password = os.environ.get("REGIOLENS_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    create_organisation(s, *DEMO_ORGANISATION)
    create_user(s, DEMO_EMAIL, "Demo", password, DEMO_ORGANISATION[0], Role.editor)
    return f"Demo login: {DEMO_EMAIL} / {password}"


def load_demo(url: str | None = None) -> str:
    """``make demo``: load the example content for the demo user (organisation ``demo``); returns what happened.

    On an app database without users it first makes the demo user (:func:`create_demo_user`, as
    ``regiolens serve --demo-user`` does; the login is printed), so that the demo user sees the examples. Content
    loaded before is left as it is.
    """
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine).begin() as s:
            lines = []
            if not s.scalar(select(func.count()).select_from(User)):
                lines.append(create_demo_user(s))
            user = s.scalar(select(User).where(User.email == normalise_email(DEMO_EMAIL)))
            org = s.scalar(select(Organisation).where(Organisation.slug == DEMO_ORGANISATION[0]))
            if user is None or org is None:
                lines.append(
                    "Beispielinhalte nicht geladen (kein Demo-Nutzer): regiolens network examples load --user E-MAIL"
                )
            elif _example_count(s, org.id):
                lines.append("Beispielinhalte der Wissensbasis sind schon geladen (Organisation demo).")
            else:
                summary = load_examples(s, user, organisation=org.slug)
                lines.append(
                    f"Beispielinhalte der Wissensbasis geladen: {summary.count()} Einträge (Organisation demo)."
                )
            return "\n".join(lines)
    finally:
        engine.dispose()
