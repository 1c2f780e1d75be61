from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.accounts import repository as accounts_repo
from shoplink.accounts.schemas import AccountCreate
from shoplink.audit import service as audit
from shoplink.errors import Forbidden, NotFound, RuleViolation, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.links import auth, lifecycle, naming
from shoplink.links import repository as links_repo
from shoplink.models import Account, Seller, Shop, User
from shoplink.policy import Profile
from shoplink.policy.rules import account_rename_violations, conversion_violations
from shoplink.policy.texts import N_


async def create_account(
    session: AsyncSession, actor: Principal, *, data: AccountCreate, now: datetime
) -> Account:
    """Stands in for the platform's account registry (admin only)."""
    if not actor.is_admin:
        raise Forbidden("Only an admin can register platform accounts")
    if data.owner_user_id is not None and await session.get(User, data.owner_user_id) is None:
        raise NotFound("User")
    if data.seller_id is not None and await session.get(Seller, data.seller_id) is None:
        raise NotFound("Seller")
    account = Account(**data.model_dump(), status="active", created_at=now)
    await accounts_repo.insert(session, account)
    audit.record(
        session,
        type="account.created",
        actor=actor,
        now=now,
        account_id=account.id,
        kind=account.kind,
        username=account.username,
    )
    return account


async def account_for(
    session: AsyncSession,
    actor: Principal,
    account_id: int,
    *,
    act: bool = False,
    lock: bool = False,
) -> Account:
    """Owners (and org admins) act; members may look; others must not learn it exists."""
    account = (
        await lock_by_id(session, Account, account_id)
        if lock
        else await session.get(Account, account_id)
    )
    if account is None or not await auth.sees_account(session, actor, account):
        raise NotFound("Account")
    if act and not (actor.is_admin or await auth.speaks_for_account(session, actor, account)):
        raise Forbidden("Only the account's owner can do this")
    return account


async def rename_account(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    account_id: int,
    nickname: str,
    now: datetime,
) -> Account:
    account = await account_for(session, actor, account_id, act=True)
    if account.status != "active":
        raise RuleViolation(
            N_("The account is deleted."),
            code="ACCOUNT_INACTIVE",
            next_action=N_("Deleted accounts cannot be changed."),
        )
    official = await links_repo.bound_official(session, account_id=account.id)
    if official is None:
        old, account.nickname = account.nickname, nickname
        audit.record(
            session,
            type="account.renamed",
            actor=actor,
            now=now,
            account_id=account.id,
            old_name=old,
            new_name=nickname,
        )
        return account
    shop = await lock_by_id(session, Shop, official.shop_id)
    assert shop is not None
    changes = await naming.changes_in_window(session, profile, shop_id=shop.id, now=now)
    refuse_if_any(
        account_rename_violations(profile, bound_as_official=True, changes_in_window=changes)
    )
    naming.rename_pair(session, shop=shop, account=account, new_name=nickname, actor=actor, now=now)
    await session.flush()
    return account


async def delete_account(
    session: AsyncSession, actor: Principal, *, account_id: int, now: datetime
) -> Account:
    account = await account_for(session, actor, account_id, act=True, lock=True)
    if account.status == "deleted":
        raise RuleViolation(
            N_("The account is already deleted."),
            code="INVALID_STATE",
            next_action=N_("Nothing to do."),
        )
    account.status = "deleted"
    account.deleted_at = now
    audit.record(session, type="account.deleted", actor=actor, now=now, account_id=account.id)
    await lifecycle.terminate_live_links(
        session, actor=actor, now=now, reason="account_deleted", account_id=account.id
    )
    return account


async def convert_to_organization(
    session: AsyncSession, actor: Principal, profile: Profile, *, account_id: int
) -> Account:
    account = await account_for(session, actor, account_id, act=True)
    # Every profile refuses (the knob is validated to be false): there is no conversion path.
    refuse_if_any(conversion_violations(profile))
    return account
