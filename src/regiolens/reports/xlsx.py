"""The Excel workbook of a report: every table behind every chart, as real numbers with Excel formats.

Layout decisions (the same for a :class:`Profile` and a :class:`Comparison`):

- **Long tables with a region column.** Every sheet that holds figures of a region starts with the
  columns region key and region name; a comparison simply has the rows of every region one after the
  other. One shape for one or many regions, ready for autofilter, pivot tables and ``pandas.read_excel``.
- **One header row** with the labels in the report's language (from
  :data:`regiolens.analysis.results.LABELS`); the machine keys of the columns (the result field names)
  are listed in the data dictionary at the end of the "Methoden"/"Methods" sheet, so no second header
  row gets in the way of filters.
- **Numbers are numbers.** Values are written as floats exactly as in the result, with Excel number
  formats (``#,##0`` persons, ``0.00`` location quotients, ``0.000`` indices and factors, ``0.0%``
  shares and growth rates; Excel shows them with the user's decimal comma). Missing values are empty
  cells, never zero; the flag column says why. Yes/no columns are Excel booleans.
- Header row frozen (with the key columns), autofilter on every table sheet, column widths to fit.

Sheets: Überblick/Overview, Branchen/Industries, Shift-Share, Cluster, Spezialisierung/Specialisation,
Karte/Map (with an :class:`LQMap`), Vergleich/Comparison and Wachstumsunterschiede/Growth gaps and
Zusammenfassung/Summary (comparisons), Vergleichsregionen/Peers (with :class:`Peers`), Chancen/Opportunities,
Stärken/Strengths and Clusterausblick/Cluster outlook (with :class:`Opportunities`), Quellen/Sources,
Methoden/Methods.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from regiolens.analysis.results import (
    Comparison,
    IndustryRow,
    LQMap,
    Opportunities,
    Peers,
    Profile,
    RegionRef,
    SourceRef,
)
from regiolens.errors import RegiolensError
from regiolens.reports import sections, text
from regiolens.reports.methods import method_notes, to_plain
from regiolens.reports.text import Lang, check_lang, label

FORMATS: dict[str, str] = {
    "int": "#,##0",
    "lq": "0.00",
    "index": "0.000",
    "pct": "0.0%",
    "year": "0",
    "text": "@",
    "bool": "General",
}
"""Excel number format of each column kind."""

SHEETS: dict[str, dict[str, str]] = {
    "overview": {"de": "Überblick", "en": "Overview"},
    "industries": {"de": "Branchen", "en": "Industries"},
    "shift_share": {"de": "Shift-Share", "en": "Shift-Share"},
    "clusters": {"de": "Cluster", "en": "Clusters"},
    "specialisation": {"de": "Spezialisierung", "en": "Specialisation"},
    "map": {"de": "Karte", "en": "Map"},
    "comparison": {"de": "Vergleich", "en": "Comparison"},
    "growth_gaps": {"de": "Wachstumsunterschiede", "en": "Growth gaps"},
    "summary": {"de": "Zusammenfassung", "en": "Summary"},
    "peers": {"de": "Vergleichsregionen", "en": "Peers"},
    "opportunities": {"de": "Chancen", "en": "Opportunities"},
    "strengths": {"de": "Stärken", "en": "Strengths"},
    "cluster_outlook": {"de": "Clusterausblick", "en": "Cluster outlook"},
    "sources": {"de": "Quellen", "en": "Sources"},
    "methods": {"de": "Methoden", "en": "Methods"},
}
"""Sheet names in both languages."""

_XLSX_LABELS: dict[str, dict[str, str]] = {
    "label_de": {"de": "Branche (deutsch)", "en": "Industry (German)"},
    "label_en": {"de": "Branche (englisch)", "en": "Industry (English)"},
    "name_de": {"de": "Cluster (deutsch)", "en": "Cluster (German)"},
    "name_en": {"de": "Cluster (englisch)", "en": "Cluster (English)"},
    "line": {"de": "Text", "en": "Text"},
    "note": {"de": "Erläuterung", "en": "Explanation"},
    "kind": {"de": "Art", "en": "Kind"},
    "title": {"de": "Methode", "en": "Method"},
    "formula": {"de": "Formel", "en": "Formula"},
    "sheet": {"de": "Tabellenblatt", "en": "Sheet"},
    "column": {"de": "Spalte", "en": "Column"},
    "key": {"de": "Feld (Schlüssel)", "en": "Field (key)"},
    "format": {"de": "Zahlenformat", "en": "Number format"},
}


def _label(key: str, lang: Lang) -> str:
    entry = _XLSX_LABELS.get(key)
    return entry[lang] if entry else label(key, lang)


@dataclass(frozen=True)
class Column:
    """A column of a sheet: the field key, its kind (:data:`FORMATS`) and its header label."""

    key: str
    kind: str
    title: str


@dataclass
class Sheet:
    """One table: name, columns, rows (dicts by key) and how many leading columns to freeze."""

    name: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    freeze_columns: int = 0
    table: bool = True


def _columns(spec: Sequence[tuple[str, str]], lang: Lang) -> list[Column]:
    return [Column(key, kind, _label(key, lang)) for key, kind in spec]


REGION_COLUMNS: tuple[tuple[str, str], ...] = (("region_ref", "text"), ("region", "text"))

INDUSTRY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "text"),
    ("label_de", "text"),
    ("label_en", "text"),
    ("employment", "int"),
    ("employment_base", "int"),
    ("flag", "text"),
    ("share", "pct"),
    ("reference_share", "pct"),
    ("lq", "lq"),
    ("lq_low", "lq"),
    ("lq_high", "lq"),
    ("growth", "pct"),
    ("cagr", "pct"),
    ("reference_growth", "pct"),
    ("national", "int"),
    ("industry_mix", "int"),
    ("regional", "int"),
    ("competitive", "int"),
    ("allocation", "int"),
    ("strong", "bool"),
    ("small_number", "bool"),
)
"""Every field of :class:`IndustryRow`, in order, with its column kind."""


def _region(profile: Profile) -> dict[str, Any]:
    return {"region_ref": profile.region.ref, "region": profile.region.name}


def _industry_values(row: IndustryRow, lang: Lang) -> dict[str, Any]:
    values = {key: getattr(row, key) for key, _ in INDUSTRY_COLUMNS}
    values["flag"] = text.flag_label(row.flag, lang) or None
    return values


def overview_sheet(profiles: Sequence[Profile], lang: Lang) -> Sheet:
    """One row per region: reference, period, totals, shift-share totals, threshold and vintage."""
    spec = [
        *REGION_COLUMNS,
        ("reference", "text"),
        ("year", "year"),
        ("base_year", "year"),
        ("measure", "text"),
        ("classification", "text"),
        ("total_employment", "int"),
        ("total_employment_base", "int"),
        ("reference_total", "int"),
        ("reference_total_base", "int"),
        ("actual_change", "int"),
        ("national", "int"),
        ("industry_mix", "int"),
        ("regional", "int"),
        ("competitive", "int"),
        ("allocation", "int"),
        ("structural_factor", "index"),
        ("location_factor", "index"),
        ("dynamic_national", "int"),
        ("dynamic_industry_mix", "int"),
        ("dynamic_regional", "int"),
        ("threshold", "text"),
        ("vintage", "text"),
    ]
    rows = []
    for p in profiles:
        ss = p.shift_share
        row = {
            **_region(p),
            "reference": p.reference.name,
            "year": p.year,
            "base_year": p.base_year,
            "measure": p.measure,
            "classification": p.classification,
            "total_employment": p.total_employment,
            "total_employment_base": p.total_employment_base,
            "reference_total": p.reference_total,
            "reference_total_base": p.reference_total_base,
            "threshold": text.threshold_text(p.threshold, lang),
            "vintage": text.vintages(p.sources, lang),
        }
        row.update({key: getattr(ss, key) for key, _ in spec if hasattr(ss, key)})
        rows.append(row)
    return Sheet(SHEETS["overview"][lang], _columns(spec, lang), rows, freeze_columns=2)


def industries_sheet(profiles: Sequence[Profile], lang: Lang) -> Sheet:
    """Every industry row of every region with all its fields (the table behind the portfolio chart)."""
    rows = [{**_region(p), **_industry_values(r, lang)} for p in profiles for r in p.industries]
    return Sheet(
        SHEETS["industries"][lang], _columns([*REGION_COLUMNS, *INDUSTRY_COLUMNS], lang), rows, freeze_columns=3
    )


def shift_share_sheet(profiles: Sequence[Profile], lang: Lang) -> Sheet:
    """Per region and industry the shift-share components in persons (the table behind the chart)."""
    spec = [
        *REGION_COLUMNS,
        ("code", "text"),
        ("industry", "text"),
        ("employment_base", "int"),
        ("employment", "int"),
        ("national", "int"),
        ("industry_mix", "int"),
        ("regional", "int"),
        ("competitive", "int"),
        ("allocation", "int"),
        ("flag", "text"),
    ]
    rows = [
        {
            **_region(p),
            **{key: getattr(r, key) for key, _ in spec if hasattr(r, key) and key != "flag"},
            "industry": text.name(r.label_de, r.label_en, lang),
            "flag": text.flag_label(r.flag, lang) or None,
        }
        for p in profiles
        for r in p.industries
    ]
    return Sheet(SHEETS["shift_share"][lang], _columns(spec, lang), rows, freeze_columns=3)


def cluster_sheet(profiles: Sequence[Profile], lang: Lang) -> Sheet:
    """Every cluster with status and reason, and its figures where it can be resolved (else empty)."""
    figures = [c for c in INDUSTRY_COLUMNS if c[0] not in ("code", "label_de", "label_en")]
    spec = [
        *REGION_COLUMNS,
        ("taxonomy", "text"),
        ("cluster", "text"),
        ("name_de", "text"),
        ("name_en", "text"),
        ("status", "text"),
        ("reason", "text"),
        *figures,
    ]
    rows = []
    for p in profiles:
        for c in p.clusters:
            row: dict[str, Any] = {
                **_region(p),
                "taxonomy": c.taxonomy,
                "cluster": c.cluster,
                "name_de": c.name_de,
                "name_en": c.name_en,
                "status": text.status_label(c.status, lang),
                "reason": text.reason(c, lang),
            }
            if c.figures is not None:
                values = _industry_values(c.figures, lang)
                row.update({key: values[key] for key, _ in figures})
            rows.append(row)
    return Sheet(SHEETS["clusters"][lang], _columns(spec, lang), rows, freeze_columns=4)


SPECIALISATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("krugman", "index"),
    ("hoover", "index"),
    ("gini", "index"),
    ("herfindahl", "index"),
    ("entropy", "index"),
    ("related_variety", "index"),
    ("unrelated_variety", "index"),
)


def specialisation_sheet(profiles: Sequence[Profile], lang: Lang) -> Sheet:
    """The specialisation indices of every region."""
    rows = [
        {**_region(p), **{key: getattr(p.specialisation, key) for key, _ in SPECIALISATION_COLUMNS}} for p in profiles
    ]
    spec = [*REGION_COLUMNS, *SPECIALISATION_COLUMNS]
    return Sheet(SHEETS["specialisation"][lang], _columns(spec, lang), rows, freeze_columns=2)


def map_sheet(lq_map: LQMap, lang: Lang) -> Sheet:
    """The values of the map: one row per region of the level, highlighted ones marked."""
    spec = [
        ("industry", "text"),
        ("label", "text"),
        ("year", "year"),
        ("reference", "text"),
        ("level", "text"),
        ("code", "text"),
        ("name", "text"),
        ("lq", "lq"),
        ("employment", "int"),
        ("flag", "text"),
        ("highlight", "bool"),
    ]
    highlight = set(lq_map.highlight)
    rows = [
        {
            "industry": lq_map.industry,
            "label": text.name(lq_map.label_de, lq_map.label_en, lang),
            "year": lq_map.year,
            "reference": lq_map.reference,
            "level": lq_map.level,
            "code": v.code,
            "name": v.name,
            "lq": v.lq,
            "employment": v.employment,
            "flag": text.flag_label(v.flag, lang) or None,
            "highlight": v.code in highlight,
        }
        for v in lq_map.values
    ]
    columns = _columns(spec, lang)
    columns[0] = Column("industry", "text", label("code", lang))
    return Sheet(SHEETS["map"][lang], columns, rows, freeze_columns=7)


def comparison_sheets(comparison: Comparison, lang: Lang) -> list[Sheet]:
    """Differences (LQ per region side by side), growth gaps, and the summary lines of a comparison."""
    names = {p.region.ref: p.region.name for p in comparison.profiles}
    lq_columns = [
        Column(f"lq:{p.region.ref}", "lq", f"{label('lq', lang)} {p.region.name}") for p in comparison.profiles
    ]
    diff_columns = [
        *_columns([("code", "text"), ("label_de", "text"), ("label_en", "text")], lang),
        *lq_columns,
        *_columns([("strong_in", "text"), ("text", "text")], lang),
    ]
    diffs = [
        {
            "code": d.code,
            "label_de": d.label_de,
            "label_en": d.label_en,
            **{f"lq:{ref}": value for ref, value in d.lq.items()},
            "strong_in": ", ".join(names.get(r, r) for r in d.strong_in) or None,
            "text": text.name(d.text_de, d.text_en, lang),
        }
        for d in comparison.differences
    ]
    gap_spec = [
        ("a", "text"),
        ("b", "text"),
        ("growth_a", "pct"),
        ("growth_b", "pct"),
        ("gap", "pct"),
        ("structural", "pct"),
        ("regional", "pct"),
        ("structural_share", "pct"),
        ("text", "text"),
    ]
    gaps = [
        {
            "a": names.get(g.a, g.a),
            "b": names.get(g.b, g.b),
            "growth_a": g.growth_a,
            "growth_b": g.growth_b,
            "gap": g.gap,
            "structural": g.structural,
            "regional": g.regional,
            "structural_share": g.structural_share,
            "text": text.name(g.text_de, g.text_en, lang),
        }
        for g in comparison.growth_gaps
    ]
    summary_lines = comparison.summary_de if lang == "de" else comparison.summary_en
    strengths = ", ".join(text.industry_names(comparison.profiles, comparison.shared_strengths, lang)) or "–"
    shared = f"{text.name('Gemeinsame Stärken', 'Shared strengths', lang)}: {strengths}"
    summary = [{"line": line} for line in [*summary_lines, shared]]
    return [
        Sheet(SHEETS["comparison"][lang], diff_columns, diffs, freeze_columns=2),
        Sheet(SHEETS["growth_gaps"][lang], _columns(gap_spec, lang), gaps, freeze_columns=2),
        Sheet(SHEETS["summary"][lang], _columns([("line", "text")], lang), summary, table=False),
    ]


def _target(region: RegionRef) -> dict[str, Any]:
    return {"region_ref": region.ref, "region": region.name}


def peers_sheet(found: Sequence[Peers], lang: Lang) -> Sheet:
    """Every peer of every region, nearest first: rank, code, name, distance, each indicator's share, reason.

    The share of an indicator is the sum of its columns' contributions (``structure:<code>``), as on the page.
    """
    indicators = list(dict.fromkeys(k for p in found for k in p.indicators))
    columns = _columns([*REGION_COLUMNS, ("rank", "year"), ("code", "text"), ("name", "text")], lang)
    columns.append(Column("distance", "index", label("distance", lang)))
    columns += [
        Column(f"share:{k}", "pct", f"{label('share_of_distance', lang)}: {label(f'indicator:{k}', lang)}")
        for k in indicators
    ]
    columns += _columns([("level", "text"), ("year", "year"), ("base_year", "year"), ("reason", "text")], lang)
    rows = []
    for p in found:
        for peer in p.peers:
            shares = sections.peer_shares(peer, p.indicators)
            rows.append(
                {
                    **_target(p.region),
                    "rank": peer.rank,
                    "code": peer.code,
                    "name": peer.name,
                    "distance": peer.distance,
                    **{f"share:{k}": v for k, v in shares.items()},
                    "level": p.region_level,
                    "year": p.year,
                    "base_year": p.base_year,
                    "reason": text.name(peer.reason_de, peer.reason_en, lang),
                }
            )
    return Sheet(SHEETS["peers"][lang], columns, rows, freeze_columns=5)


def opportunity_sheets(found: Sequence[Opportunities], lang: Lang) -> list[Sheet]:
    """Opportunities (with each indicator's contribution to the score), strengths at risk, cluster outlook."""
    indicators = list(dict.fromkeys(k for o in found for k in o.weights))
    spec = [
        *REGION_COLUMNS,
        ("eci", "index"),
        ("rank", "year"),
        ("code", "text"),
        ("label_de", "text"),
        ("label_en", "text"),
        ("employment", "int"),
        ("lq", "lq"),
        ("density", "index"),
        ("density_percentile", "pct"),
        ("pci", "index"),
        ("national_growth", "pct"),
        ("opportunity_gain", "index"),
        ("score", "index"),
        *((f"contribution:{k}", "index") for k in indicators),
        ("reason", "text"),
    ]
    rows = [
        {
            **_target(o.region),
            "eci": o.eci,
            **{key: getattr(x, key) for key, _ in spec if hasattr(x, key) and key != "reason"},
            **{f"contribution:{k}": x.contributions.get(k) for k in indicators},
            "reason": text.name(x.reason_de, x.reason_en, lang),
        }
        for o in found
        for x in o.opportunities
    ]
    strength_spec = [
        *REGION_COLUMNS,
        ("code", "text"),
        ("label_de", "text"),
        ("label_en", "text"),
        ("employment", "int"),
        ("lq", "lq"),
        ("lq_base", "lq"),
        ("density", "index"),
        ("density_median", "index"),
        ("declining", "bool"),
        ("weakly_related", "bool"),
        ("at_risk", "bool"),
        ("reason", "text"),
    ]
    strengths = [
        {
            **_target(o.region),
            **{key: getattr(x, key) for key, _ in strength_spec if hasattr(x, key) and key != "reason"},
            "reason": text.name(x.reason_de, x.reason_en, lang),
        }
        for o in found
        for x in sorted(o.strengths, key=lambda x: not x.at_risk)
    ]
    cluster_spec = [
        *REGION_COLUMNS,
        ("taxonomy", "text"),
        ("cluster", "text"),
        ("name_de", "text"),
        ("name_en", "text"),
        ("status", "text"),
        ("reason", "text"),
        ("lq", "lq"),
        ("density", "index"),
        ("national_growth", "pct"),
    ]
    clusters = [
        {
            **_target(o.region),
            **{key: getattr(c, key) for key, _ in cluster_spec if hasattr(c, key)},
            "status": text.status_label(c.status, lang),
        }
        for o in found
        for c in o.clusters
    ]
    return [
        Sheet(SHEETS["opportunities"][lang], _columns(spec, lang), rows, freeze_columns=5),
        Sheet(SHEETS["strengths"][lang], _columns(strength_spec, lang), strengths, freeze_columns=3),
        Sheet(SHEETS["cluster_outlook"][lang], _columns(cluster_spec, lang), clusters, freeze_columns=4),
    ]


def sources_sheet(sources: Sequence[SourceRef], extra_attribution: Sequence[str], lang: Lang) -> Sheet:
    """The sources with licence, attribution and data vintage; map attributions below."""
    spec = [("dataset_key", "text"), ("publisher", "text"), ("licence", "text"), ("attribution", "text")]
    spec.append(("vintage", "text"))
    rows: list[dict[str, Any]] = [{key: getattr(s, key) for key, _ in spec} for s in dict.fromkeys(sources)]
    known = {s.attribution for s in sources}
    rows += [{"attribution": a} for a in dict.fromkeys(extra_attribution) if a not in known]
    return Sheet(SHEETS["sources"][lang], _columns(spec, lang), rows)


def methods_sheet(
    profile: Profile,
    sheets: Sequence[Sheet],
    lang: Lang,
    created: date,
    *,
    peers: bool = False,
    opportunities: bool = False,
) -> Sheet:
    """Method notes, then the data dictionary: sheet, column label, field key and number format.

    ``peers`` and ``opportunities`` add the notes of those methods (when the workbook has their sheets).
    """
    rows: list[dict[str, Any]] = [
        {"title": to_plain(n.title), "formula": to_plain(n.formula), "note": to_plain(n.text)}
        for n in method_notes(profile, lang, peers=peers, opportunities=opportunities)
    ]
    made = text.name("Erstellt mit regiolens am", "Made with regiolens on", lang)
    rows.append({"title": made, "formula": created.isoformat()})
    rows.append({})
    rows.append({"title": _label("sheet", lang), "formula": _label("column", lang), "note": _label("key", lang)})
    rows[-1]["_header"] = True
    for sheet in sheets:
        for c in sheet.columns:
            rows.append({"title": sheet.name, "formula": c.title, "note": f"{c.key} ({FORMATS[c.kind]})"})
    spec = [("title", "text"), ("formula", "text"), ("note", "text")]
    return Sheet(SHEETS["methods"][lang], _columns(spec, lang), rows, table=False)


# ----------------------------------------------------------------------------------------------- writing


def _write_sheet(book: Workbook, sheet: Sheet, styles: dict[str, Any]) -> Worksheet:
    ws: Worksheet = book.add_worksheet(sheet.name)
    widths = [min(max(len(c.title) * 0.9, 8), 40) for c in sheet.columns]
    for j, c in enumerate(sheet.columns):
        ws.write_string(0, j, c.title, styles["header"])
    for i, row in enumerate(sheet.rows, start=1):
        row_style = styles["header_plain"] if row.get("_header") else None
        for j, c in enumerate(sheet.columns):
            value = row.get(c.key)
            style = row_style or styles[c.kind]
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                ws.write_blank(i, j, None, style)
            elif c.kind == "bool" or isinstance(value, bool):
                ws.write_boolean(i, j, bool(value), style)
            elif isinstance(value, int | float) and c.kind != "text":
                ws.write_number(i, j, value, style)
                widths[j] = max(widths[j], 12)
            else:
                value = str(value)
                ws.write_string(i, j, value, style)
                widths[j] = max(widths[j], min(len(value) * 1.05, 60 if c.kind == "text" else 40))
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    ws.set_row(0, 30)
    if sheet.table:
        ws.freeze_panes(1, sheet.freeze_columns)
        ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.columns) - 1)
    return ws


