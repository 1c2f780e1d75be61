"""Who may act for an account, and who may see a link."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.identity.principal import Principal
from shoplink.models import Account, Link, OrgMember, Shop
from shoplink.sellers.auth import ANY_STAFF, MANAGERS, staff_role


async def org_role(session: AsyncSession, principal: Principal, account_id: int) -> str | None:
    if principal.user_id is None:
        return None
    stmt = select(OrgMember.role).where(
        OrgMember.account_id == account_id, OrgMember.user_id == principal.user_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def speaks_for_account(session: AsyncSession, principal: Principal, account: Account) -> bool:
    """The owner of a personal account, or an org account's admin member or seller manager."""
    if principal.user_id is None:
        return False
    if account.kind != "organization":
        return account.owner_user_id == principal.user_id
    if await org_role(session, principal, account.id) == "admin":
        return True
    assert account.seller_id is not None
    return await staff_role(session, principal, account.seller_id) in MANAGERS


async def sees_account(session: AsyncSession, principal: Principal, account: Account) -> bool:
    if principal.is_admin or await speaks_for_account(session, principal, account):
        return True
    return (
        account.kind == "organization"
        and await org_role(session, principal, account.id) is not None
    )


async def sees_link(session: AsyncSession, principal: Principal, link: Link) -> bool:
    if principal.is_admin or principal.is_reviewer:
        return True
    account = await session.get(Account, link.account_id)
    if account is not None and await sees_account(session, principal, account):
        return True
    shop = await session.get(Shop, link.shop_id)
    return shop is not None and await staff_role(session, principal, shop.seller_id) in ANY_STAFF
