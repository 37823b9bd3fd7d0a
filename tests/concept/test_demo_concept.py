"""The demo's example concept on the official data: loaded for the demo user through the library after the example
knowledge base and fund, its focus clusters chosen on the web app's evidence (same fingerprint, nothing outdated),
its paper written as DOCX and PDF, and a second run changing nothing.

The demo organisation is put into a network with a second organisation before the example is loaded (the concept is
then written for that network); the case without a network is checked without the paper. One paper build per
module: the module-scoped ``demo`` fixture runs :func:`load_demo_concept` once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.concept import records
from regiolens.concept.content import content_of, outdated_clusters
from regiolens.concept.demo import (
    CONCEPT_KEY,
    FOCUS_COUNT,
    ensure_initiatives,
    ensure_taxonomy,
    load_demo_concept,
    paper_files,
    save_example,
)
from regiolens.concept.models import ConceptVersion
from regiolens.concept.scorecard import Scorecard
from regiolens.fund.demo import PLAN_KEY, load_demo_fund
from regiolens.i18n import format_number
from regiolens.network.examples import DEMO_EMAIL, DEMO_ORGANISATION, load_demo
from regiolens.network.models import AssessmentVersion, Initiative
from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.concept_evidence import cluster_ref, current_fingerprints, evidence_scorecard
from regiolens.web.db import (
    AuditEntry,
    Organisation,
    Taxonomy,
    User,
    Visibility,
    make_engine,
    normalise_email,
    session_factory,
)
from regiolens.web.warehouse import WarehouseAccess
from tests.conftest import warehouse_fingerprint

NETWORK = "emscher-lippe"


@dataclass(frozen=True)
class Demo:
    url: str
    out: Path
    message: str
    warehouse_before: tuple[object, ...]


def _demo_database(url: str, network: bool) -> None:
    """The app database as `make demo` leaves it before the concept: demo user, example knowledge base and fund;
    with ``network`` the demo organisation shares a network with Gladbeck."""
    load_demo(url)
    load_demo_fund(url)
    if not network:
        return
    engine = make_engine(url)
    try:
        with session_factory(engine).begin() as s:
            accounts.create_organisation(s, "gladbeck", "Wirtschaftsförderung Gladbeck")
            accounts.create_network(s, NETWORK, "Netzwerk Emscher-Lippe", [DEMO_ORGANISATION[0], "gladbeck"])
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> Demo:
    folder = tmp_path_factory.mktemp("demo-concept")
    url = f"sqlite:///{folder / 'app.db'}"
    _demo_database(url, network=True)
    before = warehouse_fingerprint(loaded_warehouse)
    message = load_demo_concept(loaded_warehouse, folder / "out", url)
    return Demo(url, folder / "out", message, before)


@pytest.fixture
def session(demo: Demo) -> Iterator[Session]:
    engine = make_engine(demo.url)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


def _demo_user(s: Session) -> User:
    return s.scalars(select(User).where(User.email == normalise_email(DEMO_EMAIL))).one()


def _web_scorecard(s: Session, warehouse: Path) -> Scorecard:
    """The scorecard of the concept's evidence page, by the web app's own function."""
    concept = records.get_concept(s, _demo_user(s), CONCEPT_KEY)
    return evidence_scorecard(WarehouseAccess(warehouse), s, concept)


def test_the_focus_clusters_rest_on_the_web_apps_evidence(demo: Demo, session: Session, loaded_warehouse: Path) -> None:
    concept = records.get_concept(session, _demo_user(session), CONCEPT_KEY)
    content = content_of(concept.current)
    card = _web_scorecard(session, loaded_warehouse)
    current = current_fingerprints(card)
    top = card.rows[:FOCUS_COUNT]
    assert len(content.focus_clusters) == FOCUS_COUNT == 3
    assert [c.cluster for c in content.focus_clusters] == [cluster_ref(r.evidence.key) for r in top]
    assert all(c.fingerprint == current[c.cluster] and c.vintage == card.vintage for c in content.focus_clusters)
    assert outdated_clusters(concept.current, current) == [] and concept.outdated == []
    for focus, row in zip(content.focus_clusters, top, strict=True):
        assert row.evidence.lq is not None
        lq = format_number(row.evidence.lq, digits=2, locale="de_DE")
        assert focus.justification.startswith("Beispielbegründung")
        assert f"Rang {row.rank} von {len(card.rows)}" in focus.justification and f"Standortquotient {lq}" in (
            focus.justification
        )
    # the candidates are the example taxonomy's section clusters (the hannoverimpuls ones are not resolvable here)
    taxonomy = session.scalars(select(Taxonomy)).one()
    assert taxonomy.visibility is Visibility.network and "Beispiel" in taxonomy.name
    assert {r.evidence.key.split(":")[0] for r in card.rows} == {f"org-{taxonomy.id}"}
    assert {e.key.split(":")[0] for e in card.unresolved} == {"hannoverimpuls"}


def test_the_concept_is_an_example_shared_in_the_network(demo: Demo, session: Session) -> None:
    concept = records.get_concept(session, _demo_user(session), CONCEPT_KEY)
    content = content_of(concept.current)
    assert concept.network is not None and concept.network.slug == NETWORK
    assert concept.visibility is Visibility.network and concept.target_region == "emscher-lippe"
    assert "Beispiel" in content.title and content.summary.startswith("Beispiel")
    assert [i.initiative for i in content.instruments] == ["demo/hannoverimpuls", "demo/hannoverimpuls-vc-fonds"]
    example = session.scalars(select(Initiative).where(Initiative.key == "hannoverimpuls-vc-fonds")).one()
    assert example.example and example.visibility is Visibility.network
    assert content.fund_plan is not None and content.fund_plan.plan == f"demo/{PLAN_KEY}"
    assert "GmbH" in content.operator_model and content.budget and content.milestones
    # Gladbeck, the other member, sees it (and could be asked to sign off)
    gladbeck = session.scalars(select(Organisation).where(Organisation.slug == "gladbeck")).one()
    assert gladbeck in concept.network.members
    assert "gespeichert" in demo.message and "Netzwerk emscher-lippe" in demo.message


def test_the_paper_names_the_focus_clusters(demo: Demo, session: Session, loaded_warehouse: Path) -> None:
    docx_file, pdf_file = paper_files(demo.out)
    document = docx.Document(str(docx_file))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    names = [r.evidence.name_de for r in _web_scorecard(session, loaded_warehouse).rows[:FOCUS_COUNT]]
    assert headings[:FOCUS_COUNT] == names
    words = "\n".join(p.text for p in document.paragraphs)
    assert "keine Übertragbarkeitsbewertung" not in words and words.count("Übertragbarkeit auf Emscher-Lippe") == 2
    assert pdf_file.read_bytes().startswith(b"%PDF")


def test_a_second_run_changes_nothing(demo: Demo, loaded_warehouse: Path) -> None:
    files = paper_files(demo.out)
    written = [f.stat().st_mtime_ns for f in files]

    def counts() -> tuple[int | None, ...]:
        engine = make_engine(demo.url)
        try:
            with session_factory(engine)() as s:
                return tuple(
                    s.scalar(select(func.count()).select_from(model))
                    for model in (ConceptVersion, Taxonomy, Initiative, AuditEntry, AssessmentVersion)
                )
        finally:
            engine.dispose()

    before = counts()
    assert before[0] == 2  # created, then the focus clusters chosen on the evidence
    message = load_demo_concept(loaded_warehouse, demo.out, demo.url)
    assert "schon vorhanden (Version 2" in message and "Konzeptpapier unverändert" in message
    assert counts() == before
    assert [f.stat().st_mtime_ns for f in files] == written
    assert warehouse_fingerprint(loaded_warehouse) == demo.warehouse_before


def test_without_a_network_the_concept_is_shared_when_the_organisation_joins_one(
    tmp_path: Path, loaded_warehouse: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    _demo_database(url, network=False)
    engine = make_engine(url)
    try:
        with session_factory(engine).begin() as s, Warehouse.open(loaded_warehouse, read_only=True) as wh:
            user = _demo_user(s)
            organisation = s.scalars(select(Organisation).where(Organisation.slug == DEMO_ORGANISATION[0])).one()
            assert ensure_taxonomy(s, user, organisation)[1] and not ensure_taxonomy(s, user, organisation)[1]
            assert ensure_initiatives(s, user, organisation) == 1 and ensure_initiatives(s, user, organisation) == 0
            concept, saved, card = save_example(s, wh, user, organisation)
            assert saved and concept.network is None and concept.visibility is Visibility.network
            chosen = [c.cluster for c in content_of(concept.current).focus_clusters]
            assert chosen == [cluster_ref(r.evidence.key) for r in card.rows[:FOCUS_COUNT]]
            assert save_example(s, wh, user, organisation)[1] is False
    finally:
        engine.dispose()
