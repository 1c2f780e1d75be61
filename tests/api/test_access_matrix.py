"""Who may do what: a table of callers x endpoints, walked on both backends.

Callers: anonymous, an unrelated user, the owner of another seller, an operator and the owner of
the shop's seller, the owner of the account being linked, a reviewer, and admin. Each cell acts
on fresh objects of the shop's tenant (so one cell's success cannot change the next one's) and
checks, per SPEC §4:

- anonymous → 401 UNAUTHENTICATED;
- an allowed caller gets the endpoint's success status (never 401/403/404);
- anyone else gets 403 FORBIDDEN or 404 NOT_FOUND (problem+json). A caller who may not even see
  the object must get exactly the answer a non-existent id gets (same status, code and detail),
  so that a refusal does not reveal that the object exists;
- a refused write changes nothing (an admin read of the object is the same before and after).

Roles, from the services: seller staff are owner|admin|operator; owners and admins manage the
shop, its official account and its name, only owners close it; operators may also handle
marketing accounts. The account's owner authorizes or declines a request; reviewers approve or
reject; admin may do everything except speak for someone else's account.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.factories import API, PASSWORD, Person, World, unique

MISSING = 2**31 - 1  # a valid id that no object has

ANONYMOUS = "anonymous"
STRANGER = "unrelated user"
OTHER_SELLER = "owner of another seller"
OPERATOR = "operator of the shop's seller"
SELLER_OWNER = "owner of the shop's seller"
ACCOUNT_OWNER = "account owner"
REVIEWER = "reviewer"
ADMIN = "admin"
CALLERS = (
    ANONYMOUS,
    STRANGER,
    OTHER_SELLER,
    OPERATOR,
    SELLER_OWNER,
    ACCOUNT_OWNER,
    REVIEWER,
    ADMIN,
)

STAFF = frozenset({OPERATOR, SELLER_OWNER, ADMIN})
MANAGERS = frozenset({SELLER_OWNER, ADMIN})
OWNERS = frozenset({SELLER_OWNER, ADMIN})  # closing a shop: the seller's owner role only
LINK_SEERS = STAFF | {ACCOUNT_OWNER, REVIEWER}
ACCOUNT_SEERS = frozenset({ACCOUNT_OWNER, ADMIN})
REVIEWERS = frozenset({REVIEWER, ADMIN})
ADMINS = frozenset({ADMIN})
CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND"}


@dataclass
class Target:
    """One request, on objects made for this cell."""

    path: str
    # The same request on an id that does not exist; None for endpoints not about one object.
    missing_path: str | None = None
    json: Any = None
    params: dict[str, Any] | None = None
    # An admin GET whose answer a refused request must leave unchanged.
    probe: str | None = None


class Scene:
    """The shop's tenant (a seller, its staff, shops), an account owner, and outsiders."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.headers: dict[str, dict[str, str]] = {}

    async def build(self) -> None:
        world = self.world
        owner = await world.person(prefix="owner")
        self.home = await world.shop(owner=owner)
        self.seller_owner = owner
        self.seller_id = self.home.seller_id
        operator = await world.person(prefix="operator")
        await world.ok(
            "POST",
            f"/sellers/{self.seller_id}/staff",
            expect=201,
            as_=owner,
            json={"user_id": operator.id, "role": "operator"},
        )
        other = await world.shop()  # another seller, with its own owner and shop
        self.account_owner = await world.person(prefix="holder")
        self.stranger = await world.person(prefix="stranger")
        people: dict[str, Person] = {
            STRANGER: self.stranger,
            OTHER_SELLER: other.owner,
            OPERATOR: operator,
            SELLER_OWNER: owner,
            ACCOUNT_OWNER: self.account_owner,
            REVIEWER: await world.reviewer(),
        }
        self.headers = {name: person.headers for name, person in people.items()}
        self.headers[ANONYMOUS] = {}
        self.headers[ADMIN] = dict(world.admin_headers)

        # Read-only objects shared by the cells: the home shop with a pending official request.
        self.account = await world.account(owner=self.account_owner)
        self.link = await world.request_official(self.home, self.account)
        self.free_account = await world.account(owner=self.account_owner)

    async def send(
        self, caller: str, method: str, path: str, *, json: Any = None, params: Any = None
    ) -> httpx.Response:
        return await self.world.client.request(
            method, API + path, json=json, params=params, headers=self.headers[caller]
        )

    # Fresh objects of the tenant, one set per cell.
    async def shop(self) -> int:
        shop = await self.world.shop(owner=self.seller_owner, seller_id=self.seller_id)
        return shop.id

    async def new_account(self) -> Any:
        return await self.world.account(owner=self.account_owner)

    async def pending(self, role: str) -> tuple[int, dict[str, Any]]:
        shop = await self.world.shop(owner=self.seller_owner, seller_id=self.seller_id)
        account = await self.new_account()
        if role == "official":
            return shop.id, await self.world.request_official(shop, account)
        return shop.id, await self.world.request_marketing(shop, account)

    async def in_review(self) -> dict[str, Any]:
        shop = await self.world.shop(owner=self.seller_owner, seller_id=self.seller_id)
        account = await self.new_account()
        link = await self.world.request_official(shop, account)
        authorized = await self.world.authorize(link, account)
        assert authorized["status"] == "pending_review", authorized
        return link


