"""Load on the web app: the profile page and the profile API at 20 concurrent clients on loopback, beside /healthz.

Server: ``regiolens serve`` (uvicorn, one process, as a user starts it) in a subprocess on a free loopback port,
on a warehouse of the official files the demo imports and a fresh SQLite app database with one editor and an
API token (created with :mod:`regiolens.web.accounts`). Load: locust as a library (``FastHttpUser``, gevent) in
this process, 20 users without think time (closed loop: a user sends its next request as soon as the last
answer has arrived). The page users log in through the login form once; the API users send the token. Every
answer is checked (status 200 and the page's or the JSON's own marker), so a login page or an error counts
as an error, not as a fast answer.

The run is divided into rounds; in each, the three targets take turns (``/healthz``, the page, the API; each
for ``duration / (3 · rounds)`` seconds), so that whatever else the shared machine does falls on all alike.
Reported per target: requests, errors, requests/s, latency p50/p95/p99/max from every answer (not locust's
rounded buckets), and the server's CPU time per request (from ``/proc``, hardly touched by contention).
``/healthz`` is the reference: the same server, routing and middleware with nothing to compute, so the
ratios show the app's own cost. The server's resident memory (RSS) is sampled every second over the whole
run: after warm-up it must not grow (target: the median of the last fifth within 10 % of the first fifth).

    .venv/bin/python benchmarks/run.py web                       # default: 60 s of load, 3 rounds
    .venv/bin/python benchmarks/bench_web.py --duration 300      # the 5-minute run (memory over time)
    .venv/bin/python benchmarks/bench_web.py --table             # the saved record as Markdown
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import ROOT, Skipped, machine

SHARED = ROOT.parent / "shared"
DATA = ROOT / "benchmarks" / "data"
WAREHOUSE = DATA / "web_warehouse_v1.duckdb"
RESULTS = ROOT / "benchmarks" / "results"

USERS = 20
DURATION_S = 60.0
ROUNDS = 3
WARMUP_S = 10.0
P95_TARGET_MS = 200.0
MEMORY_GROWTH_TARGET = 0.10
REGION = "emscher-lippe"
EMAIL = "bench@example.org"
PASSWORD = "eine lange Passphrase für den Lasttest"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    marker: bytes  # what every good answer contains
    kind: str  # "health", "page" or "api"


TARGETS = [
    Target("GET /healthz (reference)", "/healthz", b'"ok"', "health"),
    Target(f"GET /regions/{REGION} (profile page)", f"/regions/{REGION}", b'id="profile-title"', "page"),
    Target(f"GET /api/v1/profile/{REGION} (profile API)", f"/api/v1/profile/{REGION}", b'"shift_share"', "api"),
]
REFERENCE = TARGETS[0].name


@dataclass
class Slice:
    """One target's turn in one round: its answers and the server's CPU time meanwhile."""

    seconds: float
    server_cpu_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0


# ------------------------------------------------------------------------------------------ the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_warehouse() -> list[str]:
    """The demo's official files in the benchmark's warehouse (built once; ``benchmarks/data`` is git-ignored)."""
    from regiolens.demo import german_files
    from regiolens.warehouse.store import Warehouse

    files = german_files(SHARED)
    if not any(f.name.startswith("13111") for f in files):
        raise Skipped(f"needs the official GENESIS files under {SHARED / 'data'}")
    if not WAREHOUSE.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = WAREHOUSE.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        with Warehouse.open(tmp) as wh:
            wh.import_files(files)
        tmp.rename(WAREHOUSE)
    return [f.name for f in files]


def app_database(folder: Path) -> tuple[str, str]:
    """A fresh SQLite app database with one editor; returns its URL and an API token of the editor."""
    from regiolens.web import accounts
    from regiolens.web.db import Role, make_engine, session_factory, upgrade

    url = f"sqlite:///{folder / 'app.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as s:
        accounts.create_organisation(s, "bench", "Lasttest")
        user = accounts.create_user(s, EMAIL, "Lasttest", PASSWORD, "bench", Role.editor)
        token = accounts.create_token(s, user, "bench")
    engine.dispose()
    return url, token


class Server:
    """``regiolens serve`` in a subprocess (its own process group, so that it can be stopped whole)."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "REGIOLENS_WAREHOUSE": str(WAREHOUSE),
            "REGIOLENS_DATABASE_URL": database_url,
            "REGIOLENS_DATA_DIR": str(folder),
            "REGIOLENS_SECRET_KEY": "bench-secret-key",
        }
        command = [str(Path(sys.executable).with_name("regiolens")), "serve", "--port", str(self.port)]
        self.log = (folder / "server.log").open("wb")
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, get: Callable[[str], int], timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {self.process.returncode}); see {self.log.name}")
            try:
                if get("/healthz") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop the server; its log (uvicorn's access log and any traceback) is kept in ``benchmarks/data``."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        shutil.copy(self.log.name, DATA / "web_server.log")


# ------------------------------------------------------------------------------------------ the load


def run(repeat: int | None = None, duration: float | None = None, users: int = USERS) -> dict[str, Any]:
    """``repeat`` is the number of rounds (each target's turns); ``duration`` the seconds of measured load."""
    rounds = repeat or ROUNDS
    duration = duration or DURATION_S
    files = build_warehouse()
    with tempfile.TemporaryDirectory(prefix="regiolens-bench-web-") as tmp:
        database_url, token = app_database(Path(tmp))
        server = Server(Path(tmp), database_url)
        try:
            return _load(server, token, files, rounds, duration, users)
        finally:
            server.stop()


def _load(server: Server, token: str, files: list[str], rounds: int, duration: float, users: int) -> dict[str, Any]:
    # gevent patches the standard library when locust is imported: only here, after the warehouse and the app
    # database are built, and in this process only (the server is another process).
    import gevent
    import psutil
    from geventhttpclient import HTTPClient
    from geventhttpclient.url import URL
    from locust import FastHttpUser, constant, task
    from locust.env import Environment

    probe = HTTPClient.from_url(URL(server.url), concurrency=1, network_timeout=300)

    def get(path: str, headers: dict[str, str] | None = None) -> int:
        response = probe.get(path, headers=headers or {})
        response.read()
        return int(response.status_code)

    server.wait_ready(get)
    process = psutil.Process(server.process.pid)

    # the first profile request, alone: the analysis runs once, then its result is cached
    start = time.perf_counter()
    assert get(TARGETS[2].path, {"Authorization": f"Bearer {token}"}) == 200
    cold = {TARGETS[2].name: time.perf_counter() - start}

    current: dict[str, Target] = {"target": TARGETS[0]}
    csrf = re.compile(rb'name="csrf_token" value="([^"]+)"')

    class Client(FastHttpUser):
        host = server.url
        wait_time = constant(0)
        network_timeout = 300.0
        connection_timeout = 60.0

        def on_start(self) -> None:
            page = self.client.get("/login", name="login form")
            match = csrf.search(page.content or b"")
            assert match, "no CSRF token on /login"
            answer = self.client.post(
                "/login",
                data={"email": EMAIL, "password": PASSWORD, "csrf_token": match.group(1).decode(), "next": "/"},
                name="login",
            )
            body = answer.content or b""
            assert answer.status_code == 200 and b'id="current-user"' in body, (
                f"login: {answer.status_code} {body[:300]!r}"
            )

        @task
        def request(self) -> None:
            target = current["target"]
            headers = {"Authorization": f"Bearer {token}"} if target.kind == "api" else {}
            with self.client.get(target.path, name=target.name, headers=headers, catch_response=True) as r:
                if r.status_code != 200 or target.marker not in (r.content or b""):
                    r.failure(f"status {r.status_code} or no {target.marker!r}")

    slices: dict[str, list[Slice]] = {t.name: [] for t in TARGETS}
    recording: dict[str, Slice | None] = {"slice": None}

    def on_request(request_type: str, name: str, response_time: float, exception: Any, **_: Any) -> None:
        active = recording["slice"]
        if active is None or name != current["target"].name:
            return  # warm-up, login, or an answer that belongs to the previous turn
        active.latencies_ms.append(response_time)
        if exception is not None:
            active.errors += 1

    env = Environment(user_classes=[Client])
    env.events.request.add_listener(on_request)
    memory: list[tuple[float, float]] = []
    t0 = time.monotonic()

    def sample_memory() -> None:
        while True:
            memory.append((round(time.monotonic() - t0, 1), round(process.memory_info().rss / 2**20, 1)))
            gevent.sleep(1.0)

    sampler = gevent.spawn(sample_memory)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    # warm-up: every user logged in, every target's result in the cache, pools and allocator settled
    for target in TARGETS:
        current["target"] = target
        gevent.sleep(WARMUP_S / len(TARGETS))
    warm_at = time.monotonic() - t0
    turn = duration / (rounds * len(TARGETS))
    for _ in range(rounds):
        for target in TARGETS:
            current["target"] = target
            cpu = process.cpu_times()
            start = time.monotonic()
            recording["slice"] = Slice(0.0, 0.0)
            gevent.sleep(turn)
            done = recording["slice"]
            recording["slice"] = None
            cpu_after = process.cpu_times()
            done.seconds = time.monotonic() - start
            done.server_cpu_s = (cpu_after.user + cpu_after.system) - (cpu.user + cpu.system)
            slices[target.name].append(done)
    end_at = time.monotonic() - t0
    runner.quit()
    sampler.kill()
    failures = {f"{e.method} {e.name}": e.occurrences for e in env.stats.errors.values()}
    return _report(slices, memory, warm_at, end_at, cold, files, rounds, duration, users, failures)


# ------------------------------------------------------------------------------------------ the record


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _target_record(name: str, parts: list[Slice]) -> dict[str, Any]:
    latencies = [x for s in parts for x in s.latencies_ms]
    seconds = sum(s.seconds for s in parts)
    cpu = sum(s.server_cpu_s for s in parts)
    n = len(latencies)
    return {
        "name": name,
        "requests": n,
        "errors": sum(s.errors for s in parts),
        "seconds": round(seconds, 2),
        "requests_per_s": round(n / seconds, 1) if seconds else None,
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.50), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
            "p99": round(_percentile(latencies, 0.99), 1),
            "max": round(max(latencies), 1) if latencies else None,
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
        },
        "per_round_p50_ms": [round(_percentile(s.latencies_ms, 0.5), 1) for s in parts],
        "per_round_p95_ms": [round(_percentile(s.latencies_ms, 0.95), 1) for s in parts],
        "server_cpu_ms_per_request": round(1000 * cpu / n, 3) if n else None,
        "per_round_server_cpu_ms_per_request": [
            round(1000 * s.server_cpu_s / len(s.latencies_ms), 3) if s.latencies_ms else None for s in parts
        ],
    }


