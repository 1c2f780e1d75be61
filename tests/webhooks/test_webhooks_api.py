"""Webhooks end to end in-process: the app writes, a Worker delivers to a mock receiver that
verifies every signature with the standardwebhooks library."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from standardwebhooks.webhooks import Webhook

from shoplink.config import Settings
from shoplink.worker import Worker
from tests.factories import World, assert_problem

HOOK_URL = "https://hooks.example.com/shoplink"


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    seen: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        headers = dict(request.headers)
        for secret in self.secrets:  # every configured secret must verify on its own
            Webhook(secret).verify(body, headers)
        self.headers.append(headers)
        status = self.statuses.pop(0) if self.statuses else 200
        if status < 300:
            self.seen.append(json.loads(body) | {"webhook-id": headers["webhook-id"]})
        return httpx.Response(status)


@pytest.fixture
async def worker(app: FastAPI) -> AsyncIterator[Worker]:
    settings: Settings = app.state.settings
    worker = Worker(settings.model_copy(update={"webhooks_allow_private": True}))
    yield worker
    await worker.db.dispose()


async def drain(worker: Worker, receiver: Receiver) -> None:
    transport = httpx.MockTransport(receiver.handle)
    async with httpx.AsyncClient(transport=transport) as http:
        for _ in range(10):
            if not await worker.tick(http):
                return


async def subscribe(world: World, receiver: Receiver, **body: Any) -> dict[str, Any]:
    created: dict[str, Any] = await world.ok(
        "POST",
        "/webhook-endpoints",
        expect=201,
        json={"url": HOOK_URL, "event_types": ["*"], **body},
    )
    assert created["secret"].startswith("whsec_")
    receiver.secrets = [created["secret"]]
    return created


async def test_every_event_is_delivered_signed_with_a_stable_id(
    world: World, worker: Worker
) -> None:
    receiver = Receiver()
    await subscribe(world, receiver)
    shop = await world.shop()
    account = await world.account()
    await world.request_official(shop, account)
    await drain(worker, receiver)
    assert [m["type"] for m in receiver.seen] == [
        "shop.created",
        "account.created",
        "link.requested",
    ]
    assert receiver.seen[2]["data"]["shop_id"] == shop.id
    assert len({m["webhook-id"] for m in receiver.seen}) == 3


async def test_seller_endpoint_hears_only_its_own_shop(world: World, worker: Worker) -> None:
    shop, other = await world.shop(), await world.shop()
    receiver = Receiver()
    created = await world.ok(
        "POST",
        "/webhook-endpoints",
        expect=201,
        as_=shop.owner,
        json={"url": HOOK_URL, "event_types": ["link.*"], "shop_id": shop.id},
    )
    receiver.secrets = [created["secret"]]
    await world.request_official(shop, await world.account())
    await world.request_official(other, await world.account())
    await drain(worker, receiver)
    assert [(m["type"], m["data"]["shop_id"]) for m in receiver.seen] == [
        ("link.requested", shop.id)
    ]
    response = await world.call("GET", f"/webhook-endpoints/{created['id']}", as_=other.owner)
    assert_problem(response, 404, "NOT_FOUND")


async def test_failures_are_retried_with_backoff_until_accepted(
    world: World, worker: Worker
) -> None:
    receiver = Receiver(statuses=[500, 500, 500])
    endpoint = await subscribe(world, receiver, event_types=["shop.created"])
    await world.shop()
    for _ in range(4):
        await drain(worker, receiver)
        await world.advance(3600)
    await drain(worker, receiver)
    assert len(receiver.seen) == 1
    page = await world.ok("GET", f"/webhook-endpoints/{endpoint['id']}/deliveries")
    (delivery,) = page["items"]
    assert delivery["status"] == "delivered"
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 500, 200]
    assert len({h["webhook-id"] for h in receiver.headers}) == 1


async def test_gone_disables_the_endpoint(world: World, worker: Worker) -> None:
    receiver = Receiver(statuses=[410])
    endpoint = await subscribe(world, receiver)
    await world.shop()
    await drain(worker, receiver)
    got = await world.ok("GET", f"/webhook-endpoints/{endpoint['id']}")
    assert got["status"] == "disabled"
    await world.shop()
    await drain(worker, receiver)
    assert receiver.seen == []


async def test_repeated_failures_mark_the_endpoint_failing(world: World, worker: Worker) -> None:
    receiver = Receiver(statuses=[503] * 5)
    endpoint = await subscribe(world, receiver, event_types=["shop.created"])
    for _ in range(5):
        await world.shop()
    await drain(worker, receiver)
    got = await world.ok("GET", f"/webhook-endpoints/{endpoint['id']}")
    assert (got["status"], got["consecutive_failures"]) == ("failing", 5)
    await world.advance(60)
    await drain(worker, receiver)
    got = await world.ok("GET", f"/webhook-endpoints/{endpoint['id']}")
    assert (got["status"], got["consecutive_failures"]) == ("active", 0)
    assert len(receiver.seen) == 5


async def test_rotation_signs_with_both_secrets_during_the_overlap(
    world: World, worker: Worker
) -> None:
    receiver = Receiver()
    endpoint = await subscribe(world, receiver)
    old = receiver.secrets[0]
    rotated = await world.ok("POST", f"/webhook-endpoints/{endpoint['id']}/rotate-secret")
    receiver.secrets = [old, rotated["secret"]]
    await world.shop()
    await drain(worker, receiver)
    assert len(receiver.headers[-1]["webhook-signature"].split(" ")) == 2
    await world.advance(25 * 3600)
    receiver.secrets = [rotated["secret"]]
    await world.shop()
    await drain(worker, receiver)
    assert len(receiver.headers[-1]["webhook-signature"].split(" ")) == 1


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "http://127.0.0.1:9000/hook",
        "http://10.1.2.3/hook",
        "http://localhost/hook",
        "https://[::1]/hook",
        "http://169.254.169.254/latest",
        "not a url",
    ],
)
async def test_unsafe_urls_are_refused(world: World, url: str) -> None:
    response = await world.call(
        "POST", "/webhook-endpoints", json={"url": url, "event_types": ["*"]}
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert body["errors"][0]["field"] == "body.url"


async def test_sellers_must_name_their_shop(world: World) -> None:
    shop = await world.shop()
    response = await world.call(
        "POST",
        "/webhook-endpoints",
        as_=shop.owner,
        json={"url": HOOK_URL, "event_types": ["*"]},
    )
    assert_problem(response, 422, "VALIDATION_ERROR")


async def test_worker_expires_requests_and_reminds_before(world: World, worker: Worker) -> None:
    receiver = Receiver()
    await subscribe(world, receiver, event_types=["link.expiring", "link.expired"])
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.advance(43 * 3600)
    await drain(worker, receiver)
    assert [m["type"] for m in receiver.seen] == ["link.expiring"]
    await world.advance(5 * 3600 + 1)
    await drain(worker, receiver)
    assert [m["type"] for m in receiver.seen] == ["link.expiring", "link.expired"]
    assert receiver.seen[1]["data"]["link_id"] == link["id"]


@pytest.mark.platform("douyin")
async def test_worker_announces_the_end_of_probation(world: World, worker: Worker) -> None:
    shop = await world.shop()
    await world.advance(30 * 24 * 3600)
    await drain(worker, Receiver())
    assert "shop.probation_ended" in await world.events(shop)
