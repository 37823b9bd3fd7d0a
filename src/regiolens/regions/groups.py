"""Named groups of regions: built-in ones and the user's own, kept in a TOML file.

A group is aggregated from its members' values **before** any ratio is computed (a location
quotient of Emscher-Lippe is the LQ of the summed employment, never an average of member LQs); the
reference total stays the national one.

The user file (see :func:`regiolens.config.groups_path`) looks like::

    [groups.emscher-lippe-ost]
    label = "Emscher-Lippe Ost"
    level = "de:kreis"
    members = ["05562", "05513"]
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from regiolens.config import groups_path
from regiolens.errors import InputError, RegiolensError
from regiolens.model import RegionLevel
from regiolens.regions.codes import is_valid_code

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


@dataclass(frozen=True)
class RegionGroup:
    """A named group: its members are codes at one level."""

    name: str
    label: str
    level: RegionLevel
    members: tuple[str, ...]
    description: str = ""
    builtin: bool = False


BUILTIN_GROUPS: dict[str, RegionGroup] = {
    g.name: g
    for g in (
        RegionGroup(
            "emscher-lippe",
            "Emscher-Lippe",
            RegionLevel.DE_KREIS,
            ("05562", "05512", "05513"),
            "Kreis Recklinghausen with its ten cities, Bottrop and Gelsenkirchen",
            builtin=True,
        ),
        RegionGroup(
            "region-hannover",
            "Region Hannover",
            RegionLevel.DE_KREIS,
            ("03241",),
            "Region Hannover (Landeshauptstadt Hannover and 20 towns and municipalities)",
            builtin=True,
        ),
    )
}


def load_groups(path: str | Path | None = None) -> dict[str, RegionGroup]:
    """Built-in groups plus those in the user's group file (which may not redefine a built-in one)."""
    groups = dict(BUILTIN_GROUPS)
    file = groups_path(path)
    if not file.exists():
        return groups
    text = file.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = int(m.group(1)) if m else len(text.splitlines())  # "at end of document"
        raise InputError(file, line, None, f"not valid TOML: {exc}") from None
    for name, spec in data.get("groups", {}).items():
        groups[name] = _group_from_toml(file, name, spec)
    return groups


def _group_from_toml(file: Path, name: str, spec: dict[str, object]) -> RegionGroup:
    field = f"groups.{name}"
    if not _NAME.match(name):
        raise InputError(file, None, field, "group names are lower-case letters, digits and '-'")
    if name in BUILTIN_GROUPS:
        raise InputError(file, None, field, f"{name!r} is a built-in group and cannot be redefined")
    members = spec.get("members")
    if not isinstance(members, list) or not members or not all(isinstance(m, str) for m in members):
        raise InputError(file, None, f"{field}.members", "must be a non-empty list of region codes")
    try:
        level = RegionLevel(str(spec.get("level", RegionLevel.DE_KREIS.value)))
    except ValueError:
        raise InputError(file, None, f"{field}.level", f"unknown region level {spec.get('level')!r}") from None
    bad = [m for m in members if not is_valid_code(level, m)]
    if bad:
        raise InputError(file, None, f"{field}.members", f"not codes at level {level.value}: {', '.join(bad)}")
    return RegionGroup(name, str(spec.get("label", name)), level, tuple(members), str(spec.get("description", "")))


def define_group(
    name: str,
    members: list[str],
    level: RegionLevel | str = RegionLevel.DE_KREIS,
    label: str | None = None,
    description: str = "",
    path: str | Path | None = None,
) -> RegionGroup:
    """Create or replace a user group and save the group file atomically."""
    file = groups_path(path)
    spec: dict[str, object] = {
        "label": label or name,
        "level": RegionLevel(level).value,
        "members": list(dict.fromkeys(members)),
    }
    if description:
        spec["description"] = description
    group = _group_from_toml(Path("<command line>"), name, spec)
    data: dict[str, dict[str, object]] = {"groups": {}}
    if file.exists():
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        data.setdefault("groups", {})
    data["groups"][name] = spec
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".groups-", suffix=".toml")
    with os.fdopen(fd, "wb") as fh:
        tomli_w.dump(data, fh)
    os.replace(tmp, file)
    return group


def get_group(name: str, path: str | Path | None = None) -> RegionGroup:
    """The group called ``name``; :class:`RegiolensError` naming the known groups otherwise."""
    groups = load_groups(path)
    if name not in groups:
        raise RegiolensError(f"unknown region group {name!r}; known: {', '.join(sorted(groups))}")
    return groups[name]
