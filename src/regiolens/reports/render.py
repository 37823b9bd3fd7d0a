"""Vega-Lite specs to SVG and PNG with vl-convert: no browser, no network.

vl-convert bundles Vega, Vega-Lite and a JavaScript runtime, so rendering needs neither a browser nor
the network; ``allowed_base_urls=[]`` makes any data URL in a spec an error instead of a download.
Numbers are formatted with d3-format in the locale of the language (:func:`format_locale`): decimal
comma and thousands dot in German, and a non-breaking space before the percent sign as in the tables
(:func:`regiolens.i18n.format_share`). The web app passes the same locale to vega-embed
(``formatLocale``), so a chart looks the same on the page and in the PDF.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import vl_convert as vlc

from regiolens.errors import RegiolensError
from regiolens.reports.text import check_lang

FORMAT_LOCALES: dict[str, dict[str, Any]] = {
    "de": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"], "percent": "\u00a0%"},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""], "percent": "\u00a0%"},
}
"""d3-format locales of the report languages (de-DE and en-GB with the percent sign spaced)."""

VEGA_LITE_VERSION = "6.4"
"""The Vega-Lite version vl-convert compiles with (the one Altair writes specs for)."""


def format_locale(lang: str) -> dict[str, Any]:
    """The d3-format locale of a report language, for vl-convert and for vega-embed's ``formatLocale``."""
    return dict(FORMAT_LOCALES[check_lang(lang)])


def _convert(spec: dict[str, Any], lang: str, kind: str, scale: float = 1.0) -> Any:
    options: dict[str, Any] = {
        "vl_version": VEGA_LITE_VERSION,
        "allowed_base_urls": [],
        "format_locale": format_locale(lang),
    }
    try:
        if kind == "svg":
            return vlc.vegalite_to_svg(spec, **options)
        return vlc.vegalite_to_png(spec, scale=scale, **options)
    except ValueError as exc:  # vl-convert reports invalid specs and refused URLs as ValueError
        title = json.dumps(spec.get("title", ""), ensure_ascii=False)[:80]
        raise RegiolensError(f"chart {title} could not be rendered: {exc}") from exc


def to_svg(spec: dict[str, Any], lang: str = "de") -> str:
    """The chart as an SVG document (text as ``<text>`` elements, fonts by name, no external references).

    The labels Vega writes for screen readers on axes, legends and titles are English whatever the chart's
    language (an axis ``description`` does not replace them); in a German chart they are put into German here.
    """
    svg: str = _convert(spec, lang, "svg")
    return localise_aria(svg) if check_lang(lang) == "de" else svg


_ARIA = re.compile(r'aria-label="([^"]*)"')
_ARIA_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"([XY])-axis titled '(.*)' for a (?:\w+ )*scale with values from (.*) to (.*)"),
        r"\1-Achse „\2“ von \3 bis \4",
    ),
    (
        re.compile(r"([XY])-axis titled '(.*)' for a discrete scale with (\d+) values?: (.*)"),
        r"\1-Achse „\2“ mit \3 Werten: \4",
    ),
    (re.compile(r"([XY])-axis for a discrete scale with (\d+) values?: (.*)"), r"\1-Achse mit \2 Werten: \3"),
    (re.compile(r"([XY])-axis titled '(.*)'.*"), r"\1-Achse „\2“"),
    (re.compile(r"Symbol legend titled '(.*)' for [\w ]+ with (\d+) values?: (.*)"), r"Legende „\1“ mit \2 Werten: \3"),
    (
        re.compile(r"Symbol legend titled '(.*)' for [\w ]+ with values from (.*) to (.*)"),
        r"Legende „\1“ von \2 bis \3",
    ),
    (re.compile(r"(?:Symbol|Gradient) legend titled '(.*)'.*"), r"Legende „\1“"),
    (re.compile(r"Subtitle text '(.*)'"), r"Untertitel: \1"),
    (re.compile(r"Title text '(.*)'"), r"Titel: \1"),
)
"""Vega's English screen-reader labels (vega-encode, ``aria``) and their German forms."""


def localise_aria(svg: str) -> str:
    """An SVG with Vega's English labels of axes, legends and titles in German (``ending with`` → ``bis``)."""

    def german(match: re.Match[str]) -> str:
        label = html.unescape(match.group(1))
        for pattern, replacement in _ARIA_FORMS:
            if pattern.fullmatch(label):
                label = pattern.sub(replacement, label).replace(", ending with ", " … ")
                break
        return f'aria-label="{html.escape(label, quote=True)}"'

    return _ARIA.sub(german, svg)


def to_png(spec: dict[str, Any], scale: float = 2, lang: str = "de") -> bytes:
    """The chart as PNG bytes; ``scale=2`` gives print resolution for a chart of about 500 pixels."""
    png: bytes = _convert(spec, lang, "png", scale=scale)
    return png
