"""Vega-Lite specs of the fund planner's charts (Altair), and the rows each chart is drawn from.

The projection page of the web app and the fund report draw the same specs, rendered with
:mod:`regiolens.reports.render` (vl-convert, German number formats) and finished like every report chart
(:func:`regiolens.reports.charts._finish`: heading, caption lines underneath, house style). The rows functions
(:func:`j_curve_rows`, :func:`outcome_rows`, :func:`takahashi_rows`, …) are what the charts plot and what the CSV
downloads hold, so a chart and its data file never disagree.

Nothing is computed here: every plotted number is a field of :class:`regiolens.fund.projection.Projection`
(percentiles, J-curve band, TVPI histogram, the Takahashi–Alexander cash flows). The charts only lay them out;
euros are shown in millions on the axes of the Takahashi–Alexander chart (a unit, not a new figure).

- **J-curve**: per investor class the cumulative net cash flow (distributions − contributions) as a share of the
  class's commitment per quarter, P10–P90 band over the paths and the median as a line.
- **Outcome distribution**: per investor class the histogram of TVPI over the paths (bins of 0.25; the last bin
  holds every value from 4 on), TVPI = 1 marked: the paths left of it lose money.
- **Takahashi–Alexander**: contributions, distributions (bars) and NAV (line) per year of the deterministic model
  (Takahashi & Alexander 2002) on the fund size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import altair as alt

from regiolens.fund.mandate import euros
from regiolens.reports import text
from regiolens.reports.charts import _finish
from regiolens.reports.text import Lang, check_lang

if TYPE_CHECKING:
    from regiolens.fund.projection import InvestorOutcome, Projection

BAND_COLOUR = "#1f5fa8"
"""Colour of the J-curve band and median, and of the histogram bars."""
LOSS_COLOUR = "#b2182b"
"""The TVPI = 1 rule: left of it the investors lose money."""
FLOW_COLOURS: dict[str, str] = {"contributions": "#e66101", "distributions": "#1b9e77", "nav": "#1f5fa8"}
"""Colours of the Takahashi–Alexander series."""

WORDS: dict[str, tuple[str, str]] = {
    "j-curve": ("J-Kurve je Investorenklasse", "J-curve per investor class"),
    "outcomes": ("Verteilung der Ergebnisse (TVPI)", "Distribution of outcomes (TVPI)"),
    "takahashi": (
        "Deterministische Projektion (Takahashi–Alexander)",
        "Deterministic projection (Takahashi–Alexander)",
    ),
    "all_lps": ("alle Kommanditisten", "all LPs"),
    "investor": ("Investorenklasse", "Investor class"),
    "quarter_end": ("Quartal", "Quarter"),
    "net_share": ("Kumulierter Nettozufluss / Zusage", "Cumulative net cash flow / commitment"),
    "p10": ("P10", "P10"),
    "p50": ("Median", "Median"),
    "p90": ("P90", "P90"),
    "tvpi": ("TVPI (Gesamtwert / eingezahltes Kapital)", "TVPI (total value / paid-in capital)"),
    "tvpi_range": ("TVPI-Bereich", "TVPI range"),
    "paths": ("Pfade", "Paths"),
    "loss": ("Verlustwahrscheinlichkeit (TVPI < 1)", "Probability of loss (TVPI < 1)"),
    "year": ("Jahr", "Year"),
    "series": ("Reihe", "Series"),
    "million": ("Mio. €", "€ million"),
    "euro": ("Euro", "Euro"),
    "contributions": ("Einzahlungen", "Contributions"),
    "distributions": ("Ausschüttungen", "Distributions"),
    "nav": ("Nettoinventarwert (NAV)", "Net asset value (NAV)"),
    "subtitle": (
        "{plan} · {paths} Pfade · Startwert {seed}",
        "{plan} · {paths} paths · seed {seed}",
    ),
    "ta_subtitle": (
        "{plan} · Fondsvolumen {size} · Wachstum {growth}, Bow {bow}, Laufzeit {life} Jahre",
        "{plan} · fund size {size} · growth {growth}, bow {bow}, life {life} years",
    ),
    "band": (
        "Band: P10 bis P90 über die Pfade, Linie: Median. Unter null: mehr eingezahlt als zurückerhalten.",
        "Band: P10 to P90 over the paths, line: median. Below zero: more paid in than received.",
    ),
    "bins": (
        "Klassen von 0,25; die letzte enthält alle Werte ab 4. Links der roten Linie (TVPI = 1) geht Geld verloren.",
        "Bins of 0.25; the last holds every value from 4 on. Left of the red line (TVPI = 1) money is lost.",
    ),
    "ta_note": (
        "TVPI {tvpi}, IRR {irr}: Modell von Takahashi & Alexander (2002), ohne Zufall, auf das Fondsvolumen.",
        "TVPI {tvpi}, IRR {irr}: Takahashi & Alexander (2002) model, without chance, on the fund size.",
    ),
    "method": (
        "Monte-Carlo-Simulation des Portfolios (regiolens.fund.projection); Standardwerte: {table}",
        "Monte Carlo simulation of the portfolio (regiolens.fund.projection); defaults: {table}",
    ),
}
"""The words of the fund charts (German, English)."""


def pick(words: dict[str, tuple[str, str]], key: str, lang: Lang, **values: object) -> str:
    """The German or English form of ``words[key]``, with ``values`` filled in."""
    de, en = words[key]
    chosen = de if lang == "de" else en
    return chosen.format(**values) if values else chosen


def word(key: str, lang: Lang, **values: object) -> str:
    """A chart word in ``lang``, with ``values`` filled in."""
    return pick(WORDS, key, lang, **values)


def chart_title(chart: str, lang: str) -> str:
    """The heading of the chart called ``chart`` (``j-curve``, ``outcomes``, ``takahashi``)."""
    return word(chart, check_lang(lang))


def investor_name(outcome: InvestorOutcome, lang: Lang) -> str:
    """The class's name; "alle Kommanditisten" / "all LPs" for the fund as a whole."""
    return word("all_lps", lang) if outcome.kind == "fund" else outcome.name


