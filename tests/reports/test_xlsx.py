"""Excel workbook: every table behind every chart, real numbers equal to the results, formats, filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from regiolens.analysis.results import LABELS
from regiolens.reports import write_report
from regiolens.reports.xlsx import INDUSTRY_COLUMNS, build_sheets
from tests.reports import sample


def rows(ws: Any) -> list[dict[str, Any]]:
    """The sheet as dicts keyed by the header labels."""
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("xlsx") / "profil.xlsx"
    write_report(sample.profile(), out, "de", sample.lq_map())
    return openpyxl.load_workbook(out)


def test_sheets(book: Any) -> None:
    assert book.sheetnames == [
        "Überblick",
        "Branchen",
        "Shift-Share",
        "Cluster",
        "Spezialisierung",
        "Karte",
        "Quellen",
        "Methoden",
    ]


def test_industries_equal_the_profile_exactly(book: Any) -> None:
    ws = book["Branchen"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Regionskennung", "Region", "Code"]
    assert LABELS["employment"]["de"] in header and LABELS["lq"]["de"] in header
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref == "A1:W4"
    profile = sample.profile()
    for r, row in enumerate(profile.industries, start=2):
        assert ws.cell(r, 1).value == "emscher-lippe" and ws.cell(r, 2).value == "Emscher-Lippe"
        for c, (key, kind) in enumerate(INDUSTRY_COLUMNS, start=3):
            cell = ws.cell(r, c)
            expected = getattr(row, key)
            if key == "flag":
                assert cell.value == ({"none": None, "estimated": "geschätzt"}[expected])
            elif kind == "text":
                assert cell.value == expected
            else:
                assert cell.value == expected, (key, cell.value, expected)
                # numbers are stored as numbers (openpyxl reads 45678.0 back as the int 45678), flags as booleans
                assert cell.data_type == ("b" if kind == "bool" else "n"), key
                assert isinstance(cell.value, bool) == (kind == "bool"), key
    employment = header.index(LABELS["employment"]["de"]) + 1
    assert ws.cell(2, employment).number_format == "#,##0"
    assert ws.cell(2, header.index(LABELS["lq"]["de"]) + 1).number_format == "0.00"
    assert ws.cell(2, header.index(LABELS["share"]["de"]) + 1).number_format == "0.0%"


def test_overview_shift_share_specialisation(book: Any) -> None:
    profile = sample.profile()
    (overview,) = rows(book["Überblick"])
    assert overview["Beschäftigte insgesamt"] == 350000.0 and overview["Jahr"] == 2023
    assert overview[LABELS["national"]["de"]] == 20606.06
    assert overview[LABELS["structural_factor"]["de"]] == 0.9912
    assert overview["Datenstand"] == "Stichtag 30.06.2023"
    shift = rows(book["Shift-Share"])
    assert [r[LABELS["regional"]["de"]] for r in shift] == [r.regional for r in profile.industries]
    (spec,) = rows(book["Spezialisierung"])
    assert spec["Krugman-Index"] == 0.3456 and spec["Verwandte Vielfalt"] is None


def test_clusters_never_hide_the_unresolvable(book: Any) -> None:
    clusters = rows(book["Cluster"])
    assert [c["Status"] for c in clusters] == ["Näherung", "nicht auflösbar"]
    unresolved = clusters[1]
    assert unresolved["Begründung"] == sample.LIFE_SCIENCES.reason
    assert unresolved[LABELS["employment"]["de"]] is None and unresolved[LABELS["lq"]["de"]] is None
    assert clusters[0][LABELS["lq"]["de"]] == 0.75


def test_map_sources_methods(book: Any) -> None:
    values = rows(book["Karte"])
    assert [(v["Region" if "Region" in v else "Name"], v["Standortquotient"], v["Hervorgehoben"]) for v in values] == [
        ("Gelsenkirchen", 1.25, True),
        ("Bottrop", None, False),
    ]
    assert values[1]["Kennzeichen"] == "geheim"
    sources = rows(book["Quellen"])
    assert sources[0]["Lizenz"] == "dl-de/by-2-0"
    assert sources[-1]["Namensnennung"] == "© GeoBasis-DE / BKG 2024 (Daten verändert)"
    methods = [r[0] for r in book["Methoden"].iter_rows(values_only=True)]
    assert "Standortquotient" in methods and "Tabellenblatt" in methods
    formulas = [r[1] for r in book["Methoden"].iter_rows(values_only=True)]
    assert "LQᵣᵢ = (eᵣᵢ / eᵣ) / (Eᵢ / E)" in formulas


def test_comparison_is_one_long_table_per_sheet(tmp_path: Path) -> None:
    out = write_report(sample.comparison(), tmp_path / "vergleich.xlsx", "en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Overview",
        "Industries",
        "Shift-Share",
        "Clusters",
        "Specialisation",
        "Comparison",
        "Growth gaps",
        "Summary",
        "Sources",
        "Methods",
    ]
    industries = rows(book["Industries"])
    assert [(r["Region"], r["Code"]) for r in industries] == [
        ("Emscher-Lippe", "C"),
        ("Emscher-Lippe", "J"),
        ("Emscher-Lippe", "B"),
        ("Region Hannover", "C"),
        ("Region Hannover", "J"),
        ("Region Hannover", "B"),
    ]
    mining = industries[-1]
    assert mining["Employees"] is None and mining["Flag"] == "suppressed"  # never a zero
    (difference,) = rows(book["Comparison"])
    assert difference["Location quotient Emscher-Lippe"] == 0.5
    assert difference["Location quotient Region Hannover"] == 1.34
    (gap,) = rows(book["Growth gaps"])
    assert gap["Growth gap"] == -0.0318 and gap["Share of the gap due to structure"] == 0.3868
    assert book["Growth gaps"].cell(2, 5).number_format == "0.0%"


def test_every_chart_has_its_table() -> None:
    names = [s.name for s in build_sheets(sample.comparison(), "de", sample.lq_map())]
    for needed in ("Branchen", "Shift-Share", "Karte", "Vergleich"):  # bubble, shift-share, map, comparison charts
        assert needed in names
