"""Demo data for `make run`: a seller with a shop, account owners, a reviewer, one pending
official-account request and a bound marketing account, and a second shop whose official
account has a Shop Page with an English and Chinese catalog, all made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.accounts import service as accounts
from shoplink.accounts.schemas import AccountCreate
from shoplink.catalog import service as catalog
from shoplink.catalog.schemas import ProductCreate
from shoplink.clock import Clock
from shoplink.commerce import deposits
from shoplink.db import Database
from shoplink.identity import service as identity
from shoplink.identity.principal import Principal
from shoplink.identity.schemas import UserCreate
from shoplink.links import deciding, requesting
from shoplink.models import User
from shoplink.policy import Profile
from shoplink.sellers import service as sellers
from shoplink.sellers.schemas import SellerCreate
from shoplink.shops import service as shops
from shoplink.shops.schemas import ShopCreate

DEMO_PASSWORD = "shoplink-demo"
ADMIN = Principal(user_id=None, username="admin", is_admin=True, is_reviewer=True)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


LOGINS = [
    DemoLogin(
        "seller", "seller owner of 'Demo Trading Ltd' (shops 'Lily Garden', 'Maple Outfitters')"
    ),
    DemoLogin("lily", "account owner of @lily.garden and @lily.creator"),
    DemoLogin("reviewer", "reviewer"),
]


async def load(db: Database, profile: Profile, clock: Clock) -> bool:
    """Create the demo world once; returns False when it was already there."""
    now = clock.now()
    async with db.transaction() as session:
        if (await session.execute(select(User).where(User.username == "seller"))).scalar():
            return False
        users = {}
        for username, reviewer in (("seller", False), ("lily", False), ("reviewer", True)):
            users[username] = await identity.create_user(
                session,
                ADMIN,
                now=now,
                data=UserCreate(
                    username=username,
                    password=DEMO_PASSWORD,
                    display_name=username.title(),
                    is_reviewer=reviewer,
                ),
            )
        seller = await sellers.create_seller(
            session,
            ADMIN,
            now=now,
            data=SellerCreate(
                entity_name="Demo Trading Ltd",
                entity_id="DEMO-0001",
                entity_type="business",
                region="US",
                owner_user_id=users["seller"].id,
            ),
        )
        shop = await shops.create_shop(
            session,
            ADMIN,
            profile,
            now=now,
            data=ShopCreate(seller_id=seller.id, name="Lily Garden", region="US"),
        )
        for username, kind in (("lily.garden", "business"), ("lily.creator", "creator")):
            await accounts.create_account(
                session,
                ADMIN,
                now=now,
                data=AccountCreate(
                    username=username,
                    nickname=username.replace(".", " ").title(),
                    region="US",
                    kind=kind,
                    owner_user_id=users["lily"].id,
                    phone="+14155550123",
                ),
            )
        await requesting.request_link(
            session,
            ADMIN,
            profile,
            shop_id=shop.id,
            role="official",
            username="lily.garden",
            now=now,
        )
        if profile.links.marketing_per_shop and not profile.commerce.probation_days:
            link = await requesting.request_link(
                session,
                ADMIN,
                profile,
                shop_id=shop.id,
                role="marketing",
                username="lily.creator",
                now=now,
            )
            lily = Principal(user_id=users["lily"].id, username="lily")
            await deciding.authorize(
                session, lily, profile, link_id=link.id, accept_terms=True, now=now
            )
        await _storefront(session, profile, seller_id=seller.id, owner=users["seller"], now=now)
    return True


# The catalog of the demo Shop Page (public at /api/v1/profiles/maple.outfitters/shop-page).
CATALOG = [
    ("TRAIL-01", "Trail Running Shoes", "Grippy soles for muddy trails.", "89.00"),
    ("ROAD-02", "Road Running Shoes", "Light and cushioned for daily miles.", "79.00"),
    ("TEE-03", "Organic Cotton Tee", "Soft, breathable, made to last.", "19.90"),
    ("DRESS-04", "Linen Summer Dress", "Cool linen for hot days.", "59.00"),
    ("SCARF-05", "Merino Wool Scarf", "Warm without the itch.", "35.00"),
    ("BAG-06", "Leather Tote Bag", "Full-grain leather, fits a laptop.", "120.00"),
    ("ZH-07", "男子跑步鞋 轻便透气", "适合日常慢跑和长距离训练。", "299.00"),
    ("ZH-08", "纯棉T恤 白色", "百分之百纯棉，亲肤舒适。", "69.00"),
    ("ZH-09", "真丝连衣裙 夏季新款", "桑蚕丝面料，轻盈垂坠。", "459.00"),
    ("ZH-10", "蓝牙耳机 降噪", "主动降噪，续航三十小时。", "199.00"),
    ("ZH-11", "保温杯 500毫升", "不锈钢内胆，十二小时保温。", "89.00"),
    ("MIX-12", "iPhone 手机壳 防摔", "Shockproof case with raised edges.", "25.00"),
]


async def _storefront(
    session: AsyncSession, profile: Profile, *, seller_id: int, owner: User, now: datetime
) -> None:
    """A second shop with a bound official account and a catalog, so the Shop Page has
    something to show; on douyin its deposit is paid and its probation ended."""
    seller_user = Principal(user_id=owner.id, username=owner.username)
    shop = await shops.create_shop(
        session,
        ADMIN,
        profile,
        now=now,
        data=ShopCreate(seller_id=seller_id, name="Maple Outfitters", region="US"),
    )
    await accounts.create_account(
        session,
        ADMIN,
        now=now,
        data=AccountCreate(
            username="maple.outfitters",
            nickname="Maple",
            region="US",
            kind="business",
            owner_user_id=owner.id,
            phone="+14155550188",
        ),
    )
    link = await requesting.request_link(
        session,
        ADMIN,
        profile,
        shop_id=shop.id,
        role="official",
        username="maple.outfitters",
        now=now,
    )
    # The request's Link is only its answer: each step returns the link as it now stands.
    link = await deciding.authorize(
        session, seller_user, profile, link_id=link.id, accept_terms=True, now=now
    )
    if link.status == "pending_review":
        await deciding.approve(session, ADMIN, profile, link_id=link.id, now=now)
    if profile.commerce.creator_deposit_required:
        await deposits.pay(
            session,
            ADMIN,
            profile,
            amount=str(profile.commerce.creator_deposit_amount),
            now=now,
            shop_id=shop.id,
        )
    for sku, title, description, price in CATALOG:
        await catalog.create_product(
            session,
            ADMIN,
            shop_id=shop.id,
            now=now,
            data=ProductCreate(
                sku=sku,
                title=title,
                description=description,
                price=price,
                currency="CNY" if sku.startswith("ZH") else "USD",
                stock=25,
                affiliate_commission_rate="0.10",
            ),
        )
