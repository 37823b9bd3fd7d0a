"""The report of a fund projection: HTML/PDF (Jinja + WeasyPrint) and XLSX, in German or English.

Meant as an input to an ex-ante assessment: the plan's terms, the outcome per investor class (IRR, XIRR, TVPI,
DPI, RVPI over the simulated paths and the probability of losing money), the J-curve, the distribution of outcomes,
the deterministic Takahashi–Alexander projection, the leverage of public money, the simulated regional impact, and
every assumption with its source. It renders a :class:`~regiolens.fund.projection.Projection` and computes nothing:
tables come from :mod:`regiolens.reports.fund_tables`, charts and their data from :mod:`regiolens.reports.fund_charts`
— the same as on the projection page of the web app. Layout, PDF writer and workbook writer are the region report's.

>>> write_fund_report(project(load_plan("plan.toml")), Path("fonds.pdf"))  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from regiolens.fund.classes import Leverage
from regiolens.fund.mandate import euros
from regiolens.fund.pipeline import label
from regiolens.fund.projection import Projection
from regiolens.fund.terms import FundPlan
from regiolens.reports import fund_charts, text
from regiolens.reports.document import write_document
from regiolens.reports.fund_tables import assumption_rows, impact_table, investor_tables
from regiolens.reports.html import css_string, stylesheet
from regiolens.reports.render import to_svg
from regiolens.reports.text import Lang, check_lang
from regiolens.reports.xlsx import Column, Sheet, write_workbook

TEMPLATE = "fund.html.j2"
EURO_COLUMNS = ("contributions", "distributions", "nav", "net_cash_flow")
"""Columns of the Takahashi–Alexander sheet in euros."""

WORDS: dict[str, tuple[str, str]] = {
    "kicker": ("Fondsplanung", "Fund plan"),
    "valid": ("Gültigkeit der Bedingungen", "Terms valid"),
    "open_end": ("offen", "open-ended"),
    "first_close": ("Erstes Closing", "First close"),
    "source": ("Quelle der Bedingungen", "Source of the terms"),
    "created": ("Erstellt", "Created"),
    "terms": ("Bedingungen", "Terms"),
    "size": ("Fondsvolumen", "Fund size"),
    "classes": ("Investorenklassen", "Investor classes"),
    "structure": ("Struktur", "Structure"),
    "structure:pari_passu": ("pari passu (gleiche Bedingungen für alle)", "pari passu (equal terms for all)"),
    "structure:capped_public_return": (
        "gedeckelte öffentliche Rendite ({rate} p. a.)",
        "capped public return ({rate} p.a.)",
    ),
    "structure:public_first_loss": ("öffentliche Erstverlusttranche ({share})", "public first-loss piece ({share})"),
    "structure:buyout_option": (
        "Rückkaufoption der Privaten ({early} bis Jahr {switch}, danach {late} p. a.)",
        "buy-out option of the private side ({early} up to year {switch}, {late} p.a. after)",
    ),
    "periods": ("Investitionsphase / Laufzeit", "Investment period / life"),
    "periods_value": ("{ip} / {life} Jahre", "{ip} / {life} years"),
    "fees": ("Verwaltungsvergütung", "Management fee"),
    "fees_value": (
        "{rate_ip} p. a. auf {basis_ip} in der Investitionsphase, danach {rate_after} auf {basis_after}",
        "{rate_ip} p.a. on {basis_ip} in the investment period, then {rate_after} on {basis_after}",
    ),
    "basis:commitment": ("Zusagen", "commitments"),
    "basis:invested": ("investiertes Kapital", "invested capital"),
    "waterfall": ("Verteilung (europäischer Wasserfall)", "Distribution (European waterfall)"),
    "waterfall_value": (
        "Hurdle {hurdle} ({compounding}), Carry {carry}, Catch-up {catch_up}",
        "hurdle {hurdle} ({compounding}), carry {carry}, catch-up {catch_up}",
    ),
    "compound": ("mit Zinseszins", "compound"),
    "simple": ("einfach", "simple"),
    "tickets": ("Erstinvestment je Phase", "Initial ticket per stage"),
    "reserve": ("Reserve für Folgefinanzierungen", "Follow-on reserve"),
    "max_per_company": ("Höchstens je Unternehmen", "Maximum per company"),
    "no_limit": ("keine Grenze", "no limit"),
    "results": ("Ergebnis je Investorenklasse", "Outcome per investor class"),
    "commitment": ("Zusage", "Commitment"),
    "charts": ("Grafiken", "Charts"),
    "leverage": ("Hebel des öffentlichen Geldes", "Leverage of public money"),
    "private_per_public": ("Privates Kapital je öffentlichem Euro", "Private capital per public euro"),
    "fund_per_public": ("Fondsvolumen je öffentlichem Euro", "Fund size per public euro"),
    "finance_per_public": (
        "In Unternehmen investiert je öffentlichem Euro (Median)",
        "Invested in companies per public euro (median)",
    ),
    "impact": ("Wirkung in der Region (simuliert)", "Impact in the region (simulated)"),
    "assumptions": ("Annahmen", "Assumptions"),
    "sources": ("Quellen der Standardannahmen", "Sources of the default assumptions"),
    "method": ("Methode", "Method"),
    "method_text": (
        "Jeder Pfad ist eine mögliche Geschichte des Portfolios: Unternehmen steigen in der Investitionsphase ein, "
        "erreichen die nächste Finanzierungsrunde, fallen aus oder werden verkauft; Folgefinanzierungen werden erst "
        "bei der nächsten Runde entschieden (ohne Blick in die Zukunft). Die Zahlungen laufen durch "
        "Verwaltungsvergütung und europäischen Wasserfall und werden nach der Struktur auf die Investorenklassen "
        "verteilt. IRR und XIRR mit pyxirr (XIRR: ACT/365F). Perzentile über die Pfade.",
        "Each path is one possible history of the portfolio: companies enter in the investment period, reach their "
        "next round, fail or are sold; follow-ons are decided only at the next round (no look-ahead). The cash flows "
        "go through the management fee and the European waterfall and are split between the investor classes by the "
        "structure. IRR and XIRR with pyxirr (XIRR: ACT/365F). Percentiles over the paths.",
    ),
    "generator": ("Erstellt mit regiolens", "Made with regiolens"),
    "sheet:terms": ("Bedingungen", "Terms"),
    "sheet:investors": ("Investoren", "Investors"),
    "sheet:j-curve": ("J-Kurve", "J-curve"),
    "sheet:outcomes": ("Ergebnisverteilung", "Outcomes"),
    "sheet:takahashi": ("Takahashi-Alexander", "Takahashi-Alexander"),
    "sheet:impact": ("Wirkung", "Impact"),
    "sheet:assumptions": ("Annahmen", "Assumptions"),
    "item": ("Angabe", "Item"),
    "value": ("Wert", "Value"),
}
"""Words of the fund report (German, English)."""


def word(key: str, lang: Lang, **values: object) -> str:
    """A report word in ``lang``, placeholders filled."""
    return fund_charts.pick(WORDS, key, lang, **values)


def _structure(plan: FundPlan, lang: Lang) -> str:
    s = plan.structure
    if s.kind == "capped_public_return":
        return word("structure:capped_public_return", lang, rate=text.pct(s.cap_rate, lang))
    if s.kind == "public_first_loss":
        return word("structure:public_first_loss", lang, share=text.pct(s.share, lang))
    if s.kind == "buyout_option":
        return word(
            "structure:buyout_option",
            lang,
            early=text.pct(s.early_rate, lang),
            late=text.pct(s.late_rate, lang),
            switch=text.num(s.switch_years, lang),
        )
    return word("structure:pari_passu", lang)


def terms_rows(plan: FundPlan, lang: Lang) -> list[tuple[str, str]]:
    """The plan's terms in words, as (label, value) lines."""
    fees, waterfall, investment = plan.fees, plan.waterfall, plan.investment
    classes = "; ".join(
        f"{c.name} ({label_kind(c.kind.value, lang)}): {euros(round(c.commitment), lang)}" for c in plan.classes
    )
    tickets = "; ".join(f"{label(stage, lang)} {euros(round(t), lang)}" for stage, t in investment.tickets.items())
    limit = investment.max_per_company
    return [
        (word("size", lang), euros(round(plan.size), lang)),
        (word("classes", lang), classes),
        (word("structure", lang), _structure(plan, lang)),
        (
            word("periods", lang),
            word(
                "periods_value",
                lang,
                ip=text.num(plan.investment_period_years, lang),
                life=text.num(plan.life_years, lang),
            ),
        ),
        (
            word("fees", lang),
            word(
                "fees_value",
                lang,
                rate_ip=text.pct(fees.rate_investment_period, lang),
                basis_ip=word(f"basis:{fees.basis_investment_period}", lang),
                rate_after=text.pct(fees.rate_after, lang),
                basis_after=word(f"basis:{fees.basis_after}", lang),
            ),
        ),
        (
            word("waterfall", lang),
            word(
                "waterfall_value",
                lang,
                hurdle=text.pct(waterfall.hurdle_rate, lang),
                compounding=word(waterfall.hurdle_compounding, lang),
                carry=text.pct(waterfall.carry_rate, lang),
                catch_up=text.pct(waterfall.catch_up, lang),
            ),
        ),
        (word("tickets", lang), tickets),
        (word("reserve", lang), text.pct(investment.follow_on_reserve_ratio, lang)),
        (word("max_per_company", lang), euros(round(limit), lang) if limit else word("no_limit", lang)),
    ]


