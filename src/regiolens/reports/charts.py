"""Vega-Lite specs of the report charts, built with Altair and returned as plain ``dict``.

The same spec serves the static report (rendered with :mod:`regiolens.reports.render`) and the web app
(embedded with vega-embed), so every spec is self-contained: data inline (no URLs), caption lines under
the chart naming the reference area, the year(s), the threshold preset, the data vintage and the
attribution. Numbers in axes, legends and tooltips use d3 format strings; the decimal comma and the
thousands dot come from the format locale at render time (:func:`regiolens.reports.render.format_locale`).

Nothing is computed here: every plotted number is a field of the typed results in
:mod:`regiolens.analysis.results`. The charts only select (rows that cannot be drawn are left out and
named in the caption) and classify for colour (location quotient classes of the map).
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from regiolens.analysis.results import Comparison, IndustryRow, LQMap, Opportunities, Profile, Threshold
from regiolens.reports import text
from regiolens.reports.text import Lang, check_lang, label, phrase

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
"""Font of every chart: DejaVu is what WeasyPrint and vl-convert find on Debian; browsers fall back."""

LQ_BREAKS: tuple[float, ...] = (0.5, 0.8, 1.0, 1.25, 2.0)
"""Class breaks of the map, symmetric on a log scale around LQ = 1 (0.8 = 1/1.25, 0.5 = 1/2)."""

LQ_COLOURS: tuple[str, ...] = ("#2166ac", "#67a9cf", "#d1e5f0", "#fddbc7", "#ef8a62", "#b2182b")
"""Diverging colours of the map classes, below 1 blue and from 1 red (ColorBrewer RdBu, 6 classes)."""

NO_DATA_COLOUR = "#a6a6a6"
"""Fill of regions without a location quotient (missing, suppressed, undefined)."""

LOG_TICKS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
"""Tick values of logarithmic LQ axes (only those inside the domain are drawn)."""

COMPONENT_COLOURS: dict[str, str] = {"national": "#8da0cb", "industry_mix": "#fc8d62", "regional": "#1b9e77"}
"""Colours of the shift-share components."""

REGION_COLOURS: tuple[str, ...] = ("#1f78b4", "#e66101", "#33a02c", "#6a3d9a", "#b15928", "#a6cee3")
"""Colours of the regions of a comparison, in order."""

STRONG_COLOUR = "#b2182b"
OTHER_COLOUR = "#4d4d4d"

LABEL_LENGTH = 34
"""Industry names in charts are cut to this many characters (the tables give them in full)."""

BUBBLE_AREA = 1100
"""Area in square pixels of the largest possible bubble (the size scale starts at zero)."""

BUBBLE_LABELS = 12
"""The portfolio chart names at most this many bubbles (the largest); the tooltip names every one."""

_THRESHOLD_RE = re.compile(r"lq\s*>=?\s*([0-9]+(?:\.[0-9]+)?)", re.IGNORECASE)


# ----------------------------------------------------------------------------------------------- helpers


def threshold_value(threshold: Threshold | None) -> float | None:
    """The LQ value of a fixed threshold preset such as ``lq>=1.25``, for a rule in a chart; else ``None``.

    Presets that are not a fixed value (top quartile, the U.S. Cluster Mapping rule) have no rule;
    the caption names them.
    """
    if threshold is None:
        return None
    match = _THRESHOLD_RE.fullmatch(threshold.preset.strip())
    return float(match.group(1)) if match else None


def _short(value: float, lang: Lang) -> str:
    """A class break with as few decimals as it needs (``0,5``, ``1``, ``1,25``)."""
    digits = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
    return text.num(value, lang, digits=digits)


def lq_classes(lang: Lang) -> list[str]:
    """Names of the map classes in order, e.g. ``< 0,5``, ``0,5 bis < 0,8``, …, ``≥ 2``."""
    joiner = " bis < " if lang == "de" else " to < "
    breaks = [_short(b, lang) for b in LQ_BREAKS]
    inner = [f"{lo}{joiner}{hi}" for lo, hi in itertools.pairwise(breaks)]
    return [f"< {breaks[0]}", *inner, f"≥ {breaks[-1]}"]


def lq_class(lq: float | None, lang: Lang) -> str:
    """The map class of a location quotient (lower bounds inclusive); "keine Daten" for ``None``."""
    if lq is None:
        return phrase("no_data", lang)
    index = sum(lq >= b for b in LQ_BREAKS)
    return lq_classes(lang)[index]


CAPTION_WIDTH = 90
"""Caption lines made of many items are wrapped at about this many characters (a long line widens the chart)."""


def _wrap(items: Sequence[str], separator: str, width: int = CAPTION_WIDTH) -> list[str]:
    """``items`` joined with ``separator`` into lines of at most about ``width`` characters."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(separator) + len(item) <= width:
            lines[-1] += separator + item
        else:
            lines.append(item)
    return lines


