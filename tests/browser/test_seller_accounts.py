"""The seller's main path through the Seller Center: shops, the dashboard, and *Linked TikTok
Accounts* (the eligibility check while typing, a pending request, the bound official card,
unlink refused during the cooldown, marketing accounts up to the limit)."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.factories import World


async def test_a_seller_sees_their_shops_and_opens_a_dashboard(page: Page, world: World) -> None:
    shop = await world.shop()
    await world.product(shop)
    await log_in(page, shop.owner)
    await page.goto("/seller")
    await expect(page.get_by_role("heading", name="My shops")).to_be_visible()
    await screenshot(page, "seller-shops")
    await assert_accessible(page)

    await page.get_by_role("link", name=shop.name).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(shop.name)
    await expect(page.get_by_role("link", name="Dashboard")).to_have_attribute(
        "aria-current", "page"
    )
    facts = page.locator("dl.facts")
    await expect(facts.first).to_contain_text("US")
    await expect(page.get_by_text("No official account yet.")).to_be_visible()
    await expect(page.get_by_role("link", name="1", exact=True)).to_be_visible()  # products
    await screenshot(page, "seller-dashboard")
    await assert_accessible(page)


async def test_a_person_without_shops_sees_the_empty_state(page: Page, world: World) -> None:
    person = await world.person()
    await log_in(page, person)
    await page.goto("/seller")
    await expect(page.get_by_text("You do not work for any shop yet.")).to_be_visible()


async def test_a_seller_cannot_open_another_sellers_shop(page: Page, world: World) -> None:
    mine = await world.shop()
    theirs = await world.shop()
    await log_in(page, mine.owner)
    for path in ("", "/accounts", "/products", "/settings"):
        response = await page.goto(f"/seller/shops/{theirs.id}{path}")
        assert response is not None and response.status == 404, path
        await expect(page.get_by_role("heading", level=1)).to_contain_text("404")
        await expect(page.get_by_text(theirs.name)).to_have_count(0)
    # Nor change anything there: a form post (even the streamed CSV import) is a 404 too.
    token = await page.locator("input[name=csrf_token]").first.input_value()
    for path, form in (
        ("/settings", {"csrf_token": token, "name": "Taken over"}),
        ("/accounts/marketing", {"csrf_token": token, "username": "anyone"}),
        ("/products/new", {"csrf_token": token, "sku": "X", "title": "X"}),
    ):
        response = await page.request.post(f"/seller/shops/{theirs.id}{path}", form=form)
        assert response.status == 404, path
    response = await page.request.post(
        f"/seller/shops/{theirs.id}/products/import",
        multipart={
            "csrf_token": token,
            "file": {"name": "a.csv", "mimeType": "text/csv", "buffer": b"sku,title\n"},
        },
    )
    assert response.status == 404
    assert theirs.name not in await response.text()
    response = await page.request.get(
        f"/seller/shops/{theirs.id}/accounts/eligibility?role=official&username=nobody"
    )
    assert response.status == 404


async def test_linking_an_official_account_from_eligibility_to_the_bound_card(
    page: Page, world: World
) -> None:
    shop = await world.shop(region="US")
    abroad = await world.account(region="GB")
    account = await world.account(region="US", phone="+14155550123")
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts")
    await expect(page.get_by_role("link", name="Official Account")).to_have_attribute(
        "aria-current", "page"
    )
    username = page.get_by_label("Username of the account")

    # The check runs while typing: an account of another region is refused with its rule.
    await username.press_sequentially(abroad.username)
    result = page.locator("#official-eligibility")
    await expect(result.locator("[data-code=REGION_MISMATCH]")).to_be_visible()
    await expect(result).to_contain_text("Next step:")
    await screenshot(page, "seller-official-eligibility")
    await assert_accessible(page)

    await username.fill("")
    await username.press_sequentially(account.username)
    await expect(result).to_contain_text(f"@{account.username} can be linked.")
    await page.get_by_role("button", name="Send link request").click()
    await expect(page.get_by_role("status")).to_contain_text("Request sent")
    pending = page.locator(".linked")
    await expect(pending).to_contain_text("Waiting for the owner")
    await expect(pending).to_contain_text("Expires")
    await expect(
        page.get_by_role("button", name=f"Cancel the request for @{account.username}")
    ).to_be_visible()
    await screenshot(page, "seller-official-pending")

    links = await world.ok("GET", "/link-requests", as_=shop.owner)
    link = next(item for item in links["items"] if item["account_id"] == account.id)
    await world.authorize(link, account)
    await world.approve(link)
    await page.reload()
    card = page.locator(".official-card")
    await expect(card).to_contain_text(f"@{account.username}")
    await expect(card).to_contain_text(shop.name)  # the nickname follows the shop name
    await expect(card).to_contain_text("+14*****0123")
    await expect(card.locator(".avatar")).to_be_visible()
    await expect(page.locator("#unbinds-left")).to_have_text("Unbinds left: 3 of 3")
    await expect(page.locator("#unbind-when")).to_contain_text("Unlinking becomes possible at")
    await screenshot(page, "seller-official-bound")
    await assert_accessible(page)

    # Within 24 h of binding, the unlink is refused with the time it becomes possible.
    await page.get_by_label("I understand that unlinking").check()
    await page.get_by_role("button", name=f"Unlink @{account.username}").click()
    refusal = page.get_by_role("alert")
    await expect(refusal).to_contain_text("Unbinding is not possible yet")
    when = re.search(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC", await page.inner_text("#unbind-when"))
    assert when, "the page names when unlinking becomes possible"
    # The refusal's next step names the same moment as the card.
    await expect(refusal.locator(".next-action")).to_contain_text(f"{when[1]} {when[2]} UTC")
    await expect(page.locator(".official-card")).to_contain_text(f"@{account.username}")
    await screenshot(page, "seller-official-unlink-refused")


async def test_a_pending_official_request_can_be_cancelled(page: Page, world: World) -> None:
    shop = await world.shop()
    account = await world.account(region=shop.region)
    await world.request_official(shop, account)
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts?tab=official")
    await page.get_by_role("button", name=f"Cancel the request for @{account.username}").click()
    await expect(page.get_by_role("status")).to_contain_text("The request was cancelled.")
    await expect(page.get_by_role("button", name="Send link request")).to_be_visible()


async def test_creating_an_organization_account_binds_it_at_once(page: Page, world: World) -> None:
    shop = await world.shop()
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts")
    await page.get_by_label("Username", exact=True).fill("BAD NAME!")
    await page.get_by_role("button", name="Create and link").click()
    await expect(page.locator("#f-org_username-error")).to_be_visible()
    username = f"org.{shop.id}"
    await page.get_by_label("Username", exact=True).fill(username)
    await page.get_by_label("Phone (optional)").fill("+1 415 555 0199")
    await page.get_by_role("button", name="Create and link").click()
    await expect(page.get_by_role("status")).to_contain_text("organization account was created")
    await expect(page.locator(".official-card")).to_contain_text(f"@{username}")


async def test_marketing_accounts_up_to_the_limit_then_refused(page: Page, world: World) -> None:
    shop = await world.shop()
    for _ in range(3):
        await world.bound_marketing(shop)
    fourth = await world.account(region=shop.region)
    fifth = await world.account(region=shop.region)
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts?tab=marketing")
    await expect(page.locator(".slots")).to_contain_text("Marketing accounts: 3/4")

    username = page.get_by_label("Username of the account")
    await username.press_sequentially(fourth.username)
    await expect(page.locator("#marketing-eligibility")).to_contain_text("can be linked")
    await page.get_by_role("button", name="Send invitation").click()
    await expect(page.locator(".slots")).to_contain_text("Marketing accounts: 4/4")
    await expect(page.get_by_role("heading", name="Pending invitations")).to_be_visible()

    # The 5th: the live check says so while typing, and sending it anyway is refused.
    await page.get_by_label("Username of the account").press_sequentially(fifth.username)
    await expect(
        page.locator("#marketing-eligibility [data-code=MARKETING_ACCOUNT_LIMIT]")
    ).to_be_visible()
    await page.get_by_role("button", name="Send invitation").click()
    refusal = page.locator(".refusal[role=alert]")
    await expect(refusal).to_contain_text("All marketing account slots are taken")
    await expect(refusal.locator(".next-action")).to_be_visible()
    await screenshot(page, "seller-marketing-limit")
    await assert_accessible(page)

    # Withdrawing the pending invitation frees its slot.
    await page.get_by_role("button", name=f"Cancel the request for @{fourth.username}").click()
    await expect(page.get_by_role("status")).to_contain_text("The request was cancelled.")
    await expect(page.locator(".slots")).to_contain_text("Marketing accounts: 3/4")


async def test_a_marketing_account_is_removed_only_after_the_cooldown(
    page: Page, world: World
) -> None:
    shop = await world.shop()
    account = await world.bound_marketing(shop)
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/accounts?tab=marketing")
    remove = page.get_by_role("button", name=f"Remove @{account.username}")
    await remove.click()
    await expect(page.get_by_role("alert")).to_contain_text("Unbinding is not possible yet")

    await world.advance(25 * 3600)
    await log_in(page, shop.owner)  # the web session has expired meanwhile
    await page.goto(f"/seller/shops/{shop.id}/accounts?tab=marketing")
    await remove.click()
    await expect(page.get_by_role("status")).to_contain_text("The marketing account was removed.")
    await expect(page.locator(".slots")).to_contain_text("Marketing accounts: 0/4")
