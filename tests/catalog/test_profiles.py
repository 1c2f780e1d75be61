"""Public profiles: the Enter Store button and the Shop Page behind it (SPEC §2, §4)."""

from __future__ import annotations

import pytest

from tests.factories import AccountRef, ShopRef, World, assert_problem

DAY = 24 * 3600


async def assert_store_closed(world: World, account: AccountRef) -> None:
    profile = await world.profile(account.username)
    assert profile["enter_store"] is False
    assert profile["shop"] is None
    response = await world.public(f"/profiles/{account.username}/shop-page")
    assert_problem(response, 404, "NOT_FOUND")


async def assert_store_open(world: World, account: AccountRef, shop: ShopRef) -> None:
    profile = await world.profile(account.username)
    assert profile["enter_store"] is True
    assert profile["shop"] == {"id": shop.id, "name": shop.name}
    response = await world.public(f"/profiles/{account.username}/shop-page")
    assert response.status_code == 200, response.text
    assert response.json()["shop"] == {"id": shop.id, "name": shop.name}


# --- tiktok_shop ----------------------------------------------------------------------------


async def test_profile_is_public_and_has_the_contract_fields(world: World) -> None:
    account = await world.account(kind="creator")
    response = await world.public(f"/profiles/{account.username}")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "username": account.username,
        "nickname": account.data["nickname"],
        "avatar_url": account.data["avatar_url"],
        "kind": "creator",
        "enter_store": False,
        "shop": None,
    }
    # Usernames are case-insensitive.
    upper = await world.public(f"/profiles/{account.username.upper()}")
    assert upper.status_code == 200 and upper.json()["username"] == account.username
    await assert_store_closed(world, account)


async def test_unknown_profile_is_404(world: World) -> None:
    assert_problem(await world.public("/profiles/no.such.user"), 404, "NOT_FOUND")
    assert_problem(await world.public("/profiles/no.such.user/shop-page"), 404, "NOT_FOUND")


async def test_store_opens_only_when_the_official_link_becomes_active(world: World) -> None:
    shop = await world.shop()
    await world.product(shop, title="Linen shirt")
    account = await world.account()
    link = await world.request_official(shop, account)
    await assert_store_closed(world, account)  # pending_authorization
    await world.authorize(link, account)
    await assert_store_closed(world, account)  # pending_review
    await world.approve(link)
    await assert_store_open(world, account, shop)
    page = await world.shop_page(account.username)
    assert [item["title"] for item in page["items"]] == ["Linen shirt"]
    # The account's nickname now follows the shop.
    assert (await world.profile(account.username))["nickname"] == shop.name


async def test_organization_official_account_opens_the_store_at_once(world: World) -> None:
    shop = await world.shop()
    await world.create_organization(shop, "acme.store")
    profile = await world.profile("acme.store")
    assert profile["kind"] == "organization"
    assert profile["enter_store"] is True
    assert profile["shop"] == {"id": shop.id, "name": shop.name}


async def test_marketing_account_has_no_store(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_marketing(shop)
    await assert_store_closed(world, account)


async def test_unbinding_the_official_account_closes_the_store(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await assert_store_open(world, account, shop)
    await world.advance(DAY + 60)
    await world.ok("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
    await assert_store_closed(world, account)
    # Binding another account opens the store under that one.
    other = await world.bound_official(shop)
    await assert_store_open(world, other, shop)
    await assert_store_closed(world, account)


async def test_closing_the_shop_closes_the_store(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await assert_store_open(world, account, shop)
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    await assert_store_closed(world, account)


async def test_deleting_the_account_removes_the_profile(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await assert_store_open(world, account, shop)
    await world.ok("DELETE", f"/accounts/{account.id}", as_=account.owner)
    assert_problem(await world.public(f"/profiles/{account.username}"), 404, "NOT_FOUND")
    response = await world.public(f"/profiles/{account.username}/shop-page")
    assert_problem(response, 404, "NOT_FOUND")


async def test_tiktok_store_needs_no_deposit(world: World) -> None:
    shop = await world.shop()
    deposit = await world.ok("GET", f"/shops/{shop.id}/deposit", as_=shop.owner)
    assert deposit["required"] is False and deposit["settled"] is True
    account = await world.bound_official(shop)
    await assert_store_open(world, account, shop)


# --- douyin ---------------------------------------------------------------------------------


@pytest.mark.platform("douyin")
async def test_douyin_store_opens_once_the_shop_deposit_is_paid(world: World) -> None:
    shop = await world.shop()
    await world.product(shop, title="Tea set", price="88.00", currency="CNY")
    account = await world.bound_official(shop)
    await assert_store_closed(world, account)
    partial = await world.ok(
        "POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json={"amount": "200.00"}
    )
    assert partial["settled"] is False
    await assert_store_closed(world, account)
    settled = await world.ok(
        "POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json={"amount": "300"}
    )
    assert settled["settled"] is True
    await assert_store_open(world, account, shop)
    page = await world.shop_page(account.username)
    assert [item["title"] for item in page["items"]] == ["Tea set"]


@pytest.mark.platform("douyin")
async def test_douyin_store_opens_with_the_accounts_own_deposit(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await assert_store_closed(world, account)
    await world.ok(
        "POST", f"/accounts/{account.id}/deposit", as_=account.owner, json={"amount": "500.00"}
    )
    await assert_store_open(world, account, shop)


@pytest.mark.platform("douyin")
async def test_douyin_deposit_does_not_open_a_pending_link(world: World) -> None:
    shop = await world.shop()
    await world.ok("POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json={"amount": "500"})
    account = await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)
    await assert_store_closed(world, account)
    await world.approve(link)
    await assert_store_open(world, account, shop)


@pytest.mark.platform("douyin")
async def test_douyin_creator_deposit_alone_opens_no_store(world: World) -> None:
    account = await world.account(kind="creator")
    await world.ok(
        "POST", f"/accounts/{account.id}/deposit", as_=account.owner, json={"amount": "500.00"}
    )
    await assert_store_closed(world, account)


@pytest.mark.platform("douyin")
async def test_douyin_store_closes_with_the_shop_and_the_account(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await world.ok("POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json={"amount": "500"})
    await assert_store_open(world, account, shop)
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    await assert_store_closed(world, account)

    other_shop = await world.shop()
    other = await world.bound_official(other_shop)
    await world.ok(
        "POST", f"/shops/{other_shop.id}/deposit", as_=other_shop.owner, json={"amount": "500"}
    )
    await assert_store_open(world, other, other_shop)
    await world.ok("DELETE", f"/accounts/{other.id}", as_=other.owner)
    assert_problem(await world.public(f"/profiles/{other.username}"), 404, "NOT_FOUND")
