"""The peers and opportunities pages of a report on the official data: PDF, HTML and workbook.

The results come from :func:`regiolens.analysis.peers.peers` and
:func:`regiolens.analysis.opportunities.opportunities` on the six GENESIS files; the reports must show
exactly their figures and texts, and a report without them must stay as it was.
"""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from regiolens.analysis.compare import compare
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers
from regiolens.analysis.profile import profile
from regiolens.analysis.results import Comparison, Opportunities, Peers, Profile, SourceRef
from regiolens.errors import RegiolensError
from regiolens.regions.resolve import resolve_region
from regiolens.reports import charts, render, write_report
from regiolens.reports.html import render_html
from regiolens.reports.xlsx import build_sheets
from regiolens.warehouse.store import Warehouse
from tests.reports.test_charts import svg_text, walk
from tests.reports.test_html import visible

CREATED = date(2025, 3, 1)
PDFTOTEXT = shutil.which("pdftotext")
POPPLER = "poppler-utils (pdftotext) not installed: apt-get install -y poppler-utils"


@dataclasses.dataclass(frozen=True)
class Results:
    profile: Profile
    comparison: Comparison
    peers: list[Peers]  # Emscher-Lippe, Region Hannover
    opportunities: list[Opportunities]


@pytest.fixture(scope="module")
def real(loaded_warehouse: Path) -> Results:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        selections = [resolve_region("emscher-lippe"), resolve_region("region-hannover")]
        return Results(
            profile=profile(wh, selections[0]),
            comparison=compare(wh, selections),
            peers=[peers(wh, s, 10) for s in selections],
            opportunities=[opportunities(wh, s) for s in selections],
        )


@pytest.fixture(scope="module")
def german(real: Results) -> str:
    return render_html(real.profile, "de", created=CREATED, peers=real.peers[:1], opportunities=real.opportunities[:1])


@pytest.fixture(scope="module")
def english(real: Results) -> str:
    return render_html(real.profile, "en", created=CREATED, peers=real.peers[:1], opportunities=real.opportunities[:1])


def squeeze(text: str) -> str:
    """Text without any white space: lines broken inside a table cell compare equal to the original."""
    return re.sub(r"\s+", "", text)


def between(text: str, start: str, end: str) -> str:
    assert start in text and end in text, (start, end)
    return text[text.index(start) : text.index(end, text.index(start))]


# ----------------------------------------------------------------------------------------------- HTML


def test_peers_page_names_the_ten_peers_with_shares_and_reasons(real: Results, german: str) -> None:
    el = real.peers[0]
    assert len(el.peers) == 10
    page = between(visible(german), "Vergleichsregionen: Emscher-Lippe", "Chancen und Risiken: Emscher-Lippe")
    assert (
        "Die 10 Kreise mit der geringsten Distanz zu Emscher-Lippe nach Branchenstruktur, Größe, Wachstum; "
        "Kandidaten in Deutschland; 2020, Basisjahr 2015. Gewichte: Branchenstruktur 1, Größe 1, Wachstum 1."
    ) in page
    assert "Anteil an der Distanz" in page
    for p in el.peers:
        assert f"{p.rank} {p.name} {p.code}" in page, p.name
        assert p.reason_de in page
        assert p.reason_en not in page
    first = el.peers[0]
    structure = sum(i.contribution for i in first.indicators if i.name.startswith("structure:"))
    size = next(i.contribution for i in first.indicators if i.name == "size")
    expected = f"{first.code} {first.distance:.3f} {structure:.0%} {size:.0%}".replace(".", ",").replace("%", " %")
    assert expected in page
    for note in el.notes:
        assert note in page


def test_peers_within_the_eu_of_a_single_year(real: Results) -> None:
    eu = dataclasses.replace(real.peers[0], within="eu", region_level="nuts3", year=2018, base_year=None)
    text = visible(render_html(real.profile, "de", created=CREATED, peers=[eu]))
    assert (
        "Die 10 NUTS-3-Regionen mit der geringsten Distanz zu Emscher-Lippe nach Branchenstruktur, Größe, Wachstum; "
        "Kandidaten in der EU (Eurostat, Erwerbstätige); 2018. Gewichte:"
    ) in text


