"""The HTML report of a :class:`Profile` or a :class:`Comparison`: self-contained, printable on A4.

:func:`render_html` turns a result into one HTML document: the charts inline as SVG (rendered with
:mod:`regiolens.reports.render`), the stylesheet inline, no external reference of any kind, so the
file can be mailed, opened offline and printed to PDF (:mod:`regiolens.reports.pdf`). The template
``templates/report.html.j2`` only lays out what this module prepares: every number is formatted here
with :mod:`regiolens.i18n` in the locale of the report's language (``de_DE`` or ``en_GB``), and every
number is a field of the result — nothing is computed.

Sections, in order: title with region, reference, period, data vintage and sources; (comparison:
summary, LQs side by side, differences, growth gaps); the map (when an :class:`LQMap` is given); per
region the key figures, the industry portfolio, the shift-share chart and totals, the cluster portfolio
(every cluster, also those that cannot be resolved, with the reason), the specialisation indices, the
industry tables, then — when given — its peers page (:class:`Peers`) and its opportunities page
(:class:`Opportunities`), each on a new page in print; the method notes; sources and attribution (those of
the peers and opportunities included).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from markupsafe import Markup, escape

from regiolens.analysis.results import (
    Comparison,
    IndustryRow,
    LQMap,
    Opportunities,
    Peers,
    Profile,
    SourceRef,
)
from regiolens.errors import RegiolensError
from regiolens.reports import charts, sections, text
from regiolens.reports.methods import method_notes, to_html
from regiolens.reports.render import to_svg
from regiolens.reports.text import MISSING, Lang, check_lang, label, num, pct, phrase

CHART_ROWS = 25
"""At most this many industries (the largest by employees) are drawn per chart; the tables hold all."""

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"

WORDS: dict[str, dict[str, str]] = {
    "key_figures": {"de": "Kennzahlen", "en": "Key figures"},
    "map": {"de": "Karte", "en": "Map"},
    "portfolio": {"de": "Branchenportfolio", "en": "Industry portfolio"},
    "shift_share": {"de": "Shift-Share-Analyse", "en": "Shift-share analysis"},
    "shift_totals": {"de": "Komponenten über alle Branchen", "en": "Components over all industries"},
    "clusters": {"de": "Clusterportfolio", "en": "Cluster portfolio"},
    "no_clusters": {"de": "Keine Cluster-Taxonomie ausgewertet.", "en": "No cluster taxonomy evaluated."},
    "specialisation": {"de": "Spezialisierung", "en": "Specialisation"},
    "industries": {"de": "Branchen", "en": "Industries"},
    "structure": {"de": "Struktur {year}", "en": "Structure {year}"},
    "development": {"de": "Entwicklung {period}", "en": "Development {period}"},
    "notes": {"de": "Hinweise", "en": "Notes"},
    "methods": {"de": "Methoden", "en": "Methods"},
    "sources": {"de": "Quellen und Namensnennung", "en": "Sources and attribution"},
    "summary": {"de": "Zusammenfassung", "en": "Summary"},
    "shared_strengths": {"de": "Gemeinsame Stärken", "en": "Shared strengths"},
    "none": {"de": "keine", "en": "none"},
    "differences": {"de": "Unterschiede", "en": "Differences"},
    "growth_gaps": {"de": "Wachstumsunterschiede", "en": "Growth gaps"},
    "lq_compare": {"de": "Standortquotienten im Vergleich", "en": "Location quotients compared"},
    "index": {"de": "Maß", "en": "Measure"},
    "value": {"de": "Wert", "en": "Value"},
    "persons": {"de": "Personen", "en": "Persons"},
    "ratio": {"de": "Verhältnis", "en": "Ratio"},
    "interval": {"de": "Intervall", "en": "Interval"},
    "members": {"de": "Gebiet", "en": "Area"},
    "period": {"de": "Zeitraum", "en": "Period"},
    "created": {"de": "Erstellt", "en": "Created"},
    "page": {"de": "Seite", "en": "Page"},
    "of": {"de": "von", "en": "of"},
    "strong_industries": {"de": "Starke Branchen", "en": "Strong industries"},
    "change": {"de": "Veränderung {period}", "en": "Change {period}"},
    "employment_in": {"de": "Beschäftigte {year}", "en": "Employees {year}"},
    "reference_in": {"de": "Beschäftigte {reference} {year}", "en": "Employees {reference} {year}"},
    "data_download": {
        "de": "Die Daten hinter jeder Grafik und Tabelle stehen in der Excel-Mappe zu diesem Bericht.",
        "en": "The data behind every chart and table are in the Excel workbook of this report.",
    },
    "pp": {"de": "Pp.", "en": "pp"},
    "components_persons": {"de": "Shift-Share-Komponenten (Personen)", "en": "Shift-share components (persons)"},
    "national_short": {"de": "Konjunktur", "en": "National share"},
    "industry_mix_short": {"de": "Struktur", "en": "Industry mix"},
    "regional_short": {"de": "Standort", "en": "Regional effect"},
    "generator": {"de": "Erstellt mit regiolens", "en": "Made with regiolens"},
    "of_reference": {"de": "Referenz", "en": "reference"},
    # the peers page
    "peers_title": {"de": "Vergleichsregionen", "en": "Peer regions"},
    "peers_lead": {
        "de": "Die {n} {level} mit der geringsten Distanz zu {region} nach {indicators}; {within}; {period}. "
        "Gewichte: {weights}.",
        "en": "The {n} {level} nearest to {region} by {indicators}; {within}; {period}. Weights: {weights}.",
    },
    "within:de": {"de": "Kandidaten in Deutschland", "en": "candidates in Germany"},
    "within:eu": {
        "de": "Kandidaten in der EU (Eurostat, Erwerbstätige)",
        "en": "candidates in the EU (Eurostat, persons employed)",
    },
    "peers_shares_note": {
        "de": "Anteil an der Distanz: der Teil der quadrierten Distanz, den der Indikator ausmacht; je Region "
        "zusammen 100 %. Kleine Distanz: ähnlich; Begründung vom ähnlichsten zum unähnlichsten Indikator.",
        "en": "Share of the distance: the part of the squared distance the indicator accounts for; 100 % per "
        "region. Small distance: similar; the reason runs from the most to the least similar indicator.",
    },
    # the opportunities page
    "opportunities_title": {"de": "Chancen und Risiken", "en": "Opportunities and risks"},
    "eci_line": {
        "de": "Wirtschaftliche Komplexität der Region (ECI): {eci}. Vergleichsmenge: die {universe}, {period}.",
        "en": "Economic complexity of the region (ECI): {eci}. Compared with: the {universe}, {period}.",
    },
    "eci_explained": {
        "de": "ECI: Mittel der Komplexität (PCI) der Branchen, auf die die Region spezialisiert ist (LQ ≥ 1); "
        "über 0 komplexer als der Durchschnitt der Branchen.",
        "en": "ECI: the mean complexity (PCI) of the industries the region is specialised in (LQ ≥ 1); above 0 "
        "more complex than the average industry.",
    },
    "opportunities": {
        "de": "Chancen: Branchen mit Standortquotient unter 1",
        "en": "Opportunities: industries with a location quotient below 1",
    },
    "no_opportunities": {
        "de": "Keine Branche mit Standortquotient unter 1.",
        "en": "No industry with a location quotient below 1.",
    },
    "opportunities_note": {
        "de": "Score von −0,5 bis +0,5: gewichtetes Mittel der Ränge unter den Kandidaten nach Dichte, PCI "
        "und bundesweitem Wachstum; Dichte-Perzentil: Anteil der Regionen mit geringerer Dichte.",
        "en": "Score from −0.5 to +0.5: weighted mean of the ranks among the candidates by density, PCI and "
        "national growth; density percentile: share of the regions with a lower density.",
    },
    "strengths": {"de": "Stärken (LQ ≥ 1) und ihre Risiken", "en": "Strengths (LQ ≥ 1) and their risks"},
    "no_strengths": {
        "de": "Keine Branche mit Standortquotient ab 1.",
        "en": "No industry with a location quotient of 1 or more.",
    },
    "at_risk": {"de": "gefährdet", "en": "at risk"},
    "stable": {"de": "stabil", "en": "stable"},
    "strengths_note": {
        "de": "Gefährdet: Standortquotient gesunken (Schwelle in den Hinweisen) oder Dichte unter dem Median der "
        "darauf spezialisierten Regionen; gefährdete Stärken zuerst.",
        "en": "At risk: location quotient fell (threshold in the notes) or density below the median of the regions "
        "specialised in it; strengths at risk first.",
    },
    "cluster_outlook": {"de": "Cluster aus Sicht der Verwandtschaft", "en": "Clusters seen through relatedness"},
}
"""Words of the HTML report beyond :data:`regiolens.reports.text.PHRASES`."""


def word(key: str, lang: Lang, **values: object) -> str:
    """A word of :data:`WORDS` in ``lang`` with ``{placeholders}`` filled."""
    entry = WORDS[key][lang]
    return entry.format(**values) if values else entry


# ----------------------------------------------------------------------------------------------- view model


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, whether it is a number (right-aligned) and extra CSS classes."""

    text: str
    numeric: bool = False
    css: str = ""


