"""``regiolens clusters`` as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regiolens.cli.clusters import app
from tests.conftest import SHARED_DATA

runner = CliRunner()
CROSSWALK = SHARED_DATA / "us" / "cluster_definitions" / "NAICS_crosswalks_to_Cluster_system.xlsx"


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REGIOLENS_TAXONOMIES", str(tmp_path / "taxonomies"))
    return tmp_path / "taxonomies"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list() -> None:
    rows = json.loads(run("list", "--format", "json"))
    assert [(r["id"], r["clusters"], r["builtin"]) for r in rows] == [("hannoverimpuls", 5, True)]
    assert "hannover" in run("list")


def test_show_a_taxonomy() -> None:
    doc = json.loads(run("show", "hannoverimpuls", "-f", "json"))
    assert [c["cluster"] for c in doc["clusters"]] == ["automotive", "medtech", "photonics", "production", "ict"]
    assert doc["clusters"][0]["codes"][0] == {"code": "29.10", "weight": 1.0, "partial": False}
    assert "OECD" in doc["taxonomy"]["attribution"]
    table = run("show", "hannoverimpuls", "-c", "wz2025")
    assert "partial" in table and "WZ 2025" in table


def test_show_a_cluster_with_labels_notes_and_sources() -> None:
    doc = json.loads(run("show", "hannoverimpuls", "automotive", "-c", "naics2017", "--lang", "en", "-f", "json"))
    assert doc["cluster"] == {"id": "automotive", "name": "Automotive", "category": None}
    assert doc["derived_from"] == "wz2008" and doc["computed"] is False
    rows = {r["code"]: r for r in doc["codes"]}
    assert rows["3361"]["label"] == "Motor Vehicle Manufacturing" and rows["3361"]["included"] is True
    assert rows["336510"]["included"] is False and "Railroad" in rows["336510"]["note"]

    table = list(csv.DictReader(io.StringIO(run("show", "hannoverimpuls", "ict", "-f", "csv"))))
    row = next(r for r in table if r["code"] == "62.01")
    assert row["label"] == "Programmierungstätigkeiten" and "OECD (2007)" in row["source"]


def test_show_a_definition_derived_now() -> None:
    out = run("show", "hannoverimpuls", "automotive", "-c", "naics2012")
    assert "computed now" in out and "3363" in out


def test_import_the_us_crosswalk(store: Path) -> None:
    if not CROSSWALK.exists():
        pytest.skip("official data not found")
    doc = json.loads(run("import", str(CROSSWALK), "--preset", "us-cmp", "-f", "json"))
    assert len(doc["clusters"]) == 67 and doc["stored_as"] == str(store / "us-cmp-2016.toml")
    assert sum(1 for s in doc["skipped"] if s["kind"] == "nonstandard") == 16
    listed = json.loads(run("list", "-f", "json"))
    assert [r["id"] for r in listed] == ["hannoverimpuls", "us-cmp"]
    shown = json.loads(run("show", "us-cmp", "automotive", "-f", "json"))
    assert shown["cluster"]["category"] == "traded"


def test_import_a_table_with_a_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "eigene.csv"
    path.write_text("Name;WZ\nLogistik;52.10\n", encoding="utf-8")
    out = run("import", str(path), "-c", "wz2008", "--column", "cluster=Name", "--column", "code=WZ", "--id", "herten")
    assert "herten 1" in out and "logistik" in out


def test_errors_are_one_line_with_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "eigene.csv"
    path.write_text("cluster,code\nLogistik,52.10\nLogistik,52.99\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "-c", "wz2008"])
    assert result.exit_code == 1
    assert f"{path}, line 3, field 'code'" in result.output and "52.99" in result.output
    result = runner.invoke(app, ["show", "hannoverimpuls", "tourism"])
    assert result.exit_code == 1 and "its clusters are automotive, medtech" in result.output
    result = runner.invoke(app, ["import", str(path), "--column", "cluster"])
    assert result.exit_code == 1 and "KEY=HEADER" in result.output
