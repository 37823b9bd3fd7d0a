"""The packaged Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from regiolens.config import user_data_dir
from regiolens.web.db import Base, alembic_config, database_url, make_engine, upgrade


def head() -> str:
    """The newest revision of the migrations shipped in the package (there must be exactly one)."""
    with make_engine("sqlite://").connect() as connection:
        heads = ScriptDirectory.from_config(alembic_config(connection)).get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    return heads[0]


def test_upgrade_creates_every_table_at_the_head_revision(engine: Engine) -> None:
    assert set(inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head()


def test_models_and_migrations_agree(engine: Engine) -> None:
    """What ``alembic check`` does: autogenerate against the migrated database finds nothing to change."""
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_upgrade_is_idempotent_and_downgrade_reverses_it(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}


def test_database_url_from_environment_or_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOLENS_DATABASE_URL", "postgresql://u:p@db.example/regiolens")
    assert database_url() == "postgresql://u:p@db.example/regiolens"
    monkeypatch.delenv("REGIOLENS_DATABASE_URL")
    assert database_url() == f"sqlite:///{user_data_dir() / 'regiolens.db'}"


def test_make_engine_picks_psycopg_and_creates_the_sqlite_directory(tmp_path: Path) -> None:
    assert make_engine("postgresql://u:p@localhost/regiolens").dialect.driver == "psycopg"
    path = tmp_path / "new" / "dir" / "regiolens.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    assert path.is_file()
