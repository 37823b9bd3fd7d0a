"""Alembic migrations of the app database, run by :func:`regiolens.web.db.upgrade` (no ``alembic.ini``)."""
