"""Browser test of the concept builder: the journey of issue 8, in Debian's Chromium driven by Playwright.

An editor of Herten creates a concept for Emscher-Lippe, opens the ranking of the candidate clusters (the page's
figures are the API's), chooses three with a justification, adds two instruments seen at hannoverimpuls and the
network's fund plan, and asks Gladbeck, the second member organisation, to sign off; Gladbeck's editor then
approves. The world is that of :mod:`tests.web.test_app_concept` (:func:`~tests.web.test_app_concept.
add_concept_world`); the browser and page fixtures are those of :mod:`tests.web.test_browser_network` on the app
served here. Without Chromium the test is skipped, except on CI, where it fails. Screenshots go to
``var/screenshots/concept-*.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest
from playwright.sync_api import Page, expect

from regiolens.fund.mandate import euros
from regiolens.reports import text
from tests.web import test_browser_network as network_journey
from tests.web.app_support import EDITOR, World, api_token, build_app, serve_in_thread
from tests.web.test_app_concept import GLADBECK_EDITOR, add_concept_world
from tests.web.test_browser import TIMEOUT_MS, _require_chromium, log_in, screenshot

expect.set_options(timeout=TIMEOUT_MS)

browser = network_journey.browser
"""Chromium for the module, on this module's ``live_url``."""
page = network_journey.page
"""A fresh browser context per test whose script errors fail the test."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> Iterator[tuple[World, str]]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("browser-concept")
    warehouse = tmp / "warehouse.duckdb"
    shutil.copy(loaded_warehouse, warehouse)
    world = build_app(tmp, warehouse)
    add_concept_world(world)
    with serve_in_thread(world.app) as url:
        yield world, url


@pytest.fixture(scope="module")
def live_url(served: tuple[World, str]) -> str:
    return served[1]


def test_build_a_concept_for_emscher_lippe(page: Page, served: tuple[World, str]) -> None:
    world, url = served
    log_in(page, EDITOR, "/concepts")
    expect(page.locator("#concept-title")).to_be_visible()

    page.click("#new-concept")
    page.fill("#concept-key", "emscher-lippe-2027")
    page.fill("#concept-title-input", "Regionalisierte Wirtschaftsförderung Emscher-Lippe")
    page.fill("#concept-target", "emscher-lippe")
    page.fill("#concept-authors", "Bürgermeisterin, Netzwerksprecher")
    page.select_option("#concept-network", "emscher-lippe")
    page.check("#concept-visibility-network")
    page.click("#create-concept")
    expect(page.locator("#concept-heading")).to_have_text("Regionalisierte Wirtschaftsförderung Emscher-Lippe")

    # the ranking of the candidate clusters, its figures those of the API
    page.click("#concept-nav-evidence")
    rows = page.locator("#scorecard-table tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("#peers-note")).to_contain_text("die 5 strukturell ähnlichsten Regionen")
    screenshot(page, "concept-scorecard")
    token = api_token(world, EDITOR)
    card = httpx.get(
        f"{url}/api/v1/concepts/emscher-lippe-2027/scorecard",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    ).json()
    shown = [(r.get_attribute("data-rank"), r.get_attribute("data-score")) for r in rows.all()]
    assert [(int(rank or 0), float(score or "nan")) for rank, score in shown] == [
        (r["rank"], r["score"]) for r in card["rows"]
    ]

    # choose the three top-ranked clusters with a justification
    for index in (1, 2, 3):
        page.check(f"#choose-{index}")
        page.fill(f"#justification-{index}", f"Rang {index}: stark und anschlussfähig.")
    page.click("#save-focus")
    expect(page.locator("#concept-notice")).to_be_visible()
    expect(page.locator("#focus-clusters li")).to_have_count(3)
    expect(page.locator("#evidence-current")).to_be_visible()

    # two instruments seen at hannoverimpuls and the network's fund plan
    page.click("#concept-nav-instruments")
    choices = page.locator("#initiative-choices li")
    expect(choices).to_have_count(2)
    for item in choices.all():
        item.locator("input[type=checkbox]").check()
        item.locator("textarea").fill("Übernehmen wie bei hannoverimpuls.")
    plan = page.locator("#fund-plan option", has_text="herten/seedfonds").get_attribute("value")
    assert plan
    page.select_option("#fund-plan", plan)
    page.click("#save-instruments")
    expect(page.locator("#concept-instruments li")).to_have_count(2)
    expect(page.locator("#concept-fund-size")).to_have_text("50.000.000\u00a0€")

    # ask Gladbeck to sign off
    page.select_option("#sign-off-organisation", "gladbeck")
    page.fill("#sign-off-note", "Bitte bis zur Ratssitzung")
    page.click("#request-sign-off-button")
    expect(page.locator("#sign-off-table tr[data-organisation=gladbeck]")).to_have_attribute("data-status", "requested")
    screenshot(page, "concept-page")

    # the paper: DOCX with the headings, the focus clusters and the API's figures; PDF
    with page.expect_download(timeout=2 * TIMEOUT_MS) as download:
        page.click("#download-docx")
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(download.value.path())
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert {"Zusammenfassung", "Fokuscluster", "Instrumente"} <= set(headings), headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    full = "\n".join([p.text for p in document.paragraphs] + cells)
    for row in card["rows"][:3]:
        assert row["evidence"]["name_de"] in full
    # the LQ of the top-ranked cluster in the paper's ranking table is the API's, in German notation
    ranking = next(t for t in document.tables if "LQ" in [cell.text for cell in t.rows[0].cells])
    header = [cell.text for cell in ranking.rows[0].cells]
    top = next([cell.text for cell in r.cells] for r in ranking.rows[1:] if r.cells[0].text == "1")
    assert top[header.index("LQ")] == text.num(card["rows"][0]["evidence"]["lq"], "de", 2)
    plan_size = httpx.get(
        f"{url}/api/v1/fund/plans/seedfonds",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    ).json()["terms"]["size"]
    assert euros(plan_size, "de") in full
    with page.expect_download(timeout=2 * TIMEOUT_MS) as download:
        page.click("#download-pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    # Gladbeck's editor approves
    page.click("#logout-button")
    log_in(page, GLADBECK_EDITOR, "/concepts")
    page.locator("#asked a").first.click()
    page.locator("#sign-off-table button[value=approve]").click()
    expect(page.locator("#sign-off-table tr[data-organisation=gladbeck]")).to_have_attribute("data-status", "approved")
    screenshot(page, "concept-sign-off")
