"""The command line as a user runs it: import, status, regions, groups; numbers checked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from regiolens.cli import app
from tests.conftest import Server, raw_genesis_rows, warehouse_fingerprint

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def cli_warehouse(tmp_path_factory: pytest.TempPathFactory, genesis_files: list[Path]) -> Path:
    path = tmp_path_factory.mktemp("cli") / "wh.duckdb"
    out = run("data", "import", *map(str, genesis_files), "--warehouse", str(path), "--format", "json")
    assert [r["status"] for r in json.loads(out)] == ["added"] * 6
    return path


def test_status_lists_sources_with_licence_and_attribution(cli_warehouse: Path) -> None:
    rows = json.loads(run("data", "status", "-w", str(cli_warehouse), "--format", "json"))
    assert len(rows) == 6
    assert {r["years"][0] for r in rows} == set(range(2015, 2021))
    for r in rows:
        assert r["licence"].endswith("(dl-de/by-2-0)")
        assert r["attribution"] == "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021"
        assert len(r["sha256"]) == 64


def test_emscher_lippe_members_and_summed_employment(cli_warehouse: Path, genesis_files: list[Path]) -> None:
    doc = json.loads(run("regions", "show", "emscher-lippe", "-w", str(cli_warehouse), "--format", "json"))
    assert [m["code"] for m in doc["members"]] == ["05562", "05512", "05513"]
    assert doc["members"][0]["name"].startswith("Recklinghausen")
    for path, point in zip(genesis_files, doc["series"], strict=True):
        by_hand = sum(
            int(r[3]) for r in raw_genesis_rows(path) if r[0] in {"05562", "05512", "05513"} and r[2] == "Insgesamt"
        )
        assert point["value"] == by_hand
        assert point["year"] == int(path.stem[-4:])
    assert doc["series"][-1]["value"] == 285_481  # 30.06.2020


def test_import_twice_is_a_no_op(cli_warehouse: Path, genesis_files: list[Path]) -> None:
    before = warehouse_fingerprint(cli_warehouse)
    out = run("data", "import", *map(str, genesis_files), "-w", str(cli_warehouse), "-f", "csv")
    assert out.splitlines()[0].startswith("file_name,dataset_key,status")
    assert out.count(",unchanged,") == 6
    assert warehouse_fingerprint(cli_warehouse) == before


def test_broken_file_error_names_file_line_field(
    cli_warehouse: Path, genesis_files: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    data = genesis_files[0].read_bytes()
    line = data[: data.index(b"Land- und Forstwirtschaft")].count(b"\n") + 1
    bad.write_bytes(data.replace(b"Fischerei (A);", b"Fischerei (A);12a", 1))
    before = warehouse_fingerprint(cli_warehouse)
    result = runner.invoke(app, ["data", "import", str(bad), "-w", str(cli_warehouse)])
    assert result.exit_code == 1
    assert f"{bad}, line {line}, field 'Insgesamt/Insgesamt'" in result.stderr
    assert warehouse_fingerprint(cli_warehouse) == before


def test_regions_list_and_define(cli_warehouse: Path, tmp_path: Path) -> None:
    groups = tmp_path / "groups.toml"
    run("regions", "define", "ruhr-nord", "05512", "05513", "--label", "Ruhr Nord", "--groups", str(groups))
    rows = json.loads(run("regions", "list", "--level", "group", "--groups", str(groups), "-f", "json"))
    assert {r["region_code"] for r in rows} == {"emscher-lippe", "region-hannover", "ruhr-nord"}
    doc = json.loads(
        run("regions", "show", "ruhr-nord", "-w", str(cli_warehouse), "--groups", str(groups), "-f", "json")
    )
    assert doc["series"][-1]["value"] == 32_179 + 81_887
    kreise = json.loads(run("regions", "list", "--level", "de:kreis", "-w", str(cli_warehouse), "-f", "json"))
    assert len(kreise) == 403  # 401 Kreise of 2020 plus the old Göttingen codes 03152 and 03156 of 2015/16


def test_unknown_region_is_a_clear_error(cli_warehouse: Path) -> None:
    result = runner.invoke(app, ["regions", "show", "atlantis", "-w", str(cli_warehouse)])
    assert result.exit_code == 1
    assert "atlantis" in result.stderr


def test_pull_genesis_downloads_and_imports(
    server: Server, genesis_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`data pull genesis` against a local server serving the official 2019 and 2020 files."""
    monkeypatch.setenv("REGIOLENS_GENESIS_USER", "analyst@herten.example")
    monkeypatch.setenv("REGIOLENS_GENESIS_PASSWORD", "s3cret")
    path = "/genesisws/rest/2020/data/tablefile"
    answers = {int(f.stem[-4:]): f.read_bytes() for f in genesis_files[4:]}
    server.serve("POST", path, answers[2019], content_type="text/csv; charset=iso-8859-1")
    wh = tmp_path / "pulled.duckdb"
    args = ["data", "pull", "genesis", "13111-07-05-4", "--years", "2019", "--dest", str(tmp_path / "dl")]
    rows = json.loads(run(*args, "--base-url", f"{server.base_url}/genesisws/rest/2020", "-w", str(wh), "-f", "json"))
    assert [(r["status"], r["dataset_key"]) for r in rows] == [("added", "genesis:13111-07-05-4:2019-06-30")]
    assert server.requests[0].form["startyear"] == ["2019"]
    doc = json.loads(run("regions", "show", "emscher-lippe", "-w", str(wh), "-f", "json"))
    assert doc["series"] == [{"year": 2019, "value": 286_720.0, "flag": "none"}]