def _clip(name: str, length: int = LABEL_LENGTH) -> str:
    """``name`` cut to ``length`` characters with an ellipsis (so that marks after it stay visible)."""
    return name if len(name) <= length else name[: length - 1].rstrip() + "…"


def _industry_label(row: IndustryRow, lang: Lang) -> str:
    """The short name of an industry in a chart, ``*`` after it for a small number."""
    name = _clip(text.name(row.label_de, row.label_en, lang))
    return f"{name} *" if row.small_number else name


def _largest(rows: Sequence[IndustryRow], max_rows: int | None) -> list[IndustryRow]:
    """The ``max_rows`` rows with the most employees (all rows, in their order, when ``None``)."""
    if max_rows is None or len(rows) <= max_rows:
        return list(rows)
    ranked = sorted(rows, key=lambda r: -(r.employment if r.employment is not None else float("-inf")))
    keep = {id(r) for r in ranked[:max_rows]}
    return [r for r in rows if id(r) in keep]


def _finish(
    chart: alt.Chart | alt.LayerChart | alt.FacetChart,
    title: str,
    subtitle: str,
    caption: Sequence[str],
) -> dict[str, Any]:
    """The spec of ``chart`` with a heading on top, the caption lines underneath and the house style.

    Caption lines longer than :data:`CAPTION_WIDTH` characters are wrapped (a long line would widen the chart and
    push the legends away from the plot).
    """
    lines = [part for line in caption for part in textwrap.wrap(line, CAPTION_WIDTH, break_on_hyphens=False) or [""]]
    captioned = chart.properties(
        title=alt.TitleParams(
            lines,
            orient="bottom",
            anchor="start",
            fontSize=10,
            fontWeight="normal",
            color="#444444",
            offset=12,
            lineHeight=14,
        )
    )
    top = alt.vconcat(
        captioned,
        title=alt.TitleParams(title, subtitle=subtitle, anchor="start", fontSize=15, subtitleFontSize=11),
    )
    spec: dict[str, Any] = (
        top.configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=10, titleFontSize=11, titleFontWeight="normal", gridColor="#e6e6e6")
        .configure_legend(labelFontSize=10, titleFontSize=11, titleFontWeight="normal", labelLimit=260)
        .to_dict()
    )
    return spec


MAP_DATASET = "regions"
"""Name of the map's inline dataset in the spec (``datasets``): GeoJSON features with their LQ properties."""


def _log_ticks(values: Sequence[float]) -> list[float]:
    lo, hi = min(values), max(values)
    return [t for t in LOG_TICKS if lo / 2.5 <= t <= hi * 2.5]


# ----------------------------------------------------------------------------------------------- map


