"""Industry classifications: WZ 2008 / WZ 2025, NACE, ISIC, NAICS, and source-specific groupings.

>>> from regiolens.classifications import get_classification, concord
>>> wz = get_classification("wz2008")
>>> wz.get("2910").label_de
'Herstellung von Kraftwagen und Kraftwagenmotoren'
>>> wz.roll_up(["29.10.1", "C29.1"], "section")
['C', 'C']

Modules: :mod:`~regiolens.classifications.base` (the :class:`Classification` tree), ``wz``, ``nace``,
``naics``, ``groups`` (builders and accepted spellings of each family), ``registry`` (names) and ``bridge``
(concordances). Package data is read on first use, never on import.
"""

from __future__ import annotations

from regiolens.classifications.base import (
    Classification,
    Industry,
    Lang,
    Level,
    LevelError,
    UnknownClassificationError,
)
from regiolens.classifications.bridge import CONCORDANCE_COLUMNS, concord, concordance_path
from regiolens.classifications.registry import classification_names, get_classification

__all__ = [
    "CONCORDANCE_COLUMNS",
    "Classification",
    "Industry",
    "Lang",
    "Level",
    "LevelError",
    "UnknownClassificationError",
    "classification_names",
    "concord",
    "concordance_path",
    "get_classification",
]
