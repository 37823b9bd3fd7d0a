"""The U.S. benchmark-cluster crosswalk (ACR1/industry-clusters) read as a taxonomy, and checked against CBP data."""

from __future__ import annotations

import csv
from collections import Counter

import openpyxl
import pytest

from regiolens.classifications import get_classification
from regiolens.clusters import Taxonomy, get_taxonomy, read_us_benchmark_clusters, resolve
from regiolens.clusters.us_cmp import ATTRIBUTION
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.integration

DEFS = SHARED_DATA / "us" / "cluster_definitions"
CROSSWALK = DEFS / "NAICS_crosswalks_to_Cluster_system.xlsx"
CBP = SHARED_DATA / "us" / "cbp"


@pytest.fixture(scope="module")
def cmp() -> Taxonomy:
    if not CROSSWALK.exists():
        pytest.skip(f"official data not found in {DEFS}")
    return read_us_benchmark_clusters(CROSSWALK)


def test_51_traded_and_16_local_clusters(cmp: Taxonomy) -> None:
    assert cmp.classification == "naics2017"
    assert Counter(c.category for c in cmp.clusters) == {"traded": 51, "local": 16}
    assert cmp.attribution == ATTRIBUTION
    automotive = cmp.cluster("automotive")
    assert automotive.label("en") == "Automotive" and automotive.category == "traded"
    codes = automotive.definitions["naics2017"]
    assert {"336111", "336112", "336370"} <= set(codes.code_list())
    assert codes.get("336111").subcluster == "Motor Vehicles"


def test_cluster_names_match_the_list_of_all_clusters(cmp: Taxonomy) -> None:
    wb = openpyxl.load_workbook(DEFS / "lists_of_clusters.xlsx", read_only=True)
    try:
        sheets = {ws.title: [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r and r[0]] for ws in wb}
    finally:
        wb.close()
    names = {c.name_en for c in cmp.clusters}
    assert set(sheets["all"]) == names
    traded = {c.name_en for c in cmp.clusters if c.category == "traded"}
    assert set(sheets["traded"]) | set(sheets["exclusions"]) == traded


def test_emsi_specific_codes_are_reported(cmp: Taxonomy) -> None:
    nonstandard = {s.code for s in cmp.skipped if s.kind == "nonstandard"}
    assert nonstandard == {
        "111000", "112000", "482110", "901149", "901199", "901200", "902611", "902612", "902619", "902622",
        "902999", "903611", "903612", "903619", "903622", "903999",
    }  # fmt: skip
    naics = get_classification("naics2017")
    assert not any(code in naics for code in nonstandard)
    empty = {s.cluster for s in cmp.skipped if s.kind == "empty_cluster"}
    assert empty == {"federal-government-services", "state-government-services", "local-government-services"}
    [unassigned] = [s for s in cmp.skipped if s.kind == "unassigned"]
    assert (unassigned.code, unassigned.line) == ("814110", 780)
    # Flagged codes that are NAICS 2017 codes stay, with a note.
    rd = cmp.cluster("education-and-knowledge-creation").definitions["naics2017"].get("541713")
    assert rd is not None and "flagged non-standard" in rd.note


def test_the_codes_are_naics_2017_not_2012(cmp: Taxonomy) -> None:
    n2012 = get_classification("naics2012")
    only_2017 = [
        code
        for c in cmp.clusters
        for code in c.definitions["naics2017"].code_list()
        if code not in n2012 or n2012.get(code).level != 5
    ]
    assert len(only_2017) == 20 and "541713" in only_2017


def cbp_codes(name: str) -> set[str]:
    path = CBP / name
    if not path.exists():
        pytest.skip(f"official data not found: {path}")
    with path.open(encoding="utf-8") as fh:
        return {row["Naics"] for row in csv.DictReader(fh)}


def test_michigan_counties_2021_resolve_exactly(cmp: Taxonomy) -> None:
    codes = cbp_codes("US-MI-census-naics6-counties-2021.csv")
    result = resolve(cmp, "naics2017", codes)
    automotive = result["automotive"]
    assert automotive.status == "exact"
    assert {"336111", "336390"} <= set(automotive.industry_map)
    assert set(automotive.missing) <= set(cmp.cluster("automotive").definitions["naics2017"].code_list())

    hi = resolve(get_taxonomy("hannoverimpuls"), "naics2017", codes)
    assert hi["automotive"].status == "exact"
    assert {"336111", "336112", "336390"} <= set(hi["automotive"].industry_map)
    assert all(r.code[:4] in ("3361", "3362", "3363") for r in hi["automotive"].codes)


def test_cbp_2016_on_naics_2012_uses_the_derived_definition() -> None:
    codes = cbp_codes("US-census-naics6-2016.csv")
    result = resolve(get_taxonomy("hannoverimpuls"), "naics2012", codes)
    automotive = result["automotive"]
    assert automotive.status == "exact" and automotive.derived
    assert automotive.definition_classification == "naics2012"
    assert all(r.code.startswith("336") for r in automotive.codes)