def lq_choropleth(
    lq_map: LQMap,
    lang: str = "de",
    threshold: Threshold | None = None,
    *,
    vintage: str | None = None,
    reference_name: str | None = None,
    width: int = 420,
    height: int = 420,
) -> dict[str, Any]:
    """A choropleth of the location quotients of one industry, classed diverging around LQ = 1.

    Classes break at :data:`LQ_BREAKS` (log-symmetric around 1); regions without a location quotient
    (missing or suppressed) are grey, "keine Daten"; the regions in ``lq_map.highlight`` are outlined.
    The tooltip shows name, LQ, employees and the quality flag. ``threshold`` (the preset of the
    report) is named in the caption, and so is ``vintage`` (the data vintage of the map's source,
    which :class:`LQMap` does not carry; "unbekannt" when not given). The reference area is named in words:
    ``reference_name`` (e.g. the profile's reference), else Germany for the national reference, else its code.
    """
    lg = check_lang(lang)
    values = {v.code: v for v in lq_map.values}
    highlight = set(lq_map.highlight)
    features = []
    for feature in lq_map.geometry.get("features", []):
        props = dict(feature.get("properties") or {})
        code = str(props.get("region_code") or str(feature.get("id", "")).rsplit(":", 1)[-1])
        value = values.get(code)
        lq = text.known(value.lq) if value else None
        props.update(
            {
                "region_code": code,
                "name": value.name if value else props.get("name", code),
                "lq": lq,
                "employment": text.known(value.employment) if value else None,
                "flag": text.flag_label(value.flag, lg) if value else text.flag_label("missing", lg),
                "lq_class": lq_class(lq, lg),
                "highlight": code in highlight,
            }
        )
        features.append({**copy.deepcopy(feature), "properties": props})
    # The features go into the spec's top-level ``datasets`` after it is built: Altair validates inline
    # values item by item, which takes seconds for 401 Kreis polygons and checks nothing about geometry.
    data = alt.NamedData(name=MAP_DATASET, format=alt.DataFormat(property="features", type="json"))
    domain = [*lq_classes(lg), phrase("no_data", lg)]
    projection = alt.Projection(type="albersUsa" if lq_map.level.startswith("us:") else "mercator")
    tooltip = [
        alt.Tooltip("properties.name:N", title=label("name", lg)),
        alt.Tooltip("properties.lq:Q", title=label("lq", lg), format=".2f"),
        alt.Tooltip("properties.lq_class:N", title=phrase("lq_class", lg)),
        alt.Tooltip("properties.employment:Q", title=label("employment", lg), format=",.0f"),
        alt.Tooltip("properties.flag:N", title=label("flag", lg)),
    ]
    fill = (
        alt.Chart()
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.Color(
                "properties.lq_class:N",
                title=phrase("lq_class", lg),
                scale=alt.Scale(domain=domain, range=[*LQ_COLOURS, NO_DATA_COLOUR]),
                legend=alt.Legend(title=label("lq", lg), orient="right", symbolType="square", symbolSize=160),
                sort=domain,
            ),
            tooltip=tooltip,
        )
    )
    outline = (
        alt.Chart()
        .mark_geoshape(filled=False, stroke="#111111", strokeWidth=2.0)
        .encode(tooltip=tooltip)
        .transform_filter("datum.properties.highlight")
    )
    chart = alt.layer(fill, outline, data=data).properties(width=width, height=height, projection=projection)
    industry = text.name(lq_map.label_de, lq_map.label_en, lg)
    caption = lq_map_caption(lq_map, lg, threshold, vintage=vintage, reference_name=reference_name)
    code = "" if ":" in lq_map.industry else f" ({lq_map.industry})"  # a cluster key (taxonomy:cluster) says nothing
    subtitle = f"{industry}{code}, {lq_map.year}"
    spec = _finish(chart, phrase("map_title", lg, industry=industry), subtitle, caption)
    spec.setdefault("datasets", {})[MAP_DATASET] = {"type": "FeatureCollection", "features": features}
    return spec


def lq_map_caption(
    lq_map: LQMap,
    lang: str = "de",
    threshold: Threshold | None = None,
    *,
    vintage: str | None = None,
    reference_name: str | None = None,
) -> list[str]:
    """The caption lines under :func:`lq_choropleth` (same arguments): reference area and year, threshold, the
    outline of the highlighted regions, data vintage and attribution (statistics and geometry)."""
    lg = check_lang(lang)
    return text.caption(
        lg,
        reference=reference_name or text.reference_name(lq_map.reference, lg),
        period=str(lq_map.year),
        threshold=threshold,
        attribution=list(dict.fromkeys(lq_map.attribution)),
        vintage=vintage,
        notes=[phrase("highlighted", lg)] if lq_map.highlight else [],
    )


# ----------------------------------------------------------------------------------------------- bubbles


BUBBLE_WIDTH, BUBBLE_HEIGHT = 620, 380
"""Size of the portfolio chart's plot in pixels (the page scales it down on narrow screens, never up)."""

LABEL_FONT_SIZE = 10
CHAR_WIDTH = 0.6 * LABEL_FONT_SIZE
"""Average width of a character of the labels (DejaVu Sans), for the placement of the labels."""

LABEL_PLACES: dict[str, tuple[str, str]] = {
    "right": ("left", "middle"),
    "left": ("right", "middle"),
    "above": ("center", "bottom"),
    "below": ("center", "top"),
}
"""Where a bubble's label may sit, in order of preference, with the text's alignment and baseline there."""


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: _Box) -> bool:
        return not (
            self.right <= other.left or other.right <= self.left or self.bottom <= other.top or other.bottom <= self.top
        )


