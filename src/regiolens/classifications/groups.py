"""The published WZ section groups (:mod:`regiolens.classifications.section_groups`) as classifications.

``"wz2008-sg"`` and ``"wz2025-sg"`` have the declared nesting of the groups: A, B-F and G-U below the total;
B-E and F below B-F; G-I, J, K, L, M-N, O-Q and R-U below G-U; C below B-E. The tree is ragged (A is a
leaf one level below the total, C three levels below), so its levels are named by depth:

* ``"area"`` — A, B-F, G-U (the three Wirtschaftsbereiche),
* ``"group"`` — B-E, F, G-I, J, K, L, M-N, O-Q, R-U,
* ``"subgroup"`` — C.

Rolling a code up to a level above it works as everywhere (C → B-E → B-F → TOTAL); asking for a level below
a code (A at ``"group"``) is an error, as in every classification. The groups overlap: only
:data:`~regiolens.classifications.section_groups.NON_OVERLAPPING` may enter shares.

Accepted spellings: the codes in any case and with spaces (``"b - e"``), an en dash, and the labels as GENESIS
prints them (``"Baugewerbe (F)"``, ``"Insgesamt"``) through
:func:`~regiolens.classifications.section_groups.code_for_label`.
"""

from __future__ import annotations

import re

from regiolens.classifications.base import Classification
from regiolens.classifications.section_groups import (
    GROUPS,
    WZ2008_SECTION_GROUPS,
    WZ2025_SECTION_GROUPS,
    code_for_label,
)
from regiolens.model import TOTAL_INDUSTRY

SECTION_GROUP_LEVELS: tuple[str, ...] = ("total", "area", "group", "subgroup")


def normalise_group(raw: str) -> str:
    """``"b - e"`` → ``"B-E"``, ``"Baugewerbe (F)"`` → ``"F"``; unknown forms come back unchanged."""
    by_label = code_for_label(raw)
    if by_label is not None:
        return by_label
    return re.sub(r"\s+", "", raw).replace("\u2013", "-").upper()


def _build(name: str, title: str) -> Classification:
    return Classification(
        name,
        title,
        SECTION_GROUP_LEVELS,
        ((g.code, None if g.parent == TOTAL_INDUSTRY else g.parent, g.label_de, g.label_en) for g in GROUPS),
        normaliser=normalise_group,
        spelling_hint="section groups are " + ", ".join(g.code for g in GROUPS),
    )


def build_wz2008_groups() -> Classification:
    """The WZ 2008 section groups of the Regionalstatistik."""
    return _build(WZ2008_SECTION_GROUPS, "WZ 2008 section groups")


def build_wz2025_groups() -> Classification:
    """The WZ 2025 section groups of the Regionalstatistik (same codes and nesting as for WZ 2008)."""
    return _build(WZ2025_SECTION_GROUPS, "WZ 2025 section groups")
