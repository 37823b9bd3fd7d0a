"""Derive a cluster definition on another classification through the official concordances.

Rule (one for every pair of classifications :func:`regiolens.classifications.concord` links):

1. The source definition gives every finest code ``s`` of its classification a cluster weight ``c(s)``: the
   weight of the cluster code at or above it, 0 outside the cluster.
2. Candidates are the finest target codes that any cluster code reaches (``concord`` forwards).
3. For each candidate ``t`` the share in the cluster is ``Σ f(s→t)·c(s) / Σ f(s→t)`` over every source code ``s``
   that feeds ``t``, ``f(s→t)`` being the concordance's naive equal-split weight read forwards (the part of ``s``
   that goes to ``t``, every source code taken to be of the same size; not an official figure, see
   :mod:`regiolens.classifications.bridge`). So WZ 2025 29.10.1, made of all of WZ 2008 29.10.1 and a quarter of
   27.11, gets 1 / (1 + 1/4) = 0.8. Share 1: ``t`` lies wholly in the cluster. Share below 1: ``t`` is
   *partial*, its weight is the estimated share, and it is marked wherever it is shown — a code is never
   silently counted in full. Share 0 does not occur for candidates (``t`` was reached from the cluster).
   A code derived from a source code that is itself marked partial stays marked, whatever its share.
4. Target codes whose children are all wholly in the cluster are replaced by their parent (``29.10.1`` and
   ``29.10.2`` become ``29.10``), so that derived definitions read like written ones.
5. Source codes with no counterpart in the target are listed in :attr:`Definition.unmapped`.

Which definition a derivation starts from (:func:`source_classification`): one written in the target's own
family (NAICS 2012/2022 from a written NAICS 2017 definition, NACE Rev. 2 from WZ 2008) if there is one,
otherwise the taxonomy's primary classification. WZ 2025 from WZ 2008 therefore goes through the Destatis
correspondence, whose "ex" (partial) links become partial codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from regiolens.classifications import concord, concordance_path, get_classification
from regiolens.classifications.base import Classification, UnknownClassificationError
from regiolens.clusters._tree import compact, covered_by
from regiolens.clusters.model import FULL, ClusterCode, Definition, Taxonomy
from regiolens.errors import RegiolensError

_EPS = 1e-9

FAMILIES: dict[str, str] = {
    "wz2008": "wz2008",
    "nace2": "wz2008",
    "wz2008-sg": "wz2008",
    "wz2025": "wz2025",
    "nace21": "wz2025",
    "wz2025-sg": "wz2025",
    "isic4": "isic4",
    "naics2012": "naics",
    "naics2017": "naics",
    "naics2022": "naics",
}
"""Classifications that are versions or groupings of one another share a family."""


def leaf_weights(definition: Definition) -> dict[str, float]:
    """``{finest code: cluster weight}`` for every finest code at or below a code of ``definition``."""
    clf = get_classification(definition.classification)
    out: dict[str, float] = {}
    for entry in definition.codes:
        for leaf in clf.leaves(entry.code):
            out[leaf] = entry.weight
    return out


def source_classification(taxonomy: Taxonomy, cluster_id: str, target: str) -> str:
    """The classification whose definition a derivation onto ``target`` starts from (see the module docstring)."""
    cluster = taxonomy.cluster(cluster_id)
    family = FAMILIES.get(target)
    written = [name for name in cluster.definitions if name != target]
    same_family = [name for name in written if family is not None and FAMILIES.get(name) == family]
    if same_family:
        return min(same_family, key=lambda name: len(concordance_path(name, target)))
    if taxonomy.classification in cluster.definitions:
        return taxonomy.classification
    if not written:
        raise RegiolensError(f"cluster {cluster_id!r} of taxonomy {taxonomy.id!r} has no definition to derive from")
    return written[0]


def definition_for(taxonomy: Taxonomy, cluster_id: str, classification: str) -> Definition:
    """The definition of ``cluster_id`` on ``classification``: the written one, or one derived (and cached)."""
    target = get_classification(classification).name
    cluster = taxonomy.cluster(cluster_id)
    written = cluster.definitions.get(target)
    if written is not None:
        return written
    key = (cluster_id, target)
    cached = taxonomy._derived.get(key)
    if cached is None:
        source = cluster.definitions[source_classification(taxonomy, cluster_id, target)]
        cached = taxonomy._derived[key] = derive_definition(source, target)
    return cached


def derive_definition(source: Definition, target: str) -> Definition:
    """``source`` carried onto the classification ``target`` (see the module docstring for the rule)."""
    src = get_classification(source.classification)
    tgt = get_classification(target)
    try:
        path = tuple(concordance_path(src.name, tgt.name))
    except UnknownClassificationError as exc:
        raise RegiolensError(f"cannot derive a {tgt.title} definition from {src.title}: {exc}") from None
    weights = leaf_weights(source)
    owner = _owners(src, source)
    forward = concord(list(weights), src.name, tgt.name)
    unmapped = tuple(dict.fromkeys(owner[c] for c in forward.loc[forward.to_code.isna(), "from_code"]))
    candidates = list(dict.fromkeys(str(c) for c in forward.to_code.dropna()))
    shares, origins = _shares(src.name, tgt.name, candidates, weights, owner)
    members = {t: share for t, share in shares.items() if share > _EPS}
    flagged = {c.code for c in source.codes if c.partial}
    inherited = {t for t in members if any(o in flagged for o in origins.get(t, []))}
    codes = _compact(tgt, members, origins, inherited)
    steps = " → ".join(get_classification(p).title for p in path)
    return Definition(
        classification=tgt.name,
        codes=codes,
        derived_from=src.name,
        path=path,
        computed=True,
        note=f"derived through {steps}; partial codes carry a naive share estimate (equal split), not an official one",
        unmapped=unmapped,
    )


def _shares(
    source: str, target: str, candidates: list[str], weights: Mapping[str, float], owner: Mapping[str, str]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Share of each candidate target code that comes from the cluster, and the cluster codes it comes from.

    Every source code ``s`` that feeds a candidate ``t`` is taken to be of the same size and to split equally
    over its targets (``f(s→t)``, the concordance weight read forwards), so that
    ``share(t) = Σ f(s→t)·c(s) / Σ f(s→t)``. A part of ``t`` without any source counts as one outside unit.
    """
    if not candidates:
        return {}, {}
    backward = concord(candidates, target, source)
    feeders: dict[str, list[str]] = {}
    orphan: set[str] = set()
    for t, s in zip(backward.from_code, backward.to_code, strict=True):
        if isinstance(s, str):
            feeders.setdefault(str(t), []).append(s)
        else:
            orphan.add(str(t))
    sources = list(dict.fromkeys(s for items in feeders.values() for s in items))
    forward = concord(sources, source, target)
    flow = {
        (str(s), str(t)): float(w) for s, t, w in zip(forward.from_code, forward.to_code, forward.weight, strict=True)
    }
    shares: dict[str, float] = {}
    origins: dict[str, list[str]] = {}
    for t in candidates:
        inside = total = 0.0
        for s in feeders.get(t, []):
            f = flow.get((s, t), 0.0)
            total += f
            if s in weights:
                inside += f * weights[s]
                if owner[s] not in origins.setdefault(t, []):
                    origins[t].append(owner[s])
        total += 1.0 if t in orphan else 0.0
        shares[t] = min(FULL, inside / total) if total > 0 else 0.0
    return shares, origins


