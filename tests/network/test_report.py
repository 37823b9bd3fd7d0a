"""The assessment report: PDF, HTML and XLSX say what the result says, nothing computed on the way."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from regiolens.errors import RegiolensError
from regiolens.network.assessment import AssessmentResult, LessonNote
from regiolens.reports.assessment import render_assessment_html, write_assessment_report
from regiolens.reports.text import num


def test_html_shows_scores_reasons_and_the_unresolvable_clusters(result: AssessmentResult) -> None:
    html = render_assessment_html(result, "de", created=date(2026, 11, 28))
    assert "hannoverimpuls nach Emscher-Lippe" in html and "Gesamtscore" in html
    assert result.total is not None and num(result.total, "de", 2) in html
    assert "auf diesen Daten nicht auflösbar" in html and "Verarbeitendes Gewerbe (Abschnitt C, Näherung)" in html
    assert "Besuch bei hannoverimpuls" in html and "http" not in html.replace("http-equiv", "")
    english = render_assessment_html(result, "en")
    assert "Total score" in english and "not resolvable on these data" in english
    with pytest.raises(RegiolensError, match="language"):
        render_assessment_html(result, "fr")


def test_pdf_and_xlsx(result: AssessmentResult, tmp_path: Path) -> None:
    pdf = write_assessment_report(result, tmp_path / "bewertung.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Gesamtscore" in text and "Strukturelle Ähnlichkeit" in text
    book = load_workbook(write_assessment_report(result, tmp_path / "bewertung.xlsx", "en"))
    assert book.sheetnames[:3] == ["Components", "Structural similarity", "Focus clusters in the target"]
    components = list(book["Components"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in components] == pytest.approx([*(c.score for c in result.components), result.total])
    with pytest.raises(RegiolensError, match="cannot write"):
        write_assessment_report(result, tmp_path / "bewertung.docx")


def test_the_report_says_answers_outcomes_and_notes_in_its_language(result: AssessmentResult, tmp_path: Path) -> None:
    pdf = write_assessment_report(result, tmp_path / "bewertung.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert ": nein; Hochschulen und Forschungseinrichtungen: ja;" in text and ": no;" not in text
    assert result.notes_de[-1].split(";")[0] in text
    html = render_assessment_html(result, "de")
    answers = re.findall(r"<td class=\"\">(ja|nein|unbekannt|yes|no|unknown)</td>", html)
    assert sorted(set(answers)) == ["ja", "nein", "unbekannt"]
    english = render_assessment_html(result, "en")
    assert sorted(set(re.findall(r"<td class=\"\">(ja|nein|unbekannt|yes|no|unknown)</td>", english))) == [
        "no",
        "unknown",
        "yes",
    ]
    assert result.notes_en[-1].split(";")[0] in english and result.notes_de[-1].split(";")[0] not in english
    learned = result.model_copy(
        update={
            "lessons": [LessonNote(lesson_id=1, title="Fonds mit Co-Investoren", outcome="worked", preconditions="")]
        }
    )
    assert "Fonds mit Co-Investoren (hat funktioniert)" in render_assessment_html(learned, "de")
    assert "Fonds mit Co-Investoren (worked)" in render_assessment_html(learned, "en")
    book = load_workbook(write_assessment_report(result, tmp_path / "bewertung.xlsx", "de"))
    rows = list(book["Voraussetzungen"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows[:2]] == ["nein", "ja"]
