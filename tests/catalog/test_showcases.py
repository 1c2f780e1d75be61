"""Showcases on tiktok_shop: who may add what, what the public sees, and pruning (SPEC §2-§4).

The douyin rules (probation, deposits) are in test_douyin_commerce.py.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import AccountRef, ShopRef, World, assert_problem

DAY = 24 * 3600
RATE = "0.10"


async def add(world: World, account: AccountRef, product: dict[str, Any]) -> httpx.Response:
    return await world.call(
        "POST",
        f"/accounts/{account.id}/showcase",
        as_=account.owner,
        json={"product_id": product["id"]},
    )


async def refused(
    world: World, account: AccountRef, product: dict[str, Any], *codes: str
) -> dict[str, Any]:
    """Adding is refused with `codes`, in this order, the first one as the problem's code."""
    body = assert_problem(await add(world, account, product), 409, codes[0])
    assert [v["code"] for v in body["violations"]] == list(codes)
    return body


async def patch(world: World, shop: ShopRef, product: dict[str, Any], **fields: Any) -> None:
    await world.ok(
        "PATCH", f"/shops/{shop.id}/products/{product['id']}", as_=shop.owner, json=fields
    )


# --- adding, listing, removing --------------------------------------------------------------


async def test_creator_adds_lists_and_removes_an_affiliate_product(world: World) -> None:
    shop = await world.shop()
    product = await world.product(
        shop, title="Desk lamp", price="25.50", affiliate_commission_rate=RATE
    )
    creator = await world.account(kind="creator")

    item = await world.showcase_add(creator, product)
    assert item["added_at"]
    assert {k: v for k, v in item.items() if k != "added_at"} == {
        "account_id": creator.id,
        "product_id": product["id"],
        "shop_id": shop.id,
        "sku": product["sku"],
        "title": "Desk lamp",
        "price": "25.50",
        "currency": "USD",
        "affiliate_commission_rate": "0.10",
    }
    # Adding it again is no error: the same item, no second event.
    again = await world.showcase_add(creator, product, expect=200)
    assert again == item
    assert (await world.events(shop)).count("showcase.added") == 1

    # The showcase is public: no Authorization header at all.
    listed = await world.public(f"/accounts/{creator.id}/showcase")
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"items": [item], "next_cursor": None}

    removed = await world.ok(
        "DELETE", f"/accounts/{creator.id}/showcase/{product['id']}", as_=creator.owner
    )
    assert removed == {"account_id": creator.id, "product_id": product["id"], "removed": True}
    assert await world.showcase_ids(creator) == []
    events = await world.event_items(shop)
    removal = [e for e in events if e["type"] == "showcase.removed"]
    assert len(removal) == 1
    assert removal[0]["data"]["account_id"] == creator.id
    assert removal[0]["data"]["product_id"] == product["id"]

    again_removed = await world.call(
        "DELETE", f"/accounts/{creator.id}/showcase/{product['id']}", as_=creator.owner
    )
    assert_problem(again_removed, 404, "NOT_FOUND")
    # Removed items can be added again.
    await world.showcase_add(creator, product)
    assert await world.showcase_ids(creator) == [product["id"]]


