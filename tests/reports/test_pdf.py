"""PDF report: A4, opens, holds the key figures; nothing is fetched from outside."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from regiolens.reports import write_report
from regiolens.reports.pdf import OfflineFetcher, html_to_pdf
from tests.reports import sample

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
POPPLER = "poppler-utils (pdftotext, pdfinfo) not installed: apt-get install -y poppler-utils"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "emscher-lippe.pdf"
    assert write_report(sample.profile(), out, "de", sample.lq_map(), created=date(2025, 3, 1)) == out
    return out


def pdf_text(path: Path) -> str:
    result = subprocess.run([PDFTOTEXT or "pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").replace("\u00a0", " ")


def test_pdf_opens(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000


@pytest.mark.skipif(PDFINFO is None, reason=POPPLER)
def test_pdf_is_a4_with_several_pages(pdf: Path) -> None:
    info = subprocess.run([PDFINFO or "pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 8


@pytest.mark.skipif(PDFTOTEXT is None, reason=POPPLER)
def test_pdf_text_holds_key_figures(pdf: Path) -> None:
    text = pdf_text(pdf)
    for figure in ("350.000", "+10.000", "45.678", "6.789", "987 *", "−2.622", "0,991", "1,20–1,30"):
        assert figure in text, figure
    assert "Emscher-Lippe" in text and "nicht auflösbar" in text and "Life Sciences" in text
    assert "Datenstand: Stichtag 30.06.2023" in text
    assert "Seite 1 von" in text
    # chart texts are real text (inline SVG), not pictures
    assert "Branchenportfolio Emscher-Lippe" in text and "Konjunkturkomponente" in text


def test_remote_urls_are_refused(tmp_path: Path) -> None:
    fetcher = OfflineFetcher()
    html = (
        '<html><body><img src="https://example.invalid/logo.png"><img src="file:///etc/hostname">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p>ok</p></body></html>'
    )
    out = html_to_pdf(html, tmp_path / "x.pdf", fetcher)
    assert out.read_bytes().startswith(b"%PDF-")
    assert fetcher.refused == ["https://example.invalid/logo.png", "file:///etc/hostname"]
