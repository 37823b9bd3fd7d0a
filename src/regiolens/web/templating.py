"""Rendering pages: one Jinja environment, the page context every template gets, CSV and file answers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from regiolens.analysis.results import SourceRef
from regiolens.cli.output import jsonable
from regiolens.reports import text
from regiolens.reports.html import Table
from regiolens.web.security import CSRF_FIELD, CSRF_HEADER, csrf_token
from regiolens.web.words import Lang, check, helpers

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True


def lang_of(request: Request) -> Lang:
    """The page language: set by the language middleware (``?lang=``, then the cookie, then German)."""
    return check(getattr(request.state, "lang", None))


def url_with(request: Request, **changes: Any) -> str:
    """The current URL with query parameters replaced (``None`` removes one); lists become repeated keys."""
    params: list[tuple[str, str]] = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            params += [(key, str(v)) for v in value]
        else:
            params.append((key, str(value)))
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def query_string(params: Mapping[str, Any]) -> str:
    """``?a=1&b=2&b=3`` from a mapping (``None`` and empty values left out; lists repeated)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return f"?{urlencode(pairs)}" if pairs else ""


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page: ``template`` with the common context (language, user, CSRF token, data vintage)."""
    lang = lang_of(request)
    token = csrf_token(request)
    base: dict[str, Any] = {
        "lang": lang,
        "other_lang": "en" if lang == "de" else "de",
        "user": getattr(request.state, "user", None),
        "csrf_token": token,
        "csrf_field": Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">'),
        "hx_headers": json.dumps({CSRF_HEADER: token}),
        "url_with": lambda **kw: url_with(request, **kw),
        "qs": query_string,
        "vintage": vintage_line(request, lang),
        "path": request.url.path,
        **helpers(lang),
    }
    base.update(context or {})
    return TEMPLATES.TemplateResponse(request, template, base, status_code=status_code)


def fragment(request: Request, template: str, context: Mapping[str, Any]) -> Markup:
    """``template`` rendered alone, with the language and formatting helpers but nothing of the user or session.

    For the part of a page that depends on its URL only: the result can be cached and put into any user's page.
    """
    lang = lang_of(request)
    values = {"lang": lang, "qs": query_string, **helpers(lang), **context}
    return Markup(TEMPLATES.get_template(template).render(values))


def vintage_line(request: Request, lang: Lang) -> str | None:
    """The data vintages of the warehouse's sources (for the footer of every page); ``None`` without data."""
    access = request.app.state.warehouse
    if not access.exists():
        return None
    try:
        vintages: list[str] = access.cached(
            ("vintages",),
            lambda wh: [str(v) for (v,) in wh.con.execute("SELECT DISTINCT vintage FROM sources").fetchall() if v],
        )
    except Exception:  # the footer never breaks a page (a busy or foreign file shows no vintage)
        return None
    if not vintages:
        return None
    refs = [SourceRef("", "", "", "", v) for v in vintages]
    return text.vintages(refs, lang)


# ------------------------------------------------------------------------------------------ downloads


def csv_response(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], filename: str) -> Response:
    """Rows as CSV (comma, dot decimal, empty for missing — as ``--format csv`` in the CLI), as a download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if (v := jsonable(r.get(c))) is None else _csv_cell(v) for c in columns])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def file_response(content: bytes | str, media_type: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'{disposition}; filename="{filename}"'}
    )


_SVG_LABEL = re.compile(r'(<svg [^>]*?aria-label=")[^"]*(")')


def labelled_svg(svg: Markup, label: str) -> Markup:
    """An inline chart whose accessible name is ``label`` (the chart's title) instead of its id prefix."""
    return Markup(_SVG_LABEL.sub(lambda m: m.group(1) + str(escape(label)) + m.group(2), str(svg), count=1))


def table_rows(table: Table) -> list[dict[str, str]]:
    """A report table as rows of header → cell text (for tests and CSV of formatted tables)."""
    heads = [str(h.text) for h in table.headers]
    return [dict(zip(heads, [c.text for c in cells], strict=False)) for _, cells in table.rows]
