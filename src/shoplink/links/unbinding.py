"""The seller ends a link: unbind an active one, or withdraw a pending one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import NotFound, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.links import lifecycle
from shoplink.links import repository as repo
from shoplink.links.requesting import roles_for
from shoplink.models import Link
from shoplink.models.link import LIVE_STATUSES
from shoplink.policy import Profile
from shoplink.policy.rules import unbind_violations
from shoplink.shops.auth import shop_for


async def remove(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop_id: int,
    role: str,
    account_id: int | None = None,
    now: datetime,
) -> Link:
    shop = await shop_for(session, actor, shop_id, roles=roles_for(role), lock=True)
    await lifecycle.expire_due(session, now=now, shop_id=shop.id)
    stmt = select(Link).where(
        Link.shop_id == shop.id, Link.role == role, Link.status.in_(LIVE_STATUSES)
    )
    if account_id is not None:
        stmt = stmt.where(Link.account_id == account_id)
    link = (await session.execute(stmt.with_for_update().limit(1))).scalar_one_or_none()
    if link is None:
        raise NotFound(f"{role.capitalize()} account link")
    if link.status != "active":
        lifecycle.end(
            session, link, status="cancelled", actor=actor, now=now, event="link.cancelled"
        )
        await session.flush()
        return link
    assert link.bound_at is not None
    used = await repo.official_unbinds_used(session, shop_id=shop.id) if role == "official" else 0
    refuse_if_any(
        unbind_violations(
            profile, role=role, bound_at=link.bound_at, now=now, official_unbinds_used=used
        )
    )
    lifecycle.end(session, link, status="unbound", actor=actor, now=now, event="link.unbound")
    await session.flush()
    return link
