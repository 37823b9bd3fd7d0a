"""App-database fixtures: every test using them runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``REGIOLENS_TEST_POSTGRES_URL`` (``make test`` starts it with ``.ci/postgres`` and sets it);
each test gets a schema of its own (via ``search_path``), dropped afterwards, so tests run in parallel. Without the
variable the PostgreSQL cases are skipped, except on CI (``CI=true``), where they fail. Passwords are hashed with
cheap argon2 parameters here (the parameters used in production are tested in ``test_accounts``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from regiolens.web import accounts
from regiolens.web.db import make_engine, session_factory, upgrade

POSTGRES_URL_VARIABLE = "REGIOLENS_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the cheapest parameters: the same code path, a millisecond instead of ~100 ms per hash."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an empty app database: a temporary SQLite file, or a fresh schema in the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'regiolens.db'}"
        return
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: on CI the app database is tested on PostgreSQL too")
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set (`make test` starts PostgreSQL and sets it)")
    schema = f"test_{uuid.uuid4().hex}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the app database, schema upgraded to the newest migration."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the upgraded app database (nothing is committed unless the test commits)."""
    with session_factory(engine)() as s:
        yield s
