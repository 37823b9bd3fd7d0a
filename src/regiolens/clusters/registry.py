"""Every taxonomy by id and version: the built-in ones and those the user stored.

Built-in taxonomies ship as TOML files in the package (``regiolens/clusters/data``). User taxonomies live as TOML
files in :func:`taxonomies_dir` (``$REGIOLENS_TAXONOMIES``, else ``<user data dir>/taxonomies``), one file per id
and version (``<id>-<version>.toml``), written by :func:`import_taxonomy` after validation — a CSV or XLSX
source is stored in the same TOML layout. Any taxonomy file can also be used directly by its path.

>>> from regiolens.clusters import get_taxonomy
>>> get_taxonomy("hannoverimpuls").cluster_ids
['automotive', 'medtech', 'photonics', 'production', 'ict']
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from regiolens.clusters.model import Taxonomy, UnknownClusterError
from regiolens.clusters.tables import read_table
from regiolens.clusters.tomlfile import parse_toml, read_toml, to_toml
from regiolens.config import user_data_dir
from regiolens.errors import RegiolensError

BUILTIN: dict[str, str] = {"hannoverimpuls": "hannoverimpuls.toml"}
"""Built-in taxonomy ids and their files in ``regiolens/clusters/data``."""

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def taxonomies_dir(explicit: str | Path | None = None) -> Path:
    """Where user taxonomies are stored: ``explicit``, then ``$REGIOLENS_TAXONOMIES``, then the user data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("REGIOLENS_TAXONOMIES")
    if env:
        return Path(env)
    return user_data_dir() / "taxonomies"


@cache
def builtin_taxonomy(taxonomy_id: str) -> Taxonomy:
    """A built-in taxonomy, read once per process."""
    if taxonomy_id not in BUILTIN:
        raise UnknownClusterError(f"no built-in taxonomy {taxonomy_id!r}; built in are {', '.join(BUILTIN)}")
    resource = resources.files("regiolens.clusters") / "data" / BUILTIN[taxonomy_id]
    return parse_toml(resource.read_text(encoding="utf-8"), str(resource), builtin=True)


def read_taxonomy_file(path: str | Path, **table_options: Any) -> Taxonomy:
    """A taxonomy from a ``.toml`` file, or from a CSV/XLSX table (``table_options`` go to ``read_table``)."""
    file = Path(path)
    if not file.exists():
        raise RegiolensError(f"no such file: {file}")
    if file.suffix.lower() == ".toml":
        if table_options:
            raise RegiolensError(f"options {', '.join(sorted(table_options))} apply to tables, not to TOML files")
        return read_toml(file)
    return read_table(file, **table_options)


def _stored(directory: Path) -> list[Taxonomy]:
    if not directory.is_dir():
        return []
    return [read_toml(p) for p in sorted(directory.glob("*.toml"))]


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-_]", version))


def list_taxonomies(directory: str | Path | None = None) -> list[Taxonomy]:
    """The built-in taxonomies, then the stored ones (by id, newest version first)."""
    stored = sorted(_stored(taxonomies_dir(directory)), key=lambda t: (t.id, [-x[0] for x in _version_key(t.version)]))
    return [builtin_taxonomy(name) for name in BUILTIN] + stored


def get_taxonomy(name: str | Path, version: str | None = None, directory: str | Path | None = None) -> Taxonomy:
    """The taxonomy ``name`` (an id, or the path of a taxonomy file), in ``version`` or the newest one.

    Raises :class:`~regiolens.clusters.model.UnknownClusterError` naming the known ids and versions.
    """
    text = str(name)
    if isinstance(name, Path) or text.endswith((".toml", *TABLE_SUFFIXES)) or os.sep in text:
        taxonomy = read_taxonomy_file(name)
        if version is not None and taxonomy.version != version:
            raise UnknownClusterError(f"{name} holds version {taxonomy.version}, not {version}")
        return taxonomy
    if text in BUILTIN:
        taxonomy = builtin_taxonomy(text)
        if version is None or taxonomy.version == version:
            return taxonomy
        raise UnknownClusterError(f"built-in taxonomy {text!r} has version {taxonomy.version}, not {version}")
    candidates = [t for t in _stored(taxonomies_dir(directory)) if t.id == text]
    if version is not None:
        candidates = [t for t in candidates if t.version == version]
    if not candidates:
        known = ", ".join(f"{t.id} {t.version}" for t in list_taxonomies(directory))
        wanted = f"{text!r}" + (f" version {version}" if version else "")
        raise UnknownClusterError(f"unknown taxonomy {wanted}; known: {known}")
    return max(candidates, key=lambda t: _version_key(t.version))


def store_taxonomy(taxonomy: Taxonomy, directory: str | Path | None = None, *, replace: bool = False) -> Path:
    """Write ``taxonomy`` as ``<id>-<version>.toml`` into the taxonomy directory, atomically; return the path.

    A built-in id cannot be reused, and an existing id and version is replaced only with ``replace``.
    """
    if taxonomy.id in BUILTIN:
        raise RegiolensError(f"{taxonomy.id!r} is a built-in taxonomy; give yours another id")
    folder = taxonomies_dir(directory)
    safe_version = re.sub(r"[^A-Za-z0-9.]+", "_", taxonomy.version)
    target = folder / f"{taxonomy.id}-{safe_version}.toml"
    clash = [t for t in _stored(folder) if t.id == taxonomy.id and t.version == taxonomy.version]
    if clash and not replace:
        raise RegiolensError(
            f"taxonomy {taxonomy.id!r} version {taxonomy.version} is already stored ({clash[0].path}); "
            "use replace to overwrite it"
        )
    text = to_toml(taxonomy)
    parse_toml(text, target)  # what we write must read back
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".taxonomy-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    for old in clash:
        if old.path and Path(old.path) != target:
            Path(old.path).unlink(missing_ok=True)
    os.replace(tmp, target)
    return target


def import_taxonomy(
    path: str | Path, directory: str | Path | None = None, *, replace: bool = False, **table_options: Any
) -> tuple[Taxonomy, Path]:
    """Read and check a taxonomy file (TOML, CSV or XLSX) and store it; returns it as stored, and where."""
    taxonomy = read_taxonomy_file(path, **table_options)
    target = store_taxonomy(taxonomy, directory, replace=replace)
    return read_toml(target), target
