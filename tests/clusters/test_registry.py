"""Built-in and stored taxonomies by id and version."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiolens.clusters import (
    UnknownClusterError,
    get_taxonomy,
    import_taxonomy,
    list_taxonomies,
    taxonomies_dir,
)
from regiolens.errors import RegiolensError

from .test_loaders import GOOD


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_only_the_builtin_without_stored_ones(tmp_path: Path) -> None:
    assert [t.id for t in list_taxonomies(tmp_path / "none")] == ["hannoverimpuls"]
    assert get_taxonomy("hannoverimpuls", version="1").builtin
    with pytest.raises(UnknownClusterError, match=r"version 1, not 2"):
        get_taxonomy("hannoverimpuls", version="2")


def test_import_stores_toml_and_versions_are_kept_apart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    tax, path = import_taxonomy(write(tmp_path, GOOD, "in.toml"), store)
    assert path == store / "logistik-2025.1.toml" and tax.path == str(path)
    with pytest.raises(RegiolensError, match=r"already stored"):
        import_taxonomy(write(tmp_path, GOOD, "in.toml"), store)
    import_taxonomy(write(tmp_path, GOOD, "in.toml"), store, replace=True)

    newer = GOOD.replace('version = "2025.1"', 'version = "2025.10"')
    import_taxonomy(write(tmp_path, newer, "newer.toml"), store)
    assert get_taxonomy("logistik", directory=store).version == "2025.10"  # 10 > 1, not as text
    assert get_taxonomy("logistik", "2025.1", directory=store).version == "2025.1"
    assert [(t.id, t.version) for t in list_taxonomies(store)] == [
        ("hannoverimpuls", "1"),
        ("logistik", "2025.10"),
        ("logistik", "2025.1"),
    ]
    with pytest.raises(UnknownClusterError, match=r"known: hannoverimpuls 1, logistik 2025\.10"):
        get_taxonomy("verkehr", directory=store)


def test_a_table_is_stored_as_toml_with_its_report(tmp_path: Path) -> None:
    table = write(tmp_path, "cluster,code,nonstandard\nA,52.10,\nA,52.99,true\n", "eigene.csv")
    tax, path = import_taxonomy(table, tmp_path / "store", classification="wz2008", version="3")
    assert path.name == "eigene-3.toml" and path.read_text(encoding="utf-8").startswith("schema = 1")
    assert [(s.kind, s.code, s.line) for s in tax.skipped] == [("nonstandard", "52.99", 3)]
    assert get_taxonomy(path).cluster_ids == ["a"]  # a path works as well as an id


def test_builtin_ids_cannot_be_reused(tmp_path: Path) -> None:
    text = GOOD.replace('id = "logistik"', 'id = "hannoverimpuls"')
    with pytest.raises(RegiolensError, match="built-in"):
        import_taxonomy(write(tmp_path, text, "in.toml"), tmp_path / "store")


def test_the_directory_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOLENS_TAXONOMIES", str(tmp_path / "env"))
    assert taxonomies_dir() == tmp_path / "env"
    monkeypatch.delenv("REGIOLENS_TAXONOMIES")
    assert taxonomies_dir().name == "taxonomies"
