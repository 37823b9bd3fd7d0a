"""Growth opportunities on the official data: every figure recomputed by hand from the raw panel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.results import Opportunities
from regiolens.classifications.section_groups import NON_OVERLAPPING, WZ2008_SECTION_GROUPS
from regiolens.cli import app
from regiolens.errors import RegiolensError
from regiolens.i18n import MINUS, format_share
from regiolens.metrics.complexity import eci_pci
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.panel import query_panel
from regiolens.warehouse.store import Warehouse
from tests.conftest import SHARED_DATA

runner = CliRunner()


def _panel(wh: Warehouse, years: list[int], group: str | None = None) -> tuple[list[str], np.ndarray]:
    sel = resolve_region(group) if group else None
    p = query_panel(
        wh.ibis,
        measure="employment",
        years=years,
        region_level="de:kreis",
        classification=WZ2008_SECTION_GROUPS,
        groups=[sel.group] if sel and sel.group else [],
        industries=list(NON_OVERLAPPING),
    )
    return list(p.regions), np.nan_to_num(p.values)


def _by_hand(x_universe: np.ndarray, x_target: np.ndarray) -> dict[str, np.ndarray]:
    """LQ, presence, proximity and density written out with loops (no regiolens metric involved)."""
    regions, industries = x_universe.shape
    total = x_universe.sum()
    col = x_universe.sum(axis=0)
    m = np.zeros((regions, industries), dtype=bool)
    for r in range(regions):
        row_total = x_universe[r].sum()
        for i in range(industries):
            m[r, i] = row_total > 0 and (x_universe[r, i] / row_total) / (col[i] / total) >= 1.0
    lq = (x_target / x_target.sum()) / (col / total)
    phi = np.zeros((industries, industries))
    for i in range(industries):
        for j in range(industries):
            both = np.sum(m[:, i] & m[:, j])
            larger = max(m[:, i].sum(), m[:, j].sum())
            phi[i, j] = both / larger if larger else 0.0
    present = lq >= 1.0
    density = np.array(
        [sum(present[j] * phi[j, i] for j in range(industries)) / phi[:, i].sum() for i in range(industries)]
    )
    return {"m": m, "lq": lq, "phi": phi, "present": present, "density": density}


@pytest.fixture(scope="module")
def emscher_lippe(loaded_warehouse: Path) -> Opportunities:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        return opportunities(wh, resolve_region("emscher-lippe"))


def test_density_lq_and_candidates_by_hand(emscher_lippe: Opportunities, loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        regions, x = _panel(wh, [2020], "emscher-lippe")
    universe = [r for r, c in enumerate(regions) if c != "emscher-lippe"]
    hand = _by_hand(x[0][universe], x[0][regions.index("emscher-lippe")])
    codes = list(NON_OVERLAPPING)
    o = emscher_lippe
    assert o.year == 2020 and o.base_year == 2015 and o.universe == f"{len(universe)} de:kreis"
    assert {c.code for c in o.opportunities} == {codes[i] for i in np.flatnonzero(~hand["present"])}
    assert {s.code for s in o.strengths} == {codes[i] for i in np.flatnonzero(hand["present"])}
    for row in [*o.opportunities, *o.strengths]:
        i = codes.index(row.code)
        assert row.lq == pytest.approx(hand["lq"][i], rel=1e-12)
        assert row.density == pytest.approx(hand["density"][i], rel=1e-12)
    for row in o.opportunities:
        i = codes.index(row.code)
        universe_density = hand["m"] @ hand["phi"][:, i] / hand["phi"][:, i].sum()
        assert row.density_percentile == pytest.approx(np.mean(universe_density < row.density - 1e-9), abs=1e-12)


def test_ranking_score_and_reasons(emscher_lippe: Opportunities) -> None:
    o = emscher_lippe
    scores = [c.score for c in o.opportunities]
    assert scores == sorted(scores, reverse=True)
    assert [c.rank for c in o.opportunities] == list(range(1, len(scores) + 1))
    for c in o.opportunities:
        assert sum(c.contributions.values()) == pytest.approx(c.score, abs=1e-12)
        assert c.lq is not None and c.lq < 1
        assert c.reason_de.startswith(("Dafür spricht", "Dagegen")) and c.reason_en.startswith(("For", "Against"))
        assert format_share(c.national_growth, locale="de_DE").replace("-", MINUS) in c.reason_de
        assert format_share(c.national_growth, locale="en_GB").replace("-", MINUS) in c.reason_en
    # the contributions are z-scores across the candidates: each indicator's contributions average to zero
    for k in ("density", "complexity", "growth"):
        assert np.mean([c.contributions[k] for c in o.opportunities]) == pytest.approx(0.0, abs=1e-12)


def test_national_growth_by_hand(emscher_lippe: Opportunities, loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        _, x = _panel(wh, [2015, 2020])
    both = (x[0].sum(axis=1) > 0) & (x[1].sum(axis=1) > 0)
    growth = x[1][both].sum(axis=0) / x[0][both].sum(axis=0) - 1
    for c in emscher_lippe.opportunities:
        assert c.national_growth == pytest.approx(growth[list(NON_OVERLAPPING).index(c.code)], rel=1e-12)


def test_strengths_at_risk(emscher_lippe: Opportunities, loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        regions, x = _panel(wh, [2015], "emscher-lippe")
    universe = [r for r, c in enumerate(regions) if c != "emscher-lippe"]
    lq_base = _by_hand(x[0][universe], x[0][regions.index("emscher-lippe")])["lq"]
    seen_risk = False
    for s in emscher_lippe.strengths:
        assert s.lq is not None and s.lq >= 1
        assert s.lq_base == pytest.approx(lq_base[list(NON_OVERLAPPING).index(s.code)], rel=1e-12)
        assert s.declining == (s.lq <= s.lq_base * 0.95)
        assert s.weakly_related == (s.density < s.density_median)
        assert s.at_risk == (s.declining or s.weakly_related)
        seen_risk |= s.at_risk
        assert ("gesunken" in s.reason_de) == s.declining and ("Schwach" in s.reason_de) == s.weakly_related
    assert seen_risk
    flags = [s.at_risk for s in emscher_lippe.strengths]
    assert flags == sorted(flags, reverse=True)  # at risk first


def test_eci_of_a_kreis_is_its_eci(loaded_warehouse: Path) -> None:
    """For a region of the universe, ECI = mean PCI over its industries is the eigenvector ECI itself."""
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        o = opportunities(wh, resolve_region("05562"))
        regions, x = _panel(wh, [2020])
    m = _by_hand(x[0], x[0][0])["m"]
    assert o.eci == pytest.approx(eci_pci(m).eci[regions.index("05562")], abs=1e-9)


def test_weights_rank_by_one_indicator(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        o = opportunities(wh, resolve_region("emscher-lippe"), weights={"density": 0, "complexity": 0}, n=3)
    growth = [c.national_growth for c in o.opportunities]
    assert len(growth) == 3 and growth == sorted(growth, reverse=True)
    assert all(set(c.contributions) == {"growth"} for c in o.opportunities)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": {"size": 1}}, "unknown indicator"),
        ({"weights": {"density": -1}}, "between 0 and"),
        ({"weights": {"density": 1e308}}, "between 0 and"),
        ({"weights": {"density": 0, "complexity": 0, "growth": 0}}, "positive"),
        ({"n": 0}, "at least 1"),
        ({"year": 2030}, "no data for 2030"),
    ],
)
def test_bad_arguments_are_errors(loaded_warehouse: Path, kwargs: dict, message: str) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh, pytest.raises(RegiolensError, match=message):
        opportunities(wh, resolve_region("emscher-lippe"), **kwargs)


def test_cli(loaded_warehouse: Path) -> None:
    args = ["opportunities", "emscher-lippe", "--warehouse", str(loaded_warehouse)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["region"]["name"] == "Emscher-Lippe" and doc["opportunities"][0]["rank"] == 1
    assert doc["strengths"] and all("reason_de" in s for s in doc["strengths"])
    csv = runner.invoke(app, [*args, "--format", "csv", "--n", "2"])
    assert csv.exit_code == 0, csv.output
    lines = csv.output.splitlines()
    assert lines[0].startswith("kind,rank,code") and sum(line.startswith("opportunity,") for line in lines) == 2
    table = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "Chancen für Emscher-Lippe" in table.output
    bad = runner.invoke(app, [*args, "--weights", "density"])
    assert bad.exit_code == 1 and "weights look like" in bad.output


@pytest.fixture(scope="module")
def michigan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = [SHARED_DATA / "us" / "cbp" / f"US-MI-census-naics6-counties-{y}.csv" for y in (2017, 2021)]
    if not all(f.exists() for f in files):
        pytest.skip("CBP county files not found")
    path = tmp_path_factory.mktemp("mi") / "warehouse.duckdb"
    with Warehouse.open(path) as wh:
        wh.import_files(files)
    return path


def test_clusters_on_naics_counties(michigan: Path) -> None:
    """Wayne County (Detroit) on 4-digit NAICS: the automotive cluster resolves and is a strength there."""
    with Warehouse.open(michigan, read_only=True) as wh:
        o = opportunities(
            wh, resolve_region("us:26163"), classification="naics2017", industry_level="industry_group", n=5
        )
    assert len(o.opportunities) == 5 and o.universe == "83 us:county"
    auto = next(c for c in o.clusters if c.cluster == "automotive")
    assert auto.status != "not_resolvable" and auto.lq is not None and auto.lq > 1  # Detroit
    assert auto.density is not None and 0 < auto.density <= 1
    assert auto.national_growth is not None
    assert all(0 <= c.density <= 1 for c in o.opportunities)