@dataclass
class Table:
    """A table ready to print: header cells, rows of cells (each with a CSS class) and notes under it.

    ``groups`` is an optional header row above ``headers``: (text, number of columns spanned).
    """

    headers: list[Cell]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    css: str = ""
    groups: list[tuple[str, int]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    """Column widths in per cent of the table (for a fixed layout whose column count varies); none: CSS decides."""


@dataclass(frozen=True)
class Figure:
    """One key figure: label, formatted value and an optional note under it."""

    label: str
    value: str
    note: str = ""


@dataclass
class PeersView:
    """The peers page of one region: heading, the lead sentence, the table, notes and source lines."""

    title: str
    lead: str
    table: Table
    notes: list[str]
    source_lines: list[str]


@dataclass
class OpportunitiesView:
    """The opportunities page of one region: ECI line, chart, the three tables, notes and source lines."""

    title: str
    eci: str
    eci_explained: str
    chart: Markup | None
    opportunities: Table
    strengths: Table
    clusters: Table
    notes: list[str]
    source_lines: list[str]


@dataclass
class ProfileView:
    """Everything the template shows for one profile (and its peers and opportunities pages, if any)."""

    name: str
    anchor: str
    key_figures: list[Figure]
    strong: list[str]
    bubble: Markup
    shift: Markup
    shift_totals: Table
    clusters: Table
    specialisation: Table
    structure: Table
    development: Table
    structure_title: str
    development_title: str
    notes: list[str]
    peers: PeersView | None = None
    opportunities: OpportunitiesView | None = None


def _n(value: float | None, lang: Lang, digits: int | None = 0) -> Cell:
    return Cell(num(value, lang, digits), numeric=True)


def _p(value: float | None, lang: Lang, digits: int = 1) -> Cell:
    return Cell(pct(value, lang, digits), numeric=True)


def _signed(value: float | None, lang: Lang, digits: int | None = 0) -> str:
    """A change with its sign, ``+10.000`` or ``−2.622`` (true minus sign)."""
    value = text.known(value)
    if value is None:
        return MISSING
    body = num(value, lang, digits)
    return "+" + body if value > 0 else body


def _s(value: float | None, lang: Lang, digits: int | None = 0) -> Cell:
    return Cell(_signed(value, lang, digits), numeric=True)


def _yes(value: bool, lang: Lang) -> Cell:
    return Cell(phrase("yes", lang) if value else "", css="flag")


def _employment(row: IndustryRow, lang: Lang) -> Cell:
    """Employees with ``*`` for a small number."""
    cell = num(row.employment, lang, 0)
    return Cell(cell + (" *" if row.small_number else ""), numeric=True)


def _interval(row: IndustryRow, lang: Lang) -> Cell:
    if text.known(row.lq_low) is None or text.known(row.lq_high) is None:
        return Cell(MISSING, numeric=True)
    return Cell(f"{num(row.lq_low, lang, 2)}–{num(row.lq_high, lang, 2)}", numeric=True)


def _industry_name(row: IndustryRow, lang: Lang) -> str:
    return text.name(row.label_de, row.label_en, lang)


_SOFT_RE = re.compile(
    r"(?<=[a-zäöüß])(komponente|quotient|rate|faktor|effekt|zeichen|referenz|differenz|bedingt|jahr)", re.I
)


def soft_hyphens(heading: str) -> Markup:
    """``heading`` (escaped) with soft hyphens before the parts of long German compounds.

    Narrow table columns can then break ``Standortquotient`` as ``Standort-`` / ``quotient`` instead of
    pushing the table past the page edge. WeasyPrint overestimates the narrowest width of a text that
    holds both a space and a soft hyphen, so such headings break at their spaces (``<br>``).
    """
    soft = _SOFT_RE.sub("\u00ad\\1", heading)
    html = str(escape(soft))
    if soft != heading and " " in soft:
        html = html.replace(" ", "<br>")
    return Markup(html)


def _header(keys: Sequence[str], lang: Lang, numeric_from: int) -> list[Cell]:
    return [Cell(soft_hyphens(label(k, lang)), numeric=i >= numeric_from) for i, k in enumerate(keys)]


def structure_table(profile: Profile, lang: Lang) -> Table:
    """Size and structure of every industry in the latest year: employees, shares, LQ with interval."""
    headers = _header(["code", "label", "employment", "share", "reference_share", "lq"], lang, 2)
    headers += [Cell(word("interval", lang), numeric=True), Cell(label("strong", lang)), Cell(label("flag", lang))]
    table = Table(headers=headers, css="industries")
    for r in profile.industries:
        css = "small" if r.small_number else ""
        table.rows.append(
            (
                css,
                [
                    Cell(r.code, css="code"),
                    Cell(_industry_name(r, lang)),
                    _employment(r, lang),
                    _p(r.share, lang),
                    _p(r.reference_share, lang),
                    _n(r.lq, lang, 2),
                    _interval(r, lang),
                    _yes(r.strong, lang),
                    Cell(text.flag_label(r.flag, lang), css="flag"),
                ],
            )
        )
    _industry_notes(table, profile.industries, lang)
    return table


def development_table(profile: Profile, lang: Lang) -> Table:
    """Growth and the classic shift-share components of every industry (components under one heading)."""
    keys = ["code", "label", "employment_base", "growth", "cagr", "reference_growth"]
    headers = _header(keys, lang, 2)
    headers += [Cell(word(k, lang), numeric=True) for k in ("national_short", "industry_mix_short", "regional_short")]
    groups = [("", len(keys)), (word("components_persons", lang), 3)]
    table = Table(headers=headers, css="industries development", groups=groups)
    for r in profile.industries:
        table.rows.append(
            (
                "small" if r.small_number else "",
                [
                    Cell(r.code, css="code"),
                    Cell(_industry_name(r, lang)),
                    _n(r.employment_base, lang),
                    _p(r.growth, lang),
                    _p(r.cagr, lang),
                    _p(r.reference_growth, lang),
                    _s(r.national, lang),
                    _s(r.industry_mix, lang),
                    _s(r.regional, lang),
                ],
            )
        )
    _industry_notes(table, profile.industries, lang)
    return table


def _industry_notes(table: Table, rows: Sequence[IndustryRow], lang: Lang) -> None:
    if any(r.small_number for r in rows):
        table.notes.append(phrase("small_number_note", lang))
    if any(r.flag == "suppressed" or (text.known(r.employment) is None and r.flag != "none") for r in rows):
        table.notes.append(
            text.name(
                "– kein Wert: geheim gehalten, nicht verfügbar oder nicht definiert (nie als Null gezählt).",
                "– no value: suppressed, not available or undefined (never counted as zero).",
                lang,
            )
        )


def cluster_table(profile: Profile, lang: Lang) -> Table:
    """Every cluster of the taxonomies with its status and reason; figures where it can be resolved."""
    keys = ["taxonomy", "cluster", "status", "reason", "employment", "share", "lq", "growth", "strong"]
    table = Table(headers=_header(keys, lang, 4), css="clusters")
    for c in profile.clusters:
        f = c.figures
        css = "unresolved" if f is None or c.status == "not_resolvable" else c.status.replace("_", "-")
        cells = [
            Cell(c.taxonomy),
            Cell(text.name(c.name_de, c.name_en, lang)),
            Cell(text.status_label(c.status, lang), css="status"),
            Cell(text.reason(c, lang) or MISSING, css="reason"),
        ]
        if f is None:
            cells += [Cell(MISSING, numeric=True)] * 4 + [Cell("")]
        else:
            cells += [_employment(f, lang), _p(f.share, lang), _n(f.lq, lang, 2), _p(f.growth, lang)]
            cells.append(_yes(f.strong, lang))
        table.rows.append((css, cells))
    if any(c.figures is not None and c.figures.small_number for c in profile.clusters):
        table.notes.append(phrase("small_number_note", lang))
    return table


SPECIALISATION_FIELDS: tuple[str, ...] = (
    "krugman",
    "hoover",
    "gini",
    "herfindahl",
    "entropy",
    "related_variety",
    "unrelated_variety",
)
"""The fields of :class:`regiolens.analysis.results.Specialisation`, in the order shown."""


def specialisation_table(profile: Profile, lang: Lang) -> Table:
    """The specialisation indices of the region (``–`` where an index is not available)."""
    table = Table(headers=[Cell(word("index", lang)), Cell(word("value", lang), numeric=True)], css="narrow")
    for key in SPECIALISATION_FIELDS:
        table.rows.append(("", [Cell(label(key, lang)), _n(getattr(profile.specialisation, key), lang, 3)]))
    return table


SHIFT_SHARE_PERSONS: tuple[str, ...] = (
    "actual_change",
    "national",
    "industry_mix",
    "regional",
    "competitive",
    "allocation",
    "dynamic_national",
    "dynamic_industry_mix",
    "dynamic_regional",
)
"""Shift-share totals in persons, in the order shown (dynamic ones only when computed)."""

SHIFT_SHARE_RATIOS: tuple[str, ...] = ("structural_factor", "location_factor")
"""Shift-share totals that are ratios (Gerfin)."""


def shift_totals_table(profile: Profile, lang: Lang) -> Table:
    """The shift-share of the region over all industries: components in persons, Gerfin factors as ratios."""
    table = Table(
        headers=[Cell(phrase("component", lang)), Cell(word("value", lang), numeric=True), Cell("")],
        css="narrow",
    )
    totals = profile.shift_share
    for key in SHIFT_SHARE_PERSONS:
        value = getattr(totals, key)
        if value is None and key.startswith("dynamic_"):
            continue
        css = "total" if key == "actual_change" else ""
        table.rows.append((css, [Cell(label(key, lang)), _s(value, lang), Cell(word("persons", lang))]))
    for key in SHIFT_SHARE_RATIOS:
        value = getattr(totals, key)
        table.rows.append(("", [Cell(label(key, lang)), _n(value, lang, 3), Cell(word("ratio", lang))]))
    return table


def key_figures(profile: Profile, lang: Lang) -> list[Figure]:
    """The headline numbers of a profile (all of them fields of the profile)."""
    period = text.years(profile)
    ss = profile.shift_share
    return [
        Figure(word("employment_in", lang, year=profile.year), num(profile.total_employment, lang, 0)),
        Figure(word("employment_in", lang, year=profile.base_year), num(profile.total_employment_base, lang, 0)),
        Figure(word("change", lang, period=period), _signed(ss.actual_change, lang), word("persons", lang)),
        Figure(label("national", lang), _signed(ss.national, lang), word("persons", lang)),
        Figure(label("industry_mix", lang), _signed(ss.industry_mix, lang), word("persons", lang)),
        Figure(label("regional", lang), _signed(ss.regional, lang), word("persons", lang)),
        Figure(
            word("reference_in", lang, reference=profile.reference.name, year=profile.year),
            num(profile.reference_total, lang, 0),
        ),
        Figure(label("structural_factor", lang), num(ss.structural_factor, lang, 3)),
        Figure(label("location_factor", lang), num(ss.location_factor, lang, 3)),
    ]


def sources_table(sources: Sequence[SourceRef], lang: Lang) -> Table:
    """The sources of the numbers: dataset, publisher, licence, data vintage."""
    keys = ["dataset_key", "publisher", "licence", "vintage"]
    table = Table(headers=_header(keys, lang, len(keys)), css="sources")
    for s in dict.fromkeys(sources):
        table.rows.append(
            ("", [Cell(s.dataset_key, css="code"), Cell(s.publisher), Cell(s.licence), Cell(s.vintage or MISSING)])
        )
    return table


def differences_table(comparison: Comparison, lang: Lang) -> Table:
    """Industries where the compared regions differ: LQ per region, where strong, and the finding."""
    names = {p.region.ref: p.region.name for p in comparison.profiles}
    headers = [Cell(label("industry", lang))]
    headers += [Cell(f"{label('lq', lang)} {p.region.name}", numeric=True) for p in comparison.profiles]
    headers += [Cell(label("strong_in", lang)), Cell(label("text", lang))]
    table = Table(headers=headers, css="differences")
    for d in comparison.differences:
        cells = [Cell(text.name(d.label_de, d.label_en, lang))]
        cells += [_n(d.lq.get(p.region.ref), lang, 2) for p in comparison.profiles]
        cells.append(Cell(", ".join(names.get(r, r) for r in d.strong_in) or MISSING))
        cells.append(Cell(text.name(d.text_de, d.text_en, lang), css="reason"))
        table.rows.append(("", cells))
    return table


def _pp(value: float | None, lang: Lang) -> Cell:
    """A difference of growth rates in percentage points (0.0318 → ``3,2 Pp.``)."""
    value = text.known(value)
    if value is None:
        return Cell(MISSING, numeric=True)
    return Cell(f"{_signed(value * 100, lang, 1)} {word('pp', lang)}", numeric=True)


def growth_gap_table(comparison: Comparison, lang: Lang) -> Table:
    """Growth of region a minus region b, split into structure and regional effect; the findings under it."""
    names = {p.region.ref: p.region.name for p in comparison.profiles}
    keys = ["a", "b", "growth_a", "growth_b", "gap", "structural", "regional", "structural_share"]
    table = Table(headers=_header(keys, lang, 2), css="gaps")
    for g in comparison.growth_gaps:
        table.rows.append(
            (
                "",
                [
                    Cell(names.get(g.a, g.a)),
                    Cell(names.get(g.b, g.b)),
                    _p(g.growth_a, lang),
                    _p(g.growth_b, lang),
                    _pp(g.gap, lang),
                    _pp(g.structural, lang),
                    _pp(g.regional, lang),
                    _p(g.structural_share, lang, 0),
                ],
            )
        )
        table.notes.append(text.name(g.text_de, g.text_en, lang))
    return table


# ----------------------------------------------------------------------------------------------- peers


def peers_table(peers: Peers, lang: Lang) -> Table:
    """The peers, nearest first: rank, name, code, distance, each indicator's share of it, the reason."""
    headers = [
        Cell(label("rank", lang), numeric=True),
        Cell(label("name", lang)),
        Cell(label("code", lang)),
        Cell(label("distance", lang), numeric=True),
    ]
    headers += [Cell(_soft_indicator(label(f"indicator:{k}", lang)), numeric=True) for k in peers.indicators]
    headers.append(Cell(label("reason", lang)))
    groups = [("", 4), (label("share_of_distance", lang), len(peers.indicators)), ("", 1)]
    # fixed widths (the group heading would otherwise size the columns): the reason gets what the shares leave
    # (per cent of the content boxes, together 90 %: the rest is the cell padding, as in the other fixed tables)
    widths = [4.0, 13.0, 6.0, 6.0, *([8.0] * len(peers.indicators))]
    widths.append(max(90.0 - sum(widths), 18.0))
    table = Table(headers=headers, css="peers", groups=groups, widths=widths)
    for p in peers.peers:
        shares = sections.peer_shares(p, peers.indicators)
        cells = [
            Cell(str(p.rank), numeric=True),
            Cell(p.name),
            Cell(p.code, css="code"),
            _n(p.distance, lang, 3),
        ]
        cells += [_p(shares[k], lang, 0) for k in peers.indicators]
        cells.append(Cell(text.name(p.reason_de, p.reason_en, lang), css="reason"))
        table.rows.append(("", cells))
    table.notes.append(word("peers_shares_note", lang))
    return table


_INDICATOR_SOFT_RE = re.compile(r"(?<=[a-zäöüß])(struktur|dichte)")


def _soft_indicator(name: str) -> Markup:
    """An indicator as a narrow column heading: ``Branchen­struktur``, ``Bevölkerungs­dichte`` may break."""
    return Markup(str(escape(_INDICATOR_SOFT_RE.sub("\u00ad\\1", name))))


def _source_lines(sources: Sequence[SourceRef], lang: Lang) -> list[str]:
    lines = [f"{phrase('vintage_is', lang)}: {text.vintages(sources, lang)}"]
    return lines + [f"{phrase('source_is', lang)}: {a}" for a in text.attributions(sources)]


def peers_view(peers: Peers, lang: Lang) -> PeersView:
    """The peers page: who is nearest, by which indicators and weights, and why."""

    def indicator(k: str) -> str:  # inside a sentence: English words in lower case, German nouns as they are
        name = label(f"indicator:{k}", lang)
        return name[:1].lower() + name[1:] if lang == "en" else name

    names = [indicator(k) for k in peers.indicators]
    weights = ", ".join(f"{indicator(k)} {num(w, lang)}" for k, w in peers.weights.items())
    period = str(peers.year)
    if peers.base_year is not None:
        period += f", {phrase('base_year_is', lang)} {peers.base_year}"
    within = WORDS.get(f"within:{peers.within}", {}).get(lang, peers.within)
    lead = word(
        "peers_lead",
        lang,
        n=len(peers.peers),
        level=text.level_name(peers.region_level, lang),
        within=within,
        region=peers.region.name,
        indicators=", ".join(names),
        period=period,
        weights=weights,
    )
    return PeersView(
        title=f"{word('peers_title', lang)}: {peers.region.name}",
        lead=lead,
        table=peers_table(peers, lang),
        notes=text.notes(peers, lang),
        source_lines=_source_lines(peers.sources, lang),
    )


# ----------------------------------------------------------------------------------------------- opportunities


def opportunities_table(opportunities: Opportunities, lang: Lang) -> Table:
    """The opportunities, best first: rank, industry, LQ, density (and percentile), PCI, growth, score, reason."""
    keys = ["rank", "industry", "lq", "density", "density_percentile", "pci", "national_growth", "score", "reason"]
    headers = _header(keys, lang, 2)
    headers[0] = Cell(label("rank", lang), numeric=True)
    headers[-1] = Cell(label("reason", lang))
    table = Table(headers=headers, css="opportunities")
    for o in opportunities.opportunities:
        table.rows.append(
            (
                "",
                [
                    Cell(str(o.rank), numeric=True),
                    Cell(text.name(o.label_de, o.label_en, lang)),
                    _n(o.lq, lang, 2),
                    _n(o.density, lang, 2),
                    _p(o.density_percentile, lang, 0),
                    Cell(_signed(o.pci, lang, 2), numeric=True),
                    Cell(_signed_pct(o.national_growth, lang), numeric=True),
                    Cell(_signed(o.score, lang, 2), numeric=True),
                    Cell(text.name(o.reason_de, o.reason_en, lang), css="reason"),
                ],
            )
        )
    table.notes.append(word("opportunities_note", lang))
    return table


def _signed_pct(value: float | None, lang: Lang) -> str:
    """A growth rate with its sign, ``+23,6 %``."""
    value = text.known(value)
    if value is None:
        return MISSING
    return ("+" if value > 0 else "") + pct(value, lang)


def strengths_table(opportunities: Opportunities, lang: Lang) -> Table:
    """The strengths (LQ ≥ 1), those at risk first and marked, with LQ now and then, density and the reason."""
    keys = ["status", "industry", "lq", "lq_base", "density", "density_median", "reason"]
    headers = _header(keys, lang, 2)
    headers[-1] = Cell(label("reason", lang))
    table = Table(headers=headers, css="strengths")
    for s in sorted(opportunities.strengths, key=lambda s: not s.at_risk):  # stable: the analysis' order otherwise
        table.rows.append(
            (
                "at-risk" if s.at_risk else "",
                [
                    Cell(word("at_risk" if s.at_risk else "stable", lang), css="status"),
                    Cell(text.name(s.label_de, s.label_en, lang)),
                    _n(s.lq, lang, 2),
                    _n(s.lq_base, lang, 2),
                    _n(s.density, lang, 2),
                    _n(s.density_median, lang, 2),
                    Cell(text.name(s.reason_de, s.reason_en, lang), css="reason"),
                ],
            )
        )
    table.notes.append(word("strengths_note", lang))
    return table


def cluster_outlook_table(opportunities: Opportunities, lang: Lang) -> Table:
    """Every cluster of the taxonomy: status, and LQ, density and national growth where it can be resolved."""
    keys = ["taxonomy", "cluster", "status", "lq", "density", "national_growth", "reason"]
    headers = _header(keys, lang, 3)
    headers[-1] = Cell(label("reason", lang))
    table = Table(headers=headers, css="outlook")
    for c in opportunities.clusters:
        unresolved = c.status == "not_resolvable"
        table.rows.append(
            (
                "unresolved" if unresolved else c.status.replace("_", "-"),
                [
                    Cell(c.taxonomy),
                    Cell(text.name(c.name_de, c.name_en, lang)),
                    Cell(text.status_label(c.status, lang), css="status"),
                    _n(c.lq, lang, 2),
                    _n(c.density, lang, 2),
                    Cell(_signed_pct(c.national_growth, lang), numeric=True),
                    Cell(text.reason(c, lang) or MISSING, css="reason"),
                ],
            )
        )
    return table


def opportunities_view(opportunities: Opportunities, lang: Lang, anchor: str) -> OpportunitiesView:
    """The opportunities page: the region's ECI, the chart, opportunities, strengths, clusters and notes."""
    period = f"{opportunities.year}, {phrase('base_year_is', lang)} {opportunities.base_year}"
    eci = word(
        "eci_line",
        lang,
        eci=_signed(opportunities.eci, lang, 2),
        universe=text.universe_text(opportunities.universe, lang),
        period=period,
    )
    drawable = any(text.known(o.pci) is not None for o in opportunities.opportunities)
    return OpportunitiesView(
        title=f"{word('opportunities_title', lang)}: {opportunities.region.name}",
        eci=eci,
        eci_explained=word("eci_explained", lang),
        chart=(
            _chart(charts.opportunity_chart(opportunities, lang), lang, f"{anchor}-opportunities") if drawable else None
        ),
        opportunities=opportunities_table(opportunities, lang),
        strengths=strengths_table(opportunities, lang),
        clusters=cluster_outlook_table(opportunities, lang),
        notes=text.notes(opportunities, lang),
        source_lines=_source_lines(opportunities.sources, lang),
    )


# ----------------------------------------------------------------------------------------------- charts


_ID_RE = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg: str, prefix: str) -> Markup:
    """An SVG document ready to sit inside HTML: XML declaration dropped, ids made unique with ``prefix``.

    Several charts on one page would otherwise share ids such as ``clip1`` and clip each other.
    """
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    for old in set(_ID_RE.findall(svg)):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{prefix}" ', 1)
    return Markup(svg)


