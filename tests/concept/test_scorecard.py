"""The focus-cluster scorecard: a ranking checked by hand, reasons in both languages, the evidence fingerprint, and
on the official data the proof that every figure is the profile's or the opportunities' figure."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regiolens.analysis.opportunities import _num, opportunities
from regiolens.analysis.profile import profile
from regiolens.analysis.results import RegionRef, SourceRef
from regiolens.cli import app
from regiolens.clusters.model import Taxonomy
from regiolens.clusters.tomlfile import parse_toml
from regiolens.concept.scorecard import (
    ClusterEvidence,
    Scorecard,
    compare_scorecards,
    evidence_fingerprint,
    rank_clusters,
    scorecard,
)
from regiolens.errors import RegiolensError
from regiolens.i18n import MINUS
from regiolens.plain import jsonable
from regiolens.regions.resolve import RegionSelection, resolve_region
from regiolens.warehouse.store import Warehouse

runner = CliRunner()

NETWORK_TOML = """
schema = 1
[taxonomy]
id = "el-network"
version = "1"
name_de = "Netzwerk Emscher-Lippe"
classification = "wz2008"

[clusters.ict]
name_de = "IKT und Medien"
name_en = "ICT and media"
[[clusters.ict.wz2008]]
code = "J"

[clusters.public]
name_de = "Öffentliche Dienste, Bildung, Gesundheit"
name_en = "Public services, education, health"
[[clusters.public.wz2008]]
code = "O"
[[clusters.public.wz2008]]
code = "P"
[[clusters.public.wz2008]]
code = "Q"

[clusters.logistics]
name_de = "Handel, Logistik, Gastgewerbe"
name_en = "Trade, logistics, hospitality"
[[clusters.logistics.wz2008]]
code = "G"
[[clusters.logistics.wz2008]]
code = "H"
[[clusters.logistics.wz2008]]
code = "I"

