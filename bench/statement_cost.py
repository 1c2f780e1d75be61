"""CPU per primary-key SELECT by path, in-process, on SQLite (inline, as write sessions run)
and PostgreSQL: why kit/statements.py exists.

    .venv/bin/python bench/statement_cost.py [--n 3000]

Paths: SQLAlchemy ORM entity, SQLAlchemy Core columns, a kit.statements.Statement (the
same Core select, compiled once and run on the session connection's DBAPI cursor), and
the bare driver (sqlite3 / asyncpg) as the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import postgres
from sqlalchemy import bindparam, select

from shoplink.cli import upgrade_database
from shoplink.db import Database
from shoplink.kit.statements import Statement
from shoplink.models import User

COLUMNS = select(User.id, User.username, User.is_admin).where(User.id == bindparam("id"))
COMPILED = Statement(COLUMNS)
ORM = select(User).where(User.id == bindparam("id"))
NOW = datetime.now(UTC)


async def timed(name: str, n: int, call: Callable[[int], Awaitable[Any]]) -> None:
    for i in range(100):
        await call(i)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        await call(i)
    wall = (time.perf_counter() - started) / n * 1e6
    print(f"  {name:<28} {(time.process_time() - cpu) / n * 1e6:7.1f} µs CPU, {wall:7.1f} µs wall")


async def measure(url: str, n: int, driver: Callable[[int], Awaitable[Any]]) -> None:
    db = Database(url)
    async with db.transaction() as session:
        for i in range(1, 1001):
            session.add(
                User(id=i, username=f"u{i}", password_hash="x", display_name="U", created_at=NOW)
            )
    async with db.transaction() as session:
        key = lambda i: {"id": i % 1000 + 1}  # noqa: E731
        await timed("SQLAlchemy ORM entity", n, lambda i: _scalar(session, ORM, key(i)))
        await timed("SQLAlchemy Core columns", n, lambda i: _first(session, COLUMNS, key(i)))
        await timed("kit.statements.Statement", n, lambda i: COMPILED.all(session, **key(i)))
        await timed("bare driver", n, driver)
    await db.dispose()


async def _scalar(session: Any, stmt: Any, params: dict[str, int]) -> Any:
    return (await session.execute(stmt, params)).scalar_one()


async def _first(session: Any, stmt: Any, params: dict[str, int]) -> Any:
    return (await session.execute(stmt, params)).first()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shoplink-stmt-") as tmp:
        path = Path(tmp) / "s.db"
        url = f"sqlite:///{path}"
        upgrade_database(url)
        raw = sqlite3.connect(path)
        sql = "SELECT id, username, is_admin FROM users WHERE id = ?"

        async def bare_sqlite(i: int) -> Any:
            return raw.execute(sql, (i % 1000 + 1,)).fetchall()

        print("SQLite (write session, inline):")
        asyncio.run(measure(url, args.n, bare_sqlite))
    with postgres() as cluster:
        url = cluster.create_database("stmt")
        upgrade_database(url)

        async def run() -> None:
            import asyncpg

            conn = await asyncpg.connect(url)
            sql = "SELECT id, username, is_admin FROM users WHERE id = $1"

            async def bare_pg(i: int) -> Any:
                return await conn.fetch(sql, i % 1000 + 1)

            await measure(url, args.n, bare_pg)
            await conn.close()

        print("PostgreSQL (asyncpg):")
        asyncio.run(run())


if __name__ == "__main__":
    main()
