"""Races between real server processes sharing one database (SQLite file and PostgreSQL).

Each test builds its world through the API, fires the racing requests at once, alternating
between the two server processes, and then checks both the answers and what the database
holds (read back through the API).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.concurrency.conftest import Race
from tests.factories import AccountRef, Person, ShopRef, World, unique

pytestmark = pytest.mark.slow

Call = Callable[[World], Awaitable[httpx.Response]]


def outcome(response: httpx.Response) -> tuple[int, str | None]:
    """(status, problem code) — the code is None for a success."""
    if response.status_code < 400:
        return response.status_code, None
    return response.status_code, response.json().get("code")


async def fire(race: Race, calls: list[Call]) -> list[httpx.Response]:
    """Send every call at the same moment, alternating between the server processes."""
    await race.warm_up(len(calls))
    results = await asyncio.gather(
        *(call(race.via(i)) for i, call in enumerate(calls)), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, f"{failures!r}\n{race.cluster.logs()}"
    responses = [r for r in results if isinstance(r, httpx.Response)]
    server_errors = [(r.status_code, r.text) for r in responses if r.status_code >= 500]
    assert not server_errors, f"{server_errors}\n{race.cluster.logs()}"
    for response in responses:
        if 400 <= response.status_code < 500:
            content_type = response.headers.get("content-type", "")
            assert content_type.startswith("application/problem+json"), (
                response.status_code,
                content_type,
                response.text,
            )
            body = response.json()
            assert body["status"] == response.status_code, body
            assert body["code"], body
    return responses


def tally(responses: list[httpx.Response]) -> Counter[tuple[int, str | None]]:
    return Counter(outcome(r) for r in responses)


async def accounts(race: Race, count: int) -> list[AccountRef]:
    """Personal accounts of the shared owner, created through both processes."""
    made = await asyncio.gather(*(race.via(i).account(owner=race.owner) for i in range(count)))
    return list(made)


async def linked(world: World, shop: ShopRef) -> dict[str, Any]:
    state: dict[str, Any] = await world.ok(
        "GET", f"/shops/{shop.id}/linked-accounts", as_=shop.owner
    )
    return state


async def pages(world: World, path: str, as_: Person | None = None) -> list[dict[str, Any]]:
    """Every item of a cursor-paginated list."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 200}
    while True:
        page = await world.ok("GET", path, as_=as_, params=params)
        items.extend(page["items"])
        if page["next_cursor"] is None:
            return items
        params["cursor"] = page["next_cursor"]


async def links_of(world: World, accounts: list[AccountRef]) -> list[dict[str, Any]]:
    """Every link row of these accounts, in any shop and state (as the admin sees them)."""
    ids = {account.id for account in accounts}
    return [link for link in await pages(world, "/link-requests") if link["account_id"] in ids]


