"""B4: product import throughput and memory, against the database's raw bulk insert.

1. Write an N-line CSV (default 1,000,000) to a temp file.
2. `shoplink import-products --quiet` in its own process on a freshly migrated database:
   rows/s, and peak RSS of that process (from wait4's rusage).
3. Baseline on another fresh database: the same rows, prepared in memory beforehand, inserted
   into the same `products` table (its indexes and search triggers included) by the driver's
   own bulk path: sqlite3 executemany on SQLite, COPY (asyncpg) on PostgreSQL.

    .venv/bin/python bench/catalog_import.py [--lines N] [--database-url URL] [--quick]

--quick imports 20,000 lines. The figures also go to bench/results/b4_import.json.

With --database-url postgresql://…/db the two runs use databases <db>_import and <db>_raw,
created fresh.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shoplink.cli import upgrade_database
from shoplink.policy.search_terms import index_terms

SHOPLINK = Path(sys.executable).parent / "shoplink"
WORDS = [
    "red",
    "blue",
    "trail",
    "running",
    "shoe",
    "cotton",
    "tee",
    "linen",
    "dress",
    "wool",
    "scarf",
    "leather",
    "bag",
]
HANZI = ["男子跑步鞋", "纯棉T恤", "真丝连衣裙", "蓝牙耳机", "保温杯", "手机壳"]
CHUNK = 10_000


def title(i: int) -> str:
    return f"{WORDS[i % 13]} {WORDS[(i // 13) % 13]} {HANZI[i % 6]} {i}"


def write_csv(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("sku,title,description,price,currency,stock,affiliate_commission_rate\n")
        for i in range(lines):
            out.write(f"SKU-{i},{title(i)},Item number {i},{i % 500}.99,USD,{i % 40},0.10\n")


def peak_rss_mib(rusage: Any) -> float:
    return rusage.ru_maxrss / 1024  # kilobytes on Linux


def run_import(url: str, path: Path) -> tuple[float, float, str]:
    env = {**os.environ, "SHOPLINK_DATABASE_URL": url}
    setup = (
        "import asyncio; from shoplink.db import Database; from shoplink.models import *;"
        "from datetime import datetime, UTC\n"
        "async def main():\n"
        "    db = Database(__import__('os').environ['SHOPLINK_DATABASE_URL'])\n"
        "    async with db.transaction() as s:\n"
        "        now = datetime.now(UTC)\n"
        "        u = User(username='bench', password_hash='x', display_name='b', created_at=now)\n"
        "        s.add(u); await s.flush()\n"
        "        sel = Seller(entity_name='B', entity_id='B1', entity_type='business',"
        " region='US', created_at=now); s.add(sel); await s.flush()\n"
        "        s.add(Shop(seller_id=sel.id, name='Bench', region='US', store_type='business',"
        " status='active', created_at=now))\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(SHOPLINK), "import-products", "--shop", "1", "--quiet", str(path)],
        env=env,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, rusage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"import failed: {output[-2000:]}")
    return elapsed, peak_rss_mib(rusage), output


def rows(lines: int, now: datetime) -> Any:
    for i in range(lines):
        t = title(i)
        d = f"Item number {i}"
        yield (
            1,
            f"SKU-{i}",
            t,
            d,
            (i % 500) * 100 + 99,
            "USD",
            i % 40,
            "active",
            1000,
            index_terms(t),
            index_terms(d),
            now,
            now,
        )


COLUMNS = (
    "shop_id",
    "sku",
    "title",
    "description",
    "price_minor",
    "currency",
    "stock",
    "status",
    "commission_bps",
    "title_terms",
    "body_terms",
    "created_at",
    "updated_at",
)


def raw_sqlite(path: str, lines: int) -> float:
    now = datetime.now(UTC)
    prepared = list(rows(lines, now))
    stamp = now.isoformat(sep=" ")
    prepared = [(*r[:-2], stamp, stamp) for r in prepared]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "INSERT INTO sellers(entity_name, entity_id, entity_type, region, created_at)"
        " VALUES ('B','B1','business','US',?)",
        (stamp,),
    )
    conn.execute(
        "INSERT INTO shops(seller_id, name, region, store_type, status, created_at)"
        " VALUES (1,'Bench','US','business','active',?)",
        (stamp,),
    )
    sql = f"INSERT INTO products({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    started = time.perf_counter()
    for start in range(0, lines, CHUNK):  # the same commit size as the importer's batches
        conn.execute("BEGIN")
        conn.executemany(sql, prepared[start : start + CHUNK])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


async def raw_postgres(url: str, lines: int) -> float:
    import asyncpg

    now = datetime.now(UTC)
    prepared = list(rows(lines, now))
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    await conn.execute(
        "INSERT INTO sellers(entity_name, entity_id, entity_type, region, created_at)"
        " VALUES ('B','B1','business','US',now());"
        "INSERT INTO shops(seller_id, name, region, store_type, status, created_at)"
        " VALUES (1,'Bench','US','business','active',now())"
    )
    started = time.perf_counter()
    for start in range(0, lines, CHUNK):
        async with conn.transaction():
            await conn.copy_records_to_table(
                "products", records=prepared[start : start + CHUNK], columns=COLUMNS
            )
    elapsed = time.perf_counter() - started
    await conn.close()
    return elapsed


def fresh_postgres(url: str, suffix: str) -> str:
    import asyncpg

    base, _, name = url.rpartition("/")
    target = f"{name}_{suffix}"

    async def create() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        await conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        await conn.execute(f'CREATE DATABASE "{target}"')
        await conn.close()

    asyncio.run(create())
    return f"{base}/{target}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--quick", action="store_true", help="20,000 lines")
    args = parser.parse_args()
    if args.quick:
        args.lines = min(args.lines, 20_000)
    with tempfile.TemporaryDirectory(prefix="shoplink-bench-") as tmp:
        csv_path = Path(tmp) / "products.csv"
        write_csv(csv_path, args.lines)
        size_mib = csv_path.stat().st_size / 2**20
        if args.database_url:
            import_url = fresh_postgres(args.database_url, "import")
            raw_url = fresh_postgres(args.database_url, "raw")
            backend = "postgresql"
        else:
            import_url = f"sqlite:///{tmp}/import.db"
            raw_url = f"sqlite:///{tmp}/raw.db"
            backend = "sqlite"
        upgrade_database(import_url)
        upgrade_database(raw_url)
        elapsed, rss, _ = run_import(import_url, csv_path)
        if backend == "sqlite":
            raw = raw_sqlite(raw_url.removeprefix("sqlite:///"), args.lines)
        else:
            raw = asyncio.run(raw_postgres(raw_url, args.lines))
    ours, theirs = args.lines / elapsed, args.lines / raw
    print(
        f"B4 import · {backend} · {args.lines:,} lines ({size_mib:.0f} MiB CSV) ·"
        f" {platform.machine()} {os.cpu_count()} cores · Python {platform.python_version()}"
    )
    print(
        f"  shoplink import-products: {ours:,.0f} rows/s ({elapsed:.1f} s), peak RSS {rss:.0f} MiB"
    )
    print(f"  raw bulk insert baseline: {theirs:,.0f} rows/s ({raw:.1f} s)")
    print(f"  ratio {ours / theirs:.2f} (target >= 0.5), RSS target <= 150 MiB")
    from common import machine, write_result

    write_result(
        "b4_import",
        {
            "machine": machine(),
            "quick": args.quick,
            "backend": backend,
            "lines": args.lines,
            "rows_per_s": ours,
            "raw_rows_per_s": theirs,
            "ratio": ours / theirs,
            "peak_rss_mib": rss,
            "seconds": elapsed,
            "raw_seconds": raw,
        },
    )


if __name__ == "__main__":
    main()
