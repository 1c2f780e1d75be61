"""State transitions shared by every path that moves a link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.identity.principal import Principal
from shoplink.kit.write_behind import update_columns
from shoplink.links import repository as repo
from shoplink.models import Account, Link, Shop
from shoplink.models.link import LIVE_STATUSES

Actor = Principal | str


async def expire_due(
    session: AsyncSession,
    *,
    now: datetime,
    shop_id: int | None = None,
    account_id: int | None = None,
) -> int:
    """Mark overdue requests of the shop or the account expired (with their event) so they
    stop holding index slots."""
    due = await repo.due_expirations(session, now=now, shop_id=shop_id, account_id=account_id)
    return await expire(session, due, now=now)


async def expire(session: AsyncSession, due: list[Link], *, now: datetime) -> int:
    """Mark these overdue requests (locked by the caller) expired, with their events."""
    for link in due:
        link.status = "expired"
        link.ended_at = link.expires_at
        link.end_reason = "authorization_expired"
        audit.record(
            session,
            type="link.expired",
            actor=audit.SYSTEM,
            now=now,
            shop_id=link.shop_id,
            account_id=link.account_id,
            link_id=link.id,
            role=link.role,
        )
    if due:
        await session.flush()
    return len(due)


async def activate(
    session: AsyncSession,
    link: Link,
    *,
    shop: Shop,
    account: Account,
    actor: Actor,
    now: datetime,
    **columns: Any,
) -> None:
    """Bind the link (writing `columns` of it too, in the same UPDATE)."""
    await update_columns(session, link, status="active", bound_at=now, **columns)
    if link.role == "official" and account.nickname != shop.name:
        # The official account carries the shop's name; this sync is not a counted rename.
        old = account.nickname
        await update_columns(session, account, nickname=shop.name)
        audit.record(
            session,
            type="account.renamed",
            actor=actor,
            now=now,
            shop_id=shop.id,
            account_id=account.id,
            old_name=old,
            new_name=shop.name,
            reason="official_binding",
        )
    audit.record(
        session,
        type="link.bound",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        link_id=link.id,
        role=link.role,
    )


async def end(
    session: AsyncSession,
    link: Link,
    *,
    status: str,
    actor: Actor,
    now: datetime,
    event: str,
    reason: str | None = None,
) -> None:
    await update_columns(session, link, status=status, ended_at=now, end_reason=reason)
    audit.record(
        session,
        type=event,
        actor=actor,
        now=now,
        shop_id=link.shop_id,
        account_id=link.account_id,
        link_id=link.id,
        role=link.role,
        reason=reason,
    )


async def terminate_live_links(
    session: AsyncSession,
    *,
    actor: Actor,
    now: datetime,
    reason: str,
    shop_id: int | None = None,
    account_id: int | None = None,
) -> list[Link]:
    stmt = select(Link).where(Link.status.in_(LIVE_STATUSES)).with_for_update()
    if shop_id is not None:
        stmt = stmt.where(Link.shop_id == shop_id)
    if account_id is not None:
        stmt = stmt.where(Link.account_id == account_id)
    links = list((await session.execute(stmt.execution_options(populate_existing=True))).scalars())
    for link in links:
        await end(
            session,
            link,
            status="terminated",
            actor=actor,
            now=now,
            event="link.terminated",
            reason=reason,
        )
    await session.flush()
    return links
