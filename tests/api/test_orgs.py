from __future__ import annotations

from tests.factories import World, assert_problem


async def test_members_of_an_organization_account(world: World) -> None:
    shop = await world.shop()
    link = await world.create_organization(shop, "org.members")
    org_id = link["account_id"]
    helper = await world.person()
    await world.add_member(org_id, helper, "operator", as_=shop.owner)
    members = await world.ok("GET", f"/org-accounts/{org_id}/members", as_=helper)
    assert {(m["user_id"], m["role"]) for m in members["items"]} == {
        (shop.owner.id, "admin"),
        (helper.id, "operator"),
    }
    # Operators may look but not manage.
    response = await world.call(
        "POST",
        f"/org-accounts/{org_id}/members",
        as_=helper,
        json={"user_id": helper.id, "role": "admin"},
    )
    assert_problem(response, 403, "FORBIDDEN")


async def test_removing_a_member_revokes_access_at_once(world: World) -> None:
    shop = await world.shop()
    link = await world.create_organization(shop, "org.revoke")
    org_id = link["account_id"]
    member = await world.person()
    await world.add_member(org_id, member, "admin", as_=shop.owner)
    await world.ok("GET", f"/accounts/{org_id}", as_=member)
    await world.ok(
        "DELETE", f"/org-accounts/{org_id}/members/{member.id}", expect=204, as_=shop.owner
    )
    assert_problem(await world.call("GET", f"/accounts/{org_id}", as_=member), 404, "NOT_FOUND")
    response = await world.call("GET", f"/org-accounts/{org_id}/members", as_=member)
    assert_problem(response, 404, "NOT_FOUND")


async def test_members_only_for_organization_accounts(world: World) -> None:
    account = await world.account()
    response = await world.call("GET", f"/org-accounts/{account.id}/members", as_=account.owner)
    assert_problem(response, 404, "NOT_FOUND")
