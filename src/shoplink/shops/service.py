from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.errors import NotFound, RuleViolation, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.links import lifecycle, naming
from shoplink.links import repository as links_repo
from shoplink.models import Account, Seller, SellerStaff, Shop
from shoplink.policy import Profile
from shoplink.policy.rules import shop_rename_violations, store_type_violations
from shoplink.policy.texts import N_
from shoplink.sellers.auth import MANAGERS, require_staff
from shoplink.shops.auth import shop_for
from shoplink.shops.schemas import ShopCreate, ShopUpdate


async def create_shop(
    session: AsyncSession, actor: Principal, profile: Profile, *, data: ShopCreate, now: datetime
) -> Shop:
    await require_staff(session, actor, data.seller_id, roles=MANAGERS)
    if await session.get(Seller, data.seller_id) is None:
        raise NotFound("Seller")
    days = profile.commerce.probation_days
    shop = Shop(
        seller_id=data.seller_id,
        name=data.name,
        region=data.region,
        store_type=data.store_type,
        status="active",
        created_at=now,
        probation_ends_at=now + timedelta(days=days) if days else None,
    )
    session.add(shop)
    await session.flush()
    audit.record(
        session,
        type="shop.created",
        actor=actor,
        now=now,
        shop_id=shop.id,
        name=shop.name,
        region=shop.region,
    )
    return shop


async def list_shops(session: AsyncSession, actor: Principal, *, page: PageParams) -> list[Shop]:
    stmt = select(Shop).order_by(Shop.id).limit(page.limit + 1)
    if not actor.is_admin:
        mine = select(SellerStaff.seller_id).where(SellerStaff.user_id == actor.user_id)
        stmt = stmt.where(Shop.seller_id.in_(mine))
    if page.after_id is not None:
        stmt = stmt.where(Shop.id > page.after_id)
    return list((await session.execute(stmt)).scalars())


async def update_shop(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop_id: int,
    data: ShopUpdate,
    now: datetime,
) -> Shop:
    shop = await shop_for(session, actor, shop_id, roles=MANAGERS, lock=True)
    if shop.status != "active":
        raise RuleViolation(
            N_("The shop is closed."),
            code="SHOP_CLOSED",
            next_action=N_("Closed shops cannot be changed."),
        )
    if data.store_type is not None:
        refuse_if_any(
            store_type_violations(profile, current=shop.store_type, requested=data.store_type)
        )
        shop.store_type = data.store_type
    if data.name is not None and data.name != shop.name:
        await _rename(session, actor, profile, shop=shop, new_name=data.name, now=now)
    await session.flush()
    return shop


async def _rename(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop: Shop,
    new_name: str,
    now: datetime,
) -> None:
    official = await links_repo.bound_official(session, shop_id=shop.id)
    changes = await naming.changes_in_window(session, profile, shop_id=shop.id, now=now)
    refuse_if_any(
        shop_rename_violations(
            profile, has_bound_official=official is not None, changes_in_window=changes
        )
    )
    account = await session.get(Account, official.account_id) if official else None
    naming.rename_pair(session, shop=shop, account=account, new_name=new_name, actor=actor, now=now)


async def close_shop(
    session: AsyncSession, actor: Principal, *, shop_id: int, now: datetime
) -> Shop:
    shop = await shop_for(session, actor, shop_id, roles=frozenset({"owner"}), lock=True)
    if shop.status == "closed":
        raise RuleViolation(
            N_("The shop is already closed."),
            code="INVALID_STATE",
            next_action=N_("Nothing to do."),
        )
    shop.status = "closed"
    shop.closed_at = now
    audit.record(session, type="shop.closed", actor=actor, now=now, shop_id=shop.id)
    await lifecycle.terminate_live_links(
        session, actor=actor, now=now, reason="shop_closed", shop_id=shop.id
    )
    return shop