Prepare = Callable[[Scene], Awaitable[Target]]


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    prepare: Prepare
    allowed: frozenset[str]
    # Callers who may learn that the object exists (they may get 403 rather than 404).
    sees: frozenset[str]
    expect: int = 200


def _shop_read(suffix: str, params: dict[str, Any] | None = None) -> Prepare:
    async def prepare(s: Scene) -> Target:
        return Target(f"/shops/{s.home.id}{suffix}", f"/shops/{MISSING}{suffix}", params=params)

    return prepare


async def _eligibility(s: Scene) -> Target:
    params = {"role": "marketing", "username": s.free_account.username}
    return await _shop_read("/eligibility", params)(s)


async def _rename_shop(s: Scene) -> Target:
    shop = await s.shop()
    return Target(
        f"/shops/{shop}",
        f"/shops/{MISSING}",
        json={"name": unique("Renamed ")},
        probe=f"/shops/{shop}",
    )


async def _close_shop(s: Scene) -> Target:
    shop = await s.shop()
    return Target(f"/shops/{shop}/close", f"/shops/{MISSING}/close", probe=f"/shops/{shop}")


async def _request_official(s: Scene) -> Target:
    shop, account = await s.shop(), await s.new_account()
    return Target(
        f"/shops/{shop}/official-account",
        f"/shops/{MISSING}/official-account",
        json={"method": "link_existing", "username": account.username},
        probe=f"/shops/{shop}/linked-accounts",
    )


async def _remove_official(s: Scene) -> Target:
    shop, _ = await s.pending("official")
    return Target(
        f"/shops/{shop}/official-account",
        f"/shops/{MISSING}/official-account",
        probe=f"/shops/{shop}/linked-accounts",
    )


async def _request_marketing(s: Scene) -> Target:
    shop, account = await s.shop(), await s.new_account()
    return Target(
        f"/shops/{shop}/marketing-accounts",
        f"/shops/{MISSING}/marketing-accounts",
        json={"username": account.username},
        probe=f"/shops/{shop}/linked-accounts",
    )


async def _remove_marketing(s: Scene) -> Target:
    shop, link = await s.pending("marketing")
    account = link["account_id"]
    return Target(
        f"/shops/{shop}/marketing-accounts/{account}",
        f"/shops/{MISSING}/marketing-accounts/{account}",
        probe=f"/shops/{shop}/linked-accounts",
    )


async def _read_link(s: Scene) -> Target:
    return Target(f"/link-requests/{s.link['id']}", f"/link-requests/{MISSING}")


