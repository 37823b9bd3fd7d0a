"""Cluster taxonomies: editors create their organisation's own; nobody sees another organisation's private one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from regiolens.web.db import AuditEntry, Organisation, Taxonomy, session_factory
from tests.web.app_support import BOTTROP, EDITOR, GLADBECK, VIEWER, World, build_app, client_for, csrf_token


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    return build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)


def org_id(world: World, slug: str) -> int:
    with session_factory(world.app.state.engine)() as s:
        found = s.scalar(select(Organisation.id).where(Organisation.slug == slug))
        assert found is not None
        return found


DEFINITION = "automotive | Automobilwirtschaft | Automotive | 29.10, 2920\nict | IKT | ICT | 62"


def test_a_viewer_cannot_create_a_taxonomy(world: World) -> None:
    client = client_for(world, VIEWER)
    page = client.get("/clusters").text
    assert 'id="new-taxonomy"' not in page and 'id="create-not-allowed"' in page
    assert client.get("/clusters/new").status_code == 403
    token = csrf_token(client, "/clusters")
    response = client.post(
        "/clusters/new",
        data={
            "csrf_token": token,
            "organisation_id": str(org_id(world, "herten")),
            "slug": "verboten",
            "name": "Verboten",
            "classification": "wz2008",
            "visibility": "private",
            "definition": DEFINITION,
        },
        follow_redirects=False,
    )
    assert response.status_code == 403
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(Taxonomy).where(Taxonomy.slug == "verboten")) is None


def test_an_editor_creates_a_taxonomy_for_their_organisation_only(world: World) -> None:
    client = client_for(world, EDITOR)
    assert 'id="new-taxonomy"' in client.get("/clusters").text
    token = csrf_token(client, "/clusters/new")
    form = {
        "csrf_token": token,
        "organisation_id": str(org_id(world, "herten")),
        "slug": "herten-cluster",
        "name": "Hertener Cluster",
        "classification": "wz2008",
        "visibility": "private",
        "definition": DEFINITION,
    }
    response = client.post("/clusters/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    detail = client.get(response.headers["location"])
    assert detail.status_code == 200 and "Hertener Cluster" in detail.text and "29.20" in detail.text
    assert "Hertener Cluster" in client.get("/clusters").text
    with session_factory(world.app.state.engine)() as s:
        record = s.scalar(select(Taxonomy).where(Taxonomy.slug == "herten-cluster"))
        assert record is not None
        assert record.definition[0]["codes"] == ["29.10", "29.20"]
        audit = s.scalar(select(AuditEntry).where(AuditEntry.entity == "taxonomy", AuditEntry.action == "create"))
        assert audit is not None and audit.entity_id == str(record.id)
    # not for an organisation they are no editor of
    other = client.post("/clusters/new", data={**form, "organisation_id": str(org_id(world, "bottrop"))})
    assert other.status_code == 403
    # a wrong code is named, nothing is stored
    wrong = client.post("/clusters/new", data={**form, "slug": "falsch", "definition": "a | A | A | 99.99"})
    assert wrong.status_code == 400 and "99.99" in wrong.text
    taken = client.post("/clusters/new", data=form)
    assert taken.status_code == 400 and "herten-cluster" in taken.text


def test_private_taxonomies_of_other_organisations_stay_invisible(world: World) -> None:
    ids = world.taxonomies
    herten = client_for(world, EDITOR)
    page = herten.get("/clusters").text
    assert "Taxonomie gladbeck-netz" in page  # shared with the network
    assert "Taxonomie gladbeck-privat" not in page and "Taxonomie bottrop-geheim" not in page
    assert herten.get(f"/clusters/org/{ids['bottrop-geheim']}").status_code == 404
    assert herten.get(f"/clusters/org/{ids['gladbeck-privat']}").status_code == 404
    assert herten.get(f"/clusters/org/{ids['gladbeck-netz']}").status_code == 200

    bottrop = client_for(world, BOTTROP).get("/clusters").text
    assert "Taxonomie bottrop-geheim" in bottrop and "gladbeck" not in bottrop
    gladbeck = client_for(world, GLADBECK).get("/clusters").text
    assert "Taxonomie gladbeck-privat" in gladbeck and "Taxonomie gladbeck-netz" in gladbeck
