"""Factory functions that build a world through the public API, as a platform team would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

ADMIN_TOKEN = "test-admin-token"
PASSWORD = "correct horse battery"
API = "/api/v1"
_seq = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_seq)}"


@dataclass
class Person:
    id: int
    username: str
    headers: dict[str, str]


@dataclass
class ShopRef:
    id: int
    seller_id: int
    name: str
    region: str
    owner: Person
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class AccountRef:
    id: int
    username: str
    owner: Person | None
    data: dict[str, Any] = field(default_factory=dict)


class World:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.admin_headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

    async def call(
        self,
        method: str,
        path: str,
        *,
        as_: Person | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        auth = as_.headers if as_ else self.admin_headers
        return await self.client.request(
            method, API + path, json=json, params=params, headers={**auth, **(headers or {})}
        )

    async def ok(self, method: str, path: str, *, expect: int = 200, **kw: Any) -> Any:
        response = await self.call(method, path, **kw)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    async def person(self, *, reviewer: bool = False, prefix: str = "user") -> Person:
        username = unique(prefix)
        created = await self.ok(
            "POST",
            "/users",
            expect=201,
            json={
                "username": username,
                "password": PASSWORD,
                "display_name": username.title(),
                "is_reviewer": reviewer,
            },
        )
        token = await self.client.post(
            API + "/auth/token", json={"username": username, "password": PASSWORD}
        )
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        return Person(id=created["id"], username=username, headers=headers)

    async def reviewer(self) -> Person:
        return await self.person(reviewer=True, prefix="reviewer")

    async def shop(
        self,
        *,
        region: str = "US",
        owner: Person | None = None,
        entity_id: str | None = None,
        seller_id: int | None = None,
        name: str | None = None,
    ) -> ShopRef:
        owner = owner or await self.person(prefix="seller")
        if seller_id is None:
            seller = await self.ok(
                "POST",
                "/sellers",
                expect=201,
                json={
                    "entity_name": "Acme Trading",
                    "entity_id": entity_id or unique("ENT-"),
                    "entity_type": "business",
                    "region": region,
                    "owner_user_id": owner.id,
                },
            )
            seller_id = seller["id"]
        shop = await self.ok(
            "POST",
            "/shops",
            expect=201,
            as_=owner,
            json={
                "seller_id": seller_id,
                "name": name or unique("Shop "),
                "region": region,
            },
        )
        return ShopRef(shop["id"], seller_id, shop["name"], region, owner, shop)

    async def account(
        self,
        *,
        region: str = "US",
        kind: str = "personal",
        owner: Person | None = None,
        seller_id: int | None = None,
        phone: str | None = "+14155550123",
    ) -> AccountRef:
        if kind == "organization":
            body: dict[str, Any] = {"seller_id": seller_id}
        else:
            owner = owner or await self.person(prefix="owner")
            body = {"owner_user_id": owner.id}
        username = unique("acct.")
        data = await self.ok(
            "POST",
            "/accounts",
            expect=201,
            json={
                "username": username,
                "nickname": username.title(),
                "region": region,
                "kind": kind,
                "phone": phone,
                **body,
            },
        )
        return AccountRef(data["id"], username, owner, data)

    async def create_organization(self, shop: ShopRef, username: str) -> dict[str, Any]:
        """The shop's official account as a new organization account (active at once)."""
        link: dict[str, Any] = await self.ok(
            "POST",
            f"/shops/{shop.id}/official-account",
            expect=201,
            as_=shop.owner,
            json={"method": "create_organization", "username": username},
        )
        return link

    async def add_member(self, org_id: int, member: Person, role: str, *, as_: Person) -> None:
        """`member` joins the organization account as admin or operator."""
        await self.ok(
            "POST",
            f"/org-accounts/{org_id}/members",
            expect=201,
            as_=as_,
            json={"user_id": member.id, "role": role},
        )

    async def request_official(self, shop: ShopRef, account: AccountRef) -> dict[str, Any]:
        link: dict[str, Any] = await self.ok(
            "POST",
            f"/shops/{shop.id}/official-account",
            expect=202,
            as_=shop.owner,
            json={"method": "link_existing", "username": account.username},
        )
        return link

    async def request_marketing(self, shop: ShopRef, account: AccountRef) -> dict[str, Any]:
        link: dict[str, Any] = await self.ok(
            "POST",
            f"/shops/{shop.id}/marketing-accounts",
            expect=202,
            as_=shop.owner,
            json={"username": account.username},
        )
        return link

    async def authorize(self, link: dict[str, Any], account: AccountRef) -> dict[str, Any]:
        result: dict[str, Any] = await self.ok(
            "POST",
            f"/link-requests/{link['id']}/authorize",
            as_=account.owner,
            json={"accept_terms": True},
        )
        return result

    async def approve(self, link: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self.ok("POST", f"/reviews/{link['id']}/approve")
        return result

    async def bound_official(self, shop: ShopRef, account: AccountRef | None = None) -> AccountRef:
        account = account or await self.account(region=shop.region)
        link = await self.request_official(shop, account)
        await self.authorize(link, account)
        await self.approve(link)
        return account

    async def bound_marketing(self, shop: ShopRef, account: AccountRef | None = None) -> AccountRef:
        account = account or await self.account(region=shop.region)
        link = await self.request_marketing(shop, account)
        authorized = await self.authorize(link, account)
        assert authorized["status"] == "active", authorized
        return account

    async def product(self, shop: ShopRef, **fields: Any) -> dict[str, Any]:
        body = {
            "sku": unique("SKU-"),
            "title": "Plain cotton tee",
            "price": "19.90",
            "currency": "USD",
            "stock": 10,
            **fields,
        }
        product: dict[str, Any] = await self.ok(
            "POST", f"/shops/{shop.id}/products", expect=201, as_=shop.owner, json=body
        )
        return product

    async def import_products(
        self,
        shop: ShopRef,
        body: bytes | str,
        *,
        content_type: str = "text/csv",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        return await self.client.post(
            f"{API}/shops/{shop.id}/products/import",
            content=body.encode() if isinstance(body, str) else body,
            headers={**shop.owner.headers, "Content-Type": content_type, **(headers or {})},
        )

    async def shop_page(self, username: str, **params: Any) -> dict[str, Any]:
        page: dict[str, Any] = await self.ok(
            "GET", f"/profiles/{username}/shop-page", params=params, headers={}
        )
        return page

    async def advance(self, seconds: float) -> None:
        await self.ok("POST", "/test-clock", json={"advance_seconds": seconds})

    async def events(self, shop: ShopRef) -> list[str]:
        page = await self.ok(
            "GET", f"/shops/{shop.id}/events", as_=shop.owner, params={"limit": 200}
        )
        return [event["type"] for event in page["items"]]

    # --- showcases, public profiles, commerce (tests/catalog) ---------------------------------

    async def public(self, path: str, **params: Any) -> httpx.Response:
        """A GET with no Authorization header at all: what a visitor sees."""
        return await self.client.get(API + path, params=params or None)

    async def profile(self, username: str) -> dict[str, Any]:
        response = await self.public(f"/profiles/{username}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def showcase_add(
        self, account: AccountRef, product: dict[str, Any], *, expect: int = 201
    ) -> dict[str, Any]:
        item: dict[str, Any] = await self.ok(
            "POST",
            f"/accounts/{account.id}/showcase",
            expect=expect,
            as_=account.owner,
            json={"product_id": product["id"]},
        )
        return item

    async def showcase_ids(self, account: AccountRef) -> list[int]:
        """The product ids of an account's public showcase, every page followed."""
        ids: list[int] = []
        params: dict[str, Any] = {"limit": 100}
        while True:
            response = await self.public(f"/accounts/{account.id}/showcase", **params)
            assert response.status_code == 200, response.text
            page = response.json()
            ids += [item["product_id"] for item in page["items"]]
            if not page["next_cursor"]:
                return ids
            params["cursor"] = page["next_cursor"]

    async def personal_shop(self, owner: Person, seller_id: int, *, region: str = "US") -> ShopRef:
        shop = await self.ok(
            "POST",
            "/shops",
            expect=201,
            as_=owner,
            json={
                "seller_id": seller_id,
                "name": unique("Personal "),
                "region": region,
                "store_type": "personal",
            },
        )
        return ShopRef(shop["id"], seller_id, shop["name"], region, owner, shop)

    async def now(self) -> str:
        """The server's current (test-clock) time, as the API writes it."""
        clock = await self.ok("POST", "/test-clock", json={"advance_seconds": 0})
        return str(clock["now"])

    async def event_items(self, shop: ShopRef) -> list[dict[str, Any]]:
        page = await self.ok(
            "GET", f"/shops/{shop.id}/events", as_=shop.owner, params={"limit": 200}
        )
        items: list[dict[str, Any]] = page["items"]
        return items


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    for key in ("type", "title", "status", "detail", "next_action"):
        assert key in body
    return body
