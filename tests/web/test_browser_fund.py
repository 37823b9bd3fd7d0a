"""Browser test of the fund planner: the journey of issue 7, in Debian's Chromium driven by Playwright.

An editor of Herten creates a plan from the example (after seeing the editor name the line and field of a mistake),
runs the projection with a few paths, reads the J-curve and the outcome distribution and the probability of losing
money — the same figures the library computes for the same paths and seed — downloads the data behind the J-curve,
adds a deal outside the mandate (retail trade, WZ 47.11) and one outside the region and reads why they fail, then
moves a deal on the pipeline board. The browser and page fixtures are those of :mod:`tests.web.test_browser_network`
(Debian's Chromium; script errors fail the test) on the app served here (uvicorn on a free loopback port, a fresh
SQLite app database); without Chromium the test is skipped, except on CI, where it fails. Screenshots go to
``var/screenshots/fund-*.png``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from regiolens.fund.projection import project
from regiolens.fund.terms import parse_plan
from regiolens.reports.text import pct
from regiolens.web.routes.fund import EXAMPLE_PLAN
from tests.web import test_browser_network as network_journey
from tests.web.app_support import EDITOR, build_app, serve_in_thread
from tests.web.test_browser import TIMEOUT_MS, _require_chromium, log_in, screenshot

PATHS, SEED = 500, 7
"""A small projection: the browser journey checks the page, not the simulation's convergence."""

expect.set_options(timeout=TIMEOUT_MS)

browser = network_journey.browser
"""Chromium for the module, on this module's ``live_url`` (the fixture of the knowledge-base journey)."""
page = network_journey.page
"""A fresh browser context per test whose script errors fail the test (the same fixture)."""


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> Iterator[str]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("browser-fund")
    warehouse = tmp / "warehouse.duckdb"
    shutil.copy(loaded_warehouse, warehouse)
    world = build_app(tmp, warehouse)
    with serve_in_thread(world.app) as url:
        yield url


def add_deal(page: Page, company: str, code: str, region: str) -> None:
    """Fill the deal form from the pipeline board and save; ends on the deal's page."""
    page.click("#plan-nav-pipeline")
    page.click("#add-deal")
    page.fill("#deal-company", company)
    page.fill("#deal-code", code)
    page.fill("#deal-region", region)
    page.select_option("#deal-stage", "seed")
    page.fill("#deal-amount", "400000")
    page.fill("#deal-round_date", "2026-09-01")
    page.click("#deal-submit")
    expect(page.locator("#deal-title")).to_have_text(company)


