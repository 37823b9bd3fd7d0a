"""Tables of a fund projection, ready to print: the web page and the fund report show the same ones.

Each table is a :class:`regiolens.reports.html.Table` of formatted cells (German number formats via
:mod:`regiolens.reports.text`); the figures are fields of :class:`regiolens.fund.projection.Projection`, nothing is
computed here. Percentiles are over the simulated paths (P5 … P95 and the mean, :mod:`regiolens.fund.performance`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from regiolens.fund.mandate import euros
from regiolens.fund.pipeline import label
from regiolens.fund.terms import Stage
from regiolens.reports import text
from regiolens.reports.fund_charts import IMPACT_FIELDS, PERCENTILE_FIELDS, investor_name, pick
from regiolens.reports.html import Cell, Table
from regiolens.reports.text import Lang

if TYPE_CHECKING:
    from regiolens.fund.performance import Percentiles
    from regiolens.fund.projection import InvestorOutcome, Projection

WORDS: dict[str, tuple[str, str]] = {
    "metric": ("Kennzahl", "Metric"),
    "indicator": ("Kennzahl", "Indicator"),
    "p5": ("P5", "P5"),
    "p25": ("P25", "P25"),
    "p50": ("Median", "Median"),
    "p75": ("P75", "P75"),
    "p95": ("P95", "P95"),
    "mean": ("Mittelwert", "Mean"),
    "irr": ("IRR p. a. (Quartale)", "IRR p.a. (quarterly)"),
    "xirr": ("XIRR (Tage)", "XIRR (days)"),
    "tvpi": ("TVPI (Gesamtwert / eingezahlt)", "TVPI (total value / paid in)"),
    "dpi": ("DPI (ausgeschüttet / eingezahlt)", "DPI (distributed / paid in)"),
    "rvpi": ("RVPI (Restwert / eingezahlt)", "RVPI (residual value / paid in)"),
    "pme": ("KS-PME (gegen den Vergleichsindex)", "KS-PME (against the benchmark index)"),
    "loss": (
        "Wahrscheinlichkeit, Geld zu verlieren (TVPI < 1): {share}",
        "Probability of losing money (TVPI < 1): {share}",
    ),
    "later": ("Spätphase (Serie D und später)", "Later stage (Series D on)"),
    "irr_undefined": (
        "In {n} Pfaden ist die IRR nicht bestimmbar (keine Nullstelle); sie fehlen in den IRR-Perzentilen.",
        "In {n} paths the IRR is undefined (no root); they are left out of the IRR percentiles.",
    ),
    "companies_financed": ("Finanzierte Unternehmen", "Companies financed"),
    "follow_ons": ("Folgefinanzierungen", "Follow-on investments"),
    "write_offs": ("Abschreibungen (Ausfälle)", "Write-offs (failures)"),
    "exits": ("Exits (Verkauf, Börsengang)", "Exits (trade sale, IPO)"),
    "invested": ("In Unternehmen investiert", "Invested in companies"),
    "paths": ("Pfade", "Paths"),
    "seed": ("Startwert (Seed)", "Seed"),
    "investable": ("Investierbares Kapital", "Investable capital"),
    "investable_value": (
        "{capital} = Fondsvolumen − Verwaltungsvergütung über die Laufzeit ({fees})",
        "{capital} = fund size − management fees over the life ({fees})",
    ),
    "quarters": ("Quartale", "Quarters"),
    "quarters_value": (
        "{quarters}, davon {investing} in der Investitionsphase",
        "{quarters}, {investing} of them investing",
    ),
    "companies": ("Neue Unternehmen je Pfad", "New companies per path"),
    "entry": ("Einstieg", "Entry"),
    "entry_value": (
        "{stage}: {share} der Unternehmen, Ticket {ticket} für {ownership}",
        "{stage}: {share} of the companies, ticket {ticket} for {ownership}",
    ),
    "reserve": ("Reserve für Folgefinanzierungen", "Follow-on reserve"),
    "max_per_company": ("Höchstens je Unternehmen", "Maximum per company"),
    "stage_table": ("Phasentabelle (Standardwerte)", "Stage table (defaults)"),
    "takahashi": ("Takahashi–Alexander", "Takahashi–Alexander"),
    "takahashi_value": (
        "Wachstum {growth}, Bow {bow}, Rendite-Untergrenze {yield_rate}, Abrufquoten {rates}, Laufzeit {life} Jahre",
        "growth {growth}, bow {bow}, yield {yield_rate}, contribution rates {rates}, life {life} years",
    ),
    "clawback": ("Pfade mit Rückzahlung von Carry (Clawback)", "Paths with carry clawed back"),
}
"""Words of the fund tables (German, English)."""


def word(key: str, lang: Lang, **values: object) -> str:
    """A table word in ``lang``, with ``values`` filled in."""
    return pick(WORDS, key, lang, **values)


def _percentile_table(
    first: str, rows: Sequence[tuple[str, Percentiles, Callable[[float], str]]], lang: Lang, notes: list[str]
) -> Table:
    headers = [Cell(word(first, lang)), *(Cell(word(f, lang), numeric=True) for f in PERCENTILE_FIELDS)]
    body = [
        ("", [Cell(name), *(Cell(shown(getattr(values, f)), numeric=True) for f in PERCENTILE_FIELDS)])
        for name, values, shown in rows
    ]
    return Table(headers, body, notes)


def loss_line(outcome: InvestorOutcome, lang: Lang) -> str:
    """The investor class's probability of losing money in a sentence (shown above its table)."""
    return word("loss", lang, share=text.pct(outcome.loss_probability, lang))


