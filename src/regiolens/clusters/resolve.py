"""Can a taxonomy's clusters be computed on a given data set? Which data codes make up each cluster?

:func:`resolve` answers per cluster with a :class:`ClusterResolution`:

``exact``
    Every code of the definition is available at its own level or finer (or through a coarser data code
    that lies wholly inside the cluster, e.g. division ``29`` for a cluster made of all classes of 29).
    The data codes mapping into the cluster are summed (times their weights).
``approximation``
    Some definition codes are only available through a coarser data code that also holds industries
    outside the cluster (a cluster written on WZ classes, data by division). Each such *proxy* is listed
    with the definition codes it stands for and ``outside_share``: the share of its finest codes
    (WZ subclasses, 6-digit NAICS industries) that lie outside the cluster — counted by number of codes,
    not by employment, and labelled so. A proxy is accepted only if it lies within one code of
    ``coarsest_level`` (default: the classification's second level, WZ/NACE/ISIC *division*, NAICS *subsector*)
    and, when ``max_outside_share`` is given, if no more than that share of it lies outside.
``not_resolvable``
    Some definition code is available only through a data code coarser than that (a Regionalstatistik
    section group such as ``C`` or ``J``, a NAICS sector), or the data hold none of the cluster's codes.
    No mapping is returned; :attr:`ClusterResolution.unresolved` says what finer data would be needed.

Codes of the definition for which the data have no row at all, although the data are fine enough, are reported
as ``missing`` (zero or withheld in the source, not a matter of level) and do not change the status.

Using the result with :func:`regiolens.warehouse.panel.query_panel`: an industry may belong to several clusters
of one taxonomy (the U.S. benchmark clusters do not overlap, user taxonomies may), so each cluster is resolved on
its own. For a cluster whose codes all have weight 1 (:attr:`ClusterResolution.weighted` false), pass
``industry_map=resolution.industry_map`` and the panel sums the cluster in one column; with weights, query the
codes (``industries=list(resolution.weights)``) and combine the columns with :attr:`ClusterResolution.weights`.
:func:`combined_industry_map` merges non-overlapping clusters into one map.

Data on the Regionalstatistik section groups (``wz2008-sg``, ``wz2025-sg``) are matched against the WZ definition
through the groups' sections; every WZ cluster written on classes needs a data code within one division, which
a section group never is: the five hannoverimpuls clusters are ``not_resolvable`` there (the groups C and J hold
manufacturing and information & communication as a whole — context, never a cluster figure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np

from regiolens.classifications import Classification, concord, get_classification
from regiolens.classifications.base import Level
from regiolens.clusters._tree import compact
from regiolens.clusters.model import FULL, Definition, Taxonomy
from regiolens.errors import RegiolensError
from regiolens.i18n.messages import classification_title, level_name, render
from regiolens.model import TOTAL_INDUSTRY

Status = Literal["exact", "approximation", "not_resolvable"]

GROUPINGS: dict[str, str] = {"wz2008-sg": "wz2008", "wz2025-sg": "wz2025"}
"""Classifications that group the finest codes of another one (each finest code wholly in one group)."""

DEFAULT_COARSEST_LEVEL = 2
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class ResolvedCode:
    """One data code that maps into a cluster.

    ``weight`` multiplies the data value (the definition's weight; 1 for codes wholly in the cluster).
    ``kind`` is ``"exact"`` (the code lies wholly inside the cluster) or ``"proxy"`` (coarser: ``outside_share`` of
    its finest codes lie outside, by number of codes). ``stands_for`` lists the definition codes it covers.
    """

    code: str
    weight: float
    kind: Literal["exact", "proxy"]
    outside_share: float
    stands_for: tuple[str, ...]
    partial: bool = False


@dataclass(frozen=True, slots=True)
class UnresolvedCode:
    """A definition code (or part of one) that the data cannot show.

    ``reason``: ``"too_coarse"`` (only ``coarse_code`` holds it, which is too coarse) or ``"missing"`` (no row).
    """

    code: str
    reason: Literal["too_coarse", "missing"]
    coarse_code: str | None = None
    outside_share: float | None = None


@dataclass(frozen=True)
class ClusterResolution:
    """How one cluster maps onto the codes of a data set (see the module docstring)."""

    cluster_id: str
    status: Status
    data_classification: str
    definition_classification: str
    derived: bool
    codes: tuple[ResolvedCode, ...]
    unresolved: tuple[UnresolvedCode, ...] = ()
    message: str = ""
    message_de: str = ""
    """``message`` in German (both from :data:`regiolens.i18n.messages.RESOLUTION_KINDS`)."""

    @property
    def industry_map(self) -> dict[str, str]:
        """``{data code: cluster id}`` for ``query_panel(industry_map=…)`` (empty when not resolvable)."""
        return {c.code: self.cluster_id for c in self.codes}

    @property
    def weights(self) -> dict[str, float]:
        """``{data code: weight}``."""
        return {c.code: c.weight for c in self.codes}

    @property
    def weighted(self) -> bool:
        """Whether any data code enters with a weight other than 1 (then ``industry_map`` alone is not enough)."""
        return any(abs(c.weight - FULL) > _EPS for c in self.codes)

    @property
    def missing(self) -> list[str]:
        """Definition codes without any row in the data."""
        return [u.code for u in self.unresolved if u.reason == "missing"]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "cluster_id": self.cluster_id,
            "status": self.status,
            "data_classification": self.data_classification,
            "definition_classification": self.definition_classification,
            "derived": self.derived,
            "message": self.message,
            "codes": [
                {
                    "code": c.code,
                    "weight": c.weight,
                    "kind": c.kind,
                    "outside_share": c.outside_share,
                    "stands_for": list(c.stands_for),
                    "partial": c.partial,
                }
                for c in self.codes
            ],
            "unresolved": [
                {"code": u.code, "reason": u.reason, "coarse_code": u.coarse_code, "outside_share": u.outside_share}
                for u in self.unresolved
            ],
        }


def resolve(
    taxonomy: Taxonomy,
    data_classification: str,
    available_codes: Iterable[str],
    *,
    clusters: Iterable[str] | None = None,
    coarsest_level: Level | None = None,
    max_outside_share: float | None = None,
) -> dict[str, ClusterResolution]:
    """Resolve every cluster of ``taxonomy`` (or those in ``clusters``) on data coded in ``data_classification``.

    Args:
        taxonomy: the cluster taxonomy.
        data_classification: classification of the data codes (e.g. ``"wz2008"``, ``"wz2008-sg"``, ``"naics2012"``).
        available_codes: the industry codes the data hold, in any accepted spelling and at any levels
            (``TOTAL`` is ignored); all of the data's codes, not only non-zero ones.
        clusters: cluster ids to resolve (default: all, in the taxonomy's order).
        coarsest_level: the coarsest level of the definition's classification within which a proxy must lie.
        max_outside_share: reject proxies with a larger share of codes outside the cluster.

    Returns:
        ``{cluster id: ClusterResolution}`` in the taxonomy's order.
    """
    data_clf = get_classification(data_classification)
    base = get_classification(GROUPINGS.get(data_clf.name, data_clf.name))
    depth = DEFAULT_COARSEST_LEVEL if coarsest_level is None else base.level_index(coarsest_level)
    codes = list(dict.fromkeys(data_clf.normalise(c) for c in available_codes))
    codes = [c for c in codes if c != TOTAL_INDUSTRY]
    extent = {code: _extent(base.name, data_clf.name, code) for code in codes}
    finest: dict[str, str] = {}
    for code in sorted(codes, key=lambda c: -len(extent[c])):  # coarse first, finer ones overwrite
        for leaf in extent[code]:
            finest[leaf] = code
    wanted = list(clusters) if clusters is not None else taxonomy.cluster_ids
    return {
        cid: _resolve_one(
            cid,
            taxonomy.definition(cid, base.name),
            data_clf,
            base,
            extent,
            finest,
            depth,
            max_outside_share,
        )
        for cid in wanted
    }


def weight_matrix(resolutions: Sequence[ClusterResolution]) -> tuple[list[str], np.ndarray]:
    """``(data codes, W)`` with ``W[d, k]`` the weight of data code ``d`` in cluster ``k`` (0 where it is not in it).

    A cluster's value is then ``x @ W`` for values ``x[..., d]`` of the data codes (sorted): one matrix product
    for all clusters, also where they share codes or weigh them.
    """
    codes = sorted({code for r in resolutions for code in r.weights})
    row = {code: d for d, code in enumerate(codes)}
    w = np.zeros((len(codes), len(resolutions)))
    for k, r in enumerate(resolutions):
        for code, weight in r.weights.items():
            w[row[code], k] = weight
    return codes, w


def combined_industry_map(resolutions: Mapping[str, ClusterResolution]) -> dict[str, str]:
    """One ``{data code: cluster id}`` for all resolvable, unweighted clusters; an error if clusters share a code."""
    out: dict[str, str] = {}
    for cid, res in resolutions.items():
        if res.weighted:
            raise RegiolensError(f"cluster {cid!r} has weighted codes; query it on its own with its weights")
        for code in res.industry_map:
            if code in out:
                raise RegiolensError(
                    f"data code {code!r} belongs to clusters {out[code]!r} and {cid!r}; query them one at a time"
                )
            out[code] = cid
    return out


@cache
def _group_of_leaf(base: str, grouping: str) -> dict[str, str]:
    frame = concord(None, base, grouping)
    return {str(a): str(b) for a, b in zip(frame.from_code, frame.to_code, strict=True) if isinstance(b, str)}


@cache
def _extent(base: str, data: str, code: str) -> frozenset[str]:
    """The finest codes of ``base`` that the data code ``code`` covers."""
    base_clf = get_classification(base)
    if base == data:
        return frozenset(base_clf.leaves(code))
    data_clf = get_classification(data)
    inside = {code, *data_clf.descendants(code)}
    return frozenset(leaf for leaf, group in _group_of_leaf(base, data).items() if group in inside)


def _resolve_one(
    cluster_id: str,
    definition: Definition,
    data_clf: Classification,
    base: Classification,
    extent: Mapping[str, frozenset[str]],
    finest: Mapping[str, str],
    depth: int,
    max_outside_share: float | None,
) -> ClusterResolution:
    rank = {entry.code: i for i, entry in enumerate(definition.codes)}
    weight_of: dict[str, float] = {}
    owner: dict[str, str] = {}
    partial_leaf: set[str] = set()
    for entry in definition.codes:
        for leaf in base.leaves(entry.code):
            weight_of[leaf] = entry.weight
            owner[leaf] = entry.code
            if entry.partial:
                partial_leaf.add(leaf)

    used = {finest[leaf] for leaf in weight_of if leaf in finest}
    # A coarse data code that contains another used code replaces it (the data value already includes it).
    used = {u for u in used if not any(u != v and extent[u] < extent[v] for v in used)}
    missing_leaves = [leaf for leaf in weight_of if not any(leaf in extent[u] for u in used)]

    order = {c: i for i, c in enumerate(data_clf.codes())}
    resolved: list[ResolvedCode] = []
    unresolved: list[UnresolvedCode] = []
    for code in sorted(used, key=order.__getitem__):
        leaves = extent[code]
        inside = [leaf for leaf in leaves if leaf in weight_of]
        outside = 1.0 - len(inside) / len(leaves)
        stands_for = tuple(sorted({owner[leaf] for leaf in inside}, key=rank.__getitem__))
        weight = sum(weight_of[leaf] for leaf in inside) / len(inside)
        if outside <= _EPS:
            resolved.append(
                ResolvedCode(code, round(weight, 6), "exact", 0.0, stands_for, any(x in partial_leaf for x in inside))
            )
            continue
        acceptable = _within_one(base, leaves, depth) and (max_outside_share is None or outside <= max_outside_share)
        if acceptable:
            resolved.append(ResolvedCode(code, round(weight, 6), "proxy", round(outside, 6), stands_for, True))
        else:
            unresolved.extend(UnresolvedCode(m, "too_coarse", code, round(outside, 6)) for m in stands_for)

    for group in _missing_groups(base, missing_leaves, owner):
        unresolved.append(UnresolvedCode(group, "missing"))

    too_coarse = [u for u in unresolved if u.reason == "too_coarse"]
    if too_coarse or not resolved:
        status: Status = "not_resolvable"
        resolved = []
    elif any(r.kind == "proxy" for r in resolved):
        status = "approximation"
    else:
        status = "exact"
    return ClusterResolution(
        cluster_id=cluster_id,
        status=status,
        data_classification=data_clf.name,
        definition_classification=definition.classification,
        derived=definition.derived,
        codes=tuple(resolved),
        unresolved=tuple(unresolved),
        message=_message(status, data_clf, base, resolved, unresolved, depth, "en"),
        message_de=_message(status, data_clf, base, resolved, unresolved, depth, "de"),
    )


def _within_one(base: Classification, leaves: Iterable[str], depth: int) -> bool:
    """Whether all ``leaves`` lie below one code at ``depth`` of ``base``."""
    heads = set()
    for leaf in leaves:
        path = base.path(leaf)
        if len(path) <= depth:
            return False
        heads.add(path[depth])
        if len(heads) > 1:
            return False
    return True


def _missing_groups(base: Classification, leaves: list[str], owner: Mapping[str, str]) -> list[str]:
    """Missing finest codes, merged into their definition code where all of it is missing."""
    by_owner: dict[str, list[str]] = {}
    for leaf in leaves:
        by_owner.setdefault(owner[leaf], []).append(leaf)
    out: list[str] = []
    for code, missing in by_owner.items():
        out.extend([code] if set(missing) >= set(base.leaves(code)) else compact(base, missing))
    return out


def _message(
    status: Status,
    data_clf: Classification,
    base: Classification,
    resolved: list[ResolvedCode],
    unresolved: list[UnresolvedCode],
    depth: int,
    lang: str,
) -> str:
    """Why the cluster is (not) resolvable, in ``lang`` (the templates are in :mod:`regiolens.i18n.messages`)."""
    data = classification_title(data_clf.title)
    missing = [u.code for u in unresolved if u.reason == "missing"]
    tail = render("missing_rows", lang, codes=missing) if missing else ""
    if status == "exact":
        return render("exact", lang, data=data, tail=tail)
    if status == "approximation":
        parts = [
            render("proxy", lang, code=r.code, stands_for="/".join(r.stands_for), outside=_outside(r, lang))
            for r in resolved
            if r.kind == "proxy"
        ]
        return render("approximation", lang, data=data, parts=parts, tail=tail)
    coarse = sorted({u.coarse_code for u in unresolved if u.reason == "too_coarse" and u.coarse_code})
    if coarse:
        return render(
            "too_coarse",
            lang,
            data=data,
            codes=coarse,
            classification=classification_title(base.title),
            level=level_name(base.levels[depth]),
            tail=tail,
        )
    return render("none_held", lang, data=data)


def _outside(code: ResolvedCode, lang: str) -> str:
    """The outside share of a proxy as a whole percentage (``40%`` in English, ``40 %`` in German)."""
    return f"{code.outside_share:.0%}" if lang == "en" else f"{code.outside_share * 100:.0f} %"
