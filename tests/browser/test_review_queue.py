"""The reviewer's queue: authorized requests wait oldest first with their rule checks and the
account's details; approving makes the link active, rejecting needs a reason; only reviewers
may see it."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, screenshot
from tests.factories import AccountRef, ShopRef, World


async def _authorized(world: World) -> tuple[ShopRef, AccountRef, dict[str, Any]]:
    shop = await world.shop()
    account = await world.account(region=shop.region, phone="+14155550123")
    link = await world.request_official(shop, account)
    authorized = await world.authorize(link, account)
    assert authorized["status"] == "pending_review"
    return shop, account, link


async def _status(world: World, shop: ShopRef, link: dict[str, Any]) -> str:
    data = await world.ok("GET", f"/link-requests/{link['id']}", as_=shop.owner)
    return str(data["status"])


async def test_reviewer_sees_the_checks_and_account_then_approves(page: Page, world: World) -> None:
    older_shop, _, _ = await _authorized(world)
    shop, account, link = await _authorized(world)
    await log_in(page, await world.reviewer())
    await page.goto("/review")
    item = page.locator("article", has_text=shop.name)
    await expect(item).to_contain_text(f"@{account.username}")
    await expect(item).to_contain_text(account.data["nickname"])
    await expect(item).to_contain_text("US")
    await expect(item).to_contain_text("Personal")
    await expect(item).to_contain_text("+14*****0123")
    await expect(item).not_to_contain_text("+14155550123")
    await expect(item).to_contain_text("All rules pass")
    titles = await page.locator("article h2").all_inner_texts()
    assert titles.index(f"{older_shop.name} · Official account") < titles.index(
        f"{shop.name} · Official account"
    ), "oldest first"
    await screenshot(page, "review-queue")
    await assert_accessible(page)

    await item.get_by_role("button", name="Approve").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Request #{link['id']} approved")
    await expect(page.locator("article", has_text=shop.name)).to_have_count(0)
    assert await _status(world, shop, link) == "active"

    await page.get_by_role("link", name="Approved").click()
    await expect(page.locator("article", has_text=shop.name)).to_contain_text("Active")


async def test_rejecting_needs_a_reason(page: Page, world: World) -> None:
    shop, _, link = await _authorized(world)
    await log_in(page, await world.reviewer())
    await page.goto("/review")
    item = page.locator("article", has_text=shop.name)
    await item.get_by_label("Reason for rejecting").fill("   ")  # blanks only: no reason
    await item.get_by_role("button", name="Reject").click()
    await expect(page.get_by_role("alert")).to_contain_text("Write the reason for rejecting")
    await screenshot(page, "review-reject-without-reason")
    await assert_accessible(page)
    assert await _status(world, shop, link) == "pending_review"

    item = page.locator("article", has_text=shop.name)
    await item.get_by_label("Reason for rejecting").fill("The avatar shows another brand.")
    await item.get_by_role("button", name="Reject").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Request #{link['id']} rejected")
    data = await world.ok("GET", f"/link-requests/{link['id']}", as_=shop.owner)
    assert data["status"] == "rejected"
    assert data["review_reason"] == "The avatar shows another brand."

    await page.goto("/review?status=rejected")
    await expect(page.locator("article", has_text=shop.name)).to_contain_text(
        "The avatar shows another brand."
    )


async def test_a_person_who_is_not_a_reviewer_gets_403(page: Page, world: World) -> None:
    shop, _, link = await _authorized(world)
    await log_in(page, shop.owner)
    response = await page.goto("/review")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("heading", level=1)).to_contain_text("403")
    await expect(page.get_by_role("link", name="Review queue")).to_have_count(0)
    token = await page.locator("input[name=csrf_token]").first.input_value()
    posted = await page.request.post(f"/review/{link['id']}/approve", form={"csrf_token": token})
    assert posted.status == 403
    assert await _status(world, shop, link) == "pending_review"


async def test_review_queue_fits_a_phone(phone: Page, world: World) -> None:
    shop, _, _ = await _authorized(world)
    await log_in(phone, await world.reviewer())
    await phone.goto("/review")
    await expect(phone.locator("article", has_text=shop.name)).to_be_visible()
    await assert_fits_width(phone)
    await assert_accessible(phone)
    await screenshot(phone, "review-queue")
