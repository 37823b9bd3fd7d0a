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


# ------------------------------------------------------------------ editing an organisation's taxonomy
def herten_taxonomy(world: World, slug: str) -> int:
    """A private taxonomy of Herten with two clusters, for one test."""
    with session_factory(world.app.state.engine).begin() as s:
        record = Taxonomy(
            organisation_id=org_id(world, "herten"),
            slug=slug,
            name=f"Taxonomie {slug}",
            classification="wz2008",
            definition=[
                {"id": "auto", "label_de": "Auto", "label_en": "Cars", "codes": ["29.10"]},
                {"id": "ikt", "label_de": "IKT", "label_en": "ICT", "codes": ["62"]},
            ],
        )
        s.add(record)
        s.flush()
        return record.id


def taxonomy(world: World, record_id: int) -> Taxonomy | None:
    with session_factory(world.app.state.engine)() as s:
        return s.get(Taxonomy, record_id)


def audits(world: World, record_id: int) -> list[AuditEntry]:
    """The audit entries of the taxonomy; by slug too, as SQLite gives a deleted record's id to the next one."""
    record = taxonomy(world, record_id)
    with session_factory(world.app.state.engine)() as s:
        entries = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "taxonomy", AuditEntry.entity_id == str(record_id))
            .order_by(AuditEntry.id)
        )
        return [e for e in entries if record is None or e.detail.get("slug") == record.slug]


