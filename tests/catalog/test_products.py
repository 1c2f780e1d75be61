"""Products (SPEC §2, §4): validation, access, patch semantics, archive, lists, events, and the
Shop Page that follows the catalog on the very next request."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import API, Person, ShopRef, World, assert_problem, unique

BASE: dict[str, Any] = {
    "sku": "TEE-1",
    "title": "Plain cotton tee",
    "price": "19.90",
    "currency": "USD",
    "stock": 10,
}
OUT_FIELDS = {
    "id",
    "shop_id",
    "sku",
    "title",
    "description",
    "price",
    "currency",
    "stock",
    "status",
    "affiliate_commission_rate",
    "created_at",
    "updated_at",
}


def products(shop: ShopRef) -> str:
    return f"/shops/{shop.id}/products"


def product_path(shop: ShopRef, product: dict[str, Any]) -> str:
    return f"/shops/{shop.id}/products/{product['id']}"


async def create(
    world: World, shop: ShopRef, body: dict[str, Any], *, as_: Person | None = None
) -> httpx.Response:
    return await world.call("POST", products(shop), as_=as_ or shop.owner, json=body)


def assert_invalid(response: httpx.Response, field: str) -> None:
    """422 VALIDATION_ERROR listing `field` (as "body.<field>") among the failing fields."""
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert f"body.{field}" in [e["field"] for e in body["errors"]], body
    assert all(e["message"] for e in body["errors"]), body


async def public_get(world: World, path: str, **params: Any) -> httpx.Response:
    """No Authorization header at all: the Shop Page is public."""
    return await world.client.get(API + path, params=params)


async def page_of(world: World, username: str, **params: Any) -> dict[str, Any]:
    response = await public_get(world, f"/profiles/{username}/shop-page", **params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def titles(world: World, username: str, **params: Any) -> list[str]:
    return [item["title"] for item in (await page_of(world, username, **params))["items"]]


async def walk(world: World, username: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of every page, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(1000):
        page = await page_of(world, username, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("next_cursor never ended")


async def shop_with_page(world: World) -> tuple[ShopRef, str]:
    shop = await world.shop()
    username = unique("page.")
    await world.create_organization(shop, username)
    return shop, username


async def event_items(world: World, shop: ShopRef) -> list[dict[str, Any]]:
    page = await world.ok("GET", f"/shops/{shop.id}/events", as_=shop.owner, params={"limit": 200})
    items: list[dict[str, Any]] = page["items"]
    return items


# --- create: the contract of a valid product ------------------------------------------------


async def test_create_returns_the_product(world: World) -> None:
    shop = await world.shop()
    response = await create(
        world,
        shop,
        {**BASE, "description": "Soft.\n\tWashes well.", "affiliate_commission_rate": "0.15"},
    )
    assert response.status_code == 201, response.text
    product = response.json()
    assert set(product) == OUT_FIELDS
    assert product["shop_id"] == shop.id
    assert product["sku"] == "TEE-1"
    assert product["title"] == "Plain cotton tee"
    assert product["description"] == "Soft.\n\tWashes well."
    assert (product["price"], product["currency"], product["stock"]) == ("19.90", "USD", 10)
    assert product["status"] == "active"
    assert product["affiliate_commission_rate"] == "0.15"
    assert product["created_at"] == product["updated_at"]
    fetched = await world.ok("GET", product_path(shop, product), as_=shop.owner)
    assert fetched == product


VALID: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"price": "19.9"}, {"price": "19.90"}),
    ({"price": "19"}, {"price": "19.00"}),
    ({"price": "0"}, {"price": "0.00"}),
    ({"price": " 7.5 "}, {"price": "7.50"}),
    ({"price": "1000", "currency": "JPY"}, {"price": "1000", "currency": "JPY"}),
    ({"price": "1.234", "currency": "KWD"}, {"price": "1.234", "currency": "KWD"}),
    ({"price": "5", "currency": "KWD"}, {"price": "5.000"}),
    ({"price": "299.00", "currency": "cny"}, {"price": "299.00", "currency": "CNY"}),
    ({"currency": "eUr"}, {"currency": "EUR"}),
    ({"price": "10000000000000.00"}, {"price": "10000000000000.00"}),  # 10^15 minor units
    ({"sku": "a" * 64}, {"sku": "a" * 64}),
    ({"sku": "A.b_c-9"}, {"sku": "A.b_c-9"}),
    ({"title": "  Trimmed tee \n"}, {"title": "Trimmed tee"}),
    ({"title": "t" * 200}, {"title": "t" * 200}),
    ({"title": "男子跑步鞋 轻便透气"}, {"title": "男子跑步鞋 轻便透气"}),
    ({"description": "d" * 5000}, {"description": "d" * 5000}),
    ({"description": "one\ntwo\tthree"}, {"description": "one\ntwo\tthree"}),
    ({}, {"description": "", "status": "active", "affiliate_commission_rate": None}),
    ({"status": "draft"}, {"status": "draft"}),
    ({"stock": 0}, {"stock": 0}),
    ({"stock": 10**12}, {"stock": 10**12}),
    ({"affiliate_commission_rate": "0.01"}, {"affiliate_commission_rate": "0.01"}),
    ({"affiliate_commission_rate": "0.80"}, {"affiliate_commission_rate": "0.80"}),
    ({"affiliate_commission_rate": "0.8"}, {"affiliate_commission_rate": "0.80"}),
    ({"affiliate_commission_rate": "0.1"}, {"affiliate_commission_rate": "0.10"}),
    ({"affiliate_commission_rate": "0.125"}, {"affiliate_commission_rate": "0.125"}),
    ({"affiliate_commission_rate": "0.1234"}, {"affiliate_commission_rate": "0.1234"}),
    ({"affiliate_commission_rate": None}, {"affiliate_commission_rate": None}),
]


async def test_valid_input_is_normalised(world: World) -> None:
    shop = await world.shop()
    for n, (given, expected) in enumerate(VALID):
        body = {**BASE, "sku": f"V-{n}", **given}
        response = await create(world, shop, body)
        assert response.status_code == 201, (given, response.text)
        product = response.json()
        assert {key: product[key] for key in expected} == expected, given


INVALID: dict[str, list[Any]] = {
    # ^[A-Za-z0-9._-]{1,64}$
    "sku": ["", "a b", "a/b", "tée", "a" * 65, 123, None],
    # 1-200 characters after trimming, no control characters
    "title": [
        "",
        "   ",
        "t" * 201,
        "tab\there",
        "two\nlines",
        "nul\x00",
        "del\x7f",
        "esc\x1b[1m",
        5,
    ],
    # at most 5000 characters; newlines and tabs are the only control characters allowed
    "description": ["d" * 5001, "bell\x07", "nul\x00", "esc\x1b", None],
    # a decimal string, >= 0, at most the currency's decimals (USD here)
    "price": [
        19.9,
        19,
        None,
        "",
        "abc",
        "-1.00",
        "-0.01",
        "19.999",
        "NaN",
        "Infinity",
        "1,000.00",
        "1_000",
        "١٢",  # Arabic-Indic digits
        "1e999999999",  # beyond Decimal's exponent range
        "1e-999999999",  # underflows to 0 unless done exactly
        "0.100000000000000000000000000001",  # rounds to 0.10 at 28 digits
        "10000000000000.01",  # above 10^15 minor units
    ],
    # ISO 4217 and in circulation
    "currency": ["XXX", "DEM", "ABC", "", "US", "US Dollar", 840, None],
    # an integer 0..10^12
    "stock": [-1, 10**12 + 1, 1.5, "many", None, 2**63, True],
    # active|draft on create
    "status": ["archived", "deleted", "", None],
    # "0.01".."0.80", at most 4 decimals, or null
    "affiliate_commission_rate": [
        "0",
        "0.00",
        "0.0099",
        "0.81",
        "0.8001",
        "1",
        "-0.10",
        "0.12345",
        "15%",
        0.15,
        "1e999999999",
    ],
}


@pytest.mark.parametrize("field", sorted(INVALID))
async def test_invalid_input_is_refused(world: World, field: str) -> None:
    shop = await world.shop()
    for value in INVALID[field]:
        response = await create(world, shop, {**BASE, field: value})
        assert response.status_code == 422, (field, value, response.text)
        assert_invalid(response, field)
    # by currency: price decimals follow the currency
    if field == "price":
        for price, currency in (("1.5", "JPY"), ("1.2345", "KWD"), ("0.001", "CNY")):
            response = await create(world, shop, {**BASE, "price": price, "currency": currency})
            assert_invalid(response, "price")
    listed = await world.ok("GET", products(shop), as_=shop.owner)
    assert listed["items"] == []  # nothing half-written


async def test_required_and_unknown_fields(world: World) -> None:
    shop = await world.shop()
    for missing in BASE:
        body = {key: value for key, value in BASE.items() if key != missing}
        assert_invalid(await create(world, shop, body), missing)
    assert_invalid(await create(world, shop, {**BASE, "colour": "red"}), "colour")
    assert_invalid(await create(world, shop, {**BASE, "id": 7}), "id")
    for body in ([BASE], "sku", None):
        response = await world.call("POST", products(shop), as_=shop.owner, json=body)
        assert_problem(response, 422, "VALIDATION_ERROR")
    assert (await world.ok("GET", products(shop), as_=shop.owner))["items"] == []


async def test_sku_taken_within_a_shop_only(world: World) -> None:
    shop, other = await world.shop(), await world.shop()
    first = await world.product(shop, sku="DUP-1")
    assert_problem(await create(world, shop, {**BASE, "sku": "DUP-1"}), 409, "SKU_TAKEN")
    # an archived product keeps its sku
    await world.ok("DELETE", product_path(shop, first), as_=shop.owner)
    assert_problem(await create(world, shop, {**BASE, "sku": "DUP-1"}), 409, "SKU_TAKEN")
    # the same sku in another shop is fine
    elsewhere = await world.product(other, sku="DUP-1")
    assert elsewhere["shop_id"] == other.id
    # re-skuing onto a taken sku is refused too, and changes nothing
    second = await world.product(shop, sku="DUP-2")
    response = await world.call(
        "PATCH", product_path(shop, second), as_=shop.owner, json={"sku": "DUP-1", "title": "X"}
    )
    assert_problem(response, 409, "SKU_TAKEN")
    assert await world.ok("GET", product_path(shop, second), as_=shop.owner) == second
    renamed = await world.ok(
        "PATCH", product_path(shop, second), as_=shop.owner, json={"sku": "DUP-3"}
    )
    assert renamed["sku"] == "DUP-3"


# --- who may manage products ------------------------------------------------------------------


async def staff(world: World, shop: ShopRef, role: str) -> Person:
    person = await world.person(prefix=role)
    await world.ok(
        "POST",
        f"/sellers/{shop.seller_id}/staff",
        expect=201,
        as_=shop.owner,
        json={"user_id": person.id, "role": role},
    )
    return person


@pytest.mark.parametrize("role", ["admin", "operator"])
async def test_any_staff_may_manage_products(world: World, role: str) -> None:
    shop = await world.shop()
    member = await staff(world, shop, role)
    response = await create(world, shop, BASE, as_=member)
    assert response.status_code == 201, response.text
    product = response.json()
    path = product_path(shop, product)
    patched = await world.ok("PATCH", path, as_=member, json={"stock": 3})
    assert patched["stock"] == 3
    assert (await world.ok("GET", path, as_=member))["stock"] == 3
    assert len((await world.ok("GET", products(shop), as_=member))["items"]) == 1
    archived = await world.ok("DELETE", path, as_=member)
    assert archived["status"] == "archived"
    imported = await world.client.post(
        f"{API}/shops/{shop.id}/products/import",
        content=b"sku,title,price,currency,stock\nOP-1,Op tee,1.00,USD,1\n",
        headers={**member.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == 1


async def test_outsiders_see_nothing(world: World) -> None:
    shop, theirs = await world.shop(), await world.shop()
    product = await world.product(shop)
    path = product_path(shop, product)
    for outsider in (await world.person(), theirs.owner):
        assert_problem(await create(world, shop, BASE, as_=outsider), 404, "NOT_FOUND")
        for method, body in (("GET", None), ("PATCH", {"stock": 1}), ("DELETE", None)):
            response = await world.call(method, path, as_=outsider, json=body)
            assert_problem(response, 404, "NOT_FOUND")
        assert_problem(await world.call("GET", products(shop), as_=outsider), 404, "NOT_FOUND")
        imported = await world.client.post(
            f"{API}/shops/{shop.id}/products/import",
            content=b"sku,title,price,currency,stock\nX-1,Sneaky,1.00,USD,1\n",
            headers={**outsider.headers, "Content-Type": "text/csv"},
        )
        assert_problem(imported, 404, "NOT_FOUND")
    # a product reached through another shop's path does not exist there
    foreign = await world.call("GET", product_path(theirs, product), as_=theirs.owner)
    assert_problem(foreign, 404, "NOT_FOUND")
    foreign = await world.call(
        "PATCH", product_path(theirs, product), as_=theirs.owner, json={"stock": 0}
    )
    assert_problem(foreign, 404, "NOT_FOUND")
    assert await world.ok("GET", path, as_=shop.owner) == product
    assert_problem(
        await world.call("GET", f"/shops/{shop.id}/products/999999", as_=shop.owner),
        404,
        "NOT_FOUND",
    )


async def test_unauthenticated_is_401(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop)
    requests = [
        ("POST", products(shop), BASE),
        ("GET", products(shop), None),
        ("GET", product_path(shop, product), None),
        ("PATCH", product_path(shop, product), {"stock": 1}),
        ("DELETE", product_path(shop, product), None),
    ]
    for method, path, body in requests:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = await world.client.request(method, API + path, json=body, headers=headers)
            assert_problem(response, 401, "UNAUTHENTICATED")
    imported = await world.client.post(
        f"{API}/shops/{shop.id}/products/import",
        content=b"sku,title,price,currency,stock\nX-1,Sneaky,1.00,USD,1\n",
        headers={"Content-Type": "text/csv"},
    )
    assert_problem(imported, 401, "UNAUTHENTICATED")
    assert await world.ok("GET", product_path(shop, product), as_=shop.owner) == product


async def test_closed_shop_refuses_changes(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop)
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    assert_problem(await create(world, shop, BASE), 409, "SHOP_CLOSED")
    response = await world.call(
        "PATCH", product_path(shop, product), as_=shop.owner, json={"stock": 1}
    )
    assert_problem(response, 409, "SHOP_CLOSED")
    imported = await world.import_products(
        shop, "sku,title,price,currency,stock\nX-1,Late,1.00,USD,1\n"
    )
    assert_problem(imported, 409, "SHOP_CLOSED")
    # reading stays possible
    listed = await world.ok("GET", products(shop), as_=shop.owner)
    assert [p["id"] for p in listed["items"]] == [product["id"]]
    assert listed["items"][0]["stock"] == 10


# --- PATCH ------------------------------------------------------------------------------------


async def test_patch_changes_only_what_is_given(world: World) -> None:
    shop = await world.shop()
    product = await world.product(
        shop, description="Cotton.", affiliate_commission_rate="0.15", stock=4
    )
    path = product_path(shop, product)
    await world.advance(60)
    patched = await world.ok("PATCH", path, as_=shop.owner, json={"title": "  Better tee "})
    assert patched["title"] == "Better tee"
    unchanged = {k: v for k, v in product.items() if k not in {"title", "updated_at"}}
    assert {k: patched[k] for k in unchanged} == unchanged
    assert patched["updated_at"] > product["updated_at"]
    assert patched["created_at"] == product["created_at"]
    patched = await world.ok(
        "PATCH",
        path,
        as_=shop.owner,
        json={"price": "21.5", "stock": 0, "description": "", "status": "draft"},
    )
    assert (patched["price"], patched["stock"], patched["description"], patched["status"]) == (
        "21.50",
        0,
        "",
        "draft",
    )
    assert patched["affiliate_commission_rate"] == "0.15"  # omitted: kept
    assert await world.ok("GET", path, as_=shop.owner) == patched


async def test_patch_commission_keep_change_and_close(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop, affiliate_commission_rate="0.15")
    path = product_path(shop, product)
    kept = await world.ok("PATCH", path, as_=shop.owner, json={"stock": 1})
    assert kept["affiliate_commission_rate"] == "0.15"
    changed = await world.ok(
        "PATCH", path, as_=shop.owner, json={"affiliate_commission_rate": "0.125"}
    )
    assert changed["affiliate_commission_rate"] == "0.125"
    closed = await world.ok("PATCH", path, as_=shop.owner, json={"affiliate_commission_rate": None})
    assert closed["affiliate_commission_rate"] is None
    still = await world.ok("PATCH", path, as_=shop.owner, json={"title": "Renamed"})
    assert still["affiliate_commission_rate"] is None
    reopened = await world.ok(
        "PATCH", path, as_=shop.owner, json={"affiliate_commission_rate": "0.3"}
    )
    assert reopened["affiliate_commission_rate"] == "0.30"
    response = await world.call(
        "PATCH", path, as_=shop.owner, json={"affiliate_commission_rate": "0.9"}
    )
    assert_invalid(response, "affiliate_commission_rate")
    assert (await world.ok("GET", path, as_=shop.owner))["affiliate_commission_rate"] == "0.30"


async def test_patch_currency_revalidates_the_price(world: World) -> None:
    shop = await world.shop()
    cents = await world.product(shop, price="19.90", currency="USD")
    path = product_path(shop, cents)
    # 19.90 does not fit JPY (no minor unit): refused, nothing changes
    assert_invalid(
        await world.call("PATCH", path, as_=shop.owner, json={"currency": "JPY"}), "price"
    )
    assert await world.ok("GET", path, as_=shop.owner) == cents
    # ... unless a fitting price comes with it
    yen = await world.ok("PATCH", path, as_=shop.owner, json={"currency": "jpy", "price": "2000"})
    assert (yen["price"], yen["currency"]) == ("2000", "JPY")
    # a price alone is checked against the stored currency
    assert_invalid(await world.call("PATCH", path, as_=shop.owner, json={"price": "1.5"}), "price")
    # a whole number fits any currency; three decimals fit KWD
    dinar = await world.ok("PATCH", path, as_=shop.owner, json={"currency": "KWD"})
    assert (dinar["price"], dinar["currency"]) == ("2000.000", "KWD")
    dinar = await world.ok("PATCH", path, as_=shop.owner, json={"price": "1.125"})
    assert dinar["price"] == "1.125"
    assert_invalid(
        await world.call("PATCH", path, as_=shop.owner, json={"currency": "USD"}), "price"
    )
    assert_invalid(
        await world.call("PATCH", path, as_=shop.owner, json={"currency": "XXX"}), "currency"
    )
    assert (await world.ok("GET", path, as_=shop.owner))["currency"] == "KWD"


async def test_patch_validation(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop)
    path = product_path(shop, product)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": ""}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"sku": "no spaces"}, "sku"),
        ({"price": 5}, "price"),
        ({"price": "-1"}, "price"),
        ({"price": "1.001"}, "price"),
        ({"currency": "DEM"}, "currency"),
        ({"stock": -1}, "stock"),
        ({"stock": 1.5}, "stock"),
        ({"status": "deleted"}, "status"),
        ({"description": "x" * 5001}, "description"),
        ({"affiliate_commission_rate": "0.005"}, "affiliate_commission_rate"),
        ({"affiliate_commission_rate": 0.2}, "affiliate_commission_rate"),
        ({"shop_id": 99}, "shop_id"),
        ({"id": 99}, "id"),
    ]
    for given, field in cases:
        response = await world.call("PATCH", path, as_=shop.owner, json=given)
        assert response.status_code == 422, (given, response.text)
        assert_invalid(response, field)
    assert await world.ok("GET", path, as_=shop.owner) == product


# --- archive (DELETE) -------------------------------------------------------------------------


async def test_archive_is_idempotent(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop)
    path = product_path(shop, product)
    first = await world.ok("DELETE", path, as_=shop.owner)
    assert first["status"] == "archived"
    assert {k: v for k, v in first.items() if k not in {"status", "updated_at"}} == {
        k: v for k, v in product.items() if k not in {"status", "updated_at"}
    }
    again = await world.ok("DELETE", path, as_=shop.owner)
    assert again == first
    assert await world.ok("GET", path, as_=shop.owner) == first
    types = await world.events(shop)
    assert types.count("product.archived") == 1
    # an archived product can come back by PATCH
    back = await world.ok("PATCH", path, as_=shop.owner, json={"status": "active"})
    assert back["status"] == "active"


# --- the seller's list ------------------------------------------------------------------------


async def test_list_pages_in_id_order_and_filters_by_status(world: World) -> None:
    shop, other = await world.shop(), await world.shop()
    made = [await world.product(shop, sku=f"L-{i}") for i in range(5)]
    await world.product(other)  # another shop's products never show
    draft = await world.product(shop, sku="L-draft", status="draft")
    archived = await world.product(shop, sku="L-archived")
    await world.ok("DELETE", product_path(shop, archived), as_=shop.owner)
    everything = [*made, draft, archived]

    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = await world.ok("GET", products(shop), as_=shop.owner, params=params)
        assert len(page["items"]) <= 3
        seen += [p["id"] for p in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [p["id"] for p in everything]
    assert pages == 3

    async def ids(status: str) -> list[int]:
        page = await world.ok(
            "GET", products(shop), as_=shop.owner, params={"status": status, "limit": 200}
        )
        assert page["next_cursor"] is None
        return [p["id"] for p in page["items"]]

    assert await ids("active") == [p["id"] for p in made]
    assert await ids("draft") == [draft["id"]]
    assert await ids("archived") == [archived["id"]]

    first = await world.ok(
        "GET", products(shop), as_=shop.owner, params={"status": "active", "limit": 2}
    )
    second = await world.ok(
        "GET",
        products(shop),
        as_=shop.owner,
        params={"status": "active", "limit": 2, "cursor": first["next_cursor"]},
    )
    assert [p["id"] for p in first["items"] + second["items"]] == [p["id"] for p in made[:4]]


async def test_list_rejects_bad_parameters(world: World) -> None:
    shop = await world.shop()
    for params in (
        {"status": "deleted"},
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"cursor": "garbage"},
        {"cursor": "aWQ6OTk5OTk5OTk5OTk5"},  # "id:999999999999": past every id
    ):
        response = await world.call("GET", products(shop), as_=shop.owner, params=params)
        assert_problem(response, 422, "VALIDATION_ERROR")


# --- events -----------------------------------------------------------------------------------


async def test_product_events(world: World) -> None:
    shop = await world.shop()
    product = await world.product(shop)
    path = product_path(shop, product)
    await world.ok("PATCH", path, as_=shop.owner, json={"stock": 2})
    await world.ok("DELETE", path, as_=shop.owner)
    await world.ok("DELETE", path, as_=shop.owner)
    # refused requests write no event
    await world.call("PATCH", path, as_=shop.owner, json={"price": "bad"})
    await create(world, shop, {**BASE, "sku": product["sku"]})
    items = [e for e in await event_items(world, shop) if e["type"].startswith("product")]
    assert sorted(e["type"] for e in items) == [
        "product.archived",
        "product.created",
        "product.updated",
    ]
    for event in items:
        assert event["data"]["product_id"] == product["id"], event
        assert event["actor"], event


# --- the Shop Page follows the catalog --------------------------------------------------------


async def test_shop_page_shows_exactly_the_active_products(world: World) -> None:
    shop, username = await shop_with_page(world)
    empty = await page_of(world, username)
    assert empty == {"shop": {"id": shop.id, "name": shop.name}, "items": [], "next_cursor": None}

    tee = await world.product(shop, title="Plain cotton tee", price="19.9")
    yen = await world.product(shop, title="Bamboo socks", price="500", currency="JPY", stock=0)
    draft = await world.product(shop, title="Secret draft", status="draft")
    page = await page_of(world, username)
    assert page["items"] == [
        {
            "id": yen["id"],
            "sku": yen["sku"],
            "title": "Bamboo socks",
            "price": "500",
            "currency": "JPY",
            "in_stock": False,
        },
        {
            "id": tee["id"],
            "sku": tee["sku"],
            "title": "Plain cotton tee",
            "price": "19.90",
            "currency": "USD",
            "in_stock": True,
        },
    ]

    async def visible() -> list[int]:
        return [item["id"] for item in (await page_of(world, username))["items"]]

    await world.ok("PATCH", product_path(shop, draft), as_=shop.owner, json={"status": "active"})
    assert await visible() == [draft["id"], yen["id"], tee["id"]]
    await world.ok("PATCH", product_path(shop, tee), as_=shop.owner, json={"status": "draft"})
    assert await visible() == [draft["id"], yen["id"]]
    await world.ok("DELETE", product_path(shop, yen), as_=shop.owner)
    assert await visible() == [draft["id"]]
    await world.ok("PATCH", product_path(shop, yen), as_=shop.owner, json={"status": "active"})
    await world.ok("PATCH", product_path(shop, tee), as_=shop.owner, json={"status": "active"})
    assert await visible() == [draft["id"], yen["id"], tee["id"]]
    # stock and price changes show at once too
    await world.ok(
        "PATCH", product_path(shop, yen), as_=shop.owner, json={"stock": 5, "price": "480"}
    )
    item = (await page_of(world, username))["items"][1]
    assert (item["in_stock"], item["price"]) == (True, "480")


async def test_search_follows_renames_and_status(world: World) -> None:
    shop, username = await shop_with_page(world)
    other, other_username = await shop_with_page(world)
    shoes = await world.product(shop, title="Trail running shoes", description="Grippy soles")
    await world.product(shop, title="Wool beanie")
    await world.product(other, title="Running shoes from elsewhere")
    assert await titles(world, username, q="running") == ["Trail running shoes"]
    assert await titles(world, username, q="RUNNING Shoe") == ["Trail running shoes"]
    assert await titles(world, username, q="grippy") == ["Trail running shoes"]
    assert await titles(world, other_username, q="running") == ["Running shoes from elsewhere"]

    path = product_path(shop, shoes)
    await world.ok("PATCH", path, as_=shop.owner, json={"title": "Hiking boots"})
    assert await titles(world, username, q="running") == []
    assert await titles(world, username, q="hiking") == ["Hiking boots"]
    assert await titles(world, username, q="grippy") == ["Hiking boots"]
    await world.ok("PATCH", path, as_=shop.owner, json={"description": "Waterproof"})
    assert await titles(world, username, q="grippy") == []
    assert await titles(world, username, q="waterproof") == ["Hiking boots"]

    await world.ok("PATCH", path, as_=shop.owner, json={"status": "draft"})
    assert await titles(world, username, q="hiking") == []
    await world.ok("PATCH", path, as_=shop.owner, json={"status": "active"})
    assert await titles(world, username, q="hiking") == ["Hiking boots"]
    await world.ok("DELETE", path, as_=shop.owner)
    assert await titles(world, username, q="hiking") == []
    await world.ok(
        "PATCH", path, as_=shop.owner, json={"status": "active", "title": "Hiking poles"}
    )
    assert await titles(world, username, q="hiking") == ["Hiking poles"]
    assert await titles(world, username, q="boots") == []
    # a query with no searchable terms finds nothing instead of failing
    assert await titles(world, username, q="!!!") == []


async def test_search_ranks_title_matches_first(world: World) -> None:
    shop, username = await shop_with_page(world)
    in_description = await world.product(
        shop, title="Canvas tote", description="Pairs well with a zephyr scarf"
    )
    in_title = await world.product(shop, title="Zephyr scarf", description="Light wool")
    await world.product(shop, title="Wool gloves")
    hits = (await page_of(world, username, q="zephyr"))["items"]
    assert [item["id"] for item in hits] == [in_title["id"], in_description["id"]]
    # the last word may be half typed
    assert [i["id"] for i in (await page_of(world, username, q="zeph"))["items"]] == [
        in_title["id"],
        in_description["id"],
    ]


async def test_shop_page_pages_without_duplicates(world: World) -> None:
    shop, username = await shop_with_page(world)
    made = [await world.product(shop, title=f"Striped scarf {i}") for i in range(7)]
    await world.product(shop, title="Unrelated mug")
    newest_first = await walk(world, username, limit=3)
    ids = [item["id"] for item in newest_first]
    assert len(ids) == len(set(ids)) == 8
    assert ids == sorted(ids, reverse=True)

    hits = await walk(world, username, q="scarf", limit=3)
    hit_ids = [item["id"] for item in hits]
    assert len(hit_ids) == len(set(hit_ids)) == 7
    assert set(hit_ids) == {p["id"] for p in made}

    # an archive between two pages neither repeats nor skips what is still there
    first = await page_of(world, username, limit=3)
    await world.ok("DELETE", product_path(shop, made[0]), as_=shop.owner)
    rest = await walk_from(world, username, first["next_cursor"], limit=3)
    got = [i["id"] for i in first["items"]] + [i["id"] for i in rest]
    assert len(got) == len(set(got))
    assert set(got) == set(ids) - {made[0]["id"]}


async def walk_from(
    world: World, username: str, cursor: str | None, **params: Any
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while cursor is not None:
        page = await page_of(world, username, cursor=cursor, **params)
        items += page["items"]
        cursor = page["next_cursor"]
    return items


async def test_shop_page_rejects_bad_parameters(world: World) -> None:
    _, username = await shop_with_page(world)
    path = f"/profiles/{username}/shop-page"
    for params in (
        {"limit": 0},
        {"limit": 201},
        {"cursor": "garbage"},
        {"q": "shoe", "cursor": "garbage"},
        {"q": "x" * 201},
    ):
        assert_problem(await public_get(world, path, **params), 422, "VALIDATION_ERROR")


async def test_shop_page_is_only_for_an_active_official_account_of_an_open_shop(
    world: World,
) -> None:
    shop, username = await shop_with_page(world)
    await world.product(shop)
    assert len((await page_of(world, username))["items"]) == 1
    assert len((await page_of(world, username.upper()))["items"]) == 1

    async def absent(name: str) -> None:
        response = await public_get(world, f"/profiles/{name}/shop-page")
        assert_problem(response, 404, "NOT_FOUND")

    await absent("nobody.here")
    # a personal account bound to nothing
    loner = await world.account()
    await absent(loner.username)
    # a shop's marketing account has a showcase, not a Shop Page
    marketing = await world.bound_marketing(shop)
    await absent(marketing.username)
    # an official link still waiting for authorization and review
    pending_shop = await world.shop()
    await world.product(pending_shop)
    pending = await world.account()
    await world.request_official(pending_shop, pending)
    await absent(pending.username)
    # closing the shop closes its page
    await world.ok("POST", f"/shops/{shop.id}/close", as_=shop.owner)
    await absent(username)
