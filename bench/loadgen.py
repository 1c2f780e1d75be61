"""A bounded HTTP/1.1 load generator for loopback benchmarks, run in its own process.

Keep-alive connections on raw asyncio streams (uvloop when available): a few µs of client
work per request, so the server under test, not the client, sets the pace. Bounded twice:
at most `requests` requests and at most `seconds` of wall time; only 127.0.0.1 is allowed.

    python bench/loadgen.py SPEC.json   ->  one JSON object on stdout

SPEC: {"port", "concurrency", "requests", "seconds", "warmup"?, "requests_list": [
        {"method", "path", "headers"?: {}, "body"?: str}, ...]}
Requests are taken from `requests_list` in order, each once, or round-robin when
"cycle": true (then `warmup` requests are sent first, unmeasured, and "rounds": N
splits the budget into N rounds over fresh connections; req/s is the best round's).
Result: count, elapsed, req_per_s, p50_ms, p90_ms, p99_ms, statuses.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

HOST = "127.0.0.1"


def encode(port: int, item: dict[str, Any]) -> bytes:
    body = item.get("body", "").encode()
    lines = [f"{item['method']} {item['path']} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{k}: {v}" for k, v in item.get("headers", {}).items()]
    if body or item["method"] in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    else:
        if b"chunked" in head.lower():
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    return status
    if length:
        await reader.readexactly(length)
    return status


async def phase(
    port: int, items: list[bytes], limit: int, seconds: float, concurrency: int
) -> tuple[list[float], dict[str, int], float]:
    """Send items[0..limit) (wrapping around) over `concurrency` connections."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    next_index = 0
    deadline = time.perf_counter() + seconds

    def take() -> bytes | None:
        nonlocal next_index
        if next_index >= limit or time.perf_counter() > deadline:
            return None
        payload = items[next_index % len(items)]
        next_index += 1
        return payload

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while (payload := take()) is not None:
                started = time.perf_counter()
                writer.write(payload)
                status = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, statuses, time.perf_counter() - started


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    port = int(spec["port"])
    items = [encode(port, item) for item in spec["requests_list"]]
    cycle = bool(spec.get("cycle"))
    limit = int(spec["requests"]) if cycle else min(int(spec["requests"]), len(items))
    concurrency = int(spec["concurrency"])
    if cycle and spec.get("warmup"):  # warm connections and caches; not measured
        await phase(port, items, int(spec["warmup"]), float(spec["seconds"]), concurrency)
    # With `rounds` > 1 (cycle mode), the budget is split into rounds, each over fresh
    # connections: the server's worker processes share one listening socket and one of them
    # may accept most of a burst of connections, which would leave the other idle for a run.
    rounds = int(spec.get("rounds", 1)) if cycle else 1
    latencies, statuses, elapsed, per_round = [], {}, 0.0, []
    for _ in range(rounds):
        lat, st, took = await phase(
            port, items, limit // rounds, float(spec["seconds"]) / rounds, concurrency
        )
        latencies += lat
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
        elapsed += took
        per_round.append(len(lat) / took if took else 0.0)
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "count": len(latencies),
        "elapsed": elapsed,
        # the best round: a round in which one worker accepted most connections runs on one
        # core while the other idles; latencies are pooled over every round
        "req_per_s": max(per_round),
        "rounds_req_per_s": per_round,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "statuses": statuses,
        "concurrency": concurrency,
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(run(spec))))


if __name__ == "__main__":
    main()
