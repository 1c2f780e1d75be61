"""Logging in through the web form, as a browser does: the CSRF token first."""

from __future__ import annotations

import re

import httpx

from tests.factories import PASSWORD, Person, World


async def csrf_token(client: httpx.AsyncClient) -> str:
    page = await client.get("/login")
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


async def log_in(world: World, person: Person, *, next_path: str = "/") -> httpx.Response:
    token = await csrf_token(world.client)
    return await world.client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": person.username,
            "password": PASSWORD,
            "next": next_path,
        },
    )