def test_an_editor_edits_the_taxonomy_and_the_list_shows_it_audited(world: World) -> None:
    record_id = herten_taxonomy(world, "zum-bearbeiten")
    client = client_for(world, EDITOR)
    detail = client.get(f"/clusters/org/{record_id}").text
    assert 'id="edit-taxonomy"' in detail
    form_page = client.get(f"/clusters/org/{record_id}/edit")
    assert form_page.status_code == 200
    assert "auto | Auto | Cars | 29.10\nikt | IKT | ICT | 62" in form_page.text  # the stored clusters as lines
    token = csrf_token(client, f"/clusters/org/{record_id}/edit")
    edited = {
        "csrf_token": token,
        "name": "Umbenannte Cluster",
        "visibility": "network",
        "definition": "auto | Automobil | Automotive | 29.10, 2932\nlogistik | Logistik | Logistics | 49.41, 52.10",
    }
    response = client.post(f"/clusters/org/{record_id}/edit", data=edited, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/clusters/org/{record_id}?updated=1"
    assert "Taxonomie geändert." in client.get(response.headers["location"]).text
    row = client.get("/clusters").text.split('data-taxonomy="zum-bearbeiten"')[1].split("</tr>")[0]
    assert "Umbenannte Cluster" in row and "auch meine Netzwerke" in row and '<td class="num">2</td>' in row
    record = taxonomy(world, record_id)
    assert record is not None and record.name == "Umbenannte Cluster"
    assert record.definition[0] == {
        "id": "auto",
        "label_de": "Automobil",
        "label_en": "Automotive",
        "codes": ["29.10", "29.32"],
    }
    # shared now: Gladbeck, in the same network, sees it; Bottrop does not
    assert client_for(world, GLADBECK).get(f"/clusters/org/{record_id}").status_code == 200
    assert client_for(world, BOTTROP).get(f"/clusters/org/{record_id}").status_code == 404
    (entry,) = audits(world, record_id)
    assert entry.action == "update" and entry.organisation_id == org_id(world, "herten")
    assert entry.detail == {
        "slug": "zum-bearbeiten",
        "added": ["logistik"],
        "removed": ["ikt"],
        "changed": ["auto"],
        "name": "Umbenannte Cluster",
        "previous_name": "Taxonomie zum-bearbeiten",
        "visibility": "network",
        "previous_visibility": "private",
    }


def test_an_invalid_edit_is_refused_with_the_reason_and_changes_nothing(world: World) -> None:
    record_id = herten_taxonomy(world, "ungueltig")
    client = client_for(world, EDITOR)
    token = csrf_token(client, f"/clusters/org/{record_id}/edit")
    base = {"csrf_token": token, "name": "Neu", "visibility": "private"}
    for definition, reason in (
        ("auto | Auto | Cars | 99.99", "99.99"),
        ("auto | Auto | Cars | 29.10\nauto | Auto | Cars | 62", "appears twice"),
        ("auto | Auto | 29.10", "expected 4 fields"),
        ("", "at least one cluster"),
    ):
        response = client.post(f"/clusters/org/{record_id}/edit", data={**base, "definition": definition})
        assert response.status_code == 400 and reason in response.text, definition
        assert 'id="taxonomy-error"' in response.text and definition in response.text  # the input is kept
    response = client.post(f"/clusters/org/{record_id}/edit", data={**base, "name": " ", "definition": "a|A|A|62"})
    assert response.status_code == 400 and "needs a name" in response.text
    record = taxonomy(world, record_id)
    assert record is not None and record.name == "Taxonomie ungueltig" and len(record.definition) == 2
    assert audits(world, record_id) == []


def test_an_editor_deletes_a_cluster_and_then_the_taxonomy(world: World) -> None:
    record_id = herten_taxonomy(world, "zum-loeschen")
    client = client_for(world, EDITOR)
    token = csrf_token(client, f"/clusters/org/{record_id}/edit")
    deleted = client.post(
        f"/clusters/org/{record_id}/clusters/ikt/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert "Cluster ikt gelöscht." in client.get(deleted.headers["location"]).text
    record = taxonomy(world, record_id)
    assert record is not None and [c["id"] for c in record.definition] == ["auto"]
    last = client.post(f"/clusters/org/{record_id}/clusters/auto/delete", data={"csrf_token": token})
    assert last.status_code == 400 and "mindestens einen Cluster" in last.text
    missing = client.post(f"/clusters/org/{record_id}/clusters/gibt-es-nicht/delete", data={"csrf_token": token})
    assert missing.status_code == 404

    unconfirmed = client.post(f"/clusters/org/{record_id}/delete", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and taxonomy(world, record_id) is not None
    gone = client.post(
        f"/clusters/org/{record_id}/delete", data={"csrf_token": token, "confirm": "yes"}, follow_redirects=False
    )
    assert gone.status_code == 303 and gone.headers["location"] == "/clusters?deleted=1"
    assert taxonomy(world, record_id) is None
    listing = client.get("/clusters?deleted=1").text
    assert "Taxonomie gelöscht." in listing and "zum-loeschen" not in listing
    assert client.get(f"/clusters/org/{record_id}").status_code == 404
    assert [(e.action, e.detail.get("cluster")) for e in audits(world, record_id)] == [
        ("delete_cluster", "ikt"),
        ("delete", None),
    ]


def test_a_viewer_cannot_edit_a_taxonomy_nor_another_organisation_s_editor(world: World) -> None:
    record_id = herten_taxonomy(world, "nur-lesen")
    shared = world.taxonomies["gladbeck-netz"]
    hidden = world.taxonomies["bottrop-geheim"]
    viewer = client_for(world, VIEWER)
    assert 'id="edit-taxonomy"' not in viewer.get(f"/clusters/org/{record_id}").text
    editor = client_for(world, EDITOR)
    assert 'id="edit-taxonomy"' not in editor.get(f"/clusters/org/{shared}").text
    form = {"name": "Gekapert", "visibility": "network", "definition": "x | X | X | 62", "confirm": "yes"}
    for client, target, status in ((viewer, record_id, 403), (editor, shared, 403), (editor, hidden, 404)):
        token = csrf_token(client, "/clusters")
        assert client.get(f"/clusters/org/{target}/edit").status_code == status
        for action in ("edit", "clusters/auto/delete", "delete"):
            response = client.post(f"/clusters/org/{target}/{action}", data={"csrf_token": token, **form})
            assert response.status_code == status, (target, action)
    # and without the CSRF token not even the editor of the organisation changes anything
    assert editor.post(f"/clusters/org/{record_id}/edit", data=form).status_code == 403
    for target in (record_id, shared, hidden):
        record = taxonomy(world, target)
        assert record is not None and record.name != "Gekapert" and record.definition[0]["id"] == "auto"
        assert audits(world, target) == []
