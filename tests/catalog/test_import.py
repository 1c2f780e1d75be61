"""Bulk import (SPEC §4): CSV and NDJSON upserts by sku, per-line errors with physical line
numbers, header errors that write nothing, idempotency, the Shop Page after an import, and a
100,000-line import on both backends."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from shoplink.catalog import line_checks
from shoplink.catalog.schemas import ProductIn
from tests.factories import API, ShopRef, World, assert_problem, unique

HEADER = "sku,title,price,currency,stock"
NDJSON = "application/x-ndjson"


def ok_result(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    result: dict[str, Any] = response.json()
    assert set(result) == {"created", "updated", "errors", "error_count", "lines"}
    return result


def csv(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def ndjson(*objects: Any) -> str:
    return "".join((o if isinstance(o, str) else orjson.dumps(o).decode()) + "\n" for o in objects)


def product(sku: str, **fields: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "title": f"Item {sku}",
        "price": "1.00",
        "currency": "USD",
        "stock": 1,
        **fields,
    }


async def catalog(world: World, shop: ShopRef) -> dict[str, dict[str, Any]]:
    """Every product of the shop, by sku."""
    found: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = {"limit": 200}
    while True:
        page = await world.ok("GET", f"/shops/{shop.id}/products", as_=shop.owner, params=params)
        found.update({p["sku"]: p for p in page["items"]})
        if page["next_cursor"] is None:
            return found
        params["cursor"] = page["next_cursor"]


def errors_by_line(result: dict[str, Any]) -> dict[int, str]:
    return {e["line"]: e["code"] for e in result["errors"]}


async def page_of(world: World, username: str, **params: Any) -> dict[str, Any]:
    response = await world.client.get(f"{API}/profiles/{username}/shop-page", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def imported_events(world: World, shop: ShopRef) -> list[dict[str, Any]]:
    page = await world.ok("GET", f"/shops/{shop.id}/events", as_=shop.owner, params={"limit": 200})
    return [e for e in page["items"] if e["type"] == "products.imported"]


# --- happy paths ------------------------------------------------------------------------------


async def test_csv_creates_products(world: World) -> None:
    shop = await world.shop()
    body = csv(
        "title, sku ,price,currency,stock,description,status,affiliate_commission_rate",
        'Red dress,D-1,19.9,usd,3,"Cotton, midi length",active,0.15',
        "Blue dress,D-2,2000,JPY,0,,draft,",
        "Green dress,D-3,1.5,KWD,7,,,0.125",
    )
    result = ok_result(await world.import_products(shop, body))
    assert result == {"created": 3, "updated": 0, "errors": [], "error_count": 0, "lines": 3}
    products = await catalog(world, shop)
    assert set(products) == {"D-1", "D-2", "D-3"}
    red, blue, green = products["D-1"], products["D-2"], products["D-3"]
    assert (red["title"], red["price"], red["currency"], red["stock"]) == (
        "Red dress",
        "19.90",
        "USD",
        3,
    )
    assert (red["description"], red["status"], red["affiliate_commission_rate"]) == (
        "Cotton, midi length",
        "active",
        "0.15",
    )
    # an empty optional cell is "not given": the defaults
    assert (blue["price"], blue["description"], blue["status"]) == ("2000", "", "draft")
    assert blue["affiliate_commission_rate"] is None
    assert (green["price"], green["status"], green["affiliate_commission_rate"]) == (
        "1.500",
        "active",
        "0.125",
    )
    events = await imported_events(world, shop)
    assert len(events) == 1
    assert events[0]["data"]["created"] == 3


async def test_ndjson_creates_products(world: World) -> None:
    shop = await world.shop()
    body = ndjson(
        product("N-1", title="Linen shirt", price="25", description="Breathable\nlinen"),
        "",
        "   ",
        product("N-2", status="draft", affiliate_commission_rate="0.3", stock=0),
        product("N-3", affiliate_commission_rate=None, currency="eur"),
    )
    result = ok_result(
        await world.import_products(shop, body, content_type=NDJSON + "; charset=utf-8")
    )
    assert result == {"created": 3, "updated": 0, "errors": [], "error_count": 0, "lines": 3}
    products = await catalog(world, shop)
    assert (products["N-1"]["price"], products["N-1"]["description"]) == (
        "25.00",
        "Breathable\nlinen",
    )
    assert (products["N-2"]["status"], products["N-2"]["affiliate_commission_rate"]) == (
        "draft",
        "0.30",
    )
    assert products["N-3"]["currency"] == "EUR"
    assert products["N-3"]["affiliate_commission_rate"] is None


async def test_import_upserts_by_sku_replacing_every_field(world: World) -> None:
    shop = await world.shop()
    existing = await world.product(
        shop,
        sku="U-1",
        title="Old title",
        description="Old description",
        affiliate_commission_rate="0.20",
        status="draft",
        stock=9,
    )
    body = csv(HEADER, "U-1,New title,5.00,USD,2", "U-2,Brand new,6.00,USD,1")
    result = ok_result(await world.import_products(shop, body))
    assert (result["created"], result["updated"], result["error_count"]) == (1, 1, 0)
    updated = (await catalog(world, shop))["U-1"]
    assert updated["id"] == existing["id"]
    assert updated["created_at"] == existing["created_at"]
    # what the line did not carry is reset to the defaults, not kept
    assert (updated["title"], updated["price"], updated["stock"]) == ("New title", "5.00", 2)
    assert (updated["description"], updated["status"]) == ("", "active")
    assert updated["affiliate_commission_rate"] is None
    # an import may archive
    archive = csv(HEADER + ",status", "U-2,Brand new,6.00,USD,1,archived")
    result = ok_result(await world.import_products(shop, archive))
    assert (result["created"], result["updated"]) == (0, 1)
    assert (await catalog(world, shop))["U-2"]["status"] == "archived"


async def test_duplicate_sku_last_line_wins(world: World) -> None:
    shop = await world.shop()
    body = csv(
        HEADER,
        "S-1,First,1.00,USD,1",
        "S-2,Other,1.00,USD,1",
        "S-1,Second,2.00,USD,2",
        "S-1,Third,3.00,USD,3",
    )
    result = ok_result(await world.import_products(shop, body))
    assert (result["created"], result["updated"], result["lines"]) == (2, 2, 4)
    s1 = (await catalog(world, shop))["S-1"]
    assert (s1["title"], s1["price"], s1["stock"]) == ("Third", "3.00", 3)
    # a failing later line does not undo an earlier good one
    body = csv(HEADER, "S-1,Fourth,4.00,USD,4", "S-1,Fifth,bad,USD,5")
    result = ok_result(await world.import_products(shop, body))
    assert (result["created"], result["updated"], errors_by_line(result)) == (
        0,
        1,
        {3: "VALIDATION_ERROR"},
    )
    assert (await catalog(world, shop))["S-1"]["title"] == "Fourth"


async def test_batches_of_a_thousand_each_commit_with_an_event(world: World) -> None:
    shop = await world.shop()
    rows = [f"B-{i},Batch item {i},1.00,USD,1" for i in range(1000)]
    # line 1002 repeats the sku of line 2, in the second batch: an update
    body = csv(HEADER, *rows, "B-0,Batch item again,2.00,USD,1", "B-1000,Last,1.00,USD,1")
    result = ok_result(await world.import_products(shop, body))
    assert (result["created"], result["updated"], result["lines"]) == (1001, 1, 1002)
    events = sorted(await imported_events(world, shop), key=lambda e: e["id"])
    assert len(events) == 2
    assert [(e["data"]["created"], e["data"]["updated"]) for e in events] == [(1000, 0), (1, 1)]
    assert (await catalog(world, shop))["B-0"]["title"] == "Batch item again"


# --- per-line errors --------------------------------------------------------------------------


async def test_csv_line_errors_carry_physical_line_numbers(world: World) -> None:
    shop = await world.shop()
    body = csv(
        HEADER + ",description",  # 1
        "OK-1,Fine,1.00,USD,1,",  # 2
        "bad sku,Fine,1.00,USD,1,",  # 3 sku
        "E-4,,1.00,USD,1,",  # 4 title
        "E-5,Fine,1.999,USD,1,",  # 5 price
        "E-6,Fine,1.00,XXX,1,",  # 6 currency
        "E-7,Fine,1.00,USD,-1,",  # 7 stock
        "E-8,Fine,1.00,USD",  # 8 too few cells
        "E-9,Fine,1.00,USD,1,,extra",  # 9 too many cells
        "",  # 10 blank: skipped
        'OK-2,Fine,1.00,USD,1,"two',  # 11 a quoted cell over
        'lines, fine"',  # 12   two lines: fine
        'E-13,Fine,1.5,JPY,1,"three',  # 13 a bad record over
        "physical",  # 14
        'lines"',  # 15
        'E-16,"Tab\there",1.00,USD,1,',  # 16 title with a control character
        'E-17,"x"y,1.00,USD,1,',  # 17 unreadable quoting
        "OK-3,Fine,1.00,USD,1,",  # 18
        "E-19,Fine,1.00,USD,1.5,",  # 19 stock
        "E-20,Fine,1.00,USD,1,\x07",  # 20 description with a control character
    )
    result = ok_result(await world.import_products(shop, body))
    assert errors_by_line(result) == {
        3: "VALIDATION_ERROR",
        4: "VALIDATION_ERROR",
        5: "VALIDATION_ERROR",
        6: "VALIDATION_ERROR",
        7: "VALIDATION_ERROR",
        8: "MALFORMED_LINE",
        9: "MALFORMED_LINE",
        13: "VALIDATION_ERROR",
        16: "VALIDATION_ERROR",
        17: "MALFORMED_LINE",
        19: "VALIDATION_ERROR",
        20: "VALIDATION_ERROR",
    }
    assert [e["line"] for e in result["errors"]] == sorted(errors_by_line(result))
    assert (result["created"], result["updated"], result["error_count"]) == (3, 0, 12)
    messages = {e["line"]: e["message"] for e in result["errors"]}
    for line, field in {
        3: "sku",
        4: "title",
        5: "price",
        6: "currency",
        7: "stock",
        13: "price",
        16: "title",
        19: "stock",
        20: "description",
    }.items():
        assert field in messages[line], (line, messages[line])
    products = await catalog(world, shop)
    assert set(products) == {"OK-1", "OK-2", "OK-3"}
    assert products["OK-2"]["description"] == "two\nlines, fine"


async def test_ndjson_line_errors_carry_physical_line_numbers(world: World) -> None:
    shop = await world.shop()
    body = ndjson(
        product("OK-1"),  # 1
        "{not json",  # 2
        "[1, 2]",  # 3 not an object
        '"a string"',  # 4
        "null",  # 5
        "",  # 6 blank: skipped
        product("E-7", price=1.5),  # 7 price as a JSON number
        product("E-8", colour="red"),  # 8 unknown field
        {"sku": "E-9", "title": "No price", "currency": "USD", "stock": 1},  # 9
        product("E-10", stock=-5),  # 10
        product("E-11", affiliate_commission_rate="0.9"),  # 11
        product("E-12", status="deleted"),  # 12
        product("OK-2"),  # 13
        product("E-14", title="x" * 201),  # 14
        product("E-15", price="1e999999999"),  # 15
    )
    result = ok_result(await world.import_products(shop, body, content_type=NDJSON))
    assert errors_by_line(result) == {
        2: "MALFORMED_LINE",
        3: "MALFORMED_LINE",
        4: "MALFORMED_LINE",
        5: "MALFORMED_LINE",
        7: "VALIDATION_ERROR",
        8: "VALIDATION_ERROR",
        9: "VALIDATION_ERROR",
        10: "VALIDATION_ERROR",
        11: "VALIDATION_ERROR",
        12: "VALIDATION_ERROR",
        14: "VALIDATION_ERROR",
        15: "VALIDATION_ERROR",
    }
    messages = {e["line"]: e["message"] for e in result["errors"]}
    for line, field in {
        7: "price",
        8: "colour",
        9: "price",
        10: "stock",
        11: "affiliate_commission_rate",
        12: "status",
        14: "title",
        15: "price",
    }.items():
        assert field in messages[line], (line, messages[line])
    assert (result["created"], result["error_count"]) == (2, 12)
    assert set(await catalog(world, shop)) == {"OK-1", "OK-2"}


async def test_invalid_utf8_fails_only_its_line(world: World) -> None:
    shop = await world.shop()
    body = (
        HEADER.encode()
        + b"\n"
        + b"OK-1,Fine,1.00,USD,1\n"
        + b"BAD-1,Caf\xe9 au lait,1.00,USD,1\n"  # Latin-1, not UTF-8
        + b"OK-2,Caf\xc3\xa9 cr\xc3\xa8me,1.00,USD,1\n"
        + b"BAD-2,Broken \xc3,1.00,USD,1\n"  # truncated sequence
        + b"OK-3,Fine,1.00,USD,1\n"
    )
    result = ok_result(await world.import_products(shop, body))
    assert errors_by_line(result) == {3: "VALIDATION_ERROR", 5: "VALIDATION_ERROR"}
    assert result["created"] == 3
    products = await catalog(world, shop)
    assert set(products) == {"OK-1", "OK-2", "OK-3"}
    assert products["OK-2"]["title"] == "Café crème"

    lines = [
        orjson.dumps(product("OK-4")),
        b'{"sku": "BAD-3", "title": "Caf\xe9", "price": "1", "currency": "USD", "stock": 1}',
        orjson.dumps(product("OK-5")),
    ]
    result = ok_result(
        await world.import_products(shop, b"\n".join(lines) + b"\n", content_type=NDJSON)
    )
    assert [e["line"] for e in result["errors"]] == [2]
    assert result["created"] == 2


async def test_errors_list_the_first_thousand_and_count_all(world: World) -> None:
    shop = await world.shop()
    bad = [f"BAD-{i},Fine,oops,USD,1" for i in range(1200)]
    body = csv(HEADER, *bad, "OK-1,Fine,1.00,USD,1")
    result = ok_result(await world.import_products(shop, body))
    assert (result["created"], result["error_count"], result["lines"]) == (1, 1200, 1201)
    assert len(result["errors"]) == 1000
    assert [e["line"] for e in result["errors"]] == list(range(2, 1002))
    assert set(await catalog(world, shop)) == {"OK-1"}


# --- the plain checks of a line ---------------------------------------------------------------

# Near misses of each field: padding, types, bounds, look-alike digits, and good values.
SAMPLES: dict[str, list[Any]] = {
    "sku": ["A-1", "sku.1_x", " A-1", "A-1 ", "a b", "x" * 64, "x" * 65, "", "é", 7],
    "title": [
        "Fine",
        " Fine",
        "Fine\u3000",
        "x" * 200,
        "x" * 201,
        "",
        "Tab\there",
        "x\x1c",
        "x\x85",
        "Caf\udce9",
        "跑步鞋",
        "\u200bx",
    ],
    "description": ["", "Two\nlines", "\nLead", "Tab\tok", "Bell\x07", "x" * 5001, None, "é"],
    "price": [
        "1",
        "1.00",
        "19.9",
        "1.999",
        " 1.5",
        "1e2",
        "-1",
        "1_0",
        "\uff11",
        "0",
        ".5",
        "5.",
        "+1",
        "NaN",
        "1000000000000000",
        "10000000000000.01",
        "x" * 33,
        1.5,
        2,
    ],
    "currency": ["USD", "usd", " USD", "JPY", "KWD", "XXX", "\uff35\uff33\uff24", "usdd", "", None],
    "stock": [
        0,
        1,
        -1,
        True,
        False,
        "3",
        "007",
        " 3",
        "1.5",
        10**12,
        10**12 + 1,
        "1_000",
        "1000000000001",
        "\uff11",
        1.0,
        "-0",
        "+3",
        None,
        "",
    ],
    "status": ["active", "draft", "archived", "deleted", "", None, " active", 1],
    "affiliate_commission_rate": [
        "0.10",
        "0.1",
        "0.9",
        "",
        None,
        " 0.1",
        "0.12345",
        "0.01",
        "0.8",
        "0.80001",
        "1e-1",
        0.1,
    ],
}
ANY_VALUE = st.one_of(st.text(max_size=6), st.integers(), st.none(), st.booleans(), st.floats())


def line_values(field: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(SAMPLES[field]), ANY_VALUE)


@st.composite
def near_products(draw: st.DrawFn) -> dict[str, Any]:
    """A good line with up to three fields changed or left out."""
    record = product("OK-1")
    for field in draw(st.lists(st.sampled_from([*SAMPLES, "colour"]), max_size=3, unique=True)):
        if draw(st.booleans()):
            record.pop(field, None)
        else:
            record[field] = draw(line_values(field) if field in SAMPLES else ANY_VALUE)
    return record


def model_row(record: dict[str, Any]) -> tuple[Any, ...] | None:
    try:
        product = ProductIn.model_validate(record)
    except ValidationError:
        return None
    return line_checks.row_of(product)


@settings(max_examples=1000)
@given(near_products())
@example(product("OK-1", stock="007", currency="usd", affiliate_commission_rate="0.125"))
def test_plain_checks_accept_only_what_the_model_accepts_and_read_it_alike(
    record: dict[str, Any],
) -> None:
    """Lines of a well-kept file skip ProductIn; anything else is left to it, errors and all."""
    plain = line_checks.plain_line(record)
    if plain is not None:
        assert plain == model_row(record)


def test_well_kept_lines_take_the_plain_checks() -> None:
    csv_line = {**product("OK-1", stock="3"), "description": "Soft", "status": "draft"}
    for record in (product("OK-1"), csv_line, product("OK-2", affiliate_commission_rate="0.1")):
        assert line_checks.plain_line(record) == model_row(record) is not None


# --- the header -------------------------------------------------------------------------------


BAD_HEADERS = [
    "sku,title,price,currency",  # stock missing
    "sku,title,price,currency,stock,colour",  # unknown column
    "sku,title,price,currency,stock,sku",  # duplicate column
    "sku,title,price,currency,stock,description,description",
    "sku,title,price,currency,stock,",  # an unnamed column
    "SKU,TITLE,PRICE,CURRENCY,STOCK",
    "sku;title;price;currency;stock",
    "OK-1,Fine,1.00,USD,1",  # no header at all
    "",  # a blank first line
]


async def test_header_errors_write_nothing(world: World) -> None:
    shop = await world.shop()
    for header in BAD_HEADERS:
        body = csv(header, "OK-1,Fine,1.00,USD,1", "OK-2,Fine,1.00,USD,1")
        response = await world.import_products(shop, body)
        assert response.status_code == 422, (header, response.text)
        problem = assert_problem(response, 422, "VALIDATION_ERROR")
        assert problem["errors"], problem
        assert await catalog(world, shop) == {}, header
    assert await imported_events(world, shop) == []


async def test_empty_bodies(world: World) -> None:
    shop = await world.shop()
    # a CSV must at least have its header
    assert_problem(await world.import_products(shop, b""), 422, "VALIDATION_ERROR")
    empty = {"created": 0, "updated": 0, "errors": [], "error_count": 0, "lines": 0}
    assert ok_result(await world.import_products(shop, HEADER + "\n")) == empty
    assert ok_result(await world.import_products(shop, HEADER)) == empty
    assert ok_result(await world.import_products(shop, b"", content_type=NDJSON)) == empty
    assert ok_result(await world.import_products(shop, "\n\n", content_type=NDJSON)) == empty


async def test_other_media_types_are_415(world: World) -> None:
    shop = await world.shop()
    body = csv(HEADER, "OK-1,Fine,1.00,USD,1")
    for content_type in (
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/csvx",
        "",
    ):
        response = await world.import_products(shop, body, content_type=content_type)
        assert response.status_code == 415, (content_type, response.text)
        assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    response = await world.client.post(
        f"{API}/shops/{shop.id}/products/import", content=body.encode(), headers=shop.owner.headers
    )
    assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert await catalog(world, shop) == {}
    # parameters and case do not matter
    ok = await world.import_products(shop, body, content_type="Text/CSV; charset=utf-8")
    assert ok_result(ok)["created"] == 1


async def test_a_utf8_bom_is_accepted(world: World) -> None:
    shop = await world.shop()
    body = "\ufeff" + csv(HEADER, "BOM-1,Fine,1.00,USD,1")
    result = ok_result(await world.import_products(shop, body.encode("utf-8")))
    assert (result["created"], result["errors"]) == (1, [])
    body = "\ufeff" + ndjson(product("BOM-2"), product("BOM-3"))
    result = ok_result(await world.import_products(shop, body.encode("utf-8"), content_type=NDJSON))
    assert (result["created"], result["errors"]) == (2, [])
    assert set(await catalog(world, shop)) == {"BOM-1", "BOM-2", "BOM-3"}


async def test_crlf_line_endings(world: World) -> None:
    shop = await world.shop()
    body = "\r\n".join([HEADER, "CR-1,Fine,1.00,USD,1", "CR-2,bad,x,USD,1", "CR-3,Fine,1,USD,1"])
    result = ok_result(await world.import_products(shop, body + "\r\n"))
    assert (result["created"], errors_by_line(result)) == (2, {3: "VALIDATION_ERROR"})
    result = ok_result(
        await world.import_products(
            shop,
            "\r\n".join(orjson.dumps(product(f"CRN-{i}")).decode() for i in range(3)) + "\r\n",
            content_type=NDJSON,
        )
    )
    assert (result["created"], result["errors"]) == (3, [])


# --- idempotency ------------------------------------------------------------------------------


async def test_idempotency_key_replays_and_refuses_reuse(world: World) -> None:
    shop = await world.shop()
    body = csv(HEADER, "I-1,Fine,1.00,USD,1", "I-2,Fine,bad,USD,1")
    key = {"Idempotency-Key": unique("import-")}
    first = await world.import_products(shop, body, headers=key)
    result = ok_result(first)
    assert (result["created"], result["error_count"]) == (1, 1)
    assert first.headers.get("Idempotent-Replayed") is None

    again = await world.import_products(shop, body, headers=key)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == result
    assert len(await imported_events(world, shop)) == 1

    other = csv(HEADER, "I-3,Fine,1.00,USD,1")
    reused = await world.import_products(shop, other, headers=key)
    assert_problem(reused, 422, "IDEMPOTENCY_KEY_REUSED")
    assert set(await catalog(world, shop)) == {"I-1"}

    # without a key, or with another, the same body is simply imported again: an update
    fresh = ok_result(
        await world.import_products(shop, body, headers={"Idempotency-Key": unique("import-")})
    )
    assert (fresh["created"], fresh["updated"]) == (0, 1)
    assert len(await imported_events(world, shop)) == 2


# --- the Shop Page and showcases after an import ---------------------------------------------


async def test_import_keeps_the_shop_page_and_showcases_in_step(world: World) -> None:
    shop = await world.shop()
    username = unique("imp.")
    await world.create_organization(shop, username)
    body = csv(
        HEADER + ",affiliate_commission_rate",
        "P-1,Velvet cushion,10.00,USD,1,0.10",
        "P-2,Velvet curtain,20.00,USD,1,0.10",
        "P-3,Linen cushion,30.00,USD,1,0.10",
    )
    ok_result(await world.import_products(shop, body))
    page = await page_of(world, username)
    assert [i["sku"] for i in page["items"]] == ["P-3", "P-2", "P-1"]
    velvet = await page_of(world, username, q="velvet")
    assert sorted(i["sku"] for i in velvet["items"]) == ["P-1", "P-2"]

    marketing = await world.bound_marketing(shop)
    products = await catalog(world, shop)
    for sku in ("P-1", "P-2"):
        await world.showcase_add(marketing, products[sku])
    assert sorted(await world.showcase_ids(marketing)) == sorted(
        products[s]["id"] for s in ("P-1", "P-2")
    )

    change = csv(
        HEADER + ",status,affiliate_commission_rate",
        "P-1,Velvet cushion,10.00,USD,1,archived,0.10",
        "P-2,Silk curtain,20.00,USD,1,,0.10",
        "P-3,Linen cushion,30.00,USD,1,draft,",
    )
    result = ok_result(await world.import_products(shop, change))
    assert (result["created"], result["updated"]) == (0, 3)
    page = await page_of(world, username)
    assert [i["sku"] for i in page["items"]] == ["P-2"]
    assert (await page_of(world, username, q="velvet"))["items"] == []
    assert [i["sku"] for i in (await page_of(world, username, q="silk"))["items"]] == ["P-2"]
    assert await world.showcase_ids(marketing) == [products["P-2"]["id"]]

    back = csv(HEADER, "P-1,Velvet cushion,10.00,USD,1")
    ok_result(await world.import_products(shop, back))
    assert [i["sku"] for i in (await page_of(world, username))["items"]] == ["P-2", "P-1"]


# --- 100,000 products -------------------------------------------------------------------------

BULK = 100_000
ADJECTIVES = ["Soft", "Bright", "Classic", "Rugged", "Slim", "Cozy", "Sturdy", "Light"]
NOUNS = ["tee", "hoodie", "jacket", "sneaker", "backpack", "scarf", "mug", "lamp", "chair"]


def bulk_csv() -> tuple[bytes, list[int], list[int]]:
    """100,000 products. "zephyr" is in the title of lines whose index i has i % 1000 == 7
    (100 products) and only in the description where i % 1000 is 8 or 9 (200 more)."""
    rows = [HEADER + ",description"]
    in_title: list[int] = []
    in_description: list[int] = []
    for i in range(BULK):
        title = f"{ADJECTIVES[i % 8]} {NOUNS[i % 9]} {i}"
        description = f"Style {i % 97}"
        if i % 1000 == 7:
            title = f"Zephyr {NOUNS[i % 9]} {i}"
            in_title.append(i)
        elif i % 1000 in (8, 9):
            description = f"Zephyr style {i % 97}"
            in_description.append(i)
        rows.append(f"BULK-{i:06d},{title},{i % 500}.{i % 100:02d},USD,{i % 7},{description}")
    return ("\n".join(rows) + "\n").encode(), in_title, in_description


async def test_import_of_100k_products(
    world: World, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = await world.shop()
    username = unique("bulk.")
    await world.create_organization(shop, username)
    body, in_title, in_description = bulk_csv()

    started = time.perf_counter()
    response = await world.import_products(shop, body)
    elapsed = time.perf_counter() - started
    result = ok_result(response)
    assert result == {"created": BULK, "updated": 0, "errors": [], "error_count": 0, "lines": BULK}
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with capsys.disabled():
        print(f"\n100k import on {backend}: {elapsed:.1f} s ({BULK / elapsed:,.0f} lines/s)")

    # newest first: the last lines of the file
    page = await page_of(world, username)
    assert [item["sku"] for item in page["items"]] == [
        f"BULK-{i:06d}" for i in range(BULK - 1, BULK - 25, -1)
    ]
    ids = [item["id"] for item in page["items"]]
    assert ids == sorted(ids, reverse=True)
    first = page["items"][0]
    assert (first["title"], first["price"], first["currency"], first["in_stock"]) == (
        f"{ADJECTIVES[(BULK - 1) % 8]} {NOUNS[(BULK - 1) % 9]} {BULK - 1}",
        f"{(BULK - 1) % 500}.{(BULK - 1) % 100:02d}",
        "USD",
        (BULK - 1) % 7 > 0,
    )

    # "zephyr": 300 hits, the 100 title matches ranked above the 200 description matches
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"q": "zephyr", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        hits = await page_of(world, username, **params)
        pages.append([item["sku"] for item in hits["items"]])
        cursor = hits["next_cursor"]
        if cursor is None:
            break
        assert len(pages) < 10, "next_cursor never ended"
    found = [sku for skus in pages for sku in skus]
    assert len(found) == len(set(found)) == 300
    assert [len(skus) for skus in pages] == [100, 100, 100]
    assert set(pages[0]) == {f"BULK-{i:06d}" for i in in_title}
    assert set(pages[1] + pages[2]) == {f"BULK-{i:06d}" for i in in_description}

    # a narrower query: both words, in the title or the description
    mugs = await page_of(world, username, q="zephyr mug", limit=200)
    expected = {f"BULK-{i:06d}" for i in in_title + in_description if NOUNS[i % 9] == "mug"}
    assert {item["sku"] for item in mugs["items"]} == expected
    assert mugs["next_cursor"] is None
