"""Product rows: the sku rule held by the unique index, bulk upserts, and showcase pruning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import RuleViolation
from shoplink.models import Link, Product, ShowcaseItem
from shoplink.policy.texts import N_

# An upsert replaces everything an import line carries, never the row's identity or birth.
UPSERT_COLUMNS = (
    "title",
    "description",
    "price_minor",
    "currency",
    "stock",
    "status",
    "commission_bps",
    "title_terms",
    "body_terms",
    "updated_at",
)


def sku_taken(sku: str) -> RuleViolation:
    return RuleViolation(
        N_("The shop already has a product with sku '%(sku)s'"),
        code="SKU_TAKEN",
        next_action=N_("Choose another sku, or update the existing product."),
        params={"sku": sku},
    )


async def flush_unique_sku(session: AsyncSession, product: Product) -> None:
    """Flush a new or re-skued product; the unique index decides a taken sku, even in a race."""
    # Read before the flush: rolling the savepoint back expires a persistent product's
    # attributes, and reloading `product.sku` then fails (PendingRollbackError, a 500).
    sku = product.sku
    try:
        async with session.begin_nested():
            session.add(product)
            await session.flush()
    except IntegrityError as exc:
        raise sku_taken(sku) from exc


async def existing_skus(session: AsyncSession, *, shop_id: int, skus: Sequence[str]) -> set[str]:
    stmt = select(Product.sku).where(Product.shop_id == shop_id, Product.sku.in_(skus))
    return set((await session.execute(stmt)).scalars())


async def upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert or update by (shop_id, sku) in one statement per batch (rows have unique skus)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Product)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Product.shop_id, Product.sku],
        set_={column: stmt.excluded[column] for column in UPSERT_COLUMNS},
    )
    await session.execute(stmt, rows)


def products_of(shop_id: int, skus: Sequence[str]) -> Select[int]:
    return select(Product.id).where(Product.shop_id == shop_id, Product.sku.in_(skus))


async def prune_showcases(session: AsyncSession, *, shop_id: int, product_ids: Select[int]) -> int:
    """Take archived products out of every showcase, and products closed to affiliates out of
    every showcase but those of the shop's own marketing accounts."""
    archived = delete(ShowcaseItem).where(
        ShowcaseItem.product_id.in_(product_ids.where(Product.status == "archived"))
    )
    own_marketing = select(Link.account_id).where(
        Link.shop_id == shop_id, Link.role == "marketing", Link.status == "active"
    )
    closed = delete(ShowcaseItem).where(
        ShowcaseItem.product_id.in_(product_ids.where(Product.commission_bps.is_(None))),
        ShowcaseItem.account_id.not_in(own_marketing),
    )
    removed = 0
    for stmt in (archived, closed):
        result: Any = await session.execute(stmt.execution_options(synchronize_session=False))
        removed += result.rowcount or 0
    return removed
