"""Clusters in a profile on fine-grained real data: Michigan counties, CBP 2017 → 2021, NAICS 2017."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiolens.analysis.profile import profile
from regiolens.model import RegionLevel
from regiolens.regions.groups import RegionGroup
from regiolens.regions.resolve import RegionSelection
from regiolens.warehouse.store import Warehouse
from tests.conftest import SHARED_DATA

CBP = SHARED_DATA / "us" / "cbp"
AUTOMOTIVE = ("3361", "3362", "3363")  # NAICS 2017 industry groups, all in the automotive cluster


@pytest.fixture(scope="module")
def michigan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RegionGroup, dict[int, pd.DataFrame]]:
    files = {2017: CBP / "US-MI-census-naics6-counties-2017.csv", 2021: CBP / "US-MI-census-naics6-counties-2021.csv"}
    if not all(f.exists() for f in files.values()):
        pytest.skip("CBP files not found")
    path = tmp_path_factory.mktemp("mi") / "mi.duckdb"
    with Warehouse.open(path) as wh:
        wh.import_files(list(files.values()))
    raw = {y: pd.read_csv(f, dtype={"Fips": str, "Naics": str}) for y, f in files.items()}
    counties = sorted({f.zfill(5) for f in raw[2021].Fips})
    return path, RegionGroup("michigan", "Michigan", RegionLevel.US_COUNTY, tuple(counties)), raw


def test_wayne_county_automotive_cluster_by_hand(michigan: tuple[Path, RegionGroup, dict[int, pd.DataFrame]]) -> None:
    path, state, raw = michigan
    wayne = RegionSelection("us:26163", RegionLevel.US_COUNTY, "26163")
    reference = RegionSelection("michigan", RegionLevel.US_COUNTY, "michigan", state)
    with Warehouse.open(path, read_only=True) as wh:
        p = profile(wh, wayne, 2021, 2017, reference, classification="naics2017", industry_level="sector")
    auto = next(c for c in p.clusters if c.cluster == "automotive")
    assert auto.status == "exact"
    assert auto.figures is not None

    def employment(year: int, county: str | None, prefixes: tuple[str, ...] = AUTOMOTIVE) -> float:
        df = raw[year]
        rows = df[df.Naics.str.startswith(prefixes)]
        if county:
            rows = rows[rows.Fips.str.zfill(5) == county]
        return float(rows.Employees.sum())

    def total(year: int, county: str | None) -> float:
        return employment(year, county, tuple("0123456789"))

    # 2021 (noise infusion, nothing withheld): the cluster's LQ equals a hand calculation from the raw file
    e1, n1 = employment(2021, "26163"), employment(2021, None)
    assert auto.figures.employment == e1
    assert auto.figures.lq == pytest.approx((e1 / total(2021, "26163")) / (n1 / total(2021, None)), rel=1e-12)
    assert auto.figures.lq > 1.5  # Detroit
    assert auto.figures.strong
    not_automotive = [c for c in p.clusters if c.cluster != "automotive"]
    assert all(c.status in ("exact", "approximation") for c in not_automotive)
    assert p.region.name and p.reference.name == "Michigan"


def test_compare_counties_includes_clusters(michigan: tuple[Path, RegionGroup, dict[int, pd.DataFrame]]) -> None:
    from regiolens.analysis.compare import compare

    path, state, _ = michigan
    counties = [RegionSelection(f"us:{c}", RegionLevel.US_COUNTY, c) for c in ("26163", "26065")]  # Wayne, Ingham
    reference = RegionSelection("michigan", RegionLevel.US_COUNTY, "michigan", state)
    with Warehouse.open(path, read_only=True) as wh:
        c = compare(wh, counties, 2021, 2017, reference, classification="naics2017", industry_level="sector")
    wayne, ingham = c.profiles
    auto_w = next(x.figures for x in wayne.clusters if x.cluster == "automotive")
    auto_i = next(x.figures for x in ingham.clusters if x.cluster == "automotive")
    assert auto_w is not None and auto_i is not None
    mentioned = {d.code for d in c.differences} | set(c.shared_strengths)
    if auto_w.strong != auto_i.strong:
        assert "automotive" in mentioned
    elif auto_w.strong:
        assert "automotive" in c.shared_strengths
    assert all(d.lq.keys() == {"us:26163", "us:26065"} for d in c.differences)
