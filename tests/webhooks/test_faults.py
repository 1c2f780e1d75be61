"""Fault tests for webhook delivery, with real processes: `shoplink serve` and any number of
`shoplink worker`s sharing one database (a SQLite file or a PostgreSQL database on the
throwaway cluster), delivering to a real HTTP receiver that verifies every signature with
`standardwebhooks` and de-duplicates by webhook-id.

- a worker killed with SIGKILL in the middle of a batch: a second worker delivers the rest,
  nothing is lost (the receiver may see the interrupted sends twice, with the same id);
- a receiver that answers 500 three times, then 200: retried with back-off and jitter,
  delivered once accepted;
- two workers at once never send the same attempt twice;
- a server killed with SIGKILL between commit and delivery (and in the middle of requests):
  every committed event is delivered, and nothing that was not committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from shoplink.cli import upgrade_database
from shoplink.db import Database
from shoplink.webhooks import dispatch
from shoplink.worker import BATCH
from tests import pg
from tests.factories import ADMIN_TOKEN, unique
from tests.servers import Process as Proc
from tests.servers import spawn, wait_healthy
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.slow

API = "/api/v1"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
LEASE_SECONDS = 60  # shoplink.webhooks.dispatch.LEASE
ATTEMPT_LINE = re.compile(r"webhook\.attempt delivery=(\d+) status=(\S+)")


# -- processes --------------------------------------------------------------------------------

FAULT_ENV = {
    "SHOPLINK_WEBHOOKS_ALLOW_PRIVATE": "1",  # the receiver listens on loopback
    "SHOPLINK_WORKER_POLL_SECONDS": "0.2",
    "SHOPLINK_PASSWORD_TIME_COST": "1",
    "SHOPLINK_PASSWORD_MEMORY_KIB": "1024",
}


@dataclass
class Fleet:
    """The processes of one test, sharing one database; every one is ended at teardown."""

    backend: str
    database_url: str
    workdir: Path
    procs: list[Proc] = field(default_factory=list)

    def _spawn(self, name: str, args: list[str], url: str = "") -> Proc:
        proc = spawn(
            name,
            args,
            database_url=self.database_url,
            workdir=self.workdir,
            env_extra=FAULT_ENV,
            url=url,
        )
        self.procs.append(proc)
        return proc

    def server(self) -> tuple[Proc, str]:
        """A single-process `shoplink serve`, once /healthz answers; returns it and its URL."""
        for _ in range(3):
            port = pg.free_port()
            args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
            proc = self._spawn(f"server-{len(self.procs)}", args, f"http://127.0.0.1:{port}")
            if wait_healthy(proc):
                return proc, proc.url
        pytest.fail("no free port for shoplink serve")

    def worker(self, name: str) -> Proc:
        return self._spawn(name, ["worker"])

    def logs(self) -> str:
        return "\n".join(f"----- {p.name} -----\n{p.output()}" for p in self.procs)

    def stop_all(self) -> None:
        for proc in self.procs:
            proc.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fleet(request: pytest.FixtureRequest) -> Iterator[Fleet]:
    """A freshly migrated database per test; its processes are started by the test."""
    with tempfile.TemporaryDirectory(prefix="shoplink-webhook-faults-") as tmp:
        workdir = Path(tmp)
        if request.param == "postgres":
            cluster: pg.Cluster = request.getfixturevalue("pg_cluster")
            url = cluster.create_database(f"hooks_{os.getpid()}_{time.monotonic_ns()}")
        else:
            url = f"sqlite:///{workdir / 'hooks.db'}"
        upgrade_database(url)
        fleet = Fleet(request.param, url, workdir)
        try:
            yield fleet
        finally:
            fleet.stop_all()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


# -- the API, as the admin --------------------------------------------------------------------


class Api:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, headers=ADMIN, timeout=30)

    def close(self) -> None:
        self.http.close()

    def ok(self, method: str, path: str, *, expect: int = 200, **kw: Any) -> Any:
        response = self.http.request(method, API + path, **kw)
        assert response.status_code == expect, response.text
        return response.json()

    def subscribe(self, receiver: Receiver) -> int:
        created = self.ok(
            "POST",
            "/webhook-endpoints",
            expect=201,
            json={"url": receiver.url, "event_types": ["*"]},
        )
        receiver.secret = created["secret"]
        return int(created["id"])

    def owner(self) -> int:
        username = unique("hookowner")
        user = self.ok(
            "POST",
            "/users",
            expect=201,
            json={"username": username, "password": "correct horse battery", "display_name": "O"},
        )
        return int(user["id"])

    def account(self, owner_id: int, username: str | None = None) -> httpx.Response:
        """POST /accounts: one `account.created` event."""
        username = username or unique("hook.")
        return self.http.post(
            API + "/accounts",
            json={
                "username": username,
                "nickname": username.title(),
                "region": "US",
                "kind": "personal",
                "owner_user_id": owner_id,
            },
        )

    def accounts(self, owner_id: int, count: int) -> list[str]:
        """`count` accounts (hence events), eight requests at a time; their usernames."""
        names = [unique("hook.") for _ in range(count)]
        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(lambda n: self.account(owner_id, n), names))
        assert [r.status_code for r in responses] == [201] * count, responses[0].text
        return names

    def advance(self, seconds: float) -> None:
        self.ok("POST", "/test-clock", json={"advance_seconds": seconds})

    def deliveries(self, endpoint_id: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 200}
        while True:
            page = self.ok("GET", f"/webhook-endpoints/{endpoint_id}/deliveries", params=params)
            items.extend(page["items"])
            if page["next_cursor"] is None:
                return items
            params["cursor"] = page["next_cursor"]

    def endpoint(self, endpoint_id: int) -> dict[str, Any]:
        endpoint: dict[str, Any] = self.ok("GET", f"/webhook-endpoints/{endpoint_id}")
        return endpoint


@pytest.fixture
def apis() -> Iterator[list[Api]]:
    made: list[Api] = []
    yield made
    for api in made:
        api.close()


def connect(apis: list[Api], url: str) -> Api:
    api = Api(url)
    apis.append(api)
    return api


# -- waiting and reading ----------------------------------------------------------------------


def eventually(
    check: Callable[[], bool], *, timeout: float, what: str, fleet: Fleet, receiver: Receiver
) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{receiver.describe()}\n{fleet.logs()}")
        for proc in fleet.procs:
            code = proc.process.poll()
            if code is not None and code != -signal.SIGKILL and code != 0:
                pytest.fail(f"{proc.name} exited with {code}:\n{fleet.logs()}")
        time.sleep(0.1)


def all_delivered(api: Api, endpoint_id: int, count: int) -> Callable[[], bool]:
    def check() -> bool:
        deliveries = api.deliveries(endpoint_id)
        return len(deliveries) == count and all(d["status"] == "delivered" for d in deliveries)

    return check


def rows(database_url: str, sql: str) -> list[Any]:
    """Read the shared database directly (what the API cannot list: every event, the outbox)."""

    async def run() -> list[Any]:
        db = Database(database_url, pool_size=1)
        try:
            async with db.transaction(write=False) as session:
                return list((await session.execute(text(sql))).all())
        finally:
            await db.dispose()

    return asyncio.run(run())


def fan_out_now(database_url: str) -> int:
    """What a worker's tick does first: outbox messages become due deliveries."""

    async def run() -> int:
        db = Database(database_url, pool_size=1)
        try:
            async with db.transaction() as session:
                return await dispatch.fan_out(session, now=datetime.now(UTC))
        finally:
            await db.dispose()

    return asyncio.run(run())


