"""Gathers the plain facts the pure link rules need."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.links import repository as repo
from shoplink.models import Account, Link, Seller, Shop
from shoplink.policy import Profile
from shoplink.policy.rules import LinkFacts, OtherLink, Violation, in_probation, link_violations


async def gather(
    session: AsyncSession,
    profile: Profile,
    *,
    shop: Shop,
    account: Account,
    role: str,
    now: datetime,
    excluding_link_id: int | None = None,
) -> LinkFacts:
    seller = await session.get(Seller, shop.seller_id)
    assert seller is not None
    # The shop's live links and the account's (at most one, by a unique index) in one query,
    # as plain rows: the rules only count them.
    touching = select(Link.id, Link.shop_id, Link.account_id, Link.role).where(
        or_(Link.shop_id == shop.id, Link.account_id == account.id), repo.live(now)
    )
    live = [
        link
        for link in (await session.execute(touching.order_by(Link.id))).all()
        if link.id != excluding_link_id
    ]
    shop_links = [link for link in live if link.shop_id == shop.id]
    other = next((link for link in live if link.account_id == account.id), None)
    recent = 0
    if role == "marketing" and profile.links.marketing_relinks_max:
        since = repo.window_start(now, profile.links.marketing_relinks_window_days)
        recent = await repo.marketing_links_since(session, account_id=account.id, since=since)
    return LinkFacts(
        role=role,
        shop_id=shop.id,
        shop_open=shop.status == "active",
        shop_region=shop.region,
        shop_in_probation=in_probation(shop.probation_ends_at, now),
        seller_entity_id=seller.entity_id,
        account_active=account.status == "active",
        account_region=account.region,
        account_kind=account.kind,
        account_entity_id=await _entity_of(session, account),
        official_taken=any(link.role == "official" for link in shop_links),
        marketing_live=sum(link.role == "marketing" for link in shop_links),
        account_other_link=OtherLink(other.shop_id, other.role) if other else None,
        marketing_links_recent=recent,
    )


async def _entity_of(session: AsyncSession, account: Account) -> str | None:
    if account.seller_id is None:
        return None
    owner = await session.get(Seller, account.seller_id)
    return owner.entity_id if owner else None


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
    found = await gather(
        session,
        profile,
        shop=shop,
        account=account,
        role=link.role,
        now=now,
        excluding_link_id=link.id,
    )
    return link_violations(profile, found)
