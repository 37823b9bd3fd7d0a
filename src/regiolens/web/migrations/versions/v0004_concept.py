"""Concept workspace: concepts with their versions, comments on a version and sign-offs of organisations.

Revision ID: 0004
Revises: 0003
Created: 2026-11-28
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _fk(table: str, column: str, target: str, ondelete: str | None = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _owned(table: str) -> list[SchemaItem]:
    """The columns and constraints of ``OrgRecord``: owner, visibility, creator, timestamps; ``id`` the key."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("visibility", _enum("visibility", "private", "network"), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _fk(table, "created_by", "users", "SET NULL"),
        _fk(table, "organisation_id", "organisations", None),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    """Create the concept workspace's tables."""
    op.create_table(
        "concepts",
        *_owned("concepts"),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target_region", sa.String(length=64), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("status", _enum("conceptstatus", "draft", "in_consultation", "adopted"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("adopted_version", sa.Integer(), nullable=True),
        sa.Column("outdated", sa.JSON(), nullable=False),
        _timestamp("evidence_checked_at", nullable=True),
        _fk("concepts", "network_id", "networks", "SET NULL"),
        sa.UniqueConstraint("organisation_id", "key", name=op.f("uq_concepts_organisation_id_key")),
    )
    _index("concepts", "network_id", "organisation_id")
    op.create_table(
        "concept_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _timestamp("adopted_at", nullable=True),
        _fk("concept_versions", "concept_id", "concepts"),
        _fk("concept_versions", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concept_versions")),
        sa.UniqueConstraint("concept_id", "number", name=op.f("uq_concept_versions_concept_id_number")),
    )
    _index("concept_versions", "concept_id")
    op.create_table(
        "concept_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _fk("concept_comments", "version_id", "concept_versions"),
        _fk("concept_comments", "author_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concept_comments")),
    )
    _index("concept_comments", "author_id", "version_id")
    op.create_table(
        "concept_sign_offs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", _enum("signoffstatus", "requested", "approved", "declined"), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        _timestamp("requested_at"),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        _timestamp("answered_at", nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answer_note", sa.Text(), nullable=False),
        _fk("concept_sign_offs", "concept_id", "concepts"),
        _fk("concept_sign_offs", "organisation_id", "organisations"),
        _fk("concept_sign_offs", "requested_by", "users", "SET NULL"),
        _fk("concept_sign_offs", "answered_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concept_sign_offs")),
    )
    _index("concept_sign_offs", "concept_id", "organisation_id")


def downgrade() -> None:
    """Drop the concept workspace's tables (dependants first)."""
    for table in ("concept_sign_offs", "concept_comments", "concept_versions", "concepts"):
        op.drop_table(table)