def test_opportunities_page_eci_table_strengths_clusters_notes(real: Results, german: str) -> None:
    op = real.opportunities[0]
    text = visible(german)
    page = text[text.index("Chancen und Risiken: Emscher-Lippe") : text.index("Methoden")]
    eci = f"{op.eci:.2f}".replace(".", ",")
    assert f"Wirtschaftliche Komplexität der Region (ECI): +{eci}. Vergleichsmenge: die 401 Kreise, 2020" in page
    top = op.opportunities[0]
    assert top.rank == 1 and f"1 {top.label_de} " in page and top.reason_de in page
    assert top.reason_en not in page
    for o in op.opportunities:
        assert o.label_de in page and o.reason_de in page
    lq = f"{top.lq:.2f}".replace(".", ",")
    pci = f"{top.pci:+.2f}".replace(".", ",")
    assert f"1 {top.label_de} {lq} " in page and f" {pci} " in page
    # strengths: those at risk first and marked
    strengths = between(page, "Stärken (LQ ≥ 1) und ihre Risiken", "Cluster aus Sicht der Verwandtschaft")
    at_risk = [s for s in op.strengths if s.at_risk]
    stable = [s for s in op.strengths if not s.at_risk]
    assert at_risk and stable  # Emscher-Lippe has both
    positions = [strengths.index(f"{s.label_de} ") for s in [*at_risk, *stable]]
    assert positions == sorted(positions)
    assert f"gefährdet {at_risk[0].label_de}" in strengths and f"stabil {stable[0].label_de}" in strengths
    for s in op.strengths:
        assert s.reason_de in strengths
    # clusters: every one with its status, the unresolvable with their reason
    clusters = between(page, "Cluster aus Sicht der Verwandtschaft", "Hinweise")
    for c in op.clusters:
        assert c.name_de in clusters and c.reason_de in clusters  # the reason in German, not the CLI's English
        assert c.reason not in clusters
    assert "nicht auflösbar" in clusters and "not resolvable" not in clusters
    for note in op.notes:
        assert note in page
    assert german.count('class="at-risk"') == len(at_risk)


def test_pages_start_on_new_pages_and_have_their_methods_and_sources(german: str) -> None:
    assert re.search(r'<section class="page peers" id="r0-peers">\s*<h2>Vergleichsregionen: Emscher-Lippe', german)
    assert re.search(r'<section class="page opportunities" id="r0-opportunities">', german)
    assert re.search(r"section\.page \{\s*break-before: page;", german)
    methods = visible(german)[visible(german).index("Methoden") :]
    for title in ("Vergleichsregionen", "Verwandtschaft und Komplexität", "Chancen", "Gefährdete Stärken"):
        assert title in methods
    assert "Hidalgo et al. 2007" in methods and "Hausmann et al. 2014" in methods
    assert "Standortquotient unter 1" in methods and "mindestens 5 %" in methods and "Median" in methods
    assert "D = √(Σ<sub>k</sub> w<sub>k</sub>·d<sub>k</sub><sup>2</sup>)" in german
    # the page's chart: density against PCI, numbered, with source and vintage under it
    assert german.count("<svg ") == 3  # portfolio, shift-share, opportunities
    chart = german.split('aria-label="r0-opportunities"')[1].split("</svg>")[0]
    assert "Dichte (Verwandtschaft)" in chart and "Komplexität (PCI)" in chart
    assert "Quelle: © Statistische Ämter des Bundes und der Länder, Deutschland, 2021" in chart


def test_english_pages_show_the_english_reasons(real: Results, english: str) -> None:
    text = visible(english)
    assert "Peer regions: Emscher-Lippe" in text and "Opportunities and risks: Emscher-Lippe" in text
    assert (
        "The 10 districts nearest to Emscher-Lippe by industry structure, size, growth; candidates in Germany" in text
    )
    for p in real.peers[0].peers:
        assert p.reason_en in text and p.reason_de not in text
    for o in real.opportunities[0].opportunities:
        assert o.label_en in text and o.reason_en in text and o.reason_de not in text
    for s in real.opportunities[0].strengths:
        assert s.reason_en in text
    assert "Economic complexity of the region (ECI): +0.26" in text
    assert "Strengths at risk" in text and "Peer regions" in text.split("Methods")[-1]


