"""B3 binding steps and B5 growth, on SQLite and PostgreSQL.

B3: on a database with 1,000 shops (bulk-loaded with SQL, see seed.py), the four steps of a
    binding, each N times at fixed concurrency through the real API of a 2-worker server:
    request (`POST /shops/{id}/official-account` link_existing, as seller staff), authorize
    (`POST /link-requests/{id}/authorize`, as the account's owner), approve
    (`POST /reviews/{id}/approve`, as a reviewer), unbind (`DELETE /shops/{id}/official-
    account` of links bound two days ago). Baseline, back to back on the same server and
    database: `POST /bench/insert` (bench_app.py), one INSERT per request. req/s each, in
    rounds: each step of a round runs between two runs of the baseline, and its ratio is the
    median over the rounds of its req/s over the mean of the baselines beside it.
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


def step_loads(
    url: str, auth: dict[str, dict[str, str]], *, requests: range, unbinds: range
) -> dict[str, Any]:
    """The request list of each step over these shops; authorize and approve take the links
    pending then (call each just before its step runs)."""
    return {
        "request": lambda: [
            post(
                f"/api/v1/shops/{i}/official-account",
                {"method": "link_existing", "username": f"acct{i}"},
                auth["seller"],
            )
            for i in requests
        ],
        "authorize": lambda: [
            post(f"/api/v1/link-requests/{i}/authorize", {"accept_terms": True}, auth["owner"])
            for i in pending(url, "pending_authorization")
        ],
        "approve": lambda: [
            post(f"/api/v1/reviews/{i}/approve", {}, auth["reviewer"])
            for i in pending(url, "pending_review")
        ],
        "unbind": lambda: [
            {
                "method": "DELETE",
                "path": f"/api/v1/shops/{i}/official-account",
                "headers": auth["seller"],
            }
            for i in unbinds
        ],
    }


def checked(step: str, result: dict[str, Any]) -> dict[str, Any]:
    ok = sum(n for s, n in result["statuses"].items() if s.startswith("2"))
    if ok != result["count"]:
        raise RuntimeError(f"{step}: {result['count'] - ok} requests failed")
    return result


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
    loads = step_loads(url, auth, requests=requests, unbinds=unbinds)
    out: dict[str, Any] = {}
    for step, items in (("baseline_insert", lambda: baseline(requests)), *loads.items()):
        out[step] = checked(
            step, load(port, items(), concurrency=concurrency, total=n, seconds=seconds)
        )
    return out


def baseline(shops: range) -> list[dict[str, Any]]:
    return [post("/bench/insert", {"shop_id": i}) for i in shops]


def interleaved(
    url: str,
    port: int,
    auth: dict[str, dict[str, str]],
    *,
    requests: range,
    unbinds: range,
    concurrency: int,
    rounds: int,
) -> dict[str, Any]:
    """The steps in `rounds` rounds over slices of the shops, each step run between two runs
    of the baseline. The machine's speed drifts by tens of percent within seconds here (a
    CPU-bound loop took 1.1-1.8 s in six runs), more than the margins judged: a step's ratio
    in a round is its req/s over the mean of the two baselines beside it, and its ratio is
    the median of its rounds'."""
    size, seconds = len(requests) // rounds, 120.0
    runs: dict[str, list[dict[str, Any]]] = {step: [] for step in ("baseline_insert", *STEPS)}
    ratios: dict[str, list[float]] = {step: [] for step in STEPS}
    for r in range(rounds):
        shops = requests[r * size : (r + 1) * size]
        loads = step_loads(url, auth, requests=shops, unbinds=unbinds[r * size : (r + 1) * size])

        def run(step: str, items: list[dict[str, Any]]) -> float:
            result = load(port, items, concurrency=concurrency, total=size, seconds=seconds)
            runs[step].append(checked(step, result))
            return float(result["req_per_s"])

        before = run("baseline_insert", baseline(shops))
        for step, items in loads.items():
            rate = run(step, items())
            after = run("baseline_insert", baseline(shops))
            ratios[step].append(rate / ((before + after) / 2))
            before = after
    out = {step: merged(results) for step, results in runs.items()}
    for step in STEPS:
        out[step]["ratio"] = statistics.median(ratios[step])
        out[step]["rounds_ratio"] = ratios[step]
    return out


def merged(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs of one step as one: req/s over their summed time, the median p50, the
    worst p99."""
    count = sum(r["count"] for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        for status, n in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "count": count,
        "elapsed": sum(r["elapsed"] for r in results),
        "req_per_s": count / sum(r["elapsed"] for r in results),
        "p50_ms": statistics.median(r["p50_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "concurrency": results[0]["concurrency"],
        "per_worker": results[0].get("per_worker"),
        "statuses": statuses,
        "runs": len(results),
    }


def steps(
    url: str, port: int, *, flow: int, latency: int, concurrency: int, rounds: int
) -> dict[str, Any]:
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
    out = interleaved(
        url,
        port,
        auth,
        requests=range(1, flow + 1),
        unbinds=range(total + 1, total + flow + 1),
        concurrency=concurrency,
        rounds=rounds,
    )
    out["latency"] = one_pass(
        url,
        port,
        auth,
        requests=range(flow + 1, total + 1),
        unbinds=range(total + flow + 1, 2 * total + 1),
        concurrency=1,
    )
    print(f"    baseline POST /bench/insert: {fmt_load(out['baseline_insert'])}", flush=True)
    for step in STEPS:
        result = out[step]
        each = "/".join(f"{x:.2f}" for x in result["rounds_ratio"])
        print(
            f"    {step:<9} {fmt_load(result)} · ratio {result['ratio']:.2f} (rounds {each})",
            flush=True,
        )
    lat = out["latency"]
    print(
        "    one at a time, p50: "
        + ", ".join(f"{s} {lat[s]['p50_ms']:.2f} ms" for s in ("baseline_insert", *STEPS)),
        flush=True,
    )
    return out


def run(
    url: str, *, shops: int, flow: int, latency: int, concurrency: int, rounds: int
) -> dict[str, Any]:
    loaded = prepare(url, shops=shops, flow=flow + latency)
    print(f"  {shops:,} shops loaded in {loaded:.1f} s", flush=True)
    with server(url) as port:
        out = steps(url, port, flow=flow, latency=latency, concurrency=concurrency, rounds=rounds)
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
    rounds = 2 if args.quick else 5
    small, big = (1_000, 20_000) if args.quick else (1_000, 1_000_000)
    results: dict[str, Any] = {
        "machine": info,
        "quick": args.quick,
        "flow": flow,
        "latency_flow": latency,
        "rounds": rounds,
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
                    rounds=rounds,
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
                        rounds=rounds,
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
