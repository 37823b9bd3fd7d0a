"""Resolve what a user types (a code, a prefixed code, a group name) into a region selection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from regiolens.errors import UnknownRegionError
from regiolens.model import RegionLevel
from regiolens.regions.codes import parse_region_ref
from regiolens.regions.groups import RegionGroup, load_groups


@dataclass(frozen=True)
class RegionSelection:
    """One region or one group: ``level`` is the level of the codes that hold the data."""

    ref: str
    level: RegionLevel
    code: str
    group: RegionGroup | None = None

    @property
    def members(self) -> tuple[str, ...]:
        return self.group.members if self.group else (self.code,)


def resolve_region(ref: str, groups_file: str | Path | None = None) -> RegionSelection:
    """``emscher-lippe`` → the group; ``05562`` → Kreis Recklinghausen; ``nuts:DEA36`` → NUTS 3."""
    groups = load_groups(groups_file)
    if ref in groups:
        g = groups[ref]
        return RegionSelection(ref, g.level, g.name, g)
    parsed = parse_region_ref(ref)
    if parsed is None:
        raise UnknownRegionError(
            f"{ref!r} is neither a region code (AGS such as 05562, nuts:DEA36, us:26163) "
            f"nor a group ({', '.join(sorted(groups))})"
        )
    level, code = parsed
    return RegionSelection(ref, level, code)
