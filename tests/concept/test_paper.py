"""The concept paper on the official data: a concept for Emscher-Lippe with three focus clusters, two instruments
(one assessed, with a lesson) and the example fund plan, written as DOCX and PDF; the figures in both are the
library's figures, and each focus cluster has its map (the BKG Kreis boundaries imported beside the statistics)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.analysis.profile import profile
from regiolens.clusters.stored import org_taxonomy
from regiolens.concept import records
from regiolens.concept.content import BudgetRow, ConceptContent, FocusCluster, FundPlanLink, Instrument, Milestone
from regiolens.concept.scorecard import Scorecard, ScorecardRow, scorecard
from regiolens.errors import RegiolensError
from regiolens.fund.demo import PLAN_FILE
from regiolens.fund.projection import project
from regiolens.fund.records import save_plan
from regiolens.fund.terms import load_plan
from regiolens.network import examples
from regiolens.network.assessment import assess
from regiolens.network.inputs import InitiativeIn, LessonIn
from regiolens.network.models import Outcome
from regiolens.network.records import create_initiative, create_lesson
from regiolens.regions.resolve import resolve_region
from regiolens.reports import text
from regiolens.reports.concept_paper import (
    PAPER_PEERS,
    Figure,
    Paper,
    Paragraph,
    focus_maps,
    gather_paper,
    paper_blocks,
    render_concept_html,
    write_concept_paper,
)
from regiolens.reports.pdf import html_to_pdf
from regiolens.warehouse.store import Warehouse
from regiolens.web.db import Organisation, Taxonomy, Visibility
from tests.conftest import SHARED_DATA
from tests.network import conftest as network
from tests.network.conftest import People

database_url, engine, session, fast_password_hashing, people = (
    network.database_url,
    network.engine,
    network.session,
    network.fast_password_hashing,
    network.people,
)

HEADINGS_DE = [
    "Zusammenfassung",
    "Regionalprofil",
    "Fokuscluster",
    "Instrumente",
    "Fonds: Kennzahlen",
    "Organisation",
    "Methodische Hinweise",
    "Daten und Quellen",
]
HEADINGS_EN = [
    "Summary",
    "Regional profile",
    "Focus clusters",
    "Instruments",
    "Fund: key figures",
    "Organisation",
    "Method notes",
    "Data and sources",
]


BKG_KREISE = SHARED_DATA / "de" / "geo_bkg_vg5000_2021" / "Ebene_Kreise_vg5000_2021.geojson"
EMSCHER_LIPPE = ["05512", "05513", "05562"]
GEOMETRY_ATTRIBUTION = "© GeoBasis-DE / BKG 2021"


@pytest.fixture(scope="module")
def mapped_warehouse(loaded_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The official data and the BKG Kreis boundaries (VG5000, 2021): what the maps need."""
    path = tmp_path_factory.mktemp("wh-maps") / "warehouse.duckdb"
    shutil.copyfile(loaded_warehouse, path)
    with Warehouse.open(path) as opened:
        opened.import_files([BKG_KREISE])
    return path


@pytest.fixture(scope="module")
def wh(mapped_warehouse: Path) -> Iterator[Warehouse]:
    with Warehouse.open(mapped_warehouse, read_only=True) as opened:
        yield opened


NETWORK_CLUSTERS = [
    {"id": "ict", "label_de": "IKT und Medien", "label_en": "ICT and media", "codes": ["J"]},
    {"id": "public", "label_de": "Öffentliche Dienste", "label_en": "Public services", "codes": ["O", "P", "Q"]},
    {"id": "logistics", "label_de": "Handel und Logistik", "label_en": "Trade and logistics", "codes": ["G", "H", "I"]},
    {"id": "finance", "label_de": "Finanzen", "label_en": "Finance", "codes": ["K"]},
    {"id": "industry", "label_de": "Industrie", "label_en": "Manufacturing", "codes": ["C"]},
]


@pytest.fixture
def card(session: Session, people: People, wh: Warehouse) -> Scorecard:
    """The scorecard the authors looked at: the built-in clusters and the network's own (Herten's taxonomy), with the
    initiative of the example knowledge base (shared in the network) named beside its five clusters."""
    examples.load_examples(session, people.ada)
    record = Taxonomy(
        organisation_id=_herten(session),
        slug="el-network",
        name="Netzwerk Emscher-Lippe",
        classification="wz2008",
        definition=NETWORK_CLUSTERS,
        visibility=Visibility.network,
    )
    session.add(record)
    session.commit()
    return scorecard(
        wh, "emscher-lippe", extra_taxonomies=[org_taxonomy(record)], initiatives=[HANNOVERIMPULS], peers=PAPER_PEERS
    )


