"""`regiolens peers`: ranking, explanation, a hand check of one distance, weights, and a tiny exact case."""

from __future__ import annotations

import json
import math
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

EMSCHER_LIPPE = {"05562", "05512", "05513"}


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


def test_within_eu_is_not_implemented(loaded_warehouse: Path) -> None:
    result = CliRunner().invoke(app, ["peers", "emscher-lippe", "--within", "eu", "-w", str(loaded_warehouse)])
    assert result.exit_code == 1
    assert "NUTS-3 employment by industry" in result.output


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