def attempts_by_worker(proc: Proc) -> Counter[int]:
    """Delivery ids this worker recorded an attempt for (its log lines)."""
    return Counter(int(m.group(1)) for m in ATTEMPT_LINE.finditer(proc.output(tail=10**7)))


def when(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def assert_exactly_delivered(
    receiver: Receiver, deliveries: list[dict[str, Any]], count: int
) -> None:
    """Every event reached the receiver, verified, under the delivery's stable webhook-id."""
    assert receiver.rejected == []
    assert len(deliveries) == count
    assert {d["status"] for d in deliveries} == {"delivered"}
    assert set(receiver.accepted_ids()) == {d["message_id"] for d in deliveries}
    assert len({d["event_id"] for d in deliveries}) == count


# -- the tests --------------------------------------------------------------------------------


def test_worker_killed_mid_batch_loses_nothing(
    fleet: Fleet, receiver: Receiver, apis: list[Api]
) -> None:
    events = BATCH  # exactly one worker batch
    receiver.delay = 0.5  # 16 sends in flight at a time, each held for half a second
    _, url = fleet.server()
    api = connect(apis, url)
    endpoint = api.subscribe(receiver)
    owner = api.owner()
    api.accounts(owner, events)

    first = fleet.worker("worker-1")
    # All 32 deliveries are claimed in one batch and sent 16 at a time: when the worker dies,
    # the first 16 were answered (but not yet recorded: a batch is recorded at its end) and
    # more are in flight (the receiver holds them half a second).
    assert receiver.wait_for(24, timeout=30), f"{receiver.describe()}\n{fleet.logs()}"
    first.kill9()
    at_kill = set(receiver.ids())

    deliveries = api.deliveries(endpoint)
    undelivered = [d for d in deliveries if d["status"] != "delivered"]
    assert len(deliveries) == events
    assert undelivered, "the kill should land in the middle of the batch"
    assert len(at_kill) < events
    assert {d["status"] for d in undelivered} == {"pending"}
    assert all(d["attempts"] == 0 for d in undelivered)

    second = fleet.worker("worker-2")
    # The dead worker's leases hold for a minute: the new worker delivers a new event, but
    # sends none of the leased deliveries again before the leases lapse.
    (late,) = api.accounts(owner, 1)
    events += 1
    eventually(
        lambda: any(p["data"]["username"] == late for p in receiver.payloads().values()),
        timeout=30,
        what="the second worker to deliver a new event",
        fleet=fleet,
        receiver=receiver,
    )
    assert len(set(receiver.ids()) - at_kill) == 1
    assert len(receiver.snapshot()) == len(at_kill) + 1
    api.advance(LEASE_SECONDS + 1)

    eventually(
        all_delivered(api, endpoint, events),
        timeout=30,
        what="every delivery after the lease lapsed",
        fleet=fleet,
        receiver=receiver,
    )
    deliveries = api.deliveries(endpoint)
    assert_exactly_delivered(receiver, deliveries, events)
    # At least once: the sends the kill interrupted arrive twice with the same webhook-id
    # (the receiver de-duplicates them); nothing else does.
    duplicates = receiver.duplicates()
    assert duplicates, "the sends in flight at the kill are expected again"
    assert set(duplicates) <= at_kill
    assert set(duplicates.values()) == {2}
    # The dead worker recorded nothing for them: one recorded attempt each.
    assert all(d["attempts"] == 1 and len(d["attempt_log"]) == 1 for d in deliveries)
    resent = {d["id"] for d in deliveries if d["message_id"] in duplicates}
    assert resent <= set(attempts_by_worker(second))
    assert not resent & set(attempts_by_worker(first))


def test_receiver_failing_three_times_is_retried_with_backoff_until_accepted(
    fleet: Fleet, receiver: Receiver, apis: list[Api]
) -> None:
    events = 3
    receiver.script([500, 500, 500])  # per webhook-id, then 200
    _, url = fleet.server()
    api = connect(apis, url)
    endpoint = api.subscribe(receiver)
    api.accounts(api.owner(), events)
    fleet.worker("worker")

    # Standard Webhooks' schedule: 5 s, 5 min, 30 min, each with ±20 % jitter.
    for attempt, (base, advance) in enumerate([(5, 7), (300, 361), (1800, 2161)], start=1):

        def attempted(n: int = attempt) -> bool:
            deliveries = api.deliveries(endpoint)
            return len(deliveries) == events and all(d["attempts"] == n for d in deliveries)

        eventually(attempted, timeout=20, what=f"attempt {attempt}", fleet=fleet, receiver=receiver)
        deliveries = api.deliveries(endpoint)
        assert {(d["status"], d["last_status_code"]) for d in deliveries} == {("pending", 500)}
        delays = [
            (when(d["next_attempt_at"]) - when(d["attempt_log"][-1]["attempted_at"]))
            for d in deliveries
        ]
        seconds = [delay.total_seconds() for delay in delays]
        assert all(0.8 * base <= s <= 1.2 * base for s in seconds), seconds
        assert len(set(seconds)) == events, f"no jitter: {seconds}"
        # Not due yet: nothing more is sent until the clock reaches the next attempt.
        assert len(receiver.snapshot()) == events * attempt
        api.advance(advance)

    eventually(
        all_delivered(api, endpoint, events),
        timeout=20,
        what="the fourth attempt",
        fleet=fleet,
        receiver=receiver,
    )
    deliveries = api.deliveries(endpoint)
    assert_exactly_delivered(receiver, deliveries, events)
    for delivery in deliveries:
        assert delivery["attempts"] == 4
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 500, 200]
    assert receiver.ids() == dict.fromkeys(receiver.ids(), 4)
    assert receiver.accepted_ids() == dict.fromkeys(receiver.ids(), 1)
    # Nine failures in a row marked the endpoint failing; the first success cleared it.
    endpoint_now = api.endpoint(endpoint)
    assert (endpoint_now["status"], endpoint_now["consecutive_failures"]) == ("active", 0)


