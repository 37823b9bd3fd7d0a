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


def test_the_input_of_a_record_changes_nothing_when_given_back(session: Session, people: People) -> None:
    records.create_actor(session, people.ada, ActorIn(key="wf-herten", name="WF Herten"))
    made = records.create_initiative(
        session,
        people.ada,
        initiative(
            facts=[FactIn(kind="operator", actor="wf-herten", value="Betreiberin", valid_from=date(2020, 1, 1))]
        ),
    )
    visit = records.create_exchange(
        session,
        people.ada,
        ExchangeIn(
            key="v",
            title="Besuch",
            hosts=["wf-herten"],
            people=[{"name": "Eda", "actor": "wf-herten", "role": "host"}],
            initiatives=["hannoverimpuls"],
            follow_ups=[FollowUpIn(task="A", done=True), FollowUpIn(task="B", owner="Netzwerk")],
            tags=["besuch"],
        ),
    )
    lesson = records.create_lesson(session, people.ada, LessonIn(key="l", title="L", exchanges=["v"]))
    for record, update in (
        (made, records.update_initiative),
        (visit, records.update_exchange),
        (lesson, records.update_lesson),
        (records.get_actor(session, people.ada, "wf-herten"), records.update_actor),
    ):
        before = records.snapshot(record)
        update(session, people.ada, record, records.as_input(record))
        assert records.snapshot(record) == before
        assert [e.action for e in records.record_history(session, people.ada, record)] == ["create"]


def test_an_edit_keeps_what_the_editor_cannot_see(session: Session, people: People) -> None:
    """Gelsenkirchen shares an actor and an initiative, Herten links them, Gelsenkirchen makes them private: Herten's
    editor can still change the records that link them, and the links stay — but cannot link them anew."""
    gil_actor = records.create_actor(session, people.gil, ActorIn(key="wf-ge", name="WF GE", visibility="network"))
    gil_initiative = records.create_initiative(session, people.gil, initiative("ge-fonds"))
    own = records.create_initiative(
        session, people.ada, initiative(facts=[FactIn(kind="partner", actor="gelsenkirchen/wf-ge")])
    )
    visit = records.create_exchange(
        session,
        people.ada,
        ExchangeIn(
            key="v",
            title="Besuch",
            visitors=["gelsenkirchen/wf-ge"],
            people=[{"function": "Leitung", "actor": "gelsenkirchen/wf-ge", "role": "visitor"}],
            initiatives=["gelsenkirchen/ge-fonds"],
        ),
    )
    records.update_actor(session, people.gil, gil_actor, ActorIn(key="wf-ge", name="WF GE", visibility="private"))
    records.update_initiative(session, people.gil, gil_initiative, initiative("ge-fonds", Visibility.private))

    records.update_initiative(session, people.ada, own, records.as_input(own))
    assert own.facts[0].actor_id == gil_actor.id
    changed = records.as_input(visit).model_copy(update={"findings": "Neu", "initiatives": [], "visitors": []})
    records.update_exchange(session, people.ada, visit, changed)
    assert visit.findings == "Neu" and [i.id for i in visit.initiatives] == [gil_initiative.id]
    assert [p.actor_id for p in visit.parties] == [gil_actor.id] and visit.people[0]["actor_id"] == gil_actor.id
    assert records.describe(session, people.ada, visit)["initiatives"] == []  # kept, still not shown
    with pytest.raises(records.NotFound):
        records.create_lesson(session, people.ada, LessonIn(key="l", title="L", initiatives=[str(gil_initiative.id)]))
    with pytest.raises(records.NotFound):
        records.add_fact(session, people.ada, own, FactIn(kind="partner", actor=str(gil_actor.id)))


def test_changing_follow_ups_keeps_them_and_when_they_were_done(session: Session, people: People) -> None:
    visit = records.create_exchange(
        session,
        people.ada,
        ExchangeIn(key="v", title="Besuch", follow_ups=[FollowUpIn(task="A"), FollowUpIn(task="B")]),
    )
    a, b = visit.follow_ups
    done = records.set_follow_up_done(session, people.ada, a.id)
    first_done = done.done_at
    records.set_follow_up_done(session, people.ada, a.id)  # done again: still the first time
    data = records.as_input(visit)
    assert isinstance(data, ExchangeIn)
    wanted = [
        data.follow_ups[0],
        FollowUpIn(task="C", owner="Ada"),
        data.follow_ups[1].model_copy(update={"done": True}),
    ]
    records.update_exchange(session, people.ada, visit, data.model_copy(update={"follow_ups": wanted}))
    assert [(f.id, f.task, f.done) for f in visit.follow_ups][::2] == [(a.id, "A", True), (b.id, "B", True)]
    assert visit.follow_ups[0].done_at == first_done and visit.follow_ups[2].done_at is not None
    records.set_follow_up_done(session, people.ada, a.id, done=False)
    assert a.done_at is None and not a.done
    history = records.record_history(session, people.ada, visit)
    assert [e.action for e in history] == ["create", "update", "update", "update"]  # done twice is one change
