"""Reports of regiolens results: charts (Vega-Lite), HTML and PDF (Jinja + WeasyPrint), Excel (XlsxWriter).

Reports render the typed results of :mod:`regiolens.analysis` and compute nothing themselves: the
figure in the PDF is the figure on the web page and in the JSON API. German is the default language
(decimal comma, thousands dot), English the second; the data vintage, the reference area, the threshold
preset and the attribution are named on every page and under every chart.

>>> from regiolens.reports import write_report
>>> write_report(profile, Path("emscher-lippe.pdf"))            # doctest: +SKIP
>>> write_report(comparison, Path("vergleich.xlsx"), lang="en")  # doctest: +SKIP
>>> write_report(profile, Path("emscher-lippe.pdf"), peers=[peers], opportunities=[opportunities])  # doctest: +SKIP

Modules: :mod:`~regiolens.reports.charts` (Vega-Lite specs), :mod:`~regiolens.reports.render` (SVG/PNG
with vl-convert), :mod:`~regiolens.reports.html`, :mod:`~regiolens.reports.pdf`,
:mod:`~regiolens.reports.xlsx`, :mod:`~regiolens.reports.text` (words and number formats),
:mod:`~regiolens.reports.methods` (method notes) and :mod:`~regiolens.reports.sections` (the peers and
opportunities pages matched to the profiled regions).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from regiolens.analysis.results import Comparison, LQMap, Opportunities, Peers, Profile
from regiolens.errors import RegiolensError
from regiolens.reports.html import write_html
from regiolens.reports.pdf import write_pdf
from regiolens.reports.sections import attach
from regiolens.reports.text import check_lang
from regiolens.reports.xlsx import write_xlsx

WRITERS: dict[str, Callable[..., Path]] = {
    ".pdf": write_pdf,
    ".html": write_html,
    ".htm": write_html,
    ".xlsx": write_xlsx,
}
"""The report writer of each file suffix."""


def write_report(
    result: Profile | Comparison,
    out: Path,
    lang: str = "de",
    lq_map: LQMap | None = None,
    *,
    created: date | None = None,
    peers: Sequence[Peers] = (),
    opportunities: Sequence[Opportunities] = (),
) -> Path:
    """Write the report of a profile or comparison to ``out``; the suffix chooses the format.

    ``.pdf`` (A4, via WeasyPrint), ``.html`` (self-contained, charts as inline SVG) or ``.xlsx``
    (every table behind every chart). ``lang`` is ``"de"`` (default) or ``"en"``; ``lq_map`` adds the
    choropleth of one industry (and its values to the workbook); ``created`` is the date printed on
    the report (today by default). ``peers`` and ``opportunities`` — at most one of each per profiled
    region, in any order, matched by region (:mod:`regiolens.reports.sections`) — add a peers page and an
    opportunities page after the region's profile (sheets "Vergleichsregionen", "Chancen", "Stärken" and
    "Clusterausblick" in the workbook) and their method notes. Any other suffix or language, or a peers
    or opportunities result of a region the report does not profile, is a :class:`RegiolensError`.
    """
    out = Path(out)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        known = ", ".join(sorted(WRITERS))
        raise RegiolensError(f"cannot write a report as {out.suffix or 'a file without suffix'!r}: use {known}")
    if not isinstance(result, Profile | Comparison):
        raise RegiolensError(f"a report needs a Profile or a Comparison, not {type(result).__name__}")
    lg = check_lang(lang)
    profiles = result.profiles if isinstance(result, Comparison) else [result]
    attach(profiles, peers, opportunities)  # refuse mismatched results before any file is written
    return writer(result, out, lg, lq_map, created=created, peers=peers, opportunities=opportunities)


__all__ = ["WRITERS", "write_report"]
