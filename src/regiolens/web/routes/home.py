"""The start page, the region search and the map of Germany by Kreis (of an industry or a cluster)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from regiolens.analysis.profile import industry_labels
from regiolens.analysis.results import LQMap
from regiolens.classifications.section_groups import NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.clusters.model import Taxonomy as ClusterTaxonomy
from regiolens.errors import RegiolensError
from regiolens.regions.groups import load_groups
from regiolens.reports import charts, text
from regiolens.reports.html import inline_svg
from regiolens.reports.render import to_png, to_svg
from regiolens.reports.text import phrase
from regiolens.web import analyses
from regiolens.web.db import User
from regiolens.web.routes.regions import filename, opt_int
from regiolens.web.security import current_user, get_db
from regiolens.web.templating import csv_response, file_response, labelled_svg, lang_of, render, vintage_line
from regiolens.web.words import Lang

DEFAULT_MAP_INDUSTRY = "B-E"
"""The industry the map shows unless the URL names one (manufacturing and energy)."""

router = APIRouter(dependencies=[Depends(current_user)])


@router.get("/")
def home(request: Request) -> Response:
    settings = request.app.state.settings
    groups = list(load_groups(settings.groups).values())
    return render(request, "home.html", {"groups": groups, "nav": "home"})


@router.get("/regions")
def regions(request: Request, ref: str | None = None, q: str | None = None) -> Response:
    """``?ref=`` opens that region's profile; ``?q=`` searches names and keys of Kreise and groups."""
    if ref and ref.strip():
        return RedirectResponse(f"/regions/{ref.strip()}", status_code=303)
    settings = request.app.state.settings
    groups = list(load_groups(settings.groups).values())
    found: list[dict[str, str]] = []
    if q and q.strip():
        needle = q.strip().lower()
        found = [
            {"code": g.name, "name": g.label} for g in groups if needle in g.name.lower() or needle in g.label.lower()
        ]
        found += [
            r
            for r in analyses.region_list(request.app.state.warehouse)
            if needle in r["name"].lower() or r["code"].startswith(needle)
        ][:100]
    return render(request, "regions.html", {"q": q or "", "found": found, "groups": groups, "nav": "regions"})


def _map_spec(request: Request, the_map: LQMap, lang: Lang) -> dict[str, Any]:
    """The map's chart: one spec for the page, its SVG and PNG downloads (and, by the same function, the PDF)."""
    return charts.lq_choropleth(the_map, lang, vintage=vintage_line(request, lang))


