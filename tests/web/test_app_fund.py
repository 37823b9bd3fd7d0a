"""The fund planner in the web app and the JSON API: plan editor, pipeline, deals, import, portfolio, projection,
privacy and roles.

The world of :mod:`tests.web.app_support` plus fund plans made through :mod:`regiolens.fund.records`: Herten's
private plan "seedfonds" (the example plan) with two deals, Bottrop's private plan with a secret deal, and
Gladbeck's plan shared with its network (Herten and Gladbeck) with one shared and one private deal.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from regiolens.fund import records
from regiolens.fund.models import Deal, FundPlanRecord
from regiolens.fund.pipeline import DealIn, DealStatus
from regiolens.fund.projection import project
from regiolens.fund.terms import parse_plan
from regiolens.reports.text import pct
from regiolens.web import accounts
from regiolens.web.db import Role, User, Visibility, session_factory
from regiolens.web.routes.fund import EXAMPLE_PLAN
from tests.web.app_support import BOTTROP, EDITOR, PASSWORD, VIEWER, World, api_token, build_app, client_for, csrf_token

EXAMPLE = EXAMPLE_PLAN.read_text(encoding="utf-8")
GLADBECK_EDITOR = "editor@gladbeck.de"
PATHS, SEED = 200, 11
"""A small projection: these tests check the pages, not the simulation."""


def _save(s: object, user: User, key: str, org: str, visibility: Visibility, source: str = EXAMPLE) -> FundPlanRecord:
    terms = parse_plan(source)
    plan, _ = records.save_plan(
        s,  # type: ignore[arg-type]
        user,
        key,
        terms.name,
        source,
        terms.model_dump(mode="json"),
        organisation=org,
        visibility=visibility,
    )
    return plan


def _deal(**fields: object) -> DealIn:
    return DealIn.model_validate({"stage": "seed", "amount": 400_000, "round_date": "2026-09-01", **fields})


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    built = build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)
    with session_factory(built.app.state.engine).begin() as s:
        editor = s.scalar(select(User).where(User.email == EDITOR))
        bottrop = s.scalar(select(User).where(User.email == BOTTROP))
        assert editor is not None and bottrop is not None
        gladbeck = accounts.create_user(s, GLADBECK_EDITOR, "Gerd Gladbeck", PASSWORD, "gladbeck", Role.editor)
        seed = _save(s, editor, "seedfonds", "herten", Visibility.private)
        ict = records.add_deal(
            s, editor, seed, _deal(company="Code Werk GmbH", code="62.01", region="05562004", jobs=12)
        )
        records.move_deal(s, editor, ict, DealStatus.due_diligence)
        records.move_deal(s, editor, ict, DealStatus.committee)
        records.move_deal(s, editor, ict, DealStatus.invested)
        records.add_deal(s, editor, seed, _deal(company="Kaufhaus Muster", code="47.11", region="05562004"))
        secret = _save(s, bottrop, "bottrop-geheim", "bottrop", Visibility.private)
        records.add_deal(s, bottrop, secret, _deal(company="Geheim AG", code="62.01", region="05512000"))
        shared = _save(s, gladbeck, "gladbeck-netz", "gladbeck", Visibility.network)
        records.add_deal(
            s,
            gladbeck,
            shared,
            _deal(company="Offen GmbH", code="62.01", region="05562014"),
            visibility=Visibility.network,
        )
        records.add_deal(s, gladbeck, shared, _deal(company="Vertraulich GmbH", code="62.01", region="05562014"))
    return built


@pytest.fixture(scope="module")
def ids(world: World) -> dict[str, int]:
    """Numbers of the plans and deals the tests open."""
    with session_factory(world.app.state.engine)() as s:
        plans = {p.key: p.id for p in s.scalars(select(FundPlanRecord))}
        deals = {d.company: d.id for d in s.scalars(select(Deal))}
    return {**plans, **deals}


def _post(client: TestClient, path: str, data: dict[str, str], page: str = "/fund") -> Response:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data}, follow_redirects=False)


def _text(page: Response, element_id: str) -> str:
    """The text of the element with ``element_id`` (one line of the page's HTML; tags removed)."""
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</', page.text, re.S)
    assert match, f"no element {element_id}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def _count(world: World, model: type) -> int:
    with session_factory(world.app.state.engine)() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# ----------------------------------------------------------------------------------------------- pages


def test_the_fund_pages_show_plans_terms_pipeline_and_portfolio(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    index = client.get("/fund")
    assert index.status_code == 200 and 'id="nav-fund"' in index.text and "Fondsplaner" in index.text
    assert f'href="/fund/{ids["seedfonds"]}"' in index.text and f'href="/fund/{ids["gladbeck-netz"]}"' in index.text
    plan = client.get(f"/fund/{ids['seedfonds']}")
    assert plan.status_code == 200
    assert _text(plan, "figure-size") == "50.000.000\u00a0€"
    assert "Emscher-Lippe" in _text(plan, "plan-mandate") and "Informations- und Kommunikationstechnologie" in plan.text
    assert "Pari passu" in _text(plan, "plan-structure")
    assert 'data-version="1"' in plan.text and 'id="edit-plan"' in plan.text

    board = client.get(f"/fund/{ids['seedfonds']}/pipeline")
    assert board.status_code == 200
    assert re.search(r'id="column-screening-total" data-deals="1" data-amount="400000"', board.text)
    assert re.search(r'id="column-invested-total" data-deals="1" data-amount="400000"', board.text)
    card = board.text[board.text.index(f'id="deal-{ids["Kaufhaus Muster"]}"') :]
    assert "nicht förderfähig" in card[:3000] and "47.11 ist in keinem Cluster" in html.unescape(card[:3000])

    portfolio = client.get(f"/fund/{ids['seedfonds']}/portfolio")
    assert _text(portfolio, "figure-companies") == "1" and _text(portfolio, "figure-jobs").startswith("12")
    rows = list(csv.DictReader(io.StringIO(client.get(f"/fund/{ids['seedfonds']}/portfolio.csv").text)))
    invested = next(r for r in rows if r["group"] == "status" and r["key"] == "invested")
    assert (invested["deals"], invested["amount"], invested["companies"]) == ("1", "400000", "1")
    ict = next(r for r in rows if r["group"] == "cluster")
    assert ict["key"] == "ict" and ict["amount"] == "400000"


def test_the_editor_of_a_new_plan_starts_from_the_example(world: World) -> None:
    page = client_for(world, EDITOR).get("/fund/new")
    assert page.status_code == 200
    source = re.search(r'<textarea id="plan-source"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert source and html.unescape(source.group(1)) == EXAMPLE
    assert client_for(world, EDITOR).get("/fund/example.toml").text == EXAMPLE


@pytest.mark.parametrize(
    ("change", "line_of", "field", "words"),
    [
        (("size = 50_000_000", "size = 40_000_000"), "size = ", "size", "Summe der Zusagen"),
        (("[structure]", "[structure"), "[structure", None, "kein gültiges TOML"),
        (('"production", "ict"]', '"production", "banking"]'), "clusters = ", "mandate.clusters", "banking"),
        (("hurdle_rate = 0.08", "hurdle_rate = 8"), "hurdle_rate = ", "waterfall.hurdle_rate", "≤ 1"),
    ],
)
def test_an_invalid_plan_is_shown_beside_the_editor_with_line_and_field_and_nothing_is_saved(
    world: World, change: tuple[str, str], line_of: str, field: str | None, words: str
) -> None:
    source = EXAMPLE.replace(*change)
    assert source != EXAMPLE
    before = _count(world, FundPlanRecord)
    client = client_for(world, EDITOR)
    answer = _post(client, "/fund/new", {"key": "kaputt", "source": source, "visibility": "private"}, "/fund/new")
    assert answer.status_code == 400
    line = next(i for i, text in enumerate(source.splitlines(), 1) if text.startswith(line_of))
    assert _text(answer, "plan-error-line") == str(line)
    assert _text(answer, "plan-error-field") == (field or "–")
    assert words in _text(answer, "plan-error-message")
    assert html.unescape(source) in html.unescape(answer.text)  # the text stays in the editor
    assert _count(world, FundPlanRecord) == before


def test_an_editor_creates_a_plan_and_saves_a_new_version_only_when_it_changed(world: World) -> None:
    client = client_for(world, EDITOR)
    created = _post(client, "/fund/new", {"key": "zweiter-fonds", "source": EXAMPLE, "visibility": "network"})
    assert created.status_code == 303
    plan_url = created.headers["location"].split("?")[0]
    assert "Version 1 gespeichert" in client.get(created.headers["location"]).text
    taken = _post(client, "/fund/new", {"key": "zweiter-fonds", "source": EXAMPLE})
    assert taken.status_code == 400 and "zweiter-fonds" in _text(taken, "plan-error-message")

    changed = EXAMPLE.replace("carry_rate = 0.20", "carry_rate = 0.25")
    saved = _post(client, f"{plan_url}/edit", {"source": changed, "note": "Carry 25 %"}, f"{plan_url}/edit")
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=2")
    page = client.get(plan_url).text
    assert "Carried Interest 25,0\u00a0%" in page and "Carry 25 %" in page and 'data-version="2"' in page
    again = _post(client, f"{plan_url}/edit", {"source": changed, "visibility": "network"}, f"{plan_url}/edit")
    assert again.headers["location"].endswith("?unchanged=2")
    assert client.get(f"{plan_url}/versions/1.toml").text == EXAMPLE
    assert client.get(f"{plan_url}/versions/2.toml").text == changed


def test_changes_without_the_csrf_token_are_refused(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    assert client.post("/fund/new", data={"key": "ohne-token", "source": EXAMPLE}).status_code == 403
    move = client.post(f"/fund/{ids['seedfonds']}/deals/{ids['Kaufhaus Muster']}/move", data={"to": "due_diligence"})
    assert move.status_code == 403
    forged = client.post(
        f"/fund/{ids['seedfonds']}/deals/new",
        data={"csrf_token": "falsch", "company": "X", "code": "62.01", "region": "05562004", "stage": "seed"},
    )
    assert forged.status_code == 403
    with session_factory(world.app.state.engine)() as s:
        assert s.get(Deal, ids["Kaufhaus Muster"]).status is DealStatus.screening  # type: ignore[union-attr]
        assert s.scalar(select(Deal).where(Deal.company == "X")) is None


def test_a_viewer_reads_but_cannot_edit_add_import_or_move(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, VIEWER)
    plan = ids["seedfonds"]
    page = client.get(f"/fund/{plan}")
    assert page.status_code == 200 and 'id="edit-plan"' not in page.text
    board = client.get(f"/fund/{plan}/pipeline")
    assert board.status_code == 200 and "move-form" not in board.text and 'id="add-deal"' not in board.text
    assert client.get("/fund/new").status_code == 403
    assert client.get(f"/fund/{plan}/edit").status_code == 403
    assert client.get(f"/fund/{plan}/deals/new").status_code == 403
    token = csrf_token(client, "/fund")
    assert _post(client, f"/fund/{plan}/edit", {"source": EXAMPLE.replace("0.20", "0.30")}).status_code == 403
    move = _post(client, f"/fund/{plan}/deals/{ids['Kaufhaus Muster']}/move", {"to": "declined"})
    assert move.status_code == 403
    added = _post(
        client,
        f"/fund/{plan}/deals/new",
        {"company": "Viewer GmbH", "code": "62.01", "region": "05562004", "stage": "seed", "amount": "1"},
    )
    assert added.status_code == 403
    upload = client.post(
        f"/fund/{plan}/deals/import",
        data={"csrf_token": token},
        files={"file": ("deals.csv", b"company,code,region,stage,amount\nA,62.01,05562004,seed,1\n", "text/csv")},
    )
    assert upload.status_code == 403
    with session_factory(world.app.state.engine)() as s:
        assert s.get(Deal, ids["Kaufhaus Muster"]).status is DealStatus.screening  # type: ignore[union-attr]
        assert s.scalar(select(Deal).where(Deal.company.in_(["Viewer GmbH", "A"]))) is None
    # the API says the same with a viewer's token
    api = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, VIEWER)}"})
    assert api.post("/api/v1/fund/plans/viewer/versions", json={"source": EXAMPLE}).status_code == 403
    body = {"company": "Viewer GmbH", "code": "62.01", "region": "05562004", "stage": "seed", "amount": 1}
    assert api.post(f"/api/v1/fund/plans/{plan}/deals/add", json=body).status_code == 403
    moved = api.post(f"/api/v1/fund/plans/{plan}/deals/{ids['Kaufhaus Muster']}/move", json={"to": "declined"})
    assert moved.status_code == 403


def test_another_organisations_private_plan_and_deals_are_not_found(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    secret, deal = ids["bottrop-geheim"], ids["Geheim AG"]
    assert f'href="/fund/{secret}"' not in client.get("/fund").text
    for path in (
        f"/fund/{secret}",
        f"/fund/{secret}/pipeline",
        f"/fund/{secret}/portfolio",
        f"/fund/{secret}/projection?paths={PATHS}",
        f"/fund/{secret}/deals/{deal}",
        f"/fund/{secret}/deals.csv",
        f"/fund/{secret}/versions/1.toml",
        f"/fund/{secret}/edit",
        f"/fund/{ids['seedfonds']}/deals/{deal}",  # Bottrop's deal under Herten's own plan
    ):
        assert client.get(path).status_code == 404, path
    assert _post(client, f"/fund/{secret}/deals/{deal}/move", {"to": "declined"}).status_code == 404
    assert "Geheim AG" not in client.get(f"/fund/{ids['seedfonds']}/deals.json").text

    api = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, EDITOR)}"})
    listed = {p["key"] for p in api.get("/api/v1/fund/plans").json()}
    assert {"seedfonds", "gladbeck-netz"} <= listed and "bottrop-geheim" not in listed
    for path in (
        f"/api/v1/fund/plans/{secret}",
        "/api/v1/fund/plans/bottrop-geheim",
        f"/api/v1/fund/plans/{secret}/deals",
        f"/api/v1/fund/plans/{secret}/deals/{deal}",
        f"/api/v1/fund/plans/{secret}/portfolio",
        f"/api/v1/fund/plans/{secret}/projection?paths={PATHS}",
    ):
        assert api.get(path).status_code == 404, path
    assert api.post(f"/api/v1/fund/plans/{secret}/deals/{deal}/move", json={"to": "declined"}).status_code == 404


def test_a_network_plan_shows_only_its_shared_deals_and_cannot_be_changed_by_others(
    world: World, ids: dict[str, int]
) -> None:
    client = client_for(world, EDITOR)
    shared = ids["gladbeck-netz"]
    board = client.get(f"/fund/{shared}/pipeline")
    assert board.status_code == 200 and "Offen GmbH" in board.text and "Vertraulich GmbH" not in board.text
    assert client.get(f"/fund/{shared}/deals/{ids['Vertraulich GmbH']}").status_code == 404
    assert client.get(f"/fund/{shared}/edit").status_code == 404  # not Herten's plan: nothing of theirs to change
    assert _post(client, f"/fund/{shared}/deals/{ids['Offen GmbH']}/move", {"to": "declined"}).status_code == 404
    api = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, EDITOR)}"})
    companies = [d["company"] for d in api.get(f"/api/v1/fund/plans/{shared}/deals").json()]
    assert companies == ["Offen GmbH"]


