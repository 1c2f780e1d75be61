from __future__ import annotations

import pytest

from tests.factories import World, assert_problem


async def test_fifth_marketing_account_is_refused_pending_ones_hold_slots(world: World) -> None:
    shop = await world.shop()
    for _ in range(2):
        await world.bound_marketing(shop)
    for _ in range(2):
        await world.request_marketing(shop, await world.account())
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/marketing-accounts",
        as_=shop.owner,
        json={"username": (await world.account()).username},
    )
    assert_problem(response, 409, "MARKETING_ACCOUNT_LIMIT")
    linked = await world.ok("GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner)
    assert linked["limits"]["marketing"] == {"used": 4, "max": 4}
    assert len(linked["marketing"]) == 2
    assert len(linked["pending"]) == 2


async def test_marketing_needs_no_review_on_tiktok_shop(world: World) -> None:
    shop = await world.shop()
    account = await world.account()
    link = await world.request_marketing(shop, account)
    assert (await world.authorize(link, account))["status"] == "active"


async def test_official_account_cannot_also_be_marketing(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/marketing-accounts",
        as_=shop.owner,
        json={"username": account.username},
    )
    assert_problem(response, 409, "ROLE_CONFLICT")


async def test_account_linked_elsewhere_is_refused(world: World) -> None:
    account = await world.account()
    await world.request_marketing(await world.shop(), account)
    shop = await world.shop()
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/marketing-accounts",
        as_=shop.owner,
        json={"username": account.username},
    )
    assert_problem(response, 409, "ACCOUNT_ALREADY_LINKED")


async def test_removing_a_marketing_account_frees_its_slot(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_marketing(shop)
    await world.advance(24 * 3600)
    removed = await world.ok(
        "DELETE", f"/shops/{shop.id}/marketing-accounts/{account.id}", as_=shop.owner
    )
    assert removed["status"] == "unbound"
    linked = await world.ok("GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner)
    assert linked["limits"]["marketing"]["used"] == 0


async def test_eleventh_marketing_link_in_180_days_is_refused(world: World) -> None:
    account = await world.account()
    shop = await world.shop()
    for _ in range(10):
        await world.bound_marketing(shop, account)
        await world.advance(24 * 3600)
        await world.ok(
            "DELETE", f"/shops/{shop.id}/marketing-accounts/{account.id}", as_=shop.owner
        )
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/marketing-accounts",
        as_=shop.owner,
        json={"username": account.username},
    )
    assert_problem(response, 409, "RELINK_LIMIT")
    await world.advance(180 * 24 * 3600)
    await world.request_marketing(shop, account)


@pytest.mark.platform("douyin")
async def test_douyin_offers_no_marketing_accounts(world: World) -> None:
    shop = await world.shop()
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/marketing-accounts",
        as_=shop.owner,
        json={"username": (await world.account()).username},
    )
    assert_problem(response, 409, "MARKETING_NOT_OFFERED")
