"""The binding path through the pages on a server backed by PostgreSQL (the many-process
deployment): the seller requests, the owner authorizes, the reviewer approves, the seller
sees the bound account, the public sees the Shop Page."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests import pg
from tests.browser.conftest import DESKTOP, log_in, serve
from tests.factories import World
from tests.servers import Server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_server(pg_cluster: pg.Cluster) -> Iterator[Server]:
    url = pg_cluster.create_database(f"browser_{os.getpid()}_{time.monotonic_ns()}")
    with serve("tiktok_shop", url) as server:
        yield server


@pytest.fixture
async def pg_world(pg_server: Server) -> AsyncIterator[World]:
    async with httpx.AsyncClient(base_url=pg_server.url, timeout=30) as client:
        yield World(client)


@pytest.fixture
async def pg_page(browser: Browser, pg_server: Server) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=pg_server.url, viewport=DESKTOP)
    context.set_default_timeout(15_000)
    yield await context.new_page()
    await context.close()


async def test_request_authorize_approve_and_shop_page_on_postgresql(
    pg_page: Page, pg_world: World
) -> None:
    world, page = pg_world, pg_page
    shop = await world.shop()
    account = await world.account(region=shop.region)
    await world.product(shop, title="Trail Running Shoes")
    assert account.owner is not None
    reviewer = await world.reviewer()

    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts")
    await page.get_by_label("Username of the account").first.fill(account.username)
    await page.get_by_role("button", name="Send link request").click()
    await expect(page.get_by_role("status")).to_contain_text("Request sent")
    await page.get_by_role("button", name="Log out").click()

    await log_in(page, account.owner)
    await page.goto("/requests")
    await page.get_by_role("link", name="Review and authorize").click()
    await page.get_by_label("I accept the agreement").check()
    await page.get_by_role("button", name="Authorize").click()
    await expect(page.get_by_role("status")).to_contain_text("Authorized")
    await page.get_by_role("button", name="Log out").click()

    await log_in(page, reviewer)
    await page.goto("/review")
    await expect(page.get_by_text("All rules pass")).to_be_visible()
    await page.get_by_role("button", name="Approve").click()
    await expect(page.get_by_role("status")).to_be_visible()
    await page.get_by_role("button", name="Log out").click()

    official = await world.ok("GET", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert official["status"] == "active"
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts")
    await expect(page.get_by_text(f"@{account.username}").first).to_be_visible()
    await page.goto(f"/@{account.username}/shop")
    await expect(page.locator(".product h3")).to_have_text("Trail Running Shoes")
