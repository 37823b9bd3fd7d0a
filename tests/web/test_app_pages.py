"""Web app pages: the same numbers as the analyses, formatted in German (or English), with their downloads."""

from __future__ import annotations

import csv
import html
import io
import math
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from regiolens.analysis.profile import profile
from regiolens.analysis.results import Profile
from regiolens.regions.resolve import resolve_region
from regiolens.reports.text import num
from regiolens.warehouse.store import Warehouse
from regiolens.web.db import Organisation, Taxonomy, Visibility, session_factory
from tests.web.app_support import BOTTROP, VIEWER, World, build_app, client_for, mapped_warehouse


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
    assert bad.status_code == 422
    assert "Ungültige Angabe „Jahr (year)“: nötig ist eine ganze Zahl, nicht „zwanzig“." in bad.text
    threshold = client.get("/regions/emscher-lippe?threshold=lq>=7")
    assert threshold.status_code == 422 and "Unbekannte Schwelle „lq>=7“" in html.unescape(threshold.text)


# ------------------------------------------------------------------------------------------ German throughout

ENGLISH_LEFTOVERS = re.compile(
    r"not resolvable|the data hold|coarser than|cell\(s\)|establishment counts|How to read|Reference area|"
    r"(?<![:\w])\d{4}-\d\d-\d\d\b"  # an ISO date (not inside a dataset key such as genesis:…:2015-06-30)
)


