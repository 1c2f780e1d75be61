"""Members of organization accounts. Removal revokes access at once: every permission check
reads the membership table in the request's own transaction, nothing is cached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.accounts.service import account_for
from shoplink.audit import service as audit
from shoplink.errors import NotFound, RuleViolation
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.models import Account, OrgMember, SellerStaff, User
from shoplink.orgs.schemas import MemberAdd
from shoplink.policy.texts import N_
from shoplink.sellers.auth import MANAGERS


async def _org(
    session: AsyncSession, actor: Principal, account_id: int, *, manage: bool
) -> Account:
    account = await account_for(session, actor, account_id, act=manage)
    if account.kind != "organization":
        raise NotFound("Organization account")
    return account


async def my_organizations(session: AsyncSession, actor: Principal) -> list[Account]:
    """The organization accounts the caller may look at: as a member, or as a manager of the
    seller that owns them (who may manage their members)."""
    if actor.user_id is None:
        return []
    member_of = select(OrgMember.account_id).where(OrgMember.user_id == actor.user_id)
    managed_sellers = select(SellerStaff.seller_id).where(
        SellerStaff.user_id == actor.user_id, SellerStaff.role.in_(MANAGERS)
    )
    stmt = select(Account).where(
        Account.kind == "organization",
        or_(Account.id.in_(member_of), Account.seller_id.in_(managed_sellers)),
    )
    return list((await session.execute(stmt.order_by(Account.id))).scalars())


async def list_members(
    session: AsyncSession, actor: Principal, *, account_id: int, page: PageParams
) -> list[OrgMember]:
    await _org(session, actor, account_id, manage=False)
    stmt = select(OrgMember).where(OrgMember.account_id == account_id)
    if page.after_id is not None:
        stmt = stmt.where(OrgMember.user_id > page.after_id)
    return list(
        (await session.execute(stmt.order_by(OrgMember.user_id).limit(page.limit + 1))).scalars()
    )


async def add_member(
    session: AsyncSession, actor: Principal, *, account_id: int, data: MemberAdd, now: datetime
) -> OrgMember:
    await _org(session, actor, account_id, manage=True)
    if await session.get(User, data.user_id) is None:
        raise NotFound("User")
    member = OrgMember(account_id=account_id, user_id=data.user_id, role=data.role, added_at=now)
    session.add(member)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise RuleViolation(
            N_("That user is already a member"),
            code="ALREADY_MEMBER",
            next_action=N_("Nothing to do."),
        ) from exc
    audit.record(
        session,
        type="org.member_added",
        actor=actor,
        now=now,
        account_id=account_id,
        user_id=data.user_id,
        role=data.role,
    )
    return member


async def remove_member(
    session: AsyncSession, actor: Principal, *, account_id: int, user_id: int, now: datetime
) -> None:
    await _org(session, actor, account_id, manage=True)
    member = await session.get(OrgMember, (account_id, user_id))
    if member is None:
        raise NotFound("Member")
    await session.delete(member)
    audit.record(
        session,
        type="org.member_removed",
        actor=actor,
        now=now,
        account_id=account_id,
        user_id=user_id,
    )
    await session.flush()
