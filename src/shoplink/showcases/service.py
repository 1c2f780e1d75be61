"""Showcases: products an account promotes by hand.

Adding checks policy.commerce.showcase_violations. Reading checks them again for every item,
so a showcase never shows what the rules no longer allow (a link that ended, a product closed
to affiliates, probation), and archiving a product deletes its rows outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.accounts.service import account_for
from shoplink.audit import service as audit
from shoplink.commerce import deposits
from shoplink.errors import NotFound, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.models import Account, Link, Product, Shop, ShowcaseItem
from shoplink.policy import Profile, money
from shoplink.policy.commerce import ShowcaseFacts, showcase_violations
from shoplink.policy.rules import in_probation

PAGE_SCAN = 4  # pages of rows read at most to fill one page of visible items


@dataclass(frozen=True, slots=True)
class Promoter:
    """What the rules need to know about the account, gathered once per request."""

    account: Account
    link_role: str | None
    link_shop_id: int | None
    link_shop_in_probation: bool
    deposit_paid: bool

    def facts(self, product: Product, shop: Shop) -> ShowcaseFacts:
        return ShowcaseFacts(
            account_active=self.account.status == "active",
            account_region=self.account.region,
            link_role=self.link_role,
            link_shop_id=self.link_shop_id,
            link_shop_in_probation=self.link_shop_in_probation,
            product_shop_id=product.shop_id,
            product_shop_region=shop.region,
            product_on_sale=product.status == "active" and shop.status == "active",
            product_open_to_affiliates=product.commission_bps is not None,
            deposit_paid=self.deposit_paid,
        )


async def promoter(
    session: AsyncSession, profile: Profile, account: Account, *, now: datetime
) -> Promoter:
    stmt = select(Link).where(Link.account_id == account.id, Link.status == "active")
    link = (await session.execute(stmt.limit(1))).scalar_one_or_none()
    shop = await session.get(Shop, link.shop_id) if link else None
    official_shop = shop.id if shop is not None and link and link.role == "official" else None
    return Promoter(
        account=account,
        link_role=link.role if link else None,
        link_shop_id=link.shop_id if link else None,
        link_shop_in_probation=shop is not None and in_probation(shop.probation_ends_at, now),
        deposit_paid=await deposits.is_paid(
            session, profile, shop_id=official_shop, account_id=account.id
        ),
    )


def _out(item: ShowcaseItem, product: Product) -> dict[str, object]:
    return {
        "account_id": item.account_id,
        "product_id": product.id,
        "shop_id": product.shop_id,
        "sku": product.sku,
        "title": product.title,
        "price": money.minor_to_price(product.price_minor, product.currency),
        "currency": product.currency,
        "affiliate_commission_rate": (
            money.bps_to_rate(product.commission_bps)
            if product.commission_bps is not None
            else None
        ),
        "added_at": item.added_at,
    }


async def add(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    account_id: int,
    product_id: int,
    now: datetime,
) -> tuple[dict[str, object], bool]:
    """Returns the item and whether it is new (adding twice is not an error)."""
    account = await account_for(session, actor, account_id, act=True)
    # Locked so an archive racing with this add either sees the new row or happens first.
    product = await lock_by_id(session, Product, product_id)
    if product is None:
        raise NotFound("Product")
    shop = await session.get(Shop, product.shop_id)
    assert shop is not None
    who = await promoter(session, profile, account, now=now)
    refuse_if_any(showcase_violations(profile, who.facts(product, shop)))
    existing = await _item(session, account_id, product_id)
    if existing is not None:
        return _out(existing, product), False
    item = ShowcaseItem(account_id=account.id, product_id=product.id, added_at=now)
    try:
        async with session.begin_nested():
            session.add(item)
            await session.flush()
    except IntegrityError:  # a concurrent add of the same product won
        existing = await _item(session, account_id, product_id)
        assert existing is not None
        return _out(existing, product), False
    audit.record(
        session,
        type="showcase.added",
        actor=actor,
        now=now,
        shop_id=product.shop_id,
        account_id=account.id,
        product_id=product.id,
    )
    return _out(item, product), True


async def _item(session: AsyncSession, account_id: int, product_id: int) -> ShowcaseItem | None:
    stmt = select(ShowcaseItem).where(
        ShowcaseItem.account_id == account_id, ShowcaseItem.product_id == product_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def remove(
    session: AsyncSession, actor: Principal, *, account_id: int, product_id: int, now: datetime
) -> None:
    account = await account_for(session, actor, account_id, act=True)
    item = await _item(session, account.id, product_id)
    if item is None:
        raise NotFound("Showcase item")
    product = await session.get(Product, product_id)
    await session.delete(item)
    audit.record(
        session,
        type="showcase.removed",
        actor=actor,
        now=now,
        shop_id=product.shop_id if product else None,
        account_id=account.id,
        product_id=product_id,
    )


async def visible_items(
    session: AsyncSession,
    profile: Profile,
    *,
    account: Account,
    limit: int,
    after_id: int | None,
    now: datetime,
) -> tuple[list[dict[str, object]], int | None]:
    """A page of the items the rules allow now, and the item id to continue after (or None)."""
    who = await promoter(session, profile, account, now=now)
    visible: list[dict[str, object]] = []
    cursor = after_id
    for _ in range(PAGE_SCAN):
        stmt = (
            select(ShowcaseItem, Product, Shop)
            .join(Product, Product.id == ShowcaseItem.product_id)
            .join(Shop, Shop.id == Product.shop_id)
            .where(ShowcaseItem.account_id == account.id)
            .order_by(ShowcaseItem.id)
            .limit(limit + 1)
        )
        if cursor is not None:
            stmt = stmt.where(ShowcaseItem.id > cursor)
        rows = (await session.execute(stmt)).all()
        for item, product, shop in rows[:limit]:
            cursor = item.id
            if not showcase_violations(profile, who.facts(product, shop)):
                visible.append(_out(item, product))
                if len(visible) == limit:
                    return visible, item.id if item is not rows[-1][0] else None
        if len(rows) <= limit:
            return visible, None
    return visible, cursor
