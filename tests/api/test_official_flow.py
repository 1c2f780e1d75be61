from __future__ import annotations

from tests.factories import World, assert_problem


async def test_link_existing_goes_through_consent_and_review(world: World) -> None:
    shop = await world.shop()
    account = await world.account()

    link = await world.request_official(shop, account)
    assert link["status"] == "pending_authorization"
    authorized = await world.authorize(link, account)
    assert authorized["status"] == "pending_review"
    approved = await world.approve(link)
    assert approved["status"] == "active"
    assert approved["bound_at"] is not None

    official = await world.ok("GET", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert official["account"]["username"] == account.username
    assert official["account"]["nickname"] == shop.name
    assert official["account"]["phone_masked"] == "+14*****0123"
    assert await world.events(shop) == [
        "shop.created",
        "link.requested",
        "link.authorized",
        "link.approved",
        "account.renamed",
        "link.bound",
    ]


async def test_second_official_request_is_refused(world: World) -> None:
    shop = await world.shop()
    await world.request_official(shop, await world.account())
    other = await world.account()
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/official-account",
        as_=shop.owner,
        json={"method": "link_existing", "username": other.username},
    )
    assert_problem(response, 409, "OFFICIAL_ACCOUNT_EXISTS")