def _bubble_labels(
    points: Sequence[tuple[float, float, float, str]], width: float, height: float, limit: int
) -> list[tuple[str, float, float] | None]:
    """Where to write each bubble's label so that no two labels overlap and none covers another bubble's centre.

    ``points`` are (x, y, radius, label) in pixels of the plot, in order of importance; at most ``limit`` labels
    are placed, each at the first free place of :data:`LABEL_PLACES`. Returns per point ``(place, x, y)`` (the
    anchor of the text in pixels) or ``None`` for a bubble left unlabelled (its tooltip and the table name it).
    """
    placed: list[_Box] = []
    centres = [_Box(x - 2, y - 2, x + 2, y + 2) for x, y, _, _ in points]
    out: list[tuple[str, float, float] | None] = []
    for i, (x, y, r, name) in enumerate(points):
        found = None
        w, h = len(name) * CHAR_WIDTH, LABEL_FONT_SIZE + 2
        for place in LABEL_PLACES if len(placed) < limit else ():
            ax, ay = {
                "right": (x + r + 3, y),
                "left": (x - r - 3, y),
                "above": (x, y - r - 2),
                "below": (x, y + r + 2),
            }[place]
            left = {"right": ax, "left": ax - w}.get(place, ax - w / 2)
            top = {"above": ay - h, "below": ay}.get(place, ay - h / 2)
            box = _Box(left, top, left + w, top + h)
            inside = box.left >= -4 and box.right <= width + 4 and box.top >= -4 and box.bottom <= height + 4
            clear = not any(box.overlaps(b) for b in placed) and not any(
                box.overlaps(c) for j, c in enumerate(centres) if j != i
            )
            if inside and clear:
                found = (place, ax, ay)
                placed.append(box)
                break
        out.append(found)
    return out


