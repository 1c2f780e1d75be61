"""Bulk loaders for the benchmark databases: plain SQL, executemany on SQLite, COPY on
PostgreSQL (asyncpg), so a million shops load in seconds rather than through the API.

Layout of a binding world with `shops` shops and `flow` shops per step (ids are fixed):
- users 1 bench.seller (staff owner of sellers 1..2*flow), 2 bench.owner (owns accounts
  1..2*flow), 3 bench.reviewer, 4 bench.crowd (owns the other accounts); password PASSWORD
- shop i belongs to seller i and faces account i (username acct{i}), all region US
- shops 1..flow: no link yet (the request / authorize / approve steps use them)
- shops flow+1..shops: an active official link bound two days ago (flow+1..2*flow are the
  ones the unbind step unbinds; the rest is the crowd that makes the tables big)
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher

PASSWORD = "bench-password"
USERS = ("bench.seller", "bench.owner", "bench.reviewer", "bench.crowd")
BATCH = 50_000


def _stamp(value: datetime, sqlite: bool) -> Any:
    return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value


def world_rows(shops: int, flow: int, sqlite: bool) -> dict[str, tuple[list[str], Iterable[Any]]]:
    now = datetime.now(UTC)
    at = _stamp(now, sqlite)
    bound = _stamp(now - timedelta(days=2), sqlite)
    digest = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash(PASSWORD)
    true, false = (1, 0) if sqlite else (True, False)
    users = [
        (i + 1, name, digest, name, true if name == "bench.reviewer" else false, false, at)
        for i, name in enumerate(USERS)
    ]

    def sellers() -> Iterator[tuple[Any, ...]]:
        for i in range(1, shops + 1):
            yield (i, f"Entity {i}", f"ENT-{i}", "business", "US", at)

    def shop_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, shops + 1):
            yield (i, i, f"Shop {i}", "US", "business", "active", at)

    def accounts() -> Iterator[tuple[Any, ...]]:
        for i in range(1, shops + 1):
            owner = 2 if i <= 2 * flow else 4
            yield (i, f"acct{i}", f"Account {i}", "US", "personal", "active", owner, at)

    def links() -> Iterator[tuple[Any, ...]]:
        for i in range(flow + 1, shops + 1):
            yield (i, i, "official", "active", "link_existing", 1, bound, bound, bound, bound)

    return {
        "users": (
            [
                "id",
                "username",
                "password_hash",
                "display_name",
                "is_reviewer",
                "is_admin",
                "created_at",
            ],
            users,
        ),
        "sellers": (
            ["id", "entity_name", "entity_id", "entity_type", "region", "created_at"],
            sellers(),
        ),
        "seller_staff": (
            ["seller_id", "user_id", "role"],
            ((i, 1, "owner") for i in range(1, min(shops, 2 * flow) + 1)),
        ),
        "shops": (
            ["id", "seller_id", "name", "region", "store_type", "status", "created_at"],
            shop_rows(),
        ),
        "accounts": (
            [
                "id",
                "username",
                "nickname",
                "region",
                "kind",
                "status",
                "owner_user_id",
                "created_at",
            ],
            accounts(),
        ),
        "links": (
            [
                "shop_id",
                "account_id",
                "role",
                "status",
                "method",
                "requested_by",
                "requested_at",
                "authorized_at",
                "reviewed_at",
                "bound_at",
            ],
            links(),
        ),
    }


def _batches(rows: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def load_sqlite(path: str, tables: dict[str, tuple[list[str], Iterable[Any]]]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    for table, (columns, rows) in tables.items():
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        for batch in _batches(rows):
            conn.executemany(sql, batch)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


async def load_postgres(url: str, tables: dict[str, tuple[list[str], Iterable[Any]]]) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            for table, (columns, rows) in tables.items():
                for batch in _batches(rows):
                    await conn.copy_records_to_table(table, records=batch, columns=columns)
                if "id" in columns:
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))"
                    )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def load(url: str, tables: dict[str, tuple[list[str], Iterable[Any]]]) -> None:
    if url.startswith("sqlite"):
        load_sqlite(url.removeprefix("sqlite:///"), tables)
    else:
        asyncio.run(load_postgres(url, tables))


def load_world(url: str, *, shops: int, flow: int) -> None:
    load(url, world_rows(shops, flow, url.startswith("sqlite")))


def catalog_rows(
    shop_products: dict[int, int], sqlite: bool
) -> dict[str, tuple[list[str], Iterable[Any]]]:
    """A read world: shop i (for each key) with its official account acct{i} bound, and
    shop_products[i] active products with B4's EN/ZH titles (terms made as the importer does)."""
    from catalog_import import COLUMNS, rows

    shops = max(shop_products)
    tables = world_rows(shops, 0, sqlite)
    now = datetime.now(UTC)
    stamp = _stamp(now, sqlite)

    def products() -> Iterator[tuple[Any, ...]]:
        for shop_id, count in shop_products.items():
            for row in rows(count, now):
                yield (shop_id, *row[1:-2], stamp, stamp)

    tables["products"] = (list(COLUMNS), products())
    return tables
