"""The Seller Center on a server running the douyin profile: no manual unbind (explained, no
button), no marketing accounts, the name-change quota in the rename warning and counted by a
rename, and the store type refused with STORE_UPGRADE_UNSUPPORTED."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, assert_accessible, log_in, screenshot, serve
from tests.factories import World, unique
from tests.servers import Server


@pytest.fixture(scope="module")
def douyin_server() -> Iterator[Server]:
    with serve("douyin") as server:
        yield server


@pytest.fixture
async def dy_world(douyin_server: Server) -> AsyncIterator[World]:
    async with httpx.AsyncClient(base_url=douyin_server.url, timeout=30) as client:
        yield World(client)


@pytest.fixture
async def dy_page(browser: Browser, douyin_server: Server) -> AsyncIterator[Page]:
    context = await browser.new_context(
        base_url=douyin_server.url, viewport=DESKTOP, locale="en-US"
    )
    context.set_default_timeout(15_000)
    yield await context.new_page()
    await context.close()


async def test_douyin_explains_there_is_no_manual_unbind_and_no_marketing(
    dy_page: Page, dy_world: World
) -> None:
    shop = await dy_world.shop(region="CN")
    account = await dy_world.bound_official(shop)
    await log_in(dy_page, shop.owner)
    await dy_page.goto(f"/seller/shops/{shop.id}/accounts")
    await expect(dy_page.locator(".official-card")).to_contain_text(f"@{account.username}")
    await expect(dy_page.get_by_text("cannot be unlinked by hand")).to_be_visible()
    await expect(dy_page.get_by_role("button", name=f"Unlink @{account.username}")).to_have_count(0)
    await screenshot(dy_page, "seller-douyin-official")
    await assert_accessible(dy_page)

    await dy_page.get_by_role("link", name="Marketing Accounts").click()
    await expect(dy_page.get_by_text("Douyin offers no marketing accounts")).to_be_visible()
    await expect(dy_page.get_by_label("Username of the account")).to_have_count(0)


async def test_douyin_rename_counts_toward_the_quota_and_store_type_is_refused(
    dy_page: Page, dy_world: World
) -> None:
    shop = await dy_world.shop(region="CN")
    await dy_world.bound_official(shop)
    await log_in(dy_page, shop.owner)
    await dy_page.goto(f"/seller/shops/{shop.id}/settings")
    warning = dy_page.locator("#rename-warning")
    await expect(warning).to_contain_text("counts as a name change")
    await expect(warning).to_contain_text("Name changes used: 0 of 4 in the last 30 days.")

    await dy_page.get_by_label("New shop name").fill(unique("抖音小店 "))
    await dy_page.get_by_role("button", name="Rename the shop").click()
    await expect(dy_page.get_by_role("status")).to_contain_text("The shop was renamed.")
    await expect(warning).to_contain_text("Name changes used: 1 of 4 in the last 30 days.")
    await screenshot(dy_page, "seller-douyin-settings")

    await dy_page.get_by_label("Change to").select_option("personal")
    await dy_page.get_by_role("button", name="Change the store type").click()
    refusal = dy_page.get_by_role("alert")
    await expect(refusal).to_contain_text("The store type cannot be changed")
    await expect(refusal.locator(".next-action")).to_contain_text("migrate")
    await expect(dy_page.get_by_text("Now: Business store")).to_be_visible()
    await assert_accessible(dy_page)
