"""The form of region codes per level, and resolution of what users type into ``(level, code)``."""

from __future__ import annotations

import re

from regiolens.model import GERMANY_CODE, USA_CODE, RegionLevel

CODE_PATTERNS: dict[RegionLevel, re.Pattern[str]] = {
    RegionLevel.DE_BUND: re.compile(rf"^{GERMANY_CODE}$"),
    RegionLevel.DE_LAND: re.compile(r"^(0[1-9]|1[0-6])$"),
    RegionLevel.DE_REGBEZ: re.compile(r"^(0[1-9]|1[0-6])\d$"),
    RegionLevel.DE_KREIS: re.compile(r"^(0[1-9]|1[0-6])\d{3}$"),
    RegionLevel.DE_GEMEINDE: re.compile(r"^(0[1-9]|1[0-6])\d{6}$"),
    RegionLevel.NUTS0: re.compile(r"^[A-Z]{2}$"),
    RegionLevel.NUTS1: re.compile(r"^[A-Z]{2}[0-9A-Z]$"),
    RegionLevel.NUTS2: re.compile(r"^[A-Z]{2}[0-9A-Z]{2}$"),
    RegionLevel.NUTS3: re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$"),
    RegionLevel.US_NATION: re.compile(rf"^{USA_CODE}$"),
    RegionLevel.US_STATE: re.compile(r"^\d{2}$"),
    RegionLevel.US_COUNTY: re.compile(r"^\d{5}$"),
    RegionLevel.GROUP: re.compile(r"^[a-z0-9][a-z0-9-]*$"),
    RegionLevel.OTHER: re.compile(r"^\S(.*\S)?$"),
}

_AGS_LEVEL_BY_LENGTH = {
    2: RegionLevel.DE_LAND,
    3: RegionLevel.DE_REGBEZ,
    5: RegionLevel.DE_KREIS,
    8: RegionLevel.DE_GEMEINDE,
}
_NUTS_LEVEL_BY_LENGTH = {
    2: RegionLevel.NUTS0,
    3: RegionLevel.NUTS1,
    4: RegionLevel.NUTS2,
    5: RegionLevel.NUTS3,
}
_GERMANY_ALIASES = {"dg", "de-ags", "deutschland", "germany", "bund"}


def is_valid_code(level: RegionLevel | str, code: str) -> bool:
    """Whether ``code`` has the form of a code at ``level`` (not whether the region exists)."""
    return bool(CODE_PATTERNS[RegionLevel(level)].match(code))


def parse_region_ref(text: str) -> tuple[RegionLevel, str] | None:
    """Turn a typed region reference into ``(level, code)``; ``None`` if it is no code (maybe a group).

    German AGS codes are the default reading of digits (German first): ``05562`` is Kreis
    Recklinghausen. Other systems take a prefix: ``nuts:DEA36``, ``us:26163`` / ``fips:26163``.
    ``DG``, ``Deutschland`` and ``Germany`` name Germany (AGS level), ``US`` the United States.

    >>> parse_region_ref("05562")
    (<RegionLevel.DE_KREIS: 'de:kreis'>, '05562')
    >>> parse_region_ref("nuts:dea36")
    (<RegionLevel.NUTS3: 'nuts3'>, 'DEA36')
    """
    s = text.strip()
    prefix, _, rest = s.partition(":")
    prefix = prefix.lower()
    if rest:
        if prefix == "nuts":
            code = rest.upper()
            level = _NUTS_LEVEL_BY_LENGTH.get(len(code))
            return (level, code) if level and is_valid_code(level, code) else None
        if prefix in {"us", "fips"}:
            if rest.upper() == USA_CODE:
                return RegionLevel.US_NATION, USA_CODE
            level = {2: RegionLevel.US_STATE, 5: RegionLevel.US_COUNTY}.get(len(rest))
            return (level, rest) if level and is_valid_code(level, rest) else None
        if prefix in {"ags", "de"}:
            s = rest
        else:
            return None
    if s.lower() in _GERMANY_ALIASES:
        return RegionLevel.DE_BUND, GERMANY_CODE
    if s.upper() == USA_CODE:
        return RegionLevel.US_NATION, USA_CODE
    if s.isdigit():
        level = _AGS_LEVEL_BY_LENGTH.get(len(s))
        return (level, s) if level and is_valid_code(level, s) else None
    return None