def _styles(book: Workbook) -> dict[str, Any]:
    styles: dict[str, Any] = {kind: book.add_format({"num_format": fmt}) for kind, fmt in FORMATS.items()}
    styles["text"] = book.add_format({"num_format": "@", "text_wrap": False})
    styles["header"] = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1, "bg_color": "#E8EEF4"}
    )
    styles["header_plain"] = book.add_format({"bold": True, "bottom": 1})
    return styles


def build_sheets(
    result: Profile | Comparison,
    lang: Lang,
    lq_map: LQMap | None = None,
    created: date | None = None,
    *,
    peers: Sequence[Peers] = (),
    opportunities: Sequence[Opportunities] = (),
) -> list[Sheet]:
    """The sheets of the workbook of ``result``, in order (exposed for tests and other writers).

    ``peers`` and ``opportunities`` (at most one per profiled region) add their sheets, in the profiles' order.
    """
    comparison = result if isinstance(result, Comparison) else None
    profiles = comparison.profiles if comparison is not None else [result] if isinstance(result, Profile) else []
    if not profiles:
        raise RegiolensError("a workbook needs a Profile or a Comparison with at least one profile")
    attached = sections.attach(profiles, peers, opportunities)
    found_peers = [a.peers for a in attached if a.peers is not None]
    found_opportunities = [a.opportunities for a in attached if a.opportunities is not None]
    sheets = [
        overview_sheet(profiles, lang),
        industries_sheet(profiles, lang),
        shift_share_sheet(profiles, lang),
        cluster_sheet(profiles, lang),
        specialisation_sheet(profiles, lang),
    ]
    if lq_map is not None:
        sheets.append(map_sheet(lq_map, lang))
    if comparison is not None:
        sheets += comparison_sheets(comparison, lang)
    if found_peers:
        sheets.append(peers_sheet(found_peers, lang))
    if found_opportunities:
        sheets += opportunity_sheets(found_opportunities, lang)
    sheets.append(sources_sheet(sections.sources(attached), lq_map.attribution if lq_map else [], lang))
    sheets.append(
        methods_sheet(
            profiles[0],
            sheets,
            lang,
            created or date.today(),
            peers=bool(found_peers),
            opportunities=bool(found_opportunities),
        )
    )
    return sheets


