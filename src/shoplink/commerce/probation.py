from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.errors import NotFound, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.models import Shop
from shoplink.policy.commerce import probation_complete_violations
from shoplink.policy.rules import in_probation


async def complete(
    session: AsyncSession, reviewer: Principal, *, shop_id: int, now: datetime
) -> Shop:
    """A reviewer ends a shop's probation early (the worker ends it when the time is up)."""
    shop = await lock_by_id(session, Shop, shop_id)
    if shop is None:
        raise NotFound("Shop")
    refuse_if_any(
        probation_complete_violations(in_probation=in_probation(shop.probation_ends_at, now))
    )
    shop.probation_ends_at = now
    shop.probation_ended_at = now
    audit.record(
        session,
        type="shop.probation_ended",
        actor=reviewer,
        now=now,
        shop_id=shop.id,
        reason="reviewer",
    )
    await session.flush()
    return shop
