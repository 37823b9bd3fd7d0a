"""Parsing of numbers and statistical symbols as official tables print them.

German tables write ``1.234,5`` (thousands dot, decimal comma); English ones ``1,234.5``. GENESIS marks
cells with symbols instead of numbers (Zeichenerklärung of the statistical offices):

====== ======================================================= ===================
symbol meaning                                                 regiolens
====== ======================================================= ===================
``.``  unknown or to be kept secret                            suppressed, no value
``-``  nothing there (exactly zero)                            0, flag none
``x``  cell blocked, statement not meaningful                  unavailable
``...`` figure comes later                                     unavailable
``/``  not reliable enough                                     unavailable
``p``  suffix: provisional                                     provisional
``s``  suffix: estimated                                       estimated
``r``  suffix: corrected                                       none
====== ======================================================= ===================
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from regiolens.model import Flag

_SYMBOLS: dict[str, tuple[float | None, Flag]] = {
    ".": (None, Flag.SUPPRESSED),
    "-": (0.0, Flag.NONE),
    "–": (0.0, Flag.NONE),
    "x": (None, Flag.UNAVAILABLE),
    "...": (None, Flag.UNAVAILABLE),
    "…": (None, Flag.UNAVAILABLE),
    "/": (None, Flag.UNAVAILABLE),
    ":": (None, Flag.UNAVAILABLE),
}
_SUFFIX_FLAGS = {"p": Flag.PROVISIONAL, "s": Flag.ESTIMATED, "e": Flag.ESTIMATED, "r": Flag.NONE}

_GERMAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_ENGLISH = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PLAIN_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$|^[+-]?\d+\.$")


class NumberFormatError(ValueError):
    """A cell that is neither a number nor a known statistical symbol."""


def parse_number(text: str, decimal: str = ",") -> float:
    """Parse one number written with ``decimal`` as decimal mark (``","`` German, ``"."`` English).

    The other mark is accepted as thousands separator only in groups of three digits, so that
    ``1.234`` is 1234 in German and 1.234 in English, and ``1.23`` is rejected in German instead of
    being misread.

    >>> parse_number("1.234,5")
    1234.5
    >>> parse_number("1,234.5", decimal=".")
    1234.5
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal == ",":
        if _GERMAN.match(s):
            return float(s.replace(".", "").replace(",", "."))
    elif decimal == ".":
        if _ENGLISH.match(s) or _PLAIN_DECIMAL.match(s):
            return float(s.replace(",", ""))
    else:
        raise ValueError(f"decimal mark must be ',' or '.', not {decimal!r}")
    raise NumberFormatError(f"{text!r} is not a number")


def parse_cell(text: str, decimal: str = ",") -> tuple[float | None, Flag]:
    """Parse a table cell into ``(value, flag)``: a number, a symbol, or a number with a flag suffix.

    Raises :class:`NumberFormatError` for anything else, so that a typo never becomes a silent gap.

    >>> parse_cell("12.345")
    (12345.0, <Flag.NONE: 'none'>)
    >>> parse_cell(".")
    (None, <Flag.SUPPRESSED: 'suppressed'>)
    >>> parse_cell("17p")
    (17.0, <Flag.PROVISIONAL: 'provisional'>)
    """
    s = text.strip()
    if s in _SYMBOLS:
        return _SYMBOLS[s]
    if s and s[-1].lower() in _SUFFIX_FLAGS and len(s) > 1:
        value = parse_number(s[:-1].rstrip(), decimal)
        return value, _SUFFIX_FLAGS[s[-1].lower()]
    if s.startswith("(") and s.endswith(")"):  # GENESIS: limited informative value
        return parse_number(s[1:-1], decimal), Flag.ESTIMATED
    return parse_number(s, decimal), Flag.NONE


def parse_cells(texts: np.ndarray | pd.Series, decimal: str = ",") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_cell` over many cells: ``(values, flags, bad)``.

    ``values`` is float64 with NaN where a cell carries no number, ``flags`` the :class:`Flag` values
    (strings), ``bad`` a boolean mask of cells that are neither numbers nor symbols (the caller reports the
    first one with its line and field). Plain integers — most cells of official tables — are converted in
    bulk; every other distinct text goes through :func:`parse_cell` once.
    """
    s = pd.Series(np.asarray(texts, dtype=object)).astype(str).str.strip()
    values = np.full(len(s), np.nan)
    flags = np.full(len(s), Flag.NONE.value, dtype=object)
    bad = np.zeros(len(s), dtype=bool)
    plain = s.str.fullmatch(r"-?\d{1,15}").to_numpy(dtype=bool)
    values[plain] = s[plain].astype("int64").to_numpy(dtype="float64")
    rest = s[~plain]
    if len(rest):
        parsed: dict[str, tuple[float, str, bool]] = {}
        for text in rest.unique():
            try:
                value, flag = parse_cell(text, decimal)
                parsed[text] = (np.nan if value is None else value, flag.value, False)
            except NumberFormatError:
                parsed[text] = (np.nan, Flag.NONE.value, True)
        looked_up = rest.map(parsed)
        idx = np.flatnonzero(~plain)
        values[idx] = [p[0] for p in looked_up]
        flags[idx] = [p[1] for p in looked_up]
        bad[idx] = [p[2] for p in looked_up]
    return values, flags, bad
