"""Worker side of the outbox: fan events out to endpoints, claim due deliveries under a lease,
send them, record each attempt. At-least-once: a worker killed mid-batch lets its leases lapse
and another worker sends again with the same webhook-id, which receivers de-duplicate."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.clock import wall_now
from shoplink.kit.locking import lock_by_id
from shoplink.models import Event, OutboxMessage, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from shoplink.webhooks import backoff, signing
from shoplink.webhooks.urls import resolved_problem

# Longer than a worker's worst-case batch (worker.py sizes batches and deadlines to fit).
LEASE = timedelta(seconds=60)


def subscribed(event_types: list[str], event_type: str) -> bool:
    return any(
        pattern == "*"
        or pattern == event_type
        or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
        for pattern in event_types
    )


async def fan_out(session: AsyncSession, *, now: datetime, limit: int = 500) -> int:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id).limit(limit)
    messages = list((await session.execute(stmt.with_for_update(skip_locked=True))).scalars())
    if not messages:
        return 0
    live = select(WebhookEndpoint).where(WebhookEndpoint.status != "disabled")
    endpoints = list((await session.execute(live)).scalars())
    for message in messages:
        event = await session.get(Event, message.event_id)
        assert event is not None
        for endpoint in endpoints:
            if endpoint.shop_id not in (None, event.shop_id):
                continue
            if subscribed(endpoint.event_types, event.type):
                session.add(
                    WebhookDelivery(
                        endpoint_id=endpoint.id,
                        event_id=event.id,
                        message_id=f"msg_{event.id}",
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        await session.delete(message)
    await session.flush()
    return len(messages)


@dataclass(frozen=True, slots=True)
class Job:
    delivery_id: int
    endpoint_id: int
    lease_token: str
    url: str
    headers: dict[str, str]
    body: str


def payload(event: Event) -> str:
    return json.dumps(
        {
            "type": event.type,
            "timestamp": event.at.isoformat(),
            "data": {"id": event.id, "shop_id": event.shop_id, "actor": event.actor, **event.data},
        },
        separators=(",", ":"),
        default=str,
    )


async def claim(
    session: AsyncSession, *, now: datetime, lease_token: str, limit: int = 100
) -> list[Job]:
    due = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until <= now),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    deliveries = list((await session.execute(due)).scalars())
    jobs = []
    for delivery in deliveries:
        delivery.lease_token, delivery.leased_until = lease_token, now + LEASE
        endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
        event = await session.get(Event, delivery.event_id)
        assert endpoint is not None and event is not None
        body = payload(event)
        headers = signing.headers(
            endpoint, message_id=delivery.message_id, body=body, timestamp=wall_now(), now=now
        )
        jobs.append(Job(delivery.id, endpoint.id, lease_token, endpoint.url, headers, body))
    await session.flush()
    return jobs


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def send(
    http: httpx.AsyncClient, job: Job, *, allow_private: bool, deadline: float
) -> Outcome:
    """One attempt, bounded as a whole (httpx's timeout bounds each phase, not the sum)."""
    started = time.perf_counter()
    problem = resolved_problem(job.url, allow_private=allow_private)
    if problem:
        return Outcome(None, 0, problem)
    try:
        response = await asyncio.wait_for(
            http.post(job.url, content=job.body, headers=job.headers), timeout=deadline
        )
    except TimeoutError:
        return Outcome(None, int((time.perf_counter() - started) * 1000), "deadline exceeded")
    except httpx.HTTPError as exc:
        elapsed = int((time.perf_counter() - started) * 1000)
        return Outcome(None, elapsed, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(response.status_code, int((time.perf_counter() - started) * 1000), None)


async def record(session: AsyncSession, job: Job, outcome: Outcome, *, now: datetime) -> None:
    delivery = await lock_by_id(session, WebhookDelivery, job.delivery_id)
    if delivery is None or delivery.lease_token != job.lease_token:
        return  # the lease lapsed and another worker took over; its result stands
    endpoint = await lock_by_id(session, WebhookEndpoint, delivery.endpoint_id)
    assert endpoint is not None
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            attempted_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
        )
    )
    delivery.attempts += 1
    delivery.lease_token = delivery.leased_until = None
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    if outcome.ok:
        delivery.status, delivery.delivered_at = "delivered", now
        endpoint.consecutive_failures = 0
        if endpoint.status == "failing":
            endpoint.status = "active"
    elif outcome.status_code == 410:
        delivery.status = "cancelled"
        await disable(session, endpoint, reason="the receiver answered 410 Gone")
    else:
        _retry_later(delivery, endpoint, now=now)
    await session.flush()


def _retry_later(delivery: WebhookDelivery, endpoint: WebhookEndpoint, *, now: datetime) -> None:
    endpoint.consecutive_failures += 1
    if endpoint.consecutive_failures >= backoff.FAILING_AFTER and endpoint.status == "active":
        endpoint.status = "failing"
    delay = backoff.next_delay(delivery.attempts)
    if delay is None:
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + delay


async def disable(session: AsyncSession, endpoint: WebhookEndpoint, *, reason: str) -> None:
    endpoint.status, endpoint.disabled_reason = "disabled", reason
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == "pending")
        .values(status="cancelled", lease_token=None, leased_until=None)
    )