def test_two_workers_never_send_the_same_attempt_twice(
    fleet: Fleet, receiver: Receiver, apis: list[Api]
) -> None:
    events = 200
    receiver.delay = 0.2  # one worker alone would need seconds: both get a share
    _, url = fleet.server()
    api = connect(apis, url)
    endpoint = api.subscribe(receiver)
    api.accounts(api.owner(), events)
    # Fan the outbox out beforehand, so that both workers find every delivery due at once
    # and their first claims (and, batches taking equally long, the later ones) coincide.
    assert fan_out_now(fleet.database_url) == events

    workers = [fleet.worker("worker-a"), fleet.worker("worker-b")]
    eventually(
        all_delivered(api, endpoint, events),
        timeout=60,
        what="every delivery",
        fleet=fleet,
        receiver=receiver,
    )
    # Exactly once here (no worker died): every webhook-id arrived once, one attempt each.
    twice = {i: n for i, n in receiver.ids().items() if n > 1}
    assert not twice, f"sent more than once: {sorted(twice)[:20]} ({len(twice)} in all)"
    assert len(receiver.snapshot()) == events
    deliveries = api.deliveries(endpoint)
    assert_exactly_delivered(receiver, deliveries, events)
    assert all(d["attempts"] == 1 and len(d["attempt_log"]) == 1 for d in deliveries)
    # Both workers took part, and never on the same delivery.
    shares = [attempts_by_worker(w) for w in workers]
    assert all(shares), f"one worker did everything: {[len(s) for s in shares]}"
    assert all(set(share.values()) == {1} for share in shares)
    assert not set(shares[0]) & set(shares[1])
    assert set(shares[0]) | set(shares[1]) == {d["id"] for d in deliveries}


