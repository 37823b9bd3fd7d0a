"""The paper of a development concept: an editable Word document (DOCX) and a PDF, German by default, English on
request.

:func:`gather_paper` reads one concept version (the content model, :mod:`regiolens.concept.content`) and computes its
evidence fresh through the library — nothing here computes a figure:

- the focus-cluster scorecard of the target region (:func:`regiolens.concept.scorecard.scorecard`, default
  parameters as the web page uses them, for the data year the focus clusters were chosen on, so that the paper of
  an adopted version shows the evidence it was adopted on), and whether each chosen cluster's evidence is still the
  one recorded (:func:`regiolens.concept.content.outdated_clusters`, plus what the last check after an import
  stored with the concept);
- the regional profile (:func:`regiolens.analysis.profile.profile`) for the scorecard's years and threshold;
- for each chosen cluster the scorecard rates, the map of its location quotient in every region of the target's
  level against Germany, the target's members outlined (:func:`regiolens.analysis.maps.cluster_lq_map`, the
  web map's code path with the cluster in place of an industry; none when the warehouse holds no boundaries);
- the projection of the linked fund plan version (:func:`regiolens.fund.projection.project` with
  :data:`PAPER_PATHS` paths and seed 1, both stated in the paper);
- for each instrument its initiative, the saved transferability assessment for the target region (newest version,
  :func:`regiolens.network.assessment.load_version`) and the lessons recorded about it.

:func:`paper_blocks` lays the paper out once as headings, paragraphs, tables and figures (Vega-Lite specs; the maps
are :func:`regiolens.reports.charts.lq_choropleth`, as on the web map page); :func:`write_concept_docx` writes those
blocks with python-docx (Heading 1/2 styles, tables, charts and maps as PNG with their caption lines as alt text,
numbered figure captions Word can list, page numbers in the footer), :func:`render_concept_html` with the template
``concept.html.j2`` (charts and maps as SVG, numbered captions) for WeasyPrint. :func:`write_concept_paper` chooses
by suffix (``.docx``, ``.pdf``, ``.html``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import altair as alt
import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from markupsafe import Markup
from sqlalchemy.orm import Session

from regiolens.analysis.maps import cluster_lq_map
from regiolens.analysis.profile import GERMANY
from regiolens.analysis.profile import profile as region_profile
from regiolens.analysis.results import LQMap, Profile
from regiolens.clusters.model import Taxonomy as ClusterTaxonomy
from regiolens.concept.content import SECTIONS, ConceptContent, FocusCluster, OutdatedCluster, outdated_clusters
from regiolens.concept.models import Concept, ConceptVersion
from regiolens.concept.records import (
    candidate_initiatives,
    candidate_taxonomies,
    describe,
    describe_version,
    get_concept,
    get_version,
)
from regiolens.concept.scorecard import CLASS_NAMES, DEFAULT_PEERS, DIMENSIONS, NAMES, Scorecard, scorecard
from regiolens.errors import RegiolensError
from regiolens.fund.mandate import euros
from regiolens.fund.projection import Projection, project
from regiolens.fund.records import get_plan
from regiolens.fund.terms import parse_plan
from regiolens.network.assessment import AssessmentResult, load_version
from regiolens.network.models import Assessment, Initiative
from regiolens.network.records import NotFound, get_initiative, lessons_about
from regiolens.regions.resolve import RegionSelection, resolve_region
from regiolens.reports import text
from regiolens.reports.charts import _finish, bubble_chart, lq_choropleth, lq_map_caption
from regiolens.reports.fund_charts import investor_name, pick
from regiolens.reports.fund_report import leverage_rows
from regiolens.reports.html import Cell, Table, _environment, css_string, stylesheet
from regiolens.reports.methods import method_notes, to_plain
from regiolens.reports.pdf import html_to_pdf
from regiolens.reports.render import to_png, to_svg
from regiolens.reports.text import Lang, check_lang
from regiolens.warehouse.store import Warehouse
from regiolens.web.accounts import visible
from regiolens.web.db import User

PAPER_PATHS = 2_000
"""Simulated paths of the fund projection in the paper (fewer than the planner's 10,000: a paper shows key figures;
the number is stated under them)."""
PAPER_SEED = 1
PAPER_PEERS = DEFAULT_PEERS
"""Peer regions of the scorecard in the paper: as many as on the concept's scorecard page (the library's default;
peers are context, not scored), so that the paper's evidence and fingerprint are the page's."""
TEMPLATE = "concept.html.j2"
SUFFIXES = (".docx", ".pdf", ".html")
"""The formats the paper is written in."""

WORDS: dict[str, tuple[str, str]] = {
    "kicker": ("Entwicklungskonzept", "Development concept"),
    "profile": ("Regionalprofil", "Regional profile"),
    "method": ("Methodische Hinweise", "Method notes"),
    "data": ("Daten und Quellen", "Data and sources"),
    "organisation": ("Organisation", "Organisation"),
    "fund": ("Fonds: Kennzahlen", "Fund: key figures"),
    "item": ("Angabe", "Item"),
    "value": ("Wert", "Value"),
    "region": ("Zielregion", "Target region"),
    "status": ("Status", "Status"),
    "version": ("Version", "Version"),
    "saved": ("Gespeichert", "Saved"),
    "vintage": ("Datenstand", "Data vintage"),
    "organisation_owner": ("Federführend", "Lead organisation"),
    "status:draft": ("Entwurf", "draft"),
    "status:in_consultation": ("in Beratung", "in consultation"),
    "status:adopted": ("beschlossen", "adopted"),
    "employment": ("Beschäftigte {year}", "Employees {year}"),
    "change": ("Veränderung {period}", "Change {period}"),
    "competitive": ("Standortkomponente (Shift-Share) {period}", "Competitive component (shift-share) {period}"),
    "krugman": ("Krugman-Spezialisierungsindex", "Krugman specialisation index"),
    "strong_clusters": ("Starke Cluster", "Strong clusters"),
    "none": ("keine", "none"),
    "rank": ("Rang", "Rank"),
    "cluster": ("Cluster", "Cluster"),
    "lq": ("LQ", "LQ"),
    "employees": ("Beschäftigte", "Employees"),
    "growth": ("Wachstum", "Growth"),
    "density": ("Dichte", "Density"),
    "score": ("Punktwert", "Score"),
    "class": ("Stärke", "Strength"),
    "chosen": ("gewählt", "chosen"),
    "chosen_mark": ("Fokus", "focus"),
    "evidence": ("Evidenz", "Evidence"),
    "justification": ("Begründung der Autorinnen und Autoren", "The authors' justification"),
    "no_justification": ("(keine Begründung angegeben)", "(no justification given)"),
    "current": (
        "Die Evidenz ist die bei der Wahl festgehaltene (Datenstand {vintage}).",
        "The evidence is the one recorded with the choice (data vintage {vintage}).",
    ),
    "not_scored": (
        "Für diesen Cluster liefert die aktuelle Bewertung keine Zahlen.",
        "The current scorecard has no figures for this cluster.",
    ),
    "scorecard_table": ("Bewertung aller Kandidaten", "Scorecard of all candidates"),
    "chart_scores": ("Punktwerte der Kandidatencluster", "Scores of the candidate clusters"),
    "chart_scores_sub": (
        "Beitrag von Stärke, Dynamik und Potenzial; Fokuscluster markiert",
        "Contribution of strength, dynamics and potential; focus clusters marked",
    ),
    "contribution": ("Beitrag zum Punktwert", "Contribution to the score"),
    "dimension": ("Dimension", "Dimension"),
    "chart_profile": ("Branchenportfolio", "Industry portfolio"),
    "chart_map": (
        "Karte: Standortquotient „{cluster}“ – {levels}, {year}",
        "Map: location quotient of “{cluster}” – {levels}, {year}",
    ),
    "no_maps": (
        "Keine Karten: Der Datenbestand enthält keine Gebietsgrenzen der Regionen, aus denen die Zielregion besteht "
        "(Verwaltungsgebiete des BKG importieren).",
        "No maps: the warehouse holds no boundaries of the regions the target region is made of (import the BKG "
        "administrative areas).",
    ),
    "figure": ("Abbildung", "Figure"),
    "map_attribution": ("Kartengrundlage (Verwaltungsgrenzen): {attribution}", "Map boundaries: {attribution}"),
    "not_visible": (
        "Die Initiative {ref} ist für Sie nicht (mehr) sichtbar.",
        "The initiative {ref} is not (any longer) visible to you.",
    ),
    "note": ("Notiz", "Note"),
    "assessment": (
        "Übertragbarkeit auf {region}: Gesamtwert {total} (Bewertung {version}, {day})",
        "Transferability to {region}: total {total} (assessment version {version}, {day})",
    ),
    "no_assessment": (
        "Für {region} ist keine Übertragbarkeitsbewertung gespeichert.",
        "No transferability assessment for {region} is saved.",
    ),
    "component": ("Komponente", "Component"),
    "weight": ("Gewicht", "Weight"),
    "reason": ("Begründung", "Reason"),
    "lessons": ("Was andernorts gelernt wurde", "What was learned elsewhere"),
    "no_lessons": ("Keine Erkenntnisse festgehalten.", "No lessons recorded."),
    "outcome:worked": ("hat funktioniert", "worked"),
    "outcome:failed": ("ist gescheitert", "failed"),
    "outcome:mixed": ("gemischt", "mixed"),
    "outcome:open": ("offen", "open"),
    "worked": ("Was funktionierte", "What worked"),
    "failed": ("Was nicht funktionierte", "What failed"),
    "preconditions": ("Voraussetzungen", "Preconditions"),
    "no_fund": ("Kein Fondsplan verknüpft.", "No fund plan linked."),
    "plan": ("Fondsplan {name} ({ref}, Version {version})", "Fund plan {name} ({ref}, version {version})"),
    "investor": ("Investorenklasse", "Investor class"),
    "commitment": ("Zusage", "Commitment"),
    "irr_p50": ("IRR (Median)", "IRR (median)"),
    "tvpi_p50": ("TVPI (Median)", "TVPI (median)"),
    "loss": ("Verlustwahrscheinlichkeit", "Probability of loss"),
    "projection_note": (
        "Monte-Carlo-Projektion mit {paths} Pfaden, Seed {seed} (wie im Fondsplaner; gleicher Seed, gleiches "
        "Ergebnis). Median über die Pfade.",
        "Monte Carlo projection with {paths} paths, seed {seed} (as in the fund planner; same seed, same result). "
        "Median over the paths.",
    ),
    "operator": ("Betreibermodell", "Operator model"),
    "budget": ("Budget", "Budget"),
    "year": ("Jahr", "Year"),
    "amount": ("Betrag", "Amount"),
    "total": ("Summe", "Total"),
    "milestones": ("Meilensteine", "Milestones"),
    "date": ("Datum", "Date"),
    "milestone": ("Meilenstein", "Milestone"),
    "nothing": ("(keine Angaben)", "(nothing stated)"),
    "scorecard_method": ("Bewertung der Fokuscluster", "Focus-cluster scorecard"),
    "scorecard_formula": (
        "score = Σ_d w_d · q_d / Σ_d w_d;  q = (Rang − 1) / (C − 1) − ½",
        "score = Σ_d w_d · q_d / Σ_d w_d;  q = (rank − 1) / (C − 1) − ½",
    ),
    "fingerprint": ("Fingerabdruck der Evidenz: {value}", "Evidence fingerprint: {value}"),
    "dataset": ("Datensatz", "Dataset"),
    "publisher": ("Herausgeber", "Publisher"),
    "licence": ("Lizenz", "Licence"),
    "attribution": ("Namensnennung", "Attribution"),
    "footer": (
        "{kicker}: {title} · Version {version} · erstellt mit regiolens",
        "{kicker}: {title} · version {version} · made with regiolens",
    ),
    "page": ("Seite", "Page"),
}
"""Words of the paper (German, English)."""


def word(key: str, lang: Lang, **values: object) -> str:
    """A paper word in ``lang``, placeholders filled."""
    return pick(WORDS, key, lang, **values)


# ----------------------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class LessonText:
    """A lesson recorded about an initiative, as the paper quotes it."""

    title: str
    outcome: str
    what_worked: str
    what_failed: str
    preconditions: str


@dataclass(frozen=True)
class InstrumentEvidence:
    """An instrument with its initiative (``None``: not visible to the reader), the newest saved assessment for the
    target region (``None``: none saved) and the lessons recorded about it."""

    initiative: str
    note: str
    name: str | None
    summary: str
    region: str | None
    assessment: AssessmentResult | None
    lessons: list[LessonText]


@dataclass(frozen=True)
class FundEvidence:
    """The linked fund plan version and its projection."""

    ref: str
    version: int
    projection: Projection


@dataclass(frozen=True)
class Paper:
    """Everything the paper shows: the concept (:func:`~regiolens.concept.records.describe`), the version
    (:func:`~regiolens.concept.records.describe_version`), its content and the evidence computed for it."""

    concept: dict[str, Any]
    version: dict[str, Any]
    content: ConceptContent
    scorecard: Scorecard
    profile: Profile
    maps: dict[str, LQMap]  # focus cluster key (``taxonomy:cluster``) → its map, see :func:`focus_maps`
    outdated: list[OutdatedCluster]
    instruments: list[InstrumentEvidence]
    fund: FundEvidence | None
    paths: int
    seed: int


def cluster_key(focus: FocusCluster) -> str:
    """The scorecard key (``taxonomy:cluster``) of a focus cluster written ``taxonomy/cluster`` or
    ``taxonomy:cluster``."""
    return focus.cluster.replace("/", ":", 1)


def evidence_year(content: ConceptContent) -> int | None:
    """The data year the focus clusters were chosen on, if they all name the same one (``None``: the newest)."""
    vintages = {c.vintage for c in content.focus_clusters if c.vintage}
    if len(vintages) == 1 and (only := vintages.pop()).isdigit():
        return int(only)
    return None


def _instrument(s: Session, user: User, target: str, initiative: str, ref: int | str, note: str) -> InstrumentEvidence:
    try:
        found: Initiative = get_initiative(s, user, ref)
    except NotFound:
        return InstrumentEvidence(initiative, note, None, "", None, None, [])
    saved = s.scalars(
        visible(s, user, Assessment)
        .where(Assessment.initiative_id == found.id, Assessment.target == target)
        .order_by(Assessment.id)
    ).first()
    result = load_version(s, user, saved.id) if saved is not None and saved.versions else None
    lessons = [
        LessonText(lesson.title, str(lesson.outcome), lesson.what_worked, lesson.what_failed, lesson.preconditions)
        for lesson in lessons_about(s, user, found)
    ]
    return InstrumentEvidence(initiative, note, found.name, found.summary, found.region, result, lessons)


def _fund(s: Session, user: User, content: ConceptContent, paths: int, seed: int) -> FundEvidence | None:
    link = content.fund_plan
    if link is None:
        return None
    plan = get_plan(s, user, link.plan_id or link.plan)
    number = link.version or plan.version
    version = next((v for v in plan.versions if v.number == number), None)
    if version is None:
        raise RegiolensError(f"fund plan {link.plan!r} has no version {number}")
    terms = parse_plan(version.source, f"{plan.key}.toml")
    return FundEvidence(f"{plan.organisation.slug}/{plan.key}", number, project(terms, paths=paths, seed=seed))


def gather_paper(
    s: Session,
    wh: Warehouse,
    user: User,
    ref: str | int,
    number: int | None = None,
    *,
    taxonomies: Sequence[ClusterTaxonomy] | None = None,
    weights: dict[str, float] | None = None,
    peers: int = PAPER_PEERS,
    paths: int = PAPER_PATHS,
    seed: int = PAPER_SEED,
) -> Paper:
    """The paper of version ``number`` (``None``: the newest) of the concept ``ref`` the user may see, with its
    evidence computed now (see the module docstring). ``taxonomies`` are the taxonomies the scorecard adds to the
    built-in ones (default: :func:`~regiolens.concept.records.candidate_taxonomies`, as on the scorecard page, with
    the initiatives of :func:`~regiolens.concept.records.candidate_initiatives`);
    ``weights`` and ``peers`` go to the scorecard (default: equal weights and :data:`PAPER_PEERS`, as there)."""
    concept = get_concept(s, user, ref)
    version = get_version(concept, number)
    content = ConceptContent.model_validate(version.content)
    region = resolve_region(content.target_region)
    candidates = candidate_taxonomies(s, concept) if taxonomies is None else list(taxonomies)
    year = evidence_year(content)
    initiatives = candidate_initiatives(s, concept)
    card = scorecard(
        wh, region, extra_taxonomies=candidates, initiatives=initiatives, weights=weights, peers=peers, year=year
    )
    prof = region_profile(wh, region, card.year, card.base_year, preset=card.preset)
    current = {c.cluster: fp for c in content.focus_clusters if (fp := _fingerprint(card, c)) is not None}
    instruments = [
        _instrument(s, user, content.target_region, i.initiative, i.initiative_id or i.initiative, i.note)
        for i in content.instruments
    ]
    return Paper(
        concept=describe(concept),
        version=describe_version(version),
        content=content,
        scorecard=card,
        profile=prof,
        maps=focus_maps(wh, card, content, region, candidates),
        outdated=_outdated(concept, version, content, current),
        instruments=instruments,
        fund=_fund(s, user, content, paths, seed),
        paths=paths,
        seed=seed,
    )


def focus_maps(
    wh: Warehouse,
    card: Scorecard,
    content: ConceptContent,
    region: RegionSelection,
    taxonomies: Sequence[ClusterTaxonomy],
) -> dict[str, LQMap]:
    """The map of each chosen cluster the scorecard rates (:func:`regiolens.analysis.maps.cluster_lq_map`): its LQ
    in the scorecard's year in every region of the target's level against Germany (the scorecard's reference), the
    target's members outlined; ``taxonomies`` are the scorecard's taxonomies beyond the built-in ones (an
    organisation's, ``org-<id>``). Empty when the warehouse holds no boundaries at that level."""
    level = region.level.value
    rated = {r.evidence.key: r.evidence for r in card.rows}
    chosen = [rated[k] for k in dict.fromkeys(cluster_key(c) for c in content.focus_clusters) if k in rated]
    if not chosen or wh.geometries(level).empty:
        return {}
    by_id = {t.id: t for t in taxonomies}
    return {
        e.key: cluster_lq_map(
            wh,
            by_id.get(tax_id := e.taxonomy.split(" ")[0], tax_id),
            e.cluster,
            card.year,
            level,
            list(region.members),
            GERMANY,
            measure=card.measure,
            classification=card.classification,
        )
        for e in chosen
    }


def _outdated(
    concept: Concept, version: ConceptVersion, content: ConceptContent, current: dict[str, str]
) -> list[OutdatedCluster]:
    """The chosen clusters whose evidence differs now from the recorded one, and, for the newest version, those the
    last check after an import found outdated (:func:`regiolens.concept.records.mark_outdated`)."""
    found = outdated_clusters(content, current)
    if version.number == concept.version:
        seen = {o.cluster for o in found}
        found += [OutdatedCluster(**o) for o in concept.outdated if o["cluster"] not in seen]
    return found


def _fingerprint(card: Scorecard, focus: FocusCluster) -> str | None:
    """The scorecard's fingerprint if it rates the cluster (the evidence of every rated cluster is the card's)."""
    return card.fingerprint if any(r.evidence.key == cluster_key(focus) for r in card.rows) else None


# ----------------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 (section) or 2 (subsection)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``kind`` "note" (small, under a table or figure) or "quote" (the authors' own words)."""

    text: str
    kind: str = ""


@dataclass(frozen=True)
class TableBlock:
    """A table (the region report's :class:`~regiolens.reports.html.Table`)."""

    table: Table


@dataclass(frozen=True)
class Figure:
    """A chart or map (Vega-Lite spec) with its title (the numbered caption under it) and, where known, the lines
    the spec writes under the chart (the alt text of the DOCX picture, whose words cannot be read otherwise)."""

    title: str
    spec: dict[str, Any]
    caption: tuple[str, ...] = ()
    width_cm: float = 16.0
    """Width of the picture in the DOCX."""


Block = Heading | Paragraph | TableBlock | Figure


def _lines(rows: Sequence[tuple[str, str]], lang: Lang) -> Table:
    headers = [Cell(word("item", lang)), Cell(word("value", lang))]
    return Table(headers, [("", [Cell(k), Cell(v)]) for k, v in rows], css="narrow")


def _texts(body: str, kind: str = "") -> list[Block]:
    return [Paragraph(p.strip(), kind) for p in body.split("\n") if p.strip()]


def _section(key: str, lang: Lang) -> Heading:
    de, en = SECTIONS[key]
    return Heading(de if lang == "de" else en)


def _summary(paper: Paper, lang: Lang) -> list[Block]:
    c, card = paper.content, paper.scorecard
    meta = [
        (word("region", lang), f"{card.region.name} ({c.target_region})"),
        (word("organisation_owner", lang), paper.concept["organisation"]),
        (SECTIONS["authors"][0 if lang == "de" else 1], c.authors or "–"),
        (word("status", lang), word(f"status:{paper.concept['status']}", lang)),
        (word("version", lang), str(paper.version["number"])),
        (word("vintage", lang), card.vintage),
    ]
    saved = paper.version["created_at"]
    if saved:
        meta.append((word("saved", lang), text.date_text(date.fromisoformat(saved[:10]), lang)))
    blocks: list[Block] = [_section("summary", lang), *_texts(c.summary), TableBlock(_lines(meta, lang))]
    blocks += [Paragraph(o.de if lang == "de" else o.en, "note") for o in paper.outdated]
    return blocks


def _profile(paper: Paper, lang: Lang) -> list[Block]:
    p = paper.profile
    period = f"{p.base_year}–{p.year}"
    strong = [text.name(r.name_de, r.name_en, lang) for r in p.clusters if r.figures is not None and r.figures.strong]
    rows = [
        (word("employment", lang, year=p.year), text.num(p.total_employment, lang, 0)),
        (word("employment", lang, year=p.base_year), text.num(p.total_employment_base, lang, 0)),
        (word("change", lang, period=period), text.num(p.shift_share.actual_change, lang, 0)),
        (word("competitive", lang, period=period), text.num(p.shift_share.regional, lang, 0)),
        (word("krugman", lang), text.num(p.specialisation.krugman, lang, 2)),
        (word("strong_clusters", lang), "; ".join(strong) or word("none", lang)),
    ]
    return [
        Heading(word("profile", lang)),
        TableBlock(_lines(rows, lang)),
        Figure(word("chart_profile", lang), bubble_chart(p, lang)),
    ]


def scorecard_table(card: Scorecard, chosen: set[str], lang: Lang) -> Table:
    """Every ranked cluster: rank, name (focus clusters marked), LQ, employees, growth, density, score, class."""
    keys = ("rank", "cluster", "lq", "employees", "growth", "density", "score", "class")
    headers = [Cell(word(k, lang), numeric=k not in ("cluster", "class")) for k in keys]
    rows = []
    for r in card.rows:
        e = r.evidence
        mark = f" ({word('chosen_mark', lang)})" if e.key in chosen else ""
        cells = [
            Cell(str(r.rank), numeric=True),
            Cell(text.name(e.name_de, e.name_en, lang) + mark),
            Cell(text.num(e.lq, lang, 2), numeric=True),
            Cell(text.num(e.employment, lang, 0), numeric=True),
            Cell(text.pct(e.growth, lang), numeric=True),
            Cell(text.num(e.density, lang, 2), numeric=True),
            Cell(text.num(r.score, lang, 2), numeric=True),
            Cell(CLASS_NAMES[e.strength_class][0 if lang == "de" else 1]),
        ]
        rows.append(("chosen" if mark else "", cells))
    return Table(headers, rows, text.notes(card, lang))


def scorecard_chart(card: Scorecard, chosen: set[str], lang: Lang) -> dict[str, Any]:
    """Stacked bars of each ranked cluster's score contributions (strength, dynamics, potential), by rank; focus
    clusters marked ``●``. Plots the scorecard's ``contributions`` as they are."""
    i = 0 if lang == "de" else 1
    data = [
        {
            "cluster": ("● " if r.evidence.key in chosen else "")
            + text.name(r.evidence.name_de, r.evidence.name_en, lang),
            "rank": r.rank,
            "dimension": NAMES[d][i],
            "contribution": r.contributions[d],
        }
        for r in card.rows
        for d in DIMENSIONS
    ]
    order = [text.name(r.evidence.name_de, r.evidence.name_en, lang) for r in card.rows]
    order = [("● " if r.evidence.key in chosen else "") + n for r, n in zip(card.rows, order, strict=True)]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("contribution:Q", title=word("contribution", lang), axis=alt.Axis(format=".2f")),
            y=alt.Y("cluster:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color("dimension:N", title=word("dimension", lang), sort=[NAMES[d][i] for d in DIMENSIONS]),
            tooltip=["rank:Q", "cluster:N", "dimension:N", alt.Tooltip("contribution:Q", format=".2f")],
        )
        .properties(width=380, height=max(120, 18 * len(card.rows)))
    )
    caption = [*text.notes(card, lang), f"{word('vintage', lang)}: {text.vintages(card.sources, lang)}"]
    return _finish(chart, word("chart_scores", lang), word("chart_scores_sub", lang), caption)


MAP_WIDTH_CM = 13.0
"""Width of a map in the DOCX (a map of Germany at the full 16 cm would take most of a page)."""


def map_figure(paper: Paper, the_map: LQMap, lang: Lang) -> Figure:
    """A focus cluster's map as the web map page draws it (:func:`~regiolens.reports.charts.lq_choropleth`), with
    the scorecard's threshold, the data vintage of the scorecard's sources and the profile's reference name."""
    p = paper.profile
    args: dict[str, Any] = {
        "vintage": text.vintages(paper.scorecard.sources, lang),
        "reference_name": p.reference.name if p.reference.ref == the_map.reference else None,
    }
    cluster = text.name(the_map.label_de, the_map.label_en, lang)
    title = word("chart_map", lang, cluster=cluster, levels=text.level_name(the_map.level, lang), year=the_map.year)
    return Figure(
        title,
        lq_choropleth(the_map, lang, p.threshold, **args),
        tuple(lq_map_caption(the_map, lang, p.threshold, **args)),
        MAP_WIDTH_CM,
    )


def _clusters(paper: Paper, lang: Lang) -> list[Block]:
    card, chosen = paper.scorecard, [cluster_key(c) for c in paper.content.focus_clusters]
    rows = {r.evidence.key: r for r in card.rows}
    outdated = {o.cluster: o for o in paper.outdated}
    blocks: list[Block] = [_section("focus_clusters", lang)]
    if not paper.maps and any(key in rows for key in chosen):
        blocks.append(Paragraph(word("no_maps", lang), "note"))
    for focus, key in zip(paper.content.focus_clusters, chosen, strict=True):
        row = rows.get(key)
        name = text.name(row.evidence.name_de, row.evidence.name_en, lang) if row else focus.cluster
        blocks.append(Heading(name, 2))
        blocks.append(
            Paragraph(word("evidence", lang) + ": " + (text.name(row.reason_de, row.reason_en, lang) if row else "–"))
        )
        if row is None:
            blocks.append(Paragraph(word("not_scored", lang), "note"))
        if key in paper.maps:
            blocks.append(map_figure(paper, paper.maps[key], lang))
        blocks.append(Paragraph(word("justification", lang) + ":"))
        blocks += _texts(focus.justification, "quote") or [Paragraph(word("no_justification", lang), "quote")]
        found = outdated.get(focus.cluster)
        finding = (found.de if lang == "de" else found.en) if found else word("current", lang, vintage=focus.vintage)
        blocks.append(Paragraph(finding, "note"))
    blocks += [
        Heading(word("scorecard_table", lang), 2),
        TableBlock(scorecard_table(card, set(chosen), lang)),
        Figure(word("chart_scores", lang), scorecard_chart(card, set(chosen), lang)),
    ]
    return blocks


def assessment_table(result: AssessmentResult, lang: Lang) -> Table:
    """The components of a saved assessment: name, weight, score and reason."""
    headers = [
        Cell(word(k, lang), numeric=k in ("weight", "score")) for k in ("component", "weight", "score", "reason")
    ]
    rows = [
        (
            "",
            [
                Cell(text.name(c.name_de, c.name_en, lang)),
                Cell(text.num(c.weight, lang, 2), numeric=True),
                Cell(text.num(c.score, lang, 2), numeric=True),
                Cell(text.name(c.reason_de, c.reason_en, lang)),
            ],
        )
        for c in result.components
    ]
    return Table(headers, rows, list(result.notes_de if lang == "de" else result.notes_en))


def _instruments(paper: Paper, lang: Lang) -> list[Block]:
    region = paper.scorecard.region.name
    blocks: list[Block] = [_section("instruments", lang)]
    for item in paper.instruments:
        blocks.append(Heading(item.name or item.initiative, 2))
        if item.name is None:
            blocks.append(Paragraph(word("not_visible", lang, ref=item.initiative), "note"))
        blocks += _texts(item.summary)
        if item.note:
            blocks.append(Paragraph(f"{word('note', lang)}: {item.note}"))
        a = item.assessment
        if a is not None:
            day = text.date_text(a.created_at.date() if a.created_at else a.as_of, lang)
            total = text.num(a.total, lang, 2)
            blocks.append(
                Paragraph(word("assessment", lang, region=a.target.name, total=total, version=a.version, day=day))
            )
            blocks.append(TableBlock(assessment_table(a, lang)))
        elif item.name is not None:
            blocks.append(Paragraph(word("no_assessment", lang, region=region), "note"))
        if item.name is not None:
            blocks.append(Paragraph(word("lessons", lang) + ":"))
            if not item.lessons:
                blocks.append(Paragraph(word("no_lessons", lang), "note"))
            for lesson in item.lessons:
                parts = [f"{lesson.title} ({word('outcome:' + lesson.outcome, lang)})"]
                for key in ("what_worked", "what_failed", "preconditions"):
                    value = getattr(lesson, key)
                    if value:
                        parts.append(f"{word(key.removeprefix('what_'), lang)}: {value}")
                blocks.append(Paragraph(" — ".join(parts), "quote"))
    return blocks


def fund_table(result: Projection, lang: Lang) -> Table:
    """Per investor class (all investors last): commitment, median IRR and TVPI, probability of loss."""
    keys = ("investor", "commitment", "irr_p50", "tvpi_p50", "loss")
    headers = [Cell(word(k, lang), numeric=k != "investor") for k in keys]
    rows = [
        (
            "",
            [
                Cell(investor_name(o, lang)),
                Cell(euros(round(o.commitment), lang), numeric=True),
                Cell(text.pct(o.irr.p50, lang), numeric=True),
                Cell(text.num(o.tvpi.p50, lang, 2), numeric=True),
                Cell(text.pct(o.loss_probability, lang), numeric=True),
            ],
        )
        for o in result.investors
    ]
    return Table(headers, rows)


def _fund_section(paper: Paper, lang: Lang) -> list[Block]:
    blocks: list[Block] = [Heading(word("fund", lang))]
    f = paper.fund
    if f is None:
        return [*blocks, Paragraph(word("no_fund", lang))]
    name = f.projection.plan.name
    return [
        *blocks,
        Paragraph(word("plan", lang, name=name, ref=f.ref, version=f.version)),
        TableBlock(_lines(leverage_rows(f.projection.leverage, lang), lang)),
        TableBlock(fund_table(f.projection, lang)),
        Paragraph(
            word("projection_note", lang, paths=text.num(f.projection.paths, lang, 0), seed=f.projection.seed), "note"
        ),
    ]


def _organisation(paper: Paper, lang: Lang) -> list[Block]:
    c = paper.content
    blocks: list[Block] = [Heading(word("organisation", lang)), Heading(word("operator", lang), 2)]
    blocks += _texts(c.operator_model) or [Paragraph(word("nothing", lang))]
    blocks.append(Heading(word("budget", lang), 2))
    if c.budget:
        headers = [Cell(word("item", lang)), Cell(word("year", lang), True), Cell(word("amount", lang), True)]
        rows = [
            ("", [Cell(b.item), Cell(str(b.year), True), Cell(euros(round(b.amount), lang), True)]) for b in c.budget
        ]
        total = sum(b.amount for b in c.budget)
        rows.append(("total", [Cell(word("total", lang)), Cell(""), Cell(euros(round(total), lang), True)]))
        blocks.append(TableBlock(Table(headers, rows)))
    else:
        blocks.append(Paragraph(word("nothing", lang)))
    blocks.append(Heading(word("milestones", lang), 2))
    if c.milestones:
        headers = [Cell(word("date", lang)), Cell(word("milestone", lang))]
        ordered = sorted(c.milestones, key=lambda m: m.date)
        rows = [("", [Cell(text.date_text(m.date, lang)), Cell(m.title)]) for m in ordered]
        blocks.append(TableBlock(Table(headers, rows)))
    else:
        blocks.append(Paragraph(word("nothing", lang)))
    return blocks


def _method(paper: Paper, lang: Lang) -> list[Block]:
    card = paper.scorecard
    blocks: list[Block] = [
        Heading(word("method", lang)),
        Heading(word("scorecard_method", lang), 2),
        Paragraph(word("scorecard_formula", lang)),
        *(Paragraph(n) for n in text.notes(card, lang)),
        Paragraph(word("fingerprint", lang, value=card.fingerprint), "note"),
    ]
    for note in method_notes(paper.profile, lang, peers=bool(card.peers), opportunities=True):
        blocks += [Heading(to_plain(note.title), 2), Paragraph(to_plain(note.formula)), Paragraph(to_plain(note.text))]
    return blocks


def _data(paper: Paper, lang: Lang) -> list[Block]:
    sources = {(s.dataset_key, s.vintage): s for s in [*paper.scorecard.sources, *paper.profile.sources]}
    keys = ("dataset", "publisher", "vintage", "licence")
    rows = [
        (
            "",
            [
                Cell(s.dataset_key),
                Cell(s.publisher),
                Cell(text.vintage_text(s.vintage, lang) if s.vintage else "–"),
                Cell(s.licence),
            ],
        )
        for s in sources.values()
    ]
    blocks: list[Block] = [Heading(word("data", lang)), TableBlock(Table([Cell(word(k, lang)) for k in keys], rows))]
    named = text.attributions(sources.values())
    blocks += [Paragraph(line, "note") for line in named]
    boundaries = [a for m in paper.maps.values() for a in m.attribution if a not in named]
    if boundaries:
        attribution = "; ".join(dict.fromkeys(boundaries))
        blocks.append(Paragraph(word("map_attribution", lang, attribution=attribution), "note"))
    return blocks


def paper_blocks(paper: Paper, lang: str = "de") -> list[Block]:
    """The paper laid out once for every format: summary, regional profile, focus clusters, instruments, fund key
    figures, organisation (operator model, budget, milestones), method notes, data and sources."""
    lg = check_lang(lang)
    return [
        *_summary(paper, lg),
        *_profile(paper, lg),
        *_clusters(paper, lg),
        *_instruments(paper, lg),
        *_fund_section(paper, lg),
        *_organisation(paper, lg),
        *_method(paper, lg),
        *_data(paper, lg),
    ]


def _footer(paper: Paper, lang: Lang) -> str:
    return word("footer", lang, kicker=word("kicker", lang), title=paper.content.title, version=paper.version["number"])


# ----------------------------------------------------------------------------------------------- DOCX


def _page_number(paragraph: Any) -> None:
    """Append a ``PAGE`` field (the page number Word fills in) to a paragraph."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = "1"
    run.append(shown)
    field.append(run)
    paragraph._p.append(field)


def _sequence_number(paragraph: Any, sequence: str, number: int) -> None:
    """Append a ``SEQ`` field showing ``number`` (Word renumbers it and lists the captions in a table of figures),
    written as runs so that the paragraph's text includes the number."""
    parts = [("w:fldChar", "begin"), ("w:instrText", f" SEQ {sequence} \\* ARABIC "), ("w:fldChar", "separate")]
    parts += [("w:t", str(number)), ("w:fldChar", "end")]
    for tag, value in parts:
        run, part = OxmlElement("w:r"), OxmlElement(tag)
        if tag == "w:fldChar":
            part.set(qn("w:fldCharType"), value)
        else:
            part.set(qn("xml:space"), "preserve")
            part.text = value
        run.append(part)
        paragraph._p.append(run)


def figure_label(number: int, lang: Lang) -> str:
    """``Abbildung 3`` / ``Figure 3``: the figures are numbered in the order of the paper, the same in every format."""
    return f"{word('figure', lang)} {number}"


def _docx_figure(document: Any, figure: Figure, number: int, lang: Lang) -> None:
    """The figure as PNG (title and caption lines as its alt text) and a numbered caption under it."""
    picture = document.add_picture(io.BytesIO(to_png(figure.spec, lang=lang)), width=Cm(figure.width_cm))
    picture._inline.docPr.set("descr", "\n".join([figure.title, *figure.caption]))
    caption = document.add_paragraph(word("figure", lang) + " ", style="Caption")
    _sequence_number(caption, word("figure", lang), number)
    caption.add_run(f": {figure.title}")


def _docx_table(document: Any, table: Table) -> None:
    out = document.add_table(rows=1, cols=len(table.headers))
    out.style = "Table Grid"
    for cell, head in zip(out.rows[0].cells, table.headers, strict=True):
        cell.text = head.text
        cell.paragraphs[0].runs[0].bold = True
        if head.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for css, cells in table.rows:
        row = out.add_row().cells
        for cell, value in zip(row, cells, strict=True):
            cell.text = value.text
            if value.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if css in ("chosen", "total") and cell.paragraphs[0].runs:
                cell.paragraphs[0].runs[0].bold = True
    for note in table.notes:
        document.add_paragraph(note, style="Caption")


def write_concept_docx(paper: Paper, out: Path, lang: str = "de") -> Path:
    """The paper as a Word document: title, Heading 1/2, tables, charts as PNG, page numbers in the footer."""
    lg = check_lang(lang)
    document = docx.Document()
    document.core_properties.title = paper.content.title
    document.core_properties.author = paper.content.authors or "regiolens"
    document.core_properties.language = "de-DE" if lg == "de" else "en-GB"
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "de-DE" if lg == "de" else "en-GB")
    document.styles["Normal"].element.get_or_add_rPr().append(language)
    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    footer.text = f"{_footer(paper, lg)} · {word('page', lg)} "
    _page_number(footer)
    document.add_paragraph(word("kicker", lg), style="Subtitle")
    document.add_heading(paper.content.title, level=0)
    figures = 0
    for block in paper_blocks(paper, lg):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            style = {"note": "Caption", "quote": "Quote"}.get(block.kind)
            document.add_paragraph(block.text, style=style)
        elif isinstance(block, TableBlock):
            _docx_table(document, block.table)
        else:
            figures += 1
            _docx_figure(document, block, figures, lg)
    document.save(str(out))
    return out


