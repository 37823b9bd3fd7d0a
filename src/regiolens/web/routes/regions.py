"""A region's pages: profile (with its downloads and reports), peers, opportunities.

Everything a view depends on is in its URL (path and query), so every view can be bookmarked and shared:
``/regions/emscher-lippe?year=2020&base_year=2015&reference=05&threshold=lq>=1``.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from regiolens.analysis.maps import default_map_industry
from regiolens.analysis.peers import INDICATORS as PEER_INDICATORS
from regiolens.analysis.results import ClusterRow, IndustryRow, Opportunities, Peers, Profile, rows
from regiolens.errors import InvalidParameter, RegiolensError
from regiolens.i18n.messages import parameter
from regiolens.metrics.strength import PRESETS
from regiolens.reports import charts, text, write_report
from regiolens.reports.html import CHART_ROWS, ProfileView, inline_svg, profile_view, sources_table
from regiolens.reports.render import to_png, to_svg
from regiolens.reports.text import phrase
from regiolens.web import analyses
from regiolens.web.analyses import ProfileParams
from regiolens.web.db import User
from regiolens.web.security import current_user, get_db
from regiolens.web.templating import csv_response, file_response, fragment, labelled_svg, lang_of, render
from regiolens.web.words import Lang

router = APIRouter(dependencies=[Depends(current_user)])

INDUSTRY_CSV_COLUMNS = [f.name for f in fields(IndustryRow)]
"""Every field of an industry row, in order (the CSV behind the portfolio, structure and shift-share)."""

CHARTS = {"portfolio": charts.bubble_chart, "shift-share": charts.shift_share_chart}
"""The profile's charts by URL name."""

SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def opt_int(value: str | None, name: str) -> int | None:
    """A whole number from the URL; empty means "not given"."""
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidParameter("whole_number", name=parameter(name), value=repr(value)) from None


def filename(*parts: str) -> str:
    return SAFE_NAME.sub("_", "_".join(p for p in parts if p))


