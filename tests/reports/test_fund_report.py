"""The fund report: PDF and workbook show the projection's own figures, in German and English."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from regiolens.errors import RegiolensError
from regiolens.fund.projection import Projection, project
from regiolens.fund.terms import load_plan
from regiolens.reports import text
from regiolens.reports.fund_report import write_fund_report

EXAMPLE = Path(__file__).parents[2] / "src/regiolens/fund/examples/emscher-lippe-seed.toml"


@pytest.fixture(scope="module")
def result() -> Projection:
    return project(load_plan(EXAMPLE), paths=1_000, seed=4)


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_shows_the_projection_figures(result: Projection, tmp_path: Path) -> None:
    words = " ".join(_pdf_text(write_fund_report(result, tmp_path / "fonds.pdf", "de")).split())
    fund = result.investor("fund")
    assert "Emscher-Lippe Seed-Fonds" in words
    loss = text.pct(fund.loss_probability, "de").replace("\xa0", " ")
    assert f"Wahrscheinlichkeit, Geld zu verlieren (TVPI < 1): {loss}" in words
    assert text.num(fund.tvpi.p50, "de", 2) in words
    assert "J-Kurve je Investorenklasse" in words and "Takahashi" in words
    assert "Correlation Ventures" in words  # the sources of the defaults are named


def test_english_pdf(result: Projection, tmp_path: Path) -> None:
    words = " ".join(_pdf_text(write_fund_report(result, tmp_path / "fund.pdf", "en")).split())
    assert "Probability of losing money" in words and "Leverage of public money" in words
    assert "Wahrscheinlichkeit" not in words


def test_workbook_holds_the_same_numbers(result: Projection, tmp_path: Path) -> None:
    book = load_workbook(write_fund_report(result, tmp_path / "fonds.xlsx", "de"))
    assert book.sheetnames == [
        "Bedingungen",
        "Investoren",
        "J-Kurve",
        "Ergebnisverteilung",
        "Takahashi-Alexander",
        "Wirkung",
        "Annahmen",
    ]
    sheet = book["Investoren"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    tvpi = next(r for r in rows if r["kind"] == "fund" and r["metric"] == "tvpi")
    assert tvpi["p50"] == pytest.approx(result.investor("fund").tvpi.p50)
    ta = book["Takahashi-Alexander"]
    assert ta.max_row == 1 + result.plan.takahashi.life_years


def test_unknown_suffix(result: Projection, tmp_path: Path) -> None:
    with pytest.raises(RegiolensError, match="fund report"):
        write_fund_report(result, tmp_path / "fonds.docx")
