"""Gathers the plain facts the pure link rules need.

A request reads them as columns, never as ORM objects: it is the busiest guarded write
(bench B3), and loading a Shop, its Seller and an Account through the ORM cost more than
the rules and the insert together. Steps that already hold those objects because they
change them (authorize, approve) describe them with `ShopSide.of` and `AccountSide.of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import NotFound
from shoplink.identity.principal import Principal
from shoplink.kit.statements import Statement
from shoplink.links import repository as repo
from shoplink.models import Account, Link, Seller, SellerStaff, Shop
from shoplink.models.link import LIVE_STATUSES
from shoplink.policy import Profile
from shoplink.policy.rules import (
    LinkFacts,
    OtherLink,
    Violation,
    in_probation,
    is_expired,
    link_violations,
)
from shoplink.sellers.auth import require_role


@dataclass(frozen=True, slots=True)
class ShopSide:
    id: int
    status: str
    region: str
    probation_ends_at: datetime | None
    seller_entity_id: str

    @classmethod
    def of(cls, shop: Shop, seller: Seller) -> ShopSide:
        return cls(shop.id, shop.status, shop.region, shop.probation_ends_at, seller.entity_id)


@dataclass(frozen=True, slots=True)
class AccountSide:
    id: int | None  # None: an organization account that is about to be created
    status: str
    region: str
    kind: str
    entity_id: str | None  # its seller's legal entity, if a seller owns it

    @classmethod
    def of(cls, account: Account, entity_id: str | None) -> AccountSide:
        return cls(account.id, account.status, account.region, account.kind, entity_id)


@dataclass(frozen=True, slots=True)
class Found:
    facts: LinkFacts
    # A request of this shop or account lapsed but is still marked pending: it must be
    # marked expired before a new link takes its slot in the unique indexes.
    lapsed: bool


# Compiled once (kit/statements.py): each runs in every binding step.
_SHOP_QUERY = (
    select(
        Shop.id,
        Shop.status,
        Shop.region,
        Shop.probation_ends_at,
        Seller.entity_id,
        SellerStaff.role,
    )
    .join(Seller, Seller.id == Shop.seller_id)
    .outerjoin(
        SellerStaff,
        and_(
            SellerStaff.seller_id == Shop.seller_id,
            SellerStaff.user_id == bindparam("user_id"),
        ),
    )
    .where(Shop.id == bindparam("shop_id"))
)
_SHOP = Statement(_SHOP_QUERY)
# PostgreSQL: the shop's row is locked as it is read (SQLite's BEGIN IMMEDIATE already holds
# the database). A caller without a role there holds the lock only until its refusal.
_SHOP_LOCKED = Statement(_SHOP_QUERY.with_for_update(of=Shop))
# The shop's links and the account's that hold an index slot, lapsed requests included
# (the rules skip those; the caller expires them).
_HOLDING = Statement(
    select(Link.id, Link.shop_id, Link.account_id, Link.role, Link.status, Link.expires_at)
    .where(
        or_(Link.shop_id == bindparam("shop_id"), Link.account_id == bindparam("account_id")),
        Link.status.in_(LIVE_STATUSES),
    )
    .order_by(Link.id)
)

# A request's account and the links holding a slot of the shop or of that account, in one
# query (one round trip less on PostgreSQL): a row per link, or the account's row alone.
_ACCOUNT_AND_HOLDING = Statement(
    select(
        Account.id,
        Account.status,
        Account.region,
        Account.kind,
        Seller.entity_id,
        Link.id.label("link_id"),
        Link.shop_id.label("link_shop_id"),
        Link.account_id.label("link_account_id"),
        Link.role.label("link_role"),
        Link.status.label("link_status"),
        Link.expires_at.label("link_expires_at"),
    )
    .outerjoin(Seller, Seller.id == Account.seller_id)
    .outerjoin(
        Link,
        and_(
            or_(Link.shop_id == bindparam("shop_id"), Link.account_id == Account.id),
            Link.status.in_(LIVE_STATUSES),
        ),
    )
    .where(Account.username == bindparam("username"))
    .order_by(Link.id)
)


class Holding(NamedTuple):
    """A link that holds a slot (lapsed requests included: the rules skip those)."""

    id: int
    shop_id: int
    account_id: int
    role: str
    status: str
    expires_at: datetime | None


async def shop_side_for(
    session: AsyncSession,
    principal: Principal,
    shop_id: int,
    *,
    roles: frozenset[str],
    lock: bool,
) -> ShopSide:
    """The shop as the rules see it, if the caller works there in one of `roles`; locked
    before its slots are counted."""
    query = _SHOP_LOCKED if lock else _SHOP
    row = await query.one_or_none(session, shop_id=shop_id, user_id=principal.user_id)
    if row is None:
        raise NotFound("Shop")
    require_role(principal, row.role, roles=roles, hidden_as="Shop")
    return ShopSide(row.id, row.status, row.region, row.probation_ends_at, row.entity_id)


async def for_request(
    session: AsyncSession,
    profile: Profile,
    *,
    shop: ShopSide,
    username: str,
    role: str,
    now: datetime,
) -> tuple[AccountSide, Found]:
    """The account named by a request and the facts the rules need, read in one query."""
    rows = await _ACCOUNT_AND_HOLDING.all(session, shop_id=shop.id, username=username)
    if not rows:
        raise NotFound("Account")
    row = rows[0]
    account = AccountSide(row.id, row.status, row.region, row.kind, row.entity_id)
    holding = [
        Holding(
            r.link_id,
            r.link_shop_id,
            r.link_account_id,
            r.link_role,
            r.link_status,
            r.link_expires_at,
        )
        for r in rows
        if r.link_id is not None
    ]
    found = await _found(session, profile, shop, account, holding, role=role, now=now)
    return account, found


async def gather(
    session: AsyncSession,
    profile: Profile,
    *,
    shop: ShopSide,
    account: AccountSide,
    role: str,
    now: datetime,
    excluding_link_id: int | None = None,
) -> Found:
    holding = await _HOLDING.all(session, shop_id=shop.id, account_id=account.id)
    return await _found(
        session, profile, shop, account, holding, role=role, now=now, excluding=excluding_link_id
    )


async def _found(
    session: AsyncSession,
    profile: Profile,
    shop: ShopSide,
    account: AccountSide,
    holding: Sequence[Holding],
    *,
    role: str,
    now: datetime,
    excluding: int | None = None,
) -> Found:
    # As repo.live(now) has it: a request past its deadline holds nothing.
    live = [
        h
        for h in holding
        if h.id != excluding
        and (h.status != "pending_authorization" or (h.expires_at and h.expires_at > now))
    ]
    lapsed = any(is_expired(status=h.status, expires_at=h.expires_at, now=now) for h in holding)
    shop_links = [link for link in live if link.shop_id == shop.id]
    other = next((link for link in live if link.account_id == account.id), None)
    recent = 0
    if role == "marketing" and profile.links.marketing_relinks_max and account.id is not None:
        since = repo.window_start(now, profile.links.marketing_relinks_window_days)
        recent = await repo.marketing_links_since(session, account_id=account.id, since=since)
    facts = LinkFacts(
        role=role,
        shop_id=shop.id,
        shop_open=shop.status == "active",
        shop_region=shop.region,
        shop_in_probation=in_probation(shop.probation_ends_at, now),
        seller_entity_id=shop.seller_entity_id,
        account_active=account.status == "active",
        account_region=account.region,
        account_kind=account.kind,
        account_entity_id=account.entity_id,
        official_taken=any(link.role == "official" for link in shop_links),
        marketing_live=sum(link.role == "marketing" for link in shop_links),
        account_other_link=OtherLink(other.shop_id, other.role) if other else None,
        marketing_links_recent=recent,
    )
    return Found(facts, lapsed=lapsed)


async def sides_of(
    session: AsyncSession, shop: Shop, account: Account
) -> tuple[ShopSide, AccountSide]:
    """For steps that hold the ORM objects: their sellers come from the session."""
    seller = await session.get(Seller, shop.seller_id)
    assert seller is not None
    owner = await session.get(Seller, account.seller_id) if account.seller_id else None
    return ShopSide.of(shop, seller), AccountSide.of(account, owner.entity_id if owner else None)


async def violations_now(
    session: AsyncSession,
    profile: Profile,
    link: Link,
    *,
    shop: Shop,
    account: Account,
    now: datetime,
) -> list[Violation]:
    """Every rule the existing link would break today, its own slot excluded."""
    shop_side, account_side_ = await sides_of(session, shop, account)
    found = await gather(
        session,
        profile,
        shop=shop_side,
        account=account_side_,
        role=link.role,
        now=now,
        excluding_link_id=link.id,
    )
    return link_violations(profile, found.facts)