HANNOVERIMPULS = (
    "hannoverimpuls",
    [f"hannoverimpuls:{c}" for c in ("automotive", "ict", "medtech", "photonics", "production")],
)


def _herten(s: Session) -> int:
    found = s.scalar(select(Organisation.id).where(Organisation.slug == "herten"))
    assert found is not None
    return found


def cluster_ref(row: ScorecardRow) -> str:
    return f"{row.evidence.taxonomy.split(' ')[0]}/{row.evidence.cluster}"


def justification(row: ScorecardRow) -> str:
    return f"Begründung für {row.evidence.name_de}: Rang {row.rank} und Anschluss an die Hochschulen."


def build_concept(s: Session, wh: Warehouse, people: People, card: Scorecard) -> str:
    """Emscher-Lippe: the top three clusters chosen with a justification, two instruments (the example knowledge base
    is loaded by :func:`card`), the example fund plan."""
    create_initiative(s, people.ada, InitiativeIn(key="gruenderstipendium", name="Gründungsstipendium", website=None))
    create_lesson(
        s,
        people.ada,
        LessonIn(
            key="eine-gesellschaft",
            title="Eine Gesellschaft für Stadt und Region",
            outcome=Outcome.worked,
            what_worked="Kurze Wege zwischen Fonds und Beratung",
            initiatives=["hannoverimpuls"],
        ),
    )
    assess(s, wh, people.ada, "hannoverimpuls", "emscher-lippe")
    plan = load_plan(PLAN_FILE)
    save_plan(
        s, people.ada, "seedfonds", plan.name, PLAN_FILE.read_text(encoding="utf-8"), plan.model_dump(mode="json")
    )
    content = ConceptContent(
        title="Regionalisierte Wirtschaftsförderung Emscher-Lippe",
        target_region="emscher-lippe",
        authors="Bürgermeister Herten; Sprecher des Netzwerks",
        summary="Drei Fokuscluster, zwei Instrumente, ein Seedfonds.",
        focus_clusters=[
            FocusCluster(
                cluster=cluster_ref(row),
                justification=justification(row),
                fingerprint=card.fingerprint,
                vintage=card.vintage,
            )
            for row in card.rows[:3]
        ],
        instruments=[
            Instrument(initiative="hannoverimpuls", note="Als Vorbild für die Gesellschaft"),
            Instrument(initiative="gruenderstipendium", note="Für Gründungen aus den Hochschulen"),
        ],
        fund_plan=FundPlanLink(plan="seedfonds"),
        operator_model="Eine GmbH im Besitz der Städte und des Kreises, wie Hannover Impuls GmbH.",
        budget=[
            BudgetRow(item="Geschäftsstelle", amount=450_000, year=2027),
            BudgetRow(item="Clustermanagement", amount=300_000, year=2027),
        ],
        milestones=[Milestone(date=date(2027, 3, 1), title="Ratsbeschluss in den Mitgliedsstädten")],
    )
    concept = records.create_concept(s, people.ada, "emscher-lippe-2027", content, network="emscher-lippe")
    s.commit()
    return concept.key


@pytest.fixture
def paper(session: Session, people: People, wh: Warehouse, card: Scorecard) -> Paper:
    key = build_concept(session, wh, people, card)
    return gather_paper(session, wh, people.ada, key)


def test_the_evidence_is_the_librarys(paper: Paper, card: Scorecard) -> None:
    assert len(card.rows) >= 3 and all(f.cluster.startswith("org-") for f in paper.content.focus_clusters)
    assert paper.scorecard.fingerprint == card.fingerprint and paper.outdated == []
    assert [(r.evidence.key, r.rank, r.evidence.lq) for r in paper.scorecard.rows] == [
        (r.evidence.key, r.rank, r.evidence.lq) for r in card.rows
    ]
    hannover, own = paper.instruments
    assert hannover.assessment is not None and own.assessment is None
    assert [lesson.title for lesson in hannover.lessons] == ["Eine Gesellschaft für Stadt und Region"]
    assert paper.fund is not None and (paper.fund.version, paper.paths, paper.seed) == (1, 2_000, 1)


