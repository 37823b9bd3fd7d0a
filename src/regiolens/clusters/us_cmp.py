"""The U.S. Cluster Mapping benchmark clusters (Delgado, Porter and Stern 2016) from the public NAICS crosswalk.

The crosswalk ``NAICS_crosswalks_to_Cluster_system.xlsx`` of the repository ACR1/industry-clusters (CC-BY-SA),
sheet ``"Emsi NAICS to Porter Cluster"``, has one row per 6-digit NAICS code: ``NAICS``, ``TradedLocal``,
``Cluster``, ``SubclusterName``, ``EmsiSpecificNAICS (non standard)``, ``Description``. Read as a taxonomy:

* **NAICS version: 2017.** The data README (and the crosswalk's own README) say "2012 NAICS", but the codes say
  otherwise: 20 of them exist only in NAICS 2017 (``211120``, ``454110``, ``541713``–``541715``, ``517311``,
  ``517312`` …), none only in NAICS 2012, and every code that is not a NAICS 2017 code is flagged
  Emsi-specific. Data on NAICS 2012 (CBP up to 2016) or 2022 get the definition through the Census
  correspondences (:meth:`Taxonomy.definition`), marked as derived.
* **Emsi-specific codes** (flagged in ``EmsiSpecificNAICS``): the 16 that are not NAICS 2017 codes (government
  ``901149``…``903999``, ``111000``, ``112000``, ``482110``) are listed in :attr:`Taxonomy.skipped`; three
  government clusters consist of nothing else and are listed as empty. The 21 flagged codes that are NAICS 2017
  codes stay in their clusters with a note.
* **Traded/local** becomes :attr:`Cluster.category` (U.S. CMP location quotients use traded employment as the
  base of traded clusters). The row with cluster ``NA`` (``814110`` Private Households) is listed as unassigned.
* Subclusters are kept per code; ``Description`` (the NAICS title) becomes the note.

Result: 51 traded and 16 local clusters — the 67 names of sheet ``"all"`` of ``lists_of_clusters.xlsx`` in the
same repository (its sheet ``"traded"`` holds 41 of the traded ones, ``"exclusions"`` the other 10).
"""

from __future__ import annotations

from pathlib import Path

from regiolens.clusters.model import Taxonomy
from regiolens.clusters.tables import read_table

SHEET = "Emsi NAICS to Porter Cluster"
COLUMNS: dict[str, str] = {
    "code": "NAICS",
    "category": "TradedLocal",
    "cluster": "Cluster",
    "subcluster": "SubclusterName",
    "nonstandard": "EmsiSpecificNAICS (non standard)",
    "note": "Description",
}
CLASSIFICATION = "naics2017"
ATTRIBUTION = "Cluster definitions: Delgado, Porter and Stern (2016); crosswalk: ACR1/industry-clusters (CC-BY-SA)"
CITATION = (
    "Delgado, M., Porter, M. E. and Stern, S. (2016): Defining clusters of related industries. "
    "Journal of Economic Geography 16 (1), 1–38"
)


def read_us_benchmark_clusters(path: str | Path, *, version: str = "2016") -> Taxonomy:
    """The U.S. CMP benchmark clusters from the ACR1 crosswalk workbook at ``path`` (see the module docstring)."""
    return read_table(
        path,
        sheet=SHEET,
        columns=COLUMNS,
        classification=CLASSIFICATION,
        id="us-cmp",
        version=version,
        name_de="U.S. Cluster Mapping: Benchmark-Cluster",
        name_en="U.S. Cluster Mapping benchmark clusters",
        description="51 traded and 16 local clusters of related industries (U.S. Cluster Mapping Project)",
        source=f"ACR1/industry-clusters: Shared_Files/NAICS_crosswalks_to_Cluster_system.xlsx ({SHEET})",
        citation=CITATION,
        licence="CC-BY-SA",
        attribution=ATTRIBUTION,
    )
