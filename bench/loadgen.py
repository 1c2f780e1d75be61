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
"balance": {"path", "workers"} spreads the connections evenly over the server's worker
processes (see `connect`); without it one worker often accepts a whole burst of connections.
Result: count, elapsed, req_per_s, p50_ms, p90_ms, p99_ms, statuses, per_worker.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from typing import Any

HOST = "127.0.0.1"
BALANCE_ATTEMPTS = 400
Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def encode(port: int, item: dict[str, Any]) -> bytes:
    body = item.get("body", "").encode()
    lines = [f"{item['method']} {item['path']} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{k}: {v}" for k, v in item.get("headers", {}).items()]
    if body or item["method"] in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    return (await read_whole(reader))[0]


async def read_whole(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    else:
        if b"chunked" in head.lower():
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                chunks.append((await reader.readexactly(size + 2))[:-2])
                if size == 0:
                    return status, b"".join(chunks)
    return status, (await reader.readexactly(length)) if length else b""


async def connect(
    port: int, concurrency: int, balance: dict[str, Any] | None
) -> tuple[list[Streams], list[int]]:
    """`concurrency` keep-alive connections; with `balance`, as many on each worker process.

    The workers share one listening socket: whichever wakes first may accept a whole burst,
    so a fixed-concurrency run would measure one process while the other idles. Each new
    connection asks the server which process holds it (`balance["path"]` answers its pid);
    connections to a process that already has its share are closed and opened again.
    """
    if balance is None:
        return [await asyncio.open_connection(HOST, port) for _ in range(concurrency)], []
    workers = int(balance["workers"])
    share = -(-concurrency // workers)  # ceiling: 8 over 2 -> 4 each; 3 over 2 -> 2 and 1
    ask = encode(port, {"method": "GET", "path": balance["path"]})
    kept: list[Streams] = []
    held: Counter[int] = Counter()
    for _ in range(BALANCE_ATTEMPTS):
        if len(kept) == concurrency:
            break
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(ask)
        _, body = await read_whole(reader)
        pid = int(json.loads(body)["pid"])
        if held[pid] < share and (pid in held or len(held) < workers):
            held[pid] += 1
            kept.append((reader, writer))
        else:
            writer.close()
    while len(kept) < concurrency:  # could not balance: measure anyway, and say so
        kept.append(await asyncio.open_connection(HOST, port))
        held[0] += 1  # pid 0: a connection whose process is unknown
    return kept, sorted(held.values())


async def phase(
    port: int,
    items: list[bytes],
    limit: int,
    seconds: float,
    concurrency: int,
    balance: dict[str, Any] | None = None,
) -> tuple[list[float], dict[str, int], float, list[int]]:
    """Send items[0..limit) (wrapping around) over `concurrency` connections."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    next_index = 0
    connections, per_worker = await connect(port, concurrency, balance)
    deadline = time.perf_counter() + seconds

    def take() -> bytes | None:
        nonlocal next_index
        if next_index >= limit or time.perf_counter() > deadline:
            return None
        payload = items[next_index % len(items)]
        next_index += 1
        return payload

    async def worker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
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
    await asyncio.gather(*(worker(*streams) for streams in connections))
    return latencies, statuses, time.perf_counter() - started, per_worker


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    port = int(spec["port"])
    items = [encode(port, item) for item in spec["requests_list"]]
    cycle = bool(spec.get("cycle"))
    limit = int(spec["requests"]) if cycle else min(int(spec["requests"]), len(items))
    concurrency = int(spec["concurrency"])
    balance = spec.get("balance")
    if cycle and spec.get("warmup"):  # warm connections and caches; not measured
        await phase(port, items, int(spec["warmup"]), float(spec["seconds"]), concurrency, balance)
    # With `rounds` > 1 (cycle mode), the budget is split into rounds, each over fresh
    # connections: the server's worker processes share one listening socket and one of them
    # may accept most of a burst of connections, which would leave the other idle for a run.
    rounds = int(spec.get("rounds", 1)) if cycle else 1
    latencies, statuses, elapsed, per_round = [], {}, 0.0, []
    per_worker: list[int] = []
    for _ in range(rounds):
        lat, st, took, per_worker = await phase(
            port, items, limit // rounds, float(spec["seconds"]) / rounds, concurrency, balance
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
        # connections per worker process in the last round ([]: the server was not asked)
        "per_worker": per_worker,
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
