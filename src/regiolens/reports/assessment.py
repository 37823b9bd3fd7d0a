"""The report of a transferability assessment: HTML/PDF (Jinja + WeasyPrint) and XLSX, in German or English.

It renders an :class:`~regiolens.network.assessment.AssessmentResult` and computes nothing: every score and figure
is a field of the result (formatted with :mod:`regiolens.reports.text`), so the PDF says what the web page and the
JSON say. The layout reuses the region report's stylesheet, its table view model
(:class:`~regiolens.reports.html.Table`), its offline PDF writer (:func:`~regiolens.reports.pdf.html_to_pdf`) and
its workbook writer (:mod:`regiolens.reports.xlsx`); the template is ``templates/assessment.html.j2``.

>>> write_assessment_report(result, Path("hannoverimpuls_emscher-lippe.pdf"))  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from regiolens.network.assessment import AssessmentResult
from regiolens.reports import text
from regiolens.reports.document import write_document
from regiolens.reports.html import Cell, Table, css_string, stylesheet
from regiolens.reports.text import MISSING, Lang, check_lang, num, pct
from regiolens.reports.xlsx import Column, Sheet, write_workbook

TEMPLATE = "assessment.html.j2"

WORDS: dict[str, tuple[str, str]] = {
    "kicker": ("Übertragbarkeit", "Transferability"),
    "to": ("nach", "to"),
    "origin": ("Herkunft", "Origin"),
    "target": ("Ziel", "Target"),
    "period": ("Zeitraum", "Period"),
    "as_of": ("Stand der Angaben", "Statements as of"),
    "version": ("Version", "Version"),
    "created": ("Erstellt", "Created"),
    "total": ("Gesamtscore", "Total score"),
    "no_total": ("kein Gesamtscore (keine Komponente mit Score)", "no total (no component with a score)"),
    "components": ("Komponenten", "Components"),
    "component": ("Komponente", "Component"),
    "weight": ("Gewicht", "Weight"),
    "score": ("Score", "Score"),
    "reason": ("Begründung", "Reason"),
    "structure": ("Strukturelle Ähnlichkeit", "Structural similarity"),
    "indicator": ("Indikator", "Indicator"),
    "share_of_distance": ("Anteil an der Distanz", "Share of the distance"),
    "clusters": ("Fokuscluster im Ziel", "Focus clusters in the target"),
    "cluster": ("Cluster", "Cluster"),
    "basis": ("Grundlage", "Basis"),
    "lq": ("LQ", "LQ"),
    "employment": ("Beschäftigte", "Employees"),
    "growth": ("Wachstum", "Growth"),
    "growth_germany": ("Wachstum Deutschland", "Growth Germany"),
    "density": ("Verwandtschaft", "Relatedness"),
    "portfolio": ("Portfolio", "Portfolio"),
    "shared": ("Gemeinsame Stärken", "Shared strengths"),
    "only": ("Nur {name}", "Only {name}"),
    "none": ("keine", "none"),
    "side_by_side": ("Beide Regionen nebeneinander", "Both regions side by side"),
    "code": ("Code", "Code"),
    "industry": ("Branche", "Industry"),
    "share": ("Anteil", "Share"),
    "strong": ("stark", "strong"),
    "checklist": ("Voraussetzungen", "Preconditions"),
    "item": ("Voraussetzung", "Precondition"),
    "answer": ("Antwort", "Answer"),
    "note": ("Notiz", "Note"),
    "exchanges": ("Aus dem Austausch", "From the exchanges"),
    "findings": ("Ergebnisse", "Findings"),
    "no_findings": ("keine Ergebnisse erfasst", "no findings recorded"),
    "open_follow_ups": ("Offen", "Open"),
    "lessons": ("Lehren", "Lessons"),
    "method": ("Methode", "Method"),
    "notes": ("Hinweise", "Notes"),
    "sources": ("Quellen", "Sources"),
    "unknown_date": ("Datum unbekannt", "date unknown"),
    "generator": ("Erstellt mit regiolens", "Made with regiolens"),
    "basis:cluster": ("Cluster", "cluster"),
    "basis:proxy": ("{proxy}", "{proxy}"),
    "basis:none": ("nicht auflösbar", "not resolvable"),
    "unavailable": ("nicht verfügbar", "not available"),
    "outcome:worked": ("hat funktioniert", "worked"),
    "outcome:failed": ("ist gescheitert", "failed"),
    "outcome:mixed": ("gemischt", "mixed"),
    "outcome:open": ("offen", "open"),
}


def word(key: str, lang: Lang, **values: object) -> str:
    """A word of :data:`WORDS` in ``lang``, placeholders filled."""
    entry = WORDS[key][0 if lang == "de" else 1]
    return entry.format(**values) if values else entry


def _score(value: float | None, lang: Lang) -> str:
    return num(value, lang, 2) if value is not None else word("unavailable", lang)


def _indicator(name: str, lang: Lang) -> str:
    if name.startswith("structure:"):
        return f"{text.label('indicator:structure', lang)} {name.split(':', 1)[1]}"
    return text.label(f"indicator:{name}", lang)


def _indicator_value(name: str, value: float | None, lang: Lang) -> str:
    if name.startswith("structure:") or name == "growth":
        return pct(value, lang)
    return num(value, lang, 0)


def _basis(basis: str, proxy: str | None, lang: Lang) -> str:
    return word(f"basis:{basis}", lang, proxy=proxy or "")


def _tables(result: AssessmentResult, lang: Lang) -> dict[str, Table]:
    de = lang == "de"
    components = Table(
        headers=[Cell(word(k, lang), numeric=k in ("weight", "score")) for k in ("component", "weight", "score")]
        + [Cell(word("reason", lang))],
        css="assessment-components",
    )
    for c in result.components:
        components.rows.append(
            (
                "" if c.score is not None else "unresolved",
                [
                    Cell(c.name_de if de else c.name_en),
                    Cell(num(c.weight, lang, 1), numeric=True),
                    Cell(_score(c.score, lang), numeric=True),
                    Cell(c.reason_de if de else c.reason_en, css="reason"),
                ],
            )
        )
    structure = Table(
        headers=[
            Cell(word("indicator", lang)),
            Cell(result.target.name, numeric=True),
            Cell(result.origin.name, numeric=True),
            Cell(word("share_of_distance", lang), numeric=True),
        ],
        css="narrow",
    )
    for i in result.structural.indicators:
        structure.rows.append(
            (
                "",
                [
                    Cell(_indicator(i.name, lang)),
                    Cell(_indicator_value(i.name, i.target, lang), numeric=True),
                    Cell(_indicator_value(i.name, i.origin, lang), numeric=True),
                    Cell(pct(i.contribution, lang, 0), numeric=True),
                ],
            )
        )
    keys = ("cluster", "basis", "lq", "lq", "employment", "employment", "growth", "growth_germany", "density", "score")
    clusters = Table(
        headers=[Cell(word(k, lang), numeric=i >= 2) for i, k in enumerate(keys)],
        groups=[("", 2), (word("target", lang) + " / " + word("origin", lang), 4), ("", 4)],
        css="assessment-clusters",
    )
    for f in result.clusters:
        clusters.rows.append(
            (
                "unresolved" if f.basis == "none" else f.basis,
                [
                    Cell(f.name_de if de else f.name_en),
                    Cell(_basis(f.basis, f.proxy_name_de if de else f.proxy_name_en, lang)),
                    Cell(num(f.lq, lang, 2), numeric=True),
                    Cell(num(f.lq_origin, lang, 2), numeric=True),
                    Cell(num(f.employment, lang, 0), numeric=True),
                    Cell(num(f.employment_origin, lang, 0), numeric=True),
                    Cell(pct(f.growth, lang), numeric=True),
                    Cell(pct(f.reference_growth, lang), numeric=True),
                    Cell(num(f.density, lang, 2), numeric=True),
                    Cell(_score(f.score, lang), numeric=True),
                ],
            )
        )
    side = Table(
        headers=[
            Cell(word("code", lang)),
            Cell(word("industry", lang)),
            *(
                Cell(f"{word(k, lang)} {n}", numeric=True)
                for k in ("share", "lq")
                for n in (result.origin.name, result.target.name)
            ),
        ],
        css="industries",
    )
    for r in result.side_by_side:
        side.rows.append(
            (
                "",
                [
                    Cell(r.code, css="code"),
                    Cell(r.label_de if de else r.label_en),
                    Cell(pct(r.share_origin, lang), numeric=True),
                    Cell(pct(r.share_target, lang), numeric=True),
                    Cell(num(r.lq_origin, lang, 2) + (" *" if r.strong_origin else ""), numeric=True),
                    Cell(num(r.lq_target, lang, 2) + (" *" if r.strong_target else ""), numeric=True),
                ],
            )
        )
    side.notes.append(
        f"* {word('strong', lang)}: {result.portfolio.threshold_de if de else result.portfolio.threshold_en}"
    )
    checklist = Table(
        headers=[Cell(word(k, lang), numeric=k == "weight") for k in ("item", "answer", "weight", "note")],
        css="narrow",
    )
    for item in result.checklist:
        checklist.rows.append(
            (
                "",
                [
                    Cell(item.label_de if de else item.label_en),
                    Cell(item.answer_de if de else item.answer_en),
                    Cell(num(item.weight, lang, 1), numeric=True),
                    Cell(item.note or MISSING),
                ],
            )
        )
    sources = Table(headers=[Cell(text.label(k, lang)) for k in ("dataset_key", "publisher", "licence", "vintage")])
    for src in result.sources:
        sources.rows.append(
            ("", [Cell(src.dataset_key), Cell(src.publisher), Cell(src.licence), Cell(src.vintage or "")])
        )
    return {
        "components": components,
        "structure": structure,
        "clusters": clusters,
        "side": side,
        "checklist": checklist,
        "sources": sources,
    }


def render_assessment_html(result: AssessmentResult, lang: str = "de", *, created: date | None = None) -> str:
    """The report as one self-contained HTML document (inline stylesheet, nothing fetched)."""
    lg = check_lang(lang)
    de = lg == "de"
    title = f"{result.initiative_name} {word('to', lg)} {result.target.name}"
    meta = [
        (word("origin", lg), f"{result.origin.name} ({result.origin.ref})"),
        (word("target", lg), f"{result.target.name} ({result.target.ref})"),
        (word("period", lg), f"{result.base_year}–{result.year}"),
        (word("as_of", lg), result.as_of.isoformat()),
        (word("created", lg), (created or date.today()).isoformat()),
    ]
    if result.version is not None:
        meta.append((word("version", lg), str(result.version)))
    portfolio = result.portfolio

    def names(items: list[Any]) -> str:
        return ", ".join(i.label_de if de else i.label_en for i in items) or word("none", lg)

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("regiolens.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context: dict[str, Any] = {
        "lang": lg,
        "w": lambda key, **kw: word(key, lg, **kw),
        "css": Markup(stylesheet()),
        "css_string": css_string,
        "kicker": word("kicker", lg),
        "title": title,
        "meta": meta,
        "total": _score(result.total, lg) if result.total is not None else word("no_total", lg),
        "tables": _tables(result, lg),
        "structural_reason": result.structural.reason_de if de else result.structural.reason_en,
        "cluster_reasons": [f.reason_de if de else f.reason_en for f in result.clusters],
        "portfolio_lines": [
            (word("shared", lg), names(portfolio.shared)),
            (word("only", lg, name=result.origin.name), names(portfolio.only_origin)),
            (word("only", lg, name=result.target.name), names(portfolio.only_target)),
        ],
        "portfolio_reason": portfolio.reason_de if de else portfolio.reason_en,
        "exchanges": [
            {
                "title": e.title,
                "date": e.date.isoformat() if e.date else word("unknown_date", lg),
                "findings": e.findings or word("no_findings", lg),
                "open": e.open_follow_ups,
            }
            for e in result.exchanges
        ],
        "lessons": [
            {"title": x.title, "outcome": word(f"outcome:{x.outcome}", lg), "preconditions": x.preconditions}
            for x in result.lessons
        ],
        "method": result.method_de if de else result.method_en,
        "notes": [*(result.notes_de if de else result.notes_en), *result.structural.notes],
        "footer": f"{word('kicker', lg)}: {title}",
    }
    return env.get_template(TEMPLATE).render(context)


def _sheets(result: AssessmentResult, lang: Lang) -> list[Sheet]:
    de = lang == "de"

    def columns(*spec: tuple[str, str, str]) -> list[Column]:
        return [Column(key, kind, title) for key, kind, title in spec]

    label = "label_de" if de else "label_en"
    return [
        Sheet(
            word("components", lang),
            columns(
                ("component", "text", word("component", lang)),
                ("weight", "lq", word("weight", lang)),
                ("score", "index", word("score", lang)),
                ("reason", "text", word("reason", lang)),
            ),
            [
                {
                    "component": c.name_de if de else c.name_en,
                    "weight": c.weight,
                    "score": c.score,
                    "reason": c.reason_de if de else c.reason_en,
                }
                for c in result.components
            ]
            + [{"component": word("total", lang), "score": result.total}],
        ),
        Sheet(
            word("structure", lang),
            columns(
                ("name", "text", word("indicator", lang)),
                ("target", "index", result.target.name),
                ("origin", "index", result.origin.name),
                ("contribution", "pct", word("share_of_distance", lang)),
            ),
            [i.model_dump() for i in result.structural.indicators],
        ),
        Sheet(
            word("clusters", lang)[:31],
            columns(
                ("cluster", "text", word("cluster", lang)),
                ("basis", "text", word("basis", lang)),
                ("proxy", "text", "Proxy"),
                ("lq", "lq", f"{word('lq', lang)} {result.target.name}"),
                ("lq_origin", "lq", f"{word('lq', lang)} {result.origin.name}"),
                ("employment", "int", f"{word('employment', lang)} {result.target.name}"),
                ("employment_origin", "int", f"{word('employment', lang)} {result.origin.name}"),
                ("growth", "pct", word("growth", lang)),
                ("reference_growth", "pct", word("growth_germany", lang)),
                ("density", "index", word("density", lang)),
                ("score", "index", word("score", lang)),
                ("reason", "text", word("reason", lang)),
            ),
            [
                {
                    **f.model_dump(),
                    "cluster": f.name_de if de else f.name_en,
                    "reason": f.reason_de if de else f.reason_en,
                }
                for f in result.clusters
            ],
        ),
        Sheet(
            word("side_by_side", lang)[:31],
            columns(
                ("code", "text", word("code", lang)),
                (label, "text", word("industry", lang)),
                ("share_origin", "pct", f"{word('share', lang)} {result.origin.name}"),
                ("share_target", "pct", f"{word('share', lang)} {result.target.name}"),
                ("lq_origin", "lq", f"{word('lq', lang)} {result.origin.name}"),
                ("lq_target", "lq", f"{word('lq', lang)} {result.target.name}"),
                ("growth_origin", "pct", f"{word('growth', lang)} {result.origin.name}"),
                ("growth_target", "pct", f"{word('growth', lang)} {result.target.name}"),
                ("strong_origin", "bool", f"{word('strong', lang)} {result.origin.name}"),
                ("strong_target", "bool", f"{word('strong', lang)} {result.target.name}"),
            ),
            [r.model_dump() for r in result.side_by_side],
        ),
        Sheet(
            word("checklist", lang),
            columns(
                (label, "text", word("item", lang)),
                ("answer_de" if de else "answer_en", "text", word("answer", lang)),
                ("value", "index", word("score", lang)),
                ("weight", "lq", word("weight", lang)),
                ("note", "text", word("note", lang)),
            ),
            [i.model_dump() for i in result.checklist],
        ),
        Sheet(
            word("method", lang),
            columns(("text", "text", word("method", lang))),
            [
                {"text": result.method_de if de else result.method_en},
                *({"text": n} for n in (result.notes_de if de else result.notes_en)),
            ],
            table=False,
        ),
        Sheet(
            word("sources", lang),
            columns(
                ("dataset_key", "text", text.label("dataset_key", lang)),
                ("publisher", "text", text.label("publisher", lang)),
                ("licence", "text", text.label("licence", lang)),
                ("attribution", "text", text.label("attribution", lang)),
                ("vintage", "text", text.label("vintage", lang)),
            ),
            [vars(s) for s in result.sources],
        ),
    ]


def write_assessment_xlsx(result: AssessmentResult, out: Path, lang: str = "de") -> Path:
    """The workbook of the assessment: components, structure, clusters, side by side, checklist, method, sources."""
    lg = check_lang(lang)
    title = f"{word('kicker', lg)}: {result.initiative_name} → {result.target.name}"
    return write_workbook(out, _sheets(result, lg), {"title": title})


def write_assessment_report(result: AssessmentResult, out: Path, lang: str = "de") -> Path:
    """Write the assessment report to ``out``: ``.pdf``, ``.html`` or ``.xlsx`` by suffix; returns ``out``."""
    return write_document(
        out,
        lang,
        "an assessment report",
        html=lambda lg: render_assessment_html(result, lg),
        xlsx=lambda o, lg: write_assessment_xlsx(result, o, lg),
    )
