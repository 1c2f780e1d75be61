"""Catalog races between two real server processes sharing one database (SQLite and PostgreSQL):
a taken sku, archiving a product while affiliates add it, and two imports of the same skus.

Setup goes through the API; the racing requests leave at once, alternating between the
processes (`fire`); afterwards what the database holds is read back through the API.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.concurrency.conftest import Race
from tests.concurrency.test_races import Call, accounts, fire, pages, tally
from tests.factories import API, AccountRef, ShopRef, World, unique

pytestmark = pytest.mark.slow

IMPORT_SKUS = 3000


async def products(world: World, shop: ShopRef) -> list[dict[str, Any]]:
    return await pages(world, f"/shops/{shop.id}/products", as_=shop.owner)


async def showcase_ids(world: World, account: AccountRef) -> set[int]:
    return {item["product_id"] for item in await pages(world, f"/accounts/{account.id}/showcase")}


async def test_one_product_per_sku_under_a_burst(race: Race) -> None:
    world = race.world
    shop = await world.shop(owner=race.seller)
    sku = unique("RACE-")

    def create(i: int) -> Call:
        body = {
            "sku": sku,
            "title": f"Racing product {i}",
            "price": "10.00",
            "currency": "USD",
            "stock": 1,
        }
        return lambda w: w.call("POST", f"/shops/{shop.id}/products", as_=shop.owner, json=body)

    responses = await fire(race, [create(i) for i in range(20)])

    assert tally(responses) == {(201, None): 1, (409, "SKU_TAKEN"): 19}
    (winner,) = [r.json() for r in responses if r.status_code == 201]
    listed = await products(world, shop)
    assert [(p["id"], p["sku"], p["title"]) for p in listed] == [
        (winner["id"], sku, winner["title"])
    ]


async def test_archive_racing_showcase_adds_leaves_no_showcase_with_the_product(
    race: Race,
) -> None:
    world = race.world
    shop = await world.shop(owner=race.seller)
    product = await world.product(
        shop, title="Contested tee", affiliate_commission_rate="0.10", price="20.00"
    )
    holders, racers = (lambda a: (a[:10], a[10:]))(await accounts(race, 20))

    def add(account: AccountRef) -> Call:
        return lambda w: w.call(
            "POST",
            f"/accounts/{account.id}/showcase",
            as_=race.owner,
            json={"product_id": product["id"]},
        )

    # Unlinked affiliates in the shop's region: the product is in ten showcases.
    added = await asyncio.gather(*(add(a)(race.via(i)) for i, a in enumerate(holders)))
    assert [r.status_code for r in added] == [201] * 10, [r.text for r in added]
    for account in holders:
        assert await showcase_ids(world, account) == {product["id"]}

    archive: Call = lambda w: w.call(  # noqa: E731
        "DELETE", f"/shops/{shop.id}/products/{product['id']}", as_=shop.owner
    )
    calls = [add(a) for a in racers]
    calls.insert(1, archive)  # early: some adds land before it, some after
    responses = await fire(race, calls)

    counts = tally(responses)
    assert set(counts) <= {(200, None), (201, None), (409, "INVALID_STATE")}, counts
    assert counts[(200, None)] == 1, counts  # the archive; an add answers 201 or 409
    archived = await world.ok("GET", f"/shops/{shop.id}/products/{product['id']}", as_=shop.owner)
    assert archived["status"] == "archived"

    everyone = [*holders, *racers]
    for account in everyone:
        assert product["id"] not in await showcase_ids(world, account), account
    # Reading hides archived products anyway; putting the product back on sale shows whether
    # any showcase row survived the archive (an add that slipped in after its delete).
    await world.ok(
        "PATCH",
        f"/shops/{shop.id}/products/{product['id']}",
        as_=shop.owner,
        json={"status": "active"},
    )
    for account in everyone:
        assert product["id"] not in await showcase_ids(world, account), account


def _csv(skus: list[str], title: str) -> str:
    lines = ["sku,title,price,currency,stock"]
    lines += [f"{sku},{title} {sku},1.00,USD,5" for sku in skus]
    return "\n".join(lines) + "\n"


async def test_two_imports_of_the_same_skus(race: Race) -> None:
    world = race.world
    shop = await world.shop(owner=race.seller)
    skus = [f"IMP-{i:05d}" for i in range(IMPORT_SKUS)]
    files = {name: _csv(skus, name).encode() for name in ("Alpha", "Bravo")}

    def upload(body: bytes) -> Call:
        return lambda w: w.client.post(
            f"{API}/shops/{shop.id}/products/import",
            content=body,
            headers={**shop.owner.headers, "Content-Type": "text/csv"},
        )

    responses = await fire(race, [upload(body) for body in files.values()])

    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    results = [r.json() for r in responses]
    assert all(result["errors"] == [] for result in results), results
    assert sum(result["created"] for result in results) == IMPORT_SKUS, results
    assert sum(result["updated"] for result in results) == IMPORT_SKUS, results

    listed = await products(world, shop)
    assert len(listed) == IMPORT_SKUS
    assert sorted(p["sku"] for p in listed) == skus
    for item in listed:
        assert item["title"] in {f"Alpha {item['sku']}", f"Bravo {item['sku']}"}, item