def test_without_peers_and_opportunities_nothing_changes(real: Results) -> None:
    plain = render_html(real.profile, "de", created=CREATED)
    assert plain == render_html(real.profile, "de", created=CREATED, peers=(), opportunities=())
    text = visible(plain)
    for absent in ("Vergleichsregionen", "Chancen und Risiken", "Hidalgo", "ECI"):
        assert absent not in text
    assert 'class="page' not in plain and plain.count("<svg ") == 2
    names = [s.name for s in build_sheets(real.profile, "de", created=CREATED)]
    assert names == ["Überblick", "Branchen", "Shift-Share", "Cluster", "Spezialisierung", "Quellen", "Methoden"]


def test_only_one_page_each_and_sources_of_the_pages(real: Results) -> None:
    extra = SourceRef("eurostat:nama_10r_3empers", "Eurostat", "CC BY 4.0", "© Europäische Union, 2024", "2024-03-01")
    el_peers = dataclasses.replace(real.peers[0], sources=[*real.peers[0].sources, extra])
    document = render_html(real.profile, "de", created=CREATED, peers=[el_peers])
    text = visible(document)
    assert "Vergleichsregionen: Emscher-Lippe" in text and "Chancen und Risiken" not in text
    sources = text[text.index("Quellen und Namensnennung") :]
    assert "eurostat:nama_10r_3empers" in sources and "© Europäische Union, 2024" in sources
    assert "Vergleichsregionen" in text.split("Methoden")[-1] and "Gefährdete Stärken" not in text
    document = render_html(real.profile, "de", created=CREATED, opportunities=real.opportunities[:1])
    assert "Chancen und Risiken: Emscher-Lippe" in visible(document) and "Vergleichsregionen" not in document


def test_comparison_pages_follow_their_region_in_any_order(real: Results) -> None:
    document = render_html(
        real.comparison,
        "en",
        created=CREATED,
        peers=list(reversed(real.peers)),  # any order: matched by region
        opportunities=real.opportunities,
    )
    text = visible(document)
    order = [
        "Key figures",
        "Peer regions: Emscher-Lippe",
        "Opportunities and risks: Emscher-Lippe",
        "Region Hannover Key figures",
        "Peer regions: Region Hannover",
        "Opportunities and risks: Region Hannover",
        "Methods",
    ]
    positions = [text.index(o) for o in order]
    assert positions == sorted(positions)
    hannover = text[positions[4] : positions[5]]
    assert all(p.name in hannover for p in real.peers[1].peers)
    assert document.count("<svg ") == 1 + 2 * 3


def test_results_of_other_regions_are_refused(real: Results, tmp_path: Path) -> None:
    with pytest.raises(RegiolensError, match="peers of 'region-hannover' given, but the report profiles"):
        write_report(real.profile, tmp_path / "p.html", peers=real.peers)
    with pytest.raises(RegiolensError, match="given twice"):
        write_report(real.profile, tmp_path / "p.html", opportunities=real.opportunities[:1] * 2)
    with pytest.raises(RegiolensError, match="must be Peers results"):
        write_report(real.profile, tmp_path / "p.html", peers=real.opportunities[:1])  # type: ignore[arg-type]
    assert not (tmp_path / "p.html").exists()


# ----------------------------------------------------------------------------------------------- chart


def test_opportunity_chart_plots_the_results(real: Results) -> None:
    op = real.opportunities[0]
    spec = charts.opportunity_chart(op, "de")
    data = next(v for k, v in walk(spec) if k == "values" and isinstance(v, list))
    assert [(d["rank"], d["code"], d["density"], d["pci"], d["score"]) for d in data] == [
        (o.rank, o.code, o.density, o.pci, o.score) for o in op.opportunities
    ]
    assert all("url" not in k for k, _ in walk(spec))
    text = svg_text(render.to_svg(spec, lang="de"))
    assert "Referenz: 401 Kreise · 2020, Basisjahr 2015" in text
    assert f"1 {op.opportunities[0].label_de}" in text  # the key under the chart
    assert "Datenstand: 17.08.2021" in text
    assert "Quelle: © Statistische Ämter des Bundes und der Länder, Deutschland, 2021" in text
    english = svg_text(render.to_svg(charts.opportunity_chart(op, "en"), lang="en"))
    assert "Reference: 401 districts · 2020, base year 2015" in english and "Density (relatedness)" in english


