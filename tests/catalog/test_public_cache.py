"""Public reads served from memory (storefront/cache.py) are never older than the data.

Same process: a commit shows on the next read. Another connection (another process, the
CLI): SQLite at once (PRAGMA data_version), PostgreSQL within the NOTIFY's delivery; SPEC §3
allows 1 s. tests/concurrency/test_public_cache_processes.py does the same across servers.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from shoplink.db import Database
from shoplink.kit.changes import PostgresNotify, feed_for
from shoplink.storefront.cache import PUBLIC_API, PublicCache
from shoplink.storefront.views import SHOP_PAGE
from tests.factories import API, AccountRef, ShopRef, World
from tests.web.login import log_in

VISIBLE_WITHIN_S = 1.0


async def feed_ready(app: FastAPI) -> PublicCache:
    """Waits until the change feed listens and has counted every commit made so far.

    On PostgreSQL the LISTEN connection opens on first use, and the test's own setup commits
    arrive as NOTIFYs a moment later: a read racing them would be (rightly) not kept.
    """
    cache: PublicCache = app.state.public_cache
    await asyncio.wait_for(cache.feed.caught_up(), timeout=5)
    assert cache.generation(app.state.profile) is not None
    return cache


async def store(world: World) -> tuple[ShopRef, AccountRef, dict[str, object]]:
    shop = await world.shop()
    account = await world.bound_official(shop)
    product = await world.product(shop, title="Linen shirt")
    return shop, account, product


async def read(world: World, path: str) -> httpx.Response:
    response = await world.public(path)
    assert response.status_code == 200, response.text
    return response


def titles(response: httpx.Response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


async def test_a_repeated_read_is_a_hit_and_a_change_shows_on_the_next_read(
    app: FastAPI, world: World
) -> None:
    shop, account, product = await store(world)
    await feed_ready(app)
    page = f"/profiles/{account.username}/shop-page"
    first = await read(world, page)
    second = await read(world, page)
    assert "x-shoplink-cache" not in first.headers
    assert second.headers["x-shoplink-cache"] == "hit"
    assert second.content == first.content

    await world.ok(
        "PATCH",
        f"/shops/{shop.id}/products/{product['id']}",
        as_=shop.owner,
        json={"title": "Wool coat"},
    )
    after = await read(world, page)
    assert "x-shoplink-cache" not in after.headers
    assert titles(after) == ["Wool coat"]


async def test_each_query_and_cursor_is_its_own_entry(app: FastAPI, world: World) -> None:
    shop, account, _ = await store(world)
    await world.product(shop, title="Wool scarf")
    await feed_ready(app)
    page = f"/profiles/{account.username}/shop-page"
    await read(world, page)
    searched = await world.public(page, q="wool")
    assert "x-shoplink-cache" not in searched.headers
    assert titles(searched) == ["Wool scarf"]
    assert titles(await world.public(page, q="linen")) == ["Linen shirt"]
    assert titles(await world.public(page, q="wool")) == ["Wool scarf"]
    assert len(titles(await world.public(page))) == 2


async def test_a_closed_store_is_not_served_from_memory(app: FastAPI, world: World) -> None:
    shop, account, _ = await store(world)
    await feed_ready(app)
    await read(world, f"/profiles/{account.username}")
    assert (await read(world, f"/profiles/{account.username}")).headers["x-shoplink-cache"]
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    profile = await read(world, f"/profiles/{account.username}")
    assert profile.json()["enter_store"] is False
    closed = await world.public(f"/profiles/{account.username}/shop-page")
    assert closed.status_code == 404


async def test_another_connections_commit_shows_within_a_second(
    app: FastAPI, world: World, database_url: str
) -> None:
    """As the CLI or another server process would: a write that never passes this app."""
    _, account, product = await store(world)
    await feed_ready(app)
    page = f"/profiles/{account.username}/shop-page"
    await read(world, page)
    assert (await read(world, page)).headers["x-shoplink-cache"] == "hit"

    other = Database(database_url)
    try:
        async with other.transaction() as session:
            await session.execute(
                text("UPDATE products SET title = 'Silk scarf' WHERE id = :id"),
                {"id": product["id"]},
            )
        committed = time.monotonic()
        while titles(await read(world, page)) != ["Silk scarf"]:
            assert time.monotonic() - committed < VISIBLE_WITHIN_S, "the page stayed stale"
            await asyncio.sleep(0.01)
    finally:
        await other.dispose()


class _LateNotify(PostgresNotify):
    """Counts each NOTIFY 0.2 s after it arrives, in arrival order, as a slow machine might."""

    def _notified(self, *args: Any) -> None:
        asyncio.get_running_loop().call_later(0.2, super()._notified, *args)


async def test_caught_up_returns_only_after_earlier_commits_are_counted(
    world: World, database_url: str
) -> None:
    """What every test here relies on: a commit made before caught_up() is in the count."""
    feed = feed_for(database_url)
    if not isinstance(feed, PostgresNotify):
        pytest.skip("SQLite's data_version is read synchronously: nothing is ever in flight")
    _, _, product = await store(world)
    late = _LateNotify(feed.dsn)
    other = Database(database_url)
    try:
        await late.caught_up()
        for title in ("Silk scarf", "Felt hat"):
            before = late.generation()
            assert before is not None
            async with other.transaction() as session:
                await session.execute(
                    text("UPDATE products SET title = :title WHERE id = :id"),
                    {"title": title, "id": product["id"]},
                )
            await asyncio.wait_for(late.caught_up(), timeout=5)
            after = late.generation()
            assert after is not None and after >= before + 2  # the commit, then the marker
    finally:
        await other.dispose()
        await late.close()


async def test_without_a_change_feed_nothing_is_served_from_memory(
    app: FastAPI, world: World, database_url: str
) -> None:
    _, account, _ = await store(world)
    cache = await feed_ready(app)
    feed = cache.feed
    cache.feed = _Blind()
    try:
        page = f"/profiles/{account.username}/shop-page"
        responses = [await read(world, page) for _ in range(3)]
        assert all("x-shoplink-cache" not in r.headers for r in responses)
    finally:
        cache.feed = feed


async def test_the_html_shop_page_shows_a_change_at_once(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    shop, account, product = await store(world)
    await feed_ready(app)
    url = f"/@{account.username}/shop"
    assert "Linen shirt" in (await client.get(url)).text
    hits = app.state.public_cache.hits
    assert "Linen shirt" in (await client.get(url)).text
    assert app.state.public_cache.hits == hits + 1
    await world.ok(
        "PATCH",
        f"/shops/{shop.id}/products/{product['id']}",
        as_=shop.owner,
        json={"title": "Denim jacket"},
    )
    assert "Denim jacket" in (await client.get(url)).text


async def test_a_lost_feed_connection_stops_the_cache_until_it_is_back(
    app: FastAPI, world: World, database_url: str
) -> None:
    _, account, product = await store(world)
    cache = await feed_ready(app)
    page = f"/profiles/{account.username}/shop-page"
    await read(world, page)
    assert (await read(world, page)).headers["x-shoplink-cache"] == "hit"

    feed: Any = cache.feed
    other = Database(database_url)  # a writer this process does not count
    try:
        async with other.transaction() as session:
            if other.is_postgres:
                pid = feed._connection.get_server_pid()
                await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            else:
                feed._connection.close()
            # Written while nobody listens: its NOTIFY is lost, the reconnect must not be.
            await session.execute(
                text("UPDATE products SET title = 'Cashmere scarf' WHERE id = :id"),
                {"id": product["id"]},
            )
    finally:
        await other.dispose()
    await asyncio.sleep(0.2)  # PostgreSQL: the termination reaches the listener
    missed = await read(world, page)
    assert "x-shoplink-cache" not in missed.headers
    assert titles(missed) == ["Cashmere scarf"]
    await feed_ready(app)
    assert titles(await read(world, page)) == ["Cashmere scarf"]
    assert (await read(world, page)).headers["x-shoplink-cache"] == "hit"


async def test_the_html_shop_page_caches_each_language_and_the_htmx_results_apart(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    _, account, _ = await store(world)
    await feed_ready(app)
    url = f"/@{account.username}/shop"
    english = (await client.get(url, headers={"Accept-Language": "en"})).text
    chinese = (await client.get(url, headers={"Accept-Language": "zh-CN"})).text
    assert "In stock" in english and "有货" not in english
    assert "有货" in chinese and "In stock" not in chinese
    results = await client.get(
        url, headers={"HX-Request": "true", "HX-Target": "results", "Accept-Language": "en"}
    )
    assert results.text.lstrip().startswith('<ul class="products">')
    assert "Linen shirt" in results.text and "<html" not in results.text
    assert results.headers["content-security-policy"].startswith("default-src 'self'")


async def test_anonymous_visitors_share_one_shop_page_and_get_no_cookie(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    _, account, _ = await store(world)
    await feed_ready(app)
    url = f"/@{account.username}/shop"
    first = await client.get(url)
    second = await client.get(url)
    assert "set-cookie" not in first.headers and "x-shoplink-cache" not in first.headers
    assert second.headers["x-shoplink-cache"] == "hit"
    assert second.text == first.text and "csrf" not in first.text.lower()
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert "Accept-Language" in second.headers["vary"] and "Cookie" in second.headers["vary"]


async def test_a_signed_in_visitor_or_a_pending_notice_is_never_served_the_shared_page(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    _, account, _ = await store(world)
    await feed_ready(app)
    url = f"/@{account.username}/shop"
    await client.get(url)
    assert (await client.get(url)).headers["x-shoplink-cache"] == "hit"

    person = await world.person()
    login = await log_in(world, person)
    assert login.status_code == 303, login.text
    mine = await client.get(url)
    assert "x-shoplink-cache" not in mine.headers
    assert person.username in mine.text and 'name="csrf_token"' in mine.text
    client.cookies.clear()

    client.cookies.set("shoplink_flash", "Saved")
    noticed = await client.get(url)
    assert "x-shoplink-cache" not in noticed.headers
    client.cookies.clear()


async def test_the_language_switch_is_a_get_that_only_sets_the_preference(
    client: httpx.AsyncClient,
) -> None:
    switched = await client.get("/lang", params={"lang": "zh-Hans", "next": "/@maple/shop"})
    assert switched.status_code == 303
    assert switched.headers["location"] == "/@maple/shop"
    assert "shoplink_lang=zh-Hans" in switched.headers["set-cookie"]
    away = await client.get("/lang", params={"lang": "en", "next": "//evil.example/"})
    assert away.headers["location"] == "/"
    client.cookies.clear()


class _Blind:
    """A change feed that has lost its database connection."""

    def generation(self) -> int | None:
        return None

    async def close(self) -> None:
        return None


class _Counter:
    """A change feed whose changes the test makes."""

    def __init__(self) -> None:
        self.count = 0

    def generation(self) -> int | None:
        return self.count

    async def close(self) -> None:
        return None


class _NoWrites:
    write_commits = 0


def test_memory_is_bounded_by_entries_and_by_bytes_and_a_change_empties_it() -> None:
    feed = _Counter()
    cache = PublicCache(_NoWrites(), feed, max_entries=3, max_bytes=100)  # type: ignore[arg-type]
    rules = object()
    for key in "abcd":
        cache.put(key, cache.generation(rules), key.upper(), size=10)
    generation = cache.generation(rules)
    assert [cache.get(k, generation) for k in "abcd"] == [None, "B", "C", "D"]
    cache.put("big", generation, "X", size=90)  # pushes out the least recently used
    assert [cache.get(k, generation) for k in ("b", "c", "d", "big")] == [None, None, "D", "X"]
    cache.put("huge", generation, "Y", size=101)
    assert cache.get("huge", generation) is None

    feed.count += 1  # another process committed
    changed = cache.generation(rules)
    assert cache.get("d", changed) is None
    cache.put("stale", generation, "S", size=1)  # computed before the change: not kept
    assert cache.get("stale", changed) is None
    cache.put("e", changed, "E", size=1)
    assert cache.get("e", changed) == "E" and len(cache._entries) == 1


def test_only_the_public_profile_and_shop_page_are_cached() -> None:
    assert PUBLIC_API.path.fullmatch(f"{API}/profiles/maple/shop-page")
    assert PUBLIC_API.path.fullmatch(f"{API}/profiles/maple")
    assert not PUBLIC_API.path.fullmatch(f"{API}/profiles/maple/showcase")
    assert SHOP_PAGE.path.fullmatch("/@maple/shop")
    assert not SHOP_PAGE.path.fullmatch("/@maple")  # the showcase's items depend on the time
