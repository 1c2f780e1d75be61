"""Real `shoplink` processes (servers and workers) for the tests that need them: races, browser
tests, webhook faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import pg
from tests.factories import ADMIN_TOKEN

SHOPLINK = Path(sys.executable).parent / "shoplink"
STARTUP_SECONDS = 60


@dataclass
class Process:
    """A `shoplink` process of a test (server or worker), in its own session."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""  # servers only

    def output(self, tail: int = 12_000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[-tail:]

    def kill9(self) -> None:
        """SIGKILL, no goodbye: the process group of this one process."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()


Server = Process


def spawn(
    name: str,
    args: list[str],
    *,
    database_url: str,
    workdir: Path,
    env_extra: dict[str, str] | None = None,
    url: str = "",
) -> Process:
    """`shoplink ARGS --database-url URL --test-clock`, output to WORKDIR/NAME.log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPLINK_")}
    env["SHOPLINK_ADMIN_TOKEN"] = ADMIN_TOKEN
    env.update(env_extra or {})
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(SHOPLINK), *args, "--database-url", database_url, "--test-clock"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Process(name, process, log, url)


def start_server(
    database_url: str,
    workdir: Path,
    index: int,
    *,
    env_extra: dict[str, str] | None = None,
    platform: str = "tiktok_shop",
) -> Server:
    port = pg.free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--platform", platform]
    return spawn(
        f"server-{platform}-{index}",
        [*args, "--workers", "1"],
        database_url=database_url,
        workdir=workdir,
        env_extra=env_extra,
        url=f"http://127.0.0.1:{port}",
    )


def wait_healthy(server: Server) -> bool:
    """True once /healthz answers; False if the port was taken meanwhile (start another)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            if "address already in use" in server.output().lower():
                return False
            pytest.fail(
                f"shoplink serve exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            if httpx.get(server.url + "/healthz", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"shoplink serve did not answer /healthz in {STARTUP_SECONDS}s:\n{server.output()}")
