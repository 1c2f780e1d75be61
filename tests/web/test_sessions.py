"""Web sessions without a browser, on both backends: the CSRF check, open-redirect refusal,
tampered or expired cookies, and logout deleting the server-side session."""

from __future__ import annotations

import httpx
import pytest

from shoplink.app import create_app
from shoplink.config import Settings
from tests.factories import PASSWORD, World
from tests.web.login import csrf_token, log_in


async def test_login_redirects_and_sets_the_session_cookie(world: World) -> None:
    person = await world.person()
    response = await log_in(world, person, next_path="/requests")
    assert response.status_code == 303
    assert response.headers["location"] == "/requests"
    cookie = response.headers.get_list("set-cookie")
    assert any(c.startswith("shoplink_session=") and "HttpOnly" in c for c in cookie)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
async def test_next_never_leaves_the_site(world: World, target: str) -> None:
    person = await world.person()
    response = await log_in(world, person, next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    person = await world.person()
    await csrf_token(world.client)
    response = await world.client.post(
        "/login", data={"username": person.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "shoplink_session" not in response.headers.get("set-cookie", "")


async def test_a_tampered_session_cookie_is_not_a_login(world: World) -> None:
    person = await world.person()
    await log_in(world, person)
    cookie = world.client.cookies["shoplink_session"]
    world.client.cookies.set("shoplink_session", cookie[:-2] + "xx")
    page = await world.client.get("/login")
    assert person.username not in page.text


async def test_a_session_ends_after_its_lifetime(world: World) -> None:
    person = await world.person()
    await log_in(world, person)
    assert person.username in (await world.client.get("/login")).text
    await world.advance(13 * 3600)  # the default lifetime is 12 h
    assert person.username not in (await world.client.get("/login")).text


async def test_logout_deletes_the_session_on_the_server(world: World) -> None:
    person = await world.person()
    await log_in(world, person)
    kept = world.client.cookies["shoplink_session"]
    token = await csrf_token(world.client)
    response = await world.client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    world.client.cookies.set("shoplink_session", kept)  # a copy kept by an attacker
    assert person.username not in (await world.client.get("/login")).text


async def test_every_process_signs_with_the_key_the_migrations_stored(
    world: World, database_url: str
) -> None:
    """A second app on the same database (another server process) accepts the session
    cookie the first one signed: the key lives in the database, not in one process."""
    person = await world.person()
    await log_in(world, person)
    other = create_app(
        Settings(database_url=database_url, password_time_cost=1, password_memory_kib=1024)
    )
    transport = httpx.ASGITransport(app=other)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        client.cookies.set("shoplink_session", world.client.cookies["shoplink_session"])
        assert person.username in (await client.get("/login")).text
    await other.state.db.dispose()
