"""The fund planner's tables: fund plans with their versions, and the deals of each plan with their status history.

A :class:`FundPlanRecord` and a :class:`Deal` are organisation-owned (:class:`~regiolens.web.db.OrgRecord`), so that
:func:`regiolens.web.accounts.visible` decides who sees them. A deal belongs to the organisation of its plan but has
a visibility of its own, private by default: a network may share a plan's design while the companies in its
pipeline stay confidential. A plan's :class:`FundPlanVersion` rows and a deal's :class:`DealEvent` rows are reached
only through their record.

A plan is versioned: every saved change is a new :class:`FundPlanVersion` (``number`` 1, 2, …) holding the plan's
TOML source and its terms as JSON (validated by :class:`regiolens.fund.terms.FundPlan` before they are saved);
:attr:`FundPlanRecord.version` is the newest number. A deal keeps the outcome of its latest mandate check
(:class:`regiolens.fund.mandate.MandateCheck` as JSON in ``mandate_check``, ``eligible`` for queries) and the plan
version it was checked against.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regiolens.fund.pipeline import (
    CLASSIFICATION_LENGTH,
    CODE_LENGTH,
    COMPANY_LENGTH,
    KEY_LENGTH,
    REGION_LENGTH,
    DealStatus,
    Stage,
)
from regiolens.web.db import NAME_LENGTH, Base, OrgRecord, _enum, utcnow

PLAN_KEY_LENGTH = 64
"""Longest plan key (``seedfonds-emscher-lippe``)."""


class FundPlanRecord(OrgRecord, Base):
    """A fund plan of an organisation: its key and name; its terms are in :attr:`versions` (newest: ``version``)."""

    __tablename__ = "fund_plans"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(PLAN_KEY_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    version: Mapped[int] = mapped_column(default=1)

    versions: Mapped[list[FundPlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by=lambda: FundPlanVersion.number
    )
    deals: Mapped[list[Deal]] = relationship(back_populates="plan", cascade="all, delete-orphan")

    @property
    def current(self) -> FundPlanVersion:
        """The newest version."""
        return self.versions[-1]


class FundPlanVersion(Base):
    """One saved state of a plan: the TOML ``source`` as written and the ``terms`` as JSON, who saved it and why."""

    __tablename__ = "fund_plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("fund_plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[FundPlanRecord] = relationship(back_populates="versions")


class Deal(OrgRecord, Base):
    """A deal of a plan's pipeline (the fields of :class:`regiolens.fund.pipeline.DealIn`), identified within the
    plan by ``key`` (:func:`regiolens.fund.pipeline.deal_key`); ``company_key`` groups a company's deals."""

    __tablename__ = "deals"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("fund_plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    company: Mapped[str] = mapped_column(String(COMPANY_LENGTH))
    company_key: Mapped[str] = mapped_column(String(COMPANY_LENGTH), index=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    classification: Mapped[str] = mapped_column(String(CLASSIFICATION_LENGTH))
    region: Mapped[str] = mapped_column(String(REGION_LENGTH))
    stage: Mapped[Stage] = mapped_column(_enum(Stage))
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[DealStatus] = mapped_column(_enum(DealStatus), default=DealStatus.screening)
    round_date: Mapped[date | None]
    founded: Mapped[date | None]
    jobs: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    eligible: Mapped[bool | None]
    mandate_check: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    checked_version: Mapped[int | None]

    plan: Mapped[FundPlanRecord] = relationship(back_populates="deals")
    events: Mapped[list[DealEvent]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by=lambda: (DealEvent.at, DealEvent.id)
    )


class DealEvent(Base):
    """A status change of a deal: who (``None``: not recorded), when, from which status (``None``: created) to
    which, and a note."""

    __tablename__ = "deal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    from_status: Mapped[DealStatus | None] = mapped_column(_enum(DealStatus))
    to_status: Mapped[DealStatus] = mapped_column(_enum(DealStatus))
    note: Mapped[str] = mapped_column(Text, default="")

    deal: Mapped[Deal] = relationship(back_populates="events")