def test_plan_projection_and_a_deal_outside_the_mandate(page: Page) -> None:
    example = EXAMPLE_PLAN.read_text(encoding="utf-8")
    log_in(page, EDITOR, "/fund")
    expect(page.locator("#fund-title")).to_be_visible()

    # the editor starts from the example; a wrong size is named by line and field, nothing is saved
    page.click("#new-plan")
    expect(page.locator("#plan-source")).to_have_value(example)
    page.fill("#plan-key", "seedfonds")
    page.fill("#plan-source", example.replace("size = 50_000_000", "size = 40_000_000"))
    page.click("#plan-submit")
    expect(page.locator("#plan-error")).to_be_visible()
    size_line = next(i for i, line in enumerate(example.splitlines(), 1) if line.startswith("size ="))
    expect(page.locator("#plan-error-line")).to_have_text(str(size_line))
    expect(page.locator("#plan-error-field")).to_have_text("size")
    expect(page.locator("#plan-error-message")).to_contain_text("Summe der Zusagen")
    screenshot(page, "fund-editor-error")

    # the example as it is: saved as version 1
    page.fill("#plan-source", example)
    page.click("#plan-submit")
    expect(page.locator("#plan-title")).to_have_text("Emscher-Lippe Seed-Fonds")
    expect(page.locator("#saved-notice")).to_be_visible()
    expect(page.locator("#figure-size")).to_have_text("50.000.000\u00a0€")
    expect(page.locator("#plan-mandate")).to_contain_text("Emscher-Lippe")
    screenshot(page, "fund-plan")

    # the projection with few paths: the settings live in the URL
    page.click("#open-projection")
    expect(page.locator("#projection")).to_be_visible()
    page.fill("#projection-paths", str(PATHS))
    page.fill("#projection-seed", str(SEED))
    page.click("#projection-run")
    expect(page).to_have_url(re.compile(rf"paths={PATHS}&seed={SEED}"))
    expect(page.locator("#projection")).to_have_attribute("data-paths", str(PATHS))

    # read the J-curve and the outcome distribution, and the probability of losing money of the public side
    expected = project(parse_plan(example), paths=PATHS, seed=SEED)
    public = expected.investors[0]
    j_curve = page.locator("#chart-j-curve svg")
    expect(j_curve).to_be_visible()
    expect(j_curve).to_have_attribute("aria-label", re.compile("J-Kurve"))
    outcomes = page.locator("#chart-outcomes svg")
    expect(outcomes).to_be_visible()
    expect(outcomes).to_have_attribute("aria-label", re.compile("Verteilung der Ergebnisse"))
    expect(page.locator("#investor-1 h3")).to_contain_text(public.name)
    expect(page.locator("#loss-1")).to_contain_text(pct(public.loss_probability, "de"))
    expect(page.locator("#investor-table-1")).to_contain_text("TVPI")
    expect(page.locator("#section-takahashi svg")).to_be_visible()
    page.click("#read-j-curve summary")
    expect(page.locator("#read-j-curve p")).to_be_visible()
    screenshot(page, "fund-projection")

    with page.expect_download() as download:
        page.click("#download-j-curve-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == len(expected.investors) * len(expected.dates)
    first = next(r for r in rows if r["investor"] == public.name and r["quarter"] == "0")
    assert float(first["p50"]) == pytest.approx(public.j_curve.p50[0])

    # a retail shop is in none of the mandate's clusters
    add_deal(page, "Kaufhaus Muster", "47.11", "05562004")
    expect(page.locator("#deal-verdict")).to_contain_text("nicht förderfähig")
    expect(page.locator("#rule-cluster")).to_have_attribute("data-passed", "false")
    expect(page.locator("#rule-cluster .reason")).to_contain_text("47.11 ist in keinem Cluster des Mandats")
    expect(page.locator("#rule-region")).to_have_attribute("data-passed", "true")
    screenshot(page, "fund-deal")
    page.click("#lang-switch")
    expect(page.locator("#rule-cluster .reason")).to_contain_text("is in none of the mandate's clusters")
    page.click("#lang-switch")

    # a software company in Cologne is outside the region
    add_deal(page, "Software Köln", "62.01", "05315000")
    expect(page.locator("#rule-region")).to_have_attribute("data-passed", "false")
    expect(page.locator("#rule-region .reason")).to_contain_text("außerhalb der Region Emscher-Lippe")
    expect(page.locator("#rule-cluster")).to_have_attribute("data-passed", "true")

    # the board names the reasons and moves a deal in place
    page.click("#plan-nav-pipeline")
    card = page.locator(".deal-card", has_text="Kaufhaus Muster")
    expect(card.locator(".failed-rules")).to_contain_text("47.11")
    expect(page.locator("#column-screening-total")).to_have_attribute("data-deals", "2")
    card.locator("select").select_option("due_diligence")
    card.locator("button").click()
    expect(page.locator("#column-due_diligence .deal-card", has_text="Kaufhaus Muster")).to_be_visible()
    expect(page.locator("#column-due_diligence-total")).to_have_attribute("data-amount", "400000")
    expect(page.locator("#column-screening-total")).to_have_attribute("data-deals", "1")
    screenshot(page, "fund-pipeline")
