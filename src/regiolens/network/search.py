"""Full-text search across initiatives, exchanges and lessons, in German and English, scoped to what a user sees.

Every record has one :class:`~regiolens.network.models.SearchDocument` (title and body text), written by
:mod:`regiolens.network.records` on each change (:func:`index`). The database searches it:

- **PostgreSQL**: ``to_tsvector('simple', body) @@ to_tsquery('simple', …)``, served by the GIN index of the
  migration on the same expression.
- **SQLite**: an FTS5 table ``search_fts`` (``unicode61`` tokenizer, diacritics kept) with ``search_documents`` as
  its external content, kept in step by three triggers. It is an index derived from ``search_documents`` and is
  not part of the migrated schema: :func:`prepare` creates it (and fills it from the documents) on first use.

Both use the same rules, so a query finds the same records on either: the query is split into words (letters
and digits; case ignored; ``ä`` is not ``a``), every word must occur, and a word matches every word it begins
(``förder`` finds *Förderung* and *Wirtschaftsförderung* only if a word starts with it: compounds match at their
start). No stemming and no stop words: the texts mix German and English, and a prefix does the work of a stemmer
in both ("cluster" finds *Clustern* and *clusters*).

Scoping runs inside the query: a document is a hit only if its record is among
:func:`regiolens.web.accounts.visible` of its model — never another organisation's private record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, column, func, literal_column, or_, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from regiolens.errors import RegiolensError
from regiolens.network.models import SEARCH_CONFIG, Exchange, Initiative, Lesson, SearchDocument, search_vector
from regiolens.web.accounts import visible
from regiolens.web.db import User

SEARCHABLE: dict[str, type[Initiative] | type[Exchange] | type[Lesson]] = {
    "initiative": Initiative,
    "exchange": Exchange,
    "lesson": Lesson,
}
"""The kinds of record the search covers, by the ``kind`` of their documents."""

FTS_TABLE = "search_fts"
"""The SQLite FTS5 table over ``search_documents``."""

SNIPPET = 80
"""Characters of context on each side of the first hit in a snippet."""

MAX_TERMS = 16
"""At most this many words of a query are used."""

_WORD = re.compile(r"[^\W_]+")

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(body, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); END",
    f"CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)


@dataclass(frozen=True)
class SearchHit:
    """One record found: its kind (``initiative``, ``exchange``, ``lesson``), number, title and a text snippet."""

    kind: str
    record_id: int
    title: str
    snippet: str


def _sqlite_fts_ready(connection: Connection) -> None:
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    if exists is None:
        for statement in _SQLITE_DDL:
            connection.exec_driver_sql(statement)


def prepare(s: Session) -> None:
    """Make sure the database can search (SQLite: create and fill the FTS5 table if it is not there yet)."""
    connection = s.connection()
    if connection.dialect.name == "sqlite":
        _sqlite_fts_ready(connection)


def index(s: Session, kind: str, record_id: int, title: str, body: str) -> None:
    """Write (or replace) the searchable text of one record."""
    if kind not in SEARCHABLE:
        raise RegiolensError(f"records of kind {kind!r} are not searched")
    prepare(s)
    document = s.scalar(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.record_id == record_id)
    )
    if document is None:
        s.add(SearchDocument(kind=kind, record_id=record_id, title=title, body=body))
    else:
        document.title, document.body = title, body
    s.flush()


def unindex(s: Session, kind: str, record_id: int) -> None:
    """Remove the searchable text of a deleted record."""
    prepare(s)
    document = s.scalar(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.record_id == record_id)
    )
    if document is not None:
        s.delete(document)
        s.flush()


def terms(query: str) -> list[str]:
    """The words of a query, lower-case, in order, without repeats (at most :data:`MAX_TERMS`)."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))[:MAX_TERMS]


def _snippet(body: str, words: Sequence[str]) -> str:
    """About :data:`SNIPPET` characters either side of the first word of ``body`` that begins with a query word."""
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
    text = " ".join(body.split())
    match = pattern.search(text)
    start = max(0, (match.start() if match else 0) - SNIPPET)
    end = min(len(text), (match.end() if match else 0) + SNIPPET)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(
    s: Session, user: User, query: str, *, kinds: Sequence[str] | None = None, limit: int = 50
) -> list[SearchHit]:
    """The records matching ``query`` that ``user`` may see, best first (see the module docstring for the rules).

    ``kinds`` limits the search to some of ``initiative``, ``exchange``, ``lesson``. A query without any word
    finds nothing.
    """
    chosen = list(kinds or SEARCHABLE)
    unknown = [k for k in chosen if k not in SEARCHABLE]
    if unknown:
        raise RegiolensError(f"cannot search {', '.join(unknown)}; choose from {', '.join(SEARCHABLE)}")
    words = terms(query)
    if not words:
        return []
    prepare(s)
    doc = SearchDocument
    scope = or_(
        *(
            and_(doc.kind == kind, doc.record_id.in_(visible(s, user, model).with_only_columns(model.id)))
            for kind, model in SEARCHABLE.items()
            if kind in chosen
        )
    )
    columns = (doc.kind, doc.record_id, doc.title, doc.body)
    if s.get_bind().dialect.name == "sqlite":
        fts = table(FTS_TABLE, column("rowid"))
        match = " AND ".join(f'"{w}"*' for w in words)
        fts_column: ColumnClause[Any] = literal_column(FTS_TABLE)
        stmt = (
            select(*columns)
            .join(fts, fts.c.rowid == doc.id)
            .where(fts_column.op("MATCH")(match), scope)
            .order_by(func.bm25(fts_column), doc.title, doc.id)
        )
    else:
        query_vector = func.to_tsquery(literal_column(f"'{SEARCH_CONFIG}'"), " & ".join(f"{w}:*" for w in words))
        stmt = (
            select(*columns)
            .where(search_vector().op("@@")(query_vector), scope)
            .order_by(func.ts_rank(search_vector(), query_vector).desc(), doc.title, doc.id)
        )
    rows = s.execute(stmt.limit(limit)).all()
    return [SearchHit(kind, record_id, title, _snippet(body, words)) for kind, record_id, title, body in rows]
