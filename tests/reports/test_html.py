"""HTML report: self-contained, German numbers from the results, every cluster shown, escaped."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date

import pytest

from regiolens.analysis.results import RegionRef
from regiolens.reports.html import css_string, inline_svg, render_html, soft_hyphens
from tests.reports import sample

CREATED = date(2025, 3, 1)


@pytest.fixture(scope="module")
def german() -> str:
    return render_html(sample.profile(), "de", sample.lq_map(), created=CREATED)


@pytest.fixture(scope="module")
def english() -> str:
    return render_html(sample.profile(), "en", sample.lq_map(), created=CREATED)


def visible(document: str) -> str:
    """The text of the document outside the inline SVGs and the style element, spaces normalised."""
    body = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", document, flags=re.S)
    body = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00a0", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", body)


def test_every_industry_employment_in_german_format(german: str) -> None:
    text = visible(german)
    for row in sample.profile().industries:
        assert f"{row.label_de}" in text
    assert "45.678" in text and "6.789" in text and "987 *" in text  # small number marked
    assert "47.000" in text and "2.500" in text  # base year
    assert "1,25" in text and "1,20–1,30" in text and "13,1 %" not in text and "13,0 %" in text
    assert "+10.000" in text and "−2.622" in text and "−2,8 %" in text
    assert "350.000" in text and "35.000.000" in text and "0,991" in text


def test_english_report(english: str) -> None:
    text = visible(english)
    assert '<html lang="en">' in english
    assert "45,678" in text and "−2,622" in text and "1.25" in text and "Regional profile" in text
    assert "not resolvable" in text and "National share" in text and "Data vintage" in text


def test_title_vintage_sources_and_methods(german: str) -> None:
    text = visible(german)
    assert "Regionalprofil" in text and "Emscher-Lippe" in text
    assert "Referenz: Deutschland · 2018–2023 · Datenstand: Stichtag 30.06.2023" in text
    assert "05562, 05512, 05513" in text and "1. März 2025" in text
    assert "lq>=1.25 (Standortquotient mindestens 1,25)" in text
    assert "© Statistische Ämter des Bundes und der Länder, Deutschland, 2024" in text
    assert "© GeoBasis-DE / BKG 2024 (Daten verändert)" in text
    assert "LQ<sub>ri</sub> = (e<sub>ri</sub> / e<sub>r</sub>) / (E<sub>i</sub> / E)" in german
    assert "Konjunkturkomponente" in text and "Esteban-Marquillas" in text
    assert "Bergbau: Wert für Bottrop geschätzt." in text  # the profile's notes
    # the running footer names the data vintage on every page
    footer = re.search(r"@bottom-left \{ content: ([^;]*);", german)
    assert footer is not None and "Datenstand: Stichtag 30.06.2023" in footer.group(1)


def test_not_resolvable_cluster_is_shown_with_its_reason(german: str) -> None:
    text = visible(german)
    assert "Life Sciences" in text and "nicht auflösbar" in text
    assert sample.LIFE_SCIENCES.reason in text
    assert "Automotive" in text and "Näherung" in text and "3.456" in text
    assert re.search(r'<tr class="unresolved">\s*<td[^>]*>hannoverimpuls</td><td[^>]*>Life Sciences', german)


def test_charts_inline_and_nothing_fetched(german: str) -> None:
    assert german.count("<svg ") == 3  # map, portfolio, shift-share
    assert "Verarbeitendes Gewerbe" in german.split("<svg ")[1]
    without_namespaces = re.sub(r'xmlns(:\w+)?="[^"]*"', "", german)
    assert "http://" not in without_namespaces and "https://" not in without_namespaces
    assert "<script" not in german and "<link" not in german and "<img" not in german


def test_without_map_and_independent_of_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOLENS_LANG", "en")
    document = render_html(sample.profile(), "de", created=CREATED)
    assert document.count("<svg ") == 2
    assert "45.678" in visible(document)  # the report's language, not the environment's


def test_comparison_report() -> None:
    document = render_html(sample.comparison(), "de", created=CREATED)
    text = visible(document)
    assert "Regionalvergleich" in text and "Emscher-Lippe · Region Hannover" in text
    assert "Emscher-Lippe wuchs langsamer als die Region Hannover." in text
    assert "Gemeinsame Stärken: Verarbeitendes Gewerbe" in text  # codes shown by name
    assert "Information und Kommunikation ist nur in der Region Hannover stark." in text
    assert "−3,2 Pp." in text and "39 %" in text
    assert "61.000" in text and "27.000" in text  # Region Hannover's industries
    assert document.count("<svg ") == 1 + 2 * 2  # comparison chart, then portfolio and shift-share per region
    assert document.count('class="unresolved"') == 2  # Life Sciences in both regions


def test_names_are_escaped() -> None:
    evil = dataclasses.replace(sample.profile(), region=RegionRef("x", 'A & B <script>"', "group", []))
    document = render_html(evil, "de", created=CREATED)
    assert "<script>" not in document
    assert "A &amp; B &lt;script&gt;" in document
    assert css_string('a"b</style>') == '"a\\22 b\\3c /style\\3e "'


def test_helpers() -> None:
    assert soft_hyphens("Standortquotient") == "Standort\u00adquotient"
    assert soft_hyphens("Beschäftigte (Basisjahr)") == "Beschäftigte<br>(Basis\u00adjahr)"
    assert soft_hyphens("Anteil Referenz") == "Anteil Referenz"
    assert soft_hyphens("Employees") == "Employees"
    svg = inline_svg('<?xml version="1.0"?><svg a="1"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>', "c")
    assert svg.startswith('<svg role="img"') and 'id="c-clip1"' in svg and "url(#c-clip1)" in svg


def test_nan_is_shown_as_no_value() -> None:
    profile = sample.profile()
    ict = dataclasses.replace(profile.industries[1], lq=float("nan"), lq_low=float("nan"), growth=float("inf"))
    profile = dataclasses.replace(profile, industries=[profile.industries[0], ict, profile.industries[2]])
    text = visible(render_html(profile, "de", created=CREATED))
    assert "nan" not in text.lower() and "∞" not in text
    row = re.search(r"J Information und Kommunikation (.*?) B ", text)
    assert row is not None and "6.789" in row.group(1) and "–" in row.group(1)
