"""Profile B1's request in-process with pyinstrument: N × `GET /api/v1/profiles/acct1/shop-page`
through the ASGI app (no uvicorn, no network), on B1's database (SQLite or PostgreSQL).

    .venv/bin/python bench/profile_shop_page.py [--requests N] [--backend sqlite|postgresql]
        [--path PATH] [--no-profile]

Prints the call tree and ms per request; writes bench/results/profile_shop_page.html.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from common import RESULTS, postgres
from seed import catalog_rows
from seed import load as bulk_load

from shoplink.cli import upgrade_database


async def hammer(url: str, path: str, requests: int, profile: bool) -> float:
    import httpx
    from pyinstrument import Profiler

    os.environ["SHOPLINK_DATABASE_URL"] = url
    from shoplink.app import create_app

    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(50):  # warm up
            assert (await client.get(path)).status_code == 200
        if not profile:  # wall and CPU time (all threads: aiosqlite runs one) per request
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(requests):
                await client.get(path)
            wall = (time.perf_counter() - started) / requests * 1000
            print(f"cpu {(time.process_time() - cpu) / requests * 1000:.2f} ms per request")
            await app.state.db.dispose()
            return wall
        profiler = Profiler(interval=0.0005, async_mode="enabled")
        started = time.perf_counter()
        with profiler:
            for _ in range(requests):
                await client.get(path)
        elapsed = time.perf_counter() - started
    await app.state.db.dispose()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "profile_shop_page.html").write_text(profiler.output_html())
    return elapsed / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--path", default="/api/v1/profiles/acct1/shop-page")
    parser.add_argument("--no-profile", action="store_true", help="only time the requests")
    args = parser.parse_args()
    tables = lambda sqlite: catalog_rows({1: 10_000, 2: 100_000}, sqlite)  # noqa: E731
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="shoplink-profile-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'read.db'}"
            upgrade_database(url)
            bulk_load(url, tables(True))
            ms = asyncio.run(hammer(url, args.path, args.requests, not args.no_profile))
    else:
        with postgres() as cluster:
            url = cluster.create_database("profile")
            upgrade_database(url)
            bulk_load(url, tables(False))
            ms = asyncio.run(hammer(url, args.path, args.requests, not args.no_profile))
    print(f"{args.path}: {ms:.2f} ms per request in-process ({args.backend})")


if __name__ == "__main__":
    main()