def _chart(spec: dict[str, Any], lang: Lang, prefix: str) -> Markup:
    return inline_svg(to_svg(spec, lang=lang), prefix)


# ----------------------------------------------------------------------------------------------- views


def profile_view(
    profile: Profile,
    lang: Lang,
    index: int = 0,
    *,
    peers: Peers | None = None,
    opportunities: Opportunities | None = None,
) -> ProfileView:
    """The view of one profile: formatted key figures, the charts as inline SVG and the tables.

    ``peers`` and ``opportunities`` (of the same region) add those pages.
    """
    anchor = f"r{index}"
    strong = [_industry_name(r, lang) for r in profile.industries if r.strong]
    return ProfileView(
        name=profile.region.name,
        anchor=anchor,
        key_figures=key_figures(profile, lang),
        strong=strong,
        bubble=_chart(charts.bubble_chart(profile, lang, max_rows=CHART_ROWS), lang, f"{anchor}-bubble"),
        shift=_chart(charts.shift_share_chart(profile, lang, max_rows=CHART_ROWS), lang, f"{anchor}-shift"),
        shift_totals=shift_totals_table(profile, lang),
        clusters=cluster_table(profile, lang),
        specialisation=specialisation_table(profile, lang),
        structure=structure_table(profile, lang),
        development=development_table(profile, lang),
        structure_title=word("structure", lang, year=profile.year),
        development_title=word("development", lang, period=text.years(profile)),
        notes=text.notes(profile, lang),
        peers=peers_view(peers, lang) if peers is not None else None,
        opportunities=opportunities_view(opportunities, lang, anchor) if opportunities is not None else None,
    )


