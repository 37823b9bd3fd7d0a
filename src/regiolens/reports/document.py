"""Writing a one-result report (assessment, fund projection) to a file whose suffix chooses the format.

``.pdf`` is the HTML document printed offline by WeasyPrint (:func:`regiolens.reports.pdf.html_to_pdf`), ``.html``
the self-contained document itself, ``.xlsx`` the workbook; any other suffix is a :class:`RegiolensError` naming the
ones that work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from regiolens.errors import RegiolensError
from regiolens.reports.pdf import html_to_pdf

SUFFIXES = (".html", ".pdf", ".xlsx")
"""The formats a one-result report is written in."""


def write_document(
    out: Path,
    lang: str,
    what: str,
    *,
    html: Callable[[str], str],
    xlsx: Callable[[Path, str], Path],
) -> Path:
    """Write ``what`` ("an assessment report") to ``out``: ``html(lang)`` as PDF or HTML, or ``xlsx(out, lang)``."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        return html_to_pdf(html(lang), out)
    if suffix == ".html":
        out.write_text(html(lang), encoding="utf-8")
        return out
    if suffix == ".xlsx":
        return xlsx(out, lang)
    raise RegiolensError(f"cannot write {what} as {out.suffix or 'a file without suffix'!r}: use {', '.join(SUFFIXES)}")
