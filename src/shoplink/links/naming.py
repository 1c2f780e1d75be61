"""Names of a shop and its bound official account move together (SPEC §3 "Names")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.identity.principal import Principal
from shoplink.links import repository as repo
from shoplink.models import Account, NameChange, Shop
from shoplink.policy import Profile


async def changes_in_window(
    session: AsyncSession, profile: Profile, *, shop_id: int, now: datetime
) -> int:
    since = repo.window_start(now, profile.names.changes_window_days)
    return await repo.name_changes_since(session, shop_id=shop_id, since=since)


def rename_pair(
    session: AsyncSession,
    *,
    shop: Shop,
    account: Account | None,
    new_name: str,
    actor: Principal,
    now: datetime,
) -> None:
    """Rename the shop and, if bound, its official account in one transaction; a counted change."""
    old_shop, shop.name = shop.name, new_name
    audit.record(
        session,
        type="shop.renamed",
        actor=actor,
        now=now,
        shop_id=shop.id,
        old_name=old_shop,
        new_name=new_name,
    )
    if account is None:
        return
    old_account, account.nickname = account.nickname, new_name
    audit.record(
        session,
        type="account.renamed",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        old_name=old_account,
        new_name=new_name,
        reason="name_sync",
    )
    session.add(
        NameChange(
            shop_id=shop.id,
            account_id=account.id,
            old_name=old_shop,
            new_name=new_name,
            changed_at=now,
        )
    )
