"""A visitor and a person logging in: the login form, its errors and throttle, logout that
ends the session, the language switch, the public profile and the Shop Page with search."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    log_in,
    screenshot,
)
from tests.factories import PASSWORD, World, unique


async def test_wrong_password_is_refused_with_a_clear_message(page: Page, world: World) -> None:
    person = await world.person()
    await page.goto("/login")
    await page.get_by_label("Username").fill(person.username)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    assert "/login" in page.url
    await screenshot(page, "login-wrong-password")
    await assert_accessible(page)


async def test_repeated_failures_are_throttled(page: Page, world: World) -> None:
    person = await world.person()
    for _ in range(5):
        await page.goto("/login")
        await page.get_by_label("Username").fill(person.username)
        await page.get_by_label("Password").fill("wrong")
        await page.get_by_role("button", name="Log in").click()
        await expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    await page.get_by_label("Password").fill("still wrong")
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts")


async def test_login_sets_a_fresh_hardened_session_and_logout_kills_it(
    page: Page, world: World
) -> None:
    person = await world.person()
    await page.goto("/login")
    before = {c["name"]: c["value"] for c in await page.context.cookies()}
    await log_in(page, person)
    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies["shoplink_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    assert cookies["shoplink_csrf"]["httpOnly"] and cookies["shoplink_csrf"]["sameSite"] == "Strict"
    assert cookies["shoplink_csrf"]["value"] != before["shoplink_csrf"], "CSRF secret rotates"
    await expect(page.get_by_text(person.username)).to_be_visible()

    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    # The old cookie no longer opens anything, even if a copy was kept.
    await page.context.add_cookies(
        [{"name": "shoplink_session", "value": session["value"], "url": page.url}]
    )
    await page.goto("/seller")
    assert "/login" in page.url


async def test_a_form_without_the_csrf_token_is_refused(page: Page, world: World) -> None:
    person = await world.person()
    await log_in(page, person)
    response = await page.request.post("/logout", form={"csrf_token": "forged"})
    assert response.status == 403
    await page.goto("/seller")
    assert "/login" not in page.url, "the forged logout did nothing"


async def test_public_profile_and_shop_page_with_search(page: Page, world: World) -> None:
    shop = await world.shop(name=unique("Maple Outfitters "))
    account = await world.bound_official(shop)
    await world.product(shop, title="Trail Running Shoes", price="89.00")
    await world.product(shop, title="Wool Hiking Socks", price="12.50")
    await world.product(shop, title="蓝牙耳机 降噪", price="199.00", currency="CNY")

    await page.goto(f"/@{account.username}")
    await expect(page.get_by_role("heading", name=shop.name)).to_be_visible()
    await screenshot(page, "public-profile")
    await assert_accessible(page)
    await page.get_by_role("link", name="Enter Store").click()
    await expect(page.get_by_role("heading", name=shop.name)).to_be_visible()
    await expect(page.locator(".product")).to_have_count(3)

    await page.get_by_label("Search this shop").fill("running")
    await expect(page.locator(".product")).to_have_count(1)
    await expect(page.locator(".product h3")).to_have_text("Trail Running Shoes")
    await page.get_by_label("Search this shop").fill("耳机")
    await expect(page.locator(".product h3")).to_have_text("蓝牙耳机 降噪")
    await screenshot(page, "public-shop-page")
    await assert_accessible(page)


async def test_shop_page_on_a_phone_fits_the_screen(phone: Page, world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    for n in range(5):
        await world.product(shop, title=f"Very long product title number {n} " * 3)
    await phone.goto(f"/@{account.username}/shop")
    await expect(phone.locator(".product")).to_have_count(5)
    await assert_fits_width(phone)
    await screenshot(phone, "public-shop-page")


async def test_an_unbound_account_has_no_store(page: Page, world: World) -> None:
    account = await world.account()
    await page.goto(f"/@{account.username}")
    await expect(page.get_by_role("link", name="Enter Store")).to_have_count(0)
    response = await page.goto(f"/@{account.username}/shop")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_contain_text("404")


async def test_chinese_by_accept_language_and_by_the_switch(page_zh: Page, world: World) -> None:
    await page_zh.goto("/login")
    await expect(page_zh.get_by_role("heading", name="登录")).to_be_visible()
    await screenshot(page_zh, "login-zh")
    await page_zh.get_by_label("语言").select_option("en")
    await page_zh.get_by_role("button", name="切换").click()
    await expect(page_zh.get_by_role("heading", name="Log in")).to_be_visible()


async def test_logging_in_with_the_keyboard_alone(page: Page, world: World) -> None:
    person = await world.person()
    await page.goto("/login")
    assert await page.evaluate("document.activeElement.id") == "username", "autofocus"
    await page.keyboard.type(person.username)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "password"
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_text(person.username)).to_be_visible()
    assert "/login" not in page.url


async def test_the_first_tab_offers_to_skip_to_the_content(page: Page, world: World) -> None:
    account = await world.account()
    await page.goto(f"/@{account.username}")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Skip to content"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "main"


async def test_the_shop_page_pages_without_repeats_or_gaps(page: Page, world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    titles = {f"Item number {n:02d}" for n in range(30)}
    imported = await world.import_products(
        shop,
        "sku,title,price,currency,stock\n"
        + "".join(f"S{n},Item number {n:02d},1.00,USD,1\n" for n in range(30)),
    )
    assert imported.json()["created"] == 30, imported.text
    await page.goto(f"/@{account.username}/shop")
    first = await page.locator(".product h3").all_inner_texts()
    assert len(first) == 24
    await page.get_by_role("link", name="Next page").click()
    rest = await page.locator(".product h3").all_inner_texts()
    assert len(rest) == 6
    await expect(page.get_by_role("link", name="Next page")).to_have_count(0)
    assert set(first) | set(rest) == titles and not set(first) & set(rest)