[clusters.finance]
name_de = "Finanzen"
name_en = "Finance"
[[clusters.finance.wz2008]]
code = "K"
"""


def _evidence(cluster: str, **figures: float | None) -> ClusterEvidence:
    return ClusterEvidence("mini 1", cluster, cluster.upper(), cluster, "exact", "exakt", "exact", **figures)


# A leads in strength, C in dynamics and potential, B sits in the middle of everything.
HAND = [
    _evidence("a", lq=2.0, employment=300, growth=-0.1, regional=-50, density=0.1, pci=-1.0, opportunity_gain=0.0),
    _evidence("b", lq=1.0, employment=200, growth=0.0, regional=0, density=0.5, pci=0.0, opportunity_gain=0.5),
    _evidence("c", lq=0.5, employment=100, growth=0.1, regional=50, density=0.9, pci=1.0, opportunity_gain=1.0),
]


def test_ranking_by_hand() -> None:
    """Centred ranks of 3 values are −½, 0, +½; each dimension averages its indicators' ranks.
    Weights 1: A = (½ − ½ − ½)/3 = −1/6, B = 0, C = +1/6 → C, B, A."""
    rows = rank_clusters(HAND, period="2015–2020")
    assert [r.evidence.cluster for r in rows] == ["c", "b", "a"]
    assert [r.score for r in rows] == pytest.approx([1 / 6, 0.0, -1 / 6])
    assert rows[0].contributions == pytest.approx({"strength": -1 / 6, "dynamics": 1 / 6, "potential": 1 / 6})
    assert all(sum(r.contributions.values()) == pytest.approx(r.score) for r in rows)


def test_weights_change_the_order() -> None:
    """strength=3: A = (3·½ − ½ − ½)/5 = +0.1, B = 0, C = −0.1 → A, B, C; strength alone: the LQ order."""
    rows = rank_clusters(HAND, {"strength": 3})
    assert [r.evidence.cluster for r in rows] == ["a", "b", "c"]
    assert [r.score for r in rows] == pytest.approx([0.1, 0.0, -0.1])
    only = rank_clusters(HAND, {"strength": 1, "dynamics": 0, "potential": 0})
    assert [r.evidence.cluster for r in only] == ["a", "b", "c"]
    assert set(only[0].contributions) == {"strength"}


def test_a_missing_figure_counts_as_the_median() -> None:
    """D lacks every dynamics figure: its dynamics rank is 0, not the lowest."""
    d = _evidence("d", lq=3.0, employment=400, density=0.0, pci=-2.0, opportunity_gain=-1.0)
    rows = rank_clusters([*HAND, d], {"strength": 0, "dynamics": 1, "potential": 0})
    assert {r.evidence.cluster: r.score for r in rows}["d"] == pytest.approx(0.0)
    assert [r.evidence.cluster for r in rows] == ["c", "d", "b", "a"]  # ties: higher LQ first


def test_bad_weights_are_errors() -> None:
    with pytest.raises(RegiolensError, match="unknown indicator"):
        rank_clusters(HAND, {"size": 1})
    with pytest.raises(RegiolensError, match="at least one weight"):
        rank_clusters(HAND, {"strength": 0, "dynamics": 0, "potential": 0})


def test_reasons_in_both_languages() -> None:
    a = replace(HAND[0], strength_class="strong", share=0.125, peers_strong=["Essen"], initiatives=["hannoverimpuls"])
    rows = rank_clusters([a, *HAND[1:]], {"strength": 3}, period="2015–2020")
    de, en = rows[0].reason_de, rows[0].reason_en
    assert de.startswith("Rang 1 von 3 (Punktwert +0,10): Stärke: LQ 2,00 (stark), 300 Beschäftigte (12,5 %)")
    assert f"Wachstum {MINUS}10,0 % 2015–2020, Standortkomponente {MINUS}50" in de
    assert "Dafür spricht: Stärke; dagegen: Dynamik, Potenzial." in de
    assert de.endswith("Stark auch in: Essen. Initiativen: hannoverimpuls.")
    assert en.startswith("Rank 1 of 3 (score +0.10): strength: LQ 2.00 (strong), 300 employees (12.5 %)")
    assert f"growth {MINUS}10.0 % 2015–2020, competitive component {MINUS}50" in en
    assert "For: strength; against: dynamics, potential." in en
    assert en.endswith("Also strong in: Essen. Initiatives: hannoverimpuls.")


SOURCES = [
    SourceRef("genesis:x:2019", "Destatis", "dl-de/by-2-0", "© Destatis", "2021-08-17"),
    SourceRef("genesis:x:2020", "Destatis", "dl-de/by-2-0", "© Destatis", "2021-08-17"),
]
PARAMETERS = {"region": "emscher-lippe", "year": 2020, "base_year": 2015, "taxonomies": ["abc"]}


def test_fingerprint_follows_vintage_and_parameters_only() -> None:
    fp = evidence_fingerprint(SOURCES, PARAMETERS)
    assert fp == evidence_fingerprint(list(reversed(SOURCES)), dict(reversed(PARAMETERS.items())))
    assert len(fp) == 64
    newer = [SOURCES[0], replace(SOURCES[1], vintage="2022-03-01")]
    assert evidence_fingerprint(newer, PARAMETERS) != fp
    assert evidence_fingerprint([*SOURCES, replace(SOURCES[1], dataset_key="genesis:x:2021")], PARAMETERS) != fp
    assert evidence_fingerprint(SOURCES, {**PARAMETERS, "year": 2019}) != fp
    assert evidence_fingerprint(SOURCES, {**PARAMETERS, "taxonomies": ["abd"]}) != fp


# ------------------------------------------------------------------ the official data
@pytest.fixture(scope="module")
def network() -> Taxonomy:
    return parse_toml(NETWORK_TOML, Path("el-network.toml"))


@pytest.fixture(scope="module")
def emscher_lippe(loaded_warehouse: Path, network: Taxonomy) -> Scorecard:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        return scorecard(
            wh,
            "emscher-lippe",
            extra_taxonomies=[network],
            peers=3,
            initiatives=[("hannoverimpuls", ["hannoverimpuls:automotive", "ict"]), ("Ruhr IT", ["el-network:ict"])],
        )


def test_one_code_path(emscher_lippe: Scorecard, loaded_warehouse: Path, network: Taxonomy) -> None:
    """Every figure is the profile's (strength, dynamics) or the opportunities' (potential) for the same cluster."""
    region = resolve_region("emscher-lippe")
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        prof = profile(wh, region, 2020, 2015, taxonomy=network)
        outlook = opportunities(wh, region, year=2020, base_year=2015, taxonomy=network)
    figures = {c.cluster: c.figures for c in prof.clusters}
    potential = {c.cluster: c for c in outlook.clusters}
    rows = {r.evidence.cluster: r.evidence for r in emscher_lippe.rows}
    assert set(rows) == {"ict", "public", "logistics", "finance"}
    for cluster, e in rows.items():
        f = figures[cluster]
        assert f is not None
        assert (e.lq, e.employment, e.share, e.growth, e.regional) == (
            f.lq,
            f.employment,
            f.share,
            f.growth,
            f.regional,
        )
        assert e.strength_class == ("strong" if f.strong else "specialised" if (f.lq or 0) >= 1 else "below")
        o = potential[cluster]
        assert (e.density, e.pci, e.opportunity_gain) == (o.density, o.pci, o.opportunity_gain)
    # the ICT cluster is exactly section J: its figures are section J's in the same analyses
    j = next(i for i in prof.industries if i.code == "J")
    assert rows["ict"].lq == pytest.approx(j.lq, rel=1e-12)
    assert rows["ict"].employment == j.employment and rows["ict"].growth == pytest.approx(j.growth, rel=1e-12)
    # and the clusters that are exactly one section (ICT = J, finance = K) have its density, PCI and gain
    for cluster, code in (("ict", "J"), ("finance", "K")):
        industry = next(o for o in outlook.opportunities if o.code == code)
        assert (rows[cluster].density, rows[cluster].pci, rows[cluster].opportunity_gain) == pytest.approx(
            (industry.density, industry.pci, industry.opportunity_gain), rel=1e-9
        )
    assert emscher_lippe.year == 2020 and emscher_lippe.base_year == 2015 and emscher_lippe.vintage == "2020"


def test_scorecard_on_official_data(emscher_lippe: Scorecard, loaded_warehouse: Path, network: Taxonomy) -> None:
    sc = emscher_lippe
    assert [r.rank for r in sc.rows] == [1, 2, 3, 4]
    assert [r.score for r in sc.rows] == sorted((r.score for r in sc.rows), reverse=True)
    assert {e.cluster for e in sc.unresolved} == {"automotive", "medtech", "photonics", "production", "ict"}
    assert all(e.taxonomy.startswith("hannoverimpuls") and e.resolution_de for e in sc.unresolved)
    hi_ict = next(e for e in sc.unresolved if e.cluster == "ict")
    assert hi_ict.initiatives == ["hannoverimpuls"]
    ict = next(r.evidence for r in sc.rows if r.evidence.cluster == "ict")
    assert ict.initiatives == ["hannoverimpuls", "Ruhr IT"]
    assert len(sc.peers) == 3
    assert sc.sources and all(s.vintage for s in sc.sources)
    assert sc.notes[0].startswith("4 Cluster bewertet") and sc.notes_en[0].startswith("4 clusters rated")
    # peers are named where their own profile calls the cluster strong
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        from regiolens.analysis.peers import peers

        first = peers(wh, resolve_region("emscher-lippe"), n=3).peers[0]
        own = profile(wh, RegionSelection(first.code, resolve_region(first.code).level, first.code), taxonomy=network)
    strong = {c.cluster for c in own.clusters if c.figures is not None and c.figures.strong}
    assert {r.evidence.cluster for r in sc.rows if first.name in r.evidence.peers_strong} == strong
    json.dumps(jsonable(sc))  # serialisable


def test_newer_data_change_the_fingerprint(loaded_warehouse: Path, network: Taxonomy) -> None:
    """Same evidence, other weights: same fingerprint, other ranking; another year: other fingerprint and changes."""
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        old = scorecard(wh, "emscher-lippe", taxonomies=(), extra_taxonomies=[network], peers=0, year=2019)
        reweighted = scorecard(
            wh, "emscher-lippe", taxonomies=(), extra_taxonomies=[network], peers=0, year=2019, weights={"potential": 5}
        )
        new = scorecard(wh, "emscher-lippe", taxonomies=(), extra_taxonomies=[network], peers=0)
    assert reweighted.fingerprint == old.fingerprint
    assert new.fingerprint != old.fingerprint and new.vintage == "2020" and old.vintage == "2019"
    assert compare_scorecards(old, old) == []
    changes = compare_scorecards(old, new)
    assert {c.key for c in changes} == {f"el-network:{c}" for c in ("ict", "public", "logistics", "finance")}
    for c in changes:
        was = next(r.evidence for r in old.rows if r.evidence.key == c.key)
        assert c.kind == "changed" and c.figures["lq"] == [
            was.lq,
            next(r.evidence.lq for r in new.rows if r.evidence.key == c.key),
        ]
        assert c.text_de.startswith(f"{c.name_de} (2019 → 2020): Rang") and c.text_en.startswith(f"{c.name_en} (2019")
        lq = [_num(v, "de") for v in c.figures["lq"]]
        assert f"; LQ {lq[0]} → {lq[1]}" in c.text_de and "; Beschäftigte " in c.text_de and "; employees " in c.text_en
    moved = compare_scorecards(old, reweighted)
    assert moved and all(c.figures == {} and c.old_rank != c.new_rank for c in moved)


def test_added_and_removed_clusters() -> None:
    rows = rank_clusters(HAND)
    old = Scorecard(
        region=RegionRef("mini", "Mini", "group", []),
        year=2020,
        base_year=2015,
        measure="employment",
        classification="wz2008-sg",
        preset="lq>=1.25",
        weights={},
        rows=rows,
        unresolved=[],
        peers=[],
        sources=[],
        vintage="2020",
        fingerprint="x",
    )
    new = replace(old, rows=rank_clusters([*HAND[:2], _evidence("e", lq=1.5)]))
    kinds = {c.key: c.kind for c in compare_scorecards(old, new)}
    assert kinds["mini:e"] == "added" and kinds["mini:c"] == "removed"


def test_errors(loaded_warehouse: Path) -> None:
    with Warehouse.open(loaded_warehouse, read_only=True) as wh:
        with pytest.raises(RegiolensError, match="at least one cluster taxonomy"):
            scorecard(wh, "emscher-lippe", taxonomies=(), peers=0)
        with pytest.raises(RegiolensError, match="peers"):
            scorecard(wh, "emscher-lippe", peers=-1)


def test_cli(loaded_warehouse: Path, tmp_path: Path) -> None:
    path = tmp_path / "el-network.toml"
    path.write_text(NETWORK_TOML, encoding="utf-8")
    base = ["concept", "scorecard", "emscher-lippe", "-w", str(loaded_warehouse), "--taxonomy", str(path)]
    result = runner.invoke(
        app,
        [
            *base,
            "--peers",
            "0",
            "--format",
            "json",
            "--weights",
            "strength=2",
            "--initiative",
            "Ruhr IT=el-network:ict",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {r["evidence"]["cluster"]: r["evidence"]["initiatives"] for r in doc["rows"]} == {
        "ict": ["Ruhr IT"],
        "public": [],
        "logistics": [],
        "finance": [],
    }
    assert doc["weights"] == {"strength": 2.0, "dynamics": 1.0, "potential": 1.0}
    assert [r["rank"] for r in doc["rows"]] == [1, 2, 3, 4] and len(doc["fingerprint"]) == 64
    csv_out = runner.invoke(app, [*base, "--peers", "0", "--format", "csv", "--lang", "en"])
    assert csv_out.exit_code == 0, csv_out.output
    assert csv_out.output.splitlines()[0] == "rank,cluster,taxonomy,lq,employment,growth,density,score,reason"
    assert "Rank 1 of 4" in csv_out.output
    table = runner.invoke(app, [*base, "--taxonomy", "hannoverimpuls", "--peers", "0"], env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "Fokuscluster für Emscher-Lippe (2020, Basis 2015)" in table.output and "Rang 1 von 4" in table.output
    assert "Automobilwirtschaft: nicht auflösbar" in table.output and "Fingerabdruck der Evidenz" in table.output
    bad = runner.invoke(app, [*base, "--weights", "size=1"])
    assert bad.exit_code == 1 and "unknown indicator" in bad.output
    bad = runner.invoke(app, [*base, "--initiative", "Ruhr IT"])
    assert bad.exit_code == 1 and "name=cluster,cluster" in bad.output