async def test_one_official_request_wins(race: Race) -> None:
    world = race.world
    shop = await world.shop(owner=race.seller)
    candidates = await accounts(race, 60)

    def official(account: AccountRef) -> Call:
        return lambda w: w.call(
            "POST",
            f"/shops/{shop.id}/official-account",
            as_=shop.owner,
            json={"method": "link_existing", "username": account.username},
        )

    responses = await fire(race, [official(a) for a in candidates])

    assert tally(responses) == {(202, None): 1, (409, "OFFICIAL_ACCOUNT_EXISTS"): 59}
    (winner,) = [r.json() for r in responses if r.status_code == 202]
    assert winner["shop_id"] == shop.id
    assert (winner["role"], winner["status"]) == ("official", "pending_authorization")

    state = await linked(world, shop)
    assert state["official"] is None
    assert state["marketing"] == []
    assert [p["link"]["id"] for p in state["pending"]] == [winner["id"]]
    assert state["pending"][0]["account"]["id"] == winner["account_id"]
    card = await world.ok("GET", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert (card["link_id"], card["status"]) == (winner["id"], "pending_authorization")
    # No loser left a row behind, in this shop or anywhere else.
    assert [link["id"] for link in await links_of(world, candidates)] == [winner["id"]]
    assert (await world.events(shop)).count("link.requested") == 1


async def test_marketing_slots_fill_exactly(race: Race) -> None:
    world = race.world
    shop = await world.shop(owner=race.seller)
    candidates = await accounts(race, 40)

    def marketing(account: AccountRef) -> Call:
        return lambda w: w.call(
            "POST",
            f"/shops/{shop.id}/marketing-accounts",
            as_=shop.owner,
            json={"username": account.username},
        )

    responses = await fire(race, [marketing(a) for a in candidates])

    assert tally(responses) == {(202, None): 4, (409, "MARKETING_ACCOUNT_LIMIT"): 36}
    winners = {r.json()["id"] for r in responses if r.status_code == 202}
    state = await linked(world, shop)
    assert state["limits"]["marketing"] == {"used": 4, "max": 4}
    assert state["official"] is None
    assert {p["link"]["id"] for p in state["pending"]} == winners
    assert all(p["link"]["role"] == "marketing" for p in state["pending"])
    assert {link["id"] for link in await links_of(world, candidates)} == winners
    assert (await world.events(shop)).count("link.requested") == 4


async def test_one_account_wanted_by_many_shops(race: Race) -> None:
    world = race.world
    first = await world.shop(owner=race.seller)
    more = await asyncio.gather(
        *(race.via(i).shop(owner=race.seller, seller_id=first.seller_id) for i in range(29))
    )
    shops = [first, *more]
    (account,) = await accounts(race, 1)

    def official(shop: ShopRef) -> Call:
        return lambda w: w.call(
            "POST",
            f"/shops/{shop.id}/official-account",
            as_=shop.owner,
            json={"method": "link_existing", "username": account.username},
        )

    responses = await fire(race, [official(s) for s in shops])

    assert tally(responses) == {(202, None): 1, (409, "ACCOUNT_ALREADY_LINKED"): 29}
    (winner,) = [r.json() for r in responses if r.status_code == 202]
    assert winner["account_id"] == account.id
    states = await asyncio.gather(*(linked(world, s) for s in shops))
    holding = [shop.id for shop, state in zip(shops, states, strict=True) if state["pending"]]
    assert holding == [winner["shop_id"]]
    assert [(link["id"], link["shop_id"]) for link in await links_of(world, [account])] == [
        (winner["id"], winner["shop_id"])
    ]


async def test_concurrent_unbinds_count_once(race: Race) -> None:
    world = race.world
    shop = await world.shop(owner=race.seller)
    account = await world.bound_official(shop, (await accounts(race, 1))[0])
    assert (await linked(world, shop))["official"]["account"]["id"] == account.id
    await world.advance(90_000)  # past the 24 h cooldown

    responses = await fire(
        race,
        [
            lambda w: w.call("DELETE", f"/shops/{shop.id}/official-account", as_=shop.owner)
            for _ in range(20)
        ],
    )

    counts = tally(responses)
    assert counts[(200, None)] == 1, counts
    assert set(counts) <= {(200, None), (404, "NOT_FOUND"), (409, "INVALID_STATE")}, counts
    (unbound,) = [r.json() for r in responses if r.status_code == 200]
    assert (unbound["status"], unbound["account_id"]) == ("unbound", account.id)

    state = await linked(world, shop)
    assert state["official"] is None
    assert state["pending"] == []
    assert state["limits"]["official_unbinds"] == {"used": 1, "max": 3}
    missing = await world.call("GET", f"/shops/{shop.id}/official-account", as_=shop.owner)
    assert missing.status_code == 404
    assert (await world.events(shop)).count("link.unbound") == 1


async def test_an_owner_and_the_seller_decide_one_request_at_once(race: Race) -> None:
    """Authorize and cancel of the same request, fifteen of each: the shop-then-link lock lets
    exactly one decision through, and the link ends in that decision's state."""
    world = race.world
    shop = await world.shop(owner=race.seller)
    account = (await accounts(race, 1))[0]
    link = await world.request_official(shop, account)
    authorize: Call = lambda w: w.call(  # noqa: E731
        "POST",
        f"/link-requests/{link['id']}/authorize",
        as_=account.owner,
        json={"accept_terms": True},
    )
    cancel: Call = lambda w: w.call(  # noqa: E731
        "POST", f"/link-requests/{link['id']}/cancel", as_=shop.owner
    )

    responses = await fire(race, [authorize, cancel] * 15)

    counts = tally(responses)
    assert set(counts) <= {(200, None), (409, "INVALID_STATE")}, counts
    final = await world.ok("GET", f"/link-requests/{link['id']}")
    events = [e for e in await world.events(shop) if e in ("link.authorized", "link.cancelled")]
    # Each decision at most once, one event per success; a cancel may still withdraw an
    # authorized request from review, never the other way round.
    assert events in (
        ["link.authorized"],
        ["link.cancelled"],
        ["link.authorized", "link.cancelled"],
    ), events
    assert counts[(200, None)] == len(events), counts
    expected = {"link.cancelled": ("cancelled",), "link.authorized": ("pending_review", "active")}
    assert final["status"] in expected[events[-1]], final


async def test_idempotent_shop_creation_under_a_burst(race: Race) -> None:
    world = race.world
    owner = race.seller
    seller = await world.ok(
        "POST",
        "/sellers",
        expect=201,
        json={
            "entity_name": "Burst Trading",
            "entity_id": unique("ENT-"),
            "entity_type": "business",
            "region": "US",
            "owner_user_id": owner.id,
        },
    )
    body = {"seller_id": seller["id"], "name": unique("Burst Shop "), "region": "US"}
    key = {"Idempotency-Key": unique("burst-")}
    before = {shop["id"] for shop in await pages(world, "/shops", as_=owner)}

    responses = await fire(
        race,
        [lambda w: w.call("POST", "/shops", as_=owner, json=body, headers=key) for _ in range(20)],
    )

    assert tally(responses) == {(201, None): 20}
    bodies = [r.json() for r in responses]
    assert all(b == bodies[0] for b in bodies), bodies
    assert bodies[0]["name"] == body["name"]
    replayed = [r for r in responses if r.headers.get("idempotent-replayed") == "true"]
    assert len(replayed) == 19

    after = await pages(world, "/shops", as_=owner)
    assert [shop["id"] for shop in after if shop["id"] not in before] == [bodies[0]["id"]]
    assert [shop["id"] for shop in after if shop["seller_id"] == seller["id"]] == [bodies[0]["id"]]
    shop = ShopRef(bodies[0]["id"], seller["id"], body["name"], "US", owner)
    assert (await world.events(shop)).count("shop.created") == 1
