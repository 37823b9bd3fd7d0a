"""The example content: what it records (and leaves unknown), loading, removing, and the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.network import examples, records, search
from regiolens.network.inputs import InitiativeIn
from regiolens.network.models import Actor, Exchange, FactKind, Initiative
from regiolens.web.accounts import get_user
from regiolens.web.db import User, make_engine, session_factory
from tests.network.conftest import People


def test_examples_record_what_is_known_and_leave_the_rest_unknown(session: Session, people: People) -> None:
    examples.load_examples(session, people.ada)
    hi = records.get_initiative(session, people.ada, "hannoverimpuls")
    assert hi.example and hi.region == "region-hannover"
    clusters = [(f.taxonomy, f.cluster) for f in hi.facts if f.kind is FactKind.focus_cluster]
    assert clusters == [("hannoverimpuls", c) for c in ("automotive", "medtech", "photonics", "production", "ict")]
    owners = sorted(f.actor.name for f in hi.facts if f.kind is FactKind.owner and f.actor)
    assert owners == ["Landeshauptstadt Hannover", "Region Hannover"]
    budget = next(f for f in hi.facts if f.kind is FactKind.budget)
    assert budget.value is None  # unknown, not invented
    assert any("Venture-Capital-Fonds" in (f.value or "") for f in hi.facts if f.kind is FactKind.instrument)
    network = records.get_actor(session, people.ada, "netzwerk-emscher-lippe")
    assert len(network.members) == 13 and {m.region for m in network.members} == {"05562", "05512", "05513"}
    visit = records.get_exchange(session, people.ada, "besuch-hannoverimpuls")
    assert visit.date is None and visit.findings == ""
    assert [p["name"] for p in visit.people] == [None, None, None]
    assert [i.key for i in visit.initiatives] == ["hannoverimpuls"]
    assert len(visit.follow_ups) == 2 and not any(f.done for f in visit.follow_ups)
    described = records.describe(session, people.gil, visit)  # shared with the network
    assert described["hosts"] == ["Hannover Impuls GmbH"]
    assert {"Wirtschaftsförderung Castrop-Rauxel", "Wirtschaftsförderung Herten"} <= set(described["visitors"])
    assert [h.title for h in search.search(session, people.gil, "Castrop")] == ["Besuch bei hannoverimpuls"]


def test_remove_deletes_the_examples_and_nothing_else(session: Session, people: People) -> None:
    own = records.create_initiative(session, people.ada, InitiativeIn(key="eigen", name="Eigene Initiative"))
    summary = examples.load_examples(session, people.ada)
    assert summary.count() == 19
    with pytest.raises(RegiolensError, match="example content already"):
        examples.load_examples(session, people.ada)
    assert examples.remove_examples(session, people.ada) == 19
    assert [i.key for i in records.list_records(session, people.ada, Initiative)] == [own.key]
    for model in (Actor, Exchange):
        assert records.list_records(session, people.ada, model) == []
    assert [h.title for h in search.search(session, people.ada, "initiative")] == ["Eigene Initiative"]


def test_load_demo_makes_the_demo_user_and_loads_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOLENS_DEMO_PASSWORD", "demo-passwort-lang")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = examples.load_demo(url)
    assert "Demo login: demo@example.org / demo-passwort-lang" in first and "19 Einträge" in first
    assert "schon geladen" in examples.load_demo(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 1
        demo = get_user(s, examples.DEMO_EMAIL)
        assert records.get_initiative(s, demo, "hannoverimpuls").example
    engine.dispose()
