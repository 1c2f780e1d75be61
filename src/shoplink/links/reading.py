"""Read models: a shop's linked accounts with its limits, the official account card, lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import NotFound
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.links import auth
from shoplink.links import repository as repo
from shoplink.links.presenters import account_card, link_out
from shoplink.links.schemas import (
    Limits,
    LinkedAccount,
    LinkedAccountsOut,
    NameChangeLimits,
    OfficialAccountOut,
    UsedMax,
)
from shoplink.models import Account, Link, OrgMember, SellerStaff, Shop
from shoplink.policy import Profile
from shoplink.policy.rules import next_unbind_at
from shoplink.shops.auth import shop_for


async def _with_accounts(
    session: AsyncSession, links: list[Link], now: datetime
) -> list[LinkedAccount]:
    out = []
    for link in links:
        account = await session.get(Account, link.account_id)
        assert account is not None
        out.append(LinkedAccount(link=link_out(link, now), account=account_card(account)))
    return out


async def linked_accounts(
    session: AsyncSession, actor: Principal, profile: Profile, *, shop_id: int, now: datetime
) -> LinkedAccountsOut:
    shop = await shop_for(session, actor, shop_id)
    links = await repo.live_links_of_shop(session, shop_id=shop.id, now=now)
    active = [link for link in links if link.status == "active"]
    official = next((link for link in active if link.role == "official"), None)
    knobs = profile.links
    unbinds = await repo.official_unbinds_used(session, shop_id=shop.id)
    changes = await repo.name_changes_since(
        session, shop_id=shop.id, since=repo.window_start(now, profile.names.changes_window_days)
    )
    limits = Limits(
        marketing=UsedMax(
            used=sum(link.role == "marketing" for link in links), max=knobs.marketing_per_shop
        ),
        official_unbinds=UsedMax(used=unbinds, max=knobs.official_unbinds_lifetime),
        next_unbind_at=(
            next_unbind_at(profile, official.bound_at)
            if official and official.bound_at and knobs.manual_official_unbind
            else None
        ),
        name_changes=NameChangeLimits(
            used=changes,
            max=profile.names.max_changes_while_bound or None,
            window_days=profile.names.changes_window_days,
        ),
    )
    return LinkedAccountsOut(
        official=(await _with_accounts(session, [official], now))[0] if official else None,
        marketing=await _with_accounts(
            session, [link for link in active if link.role == "marketing"], now
        ),
        pending=await _with_accounts(
            session, [link for link in links if link.status != "active"], now
        ),
        limits=limits,
    )


async def official_account(
    session: AsyncSession, actor: Principal, *, shop_id: int, now: datetime
) -> OfficialAccountOut:
    shop = await shop_for(session, actor, shop_id)
    links = await repo.live_links_of_shop(session, shop_id=shop.id, now=now)
    official = next((link for link in links if link.role == "official"), None)
    if official is None:
        raise NotFound("Official account")
    account = await session.get(Account, official.account_id)
    assert account is not None
    return OfficialAccountOut(
        link_id=official.id,
        status=official.status,
        bound_at=official.bound_at,
        account=account_card(account),
    )


async def get_link(session: AsyncSession, actor: Principal, *, link_id: int) -> Link:
    link = await session.get(Link, link_id)
    if link is None or not await auth.sees_link(session, actor, link):
        raise NotFound("Link request")
    return link


async def list_links(
    session: AsyncSession, actor: Principal, *, page: PageParams, status: str | None, now: datetime
) -> list[Link]:
    """The caller's link requests: as account owner, org member, or seller staff."""
    stmt = select(Link).order_by(Link.id).limit(page.limit + 1)
    if not actor.is_admin:
        uid = actor.user_id
        my_accounts = select(Account.id).where(
            or_(
                Account.owner_user_id == uid,
                Account.id.in_(select(OrgMember.account_id).where(OrgMember.user_id == uid)),
                Account.seller_id.in_(
                    select(SellerStaff.seller_id).where(SellerStaff.user_id == uid)
                ),
            )
        )
        my_shops = select(Shop.id).where(
            Shop.seller_id.in_(select(SellerStaff.seller_id).where(SellerStaff.user_id == uid))
        )
        stmt = stmt.where(or_(Link.account_id.in_(my_accounts), Link.shop_id.in_(my_shops)))
    if status is not None:
        stmt = stmt.where(repo.has_status(status, now))
    if page.after_id is not None:
        stmt = stmt.where(Link.id > page.after_id)
    return list((await session.execute(stmt)).scalars())
