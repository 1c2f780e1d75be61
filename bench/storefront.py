"""B1 Shop Page read and B2 search, on one database and one server per backend.

The database holds shop 1 with 10,000 active products and shop 2 with 100,000 (B4's EN/ZH
titles, terms made as the importer makes them), each bound to its official account (acct1,
acct2); it is bulk-loaded with SQL.

B1: `GET /api/v1/profiles/acct1/shop-page` (24 items) at fixed concurrency, req/s (the
    best of 4 rounds over fresh connections: the 2 workers share one listening socket and
    a round where one of them accepted most connections runs on one core) and
    p50/p99 (over all rounds), against `GET /healthz` of the same server and worker
    count, back to back; the HTML page `/@acct1/shop` too when it answers 200; and, to
    split the distance, `GET /api/v1/bench/noop` (bench_app.py): the API stack's own
    floor, no database work. Repeated reads are served by the public-read cache
    (storefront/cache.py); the same page with the cache off is reported as a reference.
B2: `GET /api/v1/profiles/acct2/shop-page?q=…` one request at a time with the cache off,
    p50 latency per query, against the bare full-text query: the very SQL statement and
    parameters that storefront/search.py sends (captured from SQLAlchemy), run by the bare
    driver (sqlite3 / asyncpg) in this process on the same database file / server, p50 over
    as many runs.

    .venv/bin/python bench/storefront.py [--quick] [--backends sqlite,postgresql] [--only b1|b2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from common import fmt_load, get, load, postgres, print_machine, server, write_result
from seed import catalog_rows
from seed import load as bulk_load
from sqlalchemy import event

from shoplink.cli import upgrade_database
from shoplink.db import Database
from shoplink.storefront import search

QUERIES = {
    "en: running": "running",
    "en: red leather": "red leather",
    "en: wool scarf": "wool scarf",
    "zh: 耳机": "耳机",
    "zh: 跑步鞋": "跑步鞋",
    "zh: 纯棉T恤": "纯棉T恤",
}
B1_TARGET_RATIO, B1_TARGET_P99_MS, B2_TARGET_RATIO = 0.5, 20.0, 2.0


B1_PATHS = {
    "healthz": "/healthz",
    "api_noop": "/api/v1/bench/noop",
    "shop_page_api": "/api/v1/profiles/acct1/shop-page",
    "shop_page_html": "/@acct1/shop",
}


def b1(port: int, *, quick: bool, paths: dict[str, str] = B1_PATHS) -> dict[str, Any]:
    total, seconds, concurrency = (2_000, 5.0, 16) if quick else (20_000, 12.0, 32)
    warmup = 200 if quick else 1_000
    out: dict[str, Any] = {"concurrency": concurrency}
    for name, path in paths.items():
        if name == "shop_page_html":
            status = httpx.get(f"http://127.0.0.1:{port}{path}").status_code
            if status != 200:
                out[name] = {"available": False, "status": status}
                print(f"  B1 {path}: not yet available (answers {status})")
                continue
        result = load(
            port,
            [get(path)],
            concurrency=concurrency,
            total=total,
            seconds=seconds,
            cycle=True,
            warmup=warmup,
            rounds=4,
        )
        out[name] = result
        print(f"  B1 {path}: {fmt_load(result)}", flush=True)
    return out


def capture_search_sql(url: str, query: str) -> tuple[str, Any]:
    """The statement and parameters storefront/search.py sends for page 1 (limit 24 + 1)."""
    captured: list[tuple[str, Any]] = []

    async def run() -> None:
        db = Database(url)

        @event.listens_for(db.read_engine.sync_engine, "before_cursor_execute")
        def _grab(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
            captured.append((statement, params))

        async with db.session(write=False) as session:
            await search.search(session, shop_id=2, query=query, limit=25, after=None)
        await db.dispose()

    asyncio.run(run())
    return captured[-1]


def bare_sql_ms(url: str, statement: str, params: Any, runs: int) -> list[float]:
    timings: list[float] = []
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        for _ in range(runs):
            started = time.perf_counter()
            conn.execute(statement, params).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
        conn.close()
        return timings

    async def run() -> None:
        import asyncpg

        conn = await asyncpg.connect(url)
        prepared = await conn.prepare(statement)  # asyncpg, like SQLAlchemy, prepares once
        for _ in range(runs):
            started = time.perf_counter()
            await prepared.fetch(*params)
            timings.append((time.perf_counter() - started) * 1000)
        await conn.close()

    asyncio.run(run())
    return timings


def b2(port: int, url: str, *, quick: bool) -> dict[str, Any]:
    runs = 20 if quick else 100
    out: dict[str, Any] = {"runs": runs, "queries": {}}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
        for label, q in QUERIES.items():
            path = f"/api/v1/profiles/acct2/shop-page?q={quote(q)}"
            first = http.get(path)
            assert first.status_code == 200, first.text
            hits = len(first.json()["items"])
            result = load(port, [get(path)], concurrency=1, total=runs, seconds=60, cycle=True)
            statement, params = capture_search_sql(url, q)
            sql = bare_sql_ms(url, statement, params, runs + 5)[5:]
            sql_p50 = statistics.median(sql)
            out["queries"][label] = {
                "items": hits,
                "request_p50_ms": result["p50_ms"],
                "request_p99_ms": result["p99_ms"],
                "sql_p50_ms": sql_p50,
                "ratio": result["p50_ms"] / sql_p50,
                "statuses": result["statuses"],
            }
            print(
                f"  B2 {label:<16} request p50 {result['p50_ms']:7.2f} ms"
                f" · bare SQL p50 {sql_p50:7.2f} ms · {result['p50_ms'] / sql_p50:5.2f}x"
                f" ({hits} items)",
                flush=True,
            )
    ratios = [q["ratio"] for q in out["queries"].values()]
    out["worst_ratio"] = max(ratios)
    out["median_ratio"] = statistics.median(ratios)
    return out


def run_backend(url: str, *, products: int, quick: bool, only: str) -> dict[str, Any]:
    upgrade_database(url)
    started = time.perf_counter()
    bulk_load(url, catalog_rows({1: 10_000, 2: products}, url.startswith("sqlite")))
    print(f"  loaded 10,000 + {products:,} products in {time.perf_counter() - started:.1f} s")
    out: dict[str, Any] = {}
    if only in ("", "b1"):
        with server(url) as port:
            out["b1"] = b1(port, quick=quick)
    # The public-read cache off (SHOPLINK_PUBLIC_CACHE_ENTRIES=0): B1's page as every first
    # visit after a change pays it, and B2's repeated queries measure the search itself.
    with server(url, SHOPLINK_PUBLIC_CACHE_ENTRIES="0") as port:
        if only in ("", "b1"):
            uncached = b1(port, quick=quick, paths={"shop_page_api": B1_PATHS["shop_page_api"]})
            out["b1"]["shop_page_api_uncached"] = uncached["shop_page_api"]
        if only in ("", "b2"):
            out["b2"] = b2(port, url, quick=quick)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--only", choices=["b1", "b2"], default="")
    args = parser.parse_args()
    info = print_machine("B1 Shop Page read / B2 search")
    products = 10_000 if args.quick else 100_000
    results: dict[str, Any] = {"machine": info, "quick": args.quick, "products": products}
    for backend in args.backends.split(","):
        print(f"[{backend}]", flush=True)
        if backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="shoplink-bench-") as tmp:
                url = f"sqlite:///{Path(tmp) / 'read.db'}"
                results[backend] = run_backend(
                    url, products=products, quick=args.quick, only=args.only
                )
        else:
            with postgres() as cluster:
                url = cluster.create_database("bench_read")
                results[backend] = run_backend(
                    url, products=products, quick=args.quick, only=args.only
                )
    if not args.only:
        write_result("b1_b2_storefront", results)


if __name__ == "__main__":
    main()
