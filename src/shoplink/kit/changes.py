"""Has the database changed since I last looked? Asked on every cached read, so it must cost
microseconds and never a query through the connection pool.

- SQLite: `PRAGMA data_version` on a read-only connection of our own. It changes as soon as
  any other connection, in any process, commits (the WAL index lives in shared memory).
- PostgreSQL: the storefront tables' triggers send NOTIFY at commit (migration
  2026-11-25-0127); one LISTEN connection per process counts them. Another process's change
  arrives within milliseconds. If the LISTEN connection is lost the feed reports "unknown"
  (and cached readers must go to the database) until it is back.

`generation()` returns a number that changes whenever the data may have changed, or None
when that cannot be known right now.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import uuid
from typing import Any, Protocol

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger("shoplink.changes")

CHANNEL = "shoplink_storefront"
RECONNECT_SECONDS = 2.0


class ChangeFeed(Protocol):
    def generation(self) -> int | None: ...

    async def caught_up(self) -> None:
        """Returns once every change committed before the call is counted."""

    async def close(self) -> None: ...


class NoFeed:
    """An in-memory database cannot be watched from a connection of our own: nothing is known,
    so nothing is cached."""

    def generation(self) -> int | None:
        return None

    async def caught_up(self) -> None:
        return None

    async def close(self) -> None:
        return None


class SqliteDataVersion:
    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        # data_version is per connection: a reopened one starts afresh, so count changes.
        self._seen: int | None = None
        self._count = 0

    def generation(self) -> int | None:
        try:
            if self._connection is None:
                # Opened lazily on the event loop's thread, the only one that uses it.
                self._connection = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, isolation_level=None
                )
                self._seen = None
            version = int(self._connection.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            log.warning("changes.sqlite_unavailable error=%s", exc)
            self._connection = None
            return None
        if version != self._seen:
            self._seen = version
            self._count += 1
        return self._count

    async def caught_up(self) -> None:
        return None  # data_version is read synchronously: nothing is ever in flight

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class PostgresNotify:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._count = 0
        self._connection: Any = None  # asyncpg.Connection while listening
        self._connecting: asyncio.Task[None] | None = None
        self._next_attempt = 0.0
        self._markers: dict[str, asyncio.Event] = {}

    def generation(self) -> int | None:
        if self._connection is not None and not self._connection.is_closed():
            return self._count
        self._connection = None
        now = time.monotonic()
        if self._connecting is None and now >= self._next_attempt:
            self._next_attempt = now + RECONNECT_SECONDS
            self._connecting = asyncio.get_running_loop().create_task(self._listen())
        return None

    async def _listen(self) -> None:
        try:
            connection = await asyncpg.connect(self.dsn)
            await connection.add_listener(CHANNEL, self._notified)
            connection.add_termination_listener(self._lost)
            # Whatever happened while nobody listened is unknown: count it as a change.
            self._count += 1
            self._connection = connection
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("changes.listen_failed error=%s", exc)
        finally:
            self._connecting = None

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self._count += 1
        marker = self._markers.pop(payload, None)
        if marker is not None:
            marker.set()

    async def caught_up(self) -> None:
        """NOTIFY reaches a listener in commit order, so once our own marker is back every
        earlier commit's is too. Opens the LISTEN connection first if it is closed."""
        if self.generation() is None:
            if self._connecting is None:
                self._connecting = asyncio.get_running_loop().create_task(self._listen())
            await asyncio.shield(self._connecting)
        if self._connection is None:
            raise ConnectionError("the change feed is not listening")
        payload = f"caught-up:{uuid.uuid4()}"
        arrived = self._markers[payload] = asyncio.Event()
        await self._connection.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
        await arrived.wait()

    def _lost(self, *_: object) -> None:
        log.warning("changes.listen_lost")
        self._connection = None

    async def close(self) -> None:
        if self._connecting is not None:
            await self._connecting
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.remove_termination_listener(self._lost)  # a close is not a loss
            await connection.close()


def feed_for(url: str) -> ChangeFeed:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = parsed.database
        return SqliteDataVersion(path) if path and path != ":memory:" else NoFeed()
    if backend == "postgresql":
        return PostgresNotify(parsed.set(drivername="postgresql").render_as_string(False))
    return NoFeed()