def test_each_focus_cluster_has_its_map(
    paper: Paper, card: Scorecard, wh: Warehouse, session: Session, loaded_warehouse: Path
) -> None:
    """The map of a focus cluster (a cluster of the network's taxonomy on WZ sections, ``org-<id>``) holds every
    Kreis, outlines Emscher-Lippe's three, and a Kreis's value is the cluster's LQ in that Kreis's own profile.
    Without boundaries in the warehouse the paper has no maps and says so."""
    chosen = [r.evidence for r in card.rows[:3]]
    assert list(paper.maps) == [e.key for e in chosen]
    for evidence in chosen:
        the_map = paper.maps[evidence.key]
        assert (the_map.industry, the_map.label_de, the_map.year) == (evidence.key, evidence.name_de, card.year)
        assert sorted(the_map.highlight) == EMSCHER_LIPPE and len(the_map.values) == 401
        assert GEOMETRY_ATTRIBUTION in the_map.attribution and the_map.reference == "DG"
        assert len(the_map.geometry["features"]) == 401
    values = {v.code: v for v in paper.maps[chosen[0].key].values}
    record = session.scalar(select(Taxonomy).where(Taxonomy.slug == "el-network"))
    assert record is not None
    network_taxonomy = org_taxonomy(record)
    for code in [*EMSCHER_LIPPE, "09162"]:
        own = profile(wh, resolve_region(code), card.year, card.base_year, taxonomy=network_taxonomy)
        row = next(r for r in own.clusters if r.cluster == chosen[0].cluster)
        assert row.figures is not None and values[code].lq == row.figures.lq
        assert values[code].employment == row.figures.employment
    # a warehouse without Kreis boundaries: no maps, a note saying why and what to import, the other figures
    with Warehouse.open(loaded_warehouse, read_only=True) as bare:
        region = resolve_region(paper.content.target_region)
        assert focus_maps(bare, paper.scorecard, paper.content, region, []) == {}
    blocks = paper_blocks(dataclasses.replace(paper, maps={}))
    notes = [b.text for b in blocks if isinstance(b, Paragraph) and b.kind == "note"]
    assert any(n.startswith("Keine Karten: ") and "BKG" in n for n in notes)
    assert [b.title for b in blocks if isinstance(b, Figure)] == [
        "Branchenportfolio",
        "Punktwerte der Kandidatencluster",
    ]


def test_outdated_evidence_is_named(session: Session, people: People, wh: Warehouse, card: Scorecard) -> None:
    key = build_concept(session, wh, people, card)
    concept = records.get_concept(session, people.ada, key)
    chosen = concept.current.content["focus_clusters"][1]["cluster"]
    records.mark_outdated(session, concept, {c["cluster"]: "neu" for c in concept.current.content["focus_clusters"]})
    session.commit()
    paper = gather_paper(session, wh, people.ada, key)
    assert [o.cluster for o in paper.outdated][1] == chosen
    assert paper.outdated[1].de in [b.text for b in paper_blocks(paper) if isinstance(b, Paragraph)]


def _docx_text(path: Path) -> tuple[list[tuple[str, str]], str]:
    document = docx.Document(str(path))
    paragraphs = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, "\n".join([t for _, t in paragraphs] + cells)


