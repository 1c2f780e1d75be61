"""Queries about links. "Live" means pending or active, with an expired request not live even
before a write path has marked it expired (every read and count sees expiry at once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.kit.statements import Statement
from shoplink.models import Link, NameChange


def live(now: datetime) -> ColumnElement[bool]:
    return or_(
        Link.status.in_(("pending_review", "active")),
        and_(Link.status == "pending_authorization", Link.expires_at > now),
    )


def has_status(status: str, now: datetime) -> ColumnElement[bool]:
    """Filter by the status a reader sees (a lapsed request reads as expired)."""
    lapsed = and_(Link.status == "pending_authorization", Link.expires_at <= now)
    if status == "expired":
        return or_(Link.status == "expired", lapsed)
    if status == "pending_authorization":
        return and_(Link.status == status, Link.expires_at > now)
    return Link.status == status


async def live_links_of_shop(session: AsyncSession, *, shop_id: int, now: datetime) -> list[Link]:
    stmt = select(Link).where(Link.shop_id == shop_id, live(now)).order_by(Link.id)
    return list((await session.execute(stmt)).scalars())


async def live_link_of_account(
    session: AsyncSession, *, account_id: int, now: datetime, excluding: int | None = None
) -> Link | None:
    stmt = select(Link).where(Link.account_id == account_id, live(now))
    if excluding is not None:
        stmt = stmt.where(Link.id != excluding)
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


async def bound_official(
    session: AsyncSession, *, shop_id: int | None = None, account_id: int | None = None
) -> Link | None:
    stmt = select(Link).where(Link.role == "official", Link.status == "active")
    if shop_id is not None:
        stmt = stmt.where(Link.shop_id == shop_id)
    if account_id is not None:
        stmt = stmt.where(Link.account_id == account_id)
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


# Counted in every unbind and marketing request (kit/statements.py).
_UNBINDS = Statement(
    select(func.count().label("n")).where(
        Link.shop_id == bindparam("shop_id"), Link.role == "official", Link.status == "unbound"
    )
)
_MARKETING_SINCE = Statement(
    select(func.count().label("n")).where(
        Link.account_id == bindparam("account_id"),
        Link.role == "marketing",
        Link.bound_at >= bindparam("since"),
    )
)


async def official_unbinds_used(session: AsyncSession, *, shop_id: int) -> int:
    return int((await _UNBINDS.one(session, shop_id=shop_id)).n)


async def marketing_links_since(session: AsyncSession, *, account_id: int, since: datetime) -> int:
    """How often the account became a bound marketing account since `since`."""
    return int((await _MARKETING_SINCE.one(session, account_id=account_id, since=since)).n)


async def name_changes_since(session: AsyncSession, *, shop_id: int, since: datetime) -> int:
    stmt = select(func.count()).where(NameChange.shop_id == shop_id, NameChange.changed_at > since)
    return int((await session.execute(stmt)).scalar_one())


async def due_expirations(
    session: AsyncSession,
    *,
    now: datetime,
    shop_id: int | None = None,
    account_id: int | None = None,
) -> list[Link]:
    """Lapsed requests of the shop or of the account (every one when neither is given)."""
    stmt = select(Link).where(Link.status == "pending_authorization", Link.expires_at <= now)
    scope: list[ColumnElement[bool]] = []
    if shop_id is not None:
        scope.append(Link.shop_id == shop_id)
    if account_id is not None:
        scope.append(Link.account_id == account_id)
    if scope:
        stmt = stmt.where(or_(*scope))
    stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return list((await session.execute(stmt)).scalars())


def window_start(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