def bubble_chart(profile: Profile, lang: str = "de", *, max_rows: int | None = None) -> dict[str, Any]:
    """Industry portfolio: growth (x, %), location quotient (y, log scale, rule at 1), employees (area).

    One bubble per industry row; strong industries (by the profile's threshold) in red, small numbers marked
    ``*`` and drawn paler. Labels name the strong industries first, then the largest, at most
    :data:`BUBBLE_LABELS`, each where it overlaps no other label and no other bubble's centre (the tooltip and
    the table name every one). The scales' domains are set here (not left to Vega), so that the labels can be
    placed in pixels. Rows without growth, employees or a positive LQ cannot be placed and are named in the
    caption. ``max_rows`` keeps the largest industries by employees. The legends stand right of the plot.
    """
    lg = check_lang(lang)
    everything = [text.finite(r) for r in profile.industries]
    rows = _largest(everything, max_rows)
    shown = [
        r
        for r in rows
        if r.growth is not None and r.lq is not None and r.lq > 0 and r.employment is not None and r.employment > 0
    ]
    strong, other = label("strong", lg), phrase("not_strong", lg)
    limit = threshold_value(profile.threshold)
    growths = [float(r.growth) for r in shown if r.growth is not None] + [0.0]
    span = (max(growths) - min(growths)) or 0.1
    x_domain = (min(growths) - 0.08 * span, max(growths) + 0.08 * span)
    lq_values = [float(r.lq) for r in shown if r.lq is not None] + [1.0, *(v for v in [limit] if v)]
    y_domain = (min(lq_values) / 1.2, max(lq_values) * 1.2)
    biggest = max((float(r.employment) for r in shown if r.employment is not None), default=1.0)

    def pixels(r: IndustryRow) -> tuple[float, float, float]:
        x = (float(r.growth or 0.0) - x_domain[0]) / (x_domain[1] - x_domain[0]) * BUBBLE_WIDTH
        share = math.log(float(r.lq or 1.0) / y_domain[0]) / math.log(y_domain[1] / y_domain[0])
        radius = math.sqrt(float(r.employment or 0.0) / biggest * BUBBLE_AREA / math.pi)
        return x, BUBBLE_HEIGHT * (1 - share), radius

    def value_at(px: float, py: float) -> tuple[float, float]:
        growth = x_domain[0] + px / BUBBLE_WIDTH * (x_domain[1] - x_domain[0])
        lq = y_domain[0] * (y_domain[1] / y_domain[0]) ** (1 - py / BUBBLE_HEIGHT)
        return growth, lq

    order = sorted(range(len(shown)), key=lambda i: (not shown[i].strong, -(shown[i].employment or 0.0)))
    places = _bubble_labels(
        [(*pixels(shown[i]), _industry_label(shown[i], lg)) for i in order], BUBBLE_WIDTH, BUBBLE_HEIGHT, BUBBLE_LABELS
    )
    place_of = {order[k]: found for k, found in enumerate(places)}
    data = []
    for i, r in enumerate(shown):
        found = place_of.get(i)
        label_growth, label_lq = value_at(found[1], found[2]) if found else (r.growth, r.lq)
        data.append(
            {
                "code": r.code,
                "label": _industry_label(r, lg),
                "place": found[0] if found else "",
                "label_growth": label_growth,
                "label_lq": label_lq,
                "employment": r.employment,
                "lq": r.lq,
                "growth": r.growth,
                "strong": strong if r.strong else other,
                "small_number": phrase("yes", lg) if r.small_number else phrase("no", lg),
                "opacity": 0.35 if r.small_number else 0.7,
            }
        )
    notes = _selection_notes(everything, rows, shown, lg)
    labelled = sum(found is not None for found in places)
    if labelled < len(shown):
        notes.insert(0, phrase("labelled", lg, n=labelled, total=len(shown)))
    caption = text.profile_caption(profile, lg, notes=notes)
    title = phrase("bubble_title", lg) + " " + profile.region.name
    subtitle = phrase("bubble_subtitle", lg, base_year=profile.base_year, year=profile.year)
    growth_title = f"{label('growth', lg)} {profile.base_year}–{profile.year}"
    x_scale = alt.Scale(domain=list(x_domain), nice=False, zero=False)
    y_scale = alt.Scale(type="log", domain=list(y_domain), nice=False)
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("growth:Q", title=growth_title, axis=alt.Axis(format=".0%", tickCount=8), scale=x_scale),
        y=alt.Y("lq:Q", title=label("lq", lg), scale=y_scale, axis=alt.Axis(format="~g", values=_log_ticks(lq_values))),
    )
    bubbles = base.mark_circle(stroke="white", strokeWidth=1).encode(
        size=alt.Size(
            "employment:Q",
            title=label("employment", lg),
            scale=alt.Scale(domain=[0, biggest], range=[0, BUBBLE_AREA]),
            legend=alt.Legend(format=",.0f", orient="right", tickCount=3),
        ),
        color=alt.Color(
            "strong:N",
            title=f"{label('threshold', lg)} {profile.threshold.preset}",
            scale=alt.Scale(domain=[strong, other], range=[STRONG_COLOUR, OTHER_COLOUR]),
            legend=alt.Legend(orient="right"),
        ),
        opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
        tooltip=[
            alt.Tooltip("label:N", title=label("industry", lg)),
            alt.Tooltip("code:N", title=label("code", lg)),
            alt.Tooltip("employment:Q", title=label("employment", lg), format=",.0f"),
            alt.Tooltip("lq:Q", title=label("lq", lg), format=".2f"),
            alt.Tooltip("growth:Q", title=label("growth", lg), format=".1%"),
            alt.Tooltip("strong:N", title=label("strong", lg)),
            alt.Tooltip("small_number:N", title=label("small_number", lg)),
        ],
    )
    names = [
        alt.Chart(alt.Data(values=data))
        .mark_text(align=align, baseline=baseline, fontSize=LABEL_FONT_SIZE, color="#222222")  # type: ignore[arg-type]
        .encode(
            x=alt.X("label_growth:Q", scale=x_scale),
            y=alt.Y("label_lq:Q", scale=y_scale),
            text="label:N",
        )
        .transform_filter(alt.datum.place == place)
        for place, (align, baseline) in LABEL_PLACES.items()
    ]
    layers: list[alt.Chart] = [
        alt.Chart().mark_rule(color="#555555").encode(y=alt.datum(1.0)),
        alt.Chart().mark_rule(color="#999999", strokeDash=[2, 2]).encode(x=alt.datum(0.0)),
    ]
    if limit is not None and limit != 1.0:
        layers.append(alt.Chart().mark_rule(color=STRONG_COLOUR, strokeDash=[5, 4]).encode(y=alt.datum(limit)))
    chart = alt.layer(*layers, bubbles, *names).properties(width=BUBBLE_WIDTH, height=BUBBLE_HEIGHT)
    return _finish(chart, title, subtitle, caption)


