"""SQLite write transactions on the event loop's thread (kit/inline_sqlite.py).

Waiting for the write lock must never block the loop: not for a writer of the same process,
not for another connection (another process, the CLI) holding the lock. Writers still get
the lock one at a time, and a busy timeout still ends a wait that is too long.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from shoplink.db import Database
from shoplink.kit import inline_sqlite


@pytest.fixture
async def db() -> AsyncIterator[Database]:
    with tempfile.TemporaryDirectory(prefix="shoplink-inline-") as tmp:
        database = Database(f"sqlite:///{Path(tmp) / 'inline.db'}")
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)"))
        yield database
        await database.dispose()


async def ticks_while(work: asyncio.Task[object]) -> int:
    """How often the loop ran something else (a 1 ms ticker) while `work` was not done."""
    ticks = 0
    while not work.done():
        await asyncio.sleep(0.001)
        ticks += 1
    return ticks


async def test_a_writer_waits_for_another_connections_lock_without_blocking_the_loop(
    db: Database,
) -> None:
    path = db.write_engine.url.database
    assert path is not None
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write transaction, say
    other.execute("INSERT INTO t (who) VALUES ('other')")

    async def write() -> None:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (who) VALUES ('ours')"))

    writing = asyncio.create_task(write())
    await asyncio.sleep(0.2)
    assert not writing.done(), "the write went ahead while another connection held the lock"
    asyncio.get_running_loop().call_later(0.1, other.execute, "COMMIT")
    assert await ticks_while(writing) >= 20, "the loop was blocked while the writer waited"
    await writing
    other.close()
    async with db.transaction(write=False) as session:
        rows = (await session.execute(text("SELECT who FROM t ORDER BY id"))).scalars().all()
    assert rows == ["other", "ours"]


async def test_writers_of_one_process_take_turns(db: Database) -> None:
    """Each holds the lock across an await; no two are ever inside at once."""
    inside: list[int] = []
    overlaps: list[int] = []

    async def write(n: int) -> None:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (who) VALUES (:n)"), {"n": str(n)})
            if inside:
                overlaps.append(n)
            inside.append(n)
            await asyncio.sleep(0.005)
            inside.remove(n)

    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(write(n) for n in range(20))), timeout=30)
    assert overlaps == []
    assert time.monotonic() - started >= 20 * 0.005
    async with db.transaction(write=False) as session:
        count = (await session.execute(text("SELECT count(*) FROM t"))).scalar_one()
    assert count == 20


async def test_a_failed_transaction_lets_the_next_writer_in(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (who) VALUES ('lost')"))
            raise RuntimeError("refused")
    async with asyncio.timeout(5):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (who) VALUES ('kept')"))
    async with db.transaction(write=False) as session:
        rows = (await session.execute(text("SELECT who FROM t"))).scalars().all()
    assert rows == ["kept"]


async def test_the_busy_timeout_still_ends_a_wait(db: Database) -> None:
    path = db.write_engine.url.database
    assert path is not None
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        connection = await inline_sqlite.connector(
            path, timeout_s=0.2, writers=inline_sqlite.Writers()
        )()
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await connection.begin_immediate(0.2)
        assert 0.2 <= time.monotonic() - started < 2
        # ... and the lock of this process's writers was given back.
        other.execute("COMMIT")
        await asyncio.wait_for(connection.begin_immediate(1), timeout=2)
        await connection.rollback()
        await connection.close()
    finally:
        other.close()
