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


async def test_owner_declining_ends_the_request(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    declined = await world.ok("POST", f"/link-requests/{link['id']}/decline", as_=account.owner)
    assert declined["status"] == "declined"
    assert declined["ended_at"] is not None
    # The slot is free again.
    await world.request_official(shop, await world.account())


async def test_seller_can_cancel_a_pending_request(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)
    cancelled = await world.ok("POST", f"/link-requests/{link['id']}/cancel", as_=shop.owner)
    assert cancelled["status"] == "cancelled"
    response = await world.call("POST", f"/reviews/{link['id']}/approve")
    assert_problem(response, 409, "INVALID_STATE")


async def test_authorize_without_accepting_terms_is_refused(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    response = await world.call(
        "POST", f"/link-requests/{link['id']}/authorize", as_=account.owner, json={}
    )
    assert_problem(response, 409, "TERMS_NOT_ACCEPTED")
    still = await world.ok("GET", f"/link-requests/{link['id']}", as_=account.owner)
    assert still["status"] == "pending_authorization"


async def test_request_expires_after_48_hours_and_frees_the_slot(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.advance(48 * 3600 + 1)
    seen = await world.ok("GET", f"/link-requests/{link['id']}", as_=shop.owner)
    assert seen["status"] == "expired"
    response = await world.call(
        "POST",
        f"/link-requests/{link['id']}/authorize",
        as_=account.owner,
        json={"accept_terms": True},
    )
    assert_problem(response, 409, "AUTHORIZATION_EXPIRED")
    # Counts see the expiry at once: another account can be requested ...
    await world.request_official(shop, await world.account())
    # ... and the expired account can be requested by another shop.
    await world.request_official(await world.shop(), account)
    assert "link.expired" in await world.events(shop)


async def test_request_just_before_48_hours_can_still_be_authorized(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.advance(48 * 3600 - 60)
    assert (await world.authorize(link, account))["status"] == "pending_review"


async def test_reviewer_rejection_records_the_reason(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)
    reviewer = await world.reviewer()
    queue = await world.ok("GET", "/reviews", as_=reviewer, params={"status": "pending"})
    assert [item["link"]["id"] for item in queue["items"]] == [link["id"]]
    assert queue["items"][0]["checks"] == []
    rejected = await world.ok(
        "POST", f"/reviews/{link['id']}/reject", as_=reviewer, json={"reason": "blurry avatar"}
    )
    assert rejected["status"] == "rejected"
    assert rejected["review_reason"] == "blurry avatar"
    assert "link.rejected" in await world.events(shop)


async def test_only_reviewers_review(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)
    response = await world.call("POST", f"/reviews/{link['id']}/approve", as_=shop.owner)
    assert_problem(response, 403, "FORBIDDEN")


async def test_region_mismatch_is_refused(world: World) -> None:
    shop = await world.shop(region="US")
    account = await world.account(region="GB")
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/official-account",
        as_=shop.owner,
        json={"method": "link_existing", "username": account.username},
    )
    assert_problem(response, 409, "REGION_MISMATCH")


async def test_deleted_account_cannot_be_linked(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    await world.ok("DELETE", f"/accounts/{account.id}", as_=account.owner)
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/official-account",
        as_=shop.owner,
        json={"method": "link_existing", "username": account.username},
    )
    assert_problem(response, 409, "ACCOUNT_INACTIVE")


async def test_closed_shop_refuses_links(world: World) -> None:
    shop = await world.shop()
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/official-account",
        as_=shop.owner,
        json={"method": "link_existing", "username": (await world.account()).username},
    )
    assert_problem(response, 409, "SHOP_CLOSED")


async def test_rules_are_checked_again_at_approval(world: World) -> None:
    shop, account = await world.shop(), await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    # Closing terminated the pending link, so approval no longer fits its state.
    response = await world.call("POST", f"/reviews/{link['id']}/approve")
    assert_problem(response, 409, "INVALID_STATE")


async def test_closing_the_shop_terminates_its_links(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    marketing = await world.bound_marketing(shop)
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    for acct in (account, marketing):
        page = await world.ok("GET", "/link-requests", as_=acct.owner)
        assert [item["status"] for item in page["items"]] == ["terminated"]
    assert (await world.events(shop)).count("link.terminated") == 2
    # The accounts are free for another shop.
    await world.request_official(await world.shop(), account)


async def test_deleting_the_account_terminates_the_binding(world: World) -> None:
    shop = await world.shop()
    account = await world.bound_official(shop)
    await world.ok("DELETE", f"/accounts/{account.id}", as_=account.owner)
    response = await world.call("GET", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert_problem(response, 404, "NOT_FOUND")
    assert "link.terminated" in await world.events(shop)
    limits = await world.ok("GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner)
    # A termination is not a manual unbind: it does not count toward the 3.
    assert limits["limits"]["official_unbinds"] == {"used": 0, "max": 3}


async def test_unbind_within_24_hours_names_when_it_becomes_possible(world: World) -> None:
    shop = await world.shop()
    await world.bound_official(shop)
    response = await world.call("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
    body = assert_problem(response, 409, "UNBIND_COOLDOWN")
    linked = await world.ok("GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner)
    assert linked["limits"]["next_unbind_at"][:19] in body["next_action"]


async def test_unbind_after_cooldown_and_the_three_unbind_limit(world: World) -> None:
    shop = await world.shop()
    for used in range(3):
        await world.bound_official(shop)
        await world.advance(24 * 3600)
        unbound = await world.ok("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
        assert unbound["status"] == "unbound"
        linked = await world.ok("GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner)
        assert linked["limits"]["official_unbinds"] == {"used": used + 1, "max": 3}
    await world.bound_official(shop)
    await world.advance(24 * 3600)
    response = await world.call("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert_problem(response, 409, "UNBIND_LIMIT_REACHED")


async def test_create_organization_account_is_active_at_once(world: World) -> None:
    shop = await world.shop()
    link = await world.create_organization(shop, "Acme.Official")
    assert link["status"] == "active"
    official = await world.ok("GET", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert official["account"]["username"] == "acme.official"
    assert official["account"]["nickname"] == shop.name
    assert official["account"]["kind"] == "organization"


async def test_organization_account_of_another_entity_is_refused(world: World) -> None:
    shop = await world.shop()
    other = await world.shop()
    org = await world.account(kind="organization", seller_id=other.seller_id)
    response = await world.call(
        "POST",
        f"/shops/{shop.id}/official-account",
        as_=shop.owner,
        json={"method": "link_existing", "username": org.username},
    )
    assert_problem(response, 409, "ORG_ENTITY_MISMATCH")


async def test_conversion_to_organization_is_unsupported(world: World) -> None:
    account = await world.account()
    response = await world.call(
        "POST", f"/accounts/{account.id}/convert-to-organization", as_=account.owner
    )
    assert_problem(response, 409, "ACCOUNT_CONVERSION_UNSUPPORTED")


async def test_an_unbind_marks_the_shops_lapsed_requests_expired(world: World) -> None:
    """A write that counts the shop's links first gives overdue requests up, with their
    event (readers already see them as expired)."""
    shop = await world.shop()
    await world.bound_official(shop)
    lapsing = await world.request_marketing(shop, await world.account())
    await world.advance(48 * 3600 + 1)
    assert "link.expired" not in await world.events(shop)
    await world.ok("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert (await world.events(shop)).count("link.expired") == 1
    seen = await world.ok("GET", f"/link-requests/{lapsing['id']}", as_=shop.owner)
    assert seen["status"] == "expired"
