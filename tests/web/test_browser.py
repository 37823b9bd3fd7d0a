"""Browser tests: the real app, served by uvicorn on a free loopback port, driven by Playwright in Debian's Chromium.

The journeys of an analyst in the browser: log in, open the Emscher-Lippe profile, switch to English, compare
with Region Hannover, download the CSV behind a chart and the PDF report; an editor uploads a broken file and
sees which file, line and field are wrong. Every test waits on elements (Playwright's auto-waiting ``expect``),
never on a fixed sleep.

The app runs in a thread of the test process on a copy of the ``loaded_warehouse`` fixture (plus the Kreis
boundaries, for the map) with a fresh SQLite app database (the users of :mod:`tests.web.app_support`, created
through :mod:`regiolens.web.accounts`). Chromium is Debian's (``make test`` installs the package ``chromium``);
Playwright never downloads a browser. Without Chromium the tests are skipped, except on CI, where they fail.

One more test sends forty logins at once to the live server (no browser): the app database must take them.

Screenshots of the main pages are written to ``var/screenshots/`` (git-ignored; ``REGIOLENS_SCREENSHOTS``
chooses another folder) for review.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from regiolens.analysis.profile import profile
from regiolens.analysis.results import Profile
from regiolens.regions.resolve import resolve_region
from regiolens.reports.text import num
from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.db import Role, session_factory
from tests.conftest import SHARED_DATA
from tests.web.app_support import EDITOR, PASSWORD, VIEWER, World, build_app, serve_in_thread

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
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("REGIOLENS_SCREENSHOTS") or ROOT / "var" / "screenshots")
BOUNDARIES = SHARED_DATA / "de" / "geo_bkg_vg5000_2021" / "Ebene_Kreise_vg5000_2021.geojson"
TIMEOUT_MS = 90_000
"""How long an element or a download may take: a first profile, map or PDF on a busy 2-core machine."""

expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class Live:
    """The app served on ``url``; ``expected`` is the Emscher-Lippe profile computed by the analysis itself."""

    url: str
    world: World
    expected: Profile


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs the Debian package chromium")
    pytest.skip(f"{CHROMIUM} is missing (`make test` installs the Debian package chromium)")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> Iterator[Live]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    warehouse = tmp / "warehouse.duckdb"
    shutil.copy(loaded_warehouse, warehouse)  # uploads write to it; the shared fixture stays untouched
    if BOUNDARIES.exists():
        with Warehouse.open(warehouse) as wh:
            wh.import_files([BOUNDARIES])
    with Warehouse.open(warehouse, read_only=True) as wh:
        expected = profile(wh, resolve_region("emscher-lippe"))
    world = build_app(tmp, warehouse)

    with serve_in_thread(world.app) as url:
        yield Live(url, world, expected)


@pytest.fixture(scope="module")
def browser(live: Live) -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live: Live) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live app; script errors on any page fail the test."""
    context = browser.new_context(
        base_url=live.url,
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        timezone_id="Europe/Berlin",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    # Chromium reports answers with 4xx as "Failed to load resource"; those are expected where a test provokes them.
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


def log_in(page: Page, email: str, path: str) -> None:
    """Open ``path``, get sent to the login form, log in there and land on ``path``."""
    page.goto(path)
    expect(page.locator("#login-form")).to_be_visible()
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page).not_to_have_url(re.compile(r"/login"))


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def industry_row(page: Page, table: str, code: str) -> Locator:
    code_cell = page.locator("td.code", has_text=re.compile(rf"^\s*{re.escape(code)}\s*$"))
    return page.locator(f"#{table} tbody tr").filter(has=code_cell)


