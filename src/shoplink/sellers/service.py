from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import Forbidden, NotFound, RuleViolation
from shoplink.identity.principal import Principal
from shoplink.models import Seller, SellerStaff, User
from shoplink.policy.texts import N_
from shoplink.sellers.auth import require_staff
from shoplink.sellers.schemas import SellerCreate, StaffAdd


async def create_seller(
    session: AsyncSession, actor: Principal, *, data: SellerCreate, now: datetime
) -> Seller:
    if not actor.is_admin:
        raise Forbidden("Only an admin can register sellers")
    if await session.get(User, data.owner_user_id) is None:
        raise NotFound("User")
    seller = Seller(
        entity_name=data.entity_name,
        entity_id=data.entity_id,
        entity_type=data.entity_type,
        region=data.region,
        created_at=now,
    )
    session.add(seller)
    await session.flush()
    session.add(SellerStaff(seller_id=seller.id, user_id=data.owner_user_id, role="owner"))
    return seller


async def get_seller(session: AsyncSession, actor: Principal, *, seller_id: int) -> Seller:
    await require_staff(session, actor, seller_id)
    seller = await session.get(Seller, seller_id)
    if seller is None:
        raise NotFound("Seller")
    return seller


async def add_staff(
    session: AsyncSession, actor: Principal, *, seller_id: int, data: StaffAdd
) -> SellerStaff:
    await require_staff(session, actor, seller_id, roles=frozenset({"owner"}))
    if await session.get(Seller, seller_id) is None:
        raise NotFound("Seller")
    if await session.get(User, data.user_id) is None:
        raise NotFound("User")
    staff = SellerStaff(seller_id=seller_id, user_id=data.user_id, role=data.role)
    session.add(staff)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise RuleViolation(
            N_("That user is already on the seller's staff"),
            code="ALREADY_STAFF",
            next_action=N_("Nothing to do."),
        ) from exc
    return staff