def test_opportunity_chart_names_what_it_cannot_place(real: Results) -> None:
    op = real.opportunities[0]
    no_pci = dataclasses.replace(op.opportunities[1], pci=None)
    spec = charts.opportunity_chart(dataclasses.replace(op, opportunities=[op.opportunities[0], no_pci]), "en")
    data = next(v for k, v in walk(spec) if k == "values" and isinstance(v, list))
    assert [d["code"] for d in data] == [op.opportunities[0].code]
    assert f"Not shown (values missing or suppressed): {no_pci.label_en}" in str(spec)


# ----------------------------------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def pdf_text(real: Results, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of every page of the German PDF, in the order the PDF draws it (``pdftotext -raw``)."""
    out = tmp_path_factory.mktemp("pdf") / "emscher-lippe.pdf"
    write_report(real.profile, out, "de", created=CREATED, peers=real.peers[:1], opportunities=real.opportunities[:1])
    raw = subprocess.run([PDFTOTEXT or "pdftotext", "-raw", str(out), "-"], capture_output=True, check=True)
    pages = raw.stdout.decode("utf-8").replace("\u00a0", " ").split("\f")
    # WeasyPrint hyphenates table cells with U+2010: join those lines again
    return [page.replace("\u2010\n", "") for page in pages]


@pytest.mark.skipif(PDFTOTEXT is None, reason=POPPLER)
def test_pdf_peers_page_with_ten_names(real: Results, pdf_text: list[str]) -> None:
    start = next(i for i, page in enumerate(pdf_text) if page.startswith("Vergleichsregionen: Emscher-Lippe"))
    end = next(i for i, page in enumerate(pdf_text) if page.startswith("Chancen und Risiken: Emscher-Lippe"))
    assert start < end  # each starts a page of its own
    pages = squeeze(" ".join(pdf_text[start:end]))
    for p in real.peers[0].peers:
        assert squeeze(f"{p.rank} {p.name} {p.code}") in pages, p.name
        assert squeeze(p.reason_de) in pages, p.name


@pytest.mark.skipif(PDFTOTEXT is None, reason=POPPLER)
def test_pdf_opportunities_page_with_the_top_opportunity(real: Results, pdf_text: list[str]) -> None:
    start = next(i for i, page in enumerate(pdf_text) if page.startswith("Chancen und Risiken: Emscher-Lippe"))
    text = squeeze(" ".join(pdf_text[start:]))
    top = real.opportunities[0].opportunities[0]
    assert squeeze(f"1 {top.label_de}") in text
    assert squeeze(top.reason_de) in text
    assert squeeze("Wirtschaftliche Komplexität der Region (ECI): +0,26") in text
    assert squeeze("Stärken (LQ ≥ 1) und ihre Risiken") in text and "gefährdet" in text
    assert squeeze("Hidalgo et al. 2007") in text and squeeze("Hausmann et al. 2014") in text


# ----------------------------------------------------------------------------------------------- workbook


def rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def same(cell: Any, value: Any) -> bool:
    """A cell holds the value: exactly, numbers to the 15 significant digits Excel keeps."""
    if isinstance(value, float) and not isinstance(cell, bool) and isinstance(cell, int | float):
        return cell == pytest.approx(value, rel=1e-14, abs=1e-300)
    return bool(cell == value)


