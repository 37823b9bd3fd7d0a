"""Uploads: editors only, atomic, and a refused file names file, line and field while the warehouse stays as it was."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from regiolens.web.db import AuditEntry, session_factory
from tests.conftest import warehouse_fingerprint
from tests.web.app_support import EDITOR, VIEWER, World, build_app, client_for, csrf_token


@pytest.fixture
def world(tmp_path: Path, loaded_warehouse: Path) -> World:
    """An app on a copy of the loaded warehouse (uploads write to it)."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(loaded_warehouse, copy)
    return build_app(tmp_path, copy)


def upload(client: TestClient, name: str, content: bytes) -> object:
    token = csrf_token(client, "/data")
    return client.post("/data/upload", data={"csrf_token": token}, files={"files": (name, content, "text/csv")})


def test_a_viewer_cannot_upload(world: World, genesis_files: list[Path]) -> None:
    client = client_for(world, VIEWER)
    before = warehouse_fingerprint(world.settings.warehouse)
    response = upload(client, genesis_files[0].name, genesis_files[0].read_bytes())
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert warehouse_fingerprint(world.settings.warehouse) == before


def test_a_broken_genesis_file_is_refused_with_file_line_and_field(world: World, genesis_files: list[Path]) -> None:
    client = client_for(world, EDITOR)
    assert 'id="upload-form"' in client.get("/data").text
    before = warehouse_fingerprint(world.settings.warehouse)
    content = genesis_files[0].read_bytes()
    truncated = content[: len(content) // 2]
    response = upload(client, "13111-07-05-4_2015_abgeschnitten.csv", truncated)
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert 'id="upload-error"' in html and "Import abgelehnt – nichts wurde geändert" in html
    assert '<dd id="upload-error-file">13111-07-05-4_2015_abgeschnitten.csv</dd>' in html
    line = truncated.count(b"\n") + 1
    assert f'<dd id="upload-error-line">{line}</dd>' in html
    assert '<dd id="upload-error-field">Wirtschaftszweig</dd>' in html
    # the reader's message in German: its kind is known (regiolens.i18n.messages)
    assert re.search(r"Spalte fehlt: \d von 9 Feldern; die Datei endet in dieser Zeile – abgeschnitten\?", html)
    assert "truncated" not in html and "Meldung der Leseroutine, englisch" not in html
    assert "/tmp" not in html  # the server's temporary path is not shown
    assert warehouse_fingerprint(world.settings.warehouse) == before
    english = client.post(
        "/data/upload?lang=en",
        data={"csrf_token": csrf_token(client, "/data")},
        files={"files": ("13111-07-05-4_2015_abgeschnitten.csv", truncated, "text/csv")},
    )
    assert re.search(r"missing column: \d of 9 fields; the file ends in this line: truncated\?", english.text)


def test_a_message_of_unknown_kind_is_shown_in_english_and_says_so(world: World) -> None:
    client = client_for(world, EDITOR)
    response = upload(client, "kaputt.json", b'{"class": "dataset", "version": "2.0", "id": ["a"], "size": [1, 2]}')
    html = response.text  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert '<dd id="upload-error-file">kaputt.json</dd>' in html
    assert "(Meldung der Leseroutine, englisch)" in html  # an English message is marked as such
    assert '<dd id="upload-error-message" lang="en">' in html


def test_an_upload_is_imported_and_audited(world: World, genesis_files: list[Path]) -> None:
    client = client_for(world, EDITOR)
    before = warehouse_fingerprint(world.settings.warehouse)
    response = upload(client, genesis_files[0].name, genesis_files[0].read_bytes())
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert 'id="upload-success"' in html and "unverändert (schon importiert)" in html  # the same file again
    assert warehouse_fingerprint(world.settings.warehouse) == before
    with session_factory(world.app.state.engine)() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry is not None and entry.detail["files"] == [genesis_files[0].name]


def test_an_upload_without_file_is_refused(world: World) -> None:
    client = client_for(world, EDITOR)
    token = csrf_token(client, "/data")
    response = client.post("/data/upload", data={"csrf_token": token}, files={"files": ("", b"", "text/csv")})
    assert response.status_code == 400 and "Bitte eine Datei auswählen." in response.text