def _selection_notes(
    everything: Sequence[IndustryRow], kept: Sequence[IndustryRow], shown: Sequence[IndustryRow], lang: Lang
) -> list[str]:
    """Caption notes naming industries left out of a chart and saying when only the largest are shown."""
    notes = []
    if len(kept) < len(everything):
        notes.append(phrase("largest_shown", lang, n=len(kept), total=len(everything)))
    drawn = {id(r) for r in shown}
    missing = [text.name(r.label_de, r.label_en, lang) for r in kept if id(r) not in drawn]
    if missing:
        notes.append(phrase("not_shown", lang, items=", ".join(missing)))
    if any(r.small_number for r in shown):
        notes.append(phrase("small_number_note", lang))
    return notes


# ----------------------------------------------------------------------------------------------- shift-share


SHIFT_SHARE_COMPONENTS: tuple[str, ...] = ("national", "industry_mix", "regional")
"""The components of the classic shift-share drawn per industry, in stacking order."""


def shift_share_chart(profile: Profile, lang: str = "de", *, max_rows: int | None = None) -> dict[str, Any]:
    """Per industry the national, industry-mix and regional components as diverging stacked bars (persons).

    German labels are Konjunktur-, Struktur- and Standortkomponente; English national share, industry
    mix and regional (competitive) effect; the caption names the other vocabulary too. Industries
    without components are named in the caption. ``max_rows`` keeps the largest industries.
    """
    lg = check_lang(lang)
    everything = [text.finite(r) for r in profile.industries]
    rows = _largest(everything, max_rows)
    shown = [r for r in rows if all(getattr(r, c) is not None for c in SHIFT_SHARE_COMPONENTS)]
    names = [label(c, lg) for c in SHIFT_SHARE_COMPONENTS]
    data = [
        {
            "code": r.code,
            "label": _industry_label(r, lg),
            "component": label(c, lg),
            "order": i,
            "value": getattr(r, c),
        }
        for r in shown
        for i, c in enumerate(SHIFT_SHARE_COMPONENTS)
    ]
    vocabulary = phrase("vocabulary", lg)
    notes = [vocabulary, *_selection_notes(everything, rows, shown, lg)]
    caption = text.profile_caption(profile, lg, notes=notes)
    bars = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=alt.Y(
                "label:N",
                title=label("industry", lg),
                sort=list(dict.fromkeys(d["label"] for d in data)),
                axis=alt.Axis(title=None, labelLimit=300),
            ),
            x=alt.X("value:Q", title=phrase("persons", lg).capitalize(), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "component:N",
                title=phrase("component", lg),
                scale=alt.Scale(domain=names, range=[COMPONENT_COLOURS[c] for c in SHIFT_SHARE_COMPONENTS]),
                legend=alt.Legend(orient="top", direction="horizontal", labelLimit=300),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title=label("industry", lg)),
                alt.Tooltip("component:N", title=phrase("component", lg)),
                alt.Tooltip("value:Q", title=phrase("persons", lg).capitalize(), format=",.0f"),
            ],
        )
    )
    zero = alt.Chart().mark_rule(color="#333333").encode(x=alt.datum(0))
    chart = alt.layer(bars, zero).properties(width=340, height=alt.Step(24))
    title = phrase("shift_title", lg) + " " + profile.region.name
    subtitle = phrase("shift_subtitle", lg, base_year=profile.base_year, year=profile.year)
    return _finish(chart, title, subtitle, caption)


# ----------------------------------------------------------------------------------------------- comparison


