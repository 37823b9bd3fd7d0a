"""``regiolens industries`` as a user runs it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

pytest.importorskip("regiolens.cli.output")

from regiolens.cli.industries import app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list_sections_by_default() -> None:
    rows = json.loads(run("list", "--format", "json"))
    assert len(rows) == 21
    assert rows[2] == {"code": "C", "label": "Verarbeitendes Gewerbe", "level": "section", "parent": "TOTAL"}


def test_list_below_a_parent_in_english() -> None:
    rows = json.loads(run("list", "-c", "wz2008", "--parent", "2910", "--lang", "en", "--format", "json"))
    assert [(r["code"], r["label"]) for r in rows] == [
        ("29.10.1", "Manufacture of motor vehicles"),
        ("29.10.2", "Manufacture of motor vehicles"),
    ]
    naics = json.loads(run("list", "-c", "naics2017", "--parent", "31-33", "--level", "subsector", "-f", "json"))
    assert [r["code"] for r in naics][:3] == ["311", "312", "313"]


def test_list_a_level_as_csv() -> None:
    table = list(csv.DictReader(io.StringIO(run("list", "--level", "division", "--parent", "C", "-f", "csv"))))
    assert [r["code"] for r in table] == [str(d) for d in range(10, 34)]
    assert table[19]["label"] == "Herstellung von Kraftwagen und Kraftwagenteilen"


def test_list_as_table_names_the_classification() -> None:
    out = run("list", "-c", "wz2008-sg", "--parent", "B-F")
    assert "WZ 2008 section groups: group below B-F" in out
    assert "Baugewerbe" in out


def test_user_errors_are_one_line_messages() -> None:
    result = runner.invoke(app, ["list", "-c", "sic87"])
    assert result.exit_code == 1
    assert "unknown classification 'sic87'" in result.output
    result = runner.invoke(app, ["list", "--parent", "29.10.0"])
    assert result.exit_code == 1
    assert "29.10.1, 29.10.2" in result.output


def test_concord_shows_partial_links() -> None:
    rows = json.loads(run("concord", "01.19.9", "--format", "json"))
    assert [(r["to_code"], r["partial"]) for r in rows] == [("01.13.1", True), ("01.19.9", True)]
    assert rows[0]["to_label"] == "Anbau von Gemüse und Melonen"
