"""``regiolens concept``: the concept workspace on the command line (create, save, status, sign-off, comment,
show) and the export of the paper."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from regiolens.analysis.profile import profile
from regiolens.cli import app
from regiolens.network import examples
from regiolens.regions.resolve import resolve_region
from regiolens.reports import text
from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.db import Role, make_engine, session_factory, upgrade
from tests.network.conftest import PASSWORD

runner = CliRunner()

CONTENT = """
title = "Regionalisierte Wirtschaftsförderung Emscher-Lippe"
target_region = "emscher-lippe"
authors = "Bürgermeister Herten"
summary = "Ein Konzept für drei Städte."
operator_model = "Eine GmbH der Städte und des Kreises."

[[focus_clusters]]
cluster = "hannoverimpuls/ict"
justification = "Digitale Wirtschaft an den Hochschulstandorten."

[[instruments]]
initiative = "hannoverimpuls"
note = "Gesellschaft als Vorbild"
"""
BUDGET = """
[[budget]]
item = "Geschäftsstelle"
amount = 450000
year = 2027
"""


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Herten (editor ada, with the example content) and Gelsenkirchen (editor gil) in the network Emscher-Lippe."""
    monkeypatch.setenv("REGIOLENS_DATA_DIR", str(tmp_path / "data"))
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(database)
    upgrade(engine)
    with session_factory(engine).begin() as s:
        accounts.create_organisation(s, "herten", "WF Herten")
        accounts.create_organisation(s, "gelsenkirchen", "WF Gelsenkirchen")
        accounts.create_network(s, "emscher-lippe", "Netzwerk Emscher-Lippe", ["herten", "gelsenkirchen"])
        ada = accounts.create_user(s, "ada@example.org", "Ada", PASSWORD, "herten", Role.editor)
        accounts.create_user(s, "gil@example.org", "Gil", PASSWORD, "gelsenkirchen", Role.editor)
        examples.load_examples(s, ada)
    engine.dispose()
    return database


def run(url: str, *args: str, user: str = "ada@example.org", code: int = 0) -> str:
    result = runner.invoke(app, ["concept", *args, "--user", user, "--database-url", url])
    assert result.exit_code == code, result.output
    return result.output


def create(url: str, tmp_path: Path) -> Path:
    file = tmp_path / "konzept.toml"
    file.write_text(CONTENT, encoding="utf-8")
    out = run(url, "create", str(file), "--key", "el-2027", "--network", "emscher-lippe", "--visibility", "network")
    assert out.strip() == "created concept herten/el-2027, version 1"
    return file


def test_save_status_sign_off_comment_show(url: str, tmp_path: Path) -> None:
    file = create(url, tmp_path)
    assert run(url, "save", str(file), "--concept", "el-2027").strip() == "unchanged: concept herten/el-2027, version 1"
    file.write_text(CONTENT + BUDGET, encoding="utf-8")
    saved = run(url, "save", str(file), "--concept", "el-2027", "--note", "Budget ergänzt")
    assert saved.splitlines() == [
        "saved concept herten/el-2027, version 2",
        "  Budgetposten „Geschäftsstelle“ 2027 hinzugefügt (450.000 €)",
        "  Budget insgesamt: 0 € → 450.000 €",
    ]
    run(url, "sign-off", "el-2027", "--ask", "gelsenkirchen")
    assert "sign-off missing: gelsenkirchen" in run(url, "status", "el-2027", "--to", "in_consultation")
    refused = run(url, "status", "el-2027", "--to", "adopted", code=1)
    assert "lacks the sign-off of gelsenkirchen" in refused
    answered = run(url, "sign-off", "herten/el-2027", "--approve", user="gil@example.org")
    assert answered.strip() == "approved concept el-2027, version 2 for gelsenkirchen"
    run(url, "comment", "herten/el-2027", "Bitte den Kreis beteiligen.", user="gil@example.org")
    status = run(url, "status", "el-2027", "--to", "adopted")
    assert status.splitlines() == ["herten/el-2027: adopted, version 2", "adopted version: 2"]
    shown = json.loads(run(url, "show", "el-2027"))
    assert (shown["status"], shown["shown_version"]["note"]) == ("adopted", "Budget ergänzt")
    assert [c["kind"] for c in shown["changes"]] == ["added", "changed"]
    assert [c["text"] for c in shown["comments"]] == ["Bitte den Kreis beteiligen."]
    instrument = shown["shown_version"]["content"]["instruments"][0]
    assert instrument["initiative"] == "herten/hannoverimpuls" and instrument["initiative_id"] is not None
    listed = json.loads(run(url, "list", "-f", "json", user="gil@example.org"))
    assert [(c["key"], c["status"], c["version"]) for c in listed] == [("el-2027", "adopted", 2)]


