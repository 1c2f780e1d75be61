"""SQLite statements run on the event loop's own thread, for short write transactions.

aiosqlite sends every call (cursor, execute, fetch, close) to a thread of its own and waits
for the answer: four thread hand-offs per statement. On this project's 2-core machine that
costs ~550 µs a statement through SQLAlchemy, while SQLite itself answers a primary-key
read in ~4 µs (bench/README: "SQLite statements"). A binding step runs about ten statements
while it holds the database's only write lock, so the hand-offs were most of every step.

Here the calls run inline; SQLAlchemy's aiosqlite dialect adapts them (via `async_creator`,
its documented hook for a driver connection of our own). What must not block the loop:

- waiting for the write lock. BEGIN IMMEDIATE is tried without SQLite's busy handler (which
  sleeps in the calling thread); while another connection holds the lock we await a short
  sleep and try again, until the busy timeout. Writers of one process queue on an
  asyncio.Lock first, so they take turns instead of polling each other.
- long statements. Only short transactional work should use this; the catalog import's
  batches (tens of ms each) and all reads keep aiosqlite's thread.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
FIRST_RETRY_S = 0.0002
LONGEST_RETRY_S = 0.0005  # the lock is usually held for about a millisecond; a poll costs ~10 µs


class Writers:
    """The queue of one process's writers, per event loop (an asyncio.Lock belongs to one)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock


class InlineCursor:
    """The awaitable cursor surface SQLAlchemy's aiosqlite adapter uses."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> InlineCursor:
        self._cursor.executemany(sql, seq)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    """One sqlite3 connection (autocommit: SQLAlchemy emits BEGIN) used on the loop's thread."""

    def __init__(self, connection: sqlite3.Connection, writers: Writers) -> None:
        self._connection = connection  # the adapter checks this attribute, as aiosqlite's
        self._writers = writers
        self._held: asyncio.Lock | None = None

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._connection.cursor())

    async def begin_immediate(self, timeout_s: float) -> None:
        """BEGIN IMMEDIATE, waiting for the write lock without blocking the event loop."""
        deadline = time.monotonic() + timeout_s
        lock = self._writers.lock()
        try:
            await asyncio.wait_for(lock.acquire(), timeout_s)
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None
        self._held = lock
        delay = FIRST_RETRY_S
        try:
            while not self._try_begin_immediate():
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked")
                await asyncio.sleep(delay)
                delay = min(delay * 2, LONGEST_RETRY_S)
        except BaseException:
            self._release()
            raise

    def _try_begin_immediate(self) -> bool:
        # Without a busy handler for this one statement: SQLite would sleep on our thread.
        timeout_ms = self._connection.execute("PRAGMA busy_timeout").fetchone()[0]
        self._connection.execute("PRAGMA busy_timeout=0")
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF not in BUSY_CODES:
                raise
            return False
        finally:
            self._connection.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
        return True

    def _release(self) -> None:
        if self._held is not None:
            lock, self._held = self._held, None
            lock.release()

    async def commit(self) -> None:
        try:
            self._connection.commit()
        finally:
            if not self._connection.in_transaction:
                self._release()

    async def rollback(self) -> None:
        try:
            self._connection.rollback()
        finally:
            self._release()

    async def close(self) -> None:
        try:
            self._connection.close()
        finally:
            self._release()

    def stop(self) -> None:
        """SQLAlchemy's terminate() when a connection is dropped outside a greenlet."""
        try:
            self._connection.close()
        finally:
            self._release()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._connection.create_function(*args, **kwargs)


def connector(
    path: str, *, timeout_s: float, writers: Writers
) -> Callable[[], Coroutine[Any, Any, InlineConnection]]:
    """The `async_creator` for create_async_engine."""

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(
            path, timeout=timeout_s, isolation_level=None, check_same_thread=False
        )
        return InlineConnection(connection, writers)

    return connect
