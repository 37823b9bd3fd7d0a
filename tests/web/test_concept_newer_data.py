"""Newer data reach an adopted concept: the upload of the next year marks its evidence outdated and the concept page
says what changed, while the adopted version stays exactly as adopted.

The warehouse starts with the official files 2015–2019; the Emscher-Lippe concept is built through the pages on
that evidence (vintage 2019), signed off by Gladbeck and adopted; then an editor uploads the 2020 file on the data
page — the way an office brings in the new year.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from regiolens.concept import records
from regiolens.concept.models import Concept, ConceptStatus
from regiolens.warehouse.store import Warehouse
from regiolens.web.db import AuditEntry, session_factory
from tests.web.app_support import EDITOR, World, build_app, client_for, csrf_token
from tests.web.test_app_concept import GLADBECK_EDITOR, _post, add_concept_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, genesis_files: list[Path]) -> World:
    """The app on a warehouse of its own holding 2015–2019 (this test writes to it)."""
    tmp = tmp_path_factory.mktemp("newer-data")
    warehouse = tmp / "warehouse.duckdb"
    with Warehouse.open(warehouse) as wh:
        wh.import_files([f for f in genesis_files if not f.stem.endswith("_2020")])
    built = build_app(tmp, warehouse)
    add_concept_world(built)
    return built


def _upload(client: TestClient, path: Path) -> Any:
    token = csrf_token(client, "/data")
    return client.post("/data/upload", data={"csrf_token": token}, files={"files": (path.name, path.read_bytes())})


def _adopted_concept(world: World) -> tuple[int, list[str]]:
    """The concept built and adopted through the pages on the 2015–2019 data: its id and the focus clusters."""
    editor, gladbeck = client_for(world, EDITOR), client_for(world, GLADBECK_EDITOR)
    created = _post(
        editor,
        "/concepts/new",
        {
            "key": "el-2026",
            "title": "Regionalisierte Wirtschaftsförderung Emscher-Lippe",
            "target_region": "emscher-lippe",
            "authors": "Netzwerksprecher",
            "network": "emscher-lippe",
            "visibility": "network",
        },
    )
    assert created.status_code == 303, created.text
    url = created.headers["location"].split("?")[0]
    evidence = editor.get(f"{url}/evidence")
    chosen = re.findall(r'<tr data-cluster="([^"]+)" data-rank="\d+"', evidence.text)[:3]
    assert len(chosen) == 3
    choice = {"cluster": chosen, **{f"justification-{c}": f"Stärke {c}" for c in chosen}}
    assert _post(editor, f"{url}/evidence", choice).status_code == 303
    assert _post(editor, f"{url}/sign-offs", {"organisation": "gladbeck"}).status_code == 303
    assert _post(editor, f"{url}/status", {"to": "in_consultation"}).status_code == 303
    sign_off = re.search(rf'action="{url}/sign-offs/(\d+)"', gladbeck.get(url).text)
    assert sign_off is not None
    assert _post(gladbeck, f"{url}/sign-offs/{sign_off.group(1)}", {"answer": "approve"}).status_code == 303
    assert _post(editor, f"{url}/status", {"to": "adopted"}).status_code == 303
    return int(url.rsplit("/", 1)[1]), chosen


def _state(world: World, concept_id: int) -> tuple[Concept, dict[str, Any]]:
    with session_factory(world.app.state.engine)() as s:
        concept = s.get(Concept, concept_id)
        assert concept is not None and concept.adopted_version is not None
        adopted = dict(records.get_version(concept, concept.adopted_version).content)
        s.expunge_all()
    return concept, adopted


def test_uploading_the_next_year_marks_the_evidence_outdated(world: World, genesis_files: list[Path]) -> None:
    concept_id, chosen = _adopted_concept(world)
    before, adopted_before = _state(world, concept_id)
    assert before.status is ConceptStatus.adopted and before.outdated == []
    assert {c["vintage"] for c in adopted_before["focus_clusters"]} == {"2019"}
    editor = client_for(world, EDITOR)
    assert 'id="outdated-notice"' not in editor.get(f"/concepts/{concept_id}").text

    uploaded = _upload(editor, next(f for f in genesis_files if f.stem.endswith("_2020")))
    assert uploaded.status_code == 200 and 'data-status="added"' in uploaded.text
    listed = uploaded.text[uploaded.text.index('id="upload-outdated-concepts"') :][:2000]
    assert f'href="/concepts/{concept_id}#evidence"' in listed

    after, adopted_after = _state(world, concept_id)
    assert [o["cluster"] for o in after.outdated] == chosen
    assert {o["vintage"] for o in after.outdated} == {"2019"}
    # nothing in the adopted version changed: same content, same number, still adopted
    assert adopted_after == adopted_before
    assert (after.status, after.version, after.adopted_version) == (
        before.status,
        before.version,
        before.adopted_version,
    )
    with session_factory(world.app.state.engine)() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "mark_outdated")).all()
        assert [(a.entity_id, a.user_id) for a in audit] == [(str(concept_id), None)]

    page = html.unescape(editor.get(f"/concepts/{concept_id}").text)
    notice = page[page.index('id="outdated-notice"') :][:6000]
    assert all(f"Fokuscluster „{c}“ hat sich seit Datenstand 2019 geändert" in notice for c in chosen)
    changes = notice[notice.index('id="evidence-changes"') :]
    assert all(f'data-cluster="{c.replace("/", ":", 1)}"' in changes for c in chosen)
    assert "(2019 → 2020): Rang" in changes and "; LQ " in changes and "; Beschäftigte " in changes
    assert 'data-outdated="3"' in editor.get("/concepts").text

    # the paper of the adopted version keeps the evidence it was adopted on (2019) and names the finding
    paper = editor.get(f"/concepts/{concept_id}/paper.docx?version={after.adopted_version}")
    assert paper.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(paper.content)).paragraphs)
    assert all(f"Fokuscluster „{c}“ hat sich seit Datenstand 2019 geändert" in text for c in chosen)

    # the same file again changes nothing and checks nothing
    again = _upload(editor, next(f for f in genesis_files if f.stem.endswith("_2020")))
    assert 'data-status="unchanged"' in again.text and 'id="upload-outdated-concepts"' not in again.text
    assert _state(world, concept_id)[1] == adopted_before