def test_a_deal_outside_the_mandate_shows_every_rule_with_its_reason(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    plan = ids["seedfonds"]
    form = client.get(f"/fund/{plan}/deals/new")
    assert form.status_code == 200 and 'id="deal-form"' in form.text
    answer = _post(
        client,
        f"/fund/{plan}/deals/new",
        {
            "company": "Software Köln",
            "code": "6201",
            "classification": "wz2008",
            "region": "05315000",
            "stage": "series_b",
            "amount": "400000",
            "status": "screening",
            "round_date": "2026-10-01",
            "jobs": "5",
            "visibility": "private",
        },
    )
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"])
    assert "Deal gespeichert" in page.text and "nicht förderfähig" in _text(page, "deal-verdict")
    rules = dict(re.findall(r'id="rule-(\w+)" data-passed="(true|false)"', page.text))
    assert rules == {"cluster": "true", "region": "false", "stage": "false", "max_per_company": "true"}
    text = html.unescape(page.text)
    assert "WZ 2008 62.01 ist im Cluster Informations- und Kommunikationstechnologie (IKT): förderfähig" in text
    assert "Unternehmen außerhalb der Region Emscher-Lippe (05315000): nicht förderfähig" in text
    assert "Finanzierungsphase Serie B ist im Mandat nicht vorgesehen" in text
    english = html.unescape(client.get(answer.headers["location"].split("?")[0] + "?lang=en").text)
    assert "company outside the region Emscher-Lippe (05315000): not eligible" in english
    assert "stage Series B is not within the mandate" in english


def test_a_wrong_deal_form_names_the_field_and_saves_nothing(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    before = _count(world, Deal)
    answer = _post(
        client,
        f"/fund/{ids['seedfonds']}/deals/new",
        {"company": "Ohne Betrag", "code": "62.01", "region": "05562004", "stage": "seed", "amount": "-5"},
    )
    assert answer.status_code == 400 and 'id="deal-amount-error"' in answer.text
    assert 'value="Ohne Betrag"' in answer.text  # the form keeps what was typed
    assert _count(world, Deal) == before


def test_moving_a_deal_follows_the_pipeline(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    plan = ids["seedfonds"]
    with session_factory(world.app.state.engine).begin() as s:
        editor = s.scalar(select(User).where(User.email == EDITOR))
        assert editor is not None
        mover = records.add_deal(
            s, editor, s.get(FundPlanRecord, plan), _deal(company="Laser Lippe", code="26.70", region="05513000")
        )
        deal = mover.id
    # HTMX posts the form and swaps the board: the redirect leads to the board with the deal in its new column
    token = csrf_token(client, f"/fund/{plan}/pipeline")
    moved = client.post(
        f"/fund/{plan}/deals/{deal}/move",
        data={"to": "due_diligence"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert moved.status_code == 200 and 'id="board"' in moved.text
    column = moved.text[moved.text.index('id="column-due_diligence"') : moved.text.index('id="column-committee"')]
    assert "Laser Lippe" in column
    # without JavaScript, from the deal's page, back to it
    back = _post(client, f"/fund/{plan}/deals/{deal}/move", {"to": "committee", "back": "deal"})
    assert back.status_code == 303 and back.headers["location"] == f"/fund/{plan}/deals/{deal}"
    page = client.get(back.headers["location"])
    assert _text(page, "deal-status") == "Investitionskomitee"
    assert "Prüfung (Due Diligence) → Investitionskomitee" in page.text
    # a step the pipeline does not allow is refused, and the deal stays where it is
    wrong = _post(client, f"/fund/{plan}/deals/{deal}/move", {"to": "screening"})
    assert wrong.status_code == 400 and "von „Investitionskomitee“ zu „Sichtung“" in html.unescape(wrong.text)
    with session_factory(world.app.state.engine)() as s:
        assert s.get(Deal, deal).status is DealStatus.committee  # type: ignore[union-attr]


def test_a_deal_csv_is_imported_all_or_nothing_and_exported_again(world: World, ids: dict[str, int]) -> None:
    client = client_for(world, EDITOR)
    plan = ids["seedfonds"]
    token = csrf_token(client, f"/fund/{plan}/pipeline")
    broken = (
        "Unternehmen;WZ;AGS;Phase;Betrag\n"
        "Import Eins GmbH;62.01;05562004;Seed;250.000\n"
        "Import Zwei GmbH;62.01;05562004;Seed;viel\n"
    )
    before = _count(world, Deal)
    refused = client.post(
        f"/fund/{plan}/deals/import",
        data={"csrf_token": token},
        files={"file": ("deals.csv", broken.encode(), "text/csv")},
    )
    assert refused.status_code == 400
    assert _text(refused, "import-error-file") == "deals.csv" and _text(refused, "import-error-line") == "3"
    assert _text(refused, "import-error-field") == "Betrag"
    assert _count(world, Deal) == before

    good = broken.replace(";viel", ";300.000")
    done = client.post(
        f"/fund/{plan}/deals/import",
        data={"csrf_token": token},
        files={"file": ("deals.csv", good.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "created=2&updated=0&unchanged=0" in done.headers["location"]
    assert "2 neu, 0 geändert, 0 unverändert" in client.get(done.headers["location"]).text
    again = client.post(
        f"/fund/{plan}/deals/import",
        data={"csrf_token": token},
        files={"file": ("deals.csv", good.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert "created=0&updated=0&unchanged=2" in again.headers["location"]
    assert _count(world, Deal) == before + 2

    exported = client.get(f"/fund/{plan}/deals.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    rows = {r["company"]: r for r in csv.DictReader(io.StringIO(exported.text))}
    assert rows["Import Zwei GmbH"]["amount"] == "300000" and rows["Import Eins GmbH"]["stage"] == "seed"
    empty = client.post(f"/fund/{plan}/deals/import", data={"csrf_token": token})
    assert empty.status_code == 400 and "Bitte eine Datei auswählen" in empty.text


def test_the_projection_page_shows_the_library_figures_with_charts_and_downloads(
    world: World, ids: dict[str, int]
) -> None:
    client = client_for(world, EDITOR)
    base = f"/fund/{ids['seedfonds']}/projection"
    page = client.get(f"{base}?paths={PATHS}&seed={SEED}")
    assert page.status_code == 200
    expected = project(parse_plan(EXAMPLE), paths=PATHS, seed=SEED)
    public = expected.investors[0]
    assert pct(public.loss_probability, "de") in _text(page, "loss-1")
    assert f'data-paths="{PATHS}" data-seed="{SEED}"' in page.text
    for chart in ("j-curve", "outcomes", "takahashi"):
        section = page.text[page.text.index(f'id="chart-{chart}"') :]
        assert "<svg" in section[:2000] and f'id="read-{chart}"' in section
        assert f'href="{base}/charts/{chart}.svg?paths={PATHS}&amp;seed={SEED}"' in page.text
    assert "Correlation Ventures" in _text(page, "assumption-sources") or "Correlation Ventures" in page.text
    english = client.get(f"{base}?paths={PATHS}&seed={SEED}&lang=en").text
    assert "Probability of losing money" in english and "J-curve per investor class" in english

    query = f"?paths={PATHS}&seed={SEED}"
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/data/j-curve.csv{query}").text)))
    assert len(rows) == len(expected.investors) * len(expected.dates)
    investors = list(csv.DictReader(io.StringIO(client.get(f"{base}/data/investors.csv{query}").text)))
    tvpi = next(r for r in investors if r["investor"] == public.name and r["metric"] == "tvpi")
    assert float(tvpi["p50"]) == pytest.approx(public.tvpi.p50)
    svg = client.get(f"{base}/charts/outcomes.svg{query}")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith(("<svg", "<?xml"))
    png = client.get(f"{base}/charts/j-curve.png{query}")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(f"{base}/charts/pie.svg{query}").status_code == 404
    assert f'href="{base}/report.pdf?paths={PATHS}&amp;seed={SEED}"' in page.text
    pdf = client.get(f"{base}/report.pdf{query}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"{base}/report.xlsx{query}")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get(f"{base}/report.docx{query}").status_code == 404


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("paths=50", "zwischen 100 und 50.000"),
        ("paths=60000", "zwischen 100 und 50.000"),
        ("seed=-1", "Startwert"),
        ("paths=viele", "keine ganze Zahl"),
    ],
)
def test_paths_and_seed_out_of_range_are_named_on_the_page(
    world: World, ids: dict[str, int], query: str, words: str
) -> None:
    page = client_for(world, EDITOR).get(f"/fund/{ids['seedfonds']}/projection?{query}")
    assert page.status_code == 422 and words in html.unescape(_text(page, "projection-error"))


# ----------------------------------------------------------------------------------------------- API


def test_the_api_saves_plans_adds_checks_and_moves_deals(world: World) -> None:
    api = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, EDITOR)}"})
    wrong = api.post("/api/v1/fund/plans/api-fonds/versions", json={"source": EXAMPLE.replace("= 12\n", "= 40\n", 1)})
    assert wrong.status_code == 400
    detail = wrong.json()["detail"]
    assert detail["field"] == "life_years" and detail["line"] == 14 and "≤ 30" in detail["message"]
    created = api.post("/api/v1/fund/plans/api-fonds/versions", json={"source": EXAMPLE, "note": "per API"})
    assert created.status_code == 200 and created.json()["saved"] is True
    plan = created.json()["plan"]
    assert plan["version"] == 1 and plan["terms"]["size"] == 50_000_000 and plan["versions"][0]["note"] == "per API"
    unchanged = api.post("/api/v1/fund/plans/api-fonds/versions", json={"source": EXAMPLE})
    assert unchanged.json()["saved"] is False and unchanged.json()["plan"]["version"] == 1
    assert api.get("/api/v1/fund/plans/api-fonds").json()["source"] == EXAMPLE

    deal = {"company": "API Photonik GmbH", "code": "26.70", "region": "05512000", "stage": "seed", "amount": 500_000}
    before = _count(world, Deal)
    checked = api.post("/api/v1/fund/plans/api-fonds/check", json=deal)
    assert checked.status_code == 200 and checked.json()["eligible"] is True
    assert [r["rule"] for r in checked.json()["rules"]] == ["cluster", "region", "stage", "max_per_company"]
    outside = api.post("/api/v1/fund/plans/api-fonds/check", json={**deal, "code": "47.11"}).json()
    assert outside["eligible"] is False and "none of the mandate's clusters" in outside["rules"][0]["reason_en"]
    assert _count(world, Deal) == before  # checking saves nothing

    added = api.post("/api/v1/fund/plans/api-fonds/deals/add", json=deal)
    assert added.status_code == 201 and added.json()["eligible"] is True
    key = added.json()["key"]
    assert key == "api-photonik-gmbh/seed"
    assert api.get(f"/api/v1/fund/plans/api-fonds/deals/{key}").json()["company"] == "API Photonik GmbH"
    for step in ("due_diligence", "committee", "invested"):
        moved = api.post(f"/api/v1/fund/plans/api-fonds/deals/{key}/move", json={"to": step})
        assert moved.status_code == 200 and moved.json()["status"] == step
    assert api.post(f"/api/v1/fund/plans/api-fonds/deals/{key}/move", json={"to": "screening"}).status_code == 400
    portfolio = api.get("/api/v1/fund/plans/api-fonds/portfolio").json()
    assert portfolio["deals_invested"] == 1 and portfolio["amount_invested"] == 500_000
    assert portfolio["by_cluster"][0]["key"] == "photonics"
    # a second ticket for the same company counts the first one against the limit
    again = api.post(
        "/api/v1/fund/plans/api-fonds/check", json={**deal, "stage": "series_a", "amount": 2_600_000}
    ).json()
    assert again["eligible"] is False and "3.100.000" in again["rules"][3]["reason_de"]
    assert api.get("/api/v1/fund/plans/api-fonds/deals?status=invested").json()[0]["key"] == key


def test_the_api_projection_gives_the_numbers_of_the_page_and_the_library(world: World, ids: dict[str, int]) -> None:
    api = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, VIEWER)}"})
    answer = api.get(f"/api/v1/fund/plans/{ids['seedfonds']}/projection?paths={PATHS}&seed={SEED}")
    assert answer.status_code == 200
    data = answer.json()
    expected = project(parse_plan(EXAMPLE), paths=PATHS, seed=SEED).to_dict()
    assert data["paths"] == PATHS and data["seed"] == SEED
    assert data["investors"] == expected["investors"]
    assert data["takahashi"]["tvpi"] == pytest.approx(expected["takahashi"]["tvpi"])
    assert api.get(f"/api/v1/fund/plans/{ids['seedfonds']}/projection?paths=50").status_code == 422
    assert api.get(f"/api/v1/fund/plans/{ids['seedfonds']}/projection?paths=50001").status_code == 422
    assert TestClient(world.app).get("/api/v1/fund/plans").status_code == 401