def _visible_text(page: str) -> str:
    """The text a reader sees (no scripts, no markup), unescaped."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(
    "path",
    [
        "/regions/emscher-lippe",
        "/regions/emscher-lippe?threshold=us-cmp-strong",
        "/regions/emscher-lippe/opportunities",
        "/regions/emscher-lippe/peers",
        "/compare?regions=emscher-lippe&regions=region-hannover",
        "/data",
    ],
)
def test_german_pages_say_everything_in_german(client: TestClient, path: str) -> None:
    text = _visible_text(client.get(path).text)
    leftovers = ENGLISH_LEFTOVERS.findall(text)
    assert not leftovers, leftovers


def test_cluster_reasons_and_notes_follow_the_language(client: TestClient, expected: Profile) -> None:
    german = _visible_text(client.get("/regions/emscher-lippe?threshold=us-cmp-strong").text)
    english = _visible_text(client.get("/regions/emscher-lippe?threshold=us-cmp-strong&lang=en").text)
    client.get("/?lang=de")
    for c in expected.clusters:
        assert c.reason_de in german and c.reason not in german
        assert c.reason in english
    assert "Betriebszahlen fehlen: Die Bedingung „Betriebe > P25(Betriebe)“ entfällt" in german
    assert "establishment counts missing" in english
    for note in expected.notes:
        assert note in german
    for note in expected.notes_en:
        assert note in english


def test_dates_are_german_and_negative_numbers_have_a_true_minus(client: TestClient) -> None:
    page = client.get("/compare?regions=emscher-lippe&regions=region-hannover").text
    footer = re.search(r'<span id="data-vintage">(.*?)</span>', page, re.S)
    assert footer and re.fullmatch(r"Datenstand: \d\d\.\d\d\.\d{4}", footer.group(1).strip())
    summary = re.search(r'<ul id="compare-summary">(.*?)</ul>', page, re.S)
    assert summary and "−" in summary.group(1)  # the growth gap is negative: Emscher-Lippe grew less
    assert not re.search(r"(?<![\w-])-\d", _visible_text(summary.group(1)))  # never a hyphen as minus
    data = client.get("/data").text
    assert re.search(r"<td>\d\d\.\d\d\.\d{4}</td>", data)  # the vintage of each source as a date


def test_numbers_out_of_range_are_refused_with_a_clear_message(client: TestClient, expected: Profile) -> None:
    """Out of the documented range: 422; valid but not in the data (a year without data): 400. Never silently
    another value, never a server error."""
    for path, status, message in (
        ("/regions/emscher-lippe/peers?n=0", 422, "Ungültige Angabe „Anzahl (n)“: erlaubt sind 1 bis 400, nicht 0."),
        ("/regions/emscher-lippe/peers?n=401", 422, "erlaubt sind 1 bis 400, nicht 401"),
        ("/regions/emscher-lippe/peers.csv?n=0", 422, "erlaubt sind 1 bis 400"),
        ("/regions/emscher-lippe/opportunities?n=0", 422, "Ungültige Angabe „Anzahl (n)“: erlaubt sind 1 bis 1000"),
        ("/regions/emscher-lippe?year=1800", 422, "Ungültige Angabe „Jahr (year)“: erlaubt sind 1900 bis 2100"),
        ("/regions/emscher-lippe?base_year=-5", 422, "erlaubt sind 1900 bis 2100, nicht −5."),
        ("/map?industry=XYZ", 422, "„XYZ“ ist keine der Branchen A, B-E"),
        (
            "/regions/emscher-lippe?year=1950",
            400,
            f"Keine Daten für 1950; vorhanden sind die Jahre {expected.base_year}–{expected.year}.",
        ),
        (f"/regions/emscher-lippe?base_year={expected.year}", 400, f"Das Basisjahr ({expected.year}) muss vor"),
        ("/compare?regions=emscher-lippe&regions=region-hannover&year=1950", 400, "Keine Daten für 1950"),
        ("/regions/emscher-lippe/peers?year=1950", 400, "Keine Daten für 1950"),
    ):
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        assert message in html.unescape(response.text), (path, message)
    assert client.get("/regions/emscher-lippe/peers?n=3").text.count('<tr data-code="') == 3


# ------------------------------------------------------------------------------------------ charts


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> TestClient:
    """A viewer on a copy of the warehouse with the Kreis boundaries (for the map)."""
    tmp = tmp_path_factory.mktemp("mapped")
    return client_for(build_app(tmp, mapped_warehouse(tmp, loaded_warehouse)), VIEWER)


def test_every_chart_has_how_to_read_reference_thresholds_and_csv_svg_png(mapped: TestClient) -> None:
    pages = {
        "/regions/emscher-lippe": ["chart-portfolio", "chart-shift-share"],
        "/compare?regions=emscher-lippe&regions=region-hannover": ["chart-compare"],
        "/regions/emscher-lippe/opportunities": ["chart-opportunities"],
        "/map": ["chart-map"],
    }
    for path, figures in pages.items():
        page = mapped.get(path).text
        found = re.findall(r'<figure class="chart" id="([^"]+)"', page)
        assert found == figures, (path, found)
        for figure in figures:
            block = re.search(
                rf'<figure class="chart" id="{figure}".*?</figure>\s*<ul class="downloads".*?</ul>', page, re.S
            )
            assert block, (path, figure)
            text = html.unescape(block.group(0))
            assert "So lesen Sie diese Grafik" in text and "Referenzgebiet" in text, figure
            assert "Schwelle" in text or "LQ-Klassen" in text, figure
            links = re.findall(r'href="([^"]+)" download', block.group(0))
            kinds = {link.split("?")[0].rsplit(".", 1)[1] for link in links}
            assert kinds == {"csv", "png", "svg"}, (figure, links)
            for link in links:
                response = mapped.get(html.unescape(link))
                assert response.status_code == 200 and response.content, link


def test_the_map_names_its_reference_area_in_words(mapped: TestClient) -> None:
    page = html.unescape(mapped.get("/map").text)
    assert "Referenz: Deutschland · " in page and "Referenz: DG" not in page
    svg = mapped.get("/map/chart.svg?industry=J").text
    assert "Referenz: Deutschland" in svg and "Standortquotient Information, Kommunikation" in html.unescape(svg)
    assert "Reference: Germany" in mapped.get("/map/chart.svg?industry=J&lang=en").text
    mapped.get("/?lang=de")


def test_the_portfolio_chart_labels_without_overlap(client: TestClient) -> None:
    svg = client.get("/regions/emscher-lippe/charts/portfolio.svg").text
    assert 'width="' in svg
    width = float(re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert width >= 700  # wide enough to read: plot and legends side by side
    assert "X-Achse „Wachstum" in svg and "X-axis" not in svg  # screen readers hear German too


# ------------------------------------------------------------------------------------------ own taxonomies


@pytest.fixture(scope="module")
def shared_taxonomy(world: World) -> int:
    """Gladbeck's taxonomy on the data's classification, shared with its network (Herten sees it, Bottrop not)."""
    with session_factory(world.app.state.engine).begin() as s:
        gladbeck = s.scalar(select(Organisation).where(Organisation.slug == "gladbeck"))
        assert gladbeck is not None
        record = Taxonomy(
            organisation_id=gladbeck.id,
            visibility=Visibility.network,
            slug="info-finanzen",
            name="Information und Finanzen",
            classification="wz2008-sg",
            definition=[
                {
                    "id": "info-fin",
                    "label_de": "Information und Finanzen",
                    "label_en": "Information and finance",
                    "codes": ["J", "K"],
                },
            ],
        )
        s.add(record)
        s.flush()
        return record.id


def test_a_profile_with_the_organisations_own_taxonomy(
    world: World, client: TestClient, expected: Profile, shared_taxonomy: int
) -> None:
    chosen = f"org-{shared_taxonomy}"
    page = client.get(f"/regions/emscher-lippe?taxonomy={chosen}")
    assert page.status_code == 200
    assert f'<option value="{chosen}" selected>Information und Finanzen (WF Gladbeck)</option>' in page.text
    clusters = _table(page.text, "clusters-table")
    assert "Information und Finanzen" in clusters and "Automobilwirtschaft" not in clusters
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/regions/emscher-lippe/data/clusters.csv?taxonomy={chosen}").text))
    )
    assert [r["cluster"] for r in rows] == ["info-fin"] and rows[0]["taxonomy"].startswith(chosen)
    by_code = {r.code: r.employment for r in expected.industries}
    assert float(rows[0]["employment"]) == by_code["J"] + by_code["K"]  # the cluster sums its codes
    assert f"taxonomy={chosen}" in page.text  # the downloads keep the choice
    for ext, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        report = client.get(f"/regions/emscher-lippe/report.{ext}?taxonomy={chosen}")
        assert report.status_code == 200 and report.content.startswith(magic)
    # another organisation's private taxonomy, and a shared one outside the user's network: not found
    assert client.get(f"/regions/emscher-lippe?taxonomy=org-{world.taxonomies['bottrop-geheim']}").status_code == 404
    assert client.get(f"/regions/emscher-lippe?taxonomy=org-{world.taxonomies['gladbeck-privat']}").status_code == 404
    bottrop = client_for(world, BOTTROP)
    assert bottrop.get(f"/regions/emscher-lippe?taxonomy={chosen}").status_code == 404
    assert bottrop.get(f"/regions/emscher-lippe/data/clusters.csv?taxonomy={chosen}").status_code == 404
    assert client.get("/regions/emscher-lippe?taxonomy=org-99999999999999").status_code == 404
