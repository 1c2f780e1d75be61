"""Organization accounts: the seller's owner finds the org account the shop created and
manages its members (add with a role, remove), with refusals shown; a member sees their role."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, screenshot
from tests.factories import ShopRef, World, unique


async def _org(world: World) -> tuple[ShopRef, int, str]:
    shop = await world.shop()
    username = unique("org.")
    link = await world.create_organization(shop, username)
    return shop, int(link["account_id"]), username


async def _member_ids(world: World, shop: ShopRef, account_id: int) -> list[int]:
    page: dict[str, Any] = await world.ok(
        "GET", f"/org-accounts/{account_id}/members", as_=shop.owner
    )
    return [item["user_id"] for item in page["items"]]


async def test_seller_owner_adds_and_removes_a_member(page: Page, world: World) -> None:
    shop, account_id, username = await _org(world)
    newcomer = await world.person()
    await log_in(page, shop.owner)
    await page.goto("/orgs")
    await page.get_by_role("link", name=f"@{username}").first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Members of @{username}")
    # Creating the organization account made its creator an admin member.
    await expect(page.locator("tr", has_text=shop.owner.username)).to_contain_text("Admin")

    await page.get_by_label("User id").fill(str(newcomer.id))
    await page.get_by_label("Role").select_option("admin")
    await page.get_by_role("button", name="Add member").click()
    await expect(page.get_by_role("status")).to_contain_text(f"User {newcomer.id} was added")
    row = page.locator("tr", has_text=newcomer.username)
    await expect(row).to_contain_text("Admin")
    assert await _member_ids(world, shop, account_id) == [shop.owner.id, newcomer.id]
    await screenshot(page, "org-members")
    await assert_accessible(page)

    await row.get_by_role("button", name="Remove").click()
    await expect(page.get_by_role("status")).to_contain_text(f"User {newcomer.id} was removed")
    await expect(page.locator("tr", has_text=newcomer.username)).to_have_count(0)
    assert await _member_ids(world, shop, account_id) == [shop.owner.id]


async def test_adding_twice_or_an_unknown_user_is_refused(page: Page, world: World) -> None:
    shop, account_id, _ = await _org(world)
    member = await world.person()
    await world.add_member(account_id, member, "operator", as_=shop.owner)
    await log_in(page, shop.owner)
    await page.goto(f"/orgs/{account_id}/members")

    await page.get_by_label("User id").fill(str(member.id))
    async with page.expect_response(f"**/orgs/{account_id}/members") as answer:
        await page.get_by_role("button", name="Add member").click()
    assert (await answer.value).status == 409
    await expect(page.get_by_role("alert")).to_contain_text("That user is already a member")
    await expect(page.locator("tr", has_text=member.username)).to_contain_text("Operator")
    await screenshot(page, "org-members-refused")
    await assert_accessible(page)

    await page.get_by_label("User id").fill("999999")
    await page.get_by_role("button", name="Add member").click()
    await expect(page.get_by_role("alert")).to_contain_text("User not found")
    assert await _member_ids(world, shop, account_id) == [shop.owner.id, member.id]


async def test_a_member_sees_the_org_and_their_role_but_cannot_manage(
    page: Page, world: World
) -> None:
    shop, account_id, username = await _org(world)
    member = await world.person()
    await world.add_member(account_id, member, "operator", as_=shop.owner)
    await log_in(page, member)
    await page.goto("/orgs")
    await expect(page.locator(".org-list li", has_text=username)).to_contain_text(
        "Your role: Operator"
    )
    await page.goto(f"/orgs/{account_id}/members")
    await expect(page.locator("tr", has_text=member.username)).to_be_visible()
    await expect(page.get_by_role("button", name="Add member")).to_have_count(0)
    await expect(page.get_by_role("button", name="Remove")).to_have_count(0)


async def test_org_pages_fit_a_phone(phone: Page, world: World) -> None:
    shop, account_id, _ = await _org(world)
    member = await world.person()
    await world.add_member(account_id, member, "admin", as_=shop.owner)
    await log_in(phone, shop.owner)
    await phone.goto("/orgs")
    await assert_fits_width(phone)
    await assert_accessible(phone)
    await screenshot(phone, "orgs")
    await phone.goto(f"/orgs/{account_id}/members")
    await expect(phone.locator("tr", has_text=member.username)).to_be_visible()
    await assert_fits_width(phone)
    await assert_accessible(phone)
    await screenshot(phone, "org-members")