def _link_action(action: str, role: str = "official", json: Any = None) -> Prepare:
    async def prepare(s: Scene) -> Target:
        _, link = await s.pending(role)
        return Target(
            f"/link-requests/{link['id']}/{action}",
            f"/link-requests/{MISSING}/{action}",
            json=json,
            probe=f"/link-requests/{link['id']}",
        )

    return prepare


async def _reviews(s: Scene) -> Target:
    return Target("/reviews", params={"status": "pending"})


def _review_action(action: str, json: Any = None) -> Prepare:
    async def prepare(s: Scene) -> Target:
        link = await s.in_review()
        return Target(
            f"/reviews/{link['id']}/{action}",
            f"/reviews/{MISSING}/{action}",
            json=json,
            probe=f"/link-requests/{link['id']}",
        )

    return prepare


async def _read_account(s: Scene) -> Target:
    return Target(f"/accounts/{s.account.id}", f"/accounts/{MISSING}")


def _account_write(json: Any = None) -> Prepare:
    async def prepare(s: Scene) -> Target:
        account = await s.new_account()
        return Target(
            f"/accounts/{account.id}",
            f"/accounts/{MISSING}",
            json=json,
            probe=f"/accounts/{account.id}",
        )

    return prepare


async def _create_user(s: Scene) -> Target:
    username = unique("newuser")
    return Target("/users", json={"username": username, "password": PASSWORD, "display_name": "N"})


async def _create_seller(s: Scene) -> Target:
    body = {
        "entity_name": "Other Trading",
        "entity_id": unique("ENT-"),
        "entity_type": "business",
        "region": "US",
        "owner_user_id": s.stranger.id,
    }
    return Target("/sellers", json=body)


async def _create_account(s: Scene) -> Target:
    username = unique("acct.")
    body = {
        "username": username,
        "nickname": "Nick",
        "region": "US",
        "kind": "personal",
        "owner_user_id": s.stranger.id,
    }
    return Target("/accounts", json=body)


ROWS = (
    Row("GET /shops/{id}", "GET", _shop_read(""), STAFF, STAFF),
    Row("PATCH /shops/{id}", "PATCH", _rename_shop, MANAGERS, STAFF),
    Row("POST /shops/{id}/close", "POST", _close_shop, OWNERS, STAFF),
    Row("GET /shops/{id}/eligibility", "GET", _eligibility, STAFF, STAFF),
    Row("POST /shops/{id}/official-account", "POST", _request_official, MANAGERS, STAFF, 202),
    Row("GET /shops/{id}/official-account", "GET", _shop_read("/official-account"), STAFF, STAFF),
    Row("DELETE /shops/{id}/official-account", "DELETE", _remove_official, MANAGERS, STAFF),
    Row("POST /shops/{id}/marketing-accounts", "POST", _request_marketing, STAFF, STAFF, 202),
    Row("DELETE /shops/{id}/marketing-accounts/{a}", "DELETE", _remove_marketing, STAFF, STAFF),
    Row("GET /shops/{id}/linked-accounts", "GET", _shop_read("/linked-accounts"), STAFF, STAFF),
    Row("GET /shops/{id}/events", "GET", _shop_read("/events"), STAFF, STAFF),
    Row("GET /link-requests/{id}", "GET", _read_link, LINK_SEERS, LINK_SEERS),
    Row(
        "POST /link-requests/{id}/authorize",
        "POST",
        _link_action("authorize", json={"accept_terms": True}),
        frozenset({ACCOUNT_OWNER}),
        LINK_SEERS,
    ),
    Row(
        "POST /link-requests/{id}/decline",
        "POST",
        _link_action("decline"),
        frozenset({ACCOUNT_OWNER}),
        LINK_SEERS,
    ),
    Row(
        "POST /link-requests/{id}/cancel (official)",
        "POST",
        _link_action("cancel"),
        MANAGERS,
        LINK_SEERS,
    ),
    Row(
        "POST /link-requests/{id}/cancel (marketing)",
        "POST",
        _link_action("cancel", role="marketing"),
        STAFF,
        LINK_SEERS,
    ),
    Row("GET /reviews", "GET", _reviews, REVIEWERS, REVIEWERS),
    Row("POST /reviews/{id}/approve", "POST", _review_action("approve"), REVIEWERS, LINK_SEERS),
    Row(
        "POST /reviews/{id}/reject",
        "POST",
        _review_action("reject", json={"reason": "Blurry avatar"}),
        REVIEWERS,
        LINK_SEERS,
    ),
    Row("GET /accounts/{id}", "GET", _read_account, ACCOUNT_SEERS, ACCOUNT_SEERS),
    Row(
        "PATCH /accounts/{id}",
        "PATCH",
        _account_write({"nickname": "Renamed"}),
        ACCOUNT_SEERS,
        ACCOUNT_SEERS,
    ),
    Row("DELETE /accounts/{id}", "DELETE", _account_write(), ACCOUNT_SEERS, ACCOUNT_SEERS),
    Row("POST /users", "POST", _create_user, ADMINS, ADMINS, 201),
    Row("POST /sellers", "POST", _create_seller, ADMINS, ADMINS, 201),
    Row("POST /accounts", "POST", _create_account, ADMINS, ADMINS, 201),
)