def test_docx_and_pdf(paper: Paper, card: Scorecard, tmp_path: Path) -> None:
    out = write_concept_paper(paper, tmp_path / "konzept.docx")
    paragraphs, everything = _docx_text(out)
    assert [t for style, t in paragraphs if style == "Heading 1"] == HEADINGS_DE
    subheadings = [t for style, t in paragraphs if style == "Heading 2"]
    chosen = card.rows[:3]
    assert [r.evidence.name_de for r in chosen] == subheadings[:3]
    assert subheadings[3:6] == ["Bewertung aller Kandidaten", "hannoverimpuls", "Gründungsstipendium"]
    quotes = [t for style, t in paragraphs if style == "Quote"]
    assert [justification(r) for r in chosen] == quotes[:3]
    # a figure in the document is the scorecard's figure, formatted the German way
    first = chosen[0].evidence
    lq = text.num(first.lq, "de", 2)
    assert "," in lq and lq in everything
    document = docx.Document(str(out))
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "Rang")
    row = next(r for r in ranking.rows if r.cells[1].text.startswith(first.name_de))
    assert (row.cells[0].text, row.cells[2].text) == (str(chosen[0].rank), lq)
    # the fund's median TVPI of all investors, projected by the fund planner with the paths and seed stated
    projection = project(load_plan(PLAN_FILE), paths=2_000, seed=1)
    tvpi = text.num(projection.investors[-1].tvpi.p50, "de", 2)
    fund = next(t for t in document.tables if t.rows[0].cells[0].text == "Investorenklasse")
    assert fund.rows[-1].cells[3].text == tvpi
    assert "2.000 Pfaden, Seed 1" in everything and "Eine Gesellschaft für Stadt und Region" in everything
    assert 'instr="PAGE"' in document.sections[0].footer._element.xml
    # the figures, numbered: the portfolio, each focus cluster's map in the cluster's subsection, the scorecard chart
    captions = figure_captions(paper, "de")
    assert [t for style, t in paragraphs if style == "Caption" and t.startswith("Abbildung ")] == captions
    assert len(document.inline_shapes) == 5 and document.element.body.xml.count(" SEQ Abbildung ") == 5
    where = [t for _, t in paragraphs]
    for k, heading in enumerate(subheadings[:3]):
        assert where.index(heading) < where.index(captions[1 + k]) < where.index(subheadings[k + 1])
    # a map's caption lines (reference area, year, threshold, vintage, sources with the geometry) are its alt text
    for shape, caption in zip(list(document.inline_shapes)[1:4], captions[1:4], strict=True):
        alt = shape._inline.docPr.get("descr").split("\n")
        assert caption.endswith(f": {alt[0]}") and alt[1:] == map_caption_lines(paper, "de")
    data = where[where.index("Daten und Quellen") :]
    assert f"Kartengrundlage (Verwaltungsgrenzen): {GEOMETRY_ATTRIBUTION}" in data

    html = render_concept_html(paper)
    figures = re.findall(r'<figure class="concept-chart">(.*?)</figure>', html, re.S)
    assert len(figures) == 5 and [re.findall(r"<figcaption>(.*?)</figcaption>", f) for f in figures] == [
        [caption] for caption in captions
    ]
    for figure in figures[1:4]:  # the 401 Kreise and the outline of Emscher-Lippe's three, the caption under them
        assert figure.count("<path") > 401 and "Referenz: Deutschland" in figure
        assert GEOMETRY_ATTRIBUTION in figure and "Umrandet: betrachtete Region" in figure

    pdf = html_to_pdf(html, tmp_path / "konzept.pdf")  # what write_concept_paper does for .pdf, without a 2nd render
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in HEADINGS_DE:
        assert heading in words
    assert all(r.evidence.name_de in words for r in chosen)
    assert lq in words and tvpi in words
    flat = " ".join(words.split())
    assert all(caption in flat for caption in captions) and GEOMETRY_ATTRIBUTION in flat


def figure_captions(paper: Paper, lang: str) -> list[str]:
    """The numbered captions the paper's figures should have: the portfolio, a map per focus cluster, the scores."""
    year, chosen = paper.scorecard.year, paper.scorecard.rows[:3]
    if lang == "de":
        maps = [f"Karte: Standortquotient „{r.evidence.name_de}“ – Kreise, {year}" for r in chosen]
        titles = ["Branchenportfolio", *maps, "Punktwerte der Kandidatencluster"]
    else:
        maps = [f"Map: location quotient of “{r.evidence.name_en}” – districts, {year}" for r in chosen]
        titles = ["Industry portfolio", *maps, "Scores of the candidate clusters"]
    label = "Abbildung" if lang == "de" else "Figure"
    return [f"{label} {n}: {title}" for n, title in enumerate(titles, start=1)]


def map_caption_lines(paper: Paper, lang: str) -> list[str]:
    """What every map names under it: reference area and year, threshold, the outline, vintage, sources."""
    de = lang == "de"
    threshold = paper.profile.threshold
    return [
        f"{'Referenz: Deutschland' if de else 'Reference: Germany'} · {paper.scorecard.year}",
        f"{'Schwelle' if de else 'Threshold'}: {text.threshold_text(threshold, 'de' if de else 'en')}",
        "Umrandet: betrachtete Region" if de else "Outlined: region profiled",
        f"{'Datenstand' if de else 'Data vintage'}: {text.vintages(paper.scorecard.sources, 'de' if de else 'en')}",
        f"{'Quelle' if de else 'Source'}: {GEOMETRY_ATTRIBUTION}",
        f"{'Quelle' if de else 'Source'}: © Statistische Ämter des Bundes und der Länder, Deutschland, 2021",
    ]


def test_english_on_request_and_unknown_suffix(paper: Paper, tmp_path: Path) -> None:
    paragraphs, everything = _docx_text(write_concept_paper(paper, tmp_path / "concept.docx", "en"))
    assert [t for style, t in paragraphs if style == "Heading 1"] == HEADINGS_EN
    first = paper.scorecard.rows[0].evidence
    assert first.name_en in everything and text.num(first.lq, "en", 2) in everything
    captions = [t for style, t in paragraphs if style == "Caption" and t.startswith("Figure ")]
    assert captions == figure_captions(paper, "en")
    assert f"Map boundaries: {GEOMETRY_ATTRIBUTION}" in everything
    with pytest.raises(RegiolensError, match=r"cannot write a concept paper as '\.odt'"):
        write_concept_paper(paper, tmp_path / "concept.odt")
