"""Compare regions side by side: ``/compare?regions=emscher-lippe&regions=region-hannover``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from regiolens.analysis.results import Comparison
from regiolens.errors import RegiolensError
from regiolens.metrics.strength import PRESETS
from regiolens.reports import charts
from regiolens.reports.html import (
    CHART_ROWS,
    differences_table,
    growth_gap_table,
    inline_svg,
    profile_view,
    sources_table,
)
from regiolens.reports.render import to_png, to_svg
from regiolens.reports.text import industry_names, phrase
from regiolens.web import analyses
from regiolens.web.routes.regions import REPORT_TYPES, filename, opt_int, report_bytes
from regiolens.web.security import current_user
from regiolens.web.templating import csv_response, file_response, labelled_svg, lang_of, render

router = APIRouter(dependencies=[Depends(current_user)])


class CompareParams:
    """The URL of a comparison: the regions (repeated ``regions``) and the profile settings."""

    def __init__(
        self,
        regions: list[str] | None = Query(None),
        year: str | None = None,
        base_year: str | None = None,
        reference: str | None = None,
        threshold: str | None = None,
    ) -> None:
        self.regions = [r.strip() for r in regions or [] if r and r.strip()]
        self.year = opt_int(year, "year")
        self.base_year = opt_int(base_year, "base_year")
        self.reference = reference.strip() if reference and reference.strip() else None
        self.threshold = analyses.check_threshold(threshold)

    def key(self) -> tuple[Any, ...]:
        return (tuple(self.regions), self.year, self.base_year, self.reference, self.threshold)

    def query(self) -> dict[str, Any]:
        return {
            "regions": self.regions,
            "year": self.year,
            "base_year": self.base_year,
            "reference": self.reference,
            "threshold": None if self.threshold == analyses.DEFAULT_THRESHOLD else self.threshold,
        }


def _comparison(request: Request, c: CompareParams) -> Comparison:
    return analyses.get_comparison(
        request.app.state.warehouse,
        c.regions,
        c.year,
        c.base_year,
        c.reference,
        c.threshold,
        request.app.state.settings.groups,
    )


@router.get("/compare")
def compare_page(request: Request, c: CompareParams = Depends()) -> Response:
    lang = lang_of(request)
    access = request.app.state.warehouse
    context: dict[str, Any] = {
        "nav": "compare",
        "c": c,
        "query": c.query(),
        "presets": PRESETS,
        "years": analyses.years(access),
        "inputs": [*c.regions, "", ""][: max(2, len(c.regions) + 1)],
        "result": None,
    }
    if len(c.regions) >= 2:
        result = _comparison(request, c)
        views = access.memo(("compare-view", c.key(), lang), lambda: _views(result, lang))
        context.update(
            {
                "result": result,
                "summary": result.summary_de if lang == "de" else result.summary_en,
                "shared": industry_names(result.profiles, result.shared_strengths, lang),
                **views,
                "sources": sources_table(list(dict.fromkeys(s for p in result.profiles for s in p.sources)), lang),
            }
        )
    return render(request, "compare.html", context)


def _views(result: Comparison, lang: Any) -> dict[str, Any]:
    spec = charts.comparison_lq_chart(result, lang, max_rows=CHART_ROWS)
    return {
        "chart": labelled_svg(inline_svg(to_svg(spec, lang), "compare"), phrase("comparison_title", lang)),
        "differences": differences_table(result, lang),
        "gaps": growth_gap_table(result, lang) if result.growth_gaps else None,
        "profiles": [profile_view(p, lang, i) for i, p in enumerate(result.profiles)],
    }


def _need_two(c: CompareParams) -> None:
    if len(c.regions) < 2:
        raise RegiolensError("a comparison needs at least two regions (repeat ?regions=)")


@router.get("/compare/data/{table}.csv")
def compare_csv(request: Request, table: str, c: CompareParams = Depends()) -> Response:
    _need_two(c)
    result = _comparison(request, c)
    name = filename("compare", *c.regions, table)
    if table == "lq":
        data_lq: list[dict[str, Any]] = [
            {
                "region": p.region.ref,
                "region_name": p.region.name,
                "code": r.code,
                "label_de": r.label_de,
                "label_en": r.label_en,
                "employment": r.employment,
                "lq": r.lq,
                "lq_low": r.lq_low,
                "lq_high": r.lq_high,
                "strong": r.strong,
            }
            for p in result.profiles
            for r in p.industries
        ]
        return csv_response(data_lq, list(data_lq[0]) if data_lq else ["region"], f"{name}.csv")
    if table == "differences":
        refs = [p.region.ref for p in result.profiles]
        data: list[dict[str, Any]] = [
            {
                "code": d.code,
                "label_de": d.label_de,
                "label_en": d.label_en,
                **{f"lq:{r}": d.lq.get(r) for r in refs},
                "strong_in": d.strong_in,
                "text_de": d.text_de,
                "text_en": d.text_en,
            }
            for d in result.differences
        ]
        columns = ["code", "label_de", "label_en", *(f"lq:{r}" for r in refs), "strong_in", "text_de", "text_en"]
        return csv_response(data, columns, f"{name}.csv")
    if table == "growth-gaps":
        gaps = [{k: v for k, v in g.__dict__.items() if k != "by_industry"} for g in result.growth_gaps]
        return csv_response(gaps, list(gaps[0]) if gaps else ["a", "b"], f"{name}.csv")
    raise RegiolensError(f"no table {table!r}; choose lq, differences or growth-gaps")


@router.get("/compare/charts/lq.{ext}")
def compare_chart(request: Request, ext: str, c: CompareParams = Depends()) -> Response:
    _need_two(c)
    lang = lang_of(request)
    result = _comparison(request, c)
    spec = charts.comparison_lq_chart(result, lang, max_rows=CHART_ROWS)
    access = request.app.state.warehouse
    name = filename("compare", *c.regions)
    if ext == "svg":
        svg = analyses.chart_svg(access, ("compare", c.key(), lang), lambda: to_svg(spec, lang))
        return file_response(svg, "image/svg+xml", f"{name}.svg")
    if ext == "png":
        png = access.memo(("compare-png", c.key(), lang), lambda: to_png(spec, lang=lang))
        return file_response(png, "image/png", f"{name}.png")
    raise RegiolensError(f"charts are svg or png, not {ext!r}")


@router.get("/compare/report.{ext}")
def compare_report(request: Request, ext: str, c: CompareParams = Depends()) -> Response:
    _need_two(c)
    result = _comparison(request, c)
    members = [m for p in result.profiles for m in (p.region.members or [p.region.ref])]
    level = analyses.level_of(c.regions[0], request.app.state.settings.groups)
    content = report_bytes(request, result, ("compare", c.key()), ext, members, level, c.reference)
    return file_response(
        content, REPORT_TYPES.get(ext, "application/octet-stream"), filename("compare", *c.regions) + f".{ext}"
    )
