from __future__ import annotations

import httpx

from shoplink.app import create_app
from shoplink.config import Settings
from tests.factories import World, assert_problem


async def test_health_readiness_metrics_and_openapi(world: World) -> None:
    client = world.client
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ready"
    await world.shop()
    metrics = await client.get("/metrics")
    assert "shoplink_http_requests_total" in metrics.text
    assert 'route="/api/v1/shops"' in metrics.text
    spec = (await client.get("/openapi.json")).json()
    assert "/api/v1/shops/{shop_id}/official-account" in spec["paths"]


async def test_test_clock_exists_only_when_enabled(sqlite_url: str) -> None:
    app = create_app(
        Settings(
            database_url=sqlite_url, admin_token="t", password_time_cost=1, password_memory_kib=1024
        )
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        response = await client.post(
            "/api/v1/test-clock",
            json={"advance_seconds": 5},
            headers={"Authorization": "Bearer t"},
        )
    assert_problem(response, 404, "NOT_FOUND")


async def test_unknown_route_and_malformed_json_are_problems(world: World) -> None:
    assert_problem(await world.call("GET", "/nope"), 404, "NOT_FOUND")
    response = await world.client.post(
        "/api/v1/shops",
        content=b"{not json",
        headers={
            **world.admin_headers,
            "content-type": "application/json",
        },
    )
    assert_problem(response, 422, "VALIDATION_ERROR")


async def test_missing_token_is_401_and_bad_login_is_401(world: World) -> None:
    response = await world.client.get("/api/v1/shops")
    assert_problem(response, 401, "UNAUTHENTICATED")
    login = await world.client.post(
        "/api/v1/auth/token", json={"username": "ghost", "password": "wrong"}
    )
    assert_problem(login, 401, "UNAUTHENTICATED")


async def test_validation_errors_name_the_fields(world: World) -> None:
    response = await world.call("POST", "/sellers", json={"entity_type": "alien"})
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    fields = {error["field"] for error in body["errors"]}
    assert {"body.entity_name", "body.entity_type", "body.region"} <= fields


async def test_pagination_walks_every_shop_once(world: World) -> None:
    shop = await world.shop()
    for index in range(4):
        await world.ok(
            "POST",
            "/shops",
            expect=201,
            as_=shop.owner,
            json={
                "seller_id": shop.seller_id,
                "name": f"Extra {index}",
                "region": "US",
            },
        )
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = await world.ok("GET", "/shops", as_=shop.owner, params=params)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    bad = await world.call("GET", "/shops", as_=shop.owner, params={"cursor": "garbage!"})
    assert_problem(bad, 422, "VALIDATION_ERROR")


async def test_login_with_unstorable_text_is_422_not_500(world: World) -> None:
    # Raw JSON: a lone surrogate is valid JSON but cannot be encoded by the client library.
    for raw in (
        rb'{"username": "\u00ad\u0000", "password": "x"}',
        rb'{"username": "a", "password": "\ud800"}',
    ):
        response = await world.client.post(
            "/api/v1/auth/token", content=raw, headers={"content-type": "application/json"}
        )
        assert_problem(response, 422, "VALIDATION_ERROR")
