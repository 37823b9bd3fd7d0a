"""``regiolens fund``: the mandate check of one deal, and plans and deals in the app database, acting as one user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import regiolens.fund
from regiolens.cli import app
from tests.network import test_cli as network_cli

runner = CliRunner()
url = network_cli.url  # an app database with Herten (editor ada, viewer vic) and Hannover (editor hal)
EXAMPLE_PLAN = Path(regiolens.fund.__file__).parent / "examples" / "emscher-lippe-seed.toml"
"""The example plan: five hannoverimpuls clusters, Emscher-Lippe, pre-seed to Series A, at most 3 million a company."""

MANDATE_ONLY = """\
[mandate]
taxonomy = "hannoverimpuls"
clusters = ["ict", "medtech"]
region = "emscher-lippe"
stages = ["seed", "series_a"]
max_per_company = 2_000_000
"""

DEALS = """\
company,code,region,stage,amount,status,round_date,jobs
Muster GmbH,62.01,05562004,seed,400000,invested,2026-03-01,12
Brot KG,10.71,05562016,seed,200000,screening,,
"""


@pytest.fixture
def mandate_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(MANDATE_ONLY, encoding="utf-8")
    return path


def check(mandate_file: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["fund", "check-deal", "--mandate", str(mandate_file), *args])
    return result.exit_code, result.output


def test_check_deal_prints_every_rule_and_exits_by_eligibility(mandate_file: Path) -> None:
    code, out = check(mandate_file, "--wz", "62.01", "--region", "05562004", "--stage", "seed", "--amount", "400000")
    assert code == 0
    assert out.splitlines() == [
        "Mandat: förderfähig",
        "✓ WZ 2008 62.01 ist im Cluster Informations- und Kommunikationstechnologie (IKT): förderfähig",
        "✓ Unternehmen in der Region Emscher-Lippe (05562004): förderfähig",
        "✓ Finanzierungsphase Seed ist im Mandat vorgesehen: förderfähig",
        "✓ 400.000\u00a0€ je Unternehmen: innerhalb der Höchstgrenze von 2.000.000\u00a0€: förderfähig",
    ]
    code, out = check(
        mandate_file,
        *("--wz", "62.01", "--region", "03241001", "--stage", "seed", "--amount", "400000"),
        *("--company-total", "1700000", "--lang", "en"),
    )
    assert code == 1
    assert out.splitlines()[0] == "Mandate: not eligible"
    assert "✗ company outside the region Emscher-Lippe (03241001): not eligible" in out.splitlines()
    assert "✗ €400,000 + earlier €1,700,000 = €2,100,000 per company: above the limit of €2,000,000: not eligible" in (
        out.splitlines()
    )


def test_check_deal_json_naics_and_unknown_codes(mandate_file: Path) -> None:
    code, out = check(
        mandate_file,
        "--naics",
        "334510",
        "--region",
        "05513",
        "--stage",
        "series_a",
        "--amount",
        "1000000",
        "-f",
        "json",
    )
    document = json.loads(out)
    assert code == 0 and document["eligible"] is True and document["clusters"][0]["id"] == "medtech"
    assert [r["rule"] for r in document["rules"]] == ["cluster", "region", "stage", "max_per_company"]
    code, out = check(mandate_file, "--wz", "99.99", "--region", "05513", "--stage", "seed", "--amount", "1")
    assert code == 1 and "✗ 99.99 ist kein Code der WZ 2008: nicht förderfähig" in out.splitlines()
    assert "Error" not in out


def test_check_deal_input_errors(mandate_file: Path, tmp_path: Path) -> None:
    code, out = check(mandate_file, "--region", "05513", "--stage", "seed", "--amount", "1")
    assert code == 1 and "either --wz or --naics" in out
    empty = tmp_path / "empty.toml"
    empty.write_text('name = "x"\n', encoding="utf-8")
    code, out = check(empty, "--wz", "62.01", "--region", "05513", "--stage", "seed", "--amount", "1")
    assert code == 1 and "no mandate table" in out
    code, out = check(mandate_file, "--wz", "62.01", "--region", "05513", "--stage", "series_z", "--amount", "1")
    assert code == 1 and "stage" in out and "Traceback" not in out


@pytest.mark.integration
def test_check_deal_names_regions_from_the_warehouse(mandate_file: Path, loaded_warehouse: Path) -> None:
    code, out = check(
        mandate_file,
        *("--wz", "62.01", "--region", "05562004", "--stage", "seed", "--amount", "1"),
        *("--warehouse", str(loaded_warehouse)),
    )
    assert code == 0
    assert "✓ Unternehmen in der Region Emscher-Lippe (05562004 in Recklinghausen, Kreis): förderfähig" in out


def fund(url: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["fund", *args, "--database-url", url])
    assert result.exit_code == code, result.output
    return result.output


def test_plans_and_deals_on_the_command_line(url: str, tmp_path: Path) -> None:
    ada = ("--user", "ada@example.org")
    assert "saved fund plan herten/seedfonds, version 1" in fund(
        url, "plans", "save", str(EXAMPLE_PLAN), "--key", "seedfonds", *ada
    )
    assert "unchanged: fund plan herten/seedfonds, version 1" in fund(
        url, "plans", "save", str(EXAMPLE_PLAN), "--key", "seedfonds", *ada
    )
    plans = json.loads(fund(url, "plans", "list", *ada, "-f", "json"))
    assert [(p["key"], p["name"], p["version"]) for p in plans] == [("seedfonds", "Emscher-Lippe Seed-Fonds", 1)]

    deals = tmp_path / "deals.csv"
    deals.write_text(DEALS, encoding="utf-8")
    refused = fund(url, "deals", "import", str(deals), "--plan", "seedfonds", "--user", "vic@example.org", code=1)
    assert "editor" in refused
    assert "created 2, updated 0, unchanged 0 deal(s)" in fund(
        url, "deals", "import", str(deals), "--plan", "seedfonds", "--org", "herten", *ada
    )
    assert "created 0, updated 0, unchanged 2 deal(s)" in fund(
        url, "deals", "import", str(deals), "--plan", "seedfonds", *ada
    )
    listed = json.loads(fund(url, "deals", "list", "--plan", "seedfonds", *ada, "-f", "json"))
    assert [(d["key"], d["status"], d["eligible"]) for d in listed] == [
        ("brot-kg/seed", "Sichtung", False),
        ("muster-gmbh/seed/2026-03-01", "Investiert", True),
    ]
    assert listed[0]["failed"][0].startswith("WZ 2008 10.71 ist in keinem Cluster des Mandats")

    exported = tmp_path / "export.csv"
    assert "wrote" in fund(url, "deals", "export", "--plan", "seedfonds", *ada, "-o", str(exported))
    assert "unchanged 2 deal(s)" in fund(url, "deals", "import", str(exported), "--plan", "seedfonds", *ada)

    assert "moved brot-kg/seed from screening to declined" in fund(
        url, "deals", "move", "brot-kg/seed", "--to", "declined", "--plan", "seedfonds", *ada
    )
    wrong = fund(url, "deals", "move", "brot-kg/seed", "--to", "invested", "--plan", "seedfonds", *ada, code=1)
    assert "cannot move from declined to invested" in wrong
    hidden = fund(url, "deals", "list", "--plan", "herten/seedfonds", "--user", "hal@example.org", code=1)
    assert "no fund plan 'herten/seedfonds'" in hidden

    summary = json.loads(fund(url, "portfolio", "--plan", "seedfonds", *ada, "-f", "json"))
    assert (summary["companies_financed"], summary["amount_invested"], summary["jobs_in_region"]) == (1, 400_000, 12)
    assert [(t["key"], t["deals"]) for t in summary["by_status"] if t["deals"]] == [("invested", 1), ("declined", 1)]
