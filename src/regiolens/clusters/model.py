"""The shape of a cluster taxonomy: clusters defined by industry codes, per classification version.

A :class:`Taxonomy` (e.g. the five hannoverimpuls clusters, version ``1``) has a *primary* classification
(``wz2008``) on which its author wrote every cluster down, and may carry further definitions of the same
clusters on other classifications (``naics2017``, ``wz2025``). Definitions that are not written down are
derived through the official concordances when asked for (:mod:`regiolens.clusters.derive`), and say so.

A :class:`Cluster` holds one :class:`Definition` per classification it is written on. Each
:class:`ClusterCode` names one industry (at any level of the classification: a WZ class ``"29.10"``, a
subclass ``"26.11.9"``, a whole division ``"29"``) with the note and source of that choice beside it.
``weight`` is the share of the industry that belongs to the cluster: ``1`` (all of it) unless only part
does; such codes are *partial* and every view marks them.

Everything here is immutable data; loading, validation and derivation live in their own modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from regiolens.classifications import Lang
from regiolens.errors import RegiolensError

Category = Literal["traded", "local"]
"""The U.S. Cluster Mapping split: traded clusters sell across regions, local ones serve the local market."""

Basis = Literal["authored", "derived"]
"""``authored``: written down by the taxonomy's author; ``derived``: computed through a concordance."""

SkipKind = Literal["nonstandard", "unassigned", "empty_cluster"]

FULL = 1.0
_EPS = 1e-9


class UnknownClusterError(RegiolensError, KeyError):
    """A taxonomy or cluster id that is not known."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class ClusterCode:
    """One industry code of a cluster definition.

    Attributes:
        code: canonical code of the definition's classification (``"29.10"``, ``"336111"``).
        weight: the share of the industry's figures to count for the cluster, in (0, 1]; 1 = all of it. For codes
            derived at run time a naive estimate from the concordance, never an official figure.
        partial: only part of the industry belongs to the cluster (always true when ``weight < 1``; also true for a
            code counted in full although the concordance links only part of it, which its note explains).
        note: why the code is in the cluster (or which part of it is meant).
        source: where the choice comes from (a named definition, a concordance).
        basis: ``"authored"`` or ``"derived"`` (see :data:`Basis`).
        derived_from: for derived codes, the codes of the other classification they come from.
        subcluster: an optional finer grouping inside the cluster (U.S. CMP subclusters).
    """

    code: str
    weight: float = FULL
    partial: bool = False
    note: str = ""
    source: str = ""
    basis: Basis = "authored"
    derived_from: tuple[str, ...] = ()
    subcluster: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.weight <= FULL + _EPS:
            raise ValueError(f"weight of {self.code!r} must lie in (0, 1], got {self.weight}")
        if self.weight < FULL - _EPS and not self.partial:
            object.__setattr__(self, "partial", True)


@dataclass(frozen=True, slots=True)
class ExcludedCode:
    """A code the author considered and left out, with the reason: shown so that nobody wonders."""

    code: str
    classification: str
    note: str
    source: str = ""


@dataclass(frozen=True)
class Definition:
    """A cluster written on one classification.

    ``derived_from`` names the classification the codes were derived from (``None`` when the author wrote them
    on this classification directly) and ``path`` the concordance steps; ``computed`` is true when the
    definition was derived at run time rather than stored in the taxonomy file. ``unmapped`` lists codes of the
    source definition that have no counterpart here (they are lost, and said to be).
    """

    classification: str
    codes: tuple[ClusterCode, ...]
    derived_from: str | None = None
    path: tuple[str, ...] = ()
    computed: bool = False
    note: str = ""
    unmapped: tuple[str, ...] = ()

    @property
    def derived(self) -> bool:
        """Whether the codes come from another classification's definition."""
        return self.derived_from is not None

    def code_list(self) -> list[str]:
        """The codes, in definition order."""
        return [c.code for c in self.codes]

    def weights(self) -> dict[str, float]:
        """``{code: weight}``."""
        return {c.code: c.weight for c in self.codes}

    def get(self, code: str) -> ClusterCode | None:
        """The entry for ``code`` (canonical spelling), or ``None``."""
        return next((c for c in self.codes if c.code == code), None)


