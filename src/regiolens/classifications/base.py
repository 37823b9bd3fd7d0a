"""The shared shape of every industry classification: codes in a tree with named levels.

A :class:`Classification` is an immutable tree of :class:`Industry` nodes. Its root is always the
all-industries total :data:`~regiolens.model.TOTAL_INDUSTRY` (level 0, level name ``"total"``), so that
rolling any code up to ``"total"`` works in every classification and the observation rows that carry
``TOTAL`` validate against the same object. The other levels are named coarse to fine, e.g. for WZ 2008
``("total", "section", "division", "group", "class", "subclass")``.

Codes are stored in one canonical spelling per classification (WZ ``"29.10.1"``, NAICS ``"336111"``,
sectors ``"31-33"``); :meth:`Classification.normalise` turns the common other spellings into it and every
lookup goes through it, so ``get("2910")`` and ``get("29.10")`` are the same industry.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from regiolens.errors import RegiolensError, UnknownIndustryError
from regiolens.model import TOTAL_INDUSTRY

Lang = Literal["de", "en"]
Level = str | int
"""A level given by name (``"division"``) or by depth (0 = total, 1 = coarsest published level)."""

TOTAL_LEVEL = "total"
TOTAL_LABEL_DE = "Insgesamt"
TOTAL_LABEL_EN = "Total"

Normaliser = Callable[[str], str]
"""Turns one raw spelling into the canonical one (or returns it unchanged when it cannot help)."""


class UnknownClassificationError(RegiolensError, KeyError):
    """A classification name that the registry does not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class LevelError(RegiolensError, ValueError):
    """A level that the classification does not have, or one that is finer than the code asked about."""


@dataclass(frozen=True, slots=True)
class Industry:
    """One code of a classification.

    ``level`` is the depth in the tree (0 = total, 1 = section or sector, …) and ``level_name`` its name
    in :attr:`Classification.levels`; ``parent`` is ``None`` only for the total.
    """

    code: str
    level: int
    level_name: str
    label_de: str
    label_en: str
    parent: str | None

    def label(self, lang: Lang = "de") -> str:
        """The label in ``lang`` (``"de"`` or ``"en"``)."""
        if lang == "de":
            return self.label_de
        if lang == "en":
            return self.label_en
        raise ValueError(f"unknown language {lang!r}; use 'de' or 'en'")