def investor_table(outcome: InvestorOutcome, lang: Lang) -> Table:
    """IRR, XIRR, TVPI, DPI and RVPI of one investor class over the paths (:func:`loss_line` goes with it)."""

    def share(value: float) -> str:
        return text.pct(value, lang)

    def multiple(value: float) -> str:
        return text.num(value, lang, 2)

    rows = [
        ("irr", outcome.irr, share),
        ("xirr", outcome.xirr, share),
        ("tvpi", outcome.tvpi, multiple),
        ("dpi", outcome.dpi, multiple),
        ("rvpi", outcome.rvpi, multiple),
        *([("pme", outcome.pme, multiple)] if outcome.pme is not None else []),
    ]
    notes = [word("irr_undefined", lang, n=text.num(outcome.irr_undefined, lang))] if outcome.irr_undefined else []
    return _percentile_table("metric", [(word(k, lang), v, f) for k, v, f in rows], lang, notes)


def investor_tables(result: Projection, lang: Lang) -> list[tuple[InvestorOutcome, str, str, Table]]:
    """Every investor class (all LPs last) with its name in ``lang``, its :func:`loss_line` and its table."""
    return [(o, investor_name(o, lang), loss_line(o, lang), investor_table(o, lang)) for o in result.investors]


def impact_table(result: Projection, lang: Lang) -> Table:
    """Companies financed, follow-ons, write-offs, exits and euros invested per path: percentiles and mean."""

    def count(value: float) -> str:  # a percentile of counts may fall between two paths (linear interpolation)
        return text.num(value, lang, 0 if round(value, 9).is_integer() else 1)

    def amount(value: float) -> str:
        return euros(round(value), lang)

    rows = [
        (word(name, lang), getattr(result.impact, name), amount if name == "invested" else count)
        for name in IMPACT_FIELDS
    ]
    return _percentile_table("indicator", rows, lang, [])


def stage_name(stage: str, lang: Lang) -> str:
    """A simulation stage by name: the plan's stages (``series_a`` → Serie A), ``later`` for Series D and after."""
    return label(Stage(stage), lang) if stage in set(Stage) else word("later", lang)


def assumption_rows(result: Projection, lang: Lang) -> list[tuple[str, str]]:
    """What the projection assumed beyond the plan's terms, as (label, value) lines."""
    a = result.assumptions
    params = result.plan.takahashi
    entry = [
        word(
            "entry_value",
            lang,
            stage=stage_name(e.stage, lang),
            share=text.pct(e.share, lang),
            ticket=euros(round(e.ticket), lang),
            ownership=text.pct(e.ownership, lang),
        )
        for e in a.entry
    ]
    rates = ", ".join(text.pct(r, lang) for r in params.contribution_rates)
    return [
        (word("paths", lang), text.num(result.paths, lang)),
        (word("seed", lang), str(result.seed)),
        (
            word("investable", lang),
            word(
                "investable_value",
                lang,
                capital=euros(round(a.investable_capital), lang),
                fees=euros(round(a.lifetime_fees), lang),
            ),
        ),
        (word("quarters", lang), word("quarters_value", lang, quarters=a.quarters, investing=a.investment_quarters)),
        (word("companies", lang), text.num(a.companies_per_path, lang)),
        (word("entry", lang), "; ".join(entry)),
        (word("reserve", lang), text.pct(a.reserve_ratio, lang)),
        (word("max_per_company", lang), euros(round(a.max_per_company), lang)),
        (word("stage_table", lang), a.stage_table),
        (
            word("takahashi", lang),
            word(
                "takahashi_value",
                lang,
                growth=text.pct(params.growth, lang),
                bow=text.num(params.bow, lang),
                yield_rate=text.pct(params.yield_rate, lang),
                rates=rates,
                life=params.life_years,
            ),
        ),
        (word("clawback", lang), text.pct(result.clawback_probability, lang)),
    ]
