"""The public-read cache across two real server processes sharing one database.

Process B serves the Shop Page from memory; process A changes a product. B must show the
change within SPEC §3's second: SQLite on B's very next read (PRAGMA data_version is read
from shared memory), PostgreSQL as soon as the NOTIFY sent at A's commit reaches B.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.concurrency.conftest import Race
from tests.concurrency.test_races import accounts

pytestmark = pytest.mark.slow

VISIBLE_WITHIN_S = 1.0


async def test_a_change_in_one_process_shows_in_the_others_cached_page(race: Race) -> None:
    writer, reader = race.via(0), race.via(1)
    shop = await writer.shop(owner=race.seller)
    account = await writer.bound_official(shop, (await accounts(race, 1))[0])
    product = await writer.product(shop, title="Linen shirt")
    path = f"/profiles/{account.username}/shop-page"

    async def titles() -> tuple[list[str], bool]:
        response = await reader.public(path)
        assert response.status_code == 200, response.text
        hit = response.headers.get("x-shoplink-cache") == "hit"
        return [item["title"] for item in response.json()["items"]], hit

    # B's LISTEN connection (PostgreSQL) opens on its first cached read.
    deadline = time.monotonic() + 10
    while (await titles()) != (["Linen shirt"], True):
        assert time.monotonic() < deadline, "process B never served the page from memory"
        await asyncio.sleep(0.05)

    for round_ in range(5):
        title = f"Wool coat {round_}"
        await writer.ok(
            "PATCH",
            f"/shops/{shop.id}/products/{product['id']}",
            as_=shop.owner,
            json={"title": title},
        )
        committed = time.monotonic()
        reads = 0
        while (seen := await titles())[0] != [title]:
            reads += 1
            assert time.monotonic() - committed < VISIBLE_WITHIN_S, f"B still shows {seen}"
            await asyncio.sleep(0.005)
        if race.cluster.backend == "sqlite":
            assert reads == 0, "SQLite: the next read after the commit must see it"
        # ... and then it is served from memory again.
        assert await titles() == ([title], True)
