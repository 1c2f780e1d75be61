from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import NotFound
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.models import Shop
from shoplink.sellers.auth import ANY_STAFF, require_staff


async def shop_for(
    session: AsyncSession,
    principal: Principal,
    shop_id: int,
    *,
    roles: frozenset[str] = ANY_STAFF,
    lock: bool = False,
) -> Shop:
    """Load a shop the caller works for; lock it (FOR UPDATE) before counting its slots."""
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("Shop")
    await require_staff(session, principal, shop.seller_id, roles=roles, hidden_as="Shop")
    if lock:
        # Only after the caller is known to work here: outsiders must not hold our locks.
        shop = await lock_by_id(session, Shop, shop_id)
        assert shop is not None  # shops are closed, never deleted
    return shop
