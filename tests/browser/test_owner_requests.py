"""The account owner's pages: a shop's request arrives, the owner reads the agreement and
authorizes (only with the box ticked) or declines; a lapsed request can no longer be
authorized; the seller sees the same request as outgoing."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, screenshot
from tests.factories import PASSWORD, AccountRef, ShopRef, World


async def _requested(world: World) -> tuple[ShopRef, AccountRef, dict[str, object]]:
    shop = await world.shop()
    account = await world.account(region=shop.region)
    link = await world.request_official(shop, account)
    return shop, account, link


async def _link_status(world: World, shop: ShopRef, link: dict[str, object]) -> str:
    data = await world.ok("GET", f"/link-requests/{link['id']}", as_=shop.owner)
    return str(data["status"])


async def test_owner_authorizes_only_after_accepting_the_agreement(
    page: Page, world: World
) -> None:
    shop, account, link = await _requested(world)
    assert account.owner is not None
    await log_in(page, account.owner)
    await page.goto("/requests")
    row = page.locator("tr", has_text=shop.name)
    await expect(row).to_contain_text("Incoming")
    await expect(row).to_contain_text("Official account")
    await expect(row).to_contain_text("Waiting for authorization")
    await expect(row).to_contain_text("47 h 59 min left")
    await screenshot(page, "owner-requests")
    await assert_accessible(page)

    await row.get_by_role("link", name="Review and authorize").click()
    await expect(page.get_by_role("heading", name="Binding agreement")).to_be_visible()
    await page.get_by_role("button", name="Authorize").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("The agreement was not accepted")
    await expect(alert).to_contain_text("Tick “I accept the agreement”, then press Authorize.")
    await screenshot(page, "owner-request-terms-refused")
    await assert_accessible(page)
    assert await _link_status(world, shop, link) == "pending_authorization"

    await page.get_by_label("I accept the agreement").check()
    await page.get_by_role("button", name="Authorize").click()
    await expect(page.get_by_role("status")).to_contain_text("Authorized")
    await expect(page.locator(".request-status")).to_contain_text("In review")
    await expect(page.get_by_role("button", name="Authorize")).to_have_count(0)
    assert await _link_status(world, shop, link) == "pending_review"


async def test_owner_declines_a_request(page: Page, world: World) -> None:
    shop, account, link = await _requested(world)
    assert account.owner is not None
    await log_in(page, account.owner)
    await page.goto(f"/requests/{link['id']}")
    await page.get_by_role("button", name="Decline").click()
    await expect(page.get_by_role("status")).to_contain_text("Request declined")
    await expect(page.locator(".request-status")).to_contain_text("Declined")
    assert await _link_status(world, shop, link) == "declined"


async def test_a_request_past_48_hours_is_expired_and_cannot_be_authorized(
    page: Page, world: World
) -> None:
    shop, account, link = await _requested(world)
    assert account.owner is not None
    await world.advance(49 * 3600)
    await log_in(page, account.owner)
    await page.goto("/requests")
    await expect(page.locator("tr", has_text=shop.name)).to_contain_text("Expired")
    await page.goto(f"/requests/{link['id']}")
    await expect(page.locator(".request-status")).to_contain_text("Expired")
    await expect(page.get_by_role("button", name="Authorize")).to_have_count(0)

    # Even a well-formed form post (a page left open before the deadline) is refused.
    token = await page.locator("input[name=csrf_token]").first.input_value()
    response = await page.request.post(
        f"/requests/{link['id']}/authorize", form={"csrf_token": token, "accept_terms": "yes"}
    )
    assert response.status == 409
    body = await response.text()
    assert "The request has expired" in body and "Ask the seller to send a new request" in body
    assert await _link_status(world, shop, link) == "expired"


async def test_the_seller_sees_the_request_as_outgoing_without_authorize(
    page: Page, world: World
) -> None:
    shop, _, _ = await _requested(world)
    await log_in(page, shop.owner)
    await page.goto("/requests")
    row = page.locator("tr", has_text=shop.name)
    await expect(row).to_contain_text("Outgoing")
    await expect(row.get_by_role("link", name="Review and authorize")).to_have_count(0)
    await row.get_by_role("link", name="Details").click()
    await expect(page.get_by_text("Waiting for the account's owner")).to_be_visible()
    await expect(page.get_by_role("button", name="Authorize")).to_have_count(0)


async def test_requests_pages_fit_a_phone(phone: Page, world: World) -> None:
    shop, account, link = await _requested(world)
    assert account.owner is not None
    await log_in(phone, account.owner)
    await phone.goto("/requests")
    await expect(phone.locator("tr", has_text=shop.name)).to_be_visible()
    await assert_fits_width(phone)
    await screenshot(phone, "owner-requests")
    await phone.goto(f"/requests/{link['id']}")
    await phone.get_by_role("button", name="Authorize").click()
    await expect(phone.get_by_role("alert")).to_be_visible()
    await assert_fits_width(phone)
    await assert_accessible(phone)
    await screenshot(phone, "owner-request-terms-refused")


async def test_the_agreement_page_in_chinese(page_zh: Page, world: World) -> None:
    shop, account, link = await _requested(world)
    assert account.owner is not None
    await page_zh.goto("/login")
    await page_zh.locator("#username").fill(account.owner.username)
    await page_zh.locator("#password").fill(PASSWORD)
    await page_zh.get_by_role("button", name="登录").click()
    await page_zh.goto(f"/requests/{link['id']}")
    await expect(page_zh.get_by_role("heading", name="绑定协议")).to_be_visible()
    await page_zh.get_by_role("button", name="授权").click()
    alert = page_zh.get_by_role("alert")
    await expect(alert).to_contain_text("请勾选“我接受协议”，然后点击“授权”。")
    await screenshot(page_zh, "owner-request-zh")
    await assert_accessible(page_zh)

    await page_zh.get_by_label("我接受协议").check()
    await page_zh.get_by_role("button", name="授权").click()
    await expect(page_zh.locator(".request-status")).to_contain_text("审核中")
    assert await _link_status(world, shop, link) == "pending_review"
