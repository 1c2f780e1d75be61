"""Outbox throughput: events/s that `shoplink worker` delivers to a local receiver, against the
ceiling of the same receiver fed by bare signed httpx POSTs at the same concurrency, measured
back to back in one run.

    .venv/bin/python bench/outbox.py [--events N] [--database-url URL] [--quick]

--quick delivers 200 events. The figures also go to bench/results/outbox.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from standardwebhooks.webhooks import Webhook

from shoplink.audit import service as audit
from shoplink.cli import upgrade_database
from shoplink.config import Settings
from shoplink.db import Database
from shoplink.models import WebhookEndpoint
from shoplink.webhooks import signing
from shoplink.worker import CONCURRENT_SENDS, Worker

SECRET = signing.new_secret()


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BENCH_WEBHOOK_SECRET": SECRET, "PYTHONPATH": str(Path(__file__).parent)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "receiver:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/count")
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("receiver did not start")


async def baseline(url: str, count: int) -> float:
    """The ceiling: signed POSTs straight from memory, CONCURRENT_SENDS at a time."""
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    hook = Webhook(SECRET)
    async with httpx.AsyncClient() as http:

        async def post(i: int) -> None:
            body = f'{{"type":"bench","data":{{"i":{i}}}}}'
            msg_id = f"base_{i}"
            now = datetime.now(UTC)
            headers = {
                "webhook-id": msg_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": hook.sign(msg_id, now, body),
            }
            async with gate:
                await http.post(url, content=body, headers=headers)

        started = time.perf_counter()
        await asyncio.gather(*(post(i) for i in range(count)))
        return count / (time.perf_counter() - started)


async def seed(db: Database, url: str, count: int) -> None:
    now = datetime.now(UTC)
    async with db.transaction() as session:
        session.add(
            WebhookEndpoint(
                url=url,
                event_types=["*"],
                secret=SECRET,
                status="active",
                consecutive_failures=0,
                created_at=now,
            )
        )
        for i in range(count):
            audit.record(session, type="bench.event", actor="bench", now=now, n=i)


async def through_worker(database_url: str, url: str, count: int) -> float:
    settings = Settings(database_url=database_url, webhooks_allow_private=True)
    db = Database(database_url)
    await seed(db, url, count)
    await db.dispose()
    worker = Worker(settings)
    started = time.perf_counter()
    async with httpx.AsyncClient() as http:
        while await worker.tick(http):
            pass
    elapsed = time.perf_counter() - started
    await worker.db.dispose()
    async with httpx.AsyncClient() as http:
        counts = (await http.get(url.replace("/hook", "/count"))).json()
    counted = counts["prefixed"]["msg_"]
    assert counted == count, f"{count - counted} events were lost"
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--port", type=int, default=18777)
    parser.add_argument("--quick", action="store_true", help="200 events")
    args = parser.parse_args()
    if args.quick:
        args.events = min(args.events, 200)
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade_database(database_url)
        receiver = start_receiver(args.port)
        url = f"http://127.0.0.1:{args.port}/hook"
        try:
            ceiling = asyncio.run(baseline(url, args.events))
            measured = asyncio.run(through_worker(database_url, url, args.events))
        finally:
            receiver.terminate()
    backend = database_url.split(":", 1)[0]
    print(
        f"outbox {backend}: {measured:,.0f} events/s delivered by one worker; "
        f"bare signed POSTs {ceiling:,.0f}/s; ratio {measured / ceiling:.2f} "
        f"({args.events} events, {CONCURRENT_SENDS} concurrent sends)"
    )
    from common import machine, write_result

    write_result(
        "outbox",
        {
            "machine": machine(),
            "quick": args.quick,
            "backend": backend,
            "events": args.events,
            "events_per_s": measured,
            "baseline_per_s": ceiling,
            "ratio": measured / ceiling,
        },
    )


if __name__ == "__main__":
    main()
