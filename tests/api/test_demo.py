"""`shoplink demo` (what `make run` serves) builds the world the README promises: the public
profile @maple.outfitters is its shop's official account, with a Shop Page to search."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from shoplink import demo
from shoplink.clock import Clock
from shoplink.policy import load_profile


@pytest.mark.parametrize("platform", ["tiktok_shop", "douyin"])
async def test_the_demo_shop_page_is_public_and_searchable(
    app: FastAPI, client: httpx.AsyncClient, platform: str
) -> None:
    app.state.profile = profile = load_profile(platform)
    assert await demo.load(app.state.db, profile, Clock())
    assert not await demo.load(app.state.db, profile, Clock()), "loaded once"

    found = (await client.get("/api/v1/profiles/maple.outfitters")).json()
    assert found["shop"] is not None and found["shop"]["name"] == "Maple Outfitters"
    assert found["nickname"] == "Maple Outfitters", "the official account carries its name"
    assert found["enter_store"] is True
    page = await client.get("/api/v1/profiles/maple.outfitters/shop-page", params={"q": "running"})
    assert page.status_code == 200
    assert page.json()["items"], "the demo catalog answers the README's search"