def comparison_lq_chart(comparison: Comparison, lang: str = "de", *, max_rows: int | None = None) -> dict[str, Any]:
    """The location quotients of the compared regions side by side per industry.

    Bars start at LQ = 1 on a log scale, so over- and under-representation point in opposite
    directions; the threshold preset (when a fixed value) is a dashed rule. Industries are those of
    the first profile, then any others, in order; ``max_rows`` keeps the industries with the most
    employees in any region. Missing, suppressed or zero LQs are named in the caption.
    """
    lg = check_lang(lang)
    profiles = comparison.profiles
    industries = {p.region.ref: [text.finite(r) for r in p.industries] for p in profiles}
    order: dict[str, IndustryRow] = {}
    for p in profiles:
        for r in industries[p.region.ref]:
            order.setdefault(r.code, r)
    codes = list(order)
    if max_rows is not None and len(codes) > max_rows:
        biggest = {
            code: max(
                (
                    r.employment
                    for p in profiles
                    for r in industries[p.region.ref]
                    if r.code == code and r.employment is not None
                ),
                default=float("-inf"),
            )
            for code in codes
        }
        keep = set(sorted(codes, key=lambda c: -biggest[c])[:max_rows])
        codes = [c for c in codes if c in keep]
    regions = [p.region.name for p in profiles]
    data: list[dict[str, Any]] = []
    missing: list[str] = []
    for code in codes:
        for p in profiles:
            row = next((r for r in industries[p.region.ref] if r.code == code), None)
            name = _clip(text.name(order[code].label_de, order[code].label_en, lg))
            if row is None or row.lq is None or row.lq <= 0:
                missing.append(f"{name} ({p.region.name})")
                continue
            data.append(
                {
                    "code": code,
                    "label": name,
                    "region": p.region.name,
                    "lq": row.lq,
                    "strong": phrase("yes", lg) if row.strong else phrase("no", lg),
                }
            )
    threshold = profiles[0].threshold if profiles else None
    limit = threshold_value(threshold)
    notes = [phrase("not_shown", lg, items=", ".join(missing))] if missing else []
    if max_rows is not None and len(codes) < len(order):
        notes.insert(0, phrase("largest_shown", lg, n=len(codes), total=len(order)))
    sources = [s for p in profiles for s in p.sources]
    caption = text.caption(
        lg,
        reference=", ".join(dict.fromkeys(p.reference.name for p in profiles)),
        period=", ".join(dict.fromkeys(str(p.year) for p in profiles)),
        threshold=threshold,
        attribution=text.attributions(sources),
        vintage=text.vintages(sources, lg),
        notes=notes,
    )
    lq_values: list[float] = [float(d["lq"]) for d in data] + [1.0] + ([limit] if limit else [])
    bars = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(height={"band": 0.8})
        .encode(
            y=alt.Y(
                "label:N",
                title=label("industry", lg),
                sort=list(dict.fromkeys(d["label"] for d in data)),
                axis=alt.Axis(title=None, labelLimit=300),
            ),
            yOffset=alt.YOffset("region:N", sort=regions, title=label("region", lg)),
            x=alt.X(
                "lq:Q",
                title=label("lq", lg),
                scale=alt.Scale(type="log", domain=[min(lq_values) / 1.25, max(lq_values) * 1.25], nice=False),
                axis=alt.Axis(format="~g", values=_log_ticks(lq_values)),
            ),
            x2=alt.datum(1.0),
            color=alt.Color(
                "region:N",
                title=label("region", lg),
                sort=regions,
                scale=alt.Scale(domain=regions, range=list(REGION_COLOURS[: max(len(regions), 1)])),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=label("industry", lg)),
                alt.Tooltip("region:N", title=label("region", lg)),
                alt.Tooltip("lq:Q", title=label("lq", lg), format=".2f"),
                alt.Tooltip("strong:N", title=label("strong", lg)),
            ],
        )
    )
    layers: list[alt.Chart] = [bars, alt.Chart().mark_rule(color="#333333").encode(x=alt.datum(1.0))]
    if limit is not None and limit != 1.0:
        layers.append(alt.Chart().mark_rule(color=STRONG_COLOUR, strokeDash=[5, 4]).encode(x=alt.datum(limit)))
    chart = alt.layer(*layers).properties(width=340, height=alt.Step(16 * max(len(regions), 1) + 8))
    title = phrase("comparison_title", lg)
    subtitle = " · ".join(regions)
    return _finish(chart, title, subtitle, caption)


# ----------------------------------------------------------------------------------------------- opportunities


SCORE_COLOURS: tuple[str, str] = ("#1b9e77", "#969696")
"""Colours of opportunities scored above the middle candidate (score > 0) and of the others."""

OPPORTUNITY_LABELS = 12
"""The opportunity chart numbers at most this many points (the best ranked); the caption names them."""


