from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.catalog import repository as repo
from shoplink.catalog.schemas import Money, ProductCreate, ProductPatch
from shoplink.errors import NotFound, RuleViolation, ValidationFailed
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.kit.pagination import PageParams
from shoplink.models import Product, Shop
from shoplink.policy import money
from shoplink.policy.search_terms import index_terms
from shoplink.policy.texts import N_
from shoplink.shops.auth import shop_for


def shop_closed() -> RuleViolation:
    return RuleViolation(
        N_("The shop is closed."), code="SHOP_CLOSED", next_action=N_("Closed shops sell nothing.")
    )


async def open_shop_for(session: AsyncSession, actor: Principal, shop_id: int) -> Shop:
    shop = await shop_for(session, actor, shop_id)
    if shop.status != "active":
        raise shop_closed()
    return shop


async def create_product(
    session: AsyncSession, actor: Principal, *, shop_id: int, data: ProductCreate, now: datetime
) -> Product:
    await open_shop_for(session, actor, shop_id)
    product = Product(
        shop_id=shop_id,
        sku=data.sku,
        title=data.title,
        description=data.description,
        price_minor=data.money.price_minor,
        currency=data.currency,
        stock=data.stock,
        status=data.status,
        commission_bps=data.money.commission_bps,
        title_terms=index_terms(data.title),
        body_terms=index_terms(data.description),
        created_at=now,
        updated_at=now,
    )
    await repo.flush_unique_sku(session, product)
    audit.record(
        session,
        type="product.created",
        actor=actor,
        now=now,
        shop_id=shop_id,
        product_id=product.id,
        sku=product.sku,
        status=product.status,
    )
    return product


async def product_for(
    session: AsyncSession, actor: Principal, *, shop_id: int, product_id: int, lock: bool = False
) -> Product:
    await shop_for(session, actor, shop_id)
    product = (
        await lock_by_id(session, Product, product_id)
        if lock
        else await session.get(Product, product_id)
    )
    if product is None or product.shop_id != shop_id:
        raise NotFound("Product")
    return product


def _new_money(product: Product, data: ProductPatch, fields: set[str]) -> Money:
    rate = (
        data.affiliate_commission_rate
        if "affiliate_commission_rate" in fields
        else (
            money.bps_to_rate(product.commission_bps)
            if product.commission_bps is not None
            else None
        )
    )
    try:
        return data.money_for(
            price=money.minor_to_price(product.price_minor, product.currency),
            currency=product.currency,
            rate=rate,
        )
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        raise ValidationFailed(
            "Invalid product", errors=[{"field": f"body.{field}", "message": message}]
        ) from exc


async def update_product(
    session: AsyncSession,
    actor: Principal,
    *,
    shop_id: int,
    product_id: int,
    data: ProductPatch,
    now: datetime,
) -> Product:
    await open_shop_for(session, actor, shop_id)
    product = await product_for(session, actor, shop_id=shop_id, product_id=product_id, lock=True)
    fields = data.model_fields_set
    changed_money = _new_money(product, data, fields)
    was_archived = product.status == "archived"
    for name in ("title", "description", "stock", "status", "currency"):
        value = getattr(data, name)
        if name in fields and value is not None:
            setattr(product, name, value)
    product.price_minor = changed_money.price_minor
    product.commission_bps = changed_money.commission_bps
    product.title_terms = index_terms(product.title)
    product.body_terms = index_terms(product.description)
    product.updated_at = now
    if data.sku is not None and data.sku != product.sku:
        product.sku = data.sku
        await repo.flush_unique_sku(session, product)
    await session.flush()
    removed = await repo.prune_showcases(
        session, shop_id=shop_id, product_ids=select(Product.id).where(Product.id == product.id)
    )
    audit.record(
        session,
        type=(
            "product.archived"
            if product.status == "archived" and not was_archived
            else "product.updated"
        ),
        actor=actor,
        now=now,
        shop_id=shop_id,
        product_id=product.id,
        fields=sorted(fields),
        removed_from_showcases=removed or None,
    )
    return product


async def archive_product(
    session: AsyncSession, actor: Principal, *, shop_id: int, product_id: int, now: datetime
) -> Product:
    product = await product_for(session, actor, shop_id=shop_id, product_id=product_id, lock=True)
    if product.status == "archived":
        return product  # DELETE is idempotent
    return await update_product(
        session,
        actor,
        shop_id=shop_id,
        product_id=product_id,
        data=ProductPatch(status="archived"),
        now=now,
    )


async def list_products(
    session: AsyncSession,
    actor: Principal,
    *,
    shop_id: int,
    status: str | None,
    page: PageParams,
) -> list[Product]:
    await shop_for(session, actor, shop_id)
    stmt = select(Product).where(Product.shop_id == shop_id)
    if status is not None:
        stmt = stmt.where(Product.status == status)
    if page.after_id is not None:
        stmt = stmt.where(Product.id > page.after_id)
    stmt = stmt.order_by(Product.id).limit(page.limit + 1)
    return list((await session.execute(stmt)).scalars())