def _subtitle(result: Projection, lang: Lang) -> str:
    return word("subtitle", lang, plan=result.plan.name, paths=text.num(result.paths, lang), seed=result.seed)


def _caption(result: Projection, lang: Lang, *notes: str) -> list[str]:
    return [*notes, word("method", lang, table=result.assumptions.stage_table)]


# ----------------------------------------------------------------------------------------------- rows


def j_curve_rows(result: Projection) -> list[dict[str, Any]]:
    """One row per investor class and quarter: the quarter's date and P10, P50, P90 of the J-curve."""
    return [
        {
            "investor": outcome.name,
            "kind": outcome.kind,
            "quarter": quarter,
            "date": day.isoformat(),
            "p10": outcome.j_curve.p10[quarter],
            "p50": outcome.j_curve.p50[quarter],
            "p90": outcome.j_curve.p90[quarter],
        }
        for outcome in result.investors
        for quarter, day in enumerate(result.dates)
    ]


def outcome_rows_of(outcome: InvestorOutcome) -> list[dict[str, Any]]:
    """The TVPI bins of one investor class: lower and upper edge (``None`` for the open last bin) and paths."""
    edges, counts = outcome.tvpi_histogram.edges, outcome.tvpi_histogram.counts
    return [
        {"tvpi_from": edges[i], "tvpi_to": edges[i + 1] if i + 1 < len(counts) else None, "paths": count}
        for i, count in enumerate(counts)
    ]


def outcome_rows(result: Projection) -> list[dict[str, Any]]:
    """One row per investor class and TVPI bin (:func:`outcome_rows_of`)."""
    return [
        {"investor": outcome.name, "kind": outcome.kind, **row}
        for outcome in result.investors
        for row in outcome_rows_of(outcome)
    ]


def takahashi_rows(result: Projection) -> list[dict[str, Any]]:
    """One row per year of the Takahashi–Alexander model: contributions, distributions, NAV, net cash flow (€)."""
    ta = result.takahashi
    return [
        {
            "year": int(year),
            "contributions": float(ta.contributions[i]),
            "distributions": float(ta.distributions[i]),
            "nav": float(ta.nav[i]),
            "net_cash_flow": float(ta.net_cash_flow[i]),
        }
        for i, year in enumerate(ta.years)
    ]