@dataclass(frozen=True)
class Cluster:
    """One cluster: id, names, and its definitions by classification name."""

    id: str
    name_de: str
    name_en: str
    definitions: Mapping[str, Definition]
    description: str = ""
    category: Category | None = None
    excluded: tuple[ExcludedCode, ...] = ()

    def label(self, lang: Lang = "de") -> str:
        """The name in ``lang`` (falling back to the other language)."""
        return (self.name_en or self.name_de) if lang == "en" else (self.name_de or self.name_en)


@dataclass(frozen=True, slots=True)
class DefinitionInfo:
    """What a taxonomy says about all its definitions on one classification."""

    classification: str
    valid_from: date | None = None
    valid_to: date | None = None
    derived_from: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row of a definition file that did not become a cluster code, and why (reported, never dropped silently).

    ``kind``: ``"nonstandard"`` (a code the source itself flags as not standard and that the classification does
    not know), ``"unassigned"`` (a row whose cluster is empty or "NA"), ``"empty_cluster"`` (a cluster all of
    whose codes were skipped).
    """

    kind: SkipKind
    line: int | None
    code: str
    cluster: str
    note: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """A versioned set of clusters.

    Attributes:
        id: short name, lower-case letters, digits and ``-`` (``"hannoverimpuls"``).
        version: the taxonomy's own version (several versions of one id may be stored).
        classification: the primary classification, on which every cluster is written.
        clusters: the clusters, in the author's order.
        source, citation, licence, attribution: provenance; ``attribution`` must be shown with results.
        published, valid_from, valid_to: dates, where known.
        definitions: what the taxonomy says about its definitions per classification (validity, derivation).
        skipped: rows of the source file that did not become codes (see :class:`SkippedRow`).
        path: the file it was read from; ``builtin`` for taxonomies shipped with regiolens.
    """

    id: str
    name_de: str
    name_en: str
    version: str
    classification: str
    clusters: tuple[Cluster, ...]
    description: str = ""
    source: str = ""
    citation: str = ""
    licence: str = ""
    attribution: str = ""
    published: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    definitions: Mapping[str, DefinitionInfo] = field(default_factory=dict)
    skipped: tuple[SkippedRow, ...] = ()
    path: str | None = None
    builtin: bool = False
    _derived: dict[tuple[str, str], Definition] = field(default_factory=dict, compare=False, repr=False)

    def label(self, lang: Lang = "de") -> str:
        """The name in ``lang`` (falling back to the other language)."""
        return (self.name_en or self.name_de) if lang == "en" else (self.name_de or self.name_en)

    @property
    def cluster_ids(self) -> list[str]:
        """The cluster ids, in order."""
        return [c.id for c in self.clusters]

    def cluster(self, cluster_id: str) -> Cluster:
        """The cluster with ``cluster_id``; :class:`UnknownClusterError` naming the known ones otherwise."""
        for c in self.clusters:
            if c.id == cluster_id:
                return c
        raise UnknownClusterError(
            f"taxonomy {self.id!r} has no cluster {cluster_id!r}; its clusters are {', '.join(self.cluster_ids)}"
        )

    def classifications(self) -> list[str]:
        """The classifications the taxonomy is written on (primary first)."""
        names = [self.classification]
        for c in self.clusters:
            names.extend(n for n in c.definitions if n not in names)
        return names

    def definition(self, cluster_id: str, classification: str | None = None) -> Definition:
        """The definition of a cluster on ``classification`` (default: the primary one).

        A definition the taxonomy does not carry is derived through the concordances
        (:func:`regiolens.clusters.derive.derive_definition`), once per taxonomy object, and marked
        ``computed``.
        """
        from regiolens.clusters.derive import definition_for

        return definition_for(self, cluster_id, classification or self.classification)

    def describe(self) -> dict[str, Any]:
        """Metadata as a flat dict (for listings)."""
        return {
            "id": self.id,
            "version": self.version,
            "name": self.label(),
            "classification": self.classification,
            "classifications": self.classifications(),
            "clusters": len(self.clusters),
            "builtin": self.builtin,
            "source": self.source,
            "licence": self.licence,
            "attribution": self.attribution,
            "path": self.path,
        }
