from __future__ import annotations

import pytest

from tests.factories import World, assert_problem

pytestmark = pytest.mark.platform("douyin")


async def test_official_account_cannot_be_unbound_by_hand(world: World) -> None:
    shop = await world.shop()
    await world.bound_official(shop)
    await world.advance(365 * 24 * 3600)
    response = await world.call("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert_problem(response, 409, "UNBIND_NOT_ALLOWED")


async def test_store_upgrade_is_refused(world: World) -> None:
    shop = await world.shop()
    await world.ok("PATCH", f"/shops/{shop.id}", as_=shop.owner, json={"store_type": "business"})
    personal = await world.ok(
        "POST",
        "/shops",
        expect=201,
        as_=shop.owner,
        json={
            "seller_id": shop.seller_id,
            "name": "Tiny",
            "region": "US",
            "store_type": "personal",
        },
    )
    response = await world.call(
        "PATCH", f"/shops/{personal['id']}", as_=shop.owner, json={"store_type": "business"}
    )
    assert_problem(response, 409, "STORE_UPGRADE_UNSUPPORTED")


async def test_no_organization_accounts(world: World) -> None:
    shop = await world.shop()
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/official-account",
        as_=shop.owner,
        json={"method": "create_organization", "username": "org.acct"},
    )
    assert_problem(response, 409, "ACCOUNT_KIND_NOT_ALLOWED")


async def test_shops_start_on_30_day_probation(world: World) -> None:
    shop = await world.shop()
    assert shop.data["probation_ends_at"] is not None


async def test_closing_the_shop_ends_the_official_binding(world: World) -> None:
    shop = await world.shop()
    await world.bound_official(shop)
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    assert "link.terminated" in await world.events(shop)
