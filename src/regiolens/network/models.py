"""The knowledge base's tables: actors, initiatives and their dated statements, exchanges, lessons, assessments.

Every record a person finds and opens on its own is organisation-owned (:class:`~regiolens.web.db.OrgRecord`),
so that :func:`regiolens.web.accounts.visible` decides who sees it: :class:`Actor`, :class:`Initiative`,
:class:`Exchange`, :class:`Lesson` and :class:`Assessment`. Their parts — an initiative's
:class:`InitiativeFact`, an exchange's :class:`ExchangeParty` and :class:`FollowUp`, a record's :class:`Tag` and
:class:`Attachment`, an assessment's :class:`AssessmentVersion` — are reached only through their record and share
its visibility. :class:`RecordHistory` keeps who changed what when; :class:`SearchDocument` is the text the full-text
search runs on (one row per record, kept by :mod:`regiolens.network.search`).

Statements about an initiative change over the years (focus clusters are revised, a fund is planned and then
launched), so each is an :class:`InitiativeFact` with ``valid_from``/``valid_to`` (``None``: not known / still
valid) instead of a column of the initiative. A statement whose ``value`` is ``None`` records that the fact is
*unknown* (e.g. a budget nobody has published), which is different from not having asked.

``key`` is a record's short name within its organisation (``hannoverimpuls``), used by the TOML import, the
command line and URLs; ``example`` marks example content (``regiolens network examples remove`` deletes it).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regiolens.web.db import NAME_LENGTH, Base, OrgRecord, _enum, utcnow

Day = date
"""``datetime.date`` under a name that the column ``Exchange.date`` does not shadow."""

KEY_LENGTH = 64
"""Longest record key (``hannoverimpuls``)."""

REGION_LENGTH = 64
"""Longest region reference (a code such as ``05562``, ``nuts:DEA36`` or a group name such as ``emscher-lippe``)."""

SEARCH_CONFIG = "simple"
"""PostgreSQL text-search configuration: no stemming and no stop words, so German and English are treated alike
(and as SQLite's FTS5 ``unicode61`` tokenizer treats them); words match by prefix (see
:mod:`regiolens.network.search`)."""


class ActorKind(StrEnum):
    """What kind of body an actor is."""

    agency = "agency"  # an economic-development agency or company (Wirtschaftsförderung, hannoverimpuls)
    municipality = "municipality"
    district = "district"  # Kreis, Region
    network = "network"
    company = "company"
    university = "university"
    research = "research"
    investor = "investor"
    chamber = "chamber"
    other = "other"


class FactKind(StrEnum):
    """What a dated statement about an initiative says."""

    status = "status"
    owner = "owner"
    operator = "operator"
    partner = "partner"
    focus_cluster = "focus_cluster"
    instrument = "instrument"
    goal = "goal"
    budget = "budget"
    contact = "contact"
    source = "source"


class ExchangeKind(StrEnum):
    """The form of an exchange."""

    visit = "visit"
    meeting = "meeting"
    call = "call"
    workshop = "workshop"
    other = "other"


class PartyRole(StrEnum):
    """An actor's side in an exchange."""

    host = "host"
    visitor = "visitor"
    participant = "participant"


class Outcome(StrEnum):
    """What a lesson says about the practice: it worked, it failed, both, or it is still open."""

    worked = "worked"
    failed = "failed"
    mixed = "mixed"
    open = "open"


