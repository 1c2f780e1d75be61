"""Engines and sessions.

SQLite: WAL, a busy timeout, foreign keys on, and writes that begin with BEGIN IMMEDIATE so
that concurrent writers (threads or processes) are serialised instead of failing on upgrade.
Reads and bulk writes go through aiosqlite's threads; short write transactions run their
statements on the event loop's thread (kit/inline_sqlite.py), an order of magnitude cheaper.
PostgreSQL: asyncpg, one pool per process sized by settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from shoplink.kit import inline_sqlite
from shoplink.kit.inline_sqlite import Writers

SQLITE_BUSY_TIMEOUT_MS = 30_000


def async_url(url: str) -> str:
    """Accept the plain `sqlite:///` and `postgresql://` forms of SPEC §5."""
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def _on_sqlite_connect(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_engine(url: str, *, begin: str) -> AsyncEngine:
    """aiosqlite: each statement runs on a thread of its own, so long ones (searches, import
    batches) leave the event loop free."""
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (the documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        _on_sqlite_connect(dbapi_connection, record)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _inline_sqlite_engine(url: str, *, write: bool) -> AsyncEngine:
    """Short transactions: statements on the loop's thread (kit/inline_sqlite.py). A reader
    (BEGIN, deferred) never waits in WAL mode; a writer waits for the lock off the loop."""
    path = make_url(url).database
    assert path, "an in-memory database has no second connection to write with"
    timeout_s = SQLITE_BUSY_TIMEOUT_MS / 1000
    engine = create_async_engine(
        url, async_creator=inline_sqlite.connector(path, timeout_s=timeout_s, writers=Writers())
    )
    event.listen(engine.sync_engine, "connect", _on_sqlite_connect)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if write:
            conn.connection.dbapi_connection.run_async(lambda raw: raw.begin_immediate(timeout_s))
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _keep(session: Session, instance: object) -> None:
    session.info.setdefault("loaded", []).append(instance)


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = async_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        if self.dialect == "sqlite":
            self.read_engine = _sqlite_engine(self.url, begin="BEGIN")
            self.write_engine = _inline_sqlite_engine(self.url, write=True)
            self.lookup_engine = _inline_sqlite_engine(self.url, write=False)
            # Long write statements (the catalog import's batches) keep a thread of their own.
            self.bulk_engine = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE")
        else:
            engine = create_async_engine(
                self.url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800
            )
            self.read_engine = self.write_engine = self.bulk_engine = self.lookup_engine = engine
        # Committed write transactions of this process: a cache of public reads compares it
        # to see its own process's changes at once (kit/changes.py sees the others').
        self.write_commits = 0

        class WriteSession(Session):
            pass

        event.listen(WriteSession, "after_commit", self._count_commit)
        # The identity map holds objects weakly: a row a rule check loaded and let go of
        # would be fetched again by the next step. A write session lives for one request,
        # so it keeps what it loaded (SQLAlchemy's "strong reference" recipe).
        event.listen(WriteSession, "loaded_as_persistent", _keep)
        event.listen(WriteSession, "pending_to_persistent", _keep)
        self._read = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._write = async_sessionmaker(
            self.write_engine, expire_on_commit=False, sync_session_class=WriteSession
        )
        self._bulk = async_sessionmaker(
            self.bulk_engine, expire_on_commit=False, sync_session_class=WriteSession
        )
        self._lookup = async_sessionmaker(self.lookup_engine, expire_on_commit=False)

    def _count_commit(self, _: Session) -> None:
        self.write_commits += 1

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def session(self, *, write: bool, bulk: bool = False) -> AsyncSession:
        """`bulk`: a write whose statements take tens of milliseconds (on SQLite they run on
        a thread, not on the event loop)."""
        if bulk:
            return self._bulk()
        return (self._write if write else self._read)()

    @asynccontextmanager
    async def lookup(self, request_session: AsyncSession) -> AsyncIterator[AsyncSession]:
        """Where a request reads a few rows by key (who is calling) before its own work.

        SQLite: a session of its own, on the loop's thread and outside the request's
        transaction, so a write request does not hold the database's only write lock while
        it authenticates. PostgreSQL: the request's session (a second connection would cost
        more than it saves).
        """
        if self.is_postgres:
            yield request_session
            return
        async with self._lookup() as session:
            yield session

    @asynccontextmanager
    async def transaction(
        self, *, write: bool = True, bulk: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """For jobs and the CLI: commit on success, roll back on error."""
        async with self.session(write=write, bulk=bulk) as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        engines = (self.read_engine, self.write_engine, self.bulk_engine, self.lookup_engine)
        for engine in set(engines):
            await engine.dispose()