def opportunity_chart(opportunities: Opportunities, lang: str = "de") -> dict[str, Any]:
    """The opportunities of a region: relatedness density (x) against complexity (PCI, y), one point each.

    The :data:`OPPORTUNITY_LABELS` best are numbered with their rank (the caption names them; names beside
    close points would overlap) and every point is coloured by whether its score is above 0, the middle
    candidate (scores run from −½ to +½, see :mod:`regiolens.analysis.opportunities`); the tooltip adds
    name, LQ, density percentile, national growth and the score. Opportunities without a PCI cannot be
    placed and are named in the caption.
    """
    lg = check_lang(lang)
    rows = [text.finite(o) for o in opportunities.opportunities]
    shown = [o for o in rows if o.pci is not None]
    above, below = phrase("score_above", lg), phrase("score_below", lg)
    labelled = sorted(shown, key=lambda o: o.rank)[:OPPORTUNITY_LABELS]
    numbered = {id(o) for o in labelled}
    data = [
        {
            "rank": o.rank,
            "code": o.code,
            "label": _clip(text.name(o.label_de, o.label_en, lg)),
            "number": str(o.rank) if id(o) in numbered else "",
            "lq": o.lq,
            "density": o.density,
            "density_percentile": o.density_percentile,
            "pci": o.pci,
            "national_growth": o.national_growth,
            "score": o.score,
            "class": above if o.score > 0 else below,
        }
        for o in shown
    ]
    notes = _wrap([f"{o.rank} {_clip(text.name(o.label_de, o.label_en, lg))}" for o in labelled], "; ")
    notes.append(phrase("opportunity_score", lg))
    if len(shown) > len(labelled):
        notes.append(phrase("opportunity_labelled", lg, n=len(labelled)))
    missing = [text.name(o.label_de, o.label_en, lg) for o in rows if o.pci is None]
    if missing:
        notes.append(phrase("not_shown", lg, items=", ".join(missing)))
    sources = opportunities.sources
    caption = text.caption(
        lg,
        reference=text.universe_text(opportunities.universe, lg),
        period=f"{opportunities.year}, {phrase('base_year_is', lg)} {opportunities.base_year}",
        threshold=None,
        attribution=text.attributions(sources),
        vintage=text.vintages(sources, lg),
        notes=notes,
    )
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X(
            "density:Q",
            title=f"{label('density', lg)} ({text.name('Verwandtschaft', 'relatedness', lg)})",
            axis=alt.Axis(format=".2f", tickCount=6),
            scale=alt.Scale(zero=False, nice=True, padding=24),
        ),
        y=alt.Y(
            "pci:Q",
            title=label("pci", lg),
            axis=alt.Axis(format=".1f", tickCount=6),
            scale=alt.Scale(zero=False, nice=True, padding=24),
        ),
    )
    points = base.mark_circle(size=150, stroke="#222222", strokeWidth=0.6, opacity=0.9).encode(
        color=alt.Color(
            "class:N",
            title=label("score", lg),
            scale=alt.Scale(domain=[above, below], range=list(SCORE_COLOURS)),
            legend=alt.Legend(orient="right", labelLimit=200),
        ),
        tooltip=[
            alt.Tooltip("rank:Q", title=label("rank", lg)),
            alt.Tooltip("label:N", title=label("industry", lg)),
            alt.Tooltip("code:N", title=label("code", lg)),
            alt.Tooltip("lq:Q", title=label("lq", lg), format=".2f"),
            alt.Tooltip("density:Q", title=label("density", lg), format=".2f"),
            alt.Tooltip("density_percentile:Q", title=label("density_percentile", lg), format=".0%"),
            alt.Tooltip("pci:Q", title=label("pci", lg), format=".2f"),
            alt.Tooltip("national_growth:Q", title=label("national_growth", lg), format=".1%"),
            alt.Tooltip("score:Q", title=label("score", lg), format=".2f"),
        ],
    )
    numbers = base.mark_text(align="left", dx=8, dy=-6, fontSize=10, fontWeight="bold", color="#222222").encode(
        text="number:N"
    )
    zero = alt.Chart().mark_rule(color="#999999", strokeDash=[2, 2]).encode(y=alt.datum(0.0))
    chart = alt.layer(zero, points, numbers).properties(width=380, height=240)
    title = phrase("opportunity_title", lg, region=opportunities.region.name)
    subtitle = phrase("opportunity_subtitle", lg, year=opportunities.year)
    return _finish(chart, title, subtitle, caption)
