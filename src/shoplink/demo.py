"""Demo data for `make run`: a seller with a shop, account owners, a reviewer, one pending
official-account request and a bound marketing account, all made through the services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shoplink.accounts import service as accounts
from shoplink.accounts.schemas import AccountCreate
from shoplink.clock import Clock
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
    DemoLogin("seller", "seller owner of 'Demo Trading Ltd' (shop 'Lily Garden')"),
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
    return True