@pytest.fixture(scope="module")
def book(real: Results, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("xlsx") / "vergleich.xlsx"
    write_report(real.comparison, out, "de", created=CREATED, peers=real.peers, opportunities=real.opportunities)
    return openpyxl.load_workbook(out)


def test_workbook_sheets(book: Any) -> None:
    assert book.sheetnames == [
        "Überblick",
        "Branchen",
        "Shift-Share",
        "Cluster",
        "Spezialisierung",
        "Vergleich",
        "Wachstumsunterschiede",
        "Zusammenfassung",
        "Vergleichsregionen",
        "Chancen",
        "Stärken",
        "Clusterausblick",
        "Quellen",
        "Methoden",
    ]
    methods = [r[0] for r in book["Methoden"].iter_rows(values_only=True)]
    assert "Vergleichsregionen" in methods and "Gefährdete Stärken" in methods


def test_workbook_peers_equal_the_results(real: Results, book: Any) -> None:
    ws = book["Vergleichsregionen"]
    found = rows(ws)
    expected = [(p, peer) for p in real.peers for peer in p.peers]
    assert len(found) == len(expected) == 20
    for row, (p, peer) in zip(found, expected, strict=True):
        assert row["Regionskennung"] == p.region.ref and row["Region"] == p.region.name
        assert (row["Rang"], row["Code"], row["Name"]) == (peer.rank, peer.code, peer.name)
        assert same(row["Distanz"], peer.distance)
        for k, name in (("structure", "Branchenstruktur"), ("size", "Größe"), ("growth", "Wachstum")):
            share = math.fsum(i.contribution for i in peer.indicators if i.name.split(":")[0] == k)
            assert same(row[f"Anteil an der Distanz: {name}"], share)
        assert row["Begründung"] == peer.reason_de
        assert (row["Jahr"], row["Basisjahr"], row["Ebene"]) == (p.year, p.base_year, p.region_level)
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("Distanz") + 1).number_format == "0.000"
    assert ws.cell(2, header.index("Anteil an der Distanz: Größe") + 1).number_format == "0.0%"
    assert ws.cell(2, header.index("Distanz") + 1).data_type == "n"


def test_workbook_opportunities_equal_the_results(real: Results, book: Any) -> None:
    found = rows(book["Chancen"])
    expected = [(o, x) for o in real.opportunities for x in o.opportunities]
    assert len(found) == len(expected) > 0
    fields = {
        "Rang": "rank",
        "Code": "code",
        "Branche (deutsch)": "label_de",
        "Branche (englisch)": "label_en",
        "Beschäftigte": "employment",
        "Standortquotient": "lq",
        "Dichte": "density",
        "Dichte-Perzentil": "density_percentile",
        "Komplexität (PCI)": "pci",
        "Wachstum bundesweit": "national_growth",
        "Opportunity Gain": "opportunity_gain",
        "Score": "score",
        "Begründung": "reason_de",
    }
    for row, (o, x) in zip(found, expected, strict=True):
        assert row["Regionskennung"] == o.region.ref and same(row["Komplexität der Region (ECI)"], o.eci)
        for title, key in fields.items():
            assert same(row[title], getattr(x, key)), (x.code, key)
        for k, title in (("density", "Verwandtschaft"), ("complexity", "Komplexität"), ("growth", "Wachstum")):
            assert same(row[f"Beitrag {title}"], x.contributions[k])
    ws = book["Chancen"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("Dichte-Perzentil") + 1).number_format == "0.0%"
    assert ws.cell(2, header.index("Standortquotient") + 1).number_format == "0.00"


def test_workbook_strengths_and_cluster_outlook_equal_the_results(real: Results, book: Any) -> None:
    found = rows(book["Stärken"])
    expected = [(o, s) for o in real.opportunities for s in sorted(o.strengths, key=lambda s: not s.at_risk)]
    assert len(found) == len(expected)
    for row, (o, s) in zip(found, expected, strict=True):
        assert row["Regionskennung"] == o.region.ref and row["Code"] == s.code
        assert same(row["Standortquotient"], s.lq) and same(row["Standortquotient Basisjahr"], s.lq_base)
        assert same(row["Dichte"], s.density) and same(row["Median-Dichte der Spezialisierten"], s.density_median)
        assert (row["Rückläufig"], row["Schwach eingebettet"], row["Gefährdet"]) == (
            s.declining,
            s.weakly_related,
            s.at_risk,
        )
        assert row["Begründung"] == s.reason_de
    clusters = rows(book["Clusterausblick"])
    expected_clusters = [(o, c) for o in real.opportunities for c in o.clusters]
    assert len(clusters) == len(expected_clusters)
    figures = (("Standortquotient", "lq"), ("Dichte", "density"), ("Wachstum bundesweit", "national_growth"))
    for row, (o, c) in zip(clusters, expected_clusters, strict=True):
        assert (row["Regionskennung"], row["Cluster"], row["Begründung"]) == (o.region.ref, c.cluster, c.reason)
        for title, key in figures:
            assert same(row[title], getattr(c, key))
        assert (
            row["Status"]
            == {"not_resolvable": "nicht auflösbar", "exact": "exakt", "approximation": "Näherung"}[c.status]
        )