def label_kind(kind: str, lang: Lang) -> str:
    """An investor kind in words (öffentlich / privat / andere)."""
    names = {"public": ("öffentlich", "public"), "private": ("privat", "private"), "other": ("andere", "other")}
    return fund_charts.pick(names, kind, lang)


def leverage_rows(lev: Leverage, lang: Lang) -> list[tuple[str, str]]:
    """The leverage ratios of :class:`~regiolens.fund.classes.Leverage` as (label, value) lines."""
    rows = [
        (word("private_per_public", lang), text.num(lev.private_per_public_euro, lang, 2)),
        (word("fund_per_public", lang), text.num(lev.fund_per_public_euro, lang, 2)),
    ]
    if lev.finance_per_public_euro is not None:
        rows.append((word("finance_per_public", lang), text.num(lev.finance_per_public_euro, lang, 2)))
    return rows


def _meta(result: Projection, lang: Lang, created: date) -> list[tuple[str, str]]:
    plan = result.plan
    valid_to = text.date_text(plan.valid_to, lang) if plan.valid_to else word("open_end", lang)
    meta = [
        (word("valid", lang), f"{text.date_text(plan.valid_from, lang)} – {valid_to}"),
        (word("first_close", lang), text.date_text(plan.first_close, lang)),
        (word("created", lang), text.date_text(created, lang)),
    ]
    if plan.source:
        meta.append((word("source", lang), plan.source))
    return meta


