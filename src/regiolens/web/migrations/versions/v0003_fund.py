"""Fund planner: fund plans with their versions, deals with their status history.

Revision ID: 0003
Revises: 0002
Created: 2026-11-28
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STAGES = ("pre_seed", "seed", "series_a", "series_b", "series_c", "growth")
STATUSES = ("screening", "due_diligence", "committee", "invested", "declined")


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
    """Create the fund planner's tables."""
    op.create_table(
        "fund_plans",
        *_owned("fund_plans"),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("organisation_id", "key", name=op.f("uq_fund_plans_organisation_id_key")),
    )
    _index("fund_plans", "organisation_id")
    op.create_table(
        "fund_plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("fund_plan_versions", "plan_id", "fund_plans"),
        _fk("fund_plan_versions", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_plan_versions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_fund_plan_versions_plan_id_number")),
    )
    _index("fund_plan_versions", "plan_id")
    op.create_table(
        "deals",
        *_owned("deals"),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("company_key", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("stage", _enum("stage", *STAGES), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", _enum("dealstatus", *STATUSES), nullable=False),
        sa.Column("round_date", sa.Date(), nullable=True),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("jobs", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=True),
        sa.Column("mandate_check", sa.JSON(), nullable=True),
        sa.Column("checked_version", sa.Integer(), nullable=True),
        _fk("deals", "plan_id", "fund_plans"),
        sa.UniqueConstraint("plan_id", "key", name=op.f("uq_deals_plan_id_key")),
    )
    _index("deals", "company_key", "organisation_id", "plan_id")
    op.create_table(
        "deal_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("from_status", _enum("dealstatus", *STATUSES), nullable=True),
        sa.Column("to_status", _enum("dealstatus", *STATUSES), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("deal_events", "deal_id", "deals"),
        _fk("deal_events", "user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_events")),
    )
    _index("deal_events", "deal_id", "user_id")


def downgrade() -> None:
    """Drop the fund planner's tables (dependants first)."""
    for table in ("deal_events", "deals", "fund_plan_versions", "fund_plans"):
        op.drop_table(table)