METRICS: tuple[str, ...] = ("irr", "xirr", "tvpi", "dpi", "rvpi")
"""The metrics of each investor class, in the order of the table."""
PERCENTILE_FIELDS: tuple[str, ...] = ("p5", "p25", "p50", "p75", "p95", "mean")


def investor_rows(result: Projection) -> list[dict[str, Any]]:
    """One row per investor class and metric (IRR, XIRR, TVPI, DPI, RVPI): percentiles, mean, probability of loss."""
    return [
        {
            "investor": outcome.name,
            "kind": outcome.kind,
            "commitment": outcome.commitment,
            "metric": metric,
            **{f: getattr(getattr(outcome, metric), f) for f in PERCENTILE_FIELDS},
            "loss_probability": outcome.loss_probability,
            "irr_undefined": outcome.irr_undefined,
        }
        for outcome in result.investors
        for metric in METRICS
    ]


IMPACT_FIELDS: tuple[str, ...] = ("companies_financed", "follow_ons", "write_offs", "exits", "invested")
"""The regional impact indicators of a projection, in order."""


def impact_rows(result: Projection) -> list[dict[str, Any]]:
    """One row per impact indicator: its percentiles and mean over the paths."""
    return [
        {"indicator": name, **{f: getattr(getattr(result.impact, name), f) for f in PERCENTILE_FIELDS}}
        for name in IMPACT_FIELDS
    ]


# ----------------------------------------------------------------------------------------------- charts


def _panels(order: list[str]) -> alt.Facet:
    """One panel per investor class in ``order`` (their headings), one under the other."""
    header = alt.Header(labelOrient="top", labelAnchor="start", labelFontSize=11, labelLimit=560)
    return alt.Facet("panel:N", title=None, sort=order, header=header)


def j_curve_chart(result: Projection, lang: str = "de") -> dict[str, Any]:
    """The J-curve of every investor class, one panel each: P10–P90 band and median per quarter (module docstring)."""
    lg = check_lang(lang)
    names = {o.name: investor_name(o, lg) for o in result.investors}
    data = [{**row, "panel": names[row["investor"]]} for row in j_curve_rows(result)]
    share = alt.Axis(format=".0%", title=word("net_share", lg))
    x = alt.X("date:T", title=word("quarter_end", lg), axis=alt.Axis(format="%Y", tickCount="year"))
    tooltip = [
        alt.Tooltip("panel:N", title=word("investor", lg)),
        alt.Tooltip("date:T", title=word("quarter_end", lg), format="%d.%m.%Y" if lg == "de" else "%Y-%m-%d"),
        alt.Tooltip("p10:Q", title=word("p10", lg), format=".1%"),
        alt.Tooltip("p50:Q", title=word("p50", lg), format=".1%"),
        alt.Tooltip("p90:Q", title=word("p90", lg), format=".1%"),
    ]
    band = alt.Chart().mark_area(color=BAND_COLOUR, opacity=0.25).encode(x=x, y=alt.Y("p10:Q", axis=share), y2="p90:Q")
    line = alt.Chart().mark_line(color=BAND_COLOUR, strokeWidth=2).encode(x=x, y="p50:Q", tooltip=tooltip)
    zero = alt.Chart().mark_rule(color="#333333").encode(y=alt.datum(0))
    chart = (
        alt.layer(band, line, zero, data=alt.Data(values=data))
        .properties(width=560, height=170)
        .facet(facet=_panels(list(names.values())), columns=1)
    )
    return _finish(chart, word("j-curve", lg), _subtitle(result, lg), _caption(result, lg, word("band", lg)))