def render_fund_html(result: Projection, lang: str = "de", *, created: date | None = None) -> str:
    """The report as one self-contained HTML document (inline stylesheet and SVG charts, nothing fetched)."""
    lg = check_lang(lang)
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
        "title": result.plan.name,
        "meta": _meta(result, lg, created or date.today()),
        "terms": terms_rows(result.plan, lg),
        "investors": [
            (name, euros(round(outcome.commitment), lg), loss, table)
            for outcome, name, loss, table in investor_tables(result, lg)
        ],
        "charts": [
            (fund_charts.chart_title(name, lg), Markup(to_svg(chart(result, lg), lg)))
            for name, chart in fund_charts.CHARTS.items()
        ],
        "leverage": leverage_rows(result.leverage, lg),
        "impact": impact_table(result, lg),
        "assumptions": assumption_rows(result, lg),
        "sources": result.assumptions.sources,
        "footer": f"{word('kicker', lg)}: {result.plan.name} · {word('generator', lg)}",
    }
    return env.get_template(TEMPLATE).render(context)


def _sheets(result: Projection, lang: Lang) -> list[Sheet]:
    def lines(name: str, rows: list[tuple[str, str]]) -> Sheet:
        columns = [Column("item", "text", word("item", lang)), Column("value", "text", word("value", lang))]
        return Sheet(word(f"sheet:{name}", lang), columns, [{"item": k, "value": v} for k, v in rows])

    def table(name: str, rows: list[dict[str, Any]], kinds: dict[str, str]) -> Sheet:
        keys = list(rows[0]) if rows else []
        return Sheet(word(f"sheet:{name}", lang), [Column(k, kinds.get(k, "index"), k) for k in keys], rows)

    text_keys = {"investor": "text", "kind": "text", "metric": "text", "indicator": "text", "date": "text"}
    return [
        lines("terms", terms_rows(result.plan, lang) + leverage_rows(result.leverage, lang)),
        table("investors", fund_charts.investor_rows(result), text_keys),
        table("j-curve", fund_charts.j_curve_rows(result), text_keys | {"quarter": "int"}),
        table("outcomes", fund_charts.outcome_rows(result), text_keys | {"paths": "int"}),
        table("takahashi", fund_charts.takahashi_rows(result), dict.fromkeys(EURO_COLUMNS, "int") | {"year": "year"}),
        table("impact", fund_charts.impact_rows(result), text_keys),
        lines("assumptions", assumption_rows(result, lang)),
    ]


def write_fund_xlsx(result: Projection, out: Path, lang: str = "de") -> Path:
    """The workbook: terms and leverage, investors, J-curve, outcomes, Takahashi–Alexander, impact, assumptions."""
    lg = check_lang(lang)
    return write_workbook(out, _sheets(result, lg), {"title": f"{word('kicker', lg)}: {result.plan.name}"})


def write_fund_report(result: Projection, out: Path, lang: str = "de") -> Path:
    """Write the fund report to ``out``: ``.pdf``, ``.html`` or ``.xlsx`` by suffix; returns ``out``."""
    return write_document(
        out,
        lang,
        "a fund report",
        html=lambda lg: render_fund_html(result, lg),
        xlsx=lambda o, lg: write_fund_xlsx(result, o, lg),
    )
