"""The canonical data model shared by every importer and by the warehouse.

One long table of observations::

    observations(source_id, region_code, region_level, industry_code, classification,
                 year, measure, value, flag)

``value`` is ``NULL`` whenever the publisher withheld or did not provide the number; the reason is in
``flag``. A suppressed cell is never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd


class Flag(StrEnum):
    """Quality flag of one observation."""

    NONE = "none"
    SUPPRESSED = "suppressed"  # withheld for confidentiality (GENESIS ".", Eurostat "c", CBP 0 employees)
    ESTIMATED = "estimated"  # estimated by the publisher or by a documented regiolens method
    PROVISIONAL = "provisional"  # preliminary figure (GENESIS "p", Eurostat "p")
    UNAVAILABLE = "unavailable"  # not available or not meaningful (GENESIS "...", "/", "x"; Eurostat ":")
    PARTIAL = "partial"  # aggregate of members some of which are suppressed: a lower bound
    MISSING = "missing"  # panels only: no observation for this cell at all


class RegionLevel(StrEnum):
    """Region levels; the prefix names the code system so that codes never collide.

    German AGS and U.S. FIPS codes overlap (``01001`` is Flensburg and Autauga County), so a region
    is always identified by ``(level, code)``.
    """

    DE_BUND = "de:bund"  # Germany, code "DG"
    DE_LAND = "de:land"  # 2-digit AGS
    DE_REGBEZ = "de:regbez"  # 3-digit AGS (Regierungsbezirk or statistical region)
    DE_KREIS = "de:kreis"  # 5-digit AGS (Kreis or kreisfreie Stadt)
    DE_GEMEINDE = "de:gemeinde"  # 8-digit AGS
    NUTS0 = "nuts0"
    NUTS1 = "nuts1"
    NUTS2 = "nuts2"
    NUTS3 = "nuts3"
    US_NATION = "us:nation"  # code "US"
    US_STATE = "us:state"  # 2-digit FIPS
    US_COUNTY = "us:county"  # 5-digit FIPS
    GROUP = "group"  # a named group of regions, aggregated from its members
    OTHER = "other"  # the user's own codes (any non-empty text), e.g. for `regiolens metrics compute`


GERMANY_CODE = "DG"
USA_CODE = "US"

OBSERVATION_COLUMNS: tuple[str, ...] = (
    "region_code",
    "region_level",
    "industry_code",
    "classification",
    "year",
    "measure",
    "value",
    "flag",
)
"""Columns every importer delivers (plus ``line``, the 1-based source line, used for error messages)."""

REGION_COLUMNS: tuple[str, ...] = ("region_level", "region_code", "name", "parent_code", "nuts_code", "kind")
"""Columns of region descriptions a source may carry (registry files, names in statistics files)."""

GEOMETRY_COLUMNS: tuple[str, ...] = ("region_level", "region_code", "geojson")
"""Columns of geometries a source may carry (GeoJSON geometry text, WGS84, rings wound for Vega/d3)."""

TOTAL_INDUSTRY = "TOTAL"
"""Industry code of the all-industries total in every classification."""


@dataclass(frozen=True)
class SourceInfo:
    """Provenance of one imported file.

    ``dataset_key`` identifies the logical dataset (e.g. GENESIS table and reference date): a file with
    the same key but a different SHA-256 is a corrected version and replaces the earlier one.
    """

    dataset_key: str
    file_name: str
    sha256: str
    format: str
    publisher: str
    licence: str
    attribution: str
    vintage: str | None = None
    kind: str = "statistics"  # statistics | registry | geometry
    notes: tuple[str, ...] = ()


@dataclass
class ParsedSource:
    """What an importer returns: provenance plus canonical rows, not yet written anywhere."""

    info: SourceInfo
    observations: pd.DataFrame = field(default_factory=lambda: empty_observations())
    regions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REGION_COLUMNS)))
    geometries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(GEOMETRY_COLUMNS)))
    path: str | None = None  # where the file was read from, for error messages (set by read_source)


def empty_observations() -> pd.DataFrame:
    """An empty observation frame with the canonical columns and ``line``."""
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object") for c in OBSERVATION_COLUMNS})
