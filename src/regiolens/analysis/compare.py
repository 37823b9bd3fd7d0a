"""Regions side by side: where they overlap, where they differ, and how much structure explains.

Every region is profiled against the same reference area and threshold (:func:`profile`). Then:

- **Shared strengths** — industries (and clusters every region resolves) strong in every region under the
  threshold preset.
- **Differences** — industries and clusters strong in some regions but not in all, with each region's LQ.
- **Growth gaps** — for each pair (a, b) the difference of their growth rates ``base_year → year``, split
  with the classic shift-share into the industry-mix (structural) part and the regional (location) part::

      g_a − g_b = (IM_a/e_a0 − IM_b/e_b0) + (RS_a/e_a0 − RS_b/e_b0)

  since the national component is the same growth rate G for both. The structural share is the structural
  part divided by the gap; each industry's contribution to both parts is kept, so a person can see which
  industries the gap comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from regiolens.analysis.profile import GERMANY, profile
from regiolens.analysis.results import Comparison, Difference, GapContribution, GrowthGap, IndustryRow, Profile
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number, format_share
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.store import Warehouse


def _pp(value: float, locale: str) -> str:
    """A growth difference in percentage points, signed: ``+1,2`` / ``-0.4``."""
    return ("+" if value >= 0 else "") + format_number(value * 100, 1, locale)


def _growth_gap(a: Profile, b: Profile) -> GrowthGap:
    base_a, base_b = a.total_employment_base, b.total_employment_base
    growth_a = a.shift_share.actual_change / base_a
    growth_b = b.shift_share.actual_change / base_b
    structural = a.shift_share.industry_mix / base_a - b.shift_share.industry_mix / base_b
    regional = a.shift_share.regional / base_a - b.shift_share.regional / base_b
    gap = growth_a - growth_b
    share = structural / gap if abs(gap) > 1e-12 else None
    period = f"{a.base_year}–{a.year}"
    text_de = (
        f"{a.region.name} wuchs {period} um {format_share(growth_a, 1, 'de_DE')}, {b.region.name} um "
        f"{format_share(growth_b, 1, 'de_DE')}. Von der Differenz ({_pp(gap, 'de_DE')} Prozentpunkte) gehen "
        f"{_pp(structural, 'de_DE')} Punkte auf die Branchenstruktur zurück (Strukturkomponente) und "
        f"{_pp(regional, 'de_DE')} Punkte auf regionale Faktoren (Standortkomponente)."
    )
    text_en = (
        f"{a.region.name} grew by {format_share(growth_a, 1, 'en_GB')} in {period}, {b.region.name} by "
        f"{format_share(growth_b, 1, 'en_GB')}. Of the gap ({_pp(gap, 'en_GB')} percentage points), "
        f"{_pp(structural, 'en_GB')} points come from the industry mix and {_pp(regional, 'en_GB')} points "
        f"from regional factors (competitive effect)."
    )

    def part(value_a: float | None, value_b: float | None) -> float | None:
        if value_a is None or value_b is None:
            return None
        return value_a / base_a - value_b / base_b

    contributions = [
        GapContribution(ra.code, part(ra.industry_mix, rb.industry_mix), part(ra.regional, rb.regional))
        for ra, rb in zip(a.industries, b.industries, strict=True)
    ]
    return GrowthGap(
        a.region.ref,
        b.region.ref,
        growth_a,
        growth_b,
        gap,
        structural,
        regional,
        share,
        text_de,
        text_en,
        contributions,
    )


def _lq_text(name: str, row: IndustryRow, locale: str) -> str:
    return f"{name} (LQ {'–' if row.lq is None else format_number(row.lq, 2, locale)})"


def _comparable_rows(profiles: list[Profile]) -> list[list[IndustryRow]]:
    """Per industry, and per cluster that every region resolves, the rows of all regions (same order)."""
    table = [[p.industries[i] for p in profiles] for i in range(len(profiles[0].industries))]
    for k in range(len(profiles[0].clusters)):
        figures = [p.clusters[k].figures for p in profiles]
        if all(f is not None for f in figures):
            table.append([f for f in figures if f is not None])
    return table


def _difference(profiles: list[Profile], rows: list[IndustryRow]) -> Difference:
    first = rows[0]
    yes = [(p.region.name, r) for p, r in zip(profiles, rows, strict=True) if r.strong]
    no = [(p.region.name, r) for p, r in zip(profiles, rows, strict=True) if not r.strong]

    def text(label: str, strong: str, not_: str, locale: str) -> str:
        return (
            f"{label}: {strong} "
            + ", ".join(_lq_text(n, r, locale) for n, r in yes)
            + f", {not_} "
            + ", ".join(_lq_text(n, r, locale) for n, r in no)
            + "."
        )

    return Difference(
        code=first.code,
        label_de=first.label_de,
        label_en=first.label_en,
        lq={p.region.ref: r.lq for p, r in zip(profiles, rows, strict=True)},
        strong_in=[p.region.ref for p, r in zip(profiles, rows, strict=True) if r.strong],
        text_de=text(first.label_de, "stark in", "nicht in", "de_DE"),
        text_en=text(first.label_en, "strong in", "not in", "en_GB"),
    )


def compare(
    wh: Warehouse,
    regions: Sequence[RegionSelection],
    year: int | None = None,
    base_year: int | None = None,
    reference: RegionSelection = GERMANY,
    *,
    preset: str = "lq>=1.25",
    classification: str = WZ2008_SECTION_GROUPS,
    industry_level: str | None = None,
) -> Comparison:
    """Profile every region against ``reference`` and set them side by side (see the module docstring)."""
    if len(regions) < 2:
        raise RegiolensError("a comparison needs at least two regions")
    profiles = [
        profile(
            wh,
            r,
            year,
            base_year,
            reference,
            preset=preset,
            classification=classification,
            industry_level=industry_level,
        )
        for r in regions
    ]
    shared: list[str] = []
    differences: list[Difference] = []
    labels: dict[str, tuple[str, str]] = {}
    for rows in _comparable_rows(profiles):
        labels[rows[0].code] = (rows[0].label_de, rows[0].label_en)
        strong = [r.strong for r in rows]
        if all(strong):
            shared.append(rows[0].code)
        elif any(strong):
            differences.append(_difference(profiles, rows))
    gaps = [_growth_gap(a, b) for a, b in combinations(profiles, 2)]
    summary_de = [
        "Gemeinsame Stärken: " + (", ".join(labels[c][0] for c in shared) if shared else "keine") + ".",
        *(d.text_de for d in differences),
        *(g.text_de for g in gaps),
    ]
    summary_en = [
        "Shared strengths: " + (", ".join(labels[c][1] for c in shared) if shared else "none") + ".",
        *(d.text_en for d in differences),
        *(g.text_en for g in gaps),
    ]
    return Comparison(profiles, shared, differences, gaps, summary_de, summary_en)