def write_xlsx(
    result: Profile | Comparison,
    out: Path,
    lang: str = "de",
    lq_map: LQMap | None = None,
    *,
    created: date | None = None,
    peers: Sequence[Peers] = (),
    opportunities: Sequence[Opportunities] = (),
) -> Path:
    """Write the workbook of ``result`` to ``out`` and return the path."""
    lg = check_lang(lang)
    sheets = build_sheets(result, lg, lq_map, created, peers=peers, opportunities=opportunities)
    profiles = result.profiles if isinstance(result, Comparison) else [result]
    kicker = text.phrase("comparison_report" if isinstance(result, Comparison) else "report", lg)
    properties = {
        "title": f"{kicker}: {' · '.join(p.region.name for p in profiles)}",
        "subject": f"{profiles[0].reference.name} · {text.years(profiles[0])}",
        "comments": f"{text.phrase('vintage_is', lg)}: {text.vintages(profiles[0].sources, lg)}",
    }
    return write_workbook(out, sheets, properties)


def write_workbook(out: Path, sheets: Sequence[Sheet], properties: dict[str, str]) -> Path:
    """Write ``sheets`` as one workbook to ``out`` in the house style, with the document ``properties`` (title,
    subject, comments; the author is regiolens); text cells stay text (no numbers or formulas made of them)."""
    book = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        styles = _styles(book)
        book.set_properties({**properties, "author": "regiolens"})
        for sheet in sheets:
            _write_sheet(book, sheet, styles)
    finally:
        book.close()
    return out


__all__: list[str] = ["SHEETS", "Column", "Sheet", "build_sheets", "write_workbook", "write_xlsx"]