class Classification:
    """An industry classification: a tree of codes with named levels, labels in German and English.

    Build one with a list of ``(code, parent, label_de, label_en)`` entries whose parents all appear in
    the list (the total is added here and is the parent of every entry whose parent is ``None``).
    Codes are ordered depth-first, siblings by code, which is the published order of WZ, NACE, ISIC and
    NAICS.

    Args:
        name: registry name, e.g. ``"wz2008"``.
        title: human-readable title, e.g. ``"WZ 2008"``.
        levels: level names from the total down, starting with ``"total"``.
        entries: ``(code, parent, label_de, label_en)`` for every code but the total.
        normaliser: turns a raw spelling into the canonical code (see :meth:`normalise`).
        spelling_hint: one sentence telling the user which spellings are accepted, used in errors.
    """

    def __init__(
        self,
        name: str,
        title: str,
        levels: Sequence[str],
        entries: Iterable[tuple[str, str | None, str, str]],
        *,
        normaliser: Normaliser | None = None,
        spelling_hint: str = "",
    ) -> None:
        if not levels or levels[0] != TOTAL_LEVEL:
            raise ValueError(f"levels must start with {TOTAL_LEVEL!r}, got {tuple(levels)!r}")
        self.name = name
        self.title = title
        self._levels: tuple[str, ...] = tuple(levels)
        self._normaliser = normaliser
        self._hint = spelling_hint

        raw: dict[str, tuple[str, str, str]] = {TOTAL_INDUSTRY: ("", TOTAL_LABEL_DE, TOTAL_LABEL_EN)}
        for code, parent, label_de, label_en in entries:
            if code in raw:
                raise ValueError(f"{name}: duplicate code {code!r}")
            raw[code] = (parent if parent is not None else TOTAL_INDUSTRY, label_de, label_en)

        paths: dict[str, tuple[str, ...]] = {TOTAL_INDUSTRY: (TOTAL_INDUSTRY,)}

        def path_of(code: str) -> tuple[str, ...]:
            chain = [code]
            while chain[-1] not in paths:
                parent = raw[chain[-1]][0]
                if parent not in raw:
                    raise ValueError(f"{name}: parent {parent!r} of {chain[-1]!r} is not a code")
                if parent in chain:
                    raise ValueError(f"{name}: cycle through {parent!r}")
                chain.append(parent)
            base = paths[chain.pop()]
            while chain:
                base = (*base, chain.pop())
                paths[base[-1]] = base
            return paths[code]

        for code in raw:
            path_of(code)
        order = sorted(raw, key=lambda c: paths[c])
        self._paths = paths
        self._industries: dict[str, Industry] = {}
        self._children: dict[str, list[str]] = {code: [] for code in order}
        for code in order:
            depth = len(paths[code]) - 1
            if depth >= len(self._levels):
                raise ValueError(f"{name}: {code!r} is deeper than the levels {self._levels!r}")
            parent = paths[code][-2] if depth else None
            _, label_de, label_en = raw[code]
            self._industries[code] = Industry(code, depth, self._levels[depth], label_de, label_en, parent)
            if parent is not None:
                self._children[parent].append(code)

    # --- basic lookups ------------------------------------------------------------------------------

    @property
    def levels(self) -> tuple[str, ...]:
        """Level names from the total (``"total"``) down to the finest level."""
        return self._levels

    def __repr__(self) -> str:
        return f"Classification({self.name!r}, {len(self._industries)} codes, levels={self._levels!r})"

    def __len__(self) -> int:
        return len(self._industries)

    def __iter__(self) -> Iterator[Industry]:
        return iter(self._industries.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.canonical(code) is not None

    def level_index(self, level: Level) -> int:
        """The depth of ``level`` (given by name or depth); :class:`LevelError` if there is no such level."""
        if isinstance(level, int) and not isinstance(level, bool):
            if 0 <= level < len(self._levels):
                return level
        elif isinstance(level, str):
            key = level.strip().lower().replace(" ", "_").replace("-", "_")
            if key in self._levels:
                return self._levels.index(key)
        raise LevelError(f"{self.title} has no level {level!r}; its levels are {', '.join(self._levels)}")

    def normalise(self, code: str) -> str:
        """The canonical spelling of ``code``; :class:`~regiolens.errors.UnknownIndustryError` if unknown.

        Surrounding white space is ignored and ``"total"`` in any case is the total. Which other spellings
        a classification accepts is documented in its module (e.g. :mod:`regiolens.classifications.wz`).
        """
        canonical = self._spelled(code)
        if canonical is None:
            raise UnknownIndustryError(self._unknown_message(code))
        return canonical

    def canonical(self, code: str) -> str | None:
        """:meth:`normalise` without the error: ``None`` for an unknown code (and no search for a hint)."""
        try:
            return self._spelled(code)
        except UnknownIndustryError:  # the classification's own normaliser rejected the spelling
            return None

    def _spelled(self, code: str) -> str | None:
        if code in self._industries:
            return code
        raw = str(code).strip()
        if raw in self._industries:
            return raw
        if raw.upper() in (TOTAL_INDUSTRY, TOTAL_LABEL_DE.upper()):
            return TOTAL_INDUSTRY
        if self._normaliser is not None:
            candidate = self._normaliser(raw)
            if candidate in self._industries:
                return candidate
        return None

    def get(self, code: str) -> Industry:
        """The industry with ``code`` in any accepted spelling."""
        return self._industries[self.normalise(code)]

    def label(self, code: str, lang: Lang = "de") -> str:
        """The label of ``code`` in ``lang``."""
        return self.get(code).label(lang)

    def codes(self, level: Level | None = None) -> list[str]:
        """All codes in published order, or only those at ``level``."""
        if level is None:
            return list(self._industries)
        depth = self.level_index(level)
        return [c for c, ind in self._industries.items() if ind.level == depth]

    def parent(self, code: str) -> str | None:
        """The code of the parent of ``code`` (``None`` for the total)."""
        return self.get(code).parent

    def children(self, code: str) -> list[str]:
        """The codes directly below ``code``, in published order."""
        return list(self._children[self.normalise(code)])

    def descendants(self, code: str, level: Level | None = None) -> list[str]:
        """Every code below ``code`` (not itself), or only those at ``level``, in published order."""
        start = self.normalise(code)
        depth = None if level is None else self.level_index(level)
        out: list[str] = []
        stack = list(reversed(self._children[start]))
        while stack:
            current = stack.pop()
            if depth is None or self._industries[current].level == depth:
                out.append(current)
            if depth is None or self._industries[current].level < depth:
                stack.extend(reversed(self._children[current]))
        return out

    def leaves(self, code: str = TOTAL_INDUSTRY) -> list[str]:
        """The codes without children at or below ``code`` (the finest codes), in published order."""
        start = self.normalise(code)
        if not self._children[start]:
            return [start]
        return [c for c in self.descendants(start) if not self._children[c]]

    def is_leaf(self, code: str) -> bool:
        """Whether ``code`` has no children."""
        return not self._children[self.normalise(code)]

    def path(self, code: str) -> tuple[str, ...]:
        """The codes from the total down to ``code`` (inclusive)."""
        return self._paths[self.normalise(code)]

    # --- roll-up --------------------------------------------------------------------------------------

    def ancestor(self, code: str, level: Level) -> str:
        """The code that contains ``code`` at the coarser (or same) ``level``.

        Example: in WZ 2008, ``ancestor("29.10.1", "division") == "29"`` and
        ``ancestor("29.10.1", "section") == "C"``. A ``level`` finer than the code's own level is an error
        (:class:`LevelError`): a division has no single class.
        """
        canonical = self.normalise(code)
        depth = self.level_index(level)
        path = self._paths[canonical]
        if depth >= len(path):
            ind = self._industries[canonical]
            raise LevelError(
                f"cannot roll {self.title} {ind.level_name} {canonical!r} up to the finer level {self._levels[depth]!r}"
            )
        return path[depth]

    def roll_up(self, codes: Iterable[str], level: Level) -> list[str]:
        """Map many codes to their ancestors at ``level`` (see :meth:`ancestor`), keeping order and length.

        Each distinct spelling is resolved once, so a long column with few distinct codes is cheap.
        Raises :class:`~regiolens.errors.UnknownIndustryError` for an unknown code and
        :class:`LevelError` for a code coarser than ``level``.
        """
        depth = self.level_index(level)
        cache: dict[str, str] = {}
        out: list[str] = []
        for code in codes:
            target = cache.get(code)
            if target is None:
                target = cache[code] = self.ancestor(code, depth)
            out.append(target)
        return out

    def ancestor_map(self, level: Level) -> dict[str, str]:
        """``{code: ancestor at level}`` for every canonical code at ``level`` or finer, e.g. for ``Series.map``."""
        depth = self.level_index(level)
        return {code: path[depth] for code, path in self._paths.items() if len(path) > depth}

    # --- listing --------------------------------------------------------------------------------------

    def select(self, level: Level | None = None, parent: str | None = None) -> list[Industry]:
        """Industries for a listing.

        With neither argument: the coarsest published level (sections, sectors). With ``level``: all codes at
        that level, below ``parent`` when given. With ``parent`` only: its children.
        """
        if parent is not None:
            above = self.get(parent)
            if level is None:
                return [self._industries[c] for c in self._children[above.code]]
            if self.level_index(level) <= above.level:
                raise LevelError(
                    f"level {self._levels[self.level_index(level)]!r} is not below {above.level_name} {above.code!r}"
                )
            codes = self.descendants(above.code, level)
        else:
            codes = self.codes(1 if level is None else level)
        return [self._industries[c] for c in codes]

    # --- errors ---------------------------------------------------------------------------------------

    def _unknown_message(self, code: str) -> str:
        raw = str(code).strip()
        message = f"{raw!r} is not a {self.title} code"
        candidate = self._normaliser(raw) if self._normaliser is not None else raw
        if candidate != raw:
            message += f" (read as {candidate!r})"
        hint = self._zero_hint(raw) or self._prefix_hint(candidate) or self._close_hint(candidate)
        hints = [h for h in (hint, self._hint) if h]
        return message + ("; " + "; ".join(hints) if hints else "")

    def _zero_hint(self, raw: str) -> str | None:
        """``"1.11"`` → did you mean ``"01.11"``: a leading zero lost in a spreadsheet."""
        if not raw[:1].isdigit() or self._normaliser is None:
            return None
        try:
            padded = self._normaliser("0" + raw)
        except UnknownIndustryError:
            return None
        if padded in self._industries:
            return f"did you mean {padded!r} (a leading zero lost, e.g. in a spreadsheet)?"
        return None

    def _prefix_hint(self, candidate: str) -> str | None:
        """The longest existing prefix with children: ``"29.10.0"`` → class 29.10 has 29.10.1, 29.10.2."""
        for cut in range(len(candidate) - 1, 0, -1):
            prefix = candidate[:cut].rstrip(".-")
            kids = self._children.get(prefix)
            if kids:
                shown = ", ".join(kids[:12]) + (", …" if len(kids) > 12 else "")
                return f"{self._industries[prefix].level_name} {prefix} has the codes {shown}"
        return None

    def _close_hint(self, candidate: str) -> str | None:
        close = difflib.get_close_matches(candidate, list(self._industries), n=3, cutoff=0.75)
        return ("did you mean " + " or ".join(repr(c) for c in close) + "?") if close else None
