"""`regiolens profile` and `compare` on the official data, against a hand calculation from the raw files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regiolens.classifications.section_groups import NON_OVERLAPPING, code_for_label
from regiolens.cli import app
from tests.conftest import raw_genesis_rows

EMSCHER_LIPPE = {"05562", "05512", "05513"}


def _by_hand(path: Path, codes: set[str]) -> dict[str, float]:
    """Employment per non-overlapping group summed over ``codes``, read with the csv module only."""
    out = dict.fromkeys(NON_OVERLAPPING, 0.0)
    for row in raw_genesis_rows(path):
        group = code_for_label(row[2])
        if row[0] in codes and group in out:
            out[group] += float(row[3])
    return out


@pytest.fixture(scope="module")
def profile_json(loaded_warehouse: Path) -> dict:
    result = CliRunner().invoke(
        app,
        [
            "profile",
            "emscher-lippe",
            "--year",
            "2020",
            "--base-year",
            "2015",
            "-w",
            str(loaded_warehouse),
            "-f",
            "json",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_profile_matches_hand_calculation(profile_json: dict, genesis_files: list[Path]) -> None:
    e0, e1 = _by_hand(genesis_files[0], EMSCHER_LIPPE), _by_hand(genesis_files[-1], EMSCHER_LIPPE)
    n0, n1 = _by_hand(genesis_files[0], {"DG"}), _by_hand(genesis_files[-1], {"DG"})
    total_e1, total_n0, total_n1 = sum(e1.values()), sum(n0.values()), sum(n1.values())
    growth = total_n1 / total_n0 - 1
    rows = {r["code"]: r for r in profile_json["industries"]}
    assert list(rows) == list(NON_OVERLAPPING)
    for g in NON_OVERLAPPING:
        r = rows[g]
        assert r["employment"] == e1[g]
        assert r["employment_base"] == e0[g]
        assert r["share"] == pytest.approx(e1[g] / total_e1, rel=1e-12)
        assert r["lq"] == pytest.approx((e1[g] / total_e1) / (n1[g] / total_n1), rel=1e-12)
        g_i = n1[g] / n0[g] - 1
        assert r["national"] == pytest.approx(e0[g] * growth, rel=1e-9)
        assert r["industry_mix"] == pytest.approx(e0[g] * (g_i - growth), rel=1e-9, abs=1e-6)
        assert r["regional"] == pytest.approx(e1[g] - e0[g] * (1 + g_i), rel=1e-9, abs=1e-6)
        assert r["lq_low"] < r["lq"] < r["lq_high"]
    spec = profile_json["specialisation"]
    assert spec["related_variety"] + spec["unrelated_variety"] == pytest.approx(spec["entropy"], rel=1e-12)
    shares = [e1[g] / total_e1 for g in NON_OVERLAPPING]
    assert spec["herfindahl"] == pytest.approx(sum(v * v for v in shares), rel=1e-12)
    ss = profile_json["shift_share"]
    assert ss["actual_change"] == total_e1 - sum(e0.values())
    assert ss["national"] + ss["industry_mix"] + ss["regional"] == pytest.approx(ss["actual_change"], rel=1e-9)
    assert profile_json["region"]["members"] == ["05562", "05512", "05513"]
    assert profile_json["reference"]["name"] == "Deutschland"
    assert profile_json["threshold"]["preset"] == "lq>=1.25"
    assert {s["vintage"] for s in profile_json["sources"]} >= {"17.08.2021 / 20:27:28"}


def test_compare_names_shared_strengths_differences_and_structural_share(loaded_warehouse: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["compare", "emscher-lippe", "region-hannover", "-w", str(loaded_warehouse), "-f", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    by_code = {d["code"]: d for d in doc["differences"]}
    assert by_code["K"]["strong_in"] == ["region-hannover"]
    assert by_code["O-Q"]["strong_in"] == ["emscher-lippe"]
    (gap,) = doc["growth_gaps"]
    assert gap["gap"] == pytest.approx(gap["structural"] + gap["regional"], abs=1e-12)
    assert gap["gap"] == pytest.approx(gap["growth_a"] - gap["growth_b"], abs=1e-12)
    assert gap["structural_share"] == pytest.approx(gap["structural"] / gap["gap"])
    assert sum(c["structural"] for c in gap["by_industry"]) == pytest.approx(gap["structural"], abs=1e-12)
    assert "Strukturkomponente" in gap["text_de"] and "industry mix" in gap["text_en"]
    assert doc["summary_de"][0].startswith("Gemeinsame Stärken")
