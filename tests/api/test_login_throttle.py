"""Failed logins are throttled (429 RATE_LIMITED) per username and per client; a right
password is never counted, and a throttled name does not block other names."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from shoplink.app import create_app
from shoplink.config import Settings
from tests.factories import ADMIN_TOKEN, API, PASSWORD, World, assert_problem


@pytest.fixture
async def fresh(database_url: str) -> AsyncIterator[World]:
    """An app of its own, so its throttle counts only this test's attempts."""
    settings = Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        password_time_cost=1,
        password_memory_kib=1024,
        login_rate_limit="3/minute",
        login_rate_limit_per_client="6/minute",
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield World(client)
    await app.state.db.dispose()  # its own engine: close it on this event loop


async def _login(world: World, username: str, password: str) -> httpx.Response:
    return await world.client.post(
        API + "/auth/token", json={"username": username, "password": password}
    )


async def test_a_name_is_throttled_after_its_failed_attempts(fresh: World) -> None:
    person = await fresh.person()
    for _ in range(3):
        assert_problem(await _login(fresh, person.username, "wrong"), 401, "UNAUTHENTICATED")
    body = assert_problem(await _login(fresh, person.username, "wrong"), 429, "RATE_LIMITED")
    assert body["next_action"]
    # Even the right password waits: guessing must not be able to confirm a hit.
    assert_problem(await _login(fresh, person.username, PASSWORD), 429, "RATE_LIMITED")


async def test_right_passwords_are_not_counted(fresh: World) -> None:
    person = await fresh.person()
    for _ in range(5):
        assert (await _login(fresh, person.username, PASSWORD)).status_code == 200
    assert_problem(await _login(fresh, person.username, "wrong"), 401, "UNAUTHENTICATED")


async def test_one_client_spraying_many_names_is_throttled(fresh: World) -> None:
    people = [await fresh.person() for _ in range(4)]
    for person in people[:3]:
        for _ in range(2):
            assert_problem(await _login(fresh, person.username, "x"), 401, "UNAUTHENTICATED")
    # Six failures from this client: a fresh name is refused too.
    assert_problem(await _login(fresh, people[3].username, PASSWORD), 429, "RATE_LIMITED")