def test_log_in_and_read_the_profile_in_german_then_in_english(page: Page, live: Live) -> None:
    expected = live.expected
    page.goto("/regions/emscher-lippe")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    screenshot(page, "login")
    page.fill("#email", VIEWER)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")

    # back on the profile, in German: words, decimal comma and thousands dot
    expect(page).to_have_url(re.compile(r"/regions/emscher-lippe$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#profile-title")).to_have_text("Wie steht Emscher-Lippe da?")
    expect(page.locator("#section-portfolio figcaption")).to_contain_text("Referenzgebiet")
    total = expected.total_employment
    assert total >= 1000  # so that it shows a thousands separator
    expect(page.locator("#key-figures")).to_contain_text(num(total, "de", 0))
    rows = [r for r in expected.industries if r.lq is not None and not math.isnan(r.lq)]
    assert rows
    for r in rows[:3]:
        expect(industry_row(page, "structure-table", r.code)).to_contain_text(num(r.lq, "de", 2))
    expect(page.locator("#chart-portfolio svg")).to_be_visible()
    # no English left on the German page: captions, how-to-read texts, cluster reasons
    for english in ("Reference", "How to read", "not resolvable", "the data hold"):
        expect(page.locator("#profile")).not_to_contain_text(english)
    expect(page.locator("#clusters-table")).to_contain_text("nicht auflösbar")
    screenshot(page, "profile")
    chart = page.locator("#chart-portfolio svg")
    chart.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / "portfolio-chart.png"))
    assert (chart.bounding_box() or {"width": 0})["width"] >= 700  # plot and legends side by side, readable

    # the switch to English keeps the page and changes words and number format
    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/regions/emscher-lippe\?lang=en$"))
    expect(page.locator("#profile-title")).to_have_text("How does Emscher-Lippe stand?")
    expect(page.locator("#section-portfolio figcaption")).to_contain_text("Reference area")
    expect(page.locator("#key-figures")).to_contain_text(num(total, "en", 0))
    for r in rows[:3]:
        expect(industry_row(page, "structure-table", r.code)).to_contain_text(num(r.lq, "en", 2))
    screenshot(page, "profile-en")

    # the settings form (HTMX, with the state in the URL): another base year, and the downloads follow it
    base_year = expected.base_year + 1
    page.select_option("#profile-base-year", str(base_year))
    page.click("#profile-apply")
    expect(page).to_have_url(re.compile(rf"base_year={base_year}"))
    expect(page.locator("#download-industries-csv")).to_have_attribute("href", re.compile(rf"base_year={base_year}"))
    expect(page.locator("#profile-title")).to_have_text("How does Emscher-Lippe stand?")


def test_compare_emscher_lippe_with_region_hannover(page: Page, live: Live) -> None:
    log_in(page, VIEWER, "/regions/emscher-lippe?lang=en")
    expect(page.locator("#profile-title")).to_have_text("How does Emscher-Lippe stand?")
    page.click("#link-compare")
    expect(page).to_have_url(re.compile(r"/compare\?regions=emscher-lippe&regions=region-hannover"))
    expect(page.locator("#compare-title")).to_have_text("How do the regions differ?")
    expect(page.locator("#comparison")).to_have_attribute("data-regions", "emscher-lippe,region-hannover")
    expect(page.locator("#h-profile-1")).to_have_text("Emscher-Lippe")
    expect(page.locator("#h-profile-2")).to_have_text("Region Hannover")
    expect(page.locator("#chart-compare svg")).to_be_visible()
    expect(page.locator("#differences-table tbody tr").first).to_be_visible()
    expect(page.locator("#compare-summary li").first).to_be_visible()
    screenshot(page, "compare")