actor_members = Table(
    "actor_members",
    Base.metadata,
    Column("group_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Members of an actor that is a network (or other group), e.g. the Wirtschaftsförderungen of Emscher-Lippe."""

exchange_initiatives = Table(
    "exchange_initiatives",
    Base.metadata,
    Column("exchange_id", ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Initiatives discussed in an exchange."""

lesson_initiatives = Table(
    "lesson_initiatives",
    Base.metadata,
    Column("lesson_id", ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Initiatives a lesson was learned from."""

lesson_exchanges = Table(
    "lesson_exchanges",
    Base.metadata,
    Column("lesson_id", ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True),
    Column("exchange_id", ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Exchanges a lesson was learned in."""

_ONE_RECORD = (
    "(CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN exchange_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN lesson_id IS NULL THEN 0 ELSE 1 END) = 1"
)
"""Check of the rows that belong to exactly one initiative, exchange or lesson (tags, attachments)."""


class Actor(OrgRecord, Base):
    """A body that initiatives, exchanges and lessons speak of: an agency, a city, a network, an investor."""

    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[ActorKind] = mapped_column(_enum(ActorKind), default=ActorKind.other)
    region: Mapped[str | None] = mapped_column(String(REGION_LENGTH))
    website: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[bool] = mapped_column(default=False)

    members: Mapped[list[Actor]] = relationship(
        secondary=actor_members,
        primaryjoin=lambda: Actor.id == actor_members.c.group_id,
        secondaryjoin=lambda: Actor.id == actor_members.c.member_id,
        order_by=lambda: Actor.name,
    )


class Initiative(OrgRecord, Base):
    """An approach seen somewhere, e.g. hannoverimpuls: name, region and its dated statements (:attr:`facts`)."""

    __tablename__ = "initiatives"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    region: Mapped[str | None] = mapped_column(String(REGION_LENGTH))
    summary: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(500))
    example: Mapped[bool] = mapped_column(default=False)

    facts: Mapped[list[InitiativeFact]] = relationship(
        back_populates="initiative",
        cascade="all, delete-orphan",
        order_by=lambda: (InitiativeFact.kind, InitiativeFact.id),
    )
    tags: Mapped[list[Tag]] = relationship(cascade="all, delete-orphan", order_by=lambda: Tag.label)


class InitiativeFact(Base):
    """One statement about an initiative, valid from ``valid_from`` to ``valid_to`` (``None``: unknown / open).

    ``value`` is the statement in words (``None``: recorded as unknown); ``actor_id`` names the actor of an
    ``owner``/``operator``/``partner`` statement; ``taxonomy`` and ``cluster`` the cluster of a ``focus_cluster``
    (a taxonomy of :mod:`regiolens.clusters`, e.g. ``hannoverimpuls`` / ``automotive``).
    """

    __tablename__ = "initiative_facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FactKind] = mapped_column(_enum(FactKind))
    value: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    taxonomy: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    cluster: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")

    initiative: Mapped[Initiative] = relationship(back_populates="facts")
    actor: Mapped[Actor | None] = relationship()

    def valid_on(self, day: date) -> bool:
        """Whether the statement holds on ``day`` (an open end counts as holding)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Exchange(OrgRecord, Base):
    """A visit, meeting or call: when, who (:attr:`parties`, :attr:`people`), about what, what was learned.

    ``people`` is a list of ``{"name", "function", "actor", "role"}`` (a name may be ``None``: not recorded);
    ``topics`` a list of words or phrases; ``date`` ``None`` means unknown.
    """

    __tablename__ = "exchanges"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    title: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[ExchangeKind] = mapped_column(_enum(ExchangeKind), default=ExchangeKind.visit)
    date: Mapped[Day | None]
    place: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    topics: Mapped[list[str]] = mapped_column(JSON(), default=list)
    findings: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[list[dict[str, Any]]] = mapped_column(JSON(), default=list)
    example: Mapped[bool] = mapped_column(default=False)

    parties: Mapped[list[ExchangeParty]] = relationship(cascade="all, delete-orphan")
    initiatives: Mapped[list[Initiative]] = relationship(secondary=exchange_initiatives, order_by=Initiative.name)
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="exchange", cascade="all, delete-orphan", order_by=lambda: FollowUp.id
    )
    tags: Mapped[list[Tag]] = relationship(cascade="all, delete-orphan", order_by=lambda: Tag.label)


class ExchangeParty(Base):
    """An actor taking part in an exchange, as host, visitor or participant."""

    __tablename__ = "exchange_parties"

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[PartyRole] = mapped_column(_enum(PartyRole), primary_key=True)

    actor: Mapped[Actor] = relationship()


class FollowUp(Base):
    """Something to do after an exchange: the task, who does it (``owner``, in words), by when, and whether done."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    due: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]

    exchange: Mapped[Exchange] = relationship(back_populates="follow_ups")


class Lesson(OrgRecord, Base):
    """A practice that worked or failed, under which preconditions, learned from initiatives and exchanges."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    title: Mapped[str] = mapped_column(String(NAME_LENGTH))
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome), default=Outcome.open)
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_failed: Mapped[str] = mapped_column(Text, default="")
    preconditions: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[bool] = mapped_column(default=False)

    initiatives: Mapped[list[Initiative]] = relationship(secondary=lesson_initiatives, order_by=Initiative.name)
    exchanges: Mapped[list[Exchange]] = relationship(secondary=lesson_exchanges, order_by=Exchange.title)
    tags: Mapped[list[Tag]] = relationship(cascade="all, delete-orphan", order_by=lambda: Tag.label)


class Tag(Base):
    """A label on exactly one initiative, exchange or lesson (lower-case, e.g. ``venture-capital``)."""

    __tablename__ = "tags"
    __table_args__ = (CheckConstraint(_ONE_RECORD, name="one_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(KEY_LENGTH), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)


class Attachment(Base):
    """A file attached to exactly one initiative, exchange or lesson, kept on disk under a random name.

    ``filename`` is the name shown (cleaned), ``stored_name`` the random file name under the attachment folder,
    ``media_type`` the type found in the content (never the one claimed), ``sha256`` the content's hash.
    """

    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint(_ONE_RECORD, name="one_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordHistory(Base):
    """One change of a knowledge-base record: who, when, what (``create``/``update``/``delete``/…) and
    ``changes`` ``{field: {"old": …, "new": …}}`` as JSON. Kept when the record is deleted."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Assessment(OrgRecord, Base):
    """The transferability of one initiative to one target region; every run is a new :class:`AssessmentVersion`."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("organisation_id", "initiative_id", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(REGION_LENGTH), index=True)

    initiative: Mapped[Initiative] = relationship()
    versions: Mapped[list[AssessmentVersion]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by=lambda: AssessmentVersion.number
    )


class AssessmentVersion(Base):
    """One run of an assessment: its inputs (checklist, weights, years), the full result as JSON, the total."""

    __tablename__ = "assessment_versions"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    total: Mapped[float | None] = mapped_column(Float)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)

    assessment: Mapped[Assessment] = relationship(back_populates="versions")


class SearchDocument(Base):
    """The searchable text of one initiative, exchange or lesson (``kind``, ``record_id``): kept by the service
    layer on every change. PostgreSQL searches it through the GIN index on ``to_tsvector('simple', body)``;
    SQLite through the FTS5 table that :mod:`regiolens.network.search` keeps beside it."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "record_id"),
        Index(
            "ix_search_documents_body_fts", text(f"to_tsvector('{SEARCH_CONFIG}', body)"), postgresql_using="gin"
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(NAME_LENGTH))
    body: Mapped[str] = mapped_column(Text)


def search_vector() -> Any:
    """``to_tsvector('simple', body)`` with the configuration as a literal, as the index has it (a bound parameter
    would keep PostgreSQL from using the index): the expression of every search query."""
    return func.to_tsvector(literal_column(f"'{SEARCH_CONFIG}'"), SearchDocument.body)
