"""`regiolens peers`: ranking, explanation, hand checks of distances (German Kreise, EU NUTS-3 regions, population
and density), weights, translation of Kreise to NUTS-3, and a tiny exact case."""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from regiolens.analysis.peers import peers, standardised_distances
from regiolens.analysis.results import Peers
from regiolens.classifications.section_groups import NON_OVERLAPPING
from regiolens.cli import app
from regiolens.errors import RegiolensError
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse
from tests.conftest import SHARED_DATA

EMSCHER_LIPPE = {"05562", "05512", "05513"}
EMSCHER_LIPPE_NUTS = {"DEA36", "DEA31", "DEA32"}
EUROSTAT = SHARED_DATA / "eu" / "eurostat" / "nama_10r_3empers_2018.json"
BKG_REGISTRY = SHARED_DATA / "de" / "geo_bkg_vg5000_2021" / "kreise_ags_nuts3.csv"
DISTRICTS = SHARED_DATA / "de" / "population_area_2018" / "districts.csv"
EU_GROUPS = ["A", "B-E", "F", "G-J", "K-N", "O-U"]


@pytest.fixture(scope="module")
def peers_json(loaded_warehouse: Path) -> dict:
    result = CliRunner().invoke(
        app,
        ["peers", "emscher-lippe", "--n", "10", "-w", str(loaded_warehouse), "-f", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_peers_of_a_group(peers_json: dict) -> None:
    found = peers_json["peers"]
    assert len(found) == 10
    codes = [p["code"] for p in found]
    assert all(len(c) == 5 and c.isdigit() for c in codes)
    assert not set(codes) & EMSCHER_LIPPE
    assert len(set(codes)) == 10
    distances = [p["distance"] for p in found]
    assert distances == sorted(distances)
    assert [p["rank"] for p in found] == list(range(1, 11))
    for p in found:
        assert math.isclose(sum(i["contribution"] for i in p["indicators"]), 1.0, abs_tol=1e-9)
        assert p["reason_de"].startswith("Am ähnlichsten") and "der Distanz" in p["reason_de"]
        assert p["reason_en"].startswith("Most similar") and "of the distance" in p["reason_en"]
        names = [i["name"] for i in p["indicators"]]
        assert names == [f"structure:{c}" for c in NON_OVERLAPPING] + ["size", "growth"]
    assert peers_json["year"] == 2020 and peers_json["base_year"] == 2015
    assert peers_json["weights"] == {"structure": 1.0, "size": 1.0, "growth": 1.0}
    assert peers_json["sources"] and peers_json["notes"]


def test_distance_by_hand(peers_json: dict, loaded_warehouse: Path) -> None:
    """Recompute the first peer's distance from the raw panel with numpy only."""
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        p = query_panel(
            wh.ibis,
            measure="employment",
            years=[2015, 2020],
            region_level="de:kreis",
            classification="wz2008-sg",
            industries=list(NON_OVERLAPPING),
        )
    x0, x1 = np.nan_to_num(p.values[0]), np.nan_to_num(p.values[1])
    regions = list(p.regions)
    members = [regions.index(c) for c in sorted(EMSCHER_LIPPE)]
    t0, t1 = x0[members].sum(axis=0), x1[members].sum(axis=0)
    cand = [r for r, c in enumerate(regions) if c not in EMSCHER_LIPPE and x1[r].sum() > 0 and x0[r].sum() > 0]

    def columns(a0: np.ndarray, a1: np.ndarray) -> list[np.ndarray]:
        tot0, tot1 = a0.sum(axis=-1), a1.sum(axis=-1)
        return [a1 / tot1[..., None], np.log(tot1)[..., None], (tot1 / tot0 - 1)[..., None]]

    cand_cols, target_cols = columns(x0[cand], x1[cand]), columns(t0, t1)
    peer = cand.index(regions.index(peers_json["peers"][0]["code"]))
    total = 0.0
    for c, t in zip(cand_cols, target_cols, strict=True):
        mean, sd = c.mean(axis=0), c.std(axis=0)
        total += float(np.mean(((c[peer] - mean) / sd - (t - mean) / sd) ** 2))
    assert math.isclose(peers_json["peers"][0]["distance"], math.sqrt(total), rel_tol=1e-9)
    size = next(i for i in peers_json["peers"][0]["indicators"] if i["name"] == "size")
    assert size["target"] == t1.sum()
    assert size["peer"] == x1[regions.index(peers_json["peers"][0]["code"])].sum()


def test_size_weight_pulls_peers_to_similar_size(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        sel = resolve_region("emscher-lippe")
        loose = peers(wh, sel, 10, weights={"size": 0.0})
        tight = peers(wh, sel, 10, weights={"size": 20.0})

    def log_gap(result: Peers) -> float:
        gaps = [
            abs(math.log((i.peer or math.nan) / (i.target or math.nan)))
            for p in result.peers
            for i in p.indicators
            if i.name == "size"
        ]
        return float(np.mean(gaps))

    assert log_gap(tight) < log_gap(loose)
    assert [p.code for p in tight.peers] != [p.code for p in loose.peers]
    assert all(i.contribution == 0.0 for p in loose.peers for i in p.indicators if i.name == "size")


def test_single_region_excludes_itself(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        result = peers(wh, resolve_region("05562"), 5, indicators=["structure"])
    assert len(result.peers) == 5 and "05562" not in [p.code for p in result.peers]
    assert result.indicators == ["structure"]


def test_bad_weights_are_errors(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh, pytest.raises(RegiolensError, match="not selected"):
        peers(wh, resolve_region("emscher-lippe"), indicators=["structure"], weights={"size": 1.0})


def test_exact_distance_on_three_candidates() -> None:
    """Structure (2 columns) and size (1 column, weight 2): every z-score is a multiple of sqrt(1.5)."""
    candidates = {
        "structure": np.array([[0.2, 0.8], [0.4, 0.6], [0.6, 0.4]]),
        "size": np.array([[1.0], [2.0], [3.0]]),
    }
    target = {"structure": np.array([0.6, 0.4]), "size": np.array([2.0])}
    d = standardised_distances(target, candidates, {"structure": 1.0, "size": 2.0})
    # candidate 0: structure z-diffs 2·sqrt(1.5) in both columns → mean 6; size z-diff sqrt(1.5) → 2 · 1.5 = 3
    np.testing.assert_allclose(d.distance, [3.0, math.sqrt(1.5), math.sqrt(3.0)])
    np.testing.assert_allclose(d.parts["structure"][0], [3.0, 3.0])
    np.testing.assert_allclose(d.parts["size"][:, 0], [3.0, 0.0, 3.0])


# --------------------------------------------------------------------------------------------- within the EU


@pytest.fixture(scope="module")
def full_warehouse(loaded_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The GENESIS warehouse plus the BKG registry, districts.csv (population, area) and Eurostat NUTS-3 data."""
    for f in (EUROSTAT, BKG_REGISTRY, DISTRICTS):
        if not f.exists():
            pytest.skip(f"official data not found: {f}")
    path = tmp_path_factory.mktemp("peers") / "warehouse.duckdb"
    shutil.copy(loaded_warehouse, path)
    with Warehouse.open(path) as wh:
        wh.import_files([BKG_REGISTRY, DISTRICTS, EUROSTAT])
    return path


@pytest.fixture(scope="module")
def eu_peers(full_warehouse: Path) -> Peers:
    with Warehouse.open(full_warehouse, read_only=True) as wh:
        return peers(wh, resolve_region("emscher-lippe"), n=10, within="eu")


def eurostat_cells() -> dict[str, dict[str, float]]:
    """``geo → nace_r2 → value`` read with nothing but json (0 where only a status such as "C" is given)."""
    doc = json.loads(EUROSTAT.read_text(encoding="utf-8"))
    assert doc["id"] == ["freq", "unit", "wstatus", "nace_r2", "geo", "time"]
    assert doc["size"][:3] == [1, 1, 1] and doc["size"][5] == 1  # positions are nace_r2 × geo
    geo = {i: c for c, i in doc["dimension"]["geo"]["category"]["index"].items()}
    nace = {i: c for c, i in doc["dimension"]["nace_r2"]["category"]["index"].items()}
    cells: dict[str, dict[str, float]] = {}
    for key in set(doc["value"]) | set(doc.get("status", {})):
        i, g = divmod(int(key), len(geo))
        cells.setdefault(geo[g], {})[nace[i]] = float(doc["value"].get(key) or 0.0)
    return cells


def test_peers_within_eu_of_emscher_lippe(eu_peers: Peers) -> None:
    found = eu_peers.peers
    codes = [p.code for p in found]
    assert len(found) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}", c) for c in codes)
    assert not all(c.startswith("DE") for c in codes)
    assert not set(codes) & EMSCHER_LIPPE_NUTS
    assert [p.rank for p in found] == list(range(1, 11))
    assert [p.distance for p in found] == sorted(p.distance for p in found)
    for p in found:
        assert [i.name for i in p.indicators] == [f"structure:{c}" for c in EU_GROUPS] + ["size"]
        assert math.isclose(sum(i.contribution for i in p.indicators), 1.0, abs_tol=1e-9)
        assert p.reason_de.startswith("Am ähnlichsten") and "Erwerbstätige" in p.reason_de
        assert p.reason_en.startswith("Most similar") and "persons employed" in p.reason_en
        assert p.name and p.name != p.code
    assert (eu_peers.within, eu_peers.region_level, eu_peers.year, eu_peers.base_year) == ("eu", "nuts3", 2018, None)
    assert eu_peers.indicators == ["structure", "size"]  # growth left out: one year only
    assert any("Wachstum entfällt" in n and "2018" in n for n in eu_peers.notes)
    assert any("DEA36 + DEA31 + DEA32" in n for n in eu_peers.notes)
    assert [s.publisher for s in eu_peers.sources] == ["Eurostat"]


def test_eu_distances_by_hand(eu_peers: Peers) -> None:
    """Rank every NUTS-3 region from the JSON-stat file with json and numpy only; the top ten must agree."""
    cells = eurostat_cells()
    target = np.array([sum(cells[m][g] for m in EMSCHER_LIPPE_NUTS) for g in EU_GROUPS])
    codes = sorted(
        c
        for c, v in cells.items()
        if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}", c)
        and set(c[2:]) != {"Z"}
        and c not in EMSCHER_LIPPE_NUTS
        and all(g in v for g in EU_GROUPS)
    )
    x = np.array([[cells[c][g] for g in EU_GROUPS] for c in codes])

    def columns(a: np.ndarray) -> list[np.ndarray]:
        total = a.sum(axis=-1)
        return [a / total[..., None], np.log(total)[..., None]]

    total = np.zeros(len(codes))
    for c, t in zip(columns(x), columns(target), strict=True):
        mean, sd = c.mean(axis=0), c.std(axis=0)
        total += np.mean(((c - mean) / sd - (t - mean) / sd) ** 2, axis=1)
    distance = np.sqrt(total)
    order = np.argsort(distance)[:10]
    assert [p.code for p in eu_peers.peers] == [codes[i] for i in order]
    np.testing.assert_allclose([p.distance for p in eu_peers.peers], distance[order], rtol=1e-9)
    first = eu_peers.peers[0]
    size = next(i for i in first.indicators if i.name == "size")
    assert math.isclose(size.target or 0, target.sum() * 1000, rel_tol=1e-12)  # thousands → persons
    assert math.isclose(size.peer or 0, x[order[0]].sum() * 1000, rel_tol=1e-12)
    assert f"{len(codes)} Kandidaten (nuts3)" in eu_peers.notes[0]


def test_a_kreis_and_its_nuts_code_give_the_same_eu_peers(full_warehouse: Path) -> None:
    with Warehouse.open(full_warehouse, read_only=True) as wh:
        by_ags = peers(wh, resolve_region("05562"), 5, within="eu")
        by_nuts = peers(wh, resolve_region("nuts:DEA36"), 5, within="eu")
        back_home = peers(wh, resolve_region("nuts:DEA36"), 5, indicators=["structure", "size"])
        at_home = peers(wh, resolve_region("05562"), 5, indicators=["structure", "size"])
    assert [(p.code, p.distance) for p in by_ags.peers] == [(p.code, p.distance) for p in by_nuts.peers]
    assert "DEA36" not in [p.code for p in by_ags.peers]
    assert [(p.code, p.distance) for p in back_home.peers] == [(p.code, p.distance) for p in at_home.peers]
    assert back_home.region_level == "de:kreis" and "05562" not in [p.code for p in back_home.peers]


def test_growth_within_eu_only_on_request_is_an_error(full_warehouse: Path) -> None:
    sel = resolve_region("emscher-lippe")
    with Warehouse.open(full_warehouse, read_only=True) as wh:
        with pytest.raises(RegiolensError, match="growth needs two years"):
            peers(wh, sel, within="eu", indicators=["structure", "growth"])
        with pytest.raises(RegiolensError, match="only 2018"):
            peers(wh, sel, within="eu", base_year=2015)
        with pytest.raises(RegiolensError, match="population is not in the warehouse for nuts3"):
            peers(wh, sel, within="eu", indicators=["structure", "population"])
        with pytest.raises(RegiolensError, match="not de:land"):
            peers(wh, resolve_region("05"), within="eu")
        with pytest.raises(RegiolensError, match="unknown --within"):
            peers(wh, sel, within="world")


def test_within_eu_needs_the_nuts_codes_of_the_kreise(loaded_warehouse: Path) -> None:
    """GENESIS alone names no NUTS codes: the error says which file carries them."""
    with Warehouse.open(loaded_warehouse, read_only=True) as wh, pytest.raises(RegiolensError, match="BKG registry"):
        peers(wh, resolve_region("emscher-lippe"), within="eu")


def test_cli_within_eu(full_warehouse: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["peers", "emscher-lippe", "--n", "10", "--within", "eu", "-w", str(full_warehouse), "-f", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["peers"]) == 10 and doc["within"] == "eu" and doc["base_year"] is None
    assert not {p["code"] for p in doc["peers"]} & EMSCHER_LIPPE_NUTS
    table = CliRunner().invoke(
        app, ["peers", "emscher-lippe", "-n", "3", "--within", "eu", "-w", str(full_warehouse)], env={"COLUMNS": "300"}
    )
    assert table.exit_code == 0, table.output
    assert "Vergleichsregionen für Emscher-Lippe (nuts3, 2018)" in table.output
    assert "Source: Eurostat" in table.output
    bad = CliRunner().invoke(
        app, ["peers", "emscher-lippe", "--within", "eu", "-i", "structure,growth", "-w", str(full_warehouse)]
    )
    assert bad.exit_code == 1 and "growth needs two years" in bad.output


# --------------------------------------------------------------------------------------------- population, density


def districts() -> dict[str, tuple[float, float]]:
    """AGS → (population, area in km²) read with the csv module."""
    with DISTRICTS.open(encoding="utf-8", newline="") as fh:
        return {r["AGS"]: (float(r["population"]), float(r["area_km2"])) for r in csv.DictReader(fh, delimiter=";")}


def test_density_joins_the_defaults_when_the_warehouse_has_it(full_warehouse: Path, loaded_warehouse: Path) -> None:
    with Warehouse.open(full_warehouse, read_only=True) as wh:
        with_density = peers(wh, resolve_region("emscher-lippe"), 5)
    assert with_density.indicators == ["structure", "size", "growth", "density"]
    assert not any("nicht vor" in n for n in with_density.notes)
    assert any("Dichte: Logarithmus der Einwohner (2018) je km² (2018)" in n for n in with_density.notes)
    assert any("landkreise-deutschland" in s.attribution for s in with_density.sources)
    pop = districts()
    density = next(i for i in with_density.peers[0].indicators if i.name == "density")
    assert math.isclose(
        density.target or 0,
        sum(pop[m][0] for m in EMSCHER_LIPPE) / sum(pop[m][1] for m in EMSCHER_LIPPE),  # summed, then divided
        rel_tol=1e-12,
    )
    assert math.isclose(density.peer or 0, pop[with_density.peers[0].code][0] / pop[with_density.peers[0].code][1])
    assert "je km²" in with_density.peers[0].reason_de and "per km²" in with_density.peers[0].reason_en
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        without = peers(wh, resolve_region("emscher-lippe"), 5)
        with pytest.raises(RegiolensError, match="density is not in the warehouse"):
            peers(wh, resolve_region("emscher-lippe"), 5, indicators=["structure", "density"])
    assert without.indicators == ["structure", "size", "growth"]
    assert any(
        "Bevölkerung und Bevölkerungsdichte liegen im Warehouse für de:kreis nicht vor" in n for n in without.notes
    )


def test_population_and_density_distance_by_hand(full_warehouse: Path) -> None:
    """All five indicators for Emscher-Lippe, recomputed from the panel and districts.csv with numpy."""
    chosen = ["structure", "size", "growth", "population", "density"]
    with Warehouse.open(full_warehouse, read_only=True) as wh:
        result = peers(wh, resolve_region("emscher-lippe"), 10, indicators=chosen, weights={"density": 2.0})
        p = query_panel(
            wh.ibis,
            measure="employment",
            years=[2015, 2020],
            region_level="de:kreis",
            classification="wz2008-sg",
            industries=list(NON_OVERLAPPING),
        )
    pop = districts()
    x0, x1 = np.nan_to_num(p.values[0]), np.nan_to_num(p.values[1])
    regions = list(p.regions)
    members = [regions.index(c) for c in sorted(EMSCHER_LIPPE)]
    cand = [r for r, c in enumerate(regions) if c not in EMSCHER_LIPPE]
    people = np.array([pop[c][0] for c in regions])
    area = np.array([pop[c][1] for c in regions])

    def columns(a0: np.ndarray, a1: np.ndarray, n: np.ndarray, km2: np.ndarray) -> list[np.ndarray]:
        tot0, tot1 = a0.sum(axis=-1), a1.sum(axis=-1)
        return [
            a1 / tot1[..., None],
            np.log(tot1)[..., None],
            (tot1 / tot0 - 1)[..., None],
            np.log(n)[..., None],
            np.log(n / km2)[..., None],
        ]

    cand_cols = columns(x0[cand], x1[cand], people[cand], area[cand])
    target_cols = columns(x0[members].sum(axis=0), x1[members].sum(axis=0), people[members].sum(), area[members].sum())
    total = np.zeros(len(cand))
    for k, c, t in zip(chosen, cand_cols, target_cols, strict=True):
        mean, sd = c.mean(axis=0), c.std(axis=0)
        total += (2.0 if k == "density" else 1.0) * np.mean(((c - mean) / sd - (t - mean) / sd) ** 2, axis=1)
    distance = np.sqrt(total)
    order = np.argsort(distance)[:10]
    assert [q.code for q in result.peers] == [regions[cand[i]] for i in order]
    np.testing.assert_allclose([q.distance for q in result.peers], distance[order], rtol=1e-9)
    first = result.peers[0]
    assert [i.name for i in first.indicators][-3:] == ["growth", "population", "density"]
    population = next(i for i in first.indicators if i.name == "population")
    assert population.target == people[members].sum() and population.peer == pop[first.code][0]
    assert "Bevölkerung (" in first.reason_de and "population (" in first.reason_en
