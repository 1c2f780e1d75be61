"""Shared pieces of the benchmarks: the machine line, servers, the load generator, PostgreSQL.

Every server is `uvicorn bench_app:create --factory` (shoplink's app plus the baseline
router of bench_app.py) in its own process group; the load comes from bench/loadgen.py in
another process, on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))

if str(ROOT) not in sys.path:  # for tests.pg, the throwaway cluster the tests use
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def postgres_version() -> str:
    from tests import pg

    try:
        out = subprocess.run(
            [str(pg.PG_BIN / "postgres"), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
        found = re.search(r"\d+\.\d+", out)
        return found.group(0) if found else "not installed"
    except OSError:
        return "not installed"


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(),
        "server_workers": WORKERS,
        # The machine is shared: a load average above 0 means other work ran beside us.
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
        "loadgen": "bench/loadgen.py, 1 process, asyncio+uvloop, HTTP/1.1 keep-alive",
    }


def print_machine(title: str) -> dict[str, Any]:
    info = machine()
    print(
        f"{title} · {info['nproc']} cores ({info['cpu']}) · Python {info['python']}"
        f" · SQLite {info['sqlite']} · PostgreSQL {info['postgresql']}"
        f" · {info['server_workers']} server workers · load: {info['loadgen']}"
        f" · load average {info['loadavg_1m_at_start']}",
        flush=True,
    )
    return info


@contextlib.contextmanager
def server(database_url: str, *, workers: int = WORKERS, **env: str) -> Iterator[int]:
    """shoplink (plus the bench router) served by uvicorn with `workers` processes."""
    port = free_port()
    metrics_dir = tempfile.mkdtemp(prefix="shoplink-bench-metrics-")
    environment = {
        **os.environ,
        "SHOPLINK_DATABASE_URL": database_url,
        "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
        # This tree's own code, whichever tree the editable install points at (A/B runs).
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(BENCH.parent / "src")]),
        **env,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench_app:create",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=environment,
        start_new_session=True,
    )
    try:
        wait_ready(port, process)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(metrics_dir, ignore_errors=True)


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                # every worker must be up: ask a few times over fresh connections
                for _ in range(WORKERS * 4):
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def load(
    port: int,
    requests: list[dict[str, Any]],
    *,
    concurrency: int,
    total: int,
    seconds: float,
    cycle: bool = False,
    warmup: int = 0,
    rounds: int = 1,
    workers: int = WORKERS,
) -> dict[str, Any]:
    """Run bench/loadgen.py in its own process and return its JSON result.

    Its connections are spread evenly over the server's `workers` processes."""
    spec = {
        "port": port,
        "concurrency": concurrency,
        "requests": total,
        "seconds": seconds,
        "cycle": cycle,
        "warmup": warmup,
        "rounds": rounds,
        "requests_list": requests,
        "balance": {"path": "/bench/pid", "workers": workers},
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    try:
        out = subprocess.run(
            [sys.executable, str(BENCH / "loadgen.py"), f.name],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    result: dict[str, Any] = json.loads(out)
    return result


def get(path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"method": "GET", "path": path, "headers": headers or {}}


def post(path: str, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "method": "POST",
        "path": path,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": json.dumps(body),
    }


@contextlib.contextmanager
def postgres() -> Iterator[Any]:
    """tests/pg.py's throwaway cluster (fsync and synchronous_commit off, as in the tests)."""
    from tests import pg

    if not pg.available():
        raise RuntimeError(f"PostgreSQL server binaries not found in {pg.PG_BIN}")
    cluster = pg.Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def fmt_load(r: dict[str, Any]) -> str:
    return (
        f"{r['req_per_s']:,.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms"
        f" ({r['count']} requests, c={r['concurrency']}"
        f" as {'+'.join(map(str, r.get('per_worker') or ['?']))} per worker,"
        f" statuses {r['statuses']})"
        + (
            " rounds " + "/".join(f"{x:,.0f}" for x in r["rounds_req_per_s"])
            if len(r.get("rounds_req_per_s", [])) > 1
            else ""
        )
    )
