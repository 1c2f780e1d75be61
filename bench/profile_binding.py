"""Profile B3's binding steps in-process with pyinstrument: N requests, then N authorizations,
then N approvals through the ASGI app (no uvicorn, no network) on a seed.py world, one
request at a time.

    .venv/bin/python bench/profile_binding.py [--requests N] [--backend sqlite|postgresql]
        [--no-profile] [--profile-steps request,authorize,approve]

Prints the call tree (and wall/CPU ms per request of each step); writes
bench/results/profile_binding.html.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from common import RESULTS, postgres
from seed import PASSWORD, load_world

from shoplink.cli import upgrade_database


async def run(url: str, n: int, profiled: frozenset[str]) -> None:
    import httpx
    from pyinstrument import Profiler

    os.environ["SHOPLINK_DATABASE_URL"] = url
    from shoplink.app import create_app

    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        auth: dict[str, dict[str, str]] = {}
        for who in ("seller", "owner", "reviewer"):
            r = await client.post(
                "/api/v1/auth/token", json={"username": f"bench.{who}", "password": PASSWORD}
            )
            auth[who] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        profiler = Profiler(interval=0.0005, async_mode="enabled") if profiled else None
        links: list[int] = []

        async def request(i: int) -> Any:
            r = await client.post(
                f"/api/v1/shops/{i}/official-account",
                json={"method": "link_existing", "username": f"acct{i}"},
                headers=auth["seller"],
            )
            assert r.status_code == 202, r.text
            links.append(r.json()["id"])

        async def authorize(i: int) -> Any:
            r = await client.post(
                f"/api/v1/link-requests/{links[i - 1]}/authorize",
                json={"accept_terms": True},
                headers=auth["owner"],
            )
            assert r.status_code == 200, r.text

        async def approve(i: int) -> Any:
            r = await client.post(
                f"/api/v1/reviews/{links[i - 1]}/approve", headers=auth["reviewer"]
            )
            assert r.status_code == 200, r.text

        # Every step runs (each needs the one before); the profiler watches the chosen ones.
        for name, step in (("request", request), ("authorize", authorize), ("approve", approve)):
            watched = profiler if name in profiled else None
            started, cpu = time.perf_counter(), time.process_time()
            if watched:
                watched.start()
            for i in range(1, n + 1):
                await step(i)
            if watched:
                watched.stop()
            print(
                f"{name}: {(time.perf_counter() - started) / n * 1000:.2f} ms wall,"
                f" {(time.process_time() - cpu) / n * 1000:.2f} ms CPU per request"
            )
    await app.state.db.dispose()
    if profiler:
        print(profiler.output_text(unicode=True, color=False))
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "profile_binding.html").write_text(profiler.output_html())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--backend", default="postgresql")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--profile-steps", default="request,authorize,approve", help="the steps to profile"
    )
    args = parser.parse_args()
    flow = args.requests
    profiled = frozenset() if args.no_profile else frozenset(args.profile_steps.split(","))
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="shoplink-profile-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bind.db'}"
            upgrade_database(url)
            load_world(url, shops=2 * flow, flow=flow)
            asyncio.run(run(url, flow, profiled))
    else:
        with postgres() as cluster:
            url = cluster.create_database("profile")
            upgrade_database(url)
            load_world(url, shops=2 * flow, flow=flow)
            asyncio.run(run(url, flow, profiled))


if __name__ == "__main__":
    main()