def outcome_chart(result: Projection, lang: str = "de") -> dict[str, Any]:
    """The TVPI histogram of every investor class, one panel each, with TVPI = 1 marked (module docstring)."""
    lg = check_lang(lang)
    data = []
    panels = []
    for outcome in result.investors:
        panel = f"{investor_name(outcome, lg)} · {word('loss', lg)}: {text.pct(outcome.loss_probability, lg)}"
        panels.append(panel)
        edges = outcome.tvpi_histogram.edges
        for row in outcome_rows_of(outcome):
            last = row["tvpi_to"] is None
            shown = (
                f"≥ {text.num(row['tvpi_from'], lg, 2)}"
                if last
                else f"{text.num(row['tvpi_from'], lg, 2)}–{text.num(row['tvpi_to'], lg, 2)}"
            )
            data.append(
                {
                    "panel": panel,
                    "from": row["tvpi_from"],
                    "to": edges[-1] if last else row["tvpi_to"],
                    "range": shown,
                    "paths": row["paths"],
                }
            )
    top = max(o.tvpi_histogram.edges[-1] for o in result.investors)
    bars = (
        alt.Chart()
        .mark_bar(color=BAND_COLOUR, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "from:Q",
                title=word("tvpi", lg),
                axis=alt.Axis(format=".2~f"),
                scale=alt.Scale(domain=[0, top], nice=False),
            ),
            x2="to:Q",
            y=alt.Y("paths:Q", title=word("paths", lg), axis=alt.Axis(format=",d")),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("range:N", title=word("tvpi_range", lg)),
                alt.Tooltip("paths:Q", title=word("paths", lg), format=",d"),
            ],
        )
    )
    loss = alt.Chart().mark_rule(color=LOSS_COLOUR, strokeDash=[5, 3], strokeWidth=2).encode(x=alt.datum(1))
    chart = (
        alt.layer(bars, loss, data=alt.Data(values=data))
        .properties(width=520, height=150)
        .facet(facet=_panels(panels), columns=1)
    )
    return _finish(chart, word("outcomes", lg), _subtitle(result, lg), _caption(result, lg, word("bins", lg)))


def takahashi_chart(result: Projection, lang: str = "de") -> dict[str, Any]:
    """Contributions and distributions (bars) and NAV (line) per year of the Takahashi–Alexander model."""
    lg = check_lang(lang)
    series = ("contributions", "distributions", "nav")
    names = [word(s, lg) for s in series]
    data = [
        {"year": row["year"], "series": word(s, lg), "value": row[s]} for row in takahashi_rows(result) for s in series
    ]
    colours = alt.Scale(domain=names, range=[FLOW_COLOURS[s] for s in series])
    y = alt.Y("million:Q", title=word("million", lg), axis=alt.Axis(format=",.0f"))
    tooltip = [
        alt.Tooltip("year:O", title=word("year", lg)),
        alt.Tooltip("series:N", title=word("series", lg)),
        alt.Tooltip("value:Q", title=word("euro", lg), format=",.0f"),
    ]
    base = alt.Chart(alt.Data(values=data)).transform_calculate(million="datum.value / 1000000")
    legend = alt.Legend(orient="top", direction="horizontal", labelLimit=300)
    bars = (
        base.transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=names[:2]))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=word("year", lg), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N", sort=names[:2]),
            y=y,
            color=alt.Color("series:N", title=word("series", lg), scale=colours, legend=legend),
            tooltip=tooltip,
        )
    )
    nav = (
        base.transform_filter(alt.FieldEqualPredicate(field="series", equal=names[2]))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("year:O", title=word("year", lg)),
            y=y,
            color=alt.Color("series:N", title=word("series", lg), scale=colours, legend=legend),
            tooltip=tooltip,
        )
    )
    chart = alt.layer(bars, nav).properties(width=560, height=280)
    ta = result.takahashi
    params = result.plan.takahashi
    subtitle = word(
        "ta_subtitle",
        lg,
        plan=result.plan.name,
        size=euros(round(result.plan.size), lg),
        growth=text.pct(params.growth, lg),
        bow=text.num(params.bow, lg),
        life=params.life_years,
    )
    note = word("ta_note", lg, tvpi=text.num(ta.tvpi, lg, 2), irr=text.pct(ta.irr, lg))
    return _finish(chart, word("takahashi", lg), subtitle, [note])


CHARTS: dict[str, Callable[[Projection, str], dict[str, Any]]] = {
    "j-curve": j_curve_chart,
    "outcomes": outcome_chart,
    "takahashi": takahashi_chart,
}
"""The charts of a projection, in order, by the name the web page's URLs and the report use for them."""
