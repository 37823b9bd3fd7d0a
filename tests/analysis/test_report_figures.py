"""The PDF and XLSX reports open, and their figures equal those of the JSON output (one code path)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from regiolens.cli import app
from regiolens.i18n import format_number

LABEL_TO_FIELD = {
    "Beschäftigte": "employment",
    "Anteil": "share",
    "Standortquotient": "lq",
    "Wachstum": "growth",
    "Konjunkturkomponente": "national",
    "Strukturkomponente": "industry_mix",
    "Standortkomponente": "regional",
}


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def outputs(loaded_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, Path]:
    out = tmp_path_factory.mktemp("report")
    common = ["emscher-lippe", "--year", "2020", "--base-year", "2015", "-w", str(loaded_warehouse)]
    doc = json.loads(_invoke("compare", *common[:1], "region-hannover", *common[1:], "-f", "json"))
    pdf, xlsx = out / "r.pdf", out / "r.xlsx"
    _invoke("report", *common, "--compare", "region-hannover", "-o", str(pdf), "-o", str(xlsx))
    return doc, pdf, xlsx


def test_xlsx_figures_equal_json(outputs: tuple[dict, Path, Path]) -> None:
    doc, _, xlsx = outputs
    sheet = openpyxl.load_workbook(xlsx, read_only=True)["Branchen"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    col = {label: header.index(label) for label in LABEL_TO_FIELD}
    expected = {(p["region"]["ref"], r["code"]): r for p in doc["profiles"] for r in p["industries"]}
    assert len(rows) == len(expected) == 20
    for row in rows:
        want = expected[(row[0], row[2])]
        for label, field in LABEL_TO_FIELD.items():
            # Excel keeps 15 significant digits: equal up to that precision
            assert row[col[label]] == pytest.approx(want[field], rel=1e-14), (row[0], row[2], field)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_opens_and_shows_the_json_figures(outputs: tuple[dict, Path, Path]) -> None:
    doc, pdf, _ = outputs
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Emscher-Lippe" in text and "Region Hannover" in text
    for p in doc["profiles"]:
        for r in p["industries"]:
            assert format_number(r["employment"], locale="de_DE") in text, r["code"]
            assert format_number(r["lq"], 2, locale="de_DE") in text, r["code"]
    assert "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021" in text
