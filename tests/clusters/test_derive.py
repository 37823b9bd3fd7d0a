"""Derivation onto other classifications: shares, partial marks, compaction, and which definition is the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiolens.clusters import ClusterCode, Definition, Taxonomy, derive_definition
from regiolens.clusters.derive import source_classification
from regiolens.clusters.tomlfile import parse_toml

TEXT = """
schema = 1
[taxonomy]
id = "mini"
version = "1"
classification = "wz2008"

[clusters.data]
name_de = "Daten"
[[clusters.data.wz2008]]
code = "63.11"
[[clusters.data.wz2008]]
code = "62"

[clusters.cars]
name_de = "Auto"
[[clusters.cars.wz2008]]
code = "29.10"
[[clusters.cars.naics2017]]
code = "3361"
"""


@pytest.fixture(scope="module")
def mini() -> Taxonomy:
    return parse_toml(TEXT, Path("mini.toml"))


def test_whole_codes_are_compacted_and_split_codes_marked(mini: Taxonomy) -> None:
    definition = mini.definition("data", "wz2025")
    assert definition.computed and definition.derived_from == "wz2008"
    by_code = {c.code: c for c in definition.codes}
    assert by_code["62"].weight == 1.0 and not by_code["62"].partial  # 62.01 … 62.09 → all of WZ 2025 division 62
    assert set(by_code["62"].derived_from) == {"62"}
    # WZ 2008 63.11 is split: WZ 2025 60.20 mostly holds television, so only a small share is in the cluster.
    tv = by_code["60.20.0"]
    assert tv.partial and 0 < tv.weight < 0.5 and tv.derived_from == ("63.11",)
    assert "estimated share" in tv.note
    assert by_code["63.10.2"].weight == 1.0  # cloud infrastructure: wholly from 63.11


def test_shares_count_source_codes_of_equal_size() -> None:
    # WZ 2025 29.10.1 receives all of WZ 2008 29.10.1 and part of 27.11.0 (which splits over 4 targets):
    # share = 1 / (1 + 1/4) = 0.8.
    source = Definition("wz2008", (ClusterCode("29.10"),))
    derived = {c.code: c for c in derive_definition(source, "wz2025").codes}
    assert derived["29.10.1"].weight == pytest.approx(0.8)
    assert derived["29.10.1"].partial


def test_partial_source_codes_stay_partial() -> None:
    source = Definition("naics2017", (ClusterCode("336111", partial=True), ClusterCode("336120")))
    derived = {c.code: c for c in derive_definition(source, "naics2012").codes}
    assert derived["336111"].partial and derived["336111"].weight == 1.0
    assert not derived["33612"].partial  # 336120 is the only child of 33612
    both = Definition("naics2017", (ClusterCode("336111", partial=True), ClusterCode("336112")))
    merged = derive_definition(both, "naics2012").codes
    assert [(c.code, c.partial) for c in merged] == [("33611", True)]  # a parent of a marked child stays marked


def test_weights_carry_over() -> None:
    source = Definition("wz2008", (ClusterCode("62.01", weight=0.5),))
    derived = derive_definition(source, "nace2")
    assert [(c.code, c.weight, c.partial) for c in derived.codes] == [("62.01", 0.5, True)]


def test_the_source_is_the_written_definition_of_the_same_family(mini: Taxonomy) -> None:
    assert source_classification(mini, "cars", "naics2012") == "naics2017"
    assert source_classification(mini, "cars", "wz2025") == "wz2008"
    assert source_classification(mini, "cars", "isic4") == "wz2008"
    assert source_classification(mini, "data", "naics2012") == "wz2008"
    assert mini.definition("cars", "naics2017").computed is False


def test_no_concordance_is_an_error_that_says_so() -> None:
    from regiolens.errors import RegiolensError

    source = Definition("wz2008", (ClusterCode("29.10"),))
    with pytest.raises(RegiolensError):
        derive_definition(source, "no-such-classification")
