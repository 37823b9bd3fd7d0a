"""The Regionalstatistik section groups as classifications with their declared nesting."""

from __future__ import annotations

import pytest

from regiolens.classifications import LevelError, get_classification
from regiolens.classifications.section_groups import NON_OVERLAPPING
from regiolens.errors import UnknownIndustryError
from regiolens.model import TOTAL_INDUSTRY


@pytest.mark.parametrize("name", ["wz2008-sg", "wz2025-sg"])
def test_declared_nesting(name: str) -> None:
    groups = get_classification(name)
    assert groups.name == name
    assert groups.children(TOTAL_INDUSTRY) == ["A", "B-F", "G-U"]
    assert groups.path("C") == (TOTAL_INDUSTRY, "B-F", "B-E", "C")
    assert groups.parent("F") == "B-F"
    assert groups.children("G-U") == ["G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
    assert set(NON_OVERLAPPING) <= set(groups.codes())
    assert groups.get("C").label_de == "Verarbeitendes Gewerbe"


def test_roll_up_along_the_nesting() -> None:
    groups = get_classification("wz2008-sg")
    assert groups.roll_up(["C", "F", "J", "A"], "area") == ["B-F", "B-F", "G-U", "A"]
    assert groups.roll_up(["C", "B-E"], "group") == ["B-E", "B-E"]
    with pytest.raises(LevelError):
        groups.roll_up(["A"], "group")  # A has nothing below it


def test_spellings_include_genesis_labels() -> None:
    groups = get_classification("wz2008-sg")
    assert groups.normalise("b - e") == "B-E"
    assert groups.normalise("m\u2013n") == "M-N"
    assert groups.normalise("Baugewerbe (F)") == "F"
    assert groups.normalise("Insgesamt") == TOTAL_INDUSTRY
    with pytest.raises(UnknownIndustryError, match="section groups are A, B-F"):
        groups.normalise("B-D")