def _memory_record(memory: list[tuple[float, float]], warm_at: float, end_at: float) -> dict[str, Any]:
    loaded = [(t, m) for t, m in memory if warm_at <= t <= end_at]
    fifth = max(1, len(loaded) // 5)
    first = statistics.median(m for _, m in loaded[:fifth])
    last = statistics.median(m for _, m in loaded[-fifth:])
    ts = [t for t, _ in loaded]
    ms = [m for _, m in loaded]
    slope = statistics.linear_regression(ts, ms).slope * 60 if len(loaded) > 2 else 0.0
    return {
        "sampled_every_s": 1.0,
        "rss_mb_after_warmup": first,
        "rss_mb_end": last,
        "rss_mb_max": max(ms),
        "growth": round((last - first) / first, 4),
        "slope_mb_per_min": round(slope, 3),
        "samples": memory,
    }


def _report(
    slices: dict[str, list[Slice]],
    memory: list[tuple[float, float]],
    warm_at: float,
    end_at: float,
    cold: dict[str, float],
    files: list[str],
    rounds: int,
    duration: float,
    users: int,
    failures: dict[str, int],
) -> dict[str, Any]:
    targets = [_target_record(name, parts) for name, parts in slices.items()]
    reference = targets[0]
    for t in targets:
        t["ratio_p50_vs_healthz"] = round(t["latency_ms"]["p50"] / reference["latency_ms"]["p50"], 2)
        t["ratio_cpu_vs_healthz"] = round(t["server_cpu_ms_per_request"] / reference["server_cpu_ms_per_request"], 2)
    mem = _memory_record(memory, warm_at, end_at)
    _print(targets, mem, users, duration)
    checks = []
    for t in targets[1:]:
        p95 = t["latency_ms"]["p95"]
        checks.append(
            {
                "what": f"{t['name']} at {users} concurrent clients",
                "target": f"p95 < {P95_TARGET_MS:g} ms, no errors",
                "measured": f"p95 {p95:.0f} ms, {t['errors']} errors in {t['requests']:,} requests",
                "met": p95 < P95_TARGET_MS and t["errors"] == 0 and t["requests"] > 0,
            }
        )
    checks.append(
        {
            "what": f"server memory over {duration / 60:.1f} min of load",
            "target": f"RSS growth < {MEMORY_GROWTH_TARGET:.0%} after warm-up",
            "measured": (
                f"{mem['rss_mb_after_warmup']:.0f} MB → {mem['rss_mb_end']:.0f} MB ({mem['growth']:+.1%}; "
                f"slope {mem['slope_mb_per_min']:+.2f} MB/min)"
            ),
            "met": abs(mem["growth"]) < MEMORY_GROWTH_TARGET,
        }
    )
    return {
        "description": __doc__.strip().splitlines()[0],
        "dataset": {"files": files, "region": REGION},
        "load": {
            "tool": f"locust {_version('locust')} (FastHttpUser, as a library)",
            "server": f"regiolens serve (uvicorn {_version('uvicorn')}, 1 process), loopback",
            "users": users,
            "think_time_s": 0,
            "duration_s": duration,
            "rounds": rounds,
            "warmup_s": WARMUP_S,
            "first_request_s": {k: round(v, 3) for k, v in cold.items()},
            "failures": failures,
        },
        "targets_measured": targets,
        "memory": mem,
        # the shape run.py --table reads: latency medians in seconds, requests/s as rows/s, ratio to /healthz
        "timings": [
            {
                "name": t["name"],
                "anchor": None if t is reference else reference["name"],
                "rows": t["requests"],
                "best_s": round(min(t["per_round_p50_ms"]) / 1000, 4),
                "median_s": round(t["latency_ms"]["p50"] / 1000, 4),
                "best_cpu_s": round(t["server_cpu_ms_per_request"] / 1000, 5),
                "rows_per_s": t["requests_per_s"],
                "ratio_vs_anchor": None if t is reference else t["ratio_p50_vs_healthz"],
            }
            for t in targets
        ],
        "targets": checks,
    }


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _print(targets: list[dict[str, Any]], mem: dict[str, Any], users: int, duration: float) -> None:
    print(f"\nweb: {users} clients, {duration:.0f} s of load")
    print(f"  {'target':<48} {'req':>7} {'err':>4} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'cpu ms':>7}")
    for t in targets:
        lat = t["latency_ms"]
        print(
            f"  {t['name']:<48} {t['requests']:>7,} {t['errors']:>4} {t['requests_per_s']:>7.1f} {lat['p50']:>7.1f}"
            f" {lat['p95']:>7.1f} {lat['p99']:>7.1f} {t['server_cpu_ms_per_request']:>7.2f}"
        )
    print(
        f"  server RSS {mem['rss_mb_after_warmup']:.0f} MB after warm-up → {mem['rss_mb_end']:.0f} MB at the end"
        f" (max {mem['rss_mb_max']:.0f} MB, {mem['growth']:+.1%}, {mem['slope_mb_per_min']:+.2f} MB/min)"
    )


def markdown(record: dict[str, Any]) -> str:
    """The saved record as the Markdown of README.md's summary."""
    m = record["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_average_before"])
    lo = record["load"]
    lines = [
        f"**web** — {m['date']}, {m['cpu_count']} × {m['cpu']}, Python {m['python']}, {lo['tool']}, {lo['server']},"
        f" commit {m['git_commit']}, load average before {load}; {lo['users']} clients without think time,"
        f" {lo['duration_s']:.0f} s of load in {lo['rounds']} rounds after {lo['warmup_s']:.0f} s of warm-up",
        "",
        "| target | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/req | p50 ÷ healthz |"
        " CPU ÷ healthz |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in record["targets_measured"]:
        lat = t["latency_ms"]
        lines.append(
            f"| {t['name']} | {t['requests']:,} | {t['errors']} | {t['requests_per_s']:,.1f} | {lat['p50']:.1f}"
            f" | {lat['p95']:.1f} | {lat['p99']:.1f} | {lat['max']:.0f} | {t['server_cpu_ms_per_request']:.2f}"
            f" | {t['ratio_p50_vs_healthz']:.1f} | {t['ratio_cpu_vs_healthz']:.1f} |"
        )
    mem = record["memory"]
    lines += [
        "",
        f"Server RSS: {mem['rss_mb_after_warmup']:.0f} MB after warm-up, {mem['rss_mb_end']:.0f} MB at the end,"
        f" max {mem['rss_mb_max']:.0f} MB ({mem['growth']:+.1%}, trend {mem['slope_mb_per_min']:+.2f} MB/min);"
        f" first profile API request alone (cold cache): "
        + ", ".join(f"{v:.2f} s" for v in lo["first_request_s"].values())
        + ".",
        "",
    ]
    for target in record.get("targets", []):
        verdict = "**met**" if target["met"] else "**not met**"
        lines.append(f"- Target for {target['what']}: {target['target']}; measured {target['measured']} — {verdict}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds of measured load (default 60)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="turns of each target (default 3)")
    parser.add_argument("--users", type=int, default=USERS, help="concurrent clients (default 20)")
    parser.add_argument("--no-save", action="store_true", help="print only; keep the saved record")
    parser.add_argument("--table", action="store_true", help="print the saved record as Markdown, run nothing")
    args = parser.parse_args(argv)
    out = RESULTS / "web.json"
    if args.table:
        print(markdown(json.loads(out.read_text(encoding="utf-8"))))
        return 0
    load_before = os.getloadavg()
    try:
        result = run(args.rounds, args.duration, args.users)
    except Skipped as exc:
        print(f"\nweb: SKIPPED — {exc}")
        return 0
    record = {
        "benchmark": "web",
        "machine": {**machine(), "load_average_before": load_before, "load_average_after": os.getloadavg()},
        **result,
    }
    for target in result["targets"]:
        verdict = "met" if target["met"] else "NOT MET"
        print(f"  target {target['what']}: {target['target']}, measured {target['measured']} → {verdict}")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"  → {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
