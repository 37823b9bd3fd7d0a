"""Fixtures of the knowledge-base tests: the app database on SQLite and PostgreSQL (from ``tests/web``), three
organisations — Herten and Gelsenkirchen in the network Emscher-Lippe, Hannover outside it — with their users."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from regiolens.network import examples
from regiolens.network.assessment import AssessmentResult, assess
from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.db import Role, User, make_engine, session_factory, upgrade
from tests.web import conftest as web

PASSWORD = "eine lange Passphrase"

# the app-database fixtures of tests/web: every test using them runs on SQLite and on PostgreSQL
database_url, engine, session, fast_password_hashing = (
    web.database_url,
    web.engine,
    web.session,
    web.fast_password_hashing,
)


@dataclass(frozen=True)
class People:
    """``ada`` editor and ``vic`` viewer in Herten, ``gil`` editor in Gelsenkirchen (same network as Herten),
    ``hal`` editor in Hannover (no network with them)."""

    ada: User
    vic: User
    gil: User
    hal: User


@pytest.fixture
def people(session: Session) -> People:
    for slug, name in (("herten", "WF Herten"), ("gelsenkirchen", "WF Gelsenkirchen"), ("hannover", "hannoverimpuls")):
        accounts.create_organisation(session, slug, name)
    accounts.create_network(session, "emscher-lippe", "Netzwerk Emscher-Lippe", ["herten", "gelsenkirchen"])
    made = {
        key: accounts.create_user(session, f"{key}@example.org", key.title(), PASSWORD, org, role)
        for key, org, role in (
            ("ada", "herten", Role.editor),
            ("vic", "herten", Role.viewer),
            ("gil", "gelsenkirchen", Role.editor),
            ("hal", "hannover", Role.editor),
        )
    }
    session.commit()
    return People(**made)


@pytest.fixture(scope="session")
def wh(loaded_warehouse: Path) -> Iterator[Warehouse]:
    with Warehouse.open(loaded_warehouse, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def result(wh: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> AssessmentResult:
    """hannoverimpuls → Emscher-Lippe on the official data (WZ 2008 section groups), two preconditions answered."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'a.db'}")
    upgrade(engine)
    with session_factory(engine).begin() as s:
        accounts.create_organisation(s, "herten", "WF Herten")
        user = accounts.create_user(s, "ada@example.org", "Ada", PASSWORD, "herten", Role.editor)
        examples.load_examples(s, user)
        found = assess(
            s, wh, user, "hannoverimpuls", "emscher-lippe", checklist={"venture_capital": "no", "research": "yes"}
        )
    engine.dispose()
    return found
