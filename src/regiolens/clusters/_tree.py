"""Small helpers on a classification tree shared by derivation and resolution."""

from __future__ import annotations

from collections.abc import Iterable

from regiolens.classifications import Classification


def compact(clf: Classification, codes: Iterable[str]) -> list[str]:
    """Replace every complete set of siblings by their parent, repeatedly; keep the classification's order.

    ``compact(wz2008, ["29.10.1", "29.10.2", "29.20.0"]) == ["29.10", "29.20"]`` … and further up to ``"29"`` only if
    every child of 29 is there. The total is never produced.
    """
    present = set(codes)
    changed = True
    while changed:
        changed = False
        parents = {p for code in present if (p := clf.parent(code)) is not None and clf.get(p).level > 0}
        for parent in sorted(parents):
            kids = clf.children(parent)
            if kids and parent not in present and all(k in present for k in kids):
                present.difference_update(kids)
                present.add(parent)
                changed = True
    order = {code: i for i, code in enumerate(clf.codes())}
    return sorted(present, key=order.__getitem__)


def covered_by(clf: Classification, code: str, groups: Iterable[str]) -> str | None:
    """The element of ``groups`` that contains ``code`` after :func:`compact` merged it in, if any."""
    path = set(clf.path(code))
    return next((g for g in groups if g in path), None)
