"""The knowledge base in the web app and the JSON API: forms, search, privacy, uploads, assessment, PDF export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from regiolens.network import examples, records
from regiolens.network.attachments import MAX_ATTACHMENT_BYTES, AttachmentStore, add_attachment
from regiolens.network.inputs import ExchangeIn, InitiativeIn
from regiolens.network.models import Attachment, Exchange, FollowUp, Initiative
from regiolens.web.db import Organisation, User, Visibility, session_factory
from tests.web.app_support import BOTTROP, EDITOR, VIEWER, World, api_token, build_app, client_for, csrf_token

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


def _post(client: TestClient, path: str, data: dict[str, str | list[str]], page: str = "/network") -> object:
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
            "follow_up_task": "Satzung des Fonds anfordern",
            "follow_up_owner": "Eda Editor",
            "follow_up_due": "2026-12-15",
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
    assert 'id="side-by-side"' in text and "Emscher-Lippe" in text
    english = client.get(response.headers["location"] + "&lang=en").text
    assert "Structural similarity" in english and "Components and reasons" in english

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
