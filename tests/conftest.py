"""Shared fixtures: the official data in ../shared/data and a warehouse loaded from it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from regiolens.warehouse.store import Warehouse

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GENESIS_DIR = SHARED_DATA / "de" / "regionalstatistik_13111-07-05-4"


@pytest.fixture(scope="session")
def genesis_files() -> list[Path]:
    files = sorted(GENESIS_DIR.glob("13111-07-05-4_*.csv"))
    if len(files) != 6:
        pytest.skip(f"official data not found in {GENESIS_DIR}")
    return files


@pytest.fixture(scope="session")
def loaded_warehouse(tmp_path_factory: pytest.TempPathFactory, genesis_files: list[Path]) -> Path:
    """A warehouse file holding the six official GENESIS files (read-only use in tests, please)."""
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    with Warehouse.open(path) as wh:
        wh.import_files(genesis_files)
    return path


def raw_genesis_rows(path: Path) -> list[list[str]]:
    """The data rows of a GENESIS file read with nothing but the csv module (for hand calculations)."""
    with path.open(encoding="iso-8859-1", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return [r for r in rows if len(r) == 9 and r[0] and r[2] and r[3]]


def warehouse_fingerprint(path: Path) -> tuple[object, ...]:
    """Counts and checksums of every table: equal fingerprints mean an unchanged warehouse."""
    with Warehouse.open(path, read_only=True) as wh:
        return tuple(
            wh.con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} t").fetchone()
            for table in ("sources", "observations", "regions", "geometries")
        )
