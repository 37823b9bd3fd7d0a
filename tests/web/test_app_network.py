"""The knowledge base in the web app and the JSON API: forms, search, privacy, uploads, assessment, PDF export."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from regiolens.network import examples, records
from regiolens.network.attachments import MAX_ATTACHMENT_BYTES, AttachmentStore, add_attachment
from regiolens.network.inputs import ExchangeIn, FactIn, InitiativeIn
from regiolens.network.models import Actor, Attachment, Exchange, FollowUp, Initiative
from regiolens.web.db import Organisation, User, Visibility, session_factory
from tests.web.app_support import (
    BOTTROP,
    EDITOR,
    GLADBECK,
    VIEWER,
    World,
    api_token,
    build_app,
    client_for,
    csrf_token,
)

SECRET_WORD = "Geheimfondsmodell"
"""A word only in Bottrop's private exchange."""
FINDINGS_WORD = "Gründungsstipendium"
"""A word only in the findings of the visit Herten's editor records through the form."""
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    built = build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)
    store = AttachmentStore.in_data_dir(built.settings.data_dir)
    with session_factory(built.app.state.engine).begin() as s:
        editor = s.scalar(select(User).where(User.email == EDITOR))
        bottrop = s.scalar(select(User).where(User.email == BOTTROP))
        assert editor is not None and bottrop is not None
        examples.load_examples(s, editor, organisation="herten")
        secret = records.create_initiative(
            s,
            bottrop,
            InitiativeIn(key="bottrop-geheim", name="Bottroper Geheiminitiative", region="05512"),
            organisation="bottrop",
        )
        visit = records.create_exchange(
            s,
            bottrop,
            ExchangeIn(
                key="bottrop-besuch",
                title="Bottroper Geheimbesuch",
                findings=f"Das {SECRET_WORD} bleibt intern.",
                initiatives=["bottrop-geheim"],
                visibility=Visibility.private,
            ),
            organisation="bottrop",
        )
        assert visit.id
        add_attachment(s, bottrop, store, secret, "plan.pdf", b"%PDF-1.4\n%geheim\n")
    return built


@pytest.fixture(scope="module")
def ids(world: World) -> dict[str, int]:
    """Numbers of the records the tests open: hannoverimpuls (example content, shared with Herten's network) and
    Bottrop's private initiative, visit and attachment."""
    with session_factory(world.app.state.engine)() as s:
        found = {
            "hannoverimpuls": s.scalar(select(Initiative.id).where(Initiative.key == "hannoverimpuls")),
            "secret": s.scalar(select(Initiative.id).where(Initiative.key == "bottrop-geheim")),
            "secret_visit": s.scalar(select(Exchange.id).where(Exchange.key == "bottrop-besuch")),
            "secret_attachment": s.scalar(select(Attachment.id).where(Attachment.filename == "plan.pdf")),
        }
    assert all(found.values())
    return {key: int(value or 0) for key, value in found.items()}


def _post(client: TestClient, path: str, data: dict[str, str | list[str]], page: str = "/network") -> Response:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data}, follow_redirects=False)


def _org_id(world: World, slug: str) -> str:
    with session_factory(world.app.state.engine)() as s:
        found = s.scalar(select(Organisation.id).where(Organisation.slug == slug))
        assert found is not None
        return str(found)


def test_the_network_page_lists_the_example_content_in_german_and_english(world: World) -> None:
    client = client_for(world, VIEWER)
    page = client.get("/network")
    assert page.status_code == 200
    assert "hannoverimpuls" in page.text and "Wissensbasis" in page.text and 'id="nav-network"' in page.text
    english = client.get("/network?lang=en").text
    assert "Knowledge base" in english and "Full-text search" in english