def test_server_killed_between_commit_and_delivery_loses_nothing(
    fleet: Fleet, receiver: Receiver, apis: list[Api]
) -> None:
    acknowledged_before = 20
    burst = 40
    server, url = fleet.server()
    api = connect(apis, url)
    endpoint = api.subscribe(receiver)
    owner = api.owner()
    acknowledged = api.accounts(owner, acknowledged_before)

    # A burst of requests, and the server dies (SIGKILL) while they are in flight: some were
    # committed and answered, some committed but never answered, some never committed.
    names = [unique("burst.") for _ in range(burst)]
    answered: dict[str, int] = {}

    def create(name: str) -> None:
        with contextlib.suppress(httpx.TransportError):  # the server died under it
            answered[name] = api.account(owner, name).status_code

    with ThreadPoolExecutor(burst) as pool:
        futures = [pool.submit(create, name) for name in names]
        deadline = time.monotonic() + 30
        while len(answered) < 5 and time.monotonic() < deadline:
            time.sleep(0.005)
        server.kill9()
        for future in futures:
            future.result()
    assert set(answered.values()) <= {201}
    assert 5 <= len(answered) < burst, "the kill should land in the middle of the burst"
    acknowledged += list(answered)

    # Nothing was delivered yet: every committed event waits in the outbox.
    events = {row[0] for row in rows(fleet.database_url, "SELECT id FROM events")}
    outbox = {row[0] for row in rows(fleet.database_url, "SELECT event_id FROM outbox_messages")}
    assert outbox == events
    assert len(events) >= len(acknowledged)
    assert receiver.snapshot() == []

    fleet.worker("worker")
    _, url = fleet.server()
    api = connect(apis, url)
    eventually(
        all_delivered(api, endpoint, len(events)),
        timeout=30,
        what="every committed event",
        fleet=fleet,
        receiver=receiver,
    )
    deliveries = api.deliveries(endpoint)
    assert_exactly_delivered(receiver, deliveries, len(events))
    assert {d["event_id"] for d in deliveries} == events
    assert rows(fleet.database_url, "SELECT count(*) FROM outbox_messages") == [(0,)]
    # Every answered request's event arrived; every event that arrived is of an account that
    # exists (no event without its change, no change without its event).
    delivered_names = {p["data"]["username"] for p in receiver.payloads().values()}
    stored = {row[0] for row in rows(fleet.database_url, "SELECT username FROM accounts")}
    assert set(acknowledged) <= delivered_names
    assert delivered_names == stored
    assert set(receiver.ids().values()) == {1}


