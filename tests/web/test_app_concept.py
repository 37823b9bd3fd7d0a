"""The concept builder in the web app and the JSON API: pages, evidence, instruments, sign-off, privacy and roles.

The world of :mod:`tests.web.app_support` plus: Herten's taxonomy of section-level clusters shared with its network
(the built-in hannoverimpuls clusters cannot be resolved on the section groups of the official data, so these are
the candidates that get ranked), the example knowledge base (hannoverimpuls) and a second initiative seen there,
Herten's fund plan shared with the network, and an editor of Gladbeck (the second member organisation).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.clusters.stored import org_taxonomy
from regiolens.concept import records
from regiolens.concept.content import ConceptContent, FocusCluster, content_of
from regiolens.concept.models import Concept, ConceptStatus
from regiolens.concept.scorecard import scorecard
from regiolens.fund import records as fund_records
from regiolens.fund.terms import parse_plan
from regiolens.network import examples
from regiolens.network import records as network_records
from regiolens.network.inputs import InitiativeIn
from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.concept_evidence import PEERS
from regiolens.web.db import Role, Taxonomy, User, Visibility, session_factory
from regiolens.web.routes.fund import EXAMPLE_PLAN
from tests.concept.test_paper import HANNOVERIMPULS
from tests.web.app_support import (
    BOTTROP,
    EDITOR,
    GLADBECK,
    PASSWORD,
    VIEWER,
    World,
    api_token,
    build_app,
    client_for,
    csrf_token,
)
from tests.web.test_app_fund import _text

GLADBECK_EDITOR = "editor@gladbeck.de"
SECTION_CLUSTERS = [
    {"id": "ict", "label_de": "IKT und Medien", "label_en": "ICT and media", "codes": ["J"]},
    {"id": "public", "label_de": "Öffentliche Dienste", "label_en": "Public services", "codes": ["O", "P", "Q"]},
    {"id": "logistics", "label_de": "Handel und Logistik", "label_en": "Trade and logistics", "codes": ["G", "H", "I"]},
    {"id": "finance", "label_de": "Finanzen", "label_en": "Finance", "codes": ["K"]},
    {"id": "industry", "label_de": "Industrie", "label_en": "Industry", "codes": ["B", "C", "D", "E"]},
]


def add_concept_world(world: World) -> None:
    """Herten's shared section taxonomy, the example knowledge base plus a second hannoverimpuls initiative,
    Herten's shared fund plan, and Gladbeck's editor (also used by the browser test)."""
    with session_factory(world.app.state.engine).begin() as s:
        editor = s.scalar(select(User).where(User.email == EDITOR))
        assert editor is not None
        accounts.create_user(s, GLADBECK_EDITOR, "Gerd Gladbeck", PASSWORD, "gladbeck", Role.editor)
        herten = accounts.get_organisation(s, "herten")
        s.add(
            Taxonomy(
                organisation_id=herten.id,
                visibility=Visibility.network,
                created_by=editor.id,
                slug="el-sektionen",
                name="Netzwerk-Cluster",
                classification="wz2008",
                definition=SECTION_CLUSTERS,
            )
        )
        examples.load_examples(s, editor, organisation="herten")
        network_records.create_initiative(
            s,
            editor,
            InitiativeIn(
                key="gruendungsstipendium",
                name="Gründungsstipendium (hannoverimpuls)",
                region="03241",
                summary="Stipendium für Gründerinnen und Gründer, gesehen bei hannoverimpuls.",
                visibility=Visibility.network,
            ),
            organisation="herten",
        )
        source = EXAMPLE_PLAN.read_text(encoding="utf-8")
        terms = parse_plan(source)
        fund_records.save_plan(
            s,
            editor,
            "seedfonds",
            terms.name,
            source,
            terms.model_dump(mode="json"),
            organisation="herten",
            visibility=Visibility.network,
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    built = build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)
    add_concept_world(built)
    return built


def _user(s: Any, email: str) -> User:
    user = s.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _concept(world: World, key: str, visibility: Visibility = Visibility.network, email: str = EDITOR) -> int:
    """A concept for Emscher-Lippe made through the records (the pages are tested on their own ones)."""
    with session_factory(world.app.state.engine).begin() as s:
        content = ConceptContent(title=f"Konzept {key}", target_region="emscher-lippe", authors="Eda Editor")
        concept = records.create_concept(
            s, _user(s, email), key, content, network="emscher-lippe", visibility=visibility
        )
        return concept.id


def _post(client: TestClient, path: str, data: dict[str, Any], page: str = "/concepts") -> Response:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data}, follow_redirects=False)


def _stored(db: Session, concept_id: int) -> tuple[Concept, ConceptContent]:
    """The concept as stored now (read afresh in ``db``) and its newest content."""
    db.expire_all()
    concept = db.get(Concept, concept_id)
    assert concept is not None
    return concept, content_of(concept.current)


@pytest.fixture
def db(world: World) -> Iterator[Session]:
    with session_factory(world.app.state.engine)() as s:
        yield s


def _library_scorecard(world: World, loaded_warehouse: Path, **options: Any) -> Any:
    """The scorecard as the library computes it, on the same data and candidates as the app: the built-in taxonomies
    and those Herten and Gladbeck share in their network (Herten's sections, Gladbeck's "gladbeck-netz"), and the
    example initiative shared there with its five focus clusters (the second initiative names none)."""
    with session_factory(world.app.state.engine)() as s:
        shared = select(Taxonomy).where(Taxonomy.visibility == Visibility.network).order_by(Taxonomy.id)
        extra = [org_taxonomy(t) for t in s.scalars(shared) if t.organisation.slug in ("herten", "gladbeck")]
        assert [t.name_de for t in extra] == ["Taxonomie gladbeck-netz", "Netzwerk-Cluster"]
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        return scorecard(
            wh, "emscher-lippe", extra_taxonomies=extra, initiatives=[HANNOVERIMPULS], peers=PEERS, **options
        )


# ----------------------------------------------------------------------------------------------- pages


def test_an_editor_builds_a_concept_through_the_pages(db: Session, world: World, loaded_warehouse: Path) -> None:
    client = client_for(world, EDITOR)
    index = client.get("/concepts")
    assert index.status_code == 200 and 'id="nav-concept"' in index.text and "Konzept" in index.text
    created = _post(
        client,
        "/concepts/new",
        {
            "key": "el-2027",
            "title": "Regionalisierte Wirtschaftsförderung Emscher-Lippe",
            "target_region": "emscher-lippe",
            "authors": "Bürgermeisterin, Netzwerksprecher",
            "network": "emscher-lippe",
            "visibility": "network",
        },
    )
    assert created.status_code == 303, created.text
    url = created.headers["location"].split("?")[0]
    concept_id = int(url.rsplit("/", 1)[1])

    evidence = client.get(f"{url}/evidence?potential=2")
    assert evidence.status_code == 200 and 'id="peers-note"' in evidence.text
    library = _library_scorecard(world, loaded_warehouse, weights={"potential": 2})
    shown = re.findall(r'<tr data-cluster="([^"]+)" data-rank="(\d+)" data-score="([^"]+)"', evidence.text)
    assert len(shown) == len(library.rows) == len(SECTION_CLUSTERS)
    for (cluster, rank, score), row in zip(shown, library.rows, strict=True):
        assert cluster == row.evidence.key.replace(":", "/") and int(rank) == row.rank
        assert float(score) == row.score
    assert html.unescape(library.rows[0].reason_de) in html.unescape(evidence.text)

    chosen = [cluster for cluster, _, _ in shown[:3]]
    data: dict[str, Any] = {"cluster": chosen, "note": "Fokus gewählt"}
    data |= {f"justification-{c}": f"Begründung für {c}" for c in chosen}
    saved = _post(client, f"{url}/evidence", data)
    assert saved.status_code == 303 and "saved=2" in saved.headers["location"]
    _, content = _stored(db, concept_id)
    default = _library_scorecard(world, loaded_warehouse)
    assert [c.cluster for c in content.focus_clusters] == chosen
    assert {(c.fingerprint, c.vintage) for c in content.focus_clusters} == {(default.fingerprint, "2020")}
    assert content.focus_clusters[0].justification == f"Begründung für {chosen[0]}"

    instruments = client.get(f"{url}/instruments")
    ids = re.findall(r'name="initiative" value="(\d+)"', instruments.text)
    plan = re.search(r'<option value="(\d+)"[^>]*>[^<]*herten/seedfonds', instruments.text)
    assert len(ids) == 2 and plan
    data = {"initiative": ids, f"note-{ids[0]}": "Gründungsberatung übernehmen", "fund_plan": plan.group(1)}
    assert _post(client, f"{url}/instruments", data).status_code == 303
    organisation = {
        "title": "Regionalisierte Wirtschaftsförderung Emscher-Lippe",
        "authors": "Bürgermeisterin, Netzwerksprecher",
        "summary": "Vier Fokuscluster.",
        "operator_model": "Eine GmbH der Städte und des Kreises.",
        "budget": "Personal; 250.000; 2027\nSachkosten; 50000; 2027",
        "milestones": "2027-01-01; Gründung der GmbH",
        "visibility": "network",
    }
    assert _post(client, f"{url}/organisation", organisation).status_code == 303

    page = client.get(url)
    assert page.status_code == 200
    assert _text(page, "concept-fund-size") == "50.000.000\u00a0€"
    assert _text(page, "budget-total") == "300.000\u00a0€"
    assert "Gründung der GmbH" in page.text and "Gründungsstipendium (hannoverimpuls)" in page.text
    assert 'id="evidence-current"' in page.text
    assert all(f'data-cluster="{c}"' in page.text for c in chosen)
    compare = client.get(f"{url}/compare?a=1&b=2")
    assert compare.status_code == 200
    assert f"Fokuscluster „{chosen[0]}“ hinzugefügt" in html.unescape(compare.text)
    english = client.get(f"{url}/compare?a=1&b=2&lang=en")
    assert f"Focus cluster ‘{chosen[0]}’ added" in html.unescape(english.text)
    # the CSV holds the page's numbers
    csv_text = client.get(f"{url}/evidence.csv?potential=2").text
    assert csv_text.splitlines()[1].startswith(f"1,{chosen[0]},")


def test_a_form_without_the_csrf_token_is_refused(db: Session, world: World) -> None:
    concept_id = _concept(world, "csrf-probe")
    client = client_for(world, EDITOR)
    refused = client.post(f"/concepts/{concept_id}/comments", data={"text": "ohne Token"}, follow_redirects=False)
    assert refused.status_code == 403
    refused = client.post(f"/concepts/{concept_id}/status", data={"to": "in_consultation"}, follow_redirects=False)
    assert refused.status_code == 403
    concept, _ = _stored(db, concept_id)
    assert concept.status is ConceptStatus.draft and not concept.current.comments


def test_a_viewer_reads_and_comments_but_cannot_edit(db: Session, world: World) -> None:
    concept_id = _concept(world, "viewer-probe")
    client = client_for(world, VIEWER)
    page = client.get(f"/concepts/{concept_id}")
    assert page.status_code == 200 and 'id="move-in_consultation"' not in page.text
    assert client.get(f"/concepts/{concept_id}/instruments").status_code == 403
    assert client.get(f"/concepts/{concept_id}/organisation").status_code == 403
    assert _post(client, f"/concepts/{concept_id}/status", {"to": "in_consultation"}).status_code == 403
    assert _post(client, f"/concepts/{concept_id}/evidence", {"cluster": []}).status_code == 403
    assert _post(client, f"/concepts/{concept_id}/comments", {"text": "Gute Idee"}).status_code == 303
    concept, _ = _stored(db, concept_id)
    assert concept.status is ConceptStatus.draft and concept.version == 1
    assert [c.text for c in concept.current.comments] == ["Gute Idee"]


def test_another_organisation_cannot_see_a_private_concept(world: World) -> None:
    concept_id = _concept(world, "geheim", Visibility.private)
    bottrop = client_for(world, BOTTROP)
    assert bottrop.get(f"/concepts/{concept_id}").status_code == 404
    assert bottrop.get(f"/concepts/{concept_id}/evidence").status_code == 404
    assert 'data-concept="geheim"' not in bottrop.get("/concepts").text
    assert bottrop.get(f"/concepts/{concept_id}/paper.docx").status_code == 404
    assert client_for(world, EDITOR).get(f"/concepts/{concept_id}/paper.txt").status_code == 404
    assert _post(bottrop, f"/concepts/{concept_id}/comments", {"text": "x"}).status_code == 404
    gladbeck = client_for(world, GLADBECK_EDITOR)  # in the network, but the concept is private
    assert gladbeck.get(f"/concepts/{concept_id}").status_code == 404
    token = api_token(world, BOTTROP)
    api = TestClient(world.app, headers={"Authorization": f"Bearer {token}"})
    assert api.get(f"/api/v1/concepts/{concept_id}").status_code == 404
    assert all(c["key"] != "geheim" for c in api.get("/api/v1/concepts").json())


def test_a_network_member_comments_and_answers_the_sign_off(db: Session, world: World) -> None:
    concept_id = _concept(world, "mitzeichnung")
    herten = client_for(world, EDITOR)
    asked = _post(herten, f"/concepts/{concept_id}/sign-offs", {"organisation": "gladbeck", "note": "Bitte prüfen"})
    assert asked.status_code == 303
    analyst = client_for(world, GLADBECK)  # Gladbeck's analyst reads and comments, but does not answer
    page = analyst.get(f"/concepts/{concept_id}")
    sign_off = re.search(r'data-sign-off="(\d+)" data-organisation="gladbeck" data-status="requested"', page.text)
    assert sign_off and 'id="approve-' not in page.text
    assert _post(analyst, f"/concepts/{concept_id}/comments", {"text": "Aus Gladbeck"}).status_code == 303
    number = sign_off.group(1)
    assert _post(analyst, f"/concepts/{concept_id}/sign-offs/{number}", {"answer": "approve"}).status_code == 403
    gladbeck = client_for(world, GLADBECK_EDITOR)
    assert f'id="approve-{number}"' in gladbeck.get(f"/concepts/{concept_id}").text
    assert f'href="/concepts/{concept_id}#sign-offs"' in gladbeck.get("/concepts").text  # asked of Gladbeck
    answer = {"answer": "approve", "note": "Einverstanden"}
    assert _post(gladbeck, f"/concepts/{concept_id}/sign-offs/{number}", answer).status_code == 303
    assert gladbeck.get(f"/concepts/{concept_id}/instruments").status_code == 404  # not theirs to edit
    concept, _ = _stored(db, concept_id)
    assert [(o.organisation.slug, str(o.status), o.answer_note) for o in concept.sign_offs] == [
        ("gladbeck", "approved", "Einverstanden")
    ]
    assert [c.text for c in concept.current.comments] == ["Aus Gladbeck"]


def test_an_adopted_version_stays_as_it_was_after_later_edits(db: Session, world: World) -> None:
    concept_id = _concept(world, "beschluss")
    client = client_for(world, EDITOR)
    organisation = {"title": "Konzept beschluss", "operator_model": "GmbH der Städte", "visibility": "network"}
    assert _post(client, f"/concepts/{concept_id}/organisation", organisation).status_code == 303
    assert _post(client, f"/concepts/{concept_id}/sign-offs", {"organisation": "gladbeck"}).status_code == 303
    assert _post(client, f"/concepts/{concept_id}/status", {"to": "in_consultation"}).status_code == 303
    refused = _post(client, f"/concepts/{concept_id}/status", {"to": "adopted"})
    assert refused.status_code == 400 and "gladbeck" in refused.text  # the sign-off is missing
    concept, _ = _stored(db, concept_id)
    gladbeck = client_for(world, GLADBECK_EDITOR)
    answer = {"answer": "approve"}
    assert _post(gladbeck, f"/concepts/{concept_id}/sign-offs/{concept.sign_offs[0].id}", answer).status_code == 303
    assert _post(client, f"/concepts/{concept_id}/status", {"to": "adopted"}).status_code == 303
    adopted_before = _stored(db, concept_id)[0].current.content
    changed = organisation | {"operator_model": "Anstalt öffentlichen Rechts"}
    assert _post(client, f"/concepts/{concept_id}/organisation", changed).status_code == 303
    concept, content = _stored(db, concept_id)
    assert concept.status is ConceptStatus.draft and concept.version == 3 and concept.adopted_version == 2
    adopted = records.get_version(concept, 2)
    assert adopted.content == adopted_before and adopted.content["operator_model"] == "GmbH der Städte"
    assert content.operator_model == "Anstalt öffentlichen Rechts"
    page = client.get(f"/concepts/{concept_id}")
    assert 'id="adopted-version" data-version="2"' in page.text


def test_newer_data_mark_the_evidence_outdated(db: Session, world: World, loaded_warehouse: Path) -> None:
    """Focus clusters chosen on the 2019 data are outdated once 2020 is the newest year."""
    concept_id = _concept(world, "veraltet")
    older = _library_scorecard(world, loaded_warehouse, year=2019)
    clusters = [row.evidence.key.replace(":", "/") for row in older.rows[:2]]
    with session_factory(world.app.state.engine).begin() as s:
        concept = s.get(Concept, concept_id)
        assert concept is not None
        content = content_of(concept.current).model_copy(
            update={
                "focus_clusters": [
                    FocusCluster(cluster=c, justification="2019", fingerprint=older.fingerprint, vintage="2019")
                    for c in clusters
                ]
            }
        )
        records.save_concept(s, _user(s, EDITOR), concept, content)
    client = client_for(world, EDITOR)
    page = client.get(f"/concepts/{concept_id}")
    assert 'id="outdated-notice"' in page.text
    notice = html.unescape(page.text[page.text.index('id="outdated-notice"') :][:4000])
    assert all(f"Fokuscluster „{c}“ hat sich seit Datenstand 2019 geändert" in notice for c in clusters)
    assert 'id="evidence-changes"' in page.text and "Rang" in notice  # compare_scorecards 2019 → 2020
    assert _post(client, f"/concepts/{concept_id}/evidence/check", {}).status_code == 303
    concept, _ = _stored(db, concept_id)
    assert [o["cluster"] for o in concept.outdated] == clusters and concept.evidence_checked_at is not None
    assert 'data-outdated="2"' in client.get("/concepts").text


# ----------------------------------------------------------------------------------------------- JSON API


def test_the_api_creates_saves_moves_comments_and_signs_off(world: World, loaded_warehouse: Path) -> None:
    editor = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, EDITOR)}"})
    content = {"title": "API-Konzept", "target_region": "emscher-lippe", "authors": "API"}
    body = {"content": content, "network": "emscher-lippe", "visibility": "network", "note": "erste Fassung"}
    created = editor.post("/api/v1/concepts/api-konzept/versions", json=body)
    assert created.status_code == 200, created.text
    assert created.json()["saved"] is True and created.json()["concept"]["version"] == 1
    again = editor.post("/api/v1/concepts/api-konzept/versions", json=body)
    assert again.json()["saved"] is False and again.json()["concept"]["version"] == 1

    card = editor.get("/api/v1/concepts/api-konzept/scorecard", params={"strength": 3}).json()
    library = _library_scorecard(world, loaded_warehouse, weights={"strength": 3})
    assert [(r["rank"], r["score"]) for r in card["rows"]] == [(r.rank, r.score) for r in library.rows]
    assert card["fingerprint"] == library.fingerprint
    zero = editor.get("/api/v1/concepts/api-konzept/scorecard", params={"strength": 0, "dynamics": 0, "potential": 0})
    assert zero.status_code == 400

    chosen = {
        "cluster": card["rows"][0]["evidence"]["taxonomy"].split(" ")[0] + "/" + card["rows"][0]["evidence"]["cluster"]
    }
    focus = content | {"focus_clusters": [chosen | {"fingerprint": card["fingerprint"], "vintage": card["vintage"]}]}
    saved = editor.post("/api/v1/concepts/api-konzept/versions", json={"content": focus})
    assert saved.json()["saved"] is True and saved.json()["concept"]["version"] == 2
    detail = editor.get("/api/v1/concepts/api-konzept").json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][1]["content"]["focus_clusters"][0]["cluster"] == chosen["cluster"]

    asked = editor.post("/api/v1/concepts/api-konzept/sign-offs", json={"organisation": "gladbeck"})
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    moved = editor.post("/api/v1/concepts/api-konzept/status", json={"to": "in_consultation"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_consultation"
    assert editor.post("/api/v1/concepts/api-konzept/status", json={"to": "adopted"}).status_code == 400

    viewer = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, VIEWER)}"})
    assert viewer.post("/api/v1/concepts/api-konzept/status", json={"to": "draft"}).status_code == 403
    gladbeck = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, GLADBECK_EDITOR)}"})
    comment = gladbeck.post("/api/v1/concepts/api-konzept/comments/add", json={"text": "Aus Gladbeck"})
    assert comment.status_code == 201 and comment.json()["version"] == 2
    number = asked.json()["id"]
    answered = gladbeck.post(f"/api/v1/concepts/api-konzept/sign-offs/{number}/answer", json={"approve": True})
    assert answered.status_code == 200 and answered.json()["status"] == "approved"
    adopted = editor.post("/api/v1/concepts/api-konzept/status", json={"to": "adopted"})
    assert adopted.status_code == 200 and adopted.json()["adopted_version"] == 2
    assert [c["text"] for c in editor.get("/api/v1/concepts/api-konzept/comments").json()] == ["Aus Gladbeck"]
