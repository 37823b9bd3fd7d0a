"""The app database: organisations, networks, users, roles, audit log and the records organisations own.

SQLAlchemy 2 typed models; the schema is created and changed only by the Alembic migrations in
``regiolens/web/migrations`` (:func:`upgrade`). SQLite file is the embedded default, PostgreSQL (psycopg 3) the
multi-user deployment:

>>> engine = make_engine("sqlite://")
>>> upgrade(engine)
>>> with session_factory(engine).begin() as s:
...     s.add(Organisation(slug="herten", name="Wirtschaftsförderung Herten"))
>>> Role.editor.allows(Role.analyst), Role.viewer.allows(Role.editor)
(True, False)

Every timestamp is an aware UTC ``datetime`` (:class:`UTCDateTime`), on SQLite too.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy import Enum as SQLEnum
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column, relationship, sessionmaker
from sqlalchemy.orm import validates as validates_attr

from regiolens.config import user_data_dir

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
"""The Alembic script directory shipped inside the package (``env.py`` and ``versions/``)."""

EMAIL_LENGTH = 320
"""Longest e-mail address stored (RFC 3696)."""

NAME_LENGTH = 200
"""Longest name of an organisation, network, user or API token."""

IP_LENGTH = 64
"""Longest client address stored with a login attempt."""

_POSTGRES_ADVISORY_LOCK = 0x7265_6769_6F6C
"""Key of the PostgreSQL advisory lock that serialises concurrent :func:`upgrade` calls (e.g. several workers)."""


def utcnow() -> datetime:
    """The current time, aware, in UTC: the default of every timestamp column."""
    return datetime.now(UTC)


class Role(StrEnum):
    """A user's role in one organisation; each role includes the rights of the roles before it."""

    viewer = "viewer"
    analyst = "analyst"
    editor = "editor"
    admin = "admin"

    def allows(self, needed: Role) -> bool:
        """Whether this role ranks at least as high as ``needed`` (viewer < analyst < editor < admin)."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


class Visibility(StrEnum):
    """Who sees a record besides its own organisation: nobody (``private``) or the organisation's networks."""

    private = "private"
    network = "network"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back as an aware UTC ``datetime`` (SQLite keeps no time zone).

    Naive datetimes are refused: they are the bug of a caller who forgot the time zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware → UTC (naive on SQLite, which stores no offset)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware one, e.g. datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Stored value → aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(enum: type[StrEnum]) -> SQLEnum:
    """A string column holding the enum's values (no database enum type: adding a member needs no migration)."""
    return SQLEnum(enum, native_enum=False, length=16, validate_strings=True)


class Base(DeclarativeBase):
    """Declarative base of every app-database model; constraint names follow one convention on every backend."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


network_members = Table(
    "network_members",
    Base.metadata,
    Column("network_id", ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Which organisations belong to which network (many to many)."""


class Organisation(Base):
    """An agency, e.g. the Wirtschaftsförderung of Herten: owns records, has members with roles."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    networks: Mapped[list[Network]] = relationship(secondary=network_members, back_populates="members")


class Network(Base):
    """A network of organisations (e.g. Emscher-Lippe) whose members see each other's shared records."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Organisation]] = relationship(secondary=network_members, back_populates="networks")


class User(Base):
    """A person who logs in; rights come only from :class:`Membership` roles. ``email`` is kept lower-case."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @validates_attr("email")
    def _lower_email(self, _key: str, email: str) -> str:
        return normalise_email(email)


class Membership(Base):
    """A user's role in one organisation (at most one per user and organisation)."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[Role] = mapped_column(_enum(Role))

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()


class AuditEntry(Base):
    """One change: who (``user_id``, ``None`` for the command line), in which organisation, what and to what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 (hex) is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One login attempt, successful or not: the basis of the login rate limit."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH))
    ip: Mapped[str] = mapped_column(String(IP_LENGTH))
    success: Mapped[bool]


class OrgRecord:
    """Mixin of every record an organisation owns (taxonomies; later initiatives, visits, fund deals).

    Who sees such a record is decided in one place, :func:`regiolens.web.accounts.visible`.
    """

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility), default=Visibility.private)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr
    def organisation(cls) -> Mapped[Organisation]:
        """The owning organisation."""
        return relationship(Organisation)


class Taxonomy(OrgRecord, Base):
    """An organisation's own cluster taxonomy.

    ``definition`` is the list of clusters, each ``{"id", "label_de", "label_en", "codes": [...]}`` with codes of
    ``classification`` (e.g. ``wz2008``).
    """

    __tablename__ = "taxonomies"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    classification: Mapped[str] = mapped_column(String(32))
    definition: Mapped[list[dict[str, Any]]] = mapped_column(JSON())


def normalise_email(email: str) -> str:
    """E-mail addresses are compared and stored trimmed and lower-case."""
    return email.strip().lower()


def database_url() -> str:
    """The app database: ``REGIOLENS_DATABASE_URL``, else ``regiolens.db`` (SQLite) in the user data dir."""
    return os.environ.get("REGIOLENS_DATABASE_URL") or f"sqlite:///{user_data_dir() / 'regiolens.db'}"


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`database_url`).

    SQLite: the file's directory is created and foreign keys are enforced on every connection. PostgreSQL:
    ``postgresql://`` URLs use psycopg 3 (``postgresql+psycopg://``).
    """
    parsed = make_url(url or database_url())
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``; objects stay usable after commit (``expire_on_commit=False``)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection) -> Config:
    """The Alembic configuration (no ``alembic.ini``): the packaged migrations, run on ``connection``.

    A new migration after a model change::

        with make_engine(url).connect() as c:
            command.revision(alembic_config(c), autogenerate=True, rev_id="0002", message="add visits")
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic ``upgrade head``); does nothing when it is already there.

    On SQLite foreign keys are off while migrating (a batch migration copies and drops tables, which must not
    cascade); on PostgreSQL concurrent upgrades wait for each other.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_POSTGRES_ADVISORY_LOCK})")
        try:
            command.upgrade(alembic_config(connection), "head")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()  # a no-op after the commit; the pragma is ignored inside a transaction
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


import regiolens.concept.models  # noqa: E402  (the concept workspace's tables join Base.metadata for Alembic)
import regiolens.fund.models  # noqa: E402  (the fund planner's tables join Base.metadata for Alembic)
import regiolens.network.models  # noqa: E402, F401  (the knowledge-base tables join Base.metadata for Alembic)
