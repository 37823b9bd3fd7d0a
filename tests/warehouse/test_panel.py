"""Panel queries on small hand-made sources: values, flags, code history, groups, roll-ups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regiolens.model import ParsedSource, SourceInfo
from regiolens.regions.groups import RegionGroup
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse

COLUMNS = [
    "region_code",
    "region_level",
    "industry_code",
    "classification",
    "year",
    "measure",
    "value",
    "flag",
    "line",
]


def _source(key: str, rows: list[tuple]) -> ParsedSource:
    obs = pd.DataFrame(
        [
            (code, "de:kreis", ind, "wz2008-sg", year, "employment", value, flag, i + 1)
            for i, (code, ind, year, value, flag) in enumerate(rows)
        ],
        columns=COLUMNS,
    )
    info = SourceInfo(key, f"{key}.csv", key.ljust(64, "0"), "test", "test", "CC0", "test data")
    return ParsedSource(info=info, observations=obs)


@pytest.fixture
def wh(tmp_path: Path):
    nan = float("nan")
    with Warehouse.open(tmp_path / "p.duckdb") as w:
        w.import_parsed(
            [
                _source(
                    "y2015",
                    [
                        ("03152", "C", 2015, 100.0, "none"),  # old Göttingen
                        ("03156", "C", 2015, 50.0, "none"),  # Osterode, merged into 03159 on 2016-11-01
                        ("03152", "J", 2015, nan, "suppressed"),
                        ("03156", "J", 2015, 7.0, "none"),
                        ("05562", "C", 2015, 30.0, "estimated"),
                        ("05512", "C", 2015, 20.0, "none"),
                        ("05512", "J", 2015, nan, "suppressed"),
                    ],
                ),
                _source(
                    "y2020",
                    [
                        ("03159", "C", 2020, 160.0, "none"),
                        ("03159", "J", 2020, 9.0, "provisional"),
                        ("05562", "C", 2020, 33.0, "none"),
                        ("05512", "C", 2020, 21.0, "none"),
                    ],
                ),
            ]
        )
        yield w


def test_old_codes_are_merged_into_successor(wh: Warehouse) -> None:
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=[2015, 2020],
        region_level="de:kreis",
        classification="wz2008-sg",
        regions=["03159"],
        industries=["C", "J"],
    )
    assert p.as_of == date(2020, 12, 31)
    np.testing.assert_array_equal(p.values[:, 0, 0], [150.0, 160.0])
    assert p.values[0, 0, 1] == 7.0 and p.flags[0, 0, 1] == "partial"  # 03152 J suppressed: lower bound
    assert p.flags[1, 0, 1] == "provisional"


def test_before_the_merger_old_codes_stay(wh: Warehouse) -> None:
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=2015,
        region_level="de:kreis",
        classification="wz2008-sg",
        industries=["C"],
    )
    assert p.regions == ("03152", "03156", "05512", "05562")
    np.testing.assert_array_equal(p.values[0, :, 0], [100.0, 50.0, 20.0, 30.0])


def test_group_is_summed_before_anything_else_with_flags(wh: Warehouse) -> None:
    group = RegionGroup("pair", "Pair", "de:kreis", ("05562", "05512"))  # type: ignore[arg-type]
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=[2015, 2020],
        region_level="de:kreis",
        classification="wz2008-sg",
        regions=[],
        groups=[group],
        industries=["C", "J"],
    )
    assert p.regions == ("pair",)
    np.testing.assert_array_equal(p.values[:, 0, 0], [50.0, 54.0])
    assert list(p.flags[:, 0, 0]) == ["estimated", "none"]
    assert np.isnan(p.values[0, 0, 1]) and p.flags[0, 0, 1] == "suppressed"  # only member with J is suppressed
    assert p.flags[1, 0, 1] == "missing"


def test_industry_roll_up(wh: Warehouse) -> None:
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=2020,
        region_level="de:kreis",
        classification="wz2008-sg",
        regions=["03159"],
        industry_map={"C": "X", "J": "X"},
    )
    assert p.industries == ("X",)
    assert p.values[0, 0, 0] == 169.0 and p.flags[0, 0, 0] == "provisional"


def test_latest_source_wins_for_the_same_cell(wh: Warehouse) -> None:
    wh.import_parsed([_source("fix", [("05562", "C", 2020, 34.0, "none")])])
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=2020,
        region_level="de:kreis",
        classification="wz2008-sg",
        regions=["05562"],
        industries=["C"],
    )
    assert p.values[0, 0, 0] == 34.0


def test_to_frame_round_trip(wh: Warehouse) -> None:
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=[2015, 2020],
        region_level="de:kreis",
        classification="wz2008-sg",
        regions=["05512", "05562"],
        industries=["C"],
    )
    frame = p.to_frame()
    assert list(frame.columns) == ["year", "region_code", "industry_code", "value", "flag"]
    assert frame.set_index(["year", "region_code"]).loc[(2020, "05562"), "value"] == 33.0


def test_official_panel_has_401_kreise_every_year(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as w:
        p = query_panel(
            w.ibis,
            measure="employment",
            years=range(2015, 2021),
            region_level="de:kreis",
            classification="wz2008-sg",
            industries=["TOTAL"],
        )
    assert p.values.shape == (6, 401, 1)
    assert not np.isnan(p.values).any()
    goettingen = p.regions.index("03159")
    assert p.values[0, goettingen, 0] == 99_252 + 25_192  # 03152 + 03156 in 2015, from the raw file


def test_roll_up_to_a_classification_level_uses_one_source_level(tmp_path: Path) -> None:
    """Classes roll up to divisions; a division stored beside its classes is not counted twice."""
    rows = [("05562", "29.10", 100.0), ("05562", "29.20", 20.0), ("05562", "29", 999.0), ("05562", "62.01", 5.0)]
    obs = pd.DataFrame(
        [(c, "de:kreis", i, "wz2008", 2020, "employment", v, "none", n + 1) for n, (c, i, v) in enumerate(rows)],
        columns=COLUMNS,
    )
    info = SourceInfo("wz", "wz.csv", "1" * 64, "test", "test", "CC0", "test data")
    with Warehouse.open(tmp_path / "wz.duckdb") as w:
        w.import_parsed([ParsedSource(info=info, observations=obs)])
        p = query_panel(
            w.ibis,
            measure="employment",
            years=2020,
            region_level="de:kreis",
            classification="wz2008",
            industry_level="division",
        )
        sections = query_panel(
            w.ibis,
            measure="employment",
            years=2020,
            region_level="de:kreis",
            classification="wz2008",
            industry_level="section",
        )
    assert p.industries == ("29", "62")
    np.testing.assert_array_equal(p.values[0, 0], [120.0, 5.0])
    assert sections.industries == ("C", "J")


def test_cbp_counties_roll_up_to_naics_subsectors(tmp_path: Path) -> None:
    """Michigan 2021: county employment in NAICS 336 (transportation equipment) equals the raw file's sum."""
    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / "us" / "cbp" / "US-MI-census-naics6-counties-2021.csv"
    if not path.exists():
        pytest.skip("official data not found")
    raw = pd.read_csv(path, dtype={"Fips": str, "Naics": str})
    raw = raw[raw.Naics.str.startswith("336")]
    by_hand = raw.groupby(raw.Fips.str.zfill(5))["Employees"].sum()
    with Warehouse.open(tmp_path / "mi.duckdb") as w:
        w.import_files([path])
        p = query_panel(
            w.ibis,
            measure="employment",
            years=2021,
            region_level="us:county",
            classification="naics2017",
            industry_level="subsector",
            industries=["336"],
        )
    got = pd.Series(p.values[0, :, 0], index=list(p.regions)).dropna()
    assert by_hand.loc["26163"] > 10_000  # Wayne County, Detroit
    pd.testing.assert_series_equal(got.sort_index(), by_hand.astype(float).sort_index(), check_names=False)
