"""The evidence of concepts on the app's warehouse: the focus-cluster scorecard of a concept (kept in the warehouse
cache) and the check, after an import, of which concepts' focus clusters rest on outdated evidence.

The pages, the JSON API and the data upload use these functions; the scorecard itself is
:func:`regiolens.concept.scorecard.scorecard`, with the candidates of
:func:`regiolens.concept.records.candidate_taxonomies` and :func:`regiolens.concept.records.candidate_initiatives`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.analysis.weights import indicator_weights
from regiolens.clusters.model import Taxonomy as ClusterTaxonomy
from regiolens.concept import records
from regiolens.concept.content import content_of
from regiolens.concept.models import Concept
from regiolens.concept.scorecard import DEFAULT_PEERS, DIMENSIONS, Scorecard, rank_clusters, scorecard
from regiolens.errors import RegiolensError
from regiolens.web.warehouse import WarehouseAccess, WarehouseBusy

PEERS = DEFAULT_PEERS
"""Nearest peers the web scorecard looks at (the library's default, :data:`regiolens.concept.scorecard.DEFAULT_PEERS`):
the reasons name those strong in a cluster. Each peer adds a profile per taxonomy (5 peers: about 1.7 s more on the
official data, once per data version: the result is cached)."""


def cluster_ref(key: str) -> str:
    """A scorecard cluster key (``hannoverimpuls:ict``) as a concept names it (``hannoverimpuls/ict``)."""
    return key.replace(":", "/", 1)


def concept_scorecard(
    warehouse: WarehouseAccess,
    target: str,
    weights: Mapping[str, float] | None = None,
    *,
    extra: Sequence[ClusterTaxonomy] = (),
    initiatives: Sequence[tuple[str, Sequence[str]]] = (),
    year: int | None = None,
    peers: int = PEERS,
) -> Scorecard:
    """The focus-cluster scorecard of ``target`` (built-in taxonomies and ``extra``, ``initiatives`` named beside
    their clusters, ``peers`` peers) with ``weights``.

    The evidence — :func:`regiolens.concept.scorecard.scorecard` with the default weights, the slow part — is kept in
    the app's warehouse cache by target, taxonomies, initiatives, year and peers; other weights re-rank it with
    :func:`regiolens.concept.scorecard.rank_clusters`, the ranking ``scorecard`` itself applies (the weights change
    the ranking, not the evidence or its fingerprint). The page, its CSV and the JSON API thus show one result.
    """
    named = tuple((name, tuple(clusters)) for name, clusters in initiatives)
    key = ("concept-scorecard", target, tuple((t.id, t.version) for t in extra), named, year, peers)
    card: Scorecard = warehouse.cached(
        key,
        lambda wh: scorecard(wh, target, extra_taxonomies=extra, initiatives=initiatives, year=year, peers=peers),
    )
    w = indicator_weights(DIMENSIONS, DIMENSIONS, weights)
    if w == card.weights:
        return card
    rows = rank_clusters([r.evidence for r in card.rows], w, f"{card.base_year}–{card.year}")
    return replace(card, weights=w, rows=rows)


def evidence_scorecard(
    warehouse: WarehouseAccess,
    db: Session,
    concept: Concept,
    weights: Mapping[str, float] | None = None,
    year: int | None = None,
) -> Scorecard:
    """The scorecard of the concept's target region with its candidate taxonomies and the initiatives shared in its
    network (:func:`concept_scorecard`) on ``warehouse``."""
    return concept_scorecard(
        warehouse,
        concept.target_region,
        weights,
        extra=records.candidate_taxonomies(db, concept),
        initiatives=records.candidate_initiatives(db, concept),
        year=year,
    )


def current_fingerprints(card: Scorecard) -> dict[str, str]:
    """Cluster (``taxonomy/cluster``) → the evidence fingerprint now, for every ranked cluster."""
    return {cluster_ref(r.evidence.key): card.fingerprint for r in card.rows}


def check_all_evidence(warehouse: WarehouseAccess, db: Session) -> list[Concept]:
    """After new data were imported: for every concept whose newest version has focus clusters, store which of them
    rest on outdated evidence (:func:`regiolens.concept.records.mark_outdated`, the system's job, audited) and return
    the concepts that have any. A concept whose evidence cannot be computed any more (its region or taxonomy left
    the data) has every focus cluster outdated ("no current evidence"); a warehouse that is missing or busy is an
    error (:class:`~regiolens.errors.RegiolensError`), not a finding. Versions are not touched."""
    if not warehouse.exists():
        raise RegiolensError(f"no warehouse at {warehouse.path}; import data first (regiolens data import …)")
    found = []
    for concept in db.scalars(select(Concept).order_by(Concept.id)):
        if not content_of(concept.current).focus_clusters:
            continue
        try:
            current = current_fingerprints(evidence_scorecard(warehouse, db, concept))
        except WarehouseBusy:
            raise
        except RegiolensError:
            current = {}
        if records.mark_outdated(db, concept, current):
            found.append(concept)
    return found
