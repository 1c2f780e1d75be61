"""Real server processes for the race tests.

Per backend (SQLite file, PostgreSQL database on the throwaway cluster) a fresh database is
migrated and two single-worker `shoplink serve --test-clock` processes are started on two
ports, sharing it. Two processes rather than `--workers 2`: every request is sent to a known
process (alternating), so the races really span processes, and teardown only has to end the
two processes started here, by their pid.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from shoplink.cli import upgrade_database
from tests import pg
from tests.factories import Person, World
from tests.servers import Server, start_server, wait_healthy

PROCESSES = 2
REQUEST_TIMEOUT = httpx.Timeout(90.0, connect=30.0)
# Enough connections that every request of the largest race is in flight at once.
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=200)


@dataclass
class Cluster:
    """The server processes of one backend, sharing one database."""

    backend: str
    database_url: str
    servers: list[Server] = field(default_factory=list)

    def logs(self) -> str:
        return "\n".join(
            f"----- server {i} ({s.url}) output -----\n{s.output()}"
            for i, s in enumerate(self.servers)
        )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def race_cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    with tempfile.TemporaryDirectory(prefix="shoplink-races-") as tmp:
        workdir = Path(tmp)
        if request.param == "postgres":
            pg_cluster: pg.Cluster = request.getfixturevalue("pg_cluster")
            url = pg_cluster.create_database(f"races_{os.getpid()}_{time.monotonic_ns()}")
        else:
            url = f"sqlite:///{workdir / 'races.db'}"
        upgrade_database(url)
        cluster = Cluster(backend=request.param, database_url=url)
        try:
            # Started together, so they boot in parallel; free_port() can race another
            # program for the port, hence a few attempts.
            for index in range(PROCESSES):
                cluster.servers.append(start_server(url, workdir, index))
            for index in range(PROCESSES):
                for _ in range(3):
                    if wait_healthy(cluster.servers[index]):
                        break
                    cluster.servers[index] = start_server(url, workdir, index)
                else:
                    pytest.fail(f"no free port for server {index}:\n{cluster.logs()}")
            yield cluster
        finally:
            for server in cluster.servers:
                server.stop()


@dataclass
class Race:
    """One World per server process; setup goes through the first, races alternate.

    Logging in costs an argon2 hash, so the module shares two people: `seller` owns every
    seller (hence every shop) and `owner` every personal account the tests create.
    """

    cluster: Cluster
    worlds: list[World]
    seller: Person
    owner: Person

    @property
    def world(self) -> World:
        return self.worlds[0]

    def via(self, index: int) -> World:
        return self.worlds[index % len(self.worlds)]

    async def warm_up(self, connections: int) -> None:
        """Open the connections beforehand, so the race's requests leave at the same moment."""
        per_world = connections // len(self.worlds) + 1
        responses = await asyncio.gather(
            *(w.client.get("/healthz") for w in self.worlds for _ in range(per_world))
        )
        assert all(r.status_code == 200 for r in responses)


@pytest.fixture(scope="module")
async def race(race_cluster: Cluster) -> AsyncIterator[Race]:
    clients = [
        httpx.AsyncClient(base_url=server.url, timeout=REQUEST_TIMEOUT, limits=LIMITS)
        for server in race_cluster.servers
    ]
    try:
        worlds = [World(client) for client in clients]
        seller, owner = await asyncio.gather(
            worlds[0].person(prefix="seller"), worlds[-1].person(prefix="owner")
        )
        yield Race(race_cluster, worlds, seller, owner)
    finally:
        for client in clients:
            await client.aclose()
