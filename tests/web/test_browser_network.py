"""Browser test of the knowledge base: the journey of issue 6, in Debian's Chromium driven by Playwright.

An editor of Herten creates an initiative and edits it (a new summary, a dated statement), records a visit with
findings and follow-ups (one more row added without JavaScript), marks a follow-up done in place (HTMX), finds the
visit by a word of its findings, assesses hannoverimpuls (the example content) for Emscher-Lippe, reads the reasons
and exports the assessment as PDF. The server and browser fixtures follow :mod:`tests.web.test_browser`: uvicorn
on a free loopback port in a thread, a fresh SQLite app database, a copy of the ``loaded_warehouse`` fixture;
without Chromium the test is skipped, except on CI, where it fails.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from regiolens.network import examples
from regiolens.web.db import User, session_factory
from tests.web.app_support import EDITOR, PASSWORD, build_app, serve_in_thread

CHROMIUM = Path(os.environ.get("REGIOLENS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 90_000
"""How long an element or a download may take (an assessment or a PDF on a busy 2-core machine)."""
FINDINGS_WORD = "Gründungsstipendium"

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs the Debian package chromium")
        pytest.skip(f"{CHROMIUM} is missing (`make test` installs the Debian package chromium)")
    tmp = tmp_path_factory.mktemp("browser-network")
    warehouse = tmp / "warehouse.duckdb"
    shutil.copy(loaded_warehouse, warehouse)
    world = build_app(tmp, warehouse)
    with session_factory(world.app.state.engine).begin() as s:
        editor = s.scalar(select(User).where(User.email == EDITOR))
        assert editor is not None
        examples.load_examples(s, editor, organisation="herten")

    with serve_in_thread(world.app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(live_url: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    """A fresh browser context on the live app; script errors on any page fail the test."""
    context = browser.new_context(base_url=live_url, accept_downloads=True, locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda m: (
            errors.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, errors


def test_initiative_visit_search_assessment_and_pdf(page: Page) -> None:
    page.goto("/network")
    expect(page.locator("#login-form")).to_be_visible()
    page.fill("#email", EDITOR)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#network-title")).to_be_visible()

    # create an initiative
    page.click("#new-initiative")
    page.fill("#initiative-key", "gruenderfonds-herten")
    page.fill("#initiative-name", "Gründerfonds Herten")
    page.fill("#initiative-region", "05562")
    page.fill("#initiative-summary", "Ein Fonds für Gründungen im Kreis Recklinghausen.")
    page.check("#initiative-visibility-network")
    page.click("#initiative-submit")
    expect(page.locator("#initiative-title")).to_have_text("Gründerfonds Herten")
    expect(page.locator("#created-notice")).to_be_visible()

    # edit it: a new summary and a dated statement (a focus cluster from 2026 on), kept in the history
    page.click("#edit-record")
    page.fill("#initiative-summary", "Ein Fonds für Gründungen in der Informationswirtschaft.")
    page.select_option("#facts-0-kind", "focus_cluster")
    page.select_option("#facts-0-focus", "hannoverimpuls/ict")
    page.fill("#facts-0-valid_from", "2026-01-01")
    page.click("#initiative-submit")
    expect(page.locator("#saved-notice")).to_be_visible()
    expect(page.locator("#initiative-summary")).to_have_text("Ein Fonds für Gründungen in der Informationswirtschaft.")
    expect(page.locator("#facts")).to_contain_text("01.01.2026")
    expect(page.locator("#history-table")).to_contain_text("geändert")

    # record a visit about it, with findings and a follow-up
    page.click("#record-exchange")
    page.fill("#exchange-key", "besuch-gruenderfonds")
    page.fill("#exchange-title", "Besuch beim Gründerfonds")
    page.select_option("#exchange-kind", "visit")
    page.fill("#exchange-date", "2026-11-20")
    page.fill("#exchange-place", "Herten")
    page.fill("#exchange-findings", f"Ein {FINDINGS_WORD} hat die Zahl der Gründungen verdoppelt.")
    page.fill("#follow-up-0-task", "Satzung des Fonds anfordern")
    page.fill("#follow-up-0-owner", "Eda Editor")
    page.fill("#follow-up-0-due", "2026-12-15")
    page.click("#follow-ups-add-row")  # a fourth row, the form sent back as filled in: without JavaScript
    expect(page.locator("#follow-up-rows tbody tr")).to_have_count(4)
    expect(page.locator("#follow-up-0-task")).to_have_value("Satzung des Fonds anfordern")
    page.fill("#follow-up-3-task", "Co-Investoren ansprechen")
    page.click("#exchange-submit")
    expect(page.locator("#exchange-title")).to_have_text("Besuch beim Gründerfonds")
    expect(page.locator("#exchange-findings")).to_contain_text(FINDINGS_WORD)
    expect(page.locator("#follow-ups")).to_contain_text("Satzung des Fonds anfordern")
    expect(page.locator("#follow-ups")).to_contain_text("Eda Editor")

    # mark a follow-up done: HTMX swaps its row in place (a plain form post would load the page anew)
    row = page.locator("#follow-ups tbody tr").filter(has_text="Co-Investoren ansprechen")
    expect(row).to_contain_text("offen")
    exchange_url = page.url
    row.locator("button").click()
    expect(row.locator(".follow-up-status")).to_have_text("erledigt")
    expect(row.locator("button")).to_have_text("Wieder öffnen")
    assert page.url == exchange_url

    # search for a word from the findings
    page.click("#nav-network")
    page.fill("#network-q", FINDINGS_WORD)
    page.click("#network-search-submit")
    hit = page.locator("#search-results .search-hit").filter(has_text="Besuch beim Gründerfonds")
    expect(hit).to_be_visible()
    hit.locator("a").click()
    expect(page.locator("#exchange-title")).to_have_text("Besuch beim Gründerfonds")

    # assess hannoverimpuls for Emscher-Lippe and read the reasons
    page.click("#nav-network")
    page.locator("#initiative-list a", has_text=re.compile(r"^hannoverimpuls$")).click()
    expect(page.locator("#initiative-title")).to_have_text("hannoverimpuls")
    page.click("#assess-initiative")
    page.fill("#assess-target", "emscher-lippe")
    page.select_option("#answer-venture_capital", "no")
    page.select_option("#answer-research", "yes")
    page.click("#assess-submit")
    expect(page.locator("#assessment-title")).to_contain_text("hannoverimpuls")
    expect(page.locator("#assessment-target")).to_have_text("Emscher-Lippe")
    expect(page.locator("#component-structure")).to_contain_text("Strukturelle Ähnlichkeit")
    reasons = page.locator("#components td.reason")
    expect(reasons).to_have_count(4)
    for text in reasons.all_inner_texts():
        assert text.strip()
    expect(page.locator("#side-by-side tbody tr").first).to_be_visible()

    # the reasons in English, then the PDF export
    page.click("#lang-switch")
    expect(page.locator("#component-structure")).to_contain_text("Structural similarity")
    with page.expect_download(timeout=2 * TIMEOUT_MS) as download:
        page.click("#assessment-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
