"""Alembic environment: migrates the connection that :func:`regiolens.web.db.alembic_config` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from regiolens.web.db import Base

connection = context.config.attributes.get("connection")
if context.is_offline_mode() or not isinstance(connection, Connection):
    raise RuntimeError("regiolens migrations run online on a connection: use regiolens.web.db.upgrade()")

# render_as_batch: SQLite alters a table by copying it, which autogenerate then writes as batch operations
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
