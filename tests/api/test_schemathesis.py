"""Schemathesis over the whole OpenAPI document, run inside the suite on both backends.

Every operation is fuzzed per backend with the admin token and with the token of an ordinary
seller (a user who owns a seller and its shops, created through the API). Checks: no response
is a 5xx (`not_a_server_error`), and every 4xx is RFC 9457 problem+json with a `code`.

How it is wired:

- Requests go through the whole ASGI stack of the session-scoped `app` (MetricsMiddleware,
  TransactionMiddleware, routers) with httpx on the session event loop, where the app's database
  engines live. Schemathesis' own ASGI client is not used: it runs the app on another event loop
  (asyncpg connections are bound to theirs) and runs the lifespan, whose shutdown disposes the
  engines. `case.validate_response` takes the httpx response as it is. App exceptions are not
  re-raised, so an unhandled error arrives as the 500 a real server would send.
- The `client` fixture empties the tables once per test item, so each (backend, caller) run starts
  from the small world `_seed` builds. Within a run the API is stateful: later requests see what
  earlier ones created, closed or deleted.
- Random ids almost always miss, so path ids and some body fields are drawn, part of the time,
  from the seeded world. JSON string fields sometimes end in a lone surrogate (legal JSON that
  the default utf-8 codec never generates). POSTs sometimes carry an `Idempotency-Key` (SPEC §4:
  every POST accepts one; the OpenAPI document does not list it), and list operations sometimes
  get a well-formed cursor around an arbitrary id (random strings never decode as a cursor).
"""

from __future__ import annotations

import asyncio
import base64
import copy
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema

from tests.factories import ADMIN_TOKEN, World

BASE_URL = "http://test"
MAX_EXAMPLES = 25
# Keyword arguments of `requests.Request` that schemathesis' serialisation may produce.
REQUEST_KEYS = frozenset(
    {"method", "url", "headers", "params", "data", "json", "files", "cookies", "auth"}
)
# Header values travel as latin-1 bytes; include blanks and lengths over the 255 limit
# (`requests` refuses leading whitespace in a header value, hence the lstrip).
IDEMPOTENCY_KEYS = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=300).map(
    str.lstrip
)
# JSON may carry a lone UTF-16 surrogate ("\ud800"), which no database can store as text;
# schemathesis' default utf-8 codec never generates one.
LONE_SURROGATE = "\ud800"
CURSORS = st.integers(min_value=-(2**70), max_value=2**70).map(
    lambda n: base64.urlsafe_b64encode(f"id:{n}".encode()).decode().rstrip("=")
)

schema = schemathesis.pytest.from_fixture("api_schema")


@dataclass
class Caller:
    name: str
    headers: dict[str, str]
    # Ids of seeded objects, by path or body parameter name, and usernames of seeded accounts.
    ids: dict[str, list[int]] = field(default_factory=dict)
    usernames: list[str] = field(default_factory=list)


async def _seed(world: World) -> tuple[Caller, Caller]:
    """Two sellers with shops, accounts, and links in several states.

    Only three users log in: argon2 makes every password hash and check cost real time.
    """
    seller = await world.person(prefix="seller")
    shop = await world.shop(owner=seller)
    review_shop = await world.shop(owner=seller)
    other_shop = await world.shop()
    owner = await world.person(prefix="owner")

    pending, marketing, bound, in_review = [await world.account(owner=owner) for _ in range(4)]
    free = await world.account(kind="creator", owner=owner)
    org = await world.account(kind="organization", seller_id=shop.seller_id)
    accounts = (pending, marketing, bound, in_review, free, org)

    await world.request_official(shop, pending)  # pending_authorization
    await world.bound_marketing(shop, marketing)  # active marketing link
    await world.bound_official(other_shop, bound)  # active official link of another seller
    link = await world.request_official(review_shop, in_review)
    await world.authorize(link, in_review)  # pending_review

    links = await world.ok("GET", "/link-requests")
    user_ids = [seller.id, owner.id, other_shop.owner.id]
    ids = {
        "shop_id": [shop.id, review_shop.id, other_shop.id],
        "seller_id": [shop.seller_id, review_shop.seller_id, other_shop.seller_id],
        "account_id": [account.id for account in accounts],
        "link_id": [item["id"] for item in links["items"]],
        "user_id": user_ids,
        "owner_user_id": user_ids,
    }
    usernames = [account.username for account in accounts]
    admin = Caller("admin", dict(world.admin_headers), ids, usernames)
    return admin, Caller("seller", dict(seller.headers), ids, usernames)


@pytest.fixture(autouse=True)
def _lazy_schema_node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32.5's lazy loader reads and writes `Node._nodeid`, which pytest 9.2
    replaced (with `_id`); give the node that attribute so `from_fixture` works."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(params=["admin", "seller"])
