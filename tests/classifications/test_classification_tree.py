"""The generic Classification tree on a small hand-made hierarchy: order, lookups, roll-up, errors."""

from __future__ import annotations

from typing import Any

import pytest

from regiolens.classifications.base import Classification, LevelError
from regiolens.errors import UnknownIndustryError
from regiolens.model import TOTAL_INDUSTRY


def tiny() -> Classification:
    # Given out of order on purpose: the tree must sort itself depth-first.
    entries = [
        ("B1", "B", "b eins", "b one"),
        ("A2", "A", "a zwei", "a two"),
        ("A", None, "a", "a"),
        ("A1", "A", "a eins", "a one"),
        ("A1x", "A1", "a eins x", "a one x"),
        ("B", None, "b", "b"),
    ]
    return Classification(
        "tiny",
        "Tiny",
        ("total", "top", "middle", "bottom"),
        entries,
        normaliser=lambda raw: raw.upper().replace("X", "x"),
        spelling_hint="tiny codes are like A1x",
    )


def test_codes_are_depth_first_with_the_total_as_root() -> None:
    t = tiny()
    assert t.codes() == [TOTAL_INDUSTRY, "A", "A1", "A1x", "A2", "B", "B1"]
    assert t.codes("middle") == ["A1", "A2", "B1"]
    assert t.codes(1) == ["A", "B"]
    assert t.parent("A") == TOTAL_INDUSTRY
    assert t.parent(TOTAL_INDUSTRY) is None
    assert t.get("A1x").level == 3
    assert t.get("A1x").level_name == "bottom"
    assert t.children("A") == ["A1", "A2"]
    assert t.descendants("A") == ["A1", "A1x", "A2"]
    assert t.descendants(TOTAL_INDUSTRY, "bottom") == ["A1x"]
    assert t.leaves() == ["A1x", "A2", "B1"]
    assert t.path("A1x") == (TOTAL_INDUSTRY, "A", "A1", "A1x")


def test_lookup_goes_through_the_normaliser_and_total_spellings() -> None:
    t = tiny()
    assert t.get(" a1X ").code == "A1x"
    assert t.normalise("total") == TOTAL_INDUSTRY
    assert t.normalise("Insgesamt") == TOTAL_INDUSTRY
    assert "a2" in t
    assert "C" not in t
    assert 3 not in t


def test_labels_in_both_languages() -> None:
    t = tiny()
    assert t.label("A1", "de") == "a eins"
    assert t.get("A1").label("en") == "a one"
    assert t.get(TOTAL_INDUSTRY).label("de") == "Insgesamt"
    french: Any = "fr"
    with pytest.raises(ValueError, match="language"):
        t.get("A1").label(french)


def test_ancestor_and_roll_up() -> None:
    t = tiny()
    assert t.ancestor("A1x", "top") == "A"
    assert t.ancestor("A1x", "middle") == "A1"
    assert t.ancestor("A1x", "bottom") == "A1x"
    assert t.ancestor("A1x", 0) == TOTAL_INDUSTRY
    assert t.roll_up(["A1x", "b1", "A2", "A1x"], "top") == ["A", "B", "A", "A"]
    assert t.roll_up([], "top") == []
    assert t.ancestor_map("middle") == {"A1": "A1", "A1x": "A1", "A2": "A2", "B1": "B1"}


def test_roll_up_to_a_finer_level_is_an_error() -> None:
    t = tiny()
    with pytest.raises(LevelError, match="finer level 'bottom'"):
        t.roll_up(["A1x", "A2"], "bottom")
    with pytest.raises(LevelError, match="no level 'class'"):
        t.ancestor("A1", "class")


def test_unknown_code_names_the_classification_and_helps() -> None:
    t = tiny()
    with pytest.raises(
        UnknownIndustryError, match=r"'a3' is not a Tiny code \(read as 'A3'\); top A has the codes A1, A2;"
    ):
        t.get("a3")
    with pytest.raises(UnknownIndustryError, match="tiny codes are like A1x"):
        t.roll_up(["A1", "Z"], "top")


def test_select_for_listings() -> None:
    t = tiny()
    assert [i.code for i in t.select()] == ["A", "B"]
    assert [i.code for i in t.select(level="middle")] == ["A1", "A2", "B1"]
    assert [i.code for i in t.select(parent="A")] == ["A1", "A2"]
    assert [i.code for i in t.select(level="bottom", parent="a")] == ["A1x"]
    with pytest.raises(LevelError, match="not below"):
        t.select(level="top", parent="A1")


def test_bad_trees_are_refused() -> None:
    with pytest.raises(ValueError, match="must start with 'total'"):
        Classification("x", "X", ("top",), [])
    with pytest.raises(ValueError, match="duplicate"):
        Classification("x", "X", ("total", "top"), [("A", None, "a", "a"), ("A", None, "a", "a")])
    with pytest.raises(ValueError, match="parent 'Q'"):
        Classification("x", "X", ("total", "top"), [("A", "Q", "a", "a")])
    with pytest.raises(ValueError, match="deeper than the levels"):
        Classification("x", "X", ("total", "top"), [("A", None, "a", "a"), ("A1", "A", "a", "a")])
