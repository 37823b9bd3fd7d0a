"""Imports are atomic, idempotent, replace corrected files, and keep provenance."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from regiolens.errors import InputError
from regiolens.warehouse.store import Warehouse
from tests.conftest import warehouse_fingerprint


@pytest.fixture
def warehouse_copy(loaded_warehouse: Path, tmp_path: Path) -> Path:
    path = tmp_path / "wh.duckdb"
    shutil.copy(loaded_warehouse, path)
    return path


def test_six_years_loaded(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        years = [y for (y,) in wh.con.execute("SELECT DISTINCT year FROM observations ORDER BY 1").fetchall()]
        total = wh.con.execute(
            "SELECT value FROM observations WHERE region_code='DG' AND industry_code='TOTAL'"
            " AND measure='employment' AND year=2018"
        ).fetchone()
        sources = wh.sources()
    assert years == [2015, 2016, 2017, 2018, 2019, 2020]
    assert total == (32_870_228.0,)
    assert len(sources) == 6
    assert set(sources.licence) == {"Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"}


def test_reimport_changes_nothing(warehouse_copy: Path, genesis_files: list[Path]) -> None:
    before = warehouse_fingerprint(warehouse_copy)
    with Warehouse.open(warehouse_copy) as wh:
        results = wh.import_files(genesis_files)
    assert {r.status for r in results} == {"unchanged"}
    assert warehouse_fingerprint(warehouse_copy) == before


def test_corrected_file_replaces_earlier_version(
    warehouse_copy: Path, genesis_files: list[Path], tmp_path: Path
) -> None:
    data = genesis_files[3].read_bytes().replace(b"Insgesamt;32870228;", b"Insgesamt;32870229;")
    corrected = tmp_path / genesis_files[3].name
    corrected.write_bytes(data)
    with Warehouse.open(warehouse_copy) as wh:
        n_before = wh.con.execute("SELECT count(*) FROM observations").fetchone()
        (result,) = wh.import_files([corrected])
        value = wh.con.execute(
            "SELECT value FROM observations WHERE region_code='DG' AND industry_code='TOTAL'"
            " AND measure='employment' AND year=2018"
        ).fetchall()
        n_after = wh.con.execute("SELECT count(*) FROM observations").fetchone()
        n_sources = len(wh.sources())
    assert result.status == "replaced"
    assert value == [(32_870_229.0,)]
    assert n_after == n_before
    assert n_sources == 6


def test_failed_batch_leaves_warehouse_unchanged(
    warehouse_copy: Path, genesis_files: list[Path], tmp_path: Path
) -> None:
    """A good corrected file and a broken file in one import: nothing of either is stored."""
    good = tmp_path / "good.csv"
    good.write_bytes(genesis_files[4].read_bytes().replace(b";Insgesamt;", b";Insgesamt;1", 1))
    broken = tmp_path / "broken.csv"
    broken.write_bytes(genesis_files[5].read_bytes()[:200_000])
    before = warehouse_fingerprint(warehouse_copy)
    with Warehouse.open(warehouse_copy) as wh, pytest.raises(InputError) as exc:
        wh.import_files([good, broken])
    assert exc.value.path == str(broken)
    assert warehouse_fingerprint(warehouse_copy) == before


def test_failure_while_writing_rolls_back(warehouse_copy: Path, genesis_files: list[Path], tmp_path: Path) -> None:
    """An error inside the transaction (after some rows are written) undoes everything."""
    from regiolens.ingest import read_source

    first = read_source(genesis_files[0])
    second = read_source(genesis_files[1])
    first.info = replace(first.info, dataset_key="test:new", sha256="0" * 64)
    second.info = replace(second.info, sha256="1" * 64)  # a "corrected" version: replaces source 2 ...
    second.observations = second.observations.assign(flag=None)  # NOT NULL violation at insert time
    before = warehouse_fingerprint(warehouse_copy)
    with Warehouse.open(warehouse_copy) as wh, pytest.raises(Exception):  # noqa: B017 - any database error
        _store_all(wh, [first, second])
    assert warehouse_fingerprint(warehouse_copy) == before


def _store_all(wh: Warehouse, parsed: list) -> None:
    """Bypass validation so that the database itself rejects the second source mid-transaction."""
    import regiolens.warehouse.store as store

    original = store.validate
    store.validate = lambda *a, **k: None
    try:
        wh.import_parsed(parsed)
    finally:
        store.validate = original


def test_read_only_refuses_imports(loaded_warehouse: Path, genesis_files: list[Path]) -> None:
    from regiolens.errors import RegiolensError

    with Warehouse.open(loaded_warehouse, read_only=True) as wh, pytest.raises(RegiolensError):
        wh.import_files(genesis_files[:1])


def test_location_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from regiolens.config import warehouse_path

    monkeypatch.setenv("REGIOLENS_WAREHOUSE", str(tmp_path / "env.duckdb"))
    assert warehouse_path() == tmp_path / "env.duckdb"
    assert warehouse_path(tmp_path / "flag.duckdb") == tmp_path / "flag.duckdb"
    monkeypatch.delenv("REGIOLENS_WAREHOUSE")
    assert warehouse_path().name == "warehouse.duckdb"


def _corrupt(data: bytes, case: str) -> bytes:
    lines = data.split(b"\n")
    if case == "truncated":
        return data[: len(data) // 2]
    if case == "wrong encoding":
        return data.decode("iso-8859-1").encode("utf-16")
    fields = lines[40].split(b";")
    if case == "missing column":
        fields = fields[:-1]
    elif case == "unknown region code (form)":
        fields[0] = b"0599X"
    elif case == "unknown region code (registry)":
        fields[0] = b"05999"  # an AGS of the right form that no Kreis has
    elif case == "non-numeric cell":
        fields[4] = b"12a"
    lines[40] = b";".join(fields)
    return b"\n".join(lines)


@pytest.mark.parametrize(
    ("case", "line", "field"),
    [
        ("truncated", None, "region name"),
        ("wrong encoding", 1, "encoding"),
        ("missing column", 41, "Ausländer(innen)/weiblich"),
        ("unknown region code (form)", 41, "region code"),
        ("unknown region code (registry)", 41, "region code"),
        ("non-numeric cell", 41, "Insgesamt/männlich"),
    ],
)
def test_broken_input_names_file_line_field_and_changes_nothing(
    warehouse_copy: Path, genesis_files: list[Path], tmp_path: Path, case: str, line: int | None, field: str | None
) -> None:
    from tests.conftest import SHARED_DATA

    with Warehouse.open(warehouse_copy) as wh:  # a registry makes unknown-but-well-formed codes detectable
        wh.import_files([SHARED_DATA / "de" / "geo_bkg_vg5000_2021" / "kreise_ags_nuts3.csv"])
    broken = tmp_path / f"{case.replace(' ', '_')}.csv"
    broken.write_bytes(_corrupt(genesis_files[2].read_bytes(), case))
    before = warehouse_fingerprint(warehouse_copy)
    with Warehouse.open(warehouse_copy) as wh, pytest.raises(InputError) as exc:
        wh.import_files([genesis_files[0], broken], source="genesis")
    assert exc.value.path == str(broken)
    if line is None:
        assert exc.value.line is not None and "truncated" in exc.value.message
    else:
        assert exc.value.line == line
    assert exc.value.field == field
    assert warehouse_fingerprint(warehouse_copy) == before


def test_geometries_for_a_map(tmp_path: Path) -> None:
    from regiolens.regions.geometry import feature_collection, is_clockwise
    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / "de" / "geo_bkg_vg5000_2021" / "Ebene_Kreise_vg5000_2021.geojson"
    with Warehouse.open(tmp_path / "geo.duckdb") as wh:
        wh.import_files([path])
        rows = wh.geometries("de:kreis")
    assert len(rows) == 401
    assert set(rows.attribution) == {"© GeoBasis-DE / BKG 2021"}
    fc = feature_collection(rows)
    feature = next(f for f in fc["features"] if f["id"] == "de:kreis:05562")
    assert feature["properties"]["name"] == "Recklinghausen"
    ring = feature["geometry"]["coordinates"][0]
    if feature["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    assert is_clockwise(ring)
