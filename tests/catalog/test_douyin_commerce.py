"""Douyin's commerce gates: probation, creator deposits, alliance products, store migration.

Where the rule differs, tiktok_shop's answer is checked next to douyin's.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import AccountRef, Person, ShopRef, World, assert_problem

DAY = 24 * 3600
RATE = "0.10"
douyin = pytest.mark.platform("douyin")


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
    body = assert_problem(await add(world, account, product), 409, codes[0])
    assert [v["code"] for v in body["violations"]] == list(codes)
    return body


async def pay_shop(world: World, shop: ShopRef, amount: str, *, as_: Person | None = None) -> Any:
    return await world.ok(
        "POST", f"/shops/{shop.id}/deposit", as_=as_ or shop.owner, json={"amount": amount}
    )


async def pay_account(world: World, account: AccountRef, amount: str) -> Any:
    return await world.ok(
        "POST", f"/accounts/{account.id}/deposit", as_=account.owner, json={"amount": amount}
    )


async def complete_probation(world: World, shop: ShopRef, reviewer: Person) -> httpx.Response:
    return await world.call("POST", f"/shops/{shop.id}/probation/complete", as_=reviewer)


# --- the official account and alliance products ---------------------------------------------


@douyin
async def test_official_account_alliance_products_after_probation_and_deposit(
    world: World,
) -> None:
    shop = await world.shop()
    official = await world.bound_official(shop)
    seller = await world.shop()
    alliance = await world.product(
        seller, price="59.00", currency="CNY", affiliate_commission_rate=RATE
    )
    own = await world.product(shop, affiliate_commission_rate=RATE)

    await refused(world, official, own, "OFFICIAL_USES_SHOP_PAGE")
    body = await refused(world, official, alliance, "PROBATION_ACTIVE", "DEPOSIT_REQUIRED")
    assert body["next_action"]

    reviewer = await world.reviewer()
    response = await complete_probation(world, shop, reviewer)
    assert response.status_code == 200, response.text
    ended = response.json()
    assert ended["id"] == shop.id
    assert ended["probation_ends_at"] is not None
    assert ended["probation_ends_at"] < shop.data["probation_ends_at"]
    assert ended["probation_ends_at"][:19] <= (await world.now())[:19]
    events = await world.event_items(shop)
    [probation_ended] = [e for e in events if e["type"] == "shop.probation_ended"]
    assert probation_ended["data"]["reason"] == "reviewer"
    assert (await world.ok("GET", f"/shops/{shop.id}", as_=shop.owner))["probation_ends_at"] == (
        ended["probation_ends_at"]
    )

    await refused(world, official, alliance, "DEPOSIT_REQUIRED")
    partial = await pay_shop(world, shop, "200.00")
    assert partial["settled"] is False and partial["amount_paid"] == "200.00"
    await refused(world, official, alliance, "DEPOSIT_REQUIRED")
    settled = await pay_shop(world, shop, "300.00")
    assert settled == {
        "shop_id": shop.id,
        "account_id": None,
        "required": True,
        "amount_required": "500.00",
        "amount_paid": "500.00",
        "currency": "CNY",
        "settled": True,
    }
    assert (await world.events(shop)).count("deposit.paid") == 2

    item = await world.showcase_add(official, alliance)
    assert item["shop_id"] == seller.id and item["price"] == "59.00"
    assert await world.showcase_ids(official) == [alliance["id"]]
    assert "showcase.added" in await world.events(seller)
    # Its own products still belong on the Shop Page, deposit or not.
    await refused(world, official, own, "OFFICIAL_USES_SHOP_PAGE")
    # The affiliate rules still apply to alliance products.
    await refused(world, official, await world.product(seller), "PRODUCT_NOT_OPEN_TO_AFFILIATES")
    far = await world.shop(region="GB")
    await refused(
        world, official, await world.product(far, affiliate_commission_rate=RATE), "REGION_MISMATCH"
    )


@douyin
async def test_official_accounts_own_deposit_counts_and_probation_ends_with_time(
    world: World,
) -> None:
    shop = await world.shop()
    official = await world.bound_official(shop)
    alliance = await world.product(await world.shop(), affiliate_commission_rate=RATE)
    await pay_account(world, official, "500.00")
    await refused(world, official, alliance, "PROBATION_ACTIVE")
    await world.advance(29 * DAY)
    await refused(world, official, alliance, "PROBATION_ACTIVE")
    await world.advance(DAY + 60)
    await world.showcase_add(official, alliance)
    # Over by time: a reviewer has nothing left to end.
    response = await complete_probation(world, shop, await world.reviewer())
    assert_problem(response, 409, "INVALID_STATE")


@douyin
async def test_probation_hides_alliance_items_of_a_newly_bound_official_account(
    world: World,
) -> None:
    """An account that promoted an alliance product as a creator, then became a shop's official
    account: the item is hidden while that shop is on probation, and shown after."""
    alliance = await world.product(await world.shop(), affiliate_commission_rate=RATE)
    creator = await world.account()
    await pay_account(world, creator, "500.00")
    await world.showcase_add(creator, alliance)
    shop = await world.shop()
    await world.bound_official(shop, creator)
    assert await world.showcase_ids(creator) == []
    assert (await complete_probation(world, shop, await world.reviewer())).status_code == 200
    assert await world.showcase_ids(creator) == [alliance["id"]]


@douyin
async def test_pending_official_link_is_an_ordinary_creator(world: World) -> None:
    shop = await world.shop()
    account = await world.account()
    link = await world.request_official(shop, account)
    await world.authorize(link, account)
    product = await world.product(await world.shop(), affiliate_commission_rate=RATE)
    # Not PROBATION_ACTIVE: the link is not active yet; only the deposit is missing.
    await refused(world, account, product, "DEPOSIT_REQUIRED")
    # The shop's deposit does not cover an account that is not (yet) its official account.
    await pay_shop(world, shop, "500.00")
    await refused(world, account, product, "DEPOSIT_REQUIRED")


async def test_tiktok_official_account_never_takes_alliance_products(world: World) -> None:
    shop = await world.shop()
    official = await world.bound_official(shop)
    product = await world.product(await world.shop(), affiliate_commission_rate=RATE)
    await world.advance(365 * DAY)
    await refused(world, official, product, "OFFICIAL_NO_AFFILIATE")


# --- creators and deposits ------------------------------------------------------------------


@douyin
async def test_unlinked_creator_needs_the_deposit(world: World) -> None:
    shop = await world.shop()  # on probation: that does not concern its affiliates
    product = await world.product(shop, affiliate_commission_rate=RATE)
    creator = await world.account(kind="creator")
    await refused(world, creator, product, "DEPOSIT_REQUIRED")
    await refused(
        world,
        creator,
        await world.product(shop),
        "PRODUCT_NOT_OPEN_TO_AFFILIATES",
        "DEPOSIT_REQUIRED",
    )
    first = await pay_account(world, creator, "200")
    assert first == {
        "shop_id": None,
        "account_id": creator.id,
        "required": True,
        "amount_required": "500.00",
        "amount_paid": "200.00",
        "currency": "CNY",
        "settled": False,
    }
    await refused(world, creator, product, "DEPOSIT_REQUIRED")
    second = await pay_account(world, creator, "300.00")
    assert second["settled"] is True and second["amount_paid"] == "500.00"
    status = await world.ok("GET", f"/accounts/{creator.id}/deposit", as_=creator.owner)
    assert status == second
    await world.showcase_add(creator, product)
    assert await world.showcase_ids(creator) == [product["id"]]
    # Paying more is allowed and adds up.
    assert (await pay_account(world, creator, "0.01"))["amount_paid"] == "500.01"


@douyin
async def test_another_shops_deposit_does_not_cover_a_creator(world: World) -> None:
    shop = await world.shop()
    await pay_shop(world, shop, "500.00")
    creator = await world.account()
    product = await world.product(shop, affiliate_commission_rate=RATE)
    await refused(world, creator, product, "DEPOSIT_REQUIRED")


@douyin
async def test_deposit_amount_must_be_positive_with_two_decimals(world: World) -> None:
    shop = await world.shop()
    account = await world.account()
    for amount in ("0", "0.00", "-1", "1.234", "0.001", "abc", "", "NaN", "Infinity", "1e20"):
        response = await world.call(
            "POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json={"amount": amount}
        )
        assert_problem(response, 422, "VALIDATION_ERROR")
        response = await world.call(
            "POST", f"/accounts/{account.id}/deposit", as_=account.owner, json={"amount": amount}
        )
        assert_problem(response, 422, "VALIDATION_ERROR")
    # Nothing was written.
    status = await world.ok("GET", f"/shops/{shop.id}/deposit", as_=shop.owner)
    assert status["amount_paid"] == "0.00"
    status = await world.ok("GET", f"/accounts/{account.id}/deposit", as_=account.owner)
    assert status["amount_paid"] == "0.00"
    assert "deposit.paid" not in await world.events(shop)
    # Two decimals, or fewer, are fine.
    assert (await pay_shop(world, shop, " 0.5 "))["amount_paid"] == "0.50"


@douyin
async def test_deposit_body_is_validated(world: World) -> None:
    shop = await world.shop()
    for body in ({}, {"amount": 500}, {"amount": "500", "currency": "CNY"}):
        response = await world.call("POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json=body)
        assert_problem(response, 422, "VALIDATION_ERROR")


@douyin
async def test_who_may_pay_and_see_deposits(world: World) -> None:
    shop = await world.shop()
    stranger = await world.person()
    admin_staff = await world.person()
    operator = await world.person()
    for person, role in ((admin_staff, "admin"), (operator, "operator")):
        await world.ok(
            "POST",
            f"/sellers/{shop.seller_id}/staff",
            expect=201,
            as_=shop.owner,
            json={"user_id": person.id, "role": role},
        )
    path = f"/shops/{shop.id}/deposit"
    assert_problem(
        await world.call("POST", path, as_=stranger, json={"amount": "1"}), 404, "NOT_FOUND"
    )
    assert_problem(await world.call("GET", path, as_=stranger), 404, "NOT_FOUND")
    assert_problem(
        await world.call("POST", path, as_=operator, json={"amount": "1"}), 403, "FORBIDDEN"
    )
    assert (await world.ok("GET", path, as_=operator))["amount_paid"] == "0.00"
    assert (await pay_shop(world, shop, "1.00", as_=admin_staff))["amount_paid"] == "1.00"
    response = await world.client.post(f"/api/v1{path}", json={"amount": "1"})
    assert_problem(response, 401, "UNAUTHENTICATED")

    account = await world.account()
    path = f"/accounts/{account.id}/deposit"
    assert_problem(
        await world.call("POST", path, as_=stranger, json={"amount": "1"}), 404, "NOT_FOUND"
    )
    assert_problem(await world.call("GET", path, as_=stranger), 404, "NOT_FOUND")
    assert_problem(
        await world.call("POST", path, as_=shop.owner, json={"amount": "1"}), 404, "NOT_FOUND"
    )
    assert (await world.ok("GET", path, as_=account.owner))["amount_paid"] == "0.00"


async def test_tiktok_shop_takes_no_deposit(world: World) -> None:
    shop = await world.shop()
    status = await world.ok("GET", f"/shops/{shop.id}/deposit", as_=shop.owner)
    assert status == {
        "shop_id": shop.id,
        "account_id": None,
        "required": False,
        "amount_required": "0.00",
        "amount_paid": "0.00",
        "currency": "USD",
        "settled": True,
    }
    response = await world.call(
        "POST", f"/shops/{shop.id}/deposit", as_=shop.owner, json={"amount": "500.00"}
    )
    assert_problem(response, 409, "INVALID_STATE")
    account = await world.account()
    response = await world.call(
        "POST", f"/accounts/{account.id}/deposit", as_=account.owner, json={"amount": "500.00"}
    )
    assert_problem(response, 409, "INVALID_STATE")
    account_status = await world.ok("GET", f"/accounts/{account.id}/deposit", as_=account.owner)
    assert account_status["required"] is False and account_status["settled"] is True
    assert "deposit.paid" not in await world.events(shop)


# --- probation ------------------------------------------------------------------------------


@douyin
async def test_only_reviewers_complete_probation(world: World) -> None:
    shop = await world.shop()
    stranger = await world.person()
    for person in (shop.owner, stranger):
        assert_problem(await complete_probation(world, shop, person), 403, "FORBIDDEN")
    reviewer = await world.reviewer()
    unknown = await world.call("POST", "/shops/999999/probation/complete", as_=reviewer)
    assert_problem(unknown, 404, "NOT_FOUND")
    assert (await complete_probation(world, shop, reviewer)).status_code == 200
    assert_problem(await complete_probation(world, shop, reviewer), 409, "INVALID_STATE")
    assert (await world.events(shop)).count("shop.probation_ended") == 1


async def test_tiktok_shops_have_no_probation_to_complete(world: World) -> None:
    shop = await world.shop()
    assert shop.data["probation_ends_at"] is None
    response = await complete_probation(world, shop, await world.reviewer())
    assert_problem(response, 409, "INVALID_STATE")


# --- migration from a personal to a business store ------------------------------------------


async def _personal_and_business(world: World) -> tuple[ShopRef, ShopRef]:
    business = await world.shop()
    personal = await world.personal_shop(business.owner, business.seller_id)
    assert personal.data["store_type"] == "personal"
    assert business.data["store_type"] == "business"
    return personal, business


async def migrate(world: World, source: ShopRef, target: ShopRef, **kw: Any) -> httpx.Response:
    return await world.call(
        "POST",
        f"/shops/{source.id}/migrate",
        as_=kw.pop("as_", source.owner),
        json={"target_shop_id": target.id},
    )


def _copied_fields(product: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("sku", "title", "description", "price", "currency", "stock", "status")
    return (*(product[k] for k in keys), product["affiliate_commission_rate"])


@douyin
async def test_migration_copies_the_catalog_into_the_business_shop(world: World) -> None:
    personal, business = await _personal_and_business(world)
    tee = await world.product(
        personal,
        sku="TEE-1",
        title="Silk tee",
        description="Soft",
        price="129.00",
        currency="CNY",
        stock=7,
        affiliate_commission_rate="0.15",
    )
    draft = await world.product(personal, sku="DRAFT-1", status="draft", stock=0)
    gone = await world.product(personal, sku="GONE-1")
    await world.ok("DELETE", f"/shops/{personal.id}/products/{gone['id']}", as_=personal.owner)
    clash_b = await world.product(personal, sku="CLASH-B")
    clash_a = await world.product(personal, sku="CLASH-A")
    existing = [
        await world.product(business, sku=clash_a["sku"], title="Business own A"),
        await world.product(business, sku=clash_b["sku"], title="Business own B"),
    ]

    response = await migrate(world, personal, business)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "source_shop_id": personal.id,
        "target_shop_id": business.id,
        "copied": 2,
        "skipped": 2,
        "skipped_skus": ["CLASH-A", "CLASH-B"],
    }

    listed = await world.ok(
        "GET", f"/shops/{business.id}/products", as_=business.owner, params={"limit": 200}
    )
    by_sku = {p["sku"]: p for p in listed["items"]}
    assert sorted(by_sku) == ["CLASH-A", "CLASH-B", "DRAFT-1", "TEE-1"]
    for original in (tee, draft):
        copy = by_sku[original["sku"]]
        assert copy["shop_id"] == business.id
        assert copy["id"] != original["id"]
        assert _copied_fields(copy) == _copied_fields(original)
    # What the target had stays as it was.
    for own in existing:
        assert by_sku[own["sku"]] == own
    # The source is untouched.
    source = await world.ok(
        "GET", f"/shops/{personal.id}/products", as_=personal.owner, params={"limit": 200}
    )
    assert len(source["items"]) == 5
    assert {p["shop_id"] for p in source["items"]} == {personal.id}

    for shop in (personal, business):
        events = await world.event_items(shop)
        [migrated] = [e for e in events if e["type"] == "shop.migrated"]
        assert migrated["data"]["source_shop_id"] == personal.id
        assert migrated["data"]["target_shop_id"] == business.id
        assert migrated["data"]["copied"] == 2

    # The copy is a real product of the business shop: searchable on its Shop Page.
    official = await world.bound_official(business)
    await pay_shop(world, business, "500.00")
    page = await world.shop_page(official.username, q="silk")
    assert [item["sku"] for item in page["items"]] == ["TEE-1"]

    # A second run copies nothing: every sku is there already.
    again = await migrate(world, personal, business)
    assert again.status_code == 200, again.text
    assert again.json()["copied"] == 0
    assert again.json()["skipped_skus"] == ["CLASH-A", "CLASH-B", "DRAFT-1", "TEE-1"]


@douyin
async def test_migration_between_two_sellers_of_the_same_owner(world: World) -> None:
    personal_seller = await world.shop()
    personal = await world.personal_shop(personal_seller.owner, personal_seller.seller_id)
    business = await world.shop(owner=personal.owner)  # a second seller, the same owner
    assert business.seller_id != personal.seller_id
    await world.product(personal, sku="ONLY-1")
    response = await migrate(world, personal, business)
    assert response.status_code == 200, response.text
    assert response.json()["copied"] == 1 and response.json()["skipped_skus"] == []


@douyin
async def test_empty_catalog_migrates_nothing(world: World) -> None:
    personal, business = await _personal_and_business(world)
    response = await migrate(world, personal, business)
    assert response.status_code == 200, response.text
    assert response.json()["copied"] == 0 and response.json()["skipped"] == 0


@douyin
async def test_migration_refusals(world: World) -> None:
    personal, business = await _personal_and_business(world)
    other_personal = await world.personal_shop(business.owner, business.seller_id)
    other_business = await world.shop(owner=business.owner, seller_id=business.seller_id)
    await world.product(personal, sku="KEEP-1")

    # Only a personal store migrates, only into another shop, only into a business store.
    for source, target in (
        (business, other_business),
        (personal, other_personal),
        (personal, personal),
        (business, personal),
    ):
        body = assert_problem(await migrate(world, source, target), 409, "INVALID_STATE")
        assert body["next_action"]

    await world.ok("POST", f"/shops/{other_business.id}/close", as_=business.owner)
    assert_problem(await migrate(world, personal, other_business), 409, "SHOP_CLOSED")
    # Every violation is listed.
    body = assert_problem(await migrate(world, business, other_business), 409, "INVALID_STATE")
    assert [v["code"] for v in body["violations"]] == ["INVALID_STATE", "SHOP_CLOSED"]

    # Nothing was written by the refusals.
    listed = await world.ok("GET", f"/shops/{business.id}/products", as_=business.owner)
    assert listed["items"] == []
    assert "shop.migrated" not in await world.events(personal)

    response = await world.call(
        "POST", f"/shops/{personal.id}/migrate", as_=personal.owner, json={}
    )
    assert_problem(response, 422, "VALIDATION_ERROR")


@douyin
async def test_who_may_migrate(world: World) -> None:
    personal, business = await _personal_and_business(world)
    stranger = await world.person()
    assert_problem(await migrate(world, personal, business, as_=stranger), 404, "NOT_FOUND")
    # Staff who are not the owner see the shops but may not migrate them.
    staff = await world.person()
    await world.ok(
        "POST",
        f"/sellers/{personal.seller_id}/staff",
        expect=201,
        as_=personal.owner,
        json={"user_id": staff.id, "role": "admin"},
    )
    assert_problem(await migrate(world, personal, business, as_=staff), 403, "FORBIDDEN")
    # The owner of the source, but not of the target's seller.
    foreign = await world.shop()
    assert_problem(await migrate(world, personal, foreign), 404, "NOT_FOUND")
    # The target's owner, whom the source's seller does not employ.
    theirs = await world.personal_shop(foreign.owner, foreign.seller_id)
    assert_problem(await migrate(world, theirs, business), 404, "NOT_FOUND")
    # Staff of both sellers but owner of only one.
    await world.ok(
        "POST",
        f"/sellers/{business.seller_id}/staff",
        expect=201,
        as_=business.owner,
        json={"user_id": foreign.owner.id, "role": "admin"},
    )
    assert_problem(await migrate(world, theirs, business), 403, "FORBIDDEN")
    response = await world.call(
        "POST",
        f"/shops/{personal.id}/migrate",
        as_=personal.owner,
        json={"target_shop_id": 999_999},
    )
    assert_problem(response, 404, "NOT_FOUND")
    assert "shop.migrated" not in await world.events(personal)


async def test_tiktok_shop_has_no_migration(world: World) -> None:
    personal, business = await _personal_and_business(world)
    await world.product(personal)
    assert_problem(await migrate(world, personal, business), 409, "INVALID_STATE")
    listed = await world.ok("GET", f"/shops/{business.id}/products", as_=business.owner)
    assert listed["items"] == []


@douyin
async def test_douyin_refuses_upgrading_in_place(world: World) -> None:
    personal, _ = await _personal_and_business(world)
    response = await world.call(
        "PATCH", f"/shops/{personal.id}", as_=personal.owner, json={"store_type": "business"}
    )
    assert_problem(response, 409, "STORE_UPGRADE_UNSUPPORTED")
