"""Records of the knowledge base: who sees and changes what, dated statements, links, follow-ups, history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.network import records
from regiolens.network.history import entries
from regiolens.network.inputs import ActorIn, ExchangeIn, FactIn, FollowUpIn, InitiativeIn, LessonIn
from regiolens.network.models import Exchange, FactKind, Initiative, Lesson, SearchDocument
from regiolens.web import accounts
from regiolens.web.accounts import PermissionDenied
from regiolens.web.db import Role, Visibility
from tests.network.conftest import PASSWORD, People


def initiative(
    key: str = "hannoverimpuls", visibility: Visibility = Visibility.network, **extra: object
) -> InitiativeIn:
    return InitiativeIn.model_validate(
        {
            "key": key,
            "name": key.title(),
            "region": "region-hannover",
            "visibility": visibility,
            "facts": [
                {"kind": "focus_cluster", "taxonomy": "hannoverimpuls", "cluster": "automotive"},
                {"kind": "focus_cluster", "taxonomy": "hannoverimpuls", "cluster": "ict", "valid_to": "2015-12-31"},
                {"kind": "budget"},
            ],
            **extra,
        }
    )


def test_create_describe_and_dated_statements(session: Session, people: People) -> None:
    made = records.create_initiative(session, people.ada, initiative(tags=["Venture Capital", "cluster"]))
    assert made.organisation.slug == "herten" and made.created_by == people.ada.id
    described = records.describe(session, people.ada, made)
    assert described["tags"] == ["cluster", "venture-capital"]
    budget = next(f for f in described["facts"] if f["kind"] == "budget")
    assert budget["value"] is None  # recorded as unknown
    valid_now = {f.cluster for f in records.facts_on(made) if f.kind is FactKind.focus_cluster}
    valid_2010 = {f.cluster for f in records.facts_on(made, date(2010, 1, 1)) if f.kind is FactKind.focus_cluster}
    assert valid_now == {"automotive"} and valid_2010 == {"automotive", "ict"}


def test_input_rules() -> None:
    with pytest.raises(ValueError, match="valid_to"):
        FactIn(kind=FactKind.goal, valid_from=date(2020, 1, 1), valid_to=date(2019, 1, 1))
    with pytest.raises(ValueError, match="taxonomy and cluster"):
        FactIn(kind=FactKind.focus_cluster, value="Automobil")
    with pytest.raises(ValueError, match="key"):
        ActorIn(key="Hannover Impuls", name="x")


def test_unknown_cluster_and_duplicate_key_are_refused(session: Session, people: People) -> None:
    with pytest.raises(RegiolensError, match="photonic"):
        records.create_initiative(
            session,
            people.ada,
            InitiativeIn(
                key="x", name="x", facts=[FactIn(kind="focus_cluster", taxonomy="hannoverimpuls", cluster="photonic")]
            ),
        )
    records.create_initiative(session, people.ada, initiative())
    with pytest.raises(RegiolensError, match="exists already"):
        records.create_initiative(session, people.ada, initiative())
    records.create_initiative(session, people.hal, initiative())  # the same key in another organisation is fine


def test_visibility_of_records(session: Session, people: People) -> None:
    shared = records.create_initiative(session, people.ada, initiative("shared"))
    private = records.create_initiative(session, people.ada, initiative("secret", Visibility.private))
    session.commit()
    assert [i.key for i in records.list_records(session, people.vic, Initiative)] == ["secret", "shared"]
    assert [i.key for i in records.list_records(session, people.gil, Initiative)] == ["shared"]
    assert records.list_records(session, people.hal, Initiative) == []
    for user in (people.gil, people.hal):
        with pytest.raises(records.NotFound, match="no initiative 'secret'"):
            records.get_initiative(session, user, "secret")
        with pytest.raises(records.NotFound):
            records.get_initiative(session, user, private.id)  # by number too: as if it did not exist
    assert records.get_initiative(session, people.gil, "herten/shared").id == shared.id
    with pytest.raises(records.NotFound):
        records.get_initiative(session, people.hal, "herten/shared")


def test_only_editors_of_the_owning_organisation_change_records(session: Session, people: People) -> None:
    made = records.create_initiative(session, people.ada, initiative())
    with pytest.raises(PermissionDenied, match="editor"):
        records.create_initiative(session, people.vic, initiative("other"))
    for user in (people.vic, people.gil):
        with pytest.raises(PermissionDenied, match="editor"):
            records.update_initiative(session, user, made, initiative(summary="changed"))
        with pytest.raises(PermissionDenied):
            records.delete_record(session, user, made)
    with pytest.raises(PermissionDenied, match="editor in organisation 'gelsenkirchen'"):
        records.owner_organisation(session, people.ada, "gelsenkirchen")


def test_history_keeps_old_and_new_values(session: Session, people: People) -> None:
    made = records.create_initiative(session, people.ada, initiative())
    records.update_initiative(session, people.ada, made, initiative(summary="Fünf Cluster"))
    records.add_fact(session, people.ada, made, FactIn(kind=FactKind.goal, value="Gründungen"))
    entries = records.record_history(session, people.gil, made)
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].changes == {"summary": {"old": "", "new": "Fünf Cluster"}}
    assert entries[2].changes["facts"]["new"][-1]["value"] == "Gründungen"
    assert all(e.user_id == people.ada.id for e in entries)
    with pytest.raises(records.NotFound):
        records.record_history(session, people.hal, made)


def test_links_show_only_what_the_reader_may_see(session: Session, people: People) -> None:
    secret = records.create_initiative(session, people.ada, initiative("secret", Visibility.private))
    records.create_actor(session, people.ada, ActorIn(key="wf-herten", name="WF Herten", visibility="network"))
    visit = records.create_exchange(
        session,
        people.ada,
        ExchangeIn(
            key="visit",
            title="Besuch",
            visitors=["wf-herten"],
            people=[{"function": "Sprecherin", "actor": "wf-herten", "role": "visitor"}],
            initiatives=["secret"],
            follow_ups=[FollowUpIn(task="Weiter austauschen")],
            visibility="network",
        ),
    )
    assert records.describe(session, people.ada, visit)["initiatives"] == [secret.name]
    seen_by_partner = records.describe(session, people.gil, visit)
    assert seen_by_partner["initiatives"] == [] and seen_by_partner["visitors"] == ["WF Herten"]
    assert seen_by_partner["people"][0]["actor"] == "WF Herten"
    assert records.exchanges_about(session, people.ada, secret) == [visit]


def test_follow_ups(session: Session, people: People) -> None:
    visit = records.create_exchange(
        session,
        people.ada,
        ExchangeIn(key="v", title="Besuch", follow_ups=[FollowUpIn(task="A", due=date(2030, 1, 1))]),
    )
    extra = records.add_follow_up(session, people.ada, visit, FollowUpIn(task="B", owner="Netzwerk"))
    assert [f.task for f in records.open_follow_ups(session, people.vic)] == ["A", "B"]
    assert records.open_follow_ups(session, people.gil) == []  # the exchange is private to Herten
    with pytest.raises(PermissionDenied):
        records.set_follow_up_done(session, people.vic, extra.id)
    done = records.set_follow_up_done(session, people.ada, extra.id)
    assert done.done and done.done_at is not None
    assert [f.task for f in records.open_follow_ups(session, people.ada)] == ["A"]


def test_lessons_link_initiatives_and_exchanges(session: Session, people: People) -> None:
    made = records.create_initiative(session, people.ada, initiative())
    records.create_exchange(session, people.ada, ExchangeIn(key="v", title="Besuch", initiatives=["hannoverimpuls"]))
    lesson = records.create_lesson(
        session,
        people.ada,
        LessonIn(
            key="fonds", title="Fonds braucht Co-Investoren", outcome="worked", initiatives=[made.key], exchanges=["v"]
        ),
    )
    assert records.lessons_about(session, people.ada, made) == [lesson]
    assert records.describe(session, people.ada, lesson)["exchanges"] == ["Besuch"]
    assert [r.key for r in records.list_records(session, people.ada, Lesson)] == ["fonds"]


def test_delete_removes_the_record_and_its_search_text_but_keeps_history(session: Session, people: People) -> None:
    made = records.create_exchange(session, people.ada, ExchangeIn(key="v", title="Besuch", tags=["x"]))
    made_id = made.id
    records.delete_record(session, people.ada, made)
    assert session.get(Exchange, made_id) is None
    assert session.scalar(select(SearchDocument).where(SearchDocument.record_id == made_id)) is None
    assert [e.action for e in entries(session, "exchange", made_id, made.created_at)] == ["create", "delete"]


def test_ambiguous_keys_prefer_the_users_own_record(session: Session, people: People) -> None:
    own = records.create_initiative(session, people.ada, initiative())
    other = records.create_initiative(session, people.gil, initiative())
    assert records.get_initiative(session, people.ada, "hannoverimpuls").id == own.id
    accounts.create_organisation(session, "bottrop", "WF Bottrop")
    accounts.add_to_network(session, "emscher-lippe", "bottrop")
    bo = accounts.create_user(session, "bo@example.org", "Bo", PASSWORD, "bottrop", Role.viewer)
    with pytest.raises(RegiolensError, match="ambiguous: herten/hannoverimpuls, gelsenkirchen/hannoverimpuls"):
        records.get_initiative(session, bo, "hannoverimpuls")
    assert records.get_initiative(session, bo, "gelsenkirchen/hannoverimpuls").id == other.id
