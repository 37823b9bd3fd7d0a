"""HTML report to PDF with WeasyPrint, offline: every remote URL is refused.

WeasyPrint lays out the HTML of :func:`regiolens.reports.html.render_html` on A4 with the fonts
fontconfig finds (DejaVu on Debian). The report is self-contained (inline SVG and CSS), so rendering
needs no URL at all; :class:`OfflineFetcher` makes sure that stays true: ``data:`` URLs are served,
anything else (``http``, ``https``, ``ftp``, ``file``) is refused and recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from regiolens.analysis.results import Comparison, LQMap, Opportunities, Peers, Profile
from regiolens.reports.html import render_html


class OfflineFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves ``data:`` URLs only and records every URL it refused.

    WeasyPrint logs a refused resource and goes on without it, so a report never waits on the
    network and never leaks which report is being printed.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("data",), **kwargs)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Serve a ``data:`` URL; refuse everything else with :class:`ValueError`."""
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"regiolens reports fetch nothing from outside: {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, out: Path, fetcher: OfflineFetcher | None = None) -> Path:
    """Lay out ``html`` on A4 and write the PDF to ``out`` without any network access."""
    document = HTML(string=html, base_url=None, url_fetcher=fetcher or OfflineFetcher())
    document.write_pdf(out, pdf_variant=None)
    return out


def write_pdf(
    result: Profile | Comparison,
    out: Path,
    lang: str = "de",
    lq_map: LQMap | None = None,
    *,
    created: date | None = None,
    peers: Sequence[Peers] = (),
    opportunities: Sequence[Opportunities] = (),
) -> Path:
    """The report of ``result`` (:func:`render_html`) as a PDF at ``out``; returns ``out``."""
    html = render_html(result, lang, lq_map, created=created, peers=peers, opportunities=opportunities)
    return html_to_pdf(html, out)