# ----------------------------------------------------------------------------------------------- HTML / PDF


def render_concept_html(paper: Paper, lang: str = "de") -> str:
    """The paper as one self-contained HTML document (inline stylesheet and SVG charts), for WeasyPrint."""
    lg = check_lang(lang)
    env = _environment()
    blocks: list[tuple[str, Any]] = []
    figures = 0
    for b in paper_blocks(paper, lg):
        if isinstance(b, Figure):
            figures += 1
            caption = f"{figure_label(figures, lg)}: {b.title}"
            blocks.append(("figure", {"svg": Markup(to_svg(b.spec, lg)), "caption": caption}))
        else:
            blocks.append((type(b).__name__.lower(), b))
    context: dict[str, Any] = {
        "lang": lg,
        "css": Markup(stylesheet()),
        "css_string": css_string,
        "kicker": word("kicker", lg),
        "title": paper.content.title,
        "blocks": blocks,
        "footer": _footer(paper, lg),
    }
    return env.get_template(TEMPLATE).render(context)


def check_suffix(out: Path) -> None:
    """Raise :class:`RegiolensError` unless ``out`` names a format of the paper (:data:`SUFFIXES`); the command
    line calls it before the evidence is computed."""
    if out.suffix.lower() not in SUFFIXES:
        shown = out.suffix or "a file without suffix"
        raise RegiolensError(f"cannot write a concept paper as {shown!r}: use {', '.join(SUFFIXES)}")


def write_concept_paper(paper: Paper, out: Path, lang: str = "de") -> Path:
    """Write the paper to ``out``: ``.docx``, ``.pdf`` or ``.html`` by suffix; returns ``out``."""
    out = Path(out)
    check_suffix(out)
    suffix = out.suffix.lower()
    if suffix == ".docx":
        return write_concept_docx(paper, out, lang)
    if suffix == ".pdf":
        return html_to_pdf(render_concept_html(paper, lang), out)
    out.write_text(render_concept_html(paper, lang), encoding="utf-8")
    return out
