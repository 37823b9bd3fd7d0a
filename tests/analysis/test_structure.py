from __future__ import annotations

from pathlib import Path

import pytest

from regiolens.analysis.structure import structure
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.store import Warehouse
from tests.conftest import raw_genesis_rows


def test_emscher_lippe_and_hannover_structure_2020(loaded_warehouse: Path, genesis_files: list[Path]) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        s = structure(wh, [resolve_region("emscher-lippe"), resolve_region("region-hannover")])
    assert s.year == 2020
    assert [r.industry_code for r in s.rows] == ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
    raw = raw_genesis_rows(genesis_files[-1])
    j_by_hand = sum(int(r[3]) for r in raw if r[0] in {"05562", "05512", "05513"} and r[2].endswith("(J)"))
    j = next(r for r in s.rows if r.industry_code == "J")
    assert j.cells["emscher-lippe"].employment == j_by_hand == 3_745
    assert j.cells["region-hannover"].employment == 22_286
    for ref in ("emscher-lippe", "region-hannover", "Deutschland"):
        assert sum(r.cells[ref].share or 0 for r in s.rows) == pytest.approx(1.0)
    assert s.attribution == ["© Statistische Ämter des Bundes und der Länder, Deutschland, 2021"]