def map_cluster(
    industry: str | None = None,
    taxonomy: str | None = None,
    cluster: str | None = None,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> analyses.MapCluster | None:
    """The cluster the map URL names (``taxonomy=…&cluster=…``), ``None`` for an industry map."""
    return analyses.choose_map_cluster(db, user, industry, taxonomy, cluster)


def _map(request: Request, industry: str | None, chosen: analyses.MapCluster | None, year: int | None) -> LQMap | None:
    """The map of the URL: the cluster chosen, else the industry (by default :data:`DEFAULT_MAP_INDUSTRY`)."""
    access = request.app.state.warehouse
    if chosen is not None:
        return analyses.get_cluster_map(access, chosen, year)
    return analyses.get_map(access, industry or DEFAULT_MAP_INDUSTRY, year)


def _map_key(industry: str | None, chosen: analyses.MapCluster | None) -> tuple[str, ...]:
    """What a map's charts are kept under: the industry, or the cluster with its taxonomy's version."""
    if chosen is not None:
        return ("cluster", chosen.taxonomy, chosen.taxonomy_version, chosen.cluster)
    return ("industry", industry or DEFAULT_MAP_INDUSTRY)


def _taxonomy_name(taxonomy: ClusterTaxonomy, lang: Lang) -> str:
    """The taxonomy under a cluster's map: its name and who delimited the clusters."""
    name = taxonomy.label(lang)
    return f"{name} ({taxonomy.attribution})" if taxonomy.attribution else name


def _map_of(request: Request, industry: str | None, chosen: analyses.MapCluster | None, year: str | None) -> LQMap:
    the_map = _map(request, industry, chosen, opt_int(year, "year"))
    if the_map is None:
        raise RegiolensError("no Kreis boundaries in the warehouse: nothing to map")
    return the_map


@router.get("/map")
def map_page(
    request: Request,
    industry: str | None = None,
    year: str | None = None,
    chosen: analyses.MapCluster | None = Depends(map_cluster),
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    """Where is an industry, or a cluster, strong? Its LQ in every Kreis, diverging around 1.

    A cluster the data cannot resolve gets the page with its forms and the reason (HTTP 422), not a map.
    """
    lang = lang_of(request)
    access = request.app.state.warehouse
    the_year = opt_int(year, "year")
    unusable, the_map = None, None
    if access.exists():
        try:
            the_map = _map(request, industry, chosen, the_year)
        except analyses.MapChoiceError as exc:
            unusable = exc.localised(lang)
    svg = None
    if the_map is not None:
        shown = the_map

        def draw() -> Markup:
            name = shown.label_de if lang == "de" else shown.label_en
            svg = inline_svg(to_svg(_map_spec(request, shown, lang), lang), "map")
            return labelled_svg(svg, phrase("map_title", lang, industry=name))

        svg = access.memo(("map-svg", *_map_key(industry, chosen), the_year, lang), draw)
    if chosen is not None:
        query = {"taxonomy": chosen.taxonomy, "cluster": chosen.cluster, "year": the_year}
    else:
        query = {"industry": industry, "year": the_year}
    context = {
        "nav": "map",
        "industry": None if chosen else industry or DEFAULT_MAP_INDUSTRY,
        "industries": list(zip(NON_OVERLAPPING, industry_labels(WZ2008_SECTION_GROUPS, NON_OVERLAPPING), strict=True)),
        "cluster": chosen.key if chosen else None,
        "taxonomy_name": _taxonomy_name(chosen.cluster_taxonomy, lang) if chosen else None,
        "cluster_options": analyses.map_cluster_options(access, db, user),
        "years": analyses.years(access),
        "year": the_year,
        "the_map": the_map,
        "unusable": unusable,
        "reference_name": text.reference_name(the_map.reference, lang) if the_map else None,
        "svg": svg,
        "query": query,
        "classes": charts.lq_classes(lang),
    }
    return render(request, "map.html", context, 422 if unusable else 200)


@router.get("/map/data.csv")
def map_csv(
    request: Request,
    industry: str | None = None,
    year: str | None = None,
    chosen: analyses.MapCluster | None = Depends(map_cluster),
) -> Response:
    the_map = _map_of(request, industry, chosen, year)
    data = [{**v.__dict__, "industry": the_map.industry, "year": the_map.year} for v in the_map.values]
    columns = ["code", "name", "industry", "year", "lq", "employment", "flag"]
    return csv_response(data, columns, filename("map", the_map.industry, str(the_map.year)) + ".csv")


@router.get("/map/chart.{ext}")
def map_chart(
    request: Request,
    ext: str,
    industry: str | None = None,
    year: str | None = None,
    chosen: analyses.MapCluster | None = Depends(map_cluster),
) -> Response:
    """The map as an SVG or PNG file (the chart of the page, with its caption)."""
    lang = lang_of(request)
    the_map = _map_of(request, industry, chosen, year)
    access = request.app.state.warehouse
    name = filename("map", the_map.industry, str(the_map.year))
    key = (*_map_key(industry, chosen), the_map.year, lang)
    if ext == "svg":
        svg = analyses.chart_svg(access, ("map", *key), lambda: to_svg(_map_spec(request, the_map, lang), lang))
        return file_response(svg, "image/svg+xml", f"{name}.svg")
    if ext == "png":
        png = access.memo(("map-png", *key), lambda: to_png(_map_spec(request, the_map, lang), lang=lang))
        return file_response(png, "image/png", f"{name}.png")
    raise RegiolensError(f"charts are svg or png, not {ext!r}")