def profile_params(
    ref: str,
    year: str | None = None,
    base_year: str | None = None,
    reference: str | None = None,
    threshold: str | None = None,
    taxonomy: str | None = None,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> ProfileParams:
    """The profile of the URL; ``taxonomy`` a built-in one or one the user may see (another's private one: 404)."""
    taxonomy_id, version, chosen = analyses.choose_taxonomy(db, user, taxonomy)
    return ProfileParams(
        region=ref,
        year=analyses.check_range(opt_int(year, "year"), "year", analyses.YEARS),
        base_year=analyses.check_range(opt_int(base_year, "base_year"), "base_year", analyses.YEARS),
        reference=reference.strip() if reference and reference.strip() else None,
        threshold=analyses.check_threshold(threshold),
        taxonomy=taxonomy_id,
        taxonomy_version=version,
        cluster_taxonomy=chosen,
    )


def query_of(p: ProfileParams) -> dict[str, Any]:
    """The query parameters of a profile view (for links to its downloads)."""
    return {
        "year": p.year,
        "base_year": p.base_year,
        "reference": p.reference,
        "threshold": None if p.threshold == analyses.DEFAULT_THRESHOLD else p.threshold,
        "taxonomy": None if p.taxonomy == analyses.DEFAULT_TAXONOMY else p.taxonomy,
    }


def _profile(request: Request, p: ProfileParams) -> Profile:
    return analyses.get_profile(request.app.state.warehouse, p, request.app.state.settings.groups)


def _cluster_csv_rows(clusters: list[ClusterRow]) -> list[dict[str, Any]]:
    out = []
    for c in clusters:
        row: dict[str, Any] = {
            k: getattr(c, k) for k in ("taxonomy", "cluster", "name_de", "name_en", "status", "reason", "reason_de")
        }
        figures = c.figures.__dict__ if c.figures is not None else {}
        row.update({k: figures.get(k) for k in INDUSTRY_CSV_COLUMNS if k not in ("code", "label_de", "label_en")})
        out.append(row)
    return out


def _labelled_view(result: Profile, lang: Lang) -> ProfileView:
    view = profile_view(result, lang)
    view.bubble = labelled_svg(view.bubble, f"{phrase('bubble_title', lang)} {result.region.name}")
    view.shift = labelled_svg(view.shift, f"{phrase('shift_title', lang)} {result.region.name}")
    return view


@router.get("/regions/{ref}")
def profile_page(
    request: Request,
    p: ProfileParams = Depends(profile_params),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    lang = lang_of(request)
    access = request.app.state.warehouse
    result = _profile(request, p)
    taxonomies = tuple(analyses.taxonomy_options(db, user))

    def content() -> Markup:
        context = {
            "p": p,
            "query": query_of(p),
            "profile": result,
            "view": access.memo(("profile-view", p, lang), lambda: _labelled_view(result, lang)),
            "sources": sources_table(result.sources, lang),
            "years": analyses.years(access, analyses.level_of(p.region, request.app.state.settings.groups)),
            "presets": PRESETS,
            "taxonomies": taxonomies,
        }
        return fragment(request, "profile_content.html", context)

    # the rendered content depends on the URL (and the taxonomies the user may pick) only: kept beside the
    # profile, it is rendered once, not per request
    html = access.memo(("profile-html", p, lang, taxonomies), content)
    return render(request, "profile.html", {"nav": "regions", "title": result.region.name, "content": html})


@router.get("/regions/{ref}/data/{table}.csv")
def profile_csv(request: Request, table: str, p: ProfileParams = Depends(profile_params)) -> Response:
    result = _profile(request, p)
    name = filename(result.region.ref, table, str(result.year))
    if table == "industries":
        return csv_response(rows(result.industries), INDUSTRY_CSV_COLUMNS, f"{name}.csv")
    if table == "clusters":
        data = _cluster_csv_rows(result.clusters)
        return csv_response(data, list(data[0]) if data else ["taxonomy", "cluster"], f"{name}.csv")
    if table == "shift-share":
        totals = result.shift_share.__dict__
        return csv_response([totals], list(totals), f"{name}.csv")
    if table == "specialisation":
        spec = result.specialisation.__dict__
        return csv_response([spec], list(spec), f"{name}.csv")
    raise RegiolensError(f"no table {table!r}; choose industries, clusters, shift-share or specialisation")


def _chart_spec(result: Profile, chart: str, lang: Lang) -> dict[str, Any]:
    if chart not in CHARTS:
        raise RegiolensError(f"no chart {chart!r}; choose {', '.join(CHARTS)}")
    return CHARTS[chart](result, lang, max_rows=CHART_ROWS)


@router.get("/regions/{ref}/charts/{chart}.svg")
def profile_svg(request: Request, chart: str, p: ProfileParams = Depends(profile_params)) -> Response:
    lang = lang_of(request)
    result = _profile(request, p)
    svg = analyses.chart_svg(
        request.app.state.warehouse, (p, chart, lang), lambda: to_svg(_chart_spec(result, chart, lang), lang)
    )
    return file_response(svg, "image/svg+xml", filename(result.region.ref, chart) + ".svg")


@router.get("/regions/{ref}/charts/{chart}.png")
def profile_png(request: Request, chart: str, p: ProfileParams = Depends(profile_params)) -> Response:
    lang = lang_of(request)
    result = _profile(request, p)
    png = request.app.state.warehouse.memo(
        ("png", p, chart, lang), lambda: to_png(_chart_spec(result, chart, lang), lang=lang)
    )
    return file_response(png, "image/png", filename(result.region.ref, chart) + ".png")


REPORT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_bytes(
    request: Request, result: Any, key: Any, ext: str, members: list[str], level: str, reference: str | None
) -> bytes:
    """The PDF or XLSX report of a profile or comparison, with the LQ map when boundaries are stored."""
    if ext not in REPORT_TYPES:
        raise RegiolensError(f"reports are pdf or xlsx, not {ext!r}")
    lang = lang_of(request)
    access = request.app.state.warehouse
    first = result.profiles[0] if hasattr(result, "profiles") else result

    def build() -> bytes:
        ref = analyses.reference_of(reference, request.app.state.settings.groups)
        the_map = analyses.get_map(access, default_map_industry(first), first.year, members, level, ref)
        with tempfile.TemporaryDirectory(prefix="regiolens-report-") as tmp:
            out = write_report(result, Path(tmp) / f"report.{ext}", lang, the_map)
            return out.read_bytes()

    content: bytes = access.memo(("report", key, ext, lang), build)
    return content


@router.get("/regions/{ref}/report.{ext}")
def profile_report(request: Request, ext: str, p: ProfileParams = Depends(profile_params)) -> Response:
    result = _profile(request, p)
    members = list(result.region.members) or [result.region.ref]
    level = analyses.level_of(p.region, request.app.state.settings.groups)
    content = report_bytes(request, result, p, ext, members, level, p.reference)
    return file_response(content, REPORT_TYPES[ext], filename(result.region.ref, str(result.year)) + f".{ext}")


# ------------------------------------------------------------------------------------------ peers

DEFAULT_PEERS = 10


def peers_n(n: str | None) -> int:
    """How many peers the URL asks for (10 when not given); outside 1–400 an error, never silently 10."""
    value = opt_int(n, "n")
    return DEFAULT_PEERS if value is None else value


def _peers(
    request: Request,
    ref: str,
    n: str | None = None,
    year: str | None = None,
    base_year: str | None = None,
    within: str = "de",
    indicators: list[str] | None = Query(None),
    weights: str | None = None,
) -> Peers:
    """The peers of the URL's query (one reading of the parameters for the page and its CSV)."""
    return analyses.get_peers(
        request.app.state.warehouse,
        ref,
        peers_n(n),
        opt_int(year, "year"),
        opt_int(base_year, "base_year"),
        indicators,
        weights,
        within,
        request.app.state.settings.groups,
    )


@router.get("/regions/{ref}/peers")
def peers_page(
    request: Request,
    ref: str,
    n: str | None = None,
    year: str | None = None,
    base_year: str | None = None,
    within: str = "de",
    indicators: list[str] | None = Query(None),
    weights: str | None = None,
    result: Peers = Depends(_peers),
) -> Response:
    """The peers page; the query parameters are read again only to fill the form."""
    lang = lang_of(request)
    table = [
        {
            "rank": peer.rank,
            "code": peer.code,
            "ref": peer.code if result.within == "de" else f"nuts:{peer.code}",
            "name": peer.name,
            "distance": peer.distance,
            "parts": {
                k: sum(i.contribution for i in peer.indicators if i.name.split(":")[0] == k) for k in result.indicators
            },
            "reason": peer.reason_de if lang == "de" else peer.reason_en,
        }
        for peer in result.peers
    ]
    context = {
        "nav": "regions",
        "ref": ref,
        "result": result,
        "table": table,
        "query": {
            "n": n,
            "year": year,
            "base_year": base_year,
            "within": within,
            "indicators": indicators,
            "weights": weights,
        },
        "all_indicators": PEER_INDICATORS,
        "chosen": result.indicators,
        "weights": weights or "",
        "n": peers_n(n),
        "within": within,
        "sources": sources_table(result.sources, lang_of(request)),
    }
    return render(request, "peers.html", context)


@router.get("/regions/{ref}/peers.csv")
def peers_csv(request: Request, result: Peers = Depends(_peers)) -> Response:
    data = []
    for peer in result.peers:
        row: dict[str, Any] = {
            "rank": peer.rank,
            "code": peer.code,
            "name": peer.name,
            "distance": peer.distance,
            "reason_de": peer.reason_de,
            "reason_en": peer.reason_en,
        }
        for i in peer.indicators:
            row[f"{i.name}:target"] = i.target
            row[f"{i.name}:peer"] = i.peer
            row[f"{i.name}:contribution"] = i.contribution
        data.append(row)
    columns = list(dict.fromkeys(k for r in data for k in r)) or ["rank", "code", "name", "distance"]
    return csv_response(data, columns, filename(result.region.ref, "peers", str(result.year)) + ".csv")


# ------------------------------------------------------------------------------------------ opportunities


class OpportunitiesQuery:
    """The URL of an opportunities view (page, chart, CSV): the region and the settings as typed."""

    def __init__(
        self,
        ref: str,
        n: str | None = None,
        year: str | None = None,
        base_year: str | None = None,
        weights: str | None = None,
    ) -> None:
        self.ref, self.n, self.year, self.base_year, self.weights = ref, n, year, base_year, weights

    def query(self) -> dict[str, Any]:
        return {"n": self.n, "year": self.year, "base_year": self.base_year, "weights": self.weights}

    def result(self, request: Request) -> Opportunities:
        return analyses.get_opportunities(
            request.app.state.warehouse,
            self.ref,
            opt_int(self.n, "n"),
            opt_int(self.year, "year"),
            opt_int(self.base_year, "base_year"),
            self.weights,
            request.app.state.settings.groups,
        )


def _opportunity_chart(result: Opportunities, lang: Lang) -> dict[str, Any] | None:
    """The density × PCI chart of the opportunities (as in the PDF); ``None`` when no opportunity has a PCI."""
    if not any(text.known(o.pci) is not None for o in result.opportunities):
        return None
    return charts.opportunity_chart(result, lang)


@router.get("/regions/{ref}/opportunities")
def opportunities_page(request: Request, q: OpportunitiesQuery = Depends()) -> Response:
    lang = lang_of(request)
    result = q.result(request)

    def draw() -> Markup | None:
        spec = _opportunity_chart(result, lang)
        if spec is None:
            return None
        svg = inline_svg(to_svg(spec, lang), "opportunities")
        return labelled_svg(svg, phrase("opportunity_title", lang, region=result.region.name))

    context = {
        "chart": request.app.state.warehouse.memo(("opportunities-svg", q.ref, *q.query().values(), lang), draw),
        "nav": "regions",
        "ref": q.ref,
        "result": result,
        "query": q.query(),
        "weights": q.weights or "",
        "n": q.n or "",
        "sources": sources_table(result.sources, lang),
    }
    return render(request, "opportunities.html", context)


@router.get("/regions/{ref}/opportunities/chart.{ext}")
def opportunities_chart(request: Request, ext: str, q: OpportunitiesQuery = Depends()) -> Response:
    """The opportunities chart as an SVG or PNG file."""
    lang = lang_of(request)
    result = q.result(request)
    spec = _opportunity_chart(result, lang)
    if spec is None:
        raise RegiolensError("no opportunity has a complexity (PCI): there is no chart")
    name = filename(result.region.ref, "opportunities", str(result.year))
    if ext == "svg":
        return file_response(to_svg(spec, lang), "image/svg+xml", f"{name}.svg")
    if ext == "png":
        return file_response(to_png(spec, lang=lang), "image/png", f"{name}.png")
    raise RegiolensError(f"charts are svg or png, not {ext!r}")


@router.get("/regions/{ref}/opportunities/{table}.csv")
def opportunities_csv(request: Request, table: str, q: OpportunitiesQuery = Depends()) -> Response:
    result = q.result(request)
    items: dict[str, list[Any]] = {
        "opportunities": result.opportunities,
        "strengths": result.strengths,
        "clusters": result.clusters,
    }
    if table not in items:
        raise RegiolensError(f"no table {table!r}; choose opportunities, strengths or clusters")
    data = rows(items[table])
    columns = list(data[0]) if data else ["code"]
    return csv_response(data, columns, filename(result.region.ref, table, str(result.year)) + ".csv")