def _problem(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json() if response.content else {}
    return response.status_code, str(body.get("code")), str(body.get("detail"))


async def _check_cell(s: Scene, row: Row, caller: str) -> str | None:
    """None if the cell behaves; else what went wrong."""
    target = await row.prepare(s)
    before = await s.send(ADMIN, "GET", target.probe) if target.probe else None
    response = await s.send(caller, row.method, target.path, json=target.json, params=target.params)
    status = response.status_code
    seen = f"got {status} {response.text[:300]}"

    if caller == ANONYMOUS or caller not in row.allowed:
        if status in CODES:
            ctype = response.headers.get("content-type", "")
            code = response.json().get("code") if ctype.startswith("application/problem") else None
            if code != CODES[status]:
                return f"a refusal must be problem+json with code {CODES[status]}; {seen}"
        if target.probe:
            after = await s.send(ADMIN, "GET", target.probe)
            assert before is not None
            if after.json() != before.json():
                return f"a refused request changed {target.probe}; {seen}"

    if caller == ANONYMOUS:
        return None if status == 401 else f"expected 401 UNAUTHENTICATED; {seen}"
    if caller in row.allowed:
        return None if status == row.expect else f"expected {row.expect}; {seen}"
    if target.missing_path is None:  # not about one object: only the caller's role counts
        return None if status == 403 else f"expected 403 FORBIDDEN; {seen}"
    if status not in (403, 404):
        return f"expected 403 FORBIDDEN or 404 NOT_FOUND; {seen}"
    if caller not in row.sees:
        missing = await s.send(
            caller, row.method, target.missing_path, json=target.json, params=target.params
        )
        if _problem(response) != _problem(missing):
            return (
                f"may not see the object, but its answer {_problem(response)} differs from "
                f"the answer for an id that does not exist {_problem(missing)}"
            )
    return None


async def test_every_caller_gets_exactly_its_rights_on_every_endpoint(world: World) -> None:
    scene = Scene(world)
    await scene.build()
    failures = []
    for row in ROWS:
        for caller in CALLERS:
            problem = await _check_cell(scene, row, caller)
            if problem:
                failures.append(f"{row.endpoint:48} | {caller:30} | {problem}")
    assert not failures, f"{len(failures)} access-matrix cells misbehave:\n" + "\n".join(failures)


def test_matrix_table_is_consistent() -> None:
    for row in ROWS:
        assert row.allowed <= set(CALLERS) and row.sees <= set(CALLERS), row.endpoint
        assert row.allowed <= row.sees, f"{row.endpoint}: an allowed caller must see the object"