def test_pull_without_credentials_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGIOLENS_GENESIS_USER", raising=False)
    result = runner.invoke(
        app,
        [
            "data",
            "pull",
            "genesis",
            "13111-07-05-4",
            "--years",
            "2019",
            "--dest",
            str(tmp_path),
            "-w",
            str(tmp_path / "w.duckdb"),
            "--base-url",
            "http://127.0.0.1:9/none",
        ],
    )
    assert result.exit_code == 1
    assert "REGIOLENS_GENESIS_USER" in result.stderr


# ------------------------------------------------------------------ regiolens report: peers and opportunities pages


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_report_has_peers_and_opportunities_of_the_region(cli_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "el.xlsx"
    result = runner.invoke(app, ["report", "emscher-lippe", "-o", str(out), "--peers", "3", "-w", str(cli_warehouse)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out) and result.stderr == ""
    sheets = _sheets(out)
    assert {"Vergleichsregionen", "Chancen", "Stärken", "Clusterausblick"} <= set(sheets)
    doc = json.loads(run("peers", "emscher-lippe", "-n", "3", "-w", str(cli_warehouse), "-f", "json"))
    header, *rows = sheets["Vergleichsregionen"]
    code, distance = header.index("Code"), header.index("Distanz")
    assert [r[code] for r in rows] == [p["code"] for p in doc["peers"]]
    assert [r[distance] for r in rows] == pytest.approx([p["distance"] for p in doc["peers"]], rel=1e-14)
    opportunities = json.loads(run("opportunities", "emscher-lippe", "-w", str(cli_warehouse), "-f", "json"))
    header, *rows = sheets["Chancen"]
    assert [r[header.index("Code")] for r in rows] == [o["code"] for o in opportunities["opportunities"]]


def test_report_without_the_pages(cli_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "el.xlsx"
    args = ["report", "emscher-lippe", "-o", str(out), "--peers", "0", "--no-opportunities", "-w", str(cli_warehouse)]
    assert run(*args).strip() == str(out)
    assert list(_sheets(out)) == [
        "Überblick",
        "Branchen",
        "Shift-Share",
        "Cluster",
        "Spezialisierung",
        "Quellen",
        "Methoden",
    ]
    result = runner.invoke(app, ["report", "emscher-lippe", "-o", str(out), "--peers", "-1", "-w", str(cli_warehouse)])
    assert result.exit_code == 2  # a usage error, not a report


def test_report_leaves_out_a_page_that_cannot_be_made_and_says_why(cli_warehouse: Path, tmp_path: Path) -> None:
    """Germany has no other region of its level: no peers page, a warning, the report all the same."""
    out = tmp_path / "de.xlsx"
    result = runner.invoke(app, ["report", "DG", "-o", str(out), "-w", str(cli_warehouse)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    warning = " ".join(result.stderr.split())
    assert warning.startswith("Warning: no peers page for") and "too few candidate regions at de:bund" in warning
    assert len(result.stderr.strip().splitlines()) == 1
    sheets = _sheets(out)
    assert "Vergleichsregionen" not in sheets and "Chancen" in sheets
