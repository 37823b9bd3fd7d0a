"""Knowledge base: actors, initiatives with dated statements, exchanges, follow-ups, lessons, tags, attachments,
record history, assessments with versions, and the full-text search documents.

On PostgreSQL the search documents get a GIN index on ``to_tsvector('simple', body)``. On SQLite the FTS5 table
beside them (``search_fts``, with its triggers) is not made here: :mod:`regiolens.network.search` creates and
fills it on first use, as an index derived from ``search_documents`` (FTS5 keeps shadow tables that are no
model of the schema); the downgrade drops it when it is there.

Revision ID: 0002
Revises: 0001
Created: 2026-11-28
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_FTS = "search_fts"
"""The FTS5 table that regiolens.network.search keeps on SQLite (dropped with its triggers on downgrade)."""


def _timestamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _owned(table: str) -> list[SchemaItem]:
    """The columns and constraints of ``OrgRecord``: owner, visibility, creator, timestamps."""
    return [
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("visibility", _enum("visibility", "private", "network"), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f(f"fk_{table}_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f(f"fk_{table}_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _keyed(table: str) -> list[SchemaItem]:
    """``id``, ``key`` unique per organisation."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.UniqueConstraint("organisation_id", "key", name=op.f(f"uq_{table}_organisation_id_key")),
    ]


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _link(table: str, left: tuple[str, str], right: tuple[str, str]) -> None:
    """A many-to-many table ``(left column → table, right column → table)``, right column indexed."""
    op.create_table(
        table,
        sa.Column(left[0], sa.Integer(), nullable=False),
        sa.Column(right[0], sa.Integer(), nullable=False),
        _fk(table, *left),
        _fk(table, *right),
        sa.PrimaryKeyConstraint(left[0], right[0], name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_{right[0]}"), table, [right[0]])


ONE_RECORD = (
    "(CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN exchange_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN lesson_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def _record_refs(table: str) -> list[SchemaItem]:
    """``initiative_id``/``exchange_id``/``lesson_id``: exactly one set (tags, attachments)."""
    return [
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("exchange_id", sa.Integer(), nullable=True),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(ONE_RECORD, name=op.f(f"ck_{table}_one_record")),
        _fk(table, "initiative_id", "initiatives"),
        _fk(table, "exchange_id", "exchanges"),
        _fk(table, "lesson_id", "lessons"),
    ]


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    """Create the knowledge-base tables (and, on PostgreSQL, the full-text index)."""
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_search_documents_kind_record_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_search_documents_body_fts",
            "search_documents",
            [sa.text("to_tsvector('simple', body)")],
            postgresql_using="gin",
        )
    kinds = ("agency", "municipality", "district", "network", "company", "university", "research", "investor")
    op.create_table(
        "actors",
        *_keyed("actors"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", _enum("actorkind", *kinds, "chamber", "other"), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        *_owned("actors"),
    )
    _index("actors", "organisation_id")
    op.create_table(
        "initiatives",
        *_keyed("initiatives"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("example", sa.Boolean(), nullable=False),
        *_owned("initiatives"),
    )
    _index("initiatives", "organisation_id")
    op.create_table(
        "exchanges",
        *_keyed("exchanges"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", _enum("exchangekind", "visit", "meeting", "call", "workshop", "other"), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        *_owned("exchanges"),
    )
    _index("exchanges", "organisation_id")
    op.create_table(
        "lessons",
        *_keyed("lessons"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("outcome", _enum("outcome", "worked", "failed", "mixed", "open"), nullable=False),
        sa.Column("what_worked", sa.Text(), nullable=False),
        sa.Column("what_failed", sa.Text(), nullable=False),
        sa.Column("preconditions", sa.Text(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        *_owned("lessons"),
    )
    _index("lessons", "organisation_id")
    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        _fk("record_history", "organisation_id", "organisations"),
        _fk("record_history", "user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_history")),
    )
    op.create_index("ix_record_history_entity_entity_id", "record_history", ["entity", "entity_id"])
    _index("record_history", "organisation_id", "user_id")
    _link("actor_members", ("group_id", "actors"), ("member_id", "actors"))
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        *_owned("assessments"),
        _fk("assessments", "initiative_id", "initiatives"),
        sa.UniqueConstraint(
            "organisation_id",
            "initiative_id",
            "target",
            name=op.f("uq_assessments_organisation_id_initiative_id_target"),
        ),
    )
    _index("assessments", "initiative_id", "organisation_id", "target")
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        *_record_refs("attachments"),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        _timestamp("uploaded_at"),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_attachments_uploaded_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_attachments_stored_name")),
    )
    _index("attachments", "exchange_id", "initiative_id", "lesson_id")
    _link("exchange_initiatives", ("exchange_id", "exchanges"), ("initiative_id", "initiatives"))
    op.create_table(
        "exchange_parties",
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", _enum("partyrole", "host", "visitor", "participant"), nullable=False),
        _fk("exchange_parties", "actor_id", "actors"),
        _fk("exchange_parties", "exchange_id", "exchanges"),
        sa.PrimaryKeyConstraint("exchange_id", "actor_id", "role", name=op.f("pk_exchange_parties")),
    )
    _index("exchange_parties", "actor_id")
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        _timestamp("done_at", nullable=True),
        _fk("follow_ups", "exchange_id", "exchanges"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    _index("follow_ups", "exchange_id")
    facts = ("status", "owner", "operator", "partner", "focus_cluster", "instrument", "goal", "budget", "contact")
    op.create_table(
        "initiative_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("factkind", *facts, "source"), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("taxonomy", sa.String(length=64), nullable=True),
        sa.Column("cluster", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("initiative_facts", "actor_id", "actors", "SET NULL"),
        _fk("initiative_facts", "initiative_id", "initiatives"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_facts")),
    )
    _index("initiative_facts", "actor_id", "initiative_id")
    _link("lesson_exchanges", ("lesson_id", "lessons"), ("exchange_id", "exchanges"))
    _link("lesson_initiatives", ("lesson_id", "lessons"), ("initiative_id", "initiatives"))
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        *_record_refs("tags"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
    )
    _index("tags", "exchange_id", "initiative_id", "label", "lesson_id")
    op.create_table(
        "assessment_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        _fk("assessment_versions", "assessment_id", "assessments"),
        _fk("assessment_versions", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_versions")),
        sa.UniqueConstraint("assessment_id", "number", name=op.f("uq_assessment_versions_assessment_id_number")),
    )
    _index("assessment_versions", "assessment_id")


def downgrade() -> None:
    """Drop the knowledge-base tables (dependants first), and SQLite's FTS5 table when it was made."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {SQLITE_FTS}")  # its triggers go with search_documents
    for table in (
        "assessment_versions",
        "tags",
        "lesson_initiatives",
        "lesson_exchanges",
        "initiative_facts",
        "follow_ups",
        "exchange_parties",
        "exchange_initiatives",
        "attachments",
        "assessments",
        "actor_members",
        "record_history",
        "lessons",
        "initiatives",
        "exchanges",
        "actors",
        "search_documents",
    ):
        op.drop_table(table)
