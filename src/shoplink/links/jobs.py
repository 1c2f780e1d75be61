"""Timed link and shop jobs, run by `shoplink worker`: expiry, reminders, end of probation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.links import lifecycle
from shoplink.models import Link, Shop

REMIND_BEFORE = timedelta(hours=6)


async def remind_expiring(session: AsyncSession, *, now: datetime) -> int:
    stmt = (
        select(Link)
        .where(
            Link.status == "pending_authorization",
            Link.reminded_at.is_(None),
            Link.expires_at > now,
            Link.expires_at <= now + REMIND_BEFORE,
        )
        .with_for_update(skip_locked=True)
    )
    links = list((await session.execute(stmt)).scalars())
    for link in links:
        link.reminded_at = now
        audit.record(
            session,
            type="link.expiring",
            actor=audit.SYSTEM,
            now=now,
            shop_id=link.shop_id,
            account_id=link.account_id,
            link_id=link.id,
            role=link.role,
            expires_at=link.expires_at.isoformat() if link.expires_at else None,
        )
    await session.flush()
    return len(links)


async def end_probations(session: AsyncSession, *, now: datetime) -> int:
    stmt = (
        select(Shop)
        .where(Shop.probation_ends_at <= now, Shop.probation_ended_at.is_(None))
        .with_for_update(skip_locked=True)
    )
    shops = list((await session.execute(stmt)).scalars())
    for shop in shops:
        shop.probation_ended_at = now
        audit.record(
            session,
            type="shop.probation_ended",
            actor=audit.SYSTEM,
            now=now,
            shop_id=shop.id,
            reason="period_elapsed",
        )
    await session.flush()
    return len(shops)


async def run_due(session: AsyncSession, *, now: datetime) -> int:
    expired = await lifecycle.expire_due(session, now=now)
    return (
        expired + await remind_expiring(session, now=now) + await end_probations(session, now=now)
    )
