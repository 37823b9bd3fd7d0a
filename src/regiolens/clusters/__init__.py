"""Cluster taxonomies: clusters of industries, per classification version, with sources and resolution checks.

>>> from regiolens.clusters import get_taxonomy, resolve
>>> hi = get_taxonomy("hannoverimpuls")
>>> [c.code for c in hi.definition("automotive").codes]
['29.10', '29.20', '29.31', '29.32']
>>> resolve(hi, "wz2008", ["29", "26", "62"], clusters=["automotive"])["automotive"].status
'exact'

Modules, one purpose each:

``model``      the data: :class:`Taxonomy`, :class:`Cluster`, :class:`Definition`, :class:`ClusterCode`
``derive``     definitions on other classifications through the concordances (partial codes marked)
``resolve``    which clusters a data set can show, exactly or approximately, and with which codes
``tomlfile``   the TOML layout of built-in and stored taxonomies (read and write)
``tables``     taxonomies from CSV/XLSX with a column mapping; ``us_cmp`` the U.S. benchmark-cluster preset
``validate``   the checks every reader shares (errors name file, line and field)
``registry``   built-in and stored taxonomies by id and version

Built in: ``hannoverimpuls`` — the five cluster industries of hannoverimpuls (Region Hannover) on WZ 2008, with
reviewed WZ 2025 and NAICS 2017 equivalents (``data/hannoverimpuls.toml``; every code with its note and source).
"""

from __future__ import annotations

from regiolens.clusters.derive import ReviewCheck, check_review, derive_definition
from regiolens.clusters.model import (
    Cluster,
    ClusterCode,
    Definition,
    DefinitionInfo,
    ExcludedCode,
    SkippedRow,
    Taxonomy,
    UnknownClusterError,
)
from regiolens.clusters.registry import (
    get_taxonomy,
    import_taxonomy,
    list_taxonomies,
    read_taxonomy_file,
    store_taxonomy,
    taxonomies_dir,
)
from regiolens.clusters.resolve import (
    ClusterResolution,
    ResolvedCode,
    UnresolvedCode,
    combined_industry_map,
    resolve,
    weight_matrix,
)
from regiolens.clusters.tables import read_table
from regiolens.clusters.tomlfile import read_toml, to_toml
from regiolens.clusters.us_cmp import read_us_benchmark_clusters

__all__ = [
    "Cluster",
    "ClusterCode",
    "ClusterResolution",
    "Definition",
    "DefinitionInfo",
    "ExcludedCode",
    "ResolvedCode",
    "ReviewCheck",
    "SkippedRow",
    "Taxonomy",
    "UnknownClusterError",
    "UnresolvedCode",
    "check_review",
    "combined_industry_map",
    "derive_definition",
    "get_taxonomy",
    "import_taxonomy",
    "list_taxonomies",
    "read_table",
    "read_taxonomy_file",
    "read_toml",
    "read_us_benchmark_clusters",
    "resolve",
    "store_taxonomy",
    "taxonomies_dir",
    "to_toml",
    "weight_matrix",
]