def _owners(clf: Classification, definition: Definition) -> dict[str, str]:
    """``{finest code: the definition code it lies under}``."""
    out: dict[str, str] = {}
    for entry in definition.codes:
        for leaf in clf.leaves(entry.code):
            out[leaf] = entry.code
    return out


def _compact(
    clf: Classification, members: Mapping[str, float], origins: Mapping[str, list[str]], inherited: set[str]
) -> tuple[ClusterCode, ...]:
    """Merge complete sets of wholly-included children into their parent; keep partial codes as they are.

    ``inherited``: codes that come from a source code marked partial; they stay marked (and so does a parent
    merged from them).
    """
    full = [code for code, share in members.items() if share >= FULL - _EPS]
    merged = compact(clf, full)
    order = {code: i for i, code in enumerate(clf.codes())}
    partial = [code for code, share in members.items() if share < FULL - _EPS]
    out: list[ClusterCode] = []
    for code in sorted([*merged, *partial], key=order.__getitem__):
        if code in members and members[code] < FULL - _EPS:
            weight, sources, marked = round(members[code], 6), origins.get(code, []), True
        else:
            kids = [c for c in full if covered_by(clf, c, [code]) == code]
            weight, sources, marked = FULL, _union(origins.get(c, []) for c in kids), bool(inherited & set(kids))
        note = f"from {', '.join(sources)}" + (
            f"; estimated share in the cluster {weight:.2f}" if weight < FULL else ""
        )
        out.append(
            ClusterCode(
                code=code,
                weight=weight,
                partial=marked,
                note=note + ("; partly linked outside the cluster" if marked and weight >= FULL else ""),
                basis="derived",
                derived_from=tuple(sources),
                source="concordance",
            )
        )
    return tuple(out)


def _union(lists: Iterable[list[str]]) -> list[str]:
    out: list[str] = []
    for items in lists:
        out.extend(i for i in items if i not in out)
    return out


@dataclass(frozen=True)
class ReviewCheck:
    """How a stored, reviewed derivation relates to the concordance today.

    ``unreviewed``: target codes the concordance reaches from the source definition that are neither kept nor
    excluded (silently dropped — a defect). ``unsupported``: stored codes marked ``basis = "derived"`` that the
    concordance does not reach from the source definition (a stale or mistaken derivation).
    """

    unreviewed: tuple[str, ...]
    unsupported: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every candidate was reviewed and every derived code is supported."""
        return not self.unreviewed and not self.unsupported


def check_review(taxonomy: Taxonomy, cluster_id: str, classification: str) -> ReviewCheck:
    """Compare the stored derived definition on ``classification`` with a fresh derivation (:class:`ReviewCheck`)."""
    cluster = taxonomy.cluster(cluster_id)
    target = get_classification(classification)
    stored = cluster.definitions.get(target.name)
    if stored is None or stored.derived_from is None:
        raise RegiolensError(f"cluster {cluster_id!r} has no stored derived definition on {target.title}")
    fresh = derive_definition(cluster.definitions[stored.derived_from], target.name)
    kept = [c.code for c in stored.codes]
    excluded = [e.code for e in cluster.excluded if e.classification == target.name]

    def overlaps(code: str, others: list[str]) -> bool:
        path = target.path(code)
        return any(o in path or code in target.path(o) for o in others)

    reached = fresh.code_list()
    unreviewed = tuple(c for c in reached if not overlaps(c, kept) and not overlaps(c, excluded))
    unsupported = tuple(c.code for c in stored.codes if c.basis == "derived" and not overlaps(c.code, reached))
    return ReviewCheck(unreviewed, unsupported)
