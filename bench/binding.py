"""B3 binding steps and B5 growth, on SQLite and PostgreSQL.

B3: on a database with 1,000 shops (bulk-loaded with SQL, see seed.py), the four steps of a
    binding, each N times at fixed concurrency through the real API of a 2-worker server:
    request (`POST /shops/{id}/official-account` link_existing, as seller staff), authorize
    (`POST /link-requests/{id}/authorize`, as the account's owner), approve
    (`POST /reviews/{id}/approve`, as a reviewer), unbind (`DELETE /shops/{id}/official-
    account` of links bound two days ago). Baseline, back to back on the same server and
    database: `POST /bench/insert` (bench_app.py), one INSERT per request. req/s each.
B5: the same steps on a database with 1,000,000 shops (each with an active official link,
    so shops, accounts and links all hold a million rows). Each world also runs every step
    one request at a time over further shops; B5 compares those p50s (queueing at c=8 on
    a shared 2-core machine swings p50s both ways by more than the 1.2x being judged), with
    the one-INSERT baseline's growth beside them as the noise control.

    .venv/bin/python bench/binding.py [--quick] [--backends sqlite,postgresql] [--no-growth]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from bench_app import create_table_sql
from common import fmt_load, load, post, postgres, print_machine, server, write_result
from seed import PASSWORD, load_world

from shoplink.cli import upgrade_database

STEPS = ("request", "authorize", "approve", "unbind")
B3_TARGET, B5_TARGET = 0.5, 1.2


def sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            return list(conn.execute(statement).fetchall())
        finally:
            conn.close()

    async def run() -> list[tuple[Any, ...]]:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            return [tuple(r) for r in await conn.fetch(statement)]
        finally:
            await conn.close()

    return asyncio.run(run())


def prepare(url: str, *, shops: int, flow: int) -> float:
    upgrade_database(url)
    sql(url, create_table_sql("sqlite" if url.startswith("sqlite") else "postgresql"))
    started = time.perf_counter()
    load_world(url, shops=shops, flow=flow)
    return time.perf_counter() - started


def tokens(port: int) -> dict[str, dict[str, str]]:
    out = {}
    for who in ("seller", "owner", "reviewer"):
        r = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            json={"username": f"bench.{who}", "password": PASSWORD},
        )
        r.raise_for_status()
        out[who] = {"Authorization": f"Bearer {r.json()['access_token']}"}
    return out


def pending(url: str, status: str) -> list[int]:
    return [r[0] for r in sql(url, f"SELECT id FROM links WHERE status = '{status}' ORDER BY id")]


def one_pass(
    url: str,
    port: int,
    auth: dict[str, dict[str, str]],
    *,
    requests: range,
    unbinds: range,
    concurrency: int,
) -> dict[str, Any]:
    """Every step once for each shop of `requests` (and unbind each shop of `unbinds`)."""
    n, seconds = len(requests), 120.0
    out: dict[str, Any] = {}
    out["baseline_insert"] = load(
        port,
        [post("/bench/insert", {"shop_id": i}) for i in requests],
        concurrency=concurrency,
        total=n,
        seconds=seconds,
    )
    out["request"] = load(
        port,
        [
            post(
                f"/api/v1/shops/{i}/official-account",
                {"method": "link_existing", "username": f"acct{i}"},
                auth["seller"],
            )
            for i in requests
        ],
        concurrency=concurrency,
        total=n,
        seconds=seconds,
    )
    out["authorize"] = load(
        port,
        [
            post(f"/api/v1/link-requests/{i}/authorize", {"accept_terms": True}, auth["owner"])
            for i in pending(url, "pending_authorization")
        ],
        concurrency=concurrency,
        total=n,
        seconds=seconds,
    )
    out["approve"] = load(
        port,
        [
            post(f"/api/v1/reviews/{i}/approve", {}, auth["reviewer"])
            for i in pending(url, "pending_review")
        ],
        concurrency=concurrency,
        total=n,
        seconds=seconds,
    )
    out["unbind"] = load(
        port,
        [
            {
                "method": "DELETE",
                "path": f"/api/v1/shops/{i}/official-account",
                "headers": auth["seller"],
            }
            for i in unbinds
        ],
        concurrency=concurrency,
        total=n,
        seconds=seconds,
    )
    for step in ("baseline_insert", *STEPS):
        result = out[step]
        ok = sum(n for s, n in result["statuses"].items() if s.startswith("2"))
        if ok != result["count"]:
            raise RuntimeError(f"{step}: {result['count'] - ok} requests failed")
    return out


def steps(url: str, port: int, *, flow: int, latency: int, concurrency: int) -> dict[str, Any]:
    """Throughput at `concurrency` over shops 1..flow, then latency one request at a time
    over the next `latency` shops (the p50s B5 compares: no queueing in them)."""
    auth = tokens(port)
    # Warm both workers' pools, token lookups and statement caches; not measured.
    load(
        port,
        [post("/bench/insert", {"shop_id": 0})]
        + [{"method": "GET", "path": "/api/v1/shops/1", "headers": auth["seller"]}] * 2,
        concurrency=concurrency,
        total=300,
        seconds=60,
        cycle=True,
    )
    total = flow + latency
    out = one_pass(
        url,
        port,
        auth,
        requests=range(1, flow + 1),
        unbinds=range(total + 1, total + flow + 1),
        concurrency=concurrency,
    )
    out["latency"] = one_pass(
        url,
        port,
        auth,
        requests=range(flow + 1, total + 1),
        unbinds=range(total + flow + 1, 2 * total + 1),
        concurrency=1,
    )
    base = out["baseline_insert"]["req_per_s"]
    print(f"    baseline POST /bench/insert: {fmt_load(out['baseline_insert'])}", flush=True)
    for step in STEPS:
        result = out[step]
        result["ratio"] = result["req_per_s"] / base
        print(f"    {step:<9} {fmt_load(result)} · ratio {result['ratio']:.2f}", flush=True)
    lat = out["latency"]
    print(
        "    one at a time, p50: "
        + ", ".join(f"{s} {lat[s]['p50_ms']:.2f} ms" for s in ("baseline_insert", *STEPS)),
        flush=True,
    )
    return out


def run(url: str, *, shops: int, flow: int, latency: int, concurrency: int) -> dict[str, Any]:
    loaded = prepare(url, shops=shops, flow=flow + latency)
    print(f"  {shops:,} shops loaded in {loaded:.1f} s", flush=True)
    with server(url) as port:
        out = steps(url, port, flow=flow, latency=latency, concurrency=concurrency)
    out["shops"] = shops
    out["load_seconds"] = loaded
    return out


def backend_url(backend: str, tmp: str, name: str, cluster: Any) -> str:
    if backend == "sqlite":
        return f"sqlite:///{Path(tmp) / (name + '.db')}"
    url: str = cluster.create_database(name)
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-growth", action="store_true", help="skip B5")
    args = parser.parse_args()
    info = print_machine("B3 binding steps / B5 growth")
    # 2 x (flow + latency) shops take part; the small world has 1,000 in all.
    flow, latency, concurrency = (100, 50, 8) if args.quick else (300, 150, 8)
    small, big = (1_000, 20_000) if args.quick else (1_000, 1_000_000)
    results: dict[str, Any] = {
        "machine": info,
        "quick": args.quick,
        "flow": flow,
        "latency_flow": latency,
    }
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="shoplink-bench-") as tmp:
            cluster_cm = postgres() if backend == "postgresql" else None
            cluster = cluster_cm.__enter__() if cluster_cm else None
            try:
                print(f"[{backend}] B3 with {small:,} shops, {flow} of each step", flush=True)
                b3 = run(
                    backend_url(backend, tmp, "bind_small", cluster),
                    shops=small,
                    flow=flow,
                    latency=latency,
                    concurrency=concurrency,
                )
                entry: dict[str, Any] = {"b3": b3}
                if not args.no_growth:
                    print(f"[{backend}] B5 with {big:,} shops", flush=True)
                    b5 = run(
                        backend_url(backend, tmp, "bind_big", cluster),
                        shops=big,
                        flow=flow,
                        latency=latency,
                        concurrency=concurrency,
                    )
                    small_lat, big_lat = b3["latency"], b5["latency"]
                    growth = {
                        s: big_lat[s]["p50_ms"] / small_lat[s]["p50_ms"]
                        for s in ("baseline_insert", *STEPS)
                    }
                    for s in ("baseline_insert", *STEPS):
                        print(
                            f"    B5 {s:<15} p50 {small_lat[s]['p50_ms']:.2f} ms ->"
                            f" {big_lat[s]['p50_ms']:.2f} ms: {growth[s]:.2f}x"
                            f" (target <= {B5_TARGET})"
                        )
                    entry["b5"] = {
                        "big": b5,
                        "growth": growth,
                        "worst": max(growth[s] for s in STEPS),
                    }
                results[backend] = entry
            finally:
                if cluster_cm:
                    cluster_cm.__exit__(None, None, None)
    results["b3_worst_ratio"] = min(
        results[b]["b3"][s]["ratio"] for b in args.backends.split(",") for s in STEPS
    )
    results["b3_median_ratio"] = statistics.median(
        results[b]["b3"][s]["ratio"] for b in args.backends.split(",") for s in STEPS
    )
    write_result("b3_b5_binding", results)


if __name__ == "__main__":
    main()
