from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import NotFound
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.models import Seller, SellerStaff, Shop
from shoplink.sellers.auth import ANY_STAFF, require_role


async def shop_for(
    session: AsyncSession,
    principal: Principal,
    shop_id: int,
    *,
    roles: frozenset[str] = ANY_STAFF,
    lock: bool = False,
) -> Shop:
    """Load a shop the caller works for; lock it (FOR UPDATE) before counting its slots.

    One query brings the shop, its seller (the link rules read it next, from the session)
    and the caller's role there.
    """
    stmt = (
        select(Shop, Seller, SellerStaff.role)
        .join(Seller, Seller.id == Shop.seller_id)
        .outerjoin(
            SellerStaff,
            and_(SellerStaff.seller_id == Shop.seller_id, SellerStaff.user_id == principal.user_id),
        )
        .where(Shop.id == shop_id)
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound("Shop")
    shop, _, role = row
    require_role(principal, role, roles=roles, hidden_as="Shop")
    if lock:
        # Only after the caller is known to work here: outsiders must not hold our locks.
        locked = await lock_by_id(session, Shop, shop_id)
        assert locked is not None  # shops are closed, never deleted
        return locked
    return shop
