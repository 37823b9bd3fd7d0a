"""``regiolens network``: the knowledge base on the command line, acting as one user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regiolens.cli import app
from regiolens.web import accounts
from regiolens.web.db import Role, make_engine, session_factory, upgrade
from tests.network.conftest import PASSWORD

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An app database with Herten (editor ada, viewer vic) and Hannover (editor hal); the data dir in tmp."""
    monkeypatch.setenv("REGIOLENS_DATA_DIR", str(tmp_path / "data"))
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(database)
    upgrade(engine)
    with session_factory(engine).begin() as s:
        accounts.create_organisation(s, "herten", "WF Herten")
        accounts.create_organisation(s, "hannover", "Hannover")
        accounts.create_user(s, "ada@example.org", "Ada", PASSWORD, "herten", Role.editor)
        accounts.create_user(s, "vic@example.org", "Vic", PASSWORD, "herten", Role.viewer)
        accounts.create_user(s, "hal@example.org", "Hal", PASSWORD, "hannover", Role.editor)
    engine.dispose()
    return database


def run(url: str, *args: str) -> str:
    result = runner.invoke(app, ["network", *args, "--database-url", url])
    assert result.exit_code == 0, result.output
    return result.output


def test_examples_list_show_search_and_export(url: str, tmp_path: Path) -> None:
    assert "loaded 19 example records" in run(url, "examples", "load", "--user", "ada@example.org")
    listed = json.loads(run(url, "initiatives", "list", "--user", "vic@example.org", "-f", "json"))
    assert [(r["key"], r["example"]) for r in listed] == [("hannoverimpuls", True)]
    assert json.loads(run(url, "initiatives", "list", "--user", "hal@example.org", "-f", "json")) == []
    shown = json.loads(run(url, "exchanges", "show", "besuch-hannoverimpuls", "--user", "ada@example.org"))
    assert shown["hosts"] == ["Hannover Impuls GmbH"] and shown["history"][0]["action"] == "create"
    found = json.loads(run(url, "search", "Venture Capital", "--user", "ada@example.org", "-f", "json"))
    assert [h["title"] for h in found] == ["hannoverimpuls"]
    out = tmp_path / "exchanges.csv"
    run(url, "exchanges", "export", "--user", "ada@example.org", "-f", "csv", "-o", str(out))
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("type,id,organisation,key")
    assert "removed 19 example records" in run(url, "examples", "remove", "--user", "ada@example.org")


def test_add_from_toml_and_the_errors_people_see(url: str, tmp_path: Path) -> None:
    file = tmp_path / "lessons.toml"
    file.write_text(
        '[[lessons]]\nkey = "fonds"\ntitle = "Fonds früh mit Co-Investoren planen"\noutcome = "worked"\n'
        'preconditions = "Privater VC-Markt in der Region"\ntags = ["Venture Capital"]\n',
        encoding="utf-8",
    )
    assert "created 1 lesson(s): fonds" in run(url, "lessons", "add", str(file), "--user", "ada@example.org")
    refused = runner.invoke(
        app, ["network", "lessons", "add", str(file), "--user", "vic@example.org", "--database-url", url]
    )
    assert refused.exit_code == 1 and "editor" in refused.output
    again = runner.invoke(
        app, ["network", "lessons", "add", str(file), "--user", "ada@example.org", "--database-url", url]
    )
    assert again.exit_code == 1 and "exists already" in again.output
    assert "updated 1 lesson(s)" in run(url, "lessons", "add", str(file), "--update", "--user", "ada@example.org")
    wrong = runner.invoke(
        app, ["network", "initiatives", "add", str(file), "--user", "ada@example.org", "--database-url", url]
    )
    assert wrong.exit_code == 1 and "holds no initiatives" in wrong.output
    nobody = runner.invoke(app, ["network", "lessons", "list", "--database-url", url])
    assert nobody.exit_code == 1 and "--user" in nobody.output
    hidden = runner.invoke(
        app, ["network", "lessons", "show", "fonds", "--user", "hal@example.org", "--database-url", url]
    )
    assert hidden.exit_code == 1 and "no lesson 'fonds'" in hidden.output


def test_assess_with_checklist_report_and_comparison(url: str, tmp_path: Path, loaded_warehouse: Path) -> None:
    run(url, "examples", "load", "--user", "ada@example.org")
    checklist = tmp_path / "checklist.toml"
    checklist.write_text('[[preconditions]]\nkey = "venture_capital"\nanswer = "no"\n', encoding="utf-8")
    pdf, xlsx = tmp_path / "bewertung.pdf", tmp_path / "bewertung.xlsx"
    args = ["hannoverimpuls", "emscher-lippe", "--user", "ada@example.org", "--checklist", str(checklist)]
    output = run(url, "assess", *args, "-o", str(pdf), "-o", str(xlsx), "-w", str(loaded_warehouse))
    assert "Gesamtscore" in output and "Version 1" in output and pdf.exists() and xlsx.exists()
    document = json.loads(run(url, "assess", *args, "-f", "json", "-w", str(loaded_warehouse)))
    assert document["version"] == 2 and document["checklist"][0]["answer"] == "no"
    side = json.loads(run(url, "compare", "emscher-lippe", "--user", "vic@example.org", "-f", "json"))
    assert [(r["initiative"], r["version"]) for r in side] == [("hannoverimpuls", 2)]
