"""Full-text search on SQLite (FTS5) and PostgreSQL (GIN index): the same hits on both, scoped in the query."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.network import records, search
from regiolens.network.inputs import ActorIn, ExchangeIn, InitiativeIn, LessonIn
from regiolens.web.db import Visibility, alembic_config, session_factory
from tests.network.conftest import People


def hits(s: Session, user: object, query: str) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in search.search(s, user, query)]  # type: ignore[arg-type]


@pytest.fixture
def content(session: Session, people: People) -> None:
    records.create_initiative(
        session,
        people.ada,
        InitiativeIn(
            key="hannoverimpuls",
            name="hannoverimpuls",
            summary="Wirtschaftsförderung mit fünf Clusterbranchen und einem geplanten Venture-Capital-Fonds.",
            visibility=Visibility.network,
        ),
    )
    records.create_exchange(
        session,
        people.ada,
        ExchangeIn(
            key="besuch",
            title="Besuch in Hannover",
            findings="Die Gründerförderung arbeitet mit privaten Co-Investoren; the fund matches private capital 1:1.",
            initiatives=["hannoverimpuls"],
            visibility=Visibility.network,
        ),
    )
    records.create_lesson(
        session,
        people.hal,
        LessonIn(key="geheim", title="Interne Bewertung", what_failed="Der Fonds fand keine Co-Investoren."),
    )
    records.create_lesson(
        session,
        people.ada,
        LessonIn(key="privat", title="Private Notiz Herten", what_worked="Co-Investoren früh ansprechen."),
    )
    session.commit()


@pytest.mark.usefixtures("content")
def test_german_and_english_words_prefixes_and_case(session: Session, people: People) -> None:
    assert hits(session, people.ada, "Gründerförderung") == [("exchange", "Besuch in Hannover")]
    assert hits(session, people.ada, "wirtschafts") == [("initiative", "hannoverimpuls")]  # a prefix of a word
    assert hits(session, people.ada, "förderung") == []  # …but compounds match at their start only, on both
    assert hits(session, people.ada, "FUND private") == [("exchange", "Besuch in Hannover")]  # English, any case
    assert hits(session, people.ada, "venture capital") == [("initiative", "hannoverimpuls")]
    assert hits(session, people.ada, "fonds hannover") == [("initiative", "hannoverimpuls")]  # every word must occur
    assert hits(session, people.ada, "   ") == [] and hits(session, people.ada, "Zeppelin") == []
    snippet = search.search(session, people.ada, "Investoren")
    assert any("Co-Investoren" in h.snippet for h in snippet)


@pytest.mark.usefixtures("content")
def test_private_records_of_another_organisation_never_appear(session: Session, people: People) -> None:
    # Hannover's private lesson matches "Co-Investoren", as do Herten's records
    assert ("lesson", "Interne Bewertung") not in hits(session, people.ada, "Investoren")
    assert ("lesson", "Interne Bewertung") not in hits(session, people.gil, "Investoren")
    assert hits(session, people.hal, "Investoren") == [("lesson", "Interne Bewertung")]
    # Herten's private lesson: its own viewer sees it, the network partner does not
    assert ("lesson", "Private Notiz Herten") in hits(session, people.vic, "Investoren")
    partner = hits(session, people.gil, "Investoren")
    assert ("lesson", "Private Notiz Herten") not in partner and ("exchange", "Besuch in Hannover") in partner
    assert hits(session, people.hal, "hannoverimpuls") == []  # shared with the network only, not with Hannover
    assert hits(session, people.hal, "geheim interne") == [("lesson", "Interne Bewertung")]


@pytest.mark.usefixtures("content")
def test_changes_and_deletions_reach_the_index(session: Session, people: People) -> None:
    visit = records.get_exchange(session, people.ada, "besuch")
    data = ExchangeIn(key="besuch", title="Besuch in Hannover", findings="Clustermanagement überzeugt.")
    records.update_exchange(session, people.ada, visit, data)
    assert hits(session, people.ada, "Gründerförderung") == []
    assert hits(session, people.ada, "clustermanagement") == [("exchange", "Besuch in Hannover")]
    records.delete_record(session, people.ada, visit)
    assert hits(session, people.ada, "clustermanagement") == []
    assert search.search(session, people.ada, "Besuch", kinds=["lesson"]) == []
    with pytest.raises(RegiolensError, match="cannot search"):
        search.search(session, people.ada, "x", kinds=["actor"])


def test_linked_names_enter_the_text_only_when_every_reader_may_see_them(session: Session, people: People) -> None:
    records.create_actor(session, people.ada, ActorIn(key="castrop", name="WF Castrop-Rauxel", visibility="network"))
    records.create_actor(session, people.ada, ActorIn(key="intern", name="Vertrauliche Stelle"))
    visit = ExchangeIn(key="v", title="Besuch", visitors=["castrop", "intern"], visibility=Visibility.network)
    records.create_exchange(session, people.ada, visit)
    assert hits(session, people.gil, "Castrop") == [("exchange", "Besuch")]
    assert hits(session, people.gil, "Vertrauliche") == []  # the private actor's name would leak
    # renaming the actor updates the text of the exchanges that name it
    actor = records.get_actor(session, people.ada, "castrop")
    records.update_actor(session, people.ada, actor, ActorIn(key="castrop", name="Stadt Castrop", visibility="network"))
    assert hits(session, people.gil, "Stadt Castrop") == [("exchange", "Besuch")]


def test_the_index_is_in_the_database(engine: Engine, session: Session, people: People) -> None:
    records.create_initiative(session, people.ada, InitiativeIn(key="a", name="Alpha Beta"))
    session.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as c:
            c.exec_driver_sql("SET enable_seqscan = off")
            plan = "\n".join(
                r[0]
                for r in c.exec_driver_sql(
                    "EXPLAIN SELECT id FROM search_documents "
                    "WHERE to_tsvector('simple', body) @@ to_tsquery('simple', 'alpha:*')"
                )
            )
        assert "ix_search_documents_body_fts" in plan
    else:
        assert search.FTS_TABLE in inspect(engine).get_table_names()
        with session_factory(engine)() as other:  # a new connection finds what the first one indexed
            assert [h.title for h in search.search(other, people.ada, "alpha")] == ["Alpha Beta"]
        with engine.begin() as c:  # the downgrade removes the FTS5 table made outside the migrations
            command.downgrade(alembic_config(c), "0001")
        assert not {search.FTS_TABLE, "search_documents"} & set(inspect(engine).get_table_names())
