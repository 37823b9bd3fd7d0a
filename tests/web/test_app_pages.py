"""Web app pages: the same numbers as the analyses, formatted in German (or English), with their downloads."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from regiolens.analysis.profile import profile
from regiolens.analysis.results import Profile
from regiolens.regions.resolve import resolve_region
from regiolens.reports.text import num
from regiolens.warehouse.store import Warehouse
from tests.web.app_support import VIEWER, World, build_app, client_for


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    return build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)


@pytest.fixture(scope="module")
def expected(loaded_warehouse: Path) -> Profile:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        return profile(wh, resolve_region("emscher-lippe"))


@pytest.fixture(scope="module")
def client(world: World) -> TestClient:
    return client_for(world, VIEWER)


def _table(html: str, table_id: str) -> str:
    match = re.search(rf'<table id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def _row(table: str, code: str) -> str:
    match = re.search(rf'<tr[^>]*>\s*<td class="[^"]*code">{re.escape(code)}</td>.*?</tr>', table, re.S)
    assert match, f"no row {code}"
    return match.group(0)


def test_profile_shows_the_lq_of_the_analysis_in_german_then_in_english(client: TestClient, expected: Profile) -> None:
    page = client.get("/regions/emscher-lippe")
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    structure = _table(page.text, "structure-table")
    rows = [r for r in expected.industries if r.lq is not None]
    assert rows
    for r in rows:
        german = num(r.lq, "de", 2)
        assert "," in german and german in _row(structure, r.code)
    assert "Wie steht Emscher-Lippe da?" in page.text

    english = client.get("/regions/emscher-lippe?lang=en")
    assert '<html lang="en">' in english.text and "How does Emscher-Lippe stand?" in english.text
    structure_en = _table(english.text, "structure-table")
    for r in rows:
        assert num(r.lq, "en", 2) in _row(structure_en, r.code)
    # the choice sticks (cookie) until switched back
    again = _table(client.get("/regions/emscher-lippe").text, "structure-table")
    assert num(rows[0].lq, "en", 2) in _row(again, rows[0].code)
    client.get("/?lang=de")


def test_profile_page_names_reference_threshold_vintage_and_explains_each_chart(client: TestClient) -> None:
    html = client.get("/regions/emscher-lippe").text
    for needle in (
        'id="chart-portfolio"',
        'id="chart-shift-share"',
        'id="read-portfolio"',
        "So lesen Sie diese Grafik",
        "Referenzgebiet",
        "Deutschland",
        "lq&gt;=1.25",
        "Datenstand",
        'id="download-industries-csv"',
        'id="download-portfolio-svg"',
        'id="download-report-pdf"',
        'id="download-report-xlsx"',
        "<svg",
    ):
        assert needle in html, needle
    assert re.search(r'id="data-vintage">Datenstand: \d\d\.\d\d\.\d{4}', html)


def test_state_is_in_the_url(client: TestClient, expected: Profile) -> None:
    base_year = expected.base_year + 1
    html = client.get(f"/regions/emscher-lippe?year={expected.year}&base_year={base_year}&threshold=lq>=1").text
    assert f'data-year="{expected.year}"' in html
    assert f'<option value="{base_year}" selected>' in html
    assert '<option value="lq&gt;=1" selected>' in html
    assert f"base_year={base_year}" in html  # the downloads keep the view's parameters


def test_csv_behind_the_charts_holds_the_profile_numbers(client: TestClient, expected: Profile) -> None:
    response = client.get("/regions/emscher-lippe/data/industries.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["code"] for r in rows] == [r.code for r in expected.industries]
    for got, want in zip(rows, expected.industries, strict=True):
        if want.lq is None or math.isnan(want.lq):
            assert got["lq"] == ""
        else:
            assert float(got["lq"]) == want.lq
    for table in ("clusters", "shift-share", "specialisation"):
        assert client.get(f"/regions/emscher-lippe/data/{table}.csv").status_code == 200
    assert client.get("/regions/emscher-lippe/data/nonsense.csv").status_code == 400


def test_chart_downloads_are_svg_and_png(client: TestClient) -> None:
    svg = client.get("/regions/emscher-lippe/charts/portfolio.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    png = client.get("/regions/emscher-lippe/charts/shift-share.png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_report_downloads(client: TestClient) -> None:
    pdf = client.get("/regions/emscher-lippe/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/regions/emscher-lippe/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_compare_page(client: TestClient) -> None:
    html = client.get("/compare?regions=emscher-lippe&regions=region-hannover").text
    for needle in ('id="chart-compare"', 'id="differences-table"', "Emscher-Lippe", "Region Hannover", "<svg"):
        assert needle in html, needle
    lq_csv = client.get("/compare/data/lq.csv?regions=emscher-lippe&regions=region-hannover")
    assert {r["region"] for r in csv.DictReader(io.StringIO(lq_csv.text))} == {"emscher-lippe", "region-hannover"}
    assert "Bitte mindestens zwei Regionen angeben." in client.get("/compare").text


def test_peers_and_opportunities_pages(client: TestClient) -> None:
    peers = client.get("/regions/emscher-lippe/peers?n=5")
    assert peers.status_code == 200
    assert peers.text.count('<tr data-code="') == 5
    assert client.get("/regions/emscher-lippe/peers.csv?n=5").text.count("\n") == 6
    chances = client.get("/regions/emscher-lippe/opportunities")
    assert chances.status_code == 200 and 'id="opportunities-table"' in chances.text
    assert client.get("/regions/emscher-lippe/opportunities/strengths.csv").status_code == 200


def test_data_and_cluster_pages(client: TestClient) -> None:
    data = client.get("/data").text
    assert "13111-07-05-4" in data and "dl-de/by-2-0" in data
    assert 'id="upload-form"' not in data and 'id="upload-not-allowed"' in data
    clusters = client.get("/clusters").text
    assert "hannoverimpuls" in clusters
    detail = client.get("/clusters/builtin/hannoverimpuls?classification=naics2017")
    assert detail.status_code == 200 and "336211" in detail.text


def test_region_search_and_errors(client: TestClient) -> None:
    assert client.get("/regions?ref=05562", follow_redirects=False).headers["location"] == "/regions/05562"
    found = client.get("/regions?q=emscher")
    assert "/regions/emscher-lippe" in found.text
    missing = client.get("/regions/nirgendwo")
    assert missing.status_code == 404 and 'id="error-message"' in missing.text
    bad = client.get("/regions/emscher-lippe?year=zwanzig")
    assert bad.status_code == 400
    assert client.get("/regions/emscher-lippe?threshold=lq>=7").status_code == 400