def _meta(profiles: Sequence[Profile], lang: Lang, created: date) -> list[tuple[str, str]]:
    first = profiles[0]
    sources = [s for p in profiles for s in p.sources]
    measure = label(first.measure, lang)
    members = "; ".join(f"{p.region.name}: {', '.join(p.region.members)}" for p in profiles if p.region.members)
    rows = [
        (label("reference", lang), ", ".join(dict.fromkeys(p.reference.name for p in profiles))),
        (word("period", lang), ", ".join(dict.fromkeys(text.years(p) for p in profiles))),
        (label("vintage", lang), text.vintages(sources, lang)),
        (label("classification", lang), f"{first.classification} · {label('measure', lang)}: {measure}"),
        (label("threshold", lang), text.threshold_text(first.threshold, lang)),
    ]
    if members:
        rows.append((word("members", lang), members))
    rows.append((word("created", lang), format_date(created, format="long", locale=text.locale(lang))))
    return rows


def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string, safe inside a ``<style>`` element (quotes, ``<``, ``&`` escaped)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 else c for c in value)
    return Markup(f'"{escaped}"')


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("regiolens.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def stylesheet() -> str:
    """The report's stylesheet (A4 print layout), as shipped in the package."""
    return resources.files("regiolens.reports").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")


def render_html(
    result: Profile | Comparison,
    lang: str = "de",
    lq_map: LQMap | None = None,
    *,
    created: date | None = None,
    peers: Sequence[Peers] = (),
    opportunities: Sequence[Opportunities] = (),
) -> str:
    """The report of ``result`` as one self-contained HTML document in ``lang`` (``"de"`` or ``"en"``).

    ``lq_map`` adds the choropleth of one industry (its caption names the report's threshold and data
    vintage); ``created`` is the date printed on the title (today by default). ``peers`` and
    ``opportunities`` (at most one per profiled region, matched by region) add a peers page and an
    opportunities page after the region's profile.
    """
    lg = check_lang(lang)
    created = created or date.today()
    comparison = result if isinstance(result, Comparison) else None
    profiles = comparison.profiles if comparison else [result] if isinstance(result, Profile) else []
    if not profiles:
        raise RegiolensError("a report needs a Profile or a Comparison with at least one profile")
    first = profiles[0]
    attached = sections.attach(profiles, peers, opportunities)
    sources = sections.sources(attached)
    map_svg = None
    if lq_map is not None:
        reference = first.reference.name if first.reference.ref == lq_map.reference else None
        spec = charts.lq_choropleth(
            lq_map, lg, first.threshold, vintage=text.vintages(sources, lg), reference_name=reference
        )
        map_svg = _chart(spec, lg, "map")
    region_names = [p.region.name for p in profiles]
    kicker = phrase("comparison_report" if comparison else "report", lg)
    title = " · ".join(region_names)
    vintage = text.vintages(sources, lg)
    context: dict[str, Any] = {
        "lang": lg,
        "w": lambda key, **kw: word(key, lg, **kw),
        "css_string": css_string,
        "kicker": kicker,
        "title": title,
        "lead": (
            f"{phrase('reference_is', lg)}: {first.reference.name} · {text.years(first)} · "
            f"{phrase('vintage_is', lg)}: {vintage}"
        ),
        "meta": _meta(profiles, lg, created),
        "css": Markup(stylesheet()),
        "footer": f"{kicker} {title} · {phrase('vintage_is', lg)}: {vintage}",
        "comparison": comparison,
        "summary": (comparison.summary_de if lg == "de" else comparison.summary_en) if comparison else [],
        "shared_strengths": text.industry_names(profiles, comparison.shared_strengths, lg) if comparison else [],
        "comparison_chart": (
            _chart(charts.comparison_lq_chart(comparison, lg, max_rows=CHART_ROWS), lg, "compare")
            if comparison
            else None
        ),
        "differences": differences_table(comparison, lg) if comparison else None,
        "growth_gaps": growth_gap_table(comparison, lg) if comparison and comparison.growth_gaps else None,
        "map_svg": map_svg,
        "profiles": [
            profile_view(a.profile, lg, i, peers=a.peers, opportunities=a.opportunities) for i, a in enumerate(attached)
        ],
        "methods": [
            {"title": to_html(m.title), "formula": to_html(m.formula), "text": to_html(m.text)}
            for m in method_notes(
                first,
                lg,
                peers=any(a.peers for a in attached),
                opportunities=any(a.opportunities for a in attached),
            )
        ],
        "sources": sources_table(sources, lg),
        "attributions": text.attributions(sources, lq_map.attribution if lq_map else ()),
    }
    return _environment().get_template(TEMPLATE).render(context)


def write_html(
    result: Profile | Comparison,
    out: Path,
    lang: str = "de",
    lq_map: LQMap | None = None,
    *,
    created: date | None = None,
    peers: Sequence[Peers] = (),
    opportunities: Sequence[Opportunities] = (),
) -> Path:
    """Write :func:`render_html` to ``out`` (UTF-8) and return the path."""
    html = render_html(result, lang, lq_map, created=created, peers=peers, opportunities=opportunities)
    out.write_text(html, encoding="utf-8")
    return out


__all__ = [
    "Cell",
    "Figure",
    "OpportunitiesView",
    "PeersView",
    "ProfileView",
    "Table",
    "cluster_table",
    "development_table",
    "inline_svg",
    "key_figures",
    "opportunities_table",
    "peers_table",
    "render_html",
    "specialisation_table",
    "strengths_table",
    "structure_table",
    "write_html",
]
