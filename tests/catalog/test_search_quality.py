"""Shop Page search quality: a labelled catalog and labelled queries, on SQLite and PostgreSQL.

The catalog mixes English, Simplified Chinese and mixed titles and descriptions. Each query
names the product it must rank first and, where that says something, the exact set of the
top k, products that must rank below the expected first, or products that must not match at
all. Every case runs on both backends (SQLite FTS5 bm25, title 10 : body 1; PostgreSQL ts_rank
on a weighted 'simple' tsvector).

Precision@1 over the QUERIES with an expected first result (measured 2026-11-23, and held by
test_precision_at_1 below):
    SQLite      27/28 = 0.96
    PostgreSQL  27/28 = 0.96
The miss on both is "runni" (a half-typed word longer than its stem), kept as a strict xfail.
Before search_terms removed Latin diacritics itself, PostgreSQL also missed "CAFE" and
"cafe latte" (its 'simple' configuration keeps the accent of "Café"; FTS5 drops it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI

from shoplink.policy import load_profile
from tests.factories import World, unique

# (title, description, currency, price)
CATALOG: list[tuple[str, str, str, str]] = [
    ("Trail Running Shoes", "Lightweight trail runners with grippy soles", "USD", "89.00"),
    ("Road Running Shorts", "Breathable shorts for long runs", "USD", "35.00"),
    ("Running Belt", "Holds your phone while you run", "USD", "19.00"),
    ("Leather Hiking Boots", "Waterproof boots for mountain trails", "USD", "149.00"),
    ("Classic White Sneakers", "Canvas lace-ups for everyday wear", "USD", "59.00"),
    ("Ankle Socks 6-Pack", "Cotton socks that pair well with sneakers", "USD", "12.00"),
    ("Red Summer Dress", "Floral cotton with short sleeves", "USD", "49.00"),
    ("Black Evening Dress", "Satin, knee length", "USD", "120.00"),
    ("Leather Belt", "Full-grain belt that goes with any dress or suit", "USD", "39.00"),
    ("Wireless Bluetooth Headphones", "Noise cancelling, over-ear, 30 h battery", "USD", "199.00"),
    ("Bluetooth Speaker", "Portable speaker with deep bass", "USD", "59.00"),
    ("USB-C Charging Cable", "Fast cable, 2 m", "USD", "9.90"),
    ("Wireless Charger Pad", "Charges phones without a cable", "USD", "29.00"),
    ("iPhone 15 Case", "Shockproof and clear", "USD", "25.00"),
    ("Café Latte Mug", "Ceramic mug for coffee lovers", "USD", "14.00"),
    ("French Press Coffee Maker", "Brews cafe-style coffee at home", "USD", "34.00"),
    ("Stainless Steel Water Bottle", "Keeps drinks cold for 24 hours", "USD", "24.00"),
    ("Rain Jacket", "Packable waterproof shell", "USD", "79.00"),
    ("Wool Winter Jacket", "Warm for cold days", "USD", "159.00"),
    ("Yoga Mat", "Non-slip, 6 mm", "USD", "29.00"),
    ("High-Waisted Leggings", "Squat-proof leggings for yoga and the gym", "USD", "45.00"),
    ("Organic Cotton T-Shirt", "A soft everyday tee", "USD", "22.00"),
    ("Baseball Cap", "Adjustable, cotton twill", "USD", "18.00"),
    ("Daypack 20L", "For hiking and city travel", "USD", "69.00"),
    ("Camping Tent", "Two-person tent for hiking trips", "USD", "189.00"),
    ("Gift Card", "Redeemable on the whole shop", "USD", "50.00"),
    (
        "Shoe Cleaning Kit",
        "Cleans sneakers, running shoes and boots; sneakers look new, sneakers last longer",
        "USD",
        "15.00",
    ),
    ("男子跑步鞋 轻便透气", "适合日常跑步和健身", "CNY", "299.00"),
    ("专业跑鞋 缓震", "马拉松训练专用", "CNY", "599.00"),
    ("儿童运动鞋", "男童女童均可穿", "CNY", "159.00"),
    ("碎花连衣裙 夏季", "雪纺面料，清爽舒适", "CNY", "189.00"),
    ("蓝牙耳机 降噪", "无线入耳式，续航30小时", "CNY", "399.00"),
    ("无线充电器", "支持手机快充", "CNY", "99.00"),
    ("iPhone 15 手机壳 透明", "防摔保护，轻薄贴合", "CNY", "39.00"),
    ("华为手机壳", "Huawei 保护套", "CNY", "29.00"),
    ("保温杯 不锈钢", "316 不锈钢内胆，保温12小时", "CNY", "89.00"),
    ("瑜伽垫 加厚", "防滑耐磨", "CNY", "129.00"),
    ("真皮腰带", "男士商务皮带", "CNY", "159.00"),
    ("迷你 Bluetooth 音箱", "便携户外", "CNY", "149.00"),
    ("跑步腰包", "Running waist pack，可放手机", "CNY", "69.00"),
    ("连帽卫衣", "纯棉加绒，秋冬款", "CNY", "199.00"),
]


@dataclass(frozen=True)
class Case:
    query: str
    top: str | None  # the expected first result (None: no single right answer)
    # The first len(top_set) results, in any order (when the order within them is a toss-up).
    top_set: frozenset[str] = frozenset()
    # Must match, but rank below `top` (e.g. a description-only match).
    below: tuple[str, ...] = ()
    # Must not match at all.
    absent: tuple[str, ...] = ()
    # The complete result set, when it is small and certain.
    exactly: frozenset[str] | None = None
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def case(query: str, top: str | None, **kw: object) -> Case:
    return Case(query, top, **kw)  # type: ignore[arg-type]


QUERIES: list[Case] = [
    # Stemming: singular/plural and -ing forms meet.
    case(
        "running shoe",
        "Trail Running Shoes",
        exactly=frozenset({"Trail Running Shoes", "Shoe Cleaning Kit"}),
        absent=("Running Belt", "Road Running Shorts"),
    ),
    case("running shoes", "Trail Running Shoes", below=("Shoe Cleaning Kit",)),
    case(
        "runs",
        None,
        top_set=frozenset({"Trail Running Shoes", "Road Running Shorts", "Running Belt"}),
    ),
    case("headphones", "Wireless Bluetooth Headphones"),
    # Title matches rank above description-only matches.
    # ... even against a description that repeats the word three times.
    case(
        "sneakers",
        "Classic White Sneakers",
        below=("Ankle Socks 6-Pack", "Shoe Cleaning Kit"),
    ),
    case("yoga", "Yoga Mat", below=("High-Waisted Leggings",)),
    case("hiking", "Leather Hiking Boots", below=("Daypack 20L", "Camping Tent")),
    case(
        "dress",
        None,
        top_set=frozenset({"Red Summer Dress", "Black Evening Dress"}),
        below=("Leather Belt",),
    ),
    case("jacket", None, top_set=frozenset({"Rain Jacket", "Wool Winter Jacket"})),
    # A description-only match is still found.
    case("马拉松", "专业跑鞋 缓震", exactly=frozenset({"专业跑鞋 缓震"})),
    # Every word must match (AND), in any order.
    case(
        "leather belt",
        "Leather Belt",
        exactly=frozenset({"Leather Belt"}),
        absent=("Running Belt", "Leather Hiking Boots"),
    ),
    case(
        "water bottle",
        "Stainless Steel Water Bottle",
        exactly=frozenset({"Stainless Steel Water Bottle"}),
        absent=("Rain Jacket",),
    ),
    case("headphones wireless", "Wireless Bluetooth Headphones", absent=("Wireless Charger Pad",)),
    case("charging cable", "USB-C Charging Cable", below=("Wireless Charger Pad",)),
    case("iphone 15 case", "iPhone 15 Case", absent=("iPhone 15 手机壳 透明",)),
    # The last word is a prefix while typing.
    case("sneak", "Classic White Sneakers", below=("Ankle Socks 6-Pack",)),
    case("wool jack", "Wool Winter Jacket", exactly=frozenset({"Wool Winter Jacket"})),
    case("stainless ste", "Stainless Steel Water Bottle"),
    case(
        "runni",
        "Trail Running Shoes",
        top_set=frozenset({"Trail Running Shoes", "Road Running Shorts", "Running Belt"}),
        marks=(
            pytest.mark.xfail(
                strict=True,
                reason="a half-typed word longer than its Snowball stem ('runni' vs 'run') is"
                " not a prefix of any indexed stem; the index keeps stems only",
            ),
        ),
    ),
    # Case, width and diacritics.
    case("CAFE", "Café Latte Mug", below=("French Press Coffee Maker",)),
    case("café", "Café Latte Mug", below=("French Press Coffee Maker",)),
    case("cafe latte", "Café Latte Mug", exactly=frozenset({"Café Latte Mug"})),
    # "RUNNING" typed in full-width letters.
    case("\uff32\uff35\uff2e\uff2e\uff29\uff2e\uff27 shoes", "Trail Running Shoes"),
    # Chinese words, a single character, mixed scripts.
    case("跑鞋", "专业跑鞋 缓震", exactly=frozenset({"专业跑鞋 缓震"})),
    case("连衣裙", "碎花连衣裙 夏季", exactly=frozenset({"碎花连衣裙 夏季"})),
    case("蓝牙耳机", "蓝牙耳机 降噪", exactly=frozenset({"蓝牙耳机 降噪"})),
    case("跑步鞋", "男子跑步鞋 轻便透气", exactly=frozenset({"男子跑步鞋 轻便透气"})),
    case(
        "鞋",
        None,
        top_set=frozenset({"男子跑步鞋 轻便透气", "专业跑鞋 缓震", "儿童运动鞋"}),
        exactly=frozenset({"男子跑步鞋 轻便透气", "专业跑鞋 缓震", "儿童运动鞋"}),
    ),
    case(
        "iPhone 手机壳",
        "iPhone 15 手机壳 透明",
        exactly=frozenset({"iPhone 15 手机壳 透明"}),
        absent=("华为手机壳", "iPhone 15 Case"),
    ),
    case("bluetooth 音箱", "迷你 Bluetooth 音箱", exactly=frozenset({"迷你 Bluetooth 音箱"})),
    case("跑步 手机", "跑步腰包", exactly=frozenset({"跑步腰包"})),
    case("保温杯", "保温杯 不锈钢"),
    # Nothing to find.
    case("zebra unicorn", None, exactly=frozenset()),
    case("leather 连衣裙", None, exactly=frozenset()),
    case("!!! ... ???", None, exactly=frozenset()),
]


@dataclass
class Catalog:
    world: World
    username: str

    async def search(self, query: str) -> list[str]:
        page = await self.world.shop_page(self.username, q=query, limit=100)
        assert page["next_cursor"] is None
        return [item["title"] for item in page["items"]]


async def _build(world: World) -> str:
    shop = await world.shop()
    username = unique("quality.")
    await world.create_organization(shop, username)
    for title, description, currency, price in CATALOG:
        await world.product(
            shop, title=title, description=description, currency=currency, price=price
        )
    return username


async def _intact(world: World, username: str) -> bool:
    response = await world.call(
        "GET", f"/profiles/{username}/shop-page", params={"limit": 200}, headers={}
    )
    if response.status_code != 200:
        return False
    return sorted(i["title"] for i in response.json()["items"]) == sorted(c[0] for c in CATALOG)


_built: dict[str, str] = {}  # database url -> the username of its labelled shop


@pytest.fixture
async def catalog(app: FastAPI, database_url: str) -> AsyncIterator[Catalog]:
    """The labelled shop on this backend, built once and reused while it is intact.

    Unlike `world`, this does not empty the tables before each test: building the catalog
    takes a second and every case only reads it. Tests elsewhere empty the tables; then the
    catalog is found missing and built again.
    """
    app.state.profile = load_profile("tiktok_shop")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        world = World(http)
        username = _built.get(database_url)
        if username is None or not await _intact(world, username):
            username = _built[database_url] = await _build(world)
        yield Catalog(world, username)


def check(case: Case, titles: list[str]) -> None:
    assert len(titles) == len(set(titles)), titles
    if case.exactly is not None:
        assert set(titles) == case.exactly, titles
    if case.top is not None:
        assert titles[:1] == [case.top], titles
    if case.top_set:
        assert set(titles[: len(case.top_set)]) == case.top_set, titles
    first = len(case.top_set) or 1
    for title in case.below:
        assert title in titles[first:], (title, titles)
    for title in case.absent:
        assert title not in titles, (title, titles)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.query, marks=c.marks) for c in QUERIES])
async def test_labelled_query(catalog: Catalog, case: Case) -> None:
    check(case, await catalog.search(case.query))


async def test_precision_at_1(catalog: Catalog) -> None:
    """Over every query with an expected first result; the only misses are the xfail cases."""
    ranked = [c for c in QUERIES if c.top is not None]
    misses = [c.query for c in ranked if (await catalog.search(c.query))[:1] != [c.top]]
    precision = (len(ranked) - len(misses)) / len(ranked)
    print(f"precision@1 = {len(ranked) - len(misses)}/{len(ranked)} = {precision:.2f}")
    assert misses == [c.query for c in ranked if c.marks], misses
    assert precision >= 0.95


async def test_search_pages_through_every_match_in_rank_order(catalog: Catalog) -> None:
    everything = await catalog.search("鞋")
    seen: list[str] = []
    params: dict[str, object] = {"q": "鞋", "limit": 1}
    while True:
        page = await catalog.world.shop_page(catalog.username, **params)
        seen += [item["title"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == everything and len(seen) == 3