def test_errors_name_file_line_and_field(url: str, tmp_path: Path) -> None:
    file = tmp_path / "kaputt.toml"
    file.write_text(CONTENT + '\n[[milestones]]\ndate = "2027-13-01"\ntitle = "Ratsbeschluss"\n', encoding="utf-8")
    out = run(url, "create", str(file), "--key", "el", code=1)
    assert "kaputt.toml, line 17, field 'milestones[0].date'" in out
    json_file = tmp_path / "konzept.json"
    json_file.write_text(json.dumps({"title": "Konzept"}), encoding="utf-8")
    assert "target_region" in run(url, "create", str(json_file), "--key", "el", code=1)
    assert "give either --ask" in run(url, "sign-off", "el", code=1)


def test_export_docx(url: str, tmp_path: Path, loaded_warehouse: Path) -> None:
    create(url, tmp_path)
    wh = ["-w", str(loaded_warehouse)]
    refused = run(url, "export", "el-2027", "--out", str(tmp_path / "k.odt"), *wh, code=1)
    assert "cannot write a concept paper as '.odt'" in refused
    out = tmp_path / "konzept.docx"
    assert run(url, "export", "el-2027", "--out", str(out), *wh).strip() == f"wrote {out}"
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[:4] == ["Zusammenfassung", "Regionalprofil", "Fokuscluster", "Instrumente"]
    with Warehouse.open(loaded_warehouse, read_only=True) as opened:
        region = profile(opened, resolve_region("emscher-lippe"))
    figures = {row.cells[0].text: row.cells[1].text for t in document.tables for row in t.rows}
    assert figures[f"Beschäftigte {region.year}"] == text.num(region.total_employment, "de", 0)
    quotes = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Quote"]
    assert "Digitale Wirtschaft an den Hochschulstandorten." in quotes
    english = tmp_path / "concept.docx"
    run(url, "export", "el-2027", "--out", str(english), "--lang", "en", *wh)
    assert "Regional profile" in [p.text for p in docx.Document(str(english)).paragraphs]


def test_check_evidence_after_an_import(url: str, tmp_path: Path, loaded_warehouse: Path) -> None:
    """The focus cluster of the file (hannoverimpuls/ict, chosen without evidence) has no evidence on the official
    section data: the check stores it as outdated; a missing warehouse is an error and stores nothing."""
    create(url, tmp_path)
    missing = runner.invoke(
        app, ["concept", "check-evidence", "--warehouse", str(tmp_path / "none.duckdb"), "--database-url", url]
    )
    assert missing.exit_code == 1 and "no warehouse" in missing.output
    assert "outdated evidence" not in run(url, "status", "el-2027")
    checked = runner.invoke(
        app, ["concept", "check-evidence", "--warehouse", str(loaded_warehouse), "--database-url", url]
    )
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "herten/el-2027: outdated evidence: hannoverimpuls/ict"
    assert run(url, "status", "el-2027").splitlines()[-1] == "outdated evidence: hannoverimpuls/ict"
    shown = json.loads(run(url, "show", "el-2027"))
    assert shown["version"] == 1  # the check adds no version
