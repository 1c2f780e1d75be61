"""The per-process cache of who a bearer token names (identity/token_cache.py): it saves
the lookup, never an expiry, and keeps only tokens that were found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI

from shoplink.identity import service
from shoplink.identity.principal import Principal
from shoplink.identity.token_cache import PrincipalCache
from tests.factories import World

NOW = datetime(2026, 11, 25, tzinfo=UTC)
ANN = Principal(user_id=1, username="ann")


def test_an_entry_answers_until_its_token_expires() -> None:
    cache = PrincipalCache()
    cache.put("d1", ANN, token_expires_at=NOW + timedelta(hours=1))
    assert cache.get("d1", now=NOW) == ANN
    assert cache.get("d1", now=NOW + timedelta(hours=1)) is None
    assert cache.get("d1", now=NOW) is None  # and it is gone


def test_an_entry_is_dropped_after_the_ttl() -> None:
    cache = PrincipalCache(ttl_s=0.0)
    cache.put("d1", ANN, token_expires_at=NOW + timedelta(hours=1))
    assert cache.get("d1", now=NOW) is None


def test_the_oldest_entry_makes_room() -> None:
    cache = PrincipalCache(max_entries=2)
    for digest in ("d1", "d2", "d3"):
        cache.put(digest, ANN, token_expires_at=NOW + timedelta(hours=1))
    assert cache.get("d1", now=NOW) is None
    assert cache.get("d2", now=NOW) == cache.get("d3", now=NOW) == ANN


async def test_a_token_used_a_moment_ago_is_refused_once_it_expires(
    world: World, app: FastAPI
) -> None:
    person = await world.person()
    await world.ok("GET", "/link-requests", headers=person.headers)  # now cached
    ttl = app.state.settings.token_ttl_hours * 3600
    await world.advance(ttl + 60)
    refused = await world.call("GET", "/link-requests", headers=person.headers)
    assert refused.status_code == 401


async def test_an_unknown_token_is_not_kept(world: World, app: FastAPI) -> None:
    bogus = {"Authorization": "Bearer slk_made-up"}
    for _ in range(2):
        assert (await world.call("GET", "/link-requests", headers=bogus)).status_code == 401
    assert app.state.principals._entries == {}


async def test_a_cached_token_needs_no_lookup(
    world: World, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await world.person()
    await world.ok("GET", "/link-requests", headers=person.headers)

    async def no_lookup(*args: object, **kwargs: object) -> None:
        raise AssertionError("the token was looked up again")

    monkeypatch.setattr(service, "token_holder", no_lookup)
    await world.ok("GET", "/link-requests", headers=person.headers)
    app.state.principals.clear()
    with pytest.raises(AssertionError, match="looked up again"):
        await world.call("GET", "/link-requests", headers=person.headers)
