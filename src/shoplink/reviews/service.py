"""The reviewer's queue: pending reviews oldest first, each with today's rule checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.links import facts
from shoplink.links import repository as repo
from shoplink.links.presenters import account_card, link_out
from shoplink.links.schemas import Reason, ReviewItem
from shoplink.models import Account, Link, Shop
from shoplink.policy import Profile

STATUS_FILTER = {"pending": "pending_review", "approved": "active", "rejected": "rejected"}


async def queue(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    status: str,
    page: PageParams,
    now: datetime,
) -> list[Link]:
    stmt = select(Link).where(repo.has_status(STATUS_FILTER[status], now))
    if status != "pending":
        stmt = stmt.where(Link.reviewed_at.is_not(None))
    if page.after_id is not None:
        stmt = stmt.where(Link.id > page.after_id)
    return list((await session.execute(stmt.order_by(Link.id).limit(page.limit + 1))).scalars())


async def review_item(
    session: AsyncSession, profile: Profile, link: Link, now: datetime
) -> ReviewItem:
    shop = await session.get(Shop, link.shop_id)
    account = await session.get(Account, link.account_id)
    assert shop is not None and account is not None
    violations = await facts.violations_now(
        session, profile, link, shop=shop, account=account, now=now
    )
    checks = [Reason.of(v) for v in violations]
    return ReviewItem(
        link=link_out(link, now), account=account_card(account), shop_name=shop.name, checks=checks
    )
