from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiolens.errors import InputError, UnknownRegionError
from regiolens.model import RegionLevel
from regiolens.regions.codes import is_valid_code, parse_region_ref
from regiolens.regions.groups import BUILTIN_GROUPS, define_group, load_groups
from regiolens.regions.history import code_map, successor
from regiolens.regions.resolve import resolve_region


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05562", (RegionLevel.DE_KREIS, "05562")),
        ("05", (RegionLevel.DE_LAND, "05")),
        ("055", (RegionLevel.DE_REGBEZ, "055")),
        ("03241001", (RegionLevel.DE_GEMEINDE, "03241001")),
        ("DG", (RegionLevel.DE_BUND, "DG")),
        ("Deutschland", (RegionLevel.DE_BUND, "DG")),
        ("nuts:DEA36", (RegionLevel.NUTS3, "DEA36")),
        ("nuts:de", (RegionLevel.NUTS0, "DE")),
        ("us:26163", (RegionLevel.US_COUNTY, "26163")),
        ("fips:26", (RegionLevel.US_STATE, "26")),
        ("17001", None),  # Land 17 does not exist
        ("0556", None),
        ("xyz:1", None),
    ],
)
def test_parse_region_ref(text: str, expected: object) -> None:
    assert parse_region_ref(text) == expected


def test_ags_and_fips_do_not_collide() -> None:
    assert parse_region_ref("01001") == (RegionLevel.DE_KREIS, "01001")
    assert parse_region_ref("us:01001") == (RegionLevel.US_COUNTY, "01001")
    assert is_valid_code("us:county", "56045") and not is_valid_code("de:kreis", "56045")


def test_history_follows_dates_and_chains() -> None:
    assert successor("de:kreis", "03156", date(2016, 10, 31)) == "03156"
    assert successor("de:kreis", "03156", date(2016, 11, 1)) == "03159"
    assert successor("de:kreis", "05562", date(2030, 1, 1)) == "05562"
    assert ("de:kreis", "16056", "16063") not in code_map(date(2020, 12, 31))
    assert ("de:kreis", "16056", "16063") in code_map(date(2021, 12, 31))


def test_builtin_groups() -> None:
    assert BUILTIN_GROUPS["emscher-lippe"].members == ("05562", "05512", "05513")
    assert BUILTIN_GROUPS["region-hannover"].members == ("03241",)


def test_define_and_load_user_group(tmp_path: Path) -> None:
    file = tmp_path / "groups.toml"
    define_group("ruhr-nord", ["05513", "05512", "05513"], label="Ruhr Nord", path=file)
    define_group("kern", ["03241"], path=file)
    groups = load_groups(file)
    assert groups["ruhr-nord"].members == ("05513", "05512")
    assert groups["ruhr-nord"].label == "Ruhr Nord"
    assert "kern" in groups and "emscher-lippe" in groups
    assert resolve_region("ruhr-nord", file).group == groups["ruhr-nord"]


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ('[groups.x1]\nmembers = ["0556"]\n', "groups.x1.members"),
        ("[groups.x1]\nmembers = []\n", "groups.x1.members"),
        ('[groups.x1]\nlevel = "planet"\nmembers = ["05562"]\n', "groups.x1.level"),
        ('[groups.emscher-lippe]\nmembers = ["05562"]\n', "groups.emscher-lippe"),
    ],
)
def test_bad_group_file_names_field(tmp_path: Path, toml: str, field: str) -> None:
    file = tmp_path / "groups.toml"
    file.write_text(toml, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_groups(file)
    assert exc.value.field == field and exc.value.path == str(file)


def test_broken_toml_names_line(tmp_path: Path) -> None:
    file = tmp_path / "groups.toml"
    file.write_text('[groups.a]\nmembers = ["05562"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_groups(file)
    assert exc.value.line is not None


def test_unknown_reference() -> None:
    with pytest.raises(UnknownRegionError, match="emscher-lippe"):
        resolve_region("atlantis")


# ------------------------------------------------------------------ properties of the code parser

lands = st.integers(1, 16).map(lambda n: f"{n:02d}")


@given(lands, st.integers(0, 999))
def test_every_kreis_ags_reads_as_a_kreis(land: str, rest: int) -> None:
    code = f"{land}{rest:03d}"
    assert parse_region_ref(code) == (RegionLevel.DE_KREIS, code)
    assert parse_region_ref(f"ags:{code}") == (RegionLevel.DE_KREIS, code)


@given(st.integers(0, 99_999).map(lambda n: f"{n:05d}"))
def test_prefixed_fips_is_always_a_county(code: str) -> None:
    assert parse_region_ref(f"us:{code}") == (RegionLevel.US_COUNTY, code)


@given(st.text(max_size=12))
def test_parser_never_raises_and_results_are_valid(text: str) -> None:
    parsed = parse_region_ref(text)
    if parsed is not None:
        level, code = parsed
        assert is_valid_code(level, code)


@given(st.from_regex(r"[A-Z]{2}[0-9A-Z]{0,3}", fullmatch=True))
def test_nuts_codes_level_by_length(code: str) -> None:
    level, parsed = parse_region_ref(f"nuts:{code.lower()}") or (None, None)
    assert parsed == code
    assert level == RegionLevel(f"nuts{len(code) - 2}")
