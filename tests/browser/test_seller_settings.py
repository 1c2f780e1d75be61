"""Seller Center, settings: renaming with the warning that the official account follows the shop
name, the store type, and closing the shop (owner only, after confirming)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.factories import World, unique


async def test_renaming_warns_and_renames_the_official_account_too(
    page: Page, world: World
) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/settings")
    warning = page.locator("#rename-warning")
    await expect(warning).to_contain_text("renaming the shop renames the account too")
    await expect(warning).to_contain_text(f"@{account.username}")
    await screenshot(page, "seller-settings")
    await assert_accessible(page)

    await page.get_by_label("New shop name").fill("")
    await page.get_by_role("button", name="Rename the shop").click()
    await expect(page.locator("#f-name-error")).to_be_visible()

    new_name = unique("Harbor Goods ")
    await page.get_by_label("New shop name").fill(new_name)
    await page.get_by_role("button", name="Rename the shop").click()
    await expect(page.get_by_role("status")).to_contain_text("The shop was renamed.")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(new_name)
    await page.get_by_role("link", name="Linked TikTok Accounts").click()
    await expect(page.locator(".official-card")).to_contain_text(new_name)


async def test_closing_needs_the_confirmation_then_ends_the_shop(page: Page, world: World) -> None:
    shop = await world.shop()
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/settings")
    # The browser enforces the box; a request without it is refused by the server too.
    response = await page.request.post(
        f"/seller/shops/{shop.id}/close",
        form={"csrf_token": await page.locator("input[name=csrf_token]").first.input_value()},
    )
    assert response.status == 422
    await page.reload()
    await expect(page.get_by_role("button", name="Close the shop")).to_be_visible()

    await page.get_by_label("I understand that closing").check()
    await page.get_by_role("button", name="Close the shop").click()
    await expect(page.get_by_role("status")).to_contain_text("The shop is closed.")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Closed")
    await page.get_by_role("link", name="Settings").click()
    await expect(page.get_by_text("Closed shops cannot be changed.")).to_be_visible()
    await expect(page.get_by_role("button", name="Rename the shop")).to_have_count(0)
    await page.goto(f"/seller/shops/{shop.id}/products")
    await expect(page.get_by_role("link", name="Add a product")).to_have_count(0)
    await page.goto(f"/seller/shops/{shop.id}/accounts")
    await expect(page.get_by_text("no account can be linked to it")).to_be_visible()