async def caller(request: pytest.FixtureRequest, world: World) -> Caller:
    admin, seller = await _seed(world)
    assert admin.headers["Authorization"] == f"Bearer {ADMIN_TOKEN}"
    return admin if request.param == "admin" else seller


@pytest.fixture
async def session_loop() -> asyncio.AbstractEventLoop:
    """The loop the app's engines and the `client` fixture live on (session loop scope)."""
    return asyncio.get_running_loop()


@pytest.fixture
async def asgi(app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """Like `client` (which has just emptied the tables), but a crash comes back as its 500."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


def _known(values: list[Any], generated: Any) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(generated), st.sampled_from(values)) if values else st.just(generated)


def _extend(case: schemathesis.Case, key: str | None, cursor: str | None) -> schemathesis.Case:
    if key is not None:
        case.headers = {**(case.headers or {}), "Idempotency-Key": key}
    if cursor is not None and isinstance(case.query, dict):
        case.query = {**case.query, "cursor": cursor}
    return case


@pytest.fixture
def api_schema(app: FastAPI, caller: Caller) -> BaseSchema:
    # The coverage phase's boundary and malformed inputs are refused by request validation,
    # before any authorization, so they answer the same for every caller: run them once, as
    # admin. The examples and fuzzing phases run for both callers.
    config = schemathesis.Config.from_dict(
        {"phases": {"coverage": {"enabled": caller.name == "admin"}}}
    )
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(app.openapi()), config=config)

    @loaded.hook
    def flatmap_path_parameters(
        context: schemathesis.HookContext, path_parameters: dict[str, Any]
    ) -> st.SearchStrategy[dict[str, Any]]:
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        return st.fixed_dictionaries(
            {
                name: _known(caller.ids.get(name, []), value)
                if isinstance(value, int)
                else st.just(value)
                for name, value in path_parameters.items()
            }
        )

    @loaded.hook
    def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
        if not isinstance(body, dict):
            return st.just(body)
        parts: dict[str, st.SearchStrategy[Any]] = {}
        for name, value in body.items():
            if name == "username" and isinstance(value, str):
                parts[name] = _known(caller.usernames, value)
            elif isinstance(value, str):
                parts[name] = st.sampled_from([value, value + LONE_SURROGATE])
            elif name in caller.ids and isinstance(value, int):
                parts[name] = _known(caller.ids[name], value)
            else:
                parts[name] = st.just(value)
        return st.fixed_dictionaries(parts)

    @loaded.hook
    def flatmap_case(
        context: schemathesis.HookContext, case: schemathesis.Case
    ) -> st.SearchStrategy[schemathesis.Case]:
        keys = st.none() | IDEMPOTENCY_KEYS if case.method.upper() == "POST" else st.none()
        paginated = any(param.name == "cursor" for param in case.operation.query)
        cursors = st.none() | CURSORS if paginated else st.none()
        return st.tuples(keys, cursors).map(lambda extra: _extend(case, *extra))

    return loaded


async def _send(http: httpx.AsyncClient, kwargs: Mapping[str, Any]) -> httpx.Response:
    """Send exactly what schemathesis serialised (as `requests` would) through the ASGI app."""
    prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in REQUEST_KEYS}).prepare()
    headers = [
        (name.encode("latin-1"), value.encode("latin-1") if isinstance(value, str) else value)
        for name, value in prepared.headers.items()
        if name.lower() != "content-length"
    ]
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    assert prepared.method is not None and prepared.url is not None
    return await http.request(prepared.method, prepared.url, headers=headers, content=body)


def problem_details_for_4xx(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """Every 4xx is application/problem+json with a non-empty string `code` (SPEC §3)."""
    if not 400 <= response.status_code < 500:
        return None
    content_types = [
        value
        for name, values in response.headers.items()
        if name.lower() == "content-type"
        for value in values
    ]
    assert content_types and content_types[0].startswith("application/problem+json"), (
        f"{response.status_code} with content-type {content_types}: {response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("code"), str) and body["code"], (
        f"{response.status_code} problem without a `code`: {response.text[:300]}"
    )
    return None


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    # CI replays one fixed set of examples so a landing never hinges on a lucky draw;
    # local runs keep exploring new inputs.
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=list(HealthCheck),
)
@schema.parametrize()
def test_api_never_errors_and_refuses_with_problem_details(
    case: schemathesis.Case,
    caller: Caller,
    asgi: httpx.AsyncClient,
    session_loop: asyncio.AbstractEventLoop,
) -> None:
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=caller.headers)
    response = session_loop.run_until_complete(_send(asgi, kwargs))
    case.validate_response(response, checks=[not_a_server_error, problem_details_for_4xx])