def test_concurrent_claims_never_share_a_delivery(fleet: Fleet, apis: list[Api]) -> None:
    """The claim itself, without the timing luck of whole processes: four claims in four
    transactions at the same moment (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE
    on SQLite) split the due deliveries between them, none twice, none left behind."""
    events = 120
    with Receiver() as receiver:
        _, url = fleet.server()
        api = connect(apis, url)
        api.subscribe(receiver)
        api.accounts(api.owner(), events)
    assert fan_out_now(fleet.database_url) == events

    async def race() -> list[list[int]]:
        db = Database(fleet.database_url, pool_size=4)
        now = datetime.now(UTC)

        async def claim(index: int) -> list[int]:
            async with db.transaction() as session:
                jobs = await dispatch.claim(session, now=now, lease_token=f"claimant-{index}")
            return [job.delivery_id for job in jobs]

        try:
            return list(await asyncio.gather(*(claim(i) for i in range(4))))
        finally:
            await db.dispose()

    claimed = asyncio.run(race())
    every = [delivery for batch in claimed for delivery in batch]
    assert len(every) == len(set(every)), [len(batch) for batch in claimed]
    assert len(every) == events
    leases = rows(
        fleet.database_url,
        "SELECT lease_token, count(*) FROM webhook_deliveries"
        " GROUP BY lease_token ORDER BY lease_token",
    )
    assert sorted(n for _, n in leases) == sorted(len(b) for b in claimed if b)
