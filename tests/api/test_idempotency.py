from __future__ import annotations

from tests.factories import World, assert_problem


async def test_repeat_with_same_key_replays_the_first_response(world: World) -> None:
    shop = await world.shop()
    body = {"seller_id": shop.seller_id, "name": "Twin", "region": "US"}
    headers = {"Idempotency-Key": "create-twin"}
    first = await world.call("POST", "/shops", as_=shop.owner, json=body, headers=headers)
    second = await world.call("POST", "/shops", as_=shop.owner, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    page = await world.ok("GET", "/shops", as_=shop.owner)
    assert [s["name"] for s in page["items"]].count("Twin") == 1


async def test_same_key_with_another_body_is_422(world: World) -> None:
    shop = await world.shop()
    headers = {"Idempotency-Key": "k1"}
    body = {"seller_id": shop.seller_id, "name": "One", "region": "US"}
    await world.call("POST", "/shops", as_=shop.owner, json=body, headers=headers)
    response = await world.call(
        "POST", "/shops", as_=shop.owner, json={**body, "name": "Two"}, headers=headers
    )
    assert_problem(response, 422, "IDEMPOTENCY_KEY_REUSED")


async def test_keys_are_per_caller(world: World) -> None:
    shop_a, shop_b = await world.shop(), await world.shop()
    headers = {"Idempotency-Key": "shared"}
    for shop in (shop_a, shop_b):
        body = {"seller_id": shop.seller_id, "name": "Mine", "region": "US"}
        response = await world.call("POST", "/shops", as_=shop.owner, json=body, headers=headers)
        assert response.status_code == 201
        assert response.json()["seller_id"] == shop.seller_id


async def test_a_refused_request_writes_nothing_and_replays_the_refusal(world: World) -> None:
    shop = await world.shop()
    await world.request_official(shop, await world.account())
    headers = {"Idempotency-Key": "second-official"}
    body = {"method": "link_existing", "username": (await world.account()).username}
    before = await world.events(shop)
    path = f"/shops/{shop.id}/official-account"
    first = await world.call("POST", path, as_=shop.owner, json=body, headers=headers)
    assert_problem(first, 409, "OFFICIAL_ACCOUNT_EXISTS")
    again = await world.call("POST", path, as_=shop.owner, json=body, headers=headers)
    assert again.json() == first.json()
    assert await world.events(shop) == before
