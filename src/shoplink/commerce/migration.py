"""Douyin's way from a personal to a business store: copy the catalog into a new shop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shoplink.audit import service as audit
from shoplink.commerce.schemas import MigrationOut
from shoplink.errors import refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.models import Product, Shop
from shoplink.policy import Profile
from shoplink.policy.commerce import MigrationFacts, migration_violations
from shoplink.shops.auth import shop_for

OWNER = frozenset({"owner"})
MAX_LISTED_SKUS = 1000
COPIED_COLUMNS = (
    "sku",
    "title",
    "description",
    "price_minor",
    "currency",
    "stock",
    "status",
    "commission_bps",
    "title_terms",
    "body_terms",
)


async def migrate(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    source_id: int,
    target_id: int,
    now: datetime,
) -> MigrationOut:
    """Copy the non-archived products; a sku the target already has is skipped and listed.
    The caller must own both shops' sellers: "the same owner"."""
    source = await shop_for(session, actor, source_id, roles=OWNER)
    target = await shop_for(session, actor, target_id, roles=OWNER)
    refuse_if_any(
        migration_violations(
            profile,
            MigrationFacts(
                source_store_type=source.store_type,
                target_store_type=target.store_type,
                same_shop=source.id == target.id,
                target_open=target.status == "active",
            ),
        )
    )
    for shop_id in sorted({source.id, target.id}):  # a fixed order: no deadlock between two
        await lock_by_id(session, Shop, shop_id)
    in_target = aliased(Product)
    taken = select(in_target.sku).where(in_target.shop_id == target.id)
    to_copy = (Product.shop_id == source.id, Product.status != "archived")
    skipped_skus = list(
        (
            await session.execute(
                select(Product.sku).where(*to_copy, Product.sku.in_(taken)).order_by(Product.sku)
            )
        ).scalars()
    )
    columns: list[Any] = [getattr(Product, name) for name in COPIED_COLUMNS]
    stamp = Product.__table__.c.created_at.type
    copy = insert(Product).from_select(
        ["shop_id", *COPIED_COLUMNS, "created_at", "updated_at"],
        select(literal(target.id), *columns, literal(now, stamp), literal(now, stamp)).where(
            *to_copy, Product.sku.not_in(taken)
        ),
    )
    result: Any = await session.execute(copy)
    copied = int(result.rowcount or 0)
    outcome = MigrationOut(
        source_shop_id=source.id,
        target_shop_id=target.id,
        copied=copied,
        skipped=len(skipped_skus),
        skipped_skus=skipped_skus[:MAX_LISTED_SKUS],
    )
    for shop_id in (source.id, target.id):
        audit.record(
            session,
            type="shop.migrated",
            actor=actor,
            now=now,
            shop_id=shop_id,
            source_shop_id=source.id,
            target_shop_id=target.id,
            copied=outcome.copied,
            skipped=outcome.skipped,
        )
    return outcome
