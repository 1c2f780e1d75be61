"""Product rows: the sku rule held by the unique index, bulk upserts, and showcase pruning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Select, bindparam, column, delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import RuleViolation
from shoplink.models import Link, Product, ShowcaseItem
from shoplink.models.base import UTCDateTime
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


# The import hands each batch to the database as one JSON array, read there by json_each
# (SQLite) or jsonb_array_elements (PostgreSQL): one statement and one parameter per batch,
# so the database does the rows' work without a round trip (or, on SQLite, a step from
# Python) per row. Faster than executemany on SQLite; on PostgreSQL about as fast as COPY,
# and cheaper to send than one array per column (asyncpg checks each element's type).


# One probe of the unique index per sku, whatever the statistics say: during a bulk import
# they lag far behind the table, and a plain `sku = ANY(...)` was then planned as a scan of
# all the shop's products per batch (quadratic: 48 ms a batch at 200k products).
_POSTGRES_KNOWN = text(
    "SELECT count(*) FROM jsonb_array_elements_text(CAST(:skus AS JSONB)) AS line(sku)"
    " CROSS JOIN LATERAL"
    " (SELECT FROM products WHERE shop_id = :shop_id AND sku = line.sku LIMIT 1) AS known"
)


async def count_existing(session: AsyncSession, *, shop_id: int, skus: Sequence[str]) -> int:
    """How many of `skus` (at most a batch) the shop has."""
    listed = orjson.dumps(list(skus)).decode()
    if session.get_bind().dialect.name == "postgresql":
        params = {"shop_id": shop_id, "skus": listed}
        return int((await session.execute(_POSTGRES_KNOWN, params)).scalar_one())
    known = Product.sku.in_(select(column("value")).select_from(func.json_each(listed)))
    stmt = select(func.count()).where(Product.shop_id == shop_id, known)
    return int((await session.execute(stmt)).scalar_one())


# What an import line carries, in the order of the rows given to upsert_lines, with its type
# on PostgreSQL (which reads every JSON value as text first).
IMPORT_COLUMNS = {
    "sku": "TEXT",
    "title": "TEXT",
    "description": "TEXT",
    "price_minor": "BIGINT",
    "currency": "TEXT",
    "stock": "BIGINT",
    "status": "TEXT",
    "commission_bps": "INTEGER",
    "title_terms": "TEXT",
    "body_terms": "TEXT",
}
_INSERT = f"INSERT INTO products (shop_id, {', '.join(IMPORT_COLUMNS)}, created_at, updated_at)"
_ON_CONFLICT = "ON CONFLICT (shop_id, sku) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in UPSERT_COLUMNS
)
# Rows go in in file order, for ids in that order.
_SQLITE_UPSERT = text(
    f"{_INSERT} SELECT :shop_id, "
    + ", ".join(f"value ->> {i}" for i in range(len(IMPORT_COLUMNS)))
    # "WHERE true": without it SQLite would read ON CONFLICT as the ON of a join.
    + f", :at, :at FROM json_each(:rows) WHERE true ORDER BY key {_ON_CONFLICT}"
).bindparams(bindparam("at", type_=UTCDateTime))
_POSTGRES_UPSERT = text(
    f"{_INSERT} SELECT CAST(:shop_id AS INTEGER), "
    + ", ".join(f"CAST(value ->> {i} AS {t})" for i, t in enumerate(IMPORT_COLUMNS.values()))
    + ", CAST(:at AS TIMESTAMPTZ), CAST(:at AS TIMESTAMPTZ)"
    " FROM jsonb_array_elements(CAST(:rows AS JSONB)) WITH ORDINALITY AS line(value, n)"
    f" ORDER BY n {_ON_CONFLICT}"
).bindparams(bindparam("at", type_=UTCDateTime))


async def upsert_lines(
    session: AsyncSession, *, shop_id: int, at: datetime, rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert or update by (shop_id, sku); rows hold IMPORT_COLUMNS and have unique skus."""
    postgres = session.get_bind().dialect.name == "postgresql"
    params = {"shop_id": shop_id, "at": at, "rows": orjson.dumps(rows).decode()}
    await session.execute(_POSTGRES_UPSERT if postgres else _SQLITE_UPSERT, params)


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
