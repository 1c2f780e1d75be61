"""`shoplink worker`: timed jobs, then outbox fan-out, then webhook delivery, in a loop.

Any number of workers may run against one database: fan-out and claims use
`FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers), deliveries are leased.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

import httpx

from shoplink.clock import Clock
from shoplink.config import Settings
from shoplink.db import Database
from shoplink.links import jobs
from shoplink.ops.endpoints import load_clock_offset
from shoplink.webhooks import dispatch

log = logging.getLogger("shoplink.worker")
CONCURRENT_SENDS = 16
# Two rounds of sends per batch: with each send's hard deadline the batch ends well inside
# the delivery lease, so no other worker re-claims work this one is still doing.
BATCH = 2 * CONCURRENT_SENDS


class Worker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.database_url, pool_size=4)
        self.clock = Clock()
        self.token = secrets.token_hex(8)

    async def _now_refreshed(self) -> None:
        if self.settings.test_clock:
            async with self.db.transaction(write=False) as session:
                self.clock.set_offset(await load_clock_offset(session))

    async def tick(self, http: httpx.AsyncClient) -> int:
        """One pass; returns how much work it found (0 means idle)."""
        await self._now_refreshed()
        async with self.db.transaction() as session:
            done = await jobs.run_due(session, now=self.clock.now())
        async with self.db.transaction() as session:
            done += await dispatch.fan_out(session, now=self.clock.now())
        async with self.db.transaction() as session:
            batch = await dispatch.claim(
                session,
                now=self.clock.now(),
                lease_token=f"{self.token}-{secrets.token_hex(4)}",
                limit=BATCH,
            )
        gate = asyncio.Semaphore(CONCURRENT_SENDS)

        async def send(job: dispatch.Job) -> dispatch.Outcome:
            async with gate:
                return await dispatch.send(
                    http,
                    job,
                    allow_private=self.settings.webhooks_allow_private,
                    deadline=self.settings.webhook_timeout_seconds,
                )

        outcomes = await asyncio.gather(*(send(job) for job in batch))
        # One transaction records the whole batch; a crash before it only means a re-send
        # with the same webhook-id (at-least-once), never a lost event.
        async with self.db.transaction() as session:
            # Lock rows in one global order (endpoint, delivery) so batches of two workers
            # cannot deadlock on PostgreSQL.
            results = sorted(
                zip(batch, outcomes, strict=True),
                key=lambda r: (r[0].endpoint_id, r[0].delivery_id),
            )
            for job, outcome in results:
                await dispatch.record(session, job, outcome, now=self.clock.now())
                log.info(
                    "webhook.attempt delivery=%s status=%s", job.delivery_id, outcome.status_code
                )
        return done + len(batch)

    async def run(self, *, once: bool = False) -> None:
        timeout = httpx.Timeout(self.settings.webhook_timeout_seconds)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as http:
            try:
                while True:
                    try:
                        found = await self.tick(http)
                    except Exception:
                        # A database restart or a lost race must not end the worker; leased
                        # work is retried by whoever claims it next.
                        log.exception("worker.tick.failed")
                        found = 0
                    if once and not found:
                        return
                    if not found:
                        await asyncio.sleep(self.settings.worker_poll_seconds)
            finally:
                await self.db.dispose()
