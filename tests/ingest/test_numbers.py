import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiolens.ingest.numbers import NumberFormatError, parse_cell, parse_number
from regiolens.model import Flag


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.234,5", ",", 1234.5),
        ("32.870.228", ",", 32870228.0),
        ("-0,25", ",", -0.25),
        ("1234", ",", 1234.0),
        ("1,234.5", ".", 1234.5),
        ("0.001", ".", 0.001),
        (" 7 ", ",", 7.0),
        ("1 234,5", ",", 1234.5),
    ],
)
def test_parse_number_exact(text: str, decimal: str, expected: float) -> None:
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize("text", ["1.23", "1,2,3", "", "abc", "12a", "1..000", "1.2345,6"])
def test_parse_number_rejects_ambiguous_or_garbage_german(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_number(text, ",")


@pytest.mark.parametrize(
    ("cell", "value", "flag"),
    [
        (".", None, Flag.SUPPRESSED),
        ("-", 0.0, Flag.NONE),
        ("x", None, Flag.UNAVAILABLE),
        ("...", None, Flag.UNAVAILABLE),
        ("/", None, Flag.UNAVAILABLE),
        ("17p", 17.0, Flag.PROVISIONAL),
        ("1.234s", 1234.0, Flag.ESTIMATED),
        ("(12)", 12.0, Flag.ESTIMATED),
        ("250983", 250983.0, Flag.NONE),
    ],
)
def test_parse_cell_symbols(cell: str, value: float | None, flag: Flag) -> None:
    assert parse_cell(cell) == (value, flag)


def _german(n: int, frac: str) -> str:
    s = f"{abs(n):,}".replace(",", ".")
    return ("-" if n < 0 else "") + s + ("," + frac if frac else "")


@given(st.integers(-(10**12), 10**12), st.text("0123456789", max_size=4))
def test_german_formatting_round_trips(n: int, frac: str) -> None:
    expected = (-1 if n < 0 else 1) * float(f"{abs(n)}.{frac or 0}")
    assert math.isclose(parse_number(_german(n, frac), ","), expected)


@given(st.integers(0, 10**12), st.text("0123456789", min_size=1, max_size=4))
def test_english_formatting_round_trips(n: int, frac: str) -> None:
    assert math.isclose(parse_number(f"{n:,}.{frac}", "."), float(f"{n}.{frac}"))


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), min_size=1))
def test_cells_without_digits_are_symbols_or_errors(text: str) -> None:
    try:
        value, flag = parse_cell(text)
    except NumberFormatError:
        return
    assert flag in {Flag.SUPPRESSED, Flag.UNAVAILABLE} or value == 0.0


def test_parse_cells_equals_parse_cell_elementwise() -> None:
    from regiolens.ingest.numbers import parse_cells

    cells = ["250983", "-", ".", "1.234", "17p", "0", "-12", "x", "12a", " 5 ", "1.234,5", "(3)"]
    values, flags, bad = parse_cells(cells, ",")
    for cell, v, f, b in zip(cells, values, flags, bad, strict=True):
        try:
            expected_v, expected_f = parse_cell(cell, ",")
        except NumberFormatError:
            assert b
            continue
        assert not b and f == expected_f.value
        assert (math.isnan(v) and expected_v is None) or v == expected_v


@given(st.lists(st.one_of(st.integers(-(10**9), 10**9).map(str), st.sampled_from([".", "-", "x", "/", "3p"]))))
def test_parse_cells_property(cells: list[str]) -> None:
    from regiolens.ingest.numbers import parse_cells

    values, flags, bad = parse_cells(cells, ",")
    assert not bad.any()
    for cell, v, f in zip(cells, values, flags, strict=True):
        expected_v, expected_f = parse_cell(cell, ",")
        assert f == expected_f.value
        assert (expected_v is None and math.isnan(v)) or v == expected_v
