from __future__ import annotations

from tests.factories import World, assert_problem


async def test_eligibility_lists_every_failing_rule_without_side_effects(world: World) -> None:
    shop = await world.shop(region="US")
    await world.request_official(shop, await world.account())
    elsewhere = await world.account(region="GB")
    await world.request_official(await world.shop(region="GB"), elsewhere)
    before = await world.events(shop)

    result = await world.ok(
        "GET",
        f"/shops/{shop.id}/eligibility",
        as_=shop.owner,
        params={"role": "official", "username": elsewhere.username},
    )
    assert result["eligible"] is False
    codes = [reason["code"] for reason in result["reasons"]]
    assert codes == ["REGION_MISMATCH", "OFFICIAL_ACCOUNT_EXISTS", "ACCOUNT_ALREADY_LINKED"]
    assert all(reason["next_action"] for reason in result["reasons"])
    assert await world.events(shop) == before


async def test_eligible_account(world: World) -> None:
    shop = await world.shop()
    account = await world.account()
    result = await world.ok(
        "GET",
        f"/shops/{shop.id}/eligibility",
        as_=shop.owner,
        params={"role": "marketing", "username": account.username.upper()},
    )
    assert result == {
        "eligible": True,
        "role": "marketing",
        "username": account.username,
        "reasons": [],
    }


async def test_eligibility_of_unknown_username_is_404(world: World) -> None:
    shop = await world.shop()
    response = await world.call(
        "GET",
        f"/shops/{shop.id}/eligibility",
        as_=shop.owner,
        params={"role": "official", "username": "nobody.here"},
    )
    assert_problem(response, 404, "NOT_FOUND")
