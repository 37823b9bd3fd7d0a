"""The concept workspace's tables: concepts, their versions, comments on a version, and sign-offs of organisations.

A :class:`Concept` is organisation-owned (:class:`~regiolens.web.db.OrgRecord`), so that
:func:`regiolens.web.accounts.visible` decides who sees it; ``network_id`` names the network it is written for (its
member organisations are asked for sign-off). Its :class:`ConceptVersion`, :class:`ConceptComment` and
:class:`SignOff` rows are reached only through the concept and share its visibility.

Every saved change is a new :class:`ConceptVersion` (``number`` 1, 2, …) holding the full content as JSON
(:class:`regiolens.concept.content.ConceptContent`); :attr:`Concept.version` is the newest number. A version is
never changed after it is written — only ``adopted_at`` is set, once, when the councils adopt it; the ORM refuses
anything else (:class:`FrozenVersion`). ``Concept.title``, ``target_region`` and ``authors`` repeat the newest
version's values for lists and queries.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from regiolens.errors import RegiolensError
from regiolens.web.db import NAME_LENGTH, Base, Network, Organisation, OrgRecord, _enum, utcnow

KEY_LENGTH = 64
"""Longest concept key (``emscher-lippe-2027``), as long as the knowledge base's keys."""

REGION_LENGTH = 64
"""Longest target-region reference (a code such as ``05562`` or a group such as ``emscher-lippe``)."""


class ConceptStatus(StrEnum):
    """Where a concept stands: being written, out for consultation (and sign-off), adopted by the councils."""

    draft = "draft"
    in_consultation = "in_consultation"
    adopted = "adopted"


class SignOffStatus(StrEnum):
    """The answer of an organisation asked to sign off a concept version."""

    requested = "requested"
    approved = "approved"
    declined = "declined"


class FrozenVersion(RegiolensError):
    """An attempt to change a saved concept version (save a new version instead)."""


class Concept(OrgRecord, Base):
    """A development concept for a target region or group: its key, status and versions."""

    __tablename__ = "concepts"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    title: Mapped[str] = mapped_column(String(NAME_LENGTH))
    target_region: Mapped[str] = mapped_column(String(REGION_LENGTH))
    authors: Mapped[str] = mapped_column(Text, default="")
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="SET NULL"), index=True)
    status: Mapped[ConceptStatus] = mapped_column(_enum(ConceptStatus), default=ConceptStatus.draft)
    version: Mapped[int] = mapped_column(default=0)
    adopted_version: Mapped[int | None]
    outdated: Mapped[list[dict[str, Any]]] = mapped_column(JSON(), default=list)
    evidence_checked_at: Mapped[datetime | None]

    network: Mapped[Network | None] = relationship()
    versions: Mapped[list[ConceptVersion]] = relationship(
        back_populates="concept", cascade="all, delete-orphan", order_by=lambda: ConceptVersion.number
    )
    sign_offs: Mapped[list[SignOff]] = relationship(
        back_populates="concept", cascade="all, delete-orphan", order_by=lambda: SignOff.id
    )

    @property
    def current(self) -> ConceptVersion:
        """The newest version."""
        return self.versions[-1]


class ConceptVersion(Base):
    """One saved state of a concept: the full ``content`` as JSON, who saved it, why (``note``), and when it was
    adopted (``None``: not adopted)."""

    __tablename__ = "concept_versions"
    __table_args__ = (UniqueConstraint("concept_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON())
    note: Mapped[str] = mapped_column(Text, default="")
    adopted_at: Mapped[datetime | None] = mapped_column(active_history=True)  # the guard below sees the old value

    concept: Mapped[Concept] = relationship(back_populates="versions")
    comments: Mapped[list[ConceptComment]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by=lambda: (ConceptComment.created_at, ConceptComment.id),
    )


@event.listens_for(ConceptVersion, "before_update")
def _refuse_changes(_mapper: Mapper[Any], _connection: Connection, version: ConceptVersion) -> None:
    """A saved version changes only by being adopted once (``adopted_at`` from ``None`` to a time)."""
    state = inspect(version)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        if attr.key == "adopted_at" and all(old is None for old in history.deleted):
            continue  # being adopted
        raise FrozenVersion(f"version {version.number} of a concept is saved and cannot change ({attr.key})")


class ConceptComment(Base):
    """A comment on one concept version: who (``None``: a deleted user), what, when."""

    __tablename__ = "concept_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("concept_versions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[ConceptVersion] = relationship(back_populates="comments")


class SignOff(Base):
    """A request to an organisation to sign off version ``version`` of a concept, and its answer: who asked when
    (with ``note``), the status, who answered when (with ``answer_note``)."""

    __tablename__ = "concept_sign_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    status: Mapped[SignOffStatus] = mapped_column(_enum(SignOffStatus), default=SignOffStatus.requested)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    answer_note: Mapped[str] = mapped_column(Text, default="")

    concept: Mapped[Concept] = relationship(back_populates="sign_offs")
    organisation: Mapped[Organisation] = relationship()