def test_download_the_csv_behind_a_chart_and_the_pdf_report(page: Page, live: Live) -> None:
    expected = live.expected
    log_in(page, VIEWER, "/regions/emscher-lippe")

    with page.expect_download() as csv_download:
        page.click("#download-industries-csv")
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == [r.code for r in expected.industries]
    for got, want in zip(rows, expected.industries, strict=True):
        for column in ("employment", "lq", "growth", "regional"):
            value = getattr(want, column)
            if value is None or math.isnan(value):
                assert got[column] == ""
            else:
                assert float(got[column]) == value, (want.code, column)

    with page.expect_download(timeout=2 * TIMEOUT_MS) as pdf_download:
        page.click("#download-report-pdf")
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    pdf = Path(pdf_download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF-")
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Emscher-Lippe" in words


def test_a_refused_choice_is_shown_when_htmx_sends_it(page: Page, live: Live) -> None:
    """A 422 answer to an HTMX request replaces the page's main part like any answer (htmx 2 would drop it): the
    map of a cluster the data cannot resolve says why instead of leaving the old map."""
    log_in(page, VIEWER, "/map")
    expect(page.locator("#map-form")).to_be_visible()
    page.evaluate(
        "htmx.ajax('GET', '/map?taxonomy=hannoverimpuls&cluster=automotive',"
        " {target: '#main', select: '#main', swap: 'outerHTML'})"
    )
    expect(page.locator("#map-unusable")).to_contain_text("Automobilwirtschaft")


def test_an_editor_uploads_a_broken_file_and_sees_file_line_and_field(
    page: Page, live: Live, genesis_files: list[Path]
) -> None:
    log_in(page, EDITOR, "/data")
    content = genesis_files[0].read_bytes()
    truncated = content[: len(content) // 2]
    name = "13111-07-05-4_2015_abgeschnitten.csv"
    page.set_input_files("#upload-files", files=[{"name": name, "mimeType": "text/csv", "buffer": truncated}])
    page.click("#upload-submit")
    expect(page.locator("#upload-error")).to_be_visible()
    expect(page.locator("#upload-error h2")).to_have_text("Import abgelehnt – nichts wurde geändert")
    expect(page.locator("#upload-error-file")).to_have_text(name)
    expect(page.locator("#upload-error-line")).to_have_text(str(truncated.count(b"\n") + 1))
    expect(page.locator("#upload-error-field")).to_have_text("Wirtschaftszweig")
    expect(page.locator("#upload-error-message")).to_contain_text("die Datei endet in dieser Zeile – abgeschnitten?")
    sources = len(genesis_files) + BOUNDARIES.exists()  # nothing was added
    expect(page.locator("#sources-table tbody tr")).to_have_count(sources)
    screenshot(page, "data-upload-error")


PAGES = [
    ("home", "/", "#journeys li"),
    ("peers", "/regions/emscher-lippe/peers", "#peers-table tbody tr"),
    ("opportunities", "/regions/emscher-lippe/opportunities", "#opportunities-table tbody tr"),
    ("map", "/map", "#chart-map:has-text('Referenz: Deutschland')"),
    ("data", "/data", "#sources-table tbody tr"),
    ("clusters", "/clusters", "#builtin-taxonomies tbody tr"),
    ("api-docs", "/api/docs", ".swagger-ui .info .title"),
]


@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_screenshots_of_the_main_pages(page: Page, live: Live, name: str, path: str, ready: str) -> None:
    """Each page renders its main content without script errors; its screenshot is kept for review.

    (The login, profile and compare pages are photographed in the tests above.)
    """
    log_in(page, VIEWER, path)
    expect(page.locator(ready).first).to_be_visible()
    screenshot(page, name)


PEOPLE = 40


def test_forty_people_log_in_at_once(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    """Concurrent logins on the SQLite app database, with the production argon2 parameters.

    The login once wrote its attempt before checking the password, holding SQLite's write lock over the argon2
    hash; forty logins at once then waited on each other until "database is locked" (a server error).
    """
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())
    with session_factory(live.world.app.state.engine).begin() as s:
        accounts.create_user(s, "crowd@herten.de", "Crowd", PASSWORD, "herten", Role.viewer)

    def log_in_once(_: int) -> int:
        with httpx.Client(base_url=live.url, timeout=120) as client:
            form = client.get("/login").text
            match = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert match
            data = {"email": "crowd@herten.de", "password": PASSWORD, "csrf_token": match.group(1), "next": "/"}
            return client.post("/login", data=data).status_code

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = list(pool.map(log_in_once, range(PEOPLE)))
    assert statuses == [303] * PEOPLE
