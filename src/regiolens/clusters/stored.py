"""Cluster taxonomies stored by organisations in the app database, as analysis taxonomies.

An organisation's taxonomy (:class:`regiolens.web.db.Taxonomy`: a name, a classification and clusters of codes)
enters every analysis as a :class:`regiolens.clusters.model.Taxonomy` with the id ``org-<record id>`` and a
version that is a fingerprint of its content, so that a result names which state of the definition it used.
"""

from __future__ import annotations

import hashlib
import json

from regiolens.clusters.model import Cluster, ClusterCode, Definition
from regiolens.clusters.model import Taxonomy as ClusterTaxonomy
from regiolens.web.db import Taxonomy

ORG_PREFIX = "org-"


def org_taxonomy(record: Taxonomy) -> ClusterTaxonomy:
    """An organisation's taxonomy (app database) as a :class:`regiolens.clusters.model.Taxonomy` for the analysis.

    Every code counts in full (weight 1), on the record's classification; the organisation is named as the source.
    """
    clusters = tuple(
        Cluster(
            c["id"],
            c["label_de"],
            c["label_en"],
            {record.classification: Definition(record.classification, tuple(ClusterCode(code) for code in c["codes"]))},
        )
        for c in record.definition
    )
    return ClusterTaxonomy(
        id=f"{ORG_PREFIX}{record.id}",
        name_de=record.name,
        name_en=record.name,
        version=taxonomy_version(record),
        classification=record.classification,
        clusters=clusters,
        source=record.organisation.name,
        attribution=record.organisation.name,
    )


def taxonomy_version(record: Taxonomy) -> str:
    """A short fingerprint of an organisation's taxonomy (classification and clusters): changes when edited."""
    content = json.dumps([record.classification, record.definition], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()[:10]
