"""Shared fixtures: the official data in ../shared/data and a warehouse loaded from it."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from regiolens.warehouse.store import Warehouse

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GENESIS_DIR = SHARED_DATA / "de" / "regionalstatistik_13111-07-05-4"


@pytest.fixture(scope="session")
def genesis_files() -> list[Path]:
    files = sorted(GENESIS_DIR.glob("13111-07-05-4_*.csv"))
    if len(files) != 6:
        pytest.skip(f"official data not found in {GENESIS_DIR}")
    return files


@pytest.fixture(scope="session")
def loaded_warehouse(tmp_path_factory: pytest.TempPathFactory, genesis_files: list[Path]) -> Path:
    """A warehouse file holding the six official GENESIS files (read-only use in tests, please)."""
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    with Warehouse.open(path) as wh:
        wh.import_files(genesis_files)
    return path


def raw_genesis_rows(path: Path) -> list[list[str]]:
    """The data rows of a GENESIS file read with nothing but the csv module (for hand calculations)."""
    with path.open(encoding="iso-8859-1", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return [r for r in rows if len(r) == 9 and r[0] and r[2] and r[3]]


def warehouse_fingerprint(path: Path) -> tuple[object, ...]:
    """Counts and checksums of every table: equal fingerprints mean an unchanged warehouse."""
    with Warehouse.open(path, read_only=True) as wh:
        return tuple(
            wh.con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} t").fetchone()
            for table in ("sources", "observations", "regions", "geometries")
        )


# ------------------------------------------------------------------ a local HTTP server for pullers
@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    form: dict[str, list[str]]


@dataclass
class Server:
    """Routes ``(method, path) → (status, content type, body)``; every request is recorded."""

    base_url: str = ""
    routes: dict[tuple[str, str], tuple[int, str, bytes]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def serve(self, method: str, path: str, body: bytes, status: int = 200, content_type: str = "text/plain") -> None:
        self.routes[(method, path)] = (status, content_type, body)


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            url = urlsplit(self.path)
            state.requests.append(
                Request(
                    self.command,
                    url.path,
                    parse_qs(url.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    parse_qs(raw, keep_blank_values=True),
                )
            )
            status, content_type, body = state.routes.get((self.command, url.path), (404, "text/plain", b"no route"))
            self.send_response(status)
            if status == 204:
                self.end_headers()
                return
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{httpd.server_port}"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
