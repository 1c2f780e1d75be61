from __future__ import annotations

from tests.factories import World, assert_problem


async def test_product_shop_page_and_search(world: World) -> None:
    shop = await world.shop()
    org = await world.create_organization(shop, "acme.official")
    await world.product(shop, title="Trail Running Shoes", description="Grippy soles")
    await world.product(shop, title="男子跑步鞋 轻便透气", currency="CNY", price="299.00")
    draft = await world.product(shop, title="Secret running gear", status="draft")
    page = await world.shop_page("acme.official")
    assert [i["title"] for i in page["items"]] == ["男子跑步鞋 轻便透气", "Trail Running Shoes"]
    hits = await world.shop_page("acme.official", q="running shoe")
    assert [i["title"] for i in hits["items"]] == ["Trail Running Shoes"]
    hits = await world.shop_page("acme.official", q="跑步鞋")
    assert [i["title"] for i in hits["items"]] == ["男子跑步鞋 轻便透气"]
    profile = await world.ok("GET", "/profiles/acme.official")
    assert profile["enter_store"] is True and profile["shop"]["id"] == shop.id
    assert org["status"] == "active"
    await world.ok(
        "PATCH",
        f"/shops/{shop.id}/products/{draft['id']}",
        as_=shop.owner,
        json={"status": "active"},
    )
    hits = await world.shop_page("acme.official", q="running")
    assert len(hits["items"]) == 2


async def test_import_csv(world: World) -> None:
    shop = await world.shop()
    body = "sku,title,price,currency,stock\nA1,Red dress,10.00,USD,3\nA2,,1,USD,1\nA1,Red dress v2,11.00,USD,3\n"
    response = await world.import_products(shop, body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["created"] == 1 and result["updated"] == 1
    assert result["errors"][0]["line"] == 3
    bad = await world.import_products(shop, "nope\n1\n")
    assert_problem(bad, 422, "VALIDATION_ERROR")
    listed = await world.ok("GET", f"/shops/{shop.id}/products", as_=shop.owner)
    assert [p["title"] for p in listed["items"]] == ["Red dress v2"]
