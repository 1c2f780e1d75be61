"""The Seller Center on a 390 px phone (the Seller App's place): every main page fits the
screen with no sideways scrolling and passes axe; and one page in Simplified Chinese."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, screenshot
from tests.factories import PASSWORD, World


async def test_the_seller_pages_fit_a_phone(phone: Page, world: World) -> None:
    shop = await world.shop(name="Long Shop Name Supplies 123")
    await world.bound_official(shop)
    await world.bound_marketing(shop)
    await world.request_marketing(shop, await world.account(region=shop.region))
    for n in range(3):
        await world.product(shop, title=f"Extra long product title for the phone layout {n}")
    await log_in(phone, shop.owner)
    pages = {
        "seller-shops": "/seller",
        "seller-dashboard": f"/seller/shops/{shop.id}",
        "seller-official-bound": f"/seller/shops/{shop.id}/accounts?tab=official",
        "seller-marketing": f"/seller/shops/{shop.id}/accounts?tab=marketing",
        "seller-products": f"/seller/shops/{shop.id}/products",
        "seller-product-new": f"/seller/shops/{shop.id}/products/new",
        "seller-settings": f"/seller/shops/{shop.id}/settings",
    }
    for name, path in pages.items():
        response = await phone.goto(path)
        assert response is not None and response.status == 200, path
        await assert_fits_width(phone)
        await screenshot(phone, name)
        await assert_accessible(phone)


async def test_the_eligibility_check_and_the_link_forms_fit_a_phone(
    phone: Page, world: World
) -> None:
    shop = await world.shop(region="US")
    abroad = await world.account(region="GB")
    await log_in(phone, shop.owner)
    await phone.goto(f"/seller/shops/{shop.id}/accounts")
    await phone.get_by_label("Username of the account").press_sequentially(abroad.username)
    await expect(phone.locator("#official-eligibility [data-code=REGION_MISMATCH]")).to_be_visible()
    await assert_fits_width(phone)
    await screenshot(phone, "seller-official-eligibility")
    await assert_accessible(phone)


async def test_the_linked_accounts_page_in_chinese(page_zh: Page, world: World) -> None:
    shop = await world.shop(region="US")
    await world.bound_marketing(shop)
    abroad = await world.account(region="GB")
    # The login form speaks Chinese too: fill it by its fields' ids.
    await page_zh.goto("/login")
    await page_zh.fill("#username", shop.owner.username)
    await page_zh.fill("#password", PASSWORD)
    await page_zh.locator("form[action='/login'] button[type=submit]").click()
    await page_zh.wait_for_url("**/seller")
    await page_zh.goto(f"/seller/shops/{shop.id}/accounts?tab=marketing")
    await expect(page_zh.locator("html")).to_have_attribute("lang", "zh-Hans")
    await expect(page_zh.get_by_role("link", name="官方账号")).to_be_visible()
    await expect(page_zh.locator(".slots")).to_contain_text("1/4")
    # The live eligibility check explains the refusing rule in Chinese too.
    await page_zh.get_by_label("账号的用户名").press_sequentially(abroad.username)
    reason = page_zh.locator("#marketing-eligibility [data-code=REGION_MISMATCH]")
    await expect(reason).to_contain_text("账号地区与店铺地区不一致")
    await expect(reason).not_to_contain_text("The account is registered")
    await screenshot(page_zh, "seller-marketing-zh")
    await assert_accessible(page_zh)
