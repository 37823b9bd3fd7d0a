"""Where regiolens keeps its files: the warehouse and the user's region groups."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "regiolens"


def user_data_dir() -> Path:
    """The per-user data directory (e.g. ``~/.local/share/regiolens`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def warehouse_path(explicit: str | Path | None = None) -> Path:
    """The warehouse file: ``explicit`` (``--warehouse``), then ``REGIOLENS_WAREHOUSE``, then the user data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("REGIOLENS_WAREHOUSE")
    if env:
        return Path(env)
    return user_data_dir() / "warehouse.duckdb"


def groups_path(explicit: str | Path | None = None) -> Path:
    """The user's region-group file: ``explicit``, then ``REGIOLENS_GROUPS``, then ``groups.toml`` in the data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("REGIOLENS_GROUPS")
    if env:
        return Path(env)
    return user_data_dir() / "groups.toml"
