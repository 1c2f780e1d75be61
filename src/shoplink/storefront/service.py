"""Public profiles and the official account's Shop Page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.commerce import deposits
from shoplink.errors import NotFound
from shoplink.kit.pagination import (
    decode_cursor,
    decode_ranked_cursor,
    encode_cursor,
    encode_ranked_cursor,
)
from shoplink.models import Account, Link, Product, Shop
from shoplink.policy import Profile, money
from shoplink.policy.commerce import enter_store
from shoplink.storefront import search
from shoplink.storefront.schemas import ProfileOut, ShopPageItem, ShopPageOut, ShopRef


@dataclass(frozen=True, slots=True)
class Storefront:
    account: Account
    shop: Shop | None  # the shop whose active official account this is
    enter_store: bool


async def storefront(session: AsyncSession, profile: Profile, username: str) -> Storefront:
    # One round trip: the account, its bound official link's shop (if any).
    stmt = (
        select(Account, Shop)
        .outerjoin(
            Link,
            and_(
                Link.account_id == Account.id,
                Link.role == "official",
                Link.status == "active",
            ),
        )
        .outerjoin(Shop, Shop.id == Link.shop_id)
        .where(Account.username == username.lower(), Account.status == "active")
        .limit(1)
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound("Profile")
    account, bound_shop = row
    # bound_shop is None (outer join) when the account has no bound official link.
    shop: Shop | None = bound_shop if bound_shop and bound_shop.status == "active" else None
    paid = shop is not None and await deposits.is_paid(
        session, profile, shop_id=shop.id, account_id=account.id
    )
    return Storefront(
        account=account,
        shop=shop,
        enter_store=enter_store(profile, official_active=shop is not None, deposit_paid=paid),
    )


def profile_out(front: Storefront) -> ProfileOut:
    account = front.account
    return ProfileOut(
        username=account.username,
        nickname=account.nickname,
        avatar_url=account.avatar_url,
        kind=account.kind,
        enter_store=front.enter_store,
        # The shop is named only while its door is open (douyin: not before the deposit).
        shop=(
            ShopRef(id=front.shop.id, name=front.shop.name)
            if front.shop is not None and front.enter_store
            else None
        ),
    )


def _item(product: Product) -> ShopPageItem:
    return ShopPageItem(
        id=product.id,
        sku=product.sku,
        title=product.title,
        price=money.minor_to_price(product.price_minor, product.currency),
        currency=product.currency,
        in_stock=product.stock > 0,
    )


async def shop_page(
    session: AsyncSession,
    profile: Profile,
    *,
    username: str,
    q: str | None,
    limit: int,
    cursor: str | None,
) -> ShopPageOut:
    front = await storefront(session, profile, username)
    if not front.enter_store or front.shop is None:
        raise NotFound("Shop Page")
    shop = front.shop
    next_cursor: str | None = None
    if q and q.strip():
        after = decode_ranked_cursor(cursor) if cursor else None
        ranked = await search.search(
            session, shop_id=shop.id, query=q, limit=limit + 1, after=after
        )
        products = [product for product, _ in ranked[:limit]]
        if len(ranked) > limit:
            last, score = ranked[limit - 1]
            next_cursor = encode_ranked_cursor(score, last.id)
    else:
        before = decode_cursor(cursor) if cursor else None
        rows = await search.newest(session, shop_id=shop.id, limit=limit + 1, before_id=before)
        products = rows[:limit]
        if len(rows) > limit:
            next_cursor = encode_cursor(products[-1].id)
    return ShopPageOut(
        shop=ShopRef(id=shop.id, name=shop.name),
        items=[_item(p) for p in products],
        next_cursor=next_cursor,
    )


async def public_account(session: AsyncSession, account_id: int) -> Account:
    account = await session.get(Account, account_id)
    if account is None or account.status != "active":
        raise NotFound("Account")
    return account