def test_a_viewer_cannot_create_or_upload(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, VIEWER)
    page = client.get("/network").text
    assert 'id="new-initiative"' not in page
    assert client.get("/network/initiatives/new").status_code == 403
    assert client.get("/network/exchanges/new").status_code == 403
    token = csrf_token(client, "/network")
    created = client.post(
        "/network/initiatives/new",
        data={"csrf_token": token, "organisation_id": _org_id(world, "herten"), "key": "verboten", "name": "Verboten"},
        follow_redirects=False,
    )
    assert created.status_code == 403
    visit = client.post(
        "/network/exchanges/new",
        data={"csrf_token": token, "organisation_id": _org_id(world, "herten"), "key": "verboten", "title": "Verboten"},
        follow_redirects=False,
    )
    assert visit.status_code == 403
    hannover = ids["hannoverimpuls"]
    assert 'id="attachment-form"' not in client.get(f"/network/initiatives/{hannover}").text
    upload = client.post(
        f"/network/initiatives/{hannover}/attachments",
        data={"csrf_token": token},
        files={"file": ("bild.png", PNG, "image/png")},
    )
    assert upload.status_code == 403
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(Initiative).where(Initiative.key == "verboten")) is None
        assert s.scalar(select(Exchange).where(Exchange.key == "verboten")) is None