async def test_showcase_pages_follow_insertion_order(world: World) -> None:
    shop = await world.shop()
    products = [await world.product(shop, affiliate_commission_rate=RATE) for _ in range(5)]
    creator = await world.account()
    order = [products[3], products[0], products[4], products[1], products[2]]
    for product in order:
        await world.showcase_add(creator, product)
    hidden = products[4]  # a draft is skipped, pages stay full
    await patch(world, shop, hidden, status="draft")

    seen: list[int] = []
    params: dict[str, Any] = {"limit": 2}
    pages = 0
    while True:
        response = await world.public(f"/accounts/{creator.id}/showcase", **params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        seen += [item["product_id"] for item in page["items"]]
        pages += 1
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [p["id"] for p in order if p is not hidden]
    assert pages == 2

    bad = await world.public(f"/accounts/{creator.id}/showcase", cursor="not-a-cursor")
    assert_problem(bad, 422, "VALIDATION_ERROR")


async def test_who_may_change_a_showcase(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop, affiliate_commission_rate=RATE)
    creator = await world.account(kind="creator")
    stranger = await world.person()
    path = f"/accounts/{creator.id}/showcase"

    # Others must not learn the account exists.
    response = await world.call("POST", path, as_=stranger, json={"product_id": product["id"]})
    assert_problem(response, 404, "NOT_FOUND")
    await world.showcase_add(creator, product)
    response = await world.call("DELETE", f"{path}/{product['id']}", as_=stranger)
    assert_problem(response, 404, "NOT_FOUND")
    # Not even the product's seller may touch a creator's showcase.
    response = await world.call("DELETE", f"{path}/{product['id']}", as_=shop.owner)
    assert_problem(response, 404, "NOT_FOUND")
    response = await world.client.post(f"/api/v1{path}", json={"product_id": product["id"]})
    assert_problem(response, 401, "UNAUTHENTICATED")
    assert await world.showcase_ids(creator) == [product["id"]]

    # Unknown ids and bad bodies.
    response = await world.call("POST", path, as_=creator.owner, json={"product_id": 999_999})
    assert_problem(response, 404, "NOT_FOUND")
    response = await world.call(
        "POST", "/accounts/999999/showcase", json={"product_id": product["id"]}
    )
    assert_problem(response, 404, "NOT_FOUND")
    assert_problem(await world.public("/accounts/999999/showcase"), 404, "NOT_FOUND")
    response = await world.call("POST", path, as_=creator.owner, json={})
    assert_problem(response, 422, "VALIDATION_ERROR")
    response = await world.call(
        "POST", path, as_=creator.owner, json={"product_id": product["id"], "extra": 1}
    )
    assert_problem(response, 422, "VALIDATION_ERROR")


async def test_org_member_who_may_look_but_not_act_gets_403(world: World) -> None:
    shop = await world.shop()
    link = await world.create_organization(shop, "acme.org")
    operator = await world.person()
    await world.add_member(link["account_id"], operator, "operator", as_=shop.owner)
    other = await world.shop()
    product = await world.product(other, affiliate_commission_rate=RATE)
    response = await world.call(
        "POST",
        f"/accounts/{link['account_id']}/showcase",
        as_=operator,
        json={"product_id": product["id"]},
    )
    assert_problem(response, 403, "FORBIDDEN")
    response = await world.call(
        "DELETE", f"/accounts/{link['account_id']}/showcase/{product['id']}", as_=operator
    )
    assert_problem(response, 403, "FORBIDDEN")
    # The shop's owner speaks for the org account, and meets the official-account rule.
    response = await world.call(
        "POST",
        f"/accounts/{link['account_id']}/showcase",
        as_=shop.owner,
        json={"product_id": product["id"]},
    )
    assert_problem(response, 409, "OFFICIAL_NO_AFFILIATE")


# --- the rules on add -----------------------------------------------------------------------


async def test_deleted_account_is_refused_and_its_showcase_is_gone(world: World) -> None:
    shop = await world.shop()
    first = await world.product(shop, affiliate_commission_rate=RATE)
    second = await world.product(shop, affiliate_commission_rate=RATE)
    creator = await world.account(kind="creator")
    await world.showcase_add(creator, first)
    await world.ok("DELETE", f"/accounts/{creator.id}", as_=creator.owner)
    await refused(world, creator, second, "ACCOUNT_INACTIVE")
    assert_problem(await world.public(f"/accounts/{creator.id}/showcase"), 404, "NOT_FOUND")


async def test_products_not_on_sale_are_refused(world: World) -> None:
    shop = await world.shop()
    creator = await world.account()
    draft = await world.product(shop, status="draft", affiliate_commission_rate=RATE)
    await refused(world, creator, draft, "INVALID_STATE")
    archived = await world.product(shop, affiliate_commission_rate=RATE)
    await world.ok("DELETE", f"/shops/{shop.id}/products/{archived['id']}", as_=shop.owner)
    await refused(world, creator, archived, "INVALID_STATE")
    # Every violation is listed, the first one is the code.
    closed_to_affiliates = await world.product(shop, status="draft")
    await refused(
        world, creator, closed_to_affiliates, "INVALID_STATE", "PRODUCT_NOT_OPEN_TO_AFFILIATES"
    )
    # Positive counterpart: the draft, once active, can be added.
    await patch(world, shop, draft, status="active")
    await world.showcase_add(creator, draft)

    closing = await world.shop()
    product = await world.product(closing, affiliate_commission_rate=RATE)
    await world.ok("POST", f"/shops/{closing.id}/close", as_=closing.owner)
    await refused(world, creator, product, "INVALID_STATE")
    assert "showcase.added" not in await world.events(closing)


async def test_official_account_uses_its_shop_page_and_takes_no_affiliate(world: World) -> None:
    shop = await world.shop()
    other = await world.shop()
    own = await world.product(shop, affiliate_commission_rate=RATE)
    foreign = await world.product(other, affiliate_commission_rate=RATE)
    official = await world.bound_official(shop)
    await refused(world, official, own, "OFFICIAL_USES_SHOP_PAGE")
    await refused(world, official, foreign, "OFFICIAL_NO_AFFILIATE")
    # A foreign product closed to affiliates breaks both rules.
    closed = await world.product(other)
    await refused(
        world, official, closed, "OFFICIAL_NO_AFFILIATE", "PRODUCT_NOT_OPEN_TO_AFFILIATES"
    )
    assert await world.showcase_ids(official) == []

    # Once unbound, the account is a plain affiliate again.
    await world.advance(DAY + 60)
    await world.ok("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
    await world.showcase_add(official, foreign)
    await world.showcase_add(official, own)
    await refused(world, official, closed, "PRODUCT_NOT_OPEN_TO_AFFILIATES")
    assert await world.showcase_ids(official) == [foreign["id"], own["id"]]


async def test_organization_official_account_is_refused_too(world: World) -> None:
    shop = await world.shop()
    link = await world.create_organization(shop, "acme.brand")
    product = await world.product(shop, affiliate_commission_rate=RATE)
    response = await world.call(
        "POST",
        f"/accounts/{link['account_id']}/showcase",
        as_=shop.owner,
        json={"product_id": product["id"]},
    )
    assert_problem(response, 409, "OFFICIAL_USES_SHOP_PAGE")


async def test_pending_official_link_follows_the_affiliate_rules(world: World) -> None:
    shop = await world.shop()
    account = await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)  # pending_review: not yet official
    open_product = await world.product(shop, affiliate_commission_rate=RATE)
    closed_product = await world.product(shop)
    await world.showcase_add(account, open_product)
    await refused(world, account, closed_product, "PRODUCT_NOT_OPEN_TO_AFFILIATES")
    # Approved: the same item is now the shop's own product on an official account.
    await world.approve(link)
    assert await world.showcase_ids(account) == []
    await refused(world, account, open_product, "OFFICIAL_USES_SHOP_PAGE")


async def test_marketing_account_may_show_its_shops_products_without_commission(
    world: World,
) -> None:
    shop = await world.shop()
    marketing = await world.bound_marketing(shop)
    own_closed = await world.product(shop)
    own_open = await world.product(shop, affiliate_commission_rate=RATE)
    await world.showcase_add(marketing, own_closed)
    await world.showcase_add(marketing, own_open)

    other = await world.shop()
    foreign_closed = await world.product(other)
    foreign_open = await world.product(other, affiliate_commission_rate=RATE)
    await refused(world, marketing, foreign_closed, "PRODUCT_NOT_OPEN_TO_AFFILIATES")
    await world.showcase_add(marketing, foreign_open)

    far = await world.shop(region="GB")
    far_open = await world.product(far, affiliate_commission_rate=RATE)
    far_closed = await world.product(far)
    await refused(world, marketing, far_open, "REGION_MISMATCH")
    await refused(world, marketing, far_closed, "PRODUCT_NOT_OPEN_TO_AFFILIATES", "REGION_MISMATCH")
    assert await world.showcase_ids(marketing) == [
        own_closed["id"],
        own_open["id"],
        foreign_open["id"],
    ]
    # showcase.added goes to the product's shop.
    assert (await world.events(shop)).count("showcase.added") == 2
    assert (await world.events(other)).count("showcase.added") == 1


async def test_unlinked_account_follows_the_affiliate_rules(world: World) -> None:
    us = await world.shop(region="US")
    gb = await world.shop(region="GB")
    creator = await world.account(region="GB", kind="creator")
    await refused(
        world, creator, await world.product(us, affiliate_commission_rate=RATE), "REGION_MISMATCH"
    )
    await refused(world, creator, await world.product(gb), "PRODUCT_NOT_OPEN_TO_AFFILIATES")
    # No deposit on tiktok_shop.
    await world.showcase_add(creator, await world.product(gb, affiliate_commission_rate=RATE))


# --- pruning --------------------------------------------------------------------------------


async def _promoted_everywhere(
    world: World, **fields: Any
) -> tuple[ShopRef, dict[str, Any], AccountRef, AccountRef]:
    """A product with a commission, in a creator's and the shop's marketing account's showcase."""
    shop = await world.shop()
    product = await world.product(shop, affiliate_commission_rate=RATE, **fields)
    creator = await world.account(kind="creator")
    marketing = await world.bound_marketing(shop)
    await world.showcase_add(creator, product)
    await world.showcase_add(marketing, product)
    return shop, product, creator, marketing


async def test_archiving_by_delete_removes_the_product_from_every_showcase(world: World) -> None:
    shop, product, creator, marketing = await _promoted_everywhere(world)
    keep = await world.product(shop, affiliate_commission_rate=RATE)
    await world.showcase_add(creator, keep)
    await world.ok("DELETE", f"/shops/{shop.id}/products/{product['id']}", as_=shop.owner)
    assert await world.showcase_ids(creator) == [keep["id"]]
    assert await world.showcase_ids(marketing) == []
    # Deleted, not hidden: bringing the product back does not bring the items back.
    await patch(world, shop, product, status="active")
    assert await world.showcase_ids(creator) == [keep["id"]]
    assert await world.showcase_ids(marketing) == []
    response = await world.call(
        "DELETE", f"/accounts/{creator.id}/showcase/{product['id']}", as_=creator.owner
    )
    assert_problem(response, 404, "NOT_FOUND")


async def test_archiving_by_patch_removes_the_product_from_every_showcase(world: World) -> None:
    shop, product, creator, marketing = await _promoted_everywhere(world)
    await patch(world, shop, product, status="archived")
    await patch(world, shop, product, status="active")
    assert await world.showcase_ids(creator) == []
    assert await world.showcase_ids(marketing) == []


async def test_archiving_by_import_removes_the_product_from_every_showcase(world: World) -> None:
    shop, product, creator, marketing = await _promoted_everywhere(world)
    other = await world.product(shop, affiliate_commission_rate=RATE)
    await world.showcase_add(creator, other)
    body = (
        "sku,title,price,currency,stock,status,affiliate_commission_rate\n"
        f"{product['sku']},Plain cotton tee,19.90,USD,10,archived,0.10\n"
        f"{other['sku']},Plain cotton tee,21.00,USD,10,active,0.10\n"
    )
    response = await world.import_products(shop, body)
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 2
    await patch(world, shop, product, status="active")
    assert await world.showcase_ids(creator) == [other["id"]]
    assert await world.showcase_ids(marketing) == []


async def test_closing_to_affiliates_prunes_all_but_the_shops_marketing_accounts(
    world: World,
) -> None:
    shop, product, creator, marketing = await _promoted_everywhere(world)
    # A marketing account of another shop promotes it as an affiliate.
    outsider = await world.bound_marketing(await world.shop())
    await world.showcase_add(outsider, product)

    await patch(world, shop, product, affiliate_commission_rate=None)
    assert await world.showcase_ids(creator) == []
    assert await world.showcase_ids(outsider) == []
    page = (await world.public(f"/accounts/{marketing.id}/showcase")).json()
    assert [i["product_id"] for i in page["items"]] == [product["id"]]
    assert page["items"][0]["affiliate_commission_rate"] is None

    # Deleted, not hidden: reopening the product does not bring the affiliates' items back.
    await patch(world, shop, product, affiliate_commission_rate=RATE)
    assert await world.showcase_ids(creator) == []
    assert await world.showcase_ids(outsider) == []
    assert await world.showcase_ids(marketing) == [product["id"]]


async def test_a_patch_that_keeps_the_rate_prunes_nothing(world: World) -> None:
    shop, product, creator, marketing = await _promoted_everywhere(world)
    await patch(world, shop, product, title="Renamed tee", price="9.99")
    page = (await world.public(f"/accounts/{creator.id}/showcase")).json()
    assert [(i["title"], i["price"]) for i in page["items"]] == [("Renamed tee", "9.99")]
    assert await world.showcase_ids(marketing) == [product["id"]]


async def test_closing_to_affiliates_by_import_prunes_too(world: World) -> None:
    shop, product, creator, marketing = await _promoted_everywhere(world)
    body = f"sku,title,price,currency,stock\n{product['sku']},Plain cotton tee,19.90,USD,10\n"
    response = await world.import_products(shop, body)
    assert response.status_code == 200, response.text
    assert await world.showcase_ids(creator) == []
    assert await world.showcase_ids(marketing) == [product["id"]]


async def test_unbinding_a_marketing_account_hides_its_no_commission_items(world: World) -> None:
    shop = await world.shop()
    marketing = await world.bound_marketing(shop)
    closed = await world.product(shop)
    opened = await world.product(shop, affiliate_commission_rate=RATE)
    await world.showcase_add(marketing, closed)
    await world.showcase_add(marketing, opened)
    assert await world.showcase_ids(marketing) == [closed["id"], opened["id"]]

    await world.advance(DAY + 60)  # the unbind cooldown
    assert await world.showcase_ids(marketing) == [closed["id"], opened["id"]]
    await world.ok("DELETE", f"/shops/{shop.id}/marketing-accounts/{marketing.id}", as_=shop.owner)
    # Still an affiliate of the product that has a commission rate.
    assert await world.showcase_ids(marketing) == [opened["id"]]
    await refused(world, marketing, closed, "PRODUCT_NOT_OPEN_TO_AFFILIATES")


async def test_draft_and_closed_shop_products_are_hidden_while_not_on_sale(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop, affiliate_commission_rate=RATE)
    creator = await world.account()
    await world.showcase_add(creator, product)
    await patch(world, shop, product, status="draft")
    assert await world.showcase_ids(creator) == []
    await patch(world, shop, product, status="active")
    assert await world.showcase_ids(creator) == [product["id"]]

    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    assert await world.showcase_ids(creator) == []
    # The item is still there, so the owner can remove it.
    await world.ok("DELETE", f"/accounts/{creator.id}/showcase/{product['id']}", as_=creator.owner)
