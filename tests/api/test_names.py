from __future__ import annotations

import pytest

from tests.factories import World, assert_problem


async def test_renaming_the_shop_renames_its_official_account(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await world.ok("PATCH", f"/shops/{shop.id}", as_=shop.owner, json={"name": "  Sunny Days  "})
    got = await world.ok("GET", f"/accounts/{account.id}", as_=account.owner)
    assert got["nickname"] == "Sunny Days"
    events = await world.events(shop)
    assert events[-2:] == ["shop.renamed", "account.renamed"]


async def test_official_account_rename_is_locked_on_tiktok_shop(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    response = await world.call(
        "PATCH", f"/accounts/{account.id}", as_=account.owner, json={"nickname": "Mine"}
    )
    assert_problem(response, 409, "NAME_LOCKED")


async def test_unbound_account_renames_freely(world: World) -> None:
    account = await world.account()
    renamed = await world.ok(
        "PATCH", f"/accounts/{account.id}", as_=account.owner, json={"nickname": "小红书 达人"}
    )
    assert renamed["nickname"] == "小红书 达人"


@pytest.mark.parametrize("name", ["bad\x00name", "line\nbreak", "", "   ", "x" * 31])
async def test_bad_names_are_refused_with_422(world: World, name: str) -> None:
    shop = await world.shop()
    response = await world.call("PATCH", f"/shops/{shop.id}", as_=shop.owner, json={"name": name})
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert body["errors"][0]["field"] == "body.name"


@pytest.mark.platform("douyin")
async def test_douyin_renames_both_ways_and_limits_to_four_in_30_days(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await world.ok("PATCH", f"/accounts/{account.id}", as_=account.owner, json={"nickname": "A1"})
    assert (await world.ok("GET", f"/shops/{shop.id}", as_=shop.owner))["name"] == "A1"
    for name in ("B2", "C3", "D4"):
        await world.ok("PATCH", f"/shops/{shop.id}", as_=shop.owner, json={"name": name})
    got = await world.ok("GET", f"/accounts/{account.id}", as_=account.owner)
    assert got["nickname"] == "D4"
    response = await world.call("PATCH", f"/shops/{shop.id}", as_=shop.owner, json={"name": "E5"})
    assert_problem(response, 409, "NAME_CHANGE_LIMIT")
    response = await world.call(
        "PATCH", f"/accounts/{account.id}", as_=account.owner, json={"nickname": "E5"}
    )
    assert_problem(response, 409, "NAME_CHANGE_LIMIT")
    linked = await world.ok("GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner)
    assert linked["limits"]["name_changes"] == {"used": 4, "max": 4, "window_days": 30}
    await world.advance(30 * 24 * 3600 + 1)
    await world.ok("PATCH", f"/shops/{shop.id}", as_=shop.owner, json={"name": "E5"})