def test_an_editor_records_an_initiative_and_a_visit_with_a_follow_up_and_finds_it(world: World) -> None:
    client = client_for(world, EDITOR)
    token = csrf_token(client, "/network/initiatives/new")
    created = client.post(
        "/network/initiatives/new",
        data={
            "csrf_token": token,
            "organisation_id": _org_id(world, "herten"),
            "key": "gruenderfonds-herten",
            "name": "Gründerfonds Herten",
            "region": "05562",
            "summary": "Ein Fonds für Gründungen im Kreis Recklinghausen.",
            "tags": "Venture Capital, Gründung",
            "visibility": "network",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    page = client.get(created.headers["location"])
    assert page.status_code == 200 and "Gründerfonds Herten" in page.text and "venture-capital" in page.text
    initiative_id = int(re.search(r"/network/initiatives/(\d+)", created.headers["location"]).group(1))  # type: ignore[union-attr]

    form = client.get(f"/network/exchanges/new?initiative={initiative_id}").text
    assert f'<option value="{initiative_id}" selected>' in form
    visit = client.post(
        "/network/exchanges/new",
        data={
            "csrf_token": token,
            "organisation_id": _org_id(world, "herten"),
            "key": "besuch-fonds",
            "title": "Besuch beim Gründerfonds",
            "kind": "visit",
            "date": "2026-11-20",
            "place": "Herten",
            "initiatives": [str(initiative_id)],
            "topics": "Fonds, Co-Investoren",
            "findings": f"Ein {FINDINGS_WORD} hat die Zahl der Gründungen verdoppelt.",
            "follow_ups-0-task": "Satzung des Fonds anfordern",
            "follow_ups-0-owner": "Eda Editor",
            "follow_ups-0-due": "2026-12-15",
            "follow_ups-1-task": "",
            "follow_ups-1-owner": "",
            "follow_ups-1-due": "",
            "follow_ups-2-task": "Co-Investoren ansprechen",
            "follow_ups-2-owner": "",
            "follow_ups-2-due": "2020-01-31",
            "visibility": "private",
        },
        follow_redirects=False,
    )
    assert visit.status_code == 303, visit.text
    exchange_page = client.get(visit.headers["location"]).text
    assert FINDINGS_WORD in exchange_page and "Satzung des Fonds anfordern" in exchange_page
    assert "Eda Editor" in exchange_page and "Gründerfonds Herten" in exchange_page
    with session_factory(world.app.state.engine)() as s:
        follow_up = s.scalar(select(FollowUp).where(FollowUp.task == "Satzung des Fonds anfordern"))
        assert follow_up is not None and str(follow_up.due) == "2026-12-15" and follow_up.owner == "Eda Editor"
        tasks = s.scalars(select(FollowUp.task).where(FollowUp.exchange_id == follow_up.exchange_id)).all()
        assert sorted(tasks) == ["Co-Investoren ansprechen", "Satzung des Fonds anfordern"]  # the empty row left out
    # the start page lists the open follow-ups of visible exchanges, the one past its date marked overdue
    overview = client.get("/network").text
    table = overview[overview.index('id="open-follow-ups"') :]
    rows = re.findall(r'<tr class="follow-up( overdue)?"><td>([^<]+)</td>', table)
    assert ("", "Satzung des Fonds anfordern") in rows and (" overdue", "Co-Investoren ansprechen") in rows
    assert "überfällig" in table and "Besuch beim Gründerfonds" in table
    assert "Co-Investoren ansprechen" not in client_for(world, BOTTROP).get("/network").text
    # the initiative links the visit
    assert "Besuch beim Gründerfonds" in client.get(f"/network/initiatives/{initiative_id}").text

    found = client.get("/network", params={"q": FINDINGS_WORD.lower()[:9]}).text
    assert 'id="search-results"' in found and "Besuch beim Gründerfonds" in found
    # a bad key is named, nothing is stored
    wrong = client.post(
        "/network/initiatives/new",
        data={"csrf_token": token, "organisation_id": _org_id(world, "herten"), "key": "Falsch!", "name": "X"},
    )
    assert wrong.status_code == 400 and "Falsch!" in wrong.text
    # not for an organisation the editor is no editor of
    other = client.post(
        "/network/initiatives/new",
        data={"csrf_token": token, "organisation_id": _org_id(world, "bottrop"), "key": "fremd", "name": "Fremd"},
    )
    assert other.status_code == 403


def test_private_records_of_another_organisation_stay_private(world: World, ids: dict[str, int]) -> None:
    herten = client_for(world, EDITOR)
    listing = herten.get("/network").text
    assert "Bottroper Geheiminitiative" not in listing and "Bottroper Geheimbesuch" not in listing
    assert herten.get(f"/network/initiatives/{ids['secret']}").status_code == 404
    assert herten.get(f"/network/exchanges/{ids['secret_visit']}").status_code == 404
    assert herten.get(f"/network/initiatives/{2**40}").status_code == 404
    assert herten.get(f"/network/attachments/{ids['secret_attachment']}").status_code == 404
    assert herten.get("/network/attachments/999999").status_code == 404
    searched = herten.get("/network", params={"q": SECRET_WORD}).text
    assert 'id="no-search-results"' in searched and "Geheimbesuch" not in searched
    # uploading to it is as impossible as seeing it
    upload = herten.post(
        f"/network/initiatives/{ids['secret']}/attachments",
        data={"csrf_token": csrf_token(herten, "/network")},
        files={"file": ("bild.png", PNG, "image/png")},
    )
    assert upload.status_code == 404

    headers = {"Authorization": f"Bearer {api_token(world, EDITOR)}"}
    api = TestClient(world.app)
    names = [r["name"] for r in api.get("/api/v1/network/initiatives", headers=headers).json()]
    assert "hannoverimpuls" in names and "Bottroper Geheiminitiative" not in names
    titles = [r["title"] for r in api.get("/api/v1/network/exchanges", headers=headers).json()]
    assert "Bottroper Geheimbesuch" not in titles
    assert api.get(f"/api/v1/network/initiatives/{ids['secret']}", headers=headers).status_code == 404
    assert api.get("/api/v1/network/initiatives/bottrop/bottrop-geheim", headers=headers).status_code == 404
    assert api.get(f"/api/v1/network/exchanges/{ids['secret_visit']}", headers=headers).status_code == 404
    assert api.get("/api/v1/network/search", params={"q": SECRET_WORD}, headers=headers).json() == []
    assert api.get("/api/v1/network/initiatives").status_code == 401

    # the owner sees and downloads it, served as a download that is never sniffed
    bottrop = client_for(world, BOTTROP)
    assert "Bottroper Geheiminitiative" in bottrop.get("/network").text
    assert "Geheimbesuch" in bottrop.get("/network", params={"q": SECRET_WORD}).text
    download = bottrop.get(f"/network/attachments/{ids['secret_attachment']}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-type"] == "application/pdf"
    own = {"Authorization": f"Bearer {api_token(world, BOTTROP)}"}
    hits = api.get("/api/v1/network/search", params={"q": SECRET_WORD}, headers=own).json()
    assert [h["title"] for h in hits] == ["Bottroper Geheimbesuch"]
    detail = api.get(f"/api/v1/network/exchanges/{ids['secret_visit']}", headers=own).json()
    assert SECRET_WORD in detail["findings"] and detail["initiatives"] == ["Bottroper Geheiminitiative"]


def test_oversized_and_disguised_uploads_are_refused_with_the_reason(world: World, ids: dict[str, int]) -> None:
    hannover = ids["hannoverimpuls"]
    client = client_for(world, EDITOR)
    token = csrf_token(client, f"/network/initiatives/{hannover}")
    path = f"/network/initiatives/{hannover}/attachments"
    big = client.post(
        path, data={"csrf_token": token}, files={"file": ("gross.pdf", b"%PDF" + b"0" * MAX_ATTACHMENT_BYTES, "x")}
    )
    assert big.status_code == 400
    assert 'id="upload-error"' in big.text and "at most 20 MB" in big.text
    html = client.post(
        path,
        data={"csrf_token": token},
        files={"file": ("bild.png", b"<html><script>x()</script></html>", "image/png")},
    )
    assert html.status_code == 400 and "text/html" in html.text and "not accepted" in html.text
    renamed = client.post(path, data={"csrf_token": token}, files={"file": ("bericht.pdf", PNG, "application/pdf")})
    assert renamed.status_code == 400 and "the name says .pdf but the content is PNG image" in renamed.text
    program = client.post(path, data={"csrf_token": token}, files={"file": ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60)})
    assert program.status_code == 400 and "not accepted" in program.text
    assert 'id="attachment-list"' not in client.get(f"/network/initiatives/{hannover}").text

    good = client.post(
        path,
        data={"csrf_token": token},
        files={"file": ("../../etc/bild.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    page = client.get(f"/network/initiatives/{hannover}").text
    link = re.search(r'href="/network/attachments/(\d+)" download>bild.png<', page)
    assert link is not None
    download = client.get(f"/network/attachments/{link.group(1)}")
    assert download.content == PNG and download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"] == 'attachment; filename="bild.png"'


def test_assessment_page_shows_reasons_side_by_side_and_exports_a_pdf(world: World, ids: dict[str, int]) -> None:
    hannover = ids["hannoverimpuls"]
    client = client_for(world, EDITOR)
    form = client.get(f"/network/assess?initiative={hannover}").text
    assert f'<option value="{hannover}" selected>' in form and 'name="answer_venture_capital"' in form
    response = client.post(
        "/network/assess",
        data={
            "csrf_token": csrf_token(client, "/network/assess"),
            "initiative": str(hannover),
            "target": "emscher-lippe",
            "answer_venture_capital": "no",
            "answer_research": "yes",
            "weight_research": "2",
            "component_structure": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    text = page.text
    assert "Strukturelle Ähnlichkeit" in text and "Überschneidung der Portfolios" in text
    reasons = re.findall(r'<td class="reason">([^<]+)</td>', text)
    assert len(reasons) == 4 and all(r.strip() for r in reasons)
    assert "Co-Investoren: nein" in reasons[3] and "Forschungseinrichtungen: ja" in reasons[3]
    assert not re.search(r": (yes|no|partly|unknown)\b", reasons[3])
    assert 'id="side-by-side"' in text and "Emscher-Lippe" in text
    english = client.get(response.headers["location"] + "&lang=en").text
    assert "Structural similarity" in english and "Components and reasons" in english
    assert "co-investors: no" in english and "institutes: yes" in english

    pdf_link = re.search(r'id="assessment-pdf" href="([^"]+)"', text)
    assert pdf_link is not None
    pdf = client.get(pdf_link.group(1).replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")

    listing = client.get("/network/assessments?target=emscher-lippe").text
    assert "hannoverimpuls" in listing
    # another organisation sees neither the assessment nor its report
    other = client_for(world, BOTTROP)
    assessment = re.search(r"/network/assessments/(\d+)", response.headers["location"]).group(1)  # type: ignore[union-attr]
    assert other.get(f"/network/assessments/{assessment}").status_code == 404
    assert other.get(f"/network/assessments/{assessment}/report.pdf").status_code == 404


def test_a_viewer_assesses_without_saving_and_a_wrong_target_is_named(world: World, ids: dict[str, int]) -> None:
    hannover = ids["hannoverimpuls"]
    client = client_for(world, VIEWER)
    token = csrf_token(client, "/network/assess")
    shown = client.post(
        "/network/assess", data={"csrf_token": token, "initiative": str(hannover), "target": "emscher-lippe"}
    )
    assert shown.status_code == 200 and 'id="not-saved"' in shown.text and "Strukturelle Ähnlichkeit" in shown.text
    wrong = client.post(
        "/network/assess", data={"csrf_token": token, "initiative": str(hannover), "target": "atlantis"}
    )
    assert wrong.status_code == 400 and "atlantis" in wrong.text


def test_api_assess_gives_the_components_with_reasons(world: World) -> None:
    headers = {"Authorization": f"Bearer {api_token(world, VIEWER)}"}
    api = TestClient(world.app)
    answer = api.post(
        "/api/v1/network/assess",
        json={"initiative": "hannoverimpuls", "target": "emscher-lippe", "checklist": {"research": "yes"}},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["key"] for c in body["components"]] == ["structure", "clusters", "portfolio", "preconditions"]
    assert all(c["reason_de"] and c["reason_en"] for c in body["components"])
    assert body["assessment_id"] is None
    research = next(i for i in body["checklist"] if i["key"] == "research")
    assert (research["answer"], research["answer_de"], research["answer_en"]) == ("yes", "ja", "yes")
    assert "Forschungseinrichtungen: ja" in body["components"][3]["reason_de"] and body["notes_en"]
    # saving needs the editor role
    refused = api.post(
        "/api/v1/network/assess",
        json={"initiative": "hannoverimpuls", "target": "emscher-lippe", "save": True},
        headers=headers,
    )
    assert refused.status_code == 403
    hidden = api.post(
        "/api/v1/network/assess",
        json={"initiative": "bottrop/bottrop-geheim", "target": "emscher-lippe"},
        headers=headers,
    )
    assert hidden.status_code == 404


def test_api_posts_need_the_token_not_the_session(world: World) -> None:
    """The API is exempt from CSRF because it ignores the session: a logged-in browser without a token gets 401."""
    browser = client_for(world, EDITOR)
    forged = browser.post("/api/v1/network/assess", json={"initiative": "hannoverimpuls", "target": "emscher-lippe"})
    assert forged.status_code == 401


# ----------------------------------------------------------------------------------------------- forms and edits


def _make(world: World, make: Any) -> int:
    """A record made by Herten's editor (``make(session, user)``); its number."""
    with session_factory(world.app.state.engine).begin() as s:
        editor = s.scalar(select(User).where(User.email == EDITOR))
        return int(make(s, editor).id)


def test_add_a_row_shows_the_form_again_with_one_more_and_saves_nothing(world: World) -> None:
    client = client_for(world, EDITOR)
    form = client.get("/network/exchanges/new").text
    assert len(re.findall(r'name="follow_ups-\d+-task"', form)) == 3 and 'id="follow-ups-add-row"' in form
    again = _post(
        client,
        "/network/exchanges/new",
        {
            "organisation_id": _org_id(world, "herten"),
            "key": "mehr-zeilen",
            "title": "Mehr Zeilen",
            "follow_ups-0-task": "Erste Aufgabe",
            "follow_ups-1-task": "",
            "follow_ups-2-task": "",
            "add_row": "follow_ups",
        },
    )
    assert again.status_code == 200
    page = again.text
    assert len(re.findall(r'name="follow_ups-\d+-task"', page)) == 4 and 'value="Erste Aufgabe"' in page
    assert 'value="mehr-zeilen"' in page
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(Exchange).where(Exchange.key == "mehr-zeilen")) is None


def test_an_editor_edits_an_initiative_and_ends_a_dated_statement(world: World) -> None:
    made = _make(
        world,
        lambda s, u: records.create_initiative(
            s,
            u,
            InitiativeIn(
                key="cluster-offensive",
                name="Cluster-Offensive",
                region="05562",
                facts=[FactIn(kind="focus_cluster", taxonomy="hannoverimpuls", cluster="ict", valid_from="2015-01-01")],
                visibility=Visibility.network,
            ),
        ),
    )
    path = f"/network/initiatives/{made}/edit"
    # only editors of Herten: its viewer is refused, a network partner and an outsider find nothing to edit
    assert client_for(world, VIEWER).get(path).status_code == 403
    assert _post(client_for(world, VIEWER), path, {"key": "x", "name": "x"}).status_code == 403
    assert client_for(world, GLADBECK).get(f"/network/initiatives/{made}").status_code == 200  # shared with it
    assert client_for(world, GLADBECK).get(path).status_code == 404
    assert client_for(world, BOTTROP).get(path).status_code == 404

    client = client_for(world, EDITOR)
    form = client.get(path).text
    assert 'value="Cluster-Offensive"' in form and 'value="hannoverimpuls/ict" selected' in form
    assert len(re.findall(r'name="facts-\d+-kind"', form)) == 2  # the statement and an empty row
    changed = _post(
        client,
        path,
        {
            "key": "cluster-offensive",
            "name": "Cluster-Offensive Emscher-Lippe",
            "region": "05562",
            "summary": "Neu ausgerichtet.",
            "facts-0-kind": "focus_cluster",
            "facts-0-focus": "hannoverimpuls/ict",
            "facts-0-valid_from": "2015-01-01",
            "facts-0-valid_to": "2023-12-31",
            "facts-1-kind": "focus_cluster",
            "facts-1-focus": "hannoverimpuls/production",
            "facts-1-valid_from": "2024-01-01",
            "visibility": "private",
        },
        page=path,
    )
    assert changed.status_code == 303, changed.text
    page = client.get(changed.headers["location"]).text
    assert 'id="saved-notice"' in page and "Cluster-Offensive Emscher-Lippe" in page
    assert page.count("31.12.2023") == 1 and "01.01.2024" in page
    history = page[page.index('id="history"') :]
    assert history.count('class="history-entry"') == 2 and "angelegt" in history and "geändert" in history
    assert "Sichtbarkeit: auch meine Netzwerke → nur meine Organisation" in history and "Datierte Angaben" in history
    assert "Cluster-Offensive → Cluster-Offensive Emscher-Lippe" in history
    assert client_for(world, GLADBECK).get(f"/network/initiatives/{made}").status_code == 404  # private now
    with session_factory(world.app.state.engine)() as s:
        record = s.get(Initiative, made)
        assert record is not None
        assert [(f.cluster, str(f.valid_from), str(f.valid_to)) for f in record.facts] == [
            ("ict", "2015-01-01", "2023-12-31"),
            ("production", "2024-01-01", "None"),
        ]
    wrong = _post(client, path, {"key": "cluster-offensive", "name": "", "visibility": "private"}, page=path)
    assert wrong.status_code == 400 and 'id="form-error"' in wrong.text


def test_editing_an_exchange_keeps_its_people_and_its_follow_ups(world: World) -> None:
    made = _make(
        world,
        lambda s, u: records.create_exchange(
            s,
            u,
            ExchangeIn(
                key="telefonat",
                title="Telefonat mit Gladbeck",
                kind="call",
                people=[{"name": "Gla", "function": "Leitung", "role": "participant"}],
                follow_ups=[{"task": "Protokoll schicken", "owner": "Eda"}],
            ),
        ),
    )
    client = client_for(world, EDITOR)
    path = f"/network/exchanges/{made}/edit"
    form = client.get(path).text
    assert 'value="Protokoll schicken"' in form and len(re.findall(r'name="follow_ups-\d+-task"', form)) == 2
    changed = _post(
        client,
        path,
        {
            "key": "telefonat",
            "title": "Telefonat mit Gladbeck",
            "kind": "call",
            "findings": "Gladbeck macht mit.",
            "follow_ups-0-task": "Protokoll schicken",
            "follow_ups-0-owner": "Eda",
            "follow_ups-0-done": "1",
            "follow_ups-1-task": "Termin finden",
            "visibility": "private",
        },
        page=path,
    )
    assert changed.status_code == 303, changed.text
    with session_factory(world.app.state.engine)() as s:
        record = s.get(Exchange, made)
        assert record is not None and record.findings == "Gladbeck macht mit."
        assert record.people == [{"name": "Gla", "function": "Leitung", "actor_id": None, "role": "participant"}]
        assert [(f.task, f.done, f.done_at is not None) for f in record.follow_ups] == [
            ("Protokoll schicken", True, True),
            ("Termin finden", False, False),
        ]


def test_follow_ups_are_marked_done_in_place_with_htmx_and_as_a_plain_form(world: World) -> None:
    made = _make(
        world,
        lambda s, u: records.create_exchange(
            s, u, ExchangeIn(key="workshop", title="Workshop", kind="workshop", follow_ups=[{"task": "Folien teilen"}])
        ),
    )
    with session_factory(world.app.state.engine)() as s:
        follow_up = s.scalar(select(FollowUp.id).where(FollowUp.exchange_id == made))
    client = client_for(world, EDITOR)
    page = client.get(f"/network/exchanges/{made}").text
    assert f'hx-post="/network/follow-ups/{follow_up}/done"' in page and f'id="follow-up-{follow_up}-toggle"' in page
    token = csrf_token(client, f"/network/exchanges/{made}")
    row = client.post(
        f"/network/follow-ups/{follow_up}/done",
        data={"done": "1"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert row.status_code == 200 and row.text.lstrip().startswith(f'<tr id="follow-up-{follow_up}"')
    assert "erledigt" in row.text and "Wieder öffnen" in row.text and "<html" not in row.text
    assert "Folien teilen" not in client.get("/network").text  # no longer open
    plain = client.post(
        f"/network/follow-ups/{follow_up}/done", data={"csrf_token": token, "done": "0"}, follow_redirects=False
    )
    assert plain.status_code == 303 and plain.headers["location"] == f"/network/exchanges/{made}#follow-ups"
    history = client.get(f"/network/exchanges/{made}").text
    assert history[history.index('id="history"') :].count("geändert") == 2
    forged = client.post(f"/network/follow-ups/{follow_up}/done", data={"done": "1"}, follow_redirects=False)
    assert forged.status_code == 403  # no CSRF token
    viewer = client_for(world, VIEWER)
    assert 'hx-post="/network/follow-ups/' not in viewer.get(f"/network/exchanges/{made}").text
    assert _post(viewer, f"/network/follow-ups/{follow_up}/done", {"done": "1"}).status_code == 403
    assert _post(client_for(world, BOTTROP), f"/network/follow-ups/{follow_up}/done", {}).status_code == 404
    assert _post(client, "/network/follow-ups/999999/done", {}).status_code == 404
    with session_factory(world.app.state.engine)() as s:
        assert s.scalar(select(FollowUp.done).where(FollowUp.id == follow_up)) is False


def test_lessons_and_actors_are_created_and_edited_through_forms(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    herten = _org_id(world, "herten")
    assert client_for(world, VIEWER).get("/network/actors/new").status_code == 403
    assert client_for(world, VIEWER).get("/network/lessons/new").status_code == 403
    actor = _post(
        client,
        "/network/actors/new",
        {
            "organisation_id": herten,
            "key": "ihk-nord-westfalen",
            "name": "IHK Nord Westfalen",
            "kind": "chamber",
            "region": "emscher-lippe",
            "visibility": "network",
        },
    )
    assert actor.status_code == 303, actor.text
    actor_page = client.get(actor.headers["location"]).text
    assert "IHK Nord Westfalen" in actor_page and "Kammer" in actor_page and 'id="history"' in actor_page
    actor_id = int(actor.headers["location"].split("/")[-1].split("?")[0])

    form = client.get(f"/network/lessons/new?initiative={ids['hannoverimpuls']}").text
    assert f'<option value="{ids["hannoverimpuls"]}" selected>' in form
    lesson = _post(
        client,
        "/network/lessons/new",
        {
            "organisation_id": herten,
            "key": "co-investoren-frueh",
            "title": "Co-Investoren früh gewinnen",
            "outcome": "worked",
            "what_worked": "Private Co-Investoren vor dem Fondsstart ansprechen.",
            "preconditions": "Ein regionaler Beteiligungsmarkt",
            "initiatives": [str(ids["hannoverimpuls"])],
            "tags": "Venture Capital",
            "visibility": "network",
        },
    )
    assert lesson.status_code == 303, lesson.text
    location = lesson.headers["location"]
    page = client.get(location).text
    assert "Co-Investoren früh gewinnen" in page and "hat funktioniert" in page and "venture-capital" in page
    assert "Co-Investoren früh gewinnen" in client.get(f"/network/initiatives/{ids['hannoverimpuls']}").text
    assert "Co-Investoren früh gewinnen" in client.get("/network", params={"q": "Beteiligungsmarkt"}).text
    lesson_id = int(location.split("/")[-1].split("?")[0])

    edit = f"/network/lessons/{lesson_id}/edit"
    assert 'value="worked" selected' in client.get(edit).text
    changed = _post(
        client,
        edit,
        {"key": "co-investoren-frueh", "title": "Co-Investoren früh gewinnen", "outcome": "mixed"},
        page=edit,
    )
    assert changed.status_code == 303
    history = client.get(f"/network/lessons/{lesson_id}").text
    assert (
        "Ergebnis: hat funktioniert → gemischt" in history
        and "Sichtbarkeit: auch meine Netzwerke → nur meine Organisation" in history
    )
    renamed = _post(
        client,
        f"/network/actors/{actor_id}/edit",
        {"key": "ihk", "name": "IHK Nord Westfalen", "kind": "chamber", "visibility": "network"},
        page=f"/network/actors/{actor_id}/edit",
    )
    assert renamed.status_code == 303
    assert "Kurzname: ihk-nord-westfalen → ihk" in client.get(f"/network/actors/{actor_id}").text
    assert client_for(world, GLADBECK).get(f"/network/actors/{actor_id}/edit").status_code == 404


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_form_and_page_speaks_the_language_with_no_word_missing(
    world: World, ids: dict[str, int], lang: str
) -> None:
    """A word the page lacks would show as its key (``network_…``); every kind's new form, edit form and page."""
    client = client_for(world, EDITOR)
    with session_factory(world.app.state.engine)() as s:
        exchange = s.scalar(select(Exchange.id).where(Exchange.key == "besuch-hannoverimpuls"))
        actor = s.scalar(select(Actor.id).where(Actor.key == "hannover-impuls"))
    pages = ["/network", "/network/assess"]
    for kind, number in (("initiative", ids["hannoverimpuls"]), ("exchange", exchange), ("actor", actor)):
        pages += [f"/network/{kind}s/new", f"/network/{kind}s/{number}", f"/network/{kind}s/{number}/edit"]
    pages.append("/network/lessons/new")
    for path in pages:
        page = client.get(path, params={"lang": lang})
        assert page.status_code == 200, path
        assert not re.search(r"\bnetwork_[a-z_]+", page.text), (path, re.findall(r"\bnetwork_[a-z_]+", page.text))
        assert f'<html lang="{lang}">' in page.text
