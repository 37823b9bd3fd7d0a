"""The concept workspace: content, differences in words, outdated evidence, and the concepts in the app database
(SQLite and PostgreSQL) with versions, status, comments, sign-offs and their visibility rules."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from pydantic import ValidationError
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from regiolens.concept import records
from regiolens.concept.content import (
    BudgetRow,
    ConceptContent,
    FocusCluster,
    FundPlanLink,
    Instrument,
    Milestone,
    diff_content,
    outdated_clusters,
)
from regiolens.concept.models import (
    Concept,
    ConceptStatus,
    ConceptVersion,
    FrozenVersion,
    SignOffStatus,
)
from regiolens.errors import RegiolensError
from regiolens.fund.records import save_plan
from regiolens.network.inputs import InitiativeIn
from regiolens.network.records import NotFound, create_initiative
from regiolens.web.accounts import PermissionDenied, create_user
from regiolens.web.db import AuditEntry, Role, Visibility, alembic_config, session_factory, utcnow
from tests.network import conftest as network
from tests.network.conftest import PASSWORD, People

# the app database on SQLite and PostgreSQL, and Herten (ada editor, vic viewer), Gelsenkirchen (gil, same network)
# and Hannover (hal, no network with them)
database_url, engine, session, fast_password_hashing, people = (
    network.database_url,
    network.engine,
    network.session,
    network.fast_password_hashing,
    network.people,
)

BASE = ConceptContent(
    title="Regionalisierte Wirtschaftsförderung Emscher-Lippe",
    target_region="emscher-lippe",
    authors="Bürgermeister Herten; Sprecher des Netzwerks",
    summary="Drei Fokuscluster.\nEine Gesellschaft der Städte und des Kreises.",
    focus_clusters=[
        FocusCluster(
            cluster="hannoverimpuls/ict", justification="Stark und wachsend.", fingerprint="f-ict", vintage="2022"
        ),
        FocusCluster(
            cluster="hannoverimpuls/energy", justification="Strukturwandel.", fingerprint="f-en", vintage="2022"
        ),
    ],
    operator_model="Eine GmbH im Besitz der Städte.",
    budget=[BudgetRow(item="Geschäftsstelle", amount=450_000, year=2027)],
    milestones=[Milestone(date=date(2027, 3, 1), title="Ratsbeschluss")],
)


def _with(**changes: object) -> ConceptContent:
    return BASE.model_copy(update=changes)


# ----------------------------------------------------------------------------------------------- content


def test_content_refuses_a_cluster_or_budget_row_twice() -> None:
    twice = BASE.focus_clusters[0]
    with pytest.raises(ValidationError, match=r"each focus cluster appears once.*hannoverimpuls/ict"):
        ConceptContent.model_validate({**BASE.as_json(), "focus_clusters": [twice.model_dump()] * 2})
    row = {"item": "Geschäftsstelle", "amount": 1, "year": 2027}
    with pytest.raises(ValidationError, match="budget row"):
        ConceptContent.model_validate({**BASE.as_json(), "budget": [row, row]})
    with pytest.raises(ValidationError, match="extra"):
        ConceptContent.model_validate({**BASE.as_json(), "unknown": 1})
    assert ConceptContent.model_validate(BASE.as_json()) == BASE


def test_diff_says_what_changed_in_german_and_english() -> None:
    assert diff_content(BASE, BASE) == []
    ict, energy = BASE.focus_clusters
    new = _with(
        title="Konzept Emscher-Lippe",
        summary="Drei Fokuscluster.\nEine Gesellschaft der Städte, des Kreises und der IHK.",
        focus_clusters=[
            FocusCluster(
                cluster="hannoverimpuls/ict",
                justification="Stark, wachsend, forschungsnah.",
                fingerprint="f2",
                vintage="2023",
            ),
            FocusCluster(cluster="hannoverimpuls/medtech", justification="Neu."),
        ],
        instruments=[Instrument(initiative="hannover/gruenderzentrum", note="wie in Hannover")],
        fund_plan=FundPlanLink(plan="herten/seedfonds", version=2),
        operator_model="",
        budget=[
            BudgetRow(item="Geschäftsstelle", amount=500_000.5, year=2027),
            BudgetRow(item="Fonds", amount=-1000, year=2028),
        ],
        milestones=[
            Milestone(date=date(2027, 6, 1), title="Ratsbeschluss"),
            Milestone(date=date(2028, 1, 1), title="Start"),
        ],
    )
    changes = diff_content(BASE, new)
    assert [(c.section, c.kind, c.de) for c in changes] == [
        ("title", "changed", "Titel: „Regionalisierte Wirtschaftsförderung Emscher-Lippe“ → „Konzept Emscher-Lippe“"),
        ("summary", "changed", "Abschnitt „Zusammenfassung“ geändert (1 Zeilen neu, 1 entfernt)"),
        ("focus_clusters", "removed", "Fokuscluster „hannoverimpuls/energy“ entfernt"),
        ("focus_clusters", "added", "Fokuscluster „hannoverimpuls/medtech“ hinzugefügt"),
        ("focus_clusters", "changed", "Begründung für „hannoverimpuls/ict“ geändert (1 Zeilen neu, 1 entfernt)"),
        ("focus_clusters", "changed", "Evidenz für „hannoverimpuls/ict“ aktualisiert (Datenstand 2022 → 2023)"),
        ("instruments", "added", "Instrument „hannover/gruenderzentrum“ hinzugefügt"),
        ("fund_plan", "added", "Fondsplan „herten/seedfonds v2“ verknüpft"),
        ("operator_model", "removed", "Abschnitt „Betreibermodell“ entfernt"),
        ("budget", "changed", "Budgetposten „Geschäftsstelle“ 2027: 450.000 € → 500.000,50 €"),
        ("budget", "added", "Budgetposten „Fonds“ 2028 hinzugefügt (−1.000 €)"),
        ("budget", "changed", "Budget insgesamt: 450.000 € → 499.000,50 €"),
        ("milestones", "changed", "Meilenstein „Ratsbeschluss“ verschoben: 01.03.2027 → 01.06.2027"),
        ("milestones", "added", "Meilenstein „Start“ (01.01.2028) hinzugefügt"),
    ]
    english = {c.en for c in changes}
    assert "Focus cluster ‘hannoverimpuls/energy’ removed" in english
    assert "Budget in total: 450,000 € → 499,000.50 €" in english
    assert "Milestone ‘Ratsbeschluss’ moved: 2027-03-01 → 2027-06-01" in english
    assert changes[1].lines == [
        "@@ -1,2 +1,2 @@",
        " Drei Fokuscluster.",
        "-Eine Gesellschaft der Städte und des Kreises.",
        "+Eine Gesellschaft der Städte, des Kreises und der IHK.",
    ]
    back = diff_content(new, BASE)
    assert [c.de for c in back if c.section == "fund_plan"] == ["Fondsplan „herten/seedfonds v2“ entfernt"]
    assert [c.kind for c in back if c.section == "operator_model"] == ["added"]
    swapped = _with(focus_clusters=[energy, ict])
    assert [c.en for c in diff_content(BASE, swapped)] == ["Order of focus clusters changed"]


def test_outdated_clusters_compare_fingerprints() -> None:
    assert outdated_clusters(BASE, {"hannoverimpuls/ict": "f-ict", "hannoverimpuls/energy": "f-en"}) == []
    found = outdated_clusters(BASE, {"hannoverimpuls/ict": "f-ict-2024"})
    assert [(o.cluster, o.stored, o.current, o.vintage) for o in found] == [
        ("hannoverimpuls/ict", "f-ict", "f-ict-2024", "2022"),
        ("hannoverimpuls/energy", "f-en", None, "2022"),
    ]
    assert found[0].de == "Die Evidenz für Fokuscluster „hannoverimpuls/ict“ hat sich seit Datenstand 2022 geändert"
    assert found[1].en == "Focus cluster ‘hannoverimpuls/energy’ has no current evidence any more"


# ----------------------------------------------------------------------------------------------- the database


def _concept(session: Session, people: People, visibility: Visibility = Visibility.network) -> Concept:
    concept = records.create_concept(
        session, people.ada, "emscher-lippe-2027", BASE, network="emscher-lippe", visibility=visibility
    )
    session.commit()
    return concept


def _audited(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.entity == "concept", AuditEntry.action == action)))


def test_saving_adds_a_version_only_when_something_changed(session: Session, people: People) -> None:
    concept = _concept(session, people)
    assert (concept.version, concept.status, concept.title) == (1, ConceptStatus.draft, BASE.title)
    version, added = records.save_concept(session, people.ada, concept, BASE)
    assert not added and version.number == 1
    version, added = records.save_concept(session, people.ada, concept, _with(title="Neu"), note="Titel")
    assert added and (version.number, version.note, concept.title, concept.version) == (2, "Titel", "Neu", 2)
    _, added = records.save_concept(session, people.ada, concept, _with(title="Neu"), visibility=Visibility.private)
    assert not added and concept.visibility is Visibility.private and concept.version == 2
    session.commit()
    one, two = records.get_version(concept, 1), records.get_version(concept, 2)
    assert [c.en for c in records.diff_versions(one, two)] == [f"Title: ‘{BASE.title}’ → ‘Neu’"]
    assert records.content_of(one) == BASE
    assert records.describe_version(one)["content"] == BASE.as_json()
    assert records.describe_version(two)["note"] == "Titel"
    with pytest.raises(NotFound, match="no version 3"):
        records.get_version(concept, 3)
    assert [e.detail["version"] for e in _audited(session, "save")] == [1, 2]
    assert len(_audited(session, "set_visibility")) == 1
    assert records.get_concept(session, people.ada, "emscher-lippe-2027") is concept
    assert records.get_concept(session, people.ada, "herten/emscher-lippe-2027") is concept
    assert records.list_concepts(session, people.vic) == [concept]
    with pytest.raises(RegiolensError, match="has a concept 'emscher-lippe-2027' already"):
        records.create_concept(session, people.ada, "emscher-lippe-2027", BASE)
    with pytest.raises(RegiolensError, match="concept key"):
        records.create_concept(session, people.ada, "Emscher Lippe", BASE)
    with pytest.raises(RegiolensError, match="no member of a network 'emscher-lippe'"):
        records.create_concept(session, people.hal, "hannover", BASE, network="emscher-lippe")


def test_instruments_and_fund_plan_are_resolved_among_visible_records(session: Session, people: People) -> None:
    seen = create_initiative(
        session, people.gil, InitiativeIn(key="gruenderzentrum", name="Gründerzentrum", visibility=Visibility.network)
    )
    create_initiative(session, people.hal, InitiativeIn(key="hannoverimpuls", name="hannoverimpuls"))
    plan, _ = save_plan(session, people.ada, "seedfonds", "Seedfonds", "# v1\n", {})
    save_plan(session, people.ada, "seedfonds", "Seedfonds", "# v2\n", {})
    concept = _concept(session, people)
    content = _with(
        instruments=[Instrument(initiative="gruenderzentrum", note="Räume")], fund_plan=FundPlanLink(plan="seedfonds")
    )
    version, _ = records.save_concept(session, people.ada, concept, content)
    stored = records.content_of(version)
    assert stored.instruments == [
        Instrument(initiative="gelsenkirchen/gruenderzentrum", initiative_id=seen.id, note="Räume")
    ]
    assert stored.fund_plan == FundPlanLink(plan="herten/seedfonds", plan_id=plan.id, version=2)
    _, added = records.save_concept(session, people.ada, concept, stored)
    assert not added
    # a link kept from the previous version stays after its owner made the initiative private
    seen.visibility = Visibility.private
    session.flush()
    _, added = records.save_concept(session, people.ada, concept, stored.model_copy(update={"summary": "neu"}))
    assert added and records.content_of(concept.current).instruments == stored.instruments
    with pytest.raises(NotFound, match="no initiative 'hannoverimpuls'"):
        records.save_concept(session, people.ada, concept, _with(instruments=[Instrument(initiative="hannoverimpuls")]))
    with pytest.raises(RegiolensError, match="has no version 3"):
        records.save_concept(session, people.ada, concept, _with(fund_plan=FundPlanLink(plan="seedfonds", version=3)))


def test_status_moves_along_the_allowed_transitions(session: Session, people: People) -> None:
    concept = _concept(session, people)
    with pytest.raises(records.TransitionError, match="from draft to adopted"):
        records.move_concept(session, people.ada, concept, ConceptStatus.adopted)
    records.move_concept(session, people.ada, concept, ConceptStatus.in_consultation)
    records.move_concept(session, people.ada, concept, ConceptStatus.draft, "noch nicht fertig")
    records.move_concept(session, people.ada, concept, ConceptStatus.in_consultation)
    with pytest.raises(PermissionDenied):
        records.move_concept(session, people.vic, concept, ConceptStatus.adopted)
    records.move_concept(session, people.ada, concept, ConceptStatus.adopted)
    assert (concept.status, concept.adopted_version) == (ConceptStatus.adopted, 1)
    with pytest.raises(records.TransitionError, match="edit it to start a new draft"):
        records.move_concept(session, people.ada, concept, ConceptStatus.draft)
    steps = [(e.detail["from"], e.detail["to"]) for e in _audited(session, "set_status")]
    assert steps == [
        ("draft", "in_consultation"),
        ("in_consultation", "draft"),
        ("draft", "in_consultation"),
        ("in_consultation", "adopted"),
    ]


def test_an_adopted_version_never_changes(session: Session, people: People, engine: Engine) -> None:
    concept = _concept(session, people)
    records.move_concept(session, people.ada, concept, ConceptStatus.in_consultation)
    records.move_concept(session, people.ada, concept, ConceptStatus.adopted)
    session.commit()
    adopted = records.adopted(concept)
    assert adopted is not None and adopted.adopted_at is not None
    version, added = records.save_concept(session, people.ada, concept, _with(summary="Geändert nach Beschluss"))
    session.commit()
    assert added and version.number == 2 and version.adopted_at is None
    assert (concept.status, concept.adopted_version, records.adopted(concept)) == (ConceptStatus.draft, 1, adopted)
    with session_factory(engine)() as fresh:
        stored = fresh.scalars(select(ConceptVersion).order_by(ConceptVersion.number)).all()
        assert [v.number for v in stored] == [1, 2]
        assert stored[0].content == BASE.as_json() and stored[0].adopted_at == adopted.adopted_at
    adopted.content = _with(summary="heimlich").as_json()
    with pytest.raises(FrozenVersion, match=r"version 1 .* cannot change \(content\)"):
        session.flush()
    session.rollback()
    version.note = "nachträglich"
    with pytest.raises(FrozenVersion, match="note"):
        session.flush()
    session.rollback()
    adopted.adopted_at = utcnow()
    with pytest.raises(FrozenVersion, match="adopted_at"):
        session.flush()
    session.rollback()
    comment = records.add_comment(session, people.vic, concept, "Beschlossen am 1. März.", 1)
    session.commit()
    assert comment.version is adopted and adopted.content == BASE.as_json()


def test_who_sees_changes_and_comments(session: Session, people: People) -> None:
    shared = _concept(session, people)
    private = records.create_concept(session, people.ada, "intern", _with(title="Intern"))
    session.commit()
    assert records.list_concepts(session, people.gil) == [shared]
    assert records.list_concepts(session, people.hal) == []
    assert {c.key for c in records.list_concepts(session, people.vic)} == {"emscher-lippe-2027", "intern"}
    for user in (people.gil, people.hal):
        with pytest.raises(NotFound):
            records.get_concept(session, user, "herten/intern")
        with pytest.raises(NotFound):
            records.add_comment(session, user, private, "darf ich nicht")
    with pytest.raises(NotFound):
        records.get_concept(session, people.hal, shared.id)
    with pytest.raises(PermissionDenied, match="editor"):
        records.save_concept(session, people.vic, shared, _with(title="vic"))
    with pytest.raises(PermissionDenied):
        records.save_concept(session, people.gil, shared, _with(title="gil"))
    with pytest.raises(PermissionDenied):
        records.create_concept(session, people.vic, "vic", BASE, organisation="herten")
    first = records.add_comment(session, people.vic, shared, "  Bitte Budget prüfen. ")
    records.save_concept(session, people.ada, shared, _with(title="Zweite Fassung"))
    second = records.add_comment(session, people.gil, shared, "Einverstanden.")
    session.commit()
    assert (first.text, first.author_id, first.version.number) == ("Bitte Budget prüfen.", people.vic.id, 1)
    assert second.version.number == 2
    assert records.list_comments(session, people.gil, shared) == [first, second]
    assert records.list_comments(session, people.ada, shared, 2) == [second]
    with pytest.raises(NotFound):
        records.list_comments(session, people.hal, shared)
    with pytest.raises(RegiolensError, match="needs a text"):
        records.add_comment(session, people.ada, shared, "  ")


def test_sign_off_flow(session: Session, people: People) -> None:
    concept = _concept(session, people, Visibility.private)
    with pytest.raises(RegiolensError, match="share concept"):
        records.request_sign_off(session, people.ada, concept, "gelsenkirchen")
    records.save_concept(session, people.ada, concept, BASE, visibility=Visibility.network)
    with pytest.raises(RegiolensError, match="'hannover' is no member of the concept's network"):
        records.request_sign_off(session, people.ada, concept, "hannover")
    with pytest.raises(PermissionDenied):
        records.request_sign_off(session, people.vic, concept, "gelsenkirchen")
    records.move_concept(session, people.ada, concept, ConceptStatus.in_consultation)
    asked = records.request_sign_off(session, people.ada, concept, "gelsenkirchen", "bis Mai")
    with pytest.raises(RegiolensError, match="already"):
        records.request_sign_off(session, people.ada, concept, "gelsenkirchen")
    session.commit()
    assert records.sign_offs_asked_of(session, people.gil) == [asked]
    assert records.sign_offs_asked_of(session, people.ada) == []
    assert [o.slug for o in records.missing_sign_offs(concept)] == ["gelsenkirchen"]
    with pytest.raises(records.SignOffMissing, match="lacks the sign-off of gelsenkirchen"):
        records.move_concept(session, people.ada, concept, ConceptStatus.adopted)
    with pytest.raises(PermissionDenied):  # Herten cannot answer for Gelsenkirchen
        records.answer_sign_off(session, people.ada, asked, approve=True)
    with pytest.raises(NotFound):
        records.answer_sign_off(session, people.hal, asked, approve=True)
    viewer = create_user(session, "vera@example.org", "Vera", PASSWORD, "gelsenkirchen", Role.viewer)
    with pytest.raises(PermissionDenied, match="editor"):  # a viewer of the asked organisation cannot either
        records.answer_sign_off(session, viewer, asked, approve=True)
    records.answer_sign_off(session, people.gil, asked, approve=True, note="Rat zugestimmt")
    assert (asked.status, asked.answered_by, asked.answer_note) == (
        SignOffStatus.approved,
        people.gil.id,
        "Rat zugestimmt",
    )
    assert asked.note == "bis Mai"
    assert asked.answered_at is not None and asked.requested_by == people.ada.id
    with pytest.raises(RegiolensError, match="answered already"):
        records.answer_sign_off(session, people.gil, asked, approve=False)
    # a changed version needs a new approval
    records.save_concept(session, people.ada, concept, _with(summary="Nach der Konsultation."))
    assert [o.slug for o in records.missing_sign_offs(concept)] == ["gelsenkirchen"]
    again = records.request_sign_off(session, people.ada, concept, "gelsenkirchen")
    records.answer_sign_off(session, people.gil, again, approve=False, note="Budget zu hoch")
    with pytest.raises(records.SignOffMissing):
        records.move_concept(session, people.ada, concept, ConceptStatus.adopted)
    third = records.request_sign_off(session, people.ada, concept, "gelsenkirchen")
    # an admin of the asked organisation may answer too
    admin = create_user(session, "ria@example.org", "Ria", PASSWORD, "gelsenkirchen", Role.admin)
    records.answer_sign_off(session, admin, third, approve=True)
    records.move_concept(session, people.ada, concept, ConceptStatus.adopted)
    session.commit()
    assert (concept.status, concept.adopted_version) == (ConceptStatus.adopted, 2)
    assert [(o.version, o.status) for o in concept.sign_offs] == [
        (1, SignOffStatus.approved),
        (2, SignOffStatus.declined),
        (2, SignOffStatus.approved),
    ]
    described = records.describe(concept)
    assert (described["status"], described["adopted_version"], described["network"]) == ("adopted", 2, "emscher-lippe")
    assert [(o["organisation"], o["status"]) for o in described["sign_offs"]][-1] == ("gelsenkirchen", "approved")
    with pytest.raises(records.TransitionError, match="is adopted"):
        records.request_sign_off(session, people.ada, concept, "gelsenkirchen")
    answers = [(e.detail["status"], e.organisation_id) for e in _audited(session, "answer_sign_off")]
    gelsenkirchen = asked.organisation_id
    assert answers == [("approved", gelsenkirchen), ("declined", gelsenkirchen), ("approved", gelsenkirchen)]


def test_mark_outdated_records_changed_evidence(session: Session, people: People) -> None:
    concept = _concept(session, people)
    current = {"hannoverimpuls/ict": "f-ict", "hannoverimpuls/energy": "f-en"}
    assert records.mark_outdated(session, concept, current) == []
    assert concept.outdated == [] and concept.evidence_checked_at is not None
    found = records.mark_outdated(session, concept, current | {"hannoverimpuls/ict": "f-ict-2024"})
    session.commit()
    assert [o.cluster for o in found] == ["hannoverimpuls/ict"]
    assert outdated_clusters(concept.current, current | {"hannoverimpuls/ict": "f-ict-2024"}) == found
    assert concept.outdated == [
        {"cluster": "hannoverimpuls/ict", "stored": "f-ict", "current": "f-ict-2024", "vintage": "2022"}
    ]
    records.mark_outdated(session, concept, current | {"hannoverimpuls/ict": "f-ict-2024"})
    assert [e.detail["outdated"] for e in _audited(session, "mark_outdated")] == [["hannoverimpuls/ict"]]
    assert concept.version == 1  # the versions are not touched
    # a justification changed: still outdated; the cluster chosen again on the current evidence: settled
    ict, energy = BASE.focus_clusters
    records.save_concept(session, people.ada, concept, _with(summary="Nur Text."))
    assert [o["cluster"] for o in concept.outdated] == ["hannoverimpuls/ict"]
    renewed = ict.model_copy(update={"fingerprint": "f-ict-2024", "vintage": "2024"})
    records.save_concept(session, people.ada, concept, _with(focus_clusters=[renewed, energy]))
    assert concept.outdated == []
    assert records.describe(concept)["outdated"] == []


def test_migration_0004_adds_and_removes_only_the_concept_tables(engine: Engine) -> None:
    tables = {"concepts", "concept_versions", "concept_comments", "concept_sign_offs"}
    before = set(inspect(engine).get_table_names())
    assert tables <= before
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    assert set(inspect(engine).get_table_names()) == before - tables
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
    assert set(inspect(engine).get_table_names()) == before
