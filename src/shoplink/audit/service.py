"""Audit events: appended in the transaction of the change they describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.models import Event

SYSTEM = "system"


def record(
    session: AsyncSession,
    *,
    type: str,
    actor: Principal | str,
    now: datetime,
    shop_id: int | None = None,
    account_id: int | None = None,
    link_id: int | None = None,
    **data: Any,
) -> Event:
    event = Event(
        type=type,
        at=now,
        actor=actor if isinstance(actor, str) else actor.label,
        shop_id=shop_id,
        account_id=account_id,
        link_id=link_id,
        data={k: v for k, v in data.items() if v is not None}
        | ({"link_id": link_id} if link_id else {})
        | ({"account_id": account_id} if account_id else {}),
    )
    # The transactional outbox: the database adds the event's outbox row (trigger
    # events_to_outbox); webhook workers fan it out after commit, nothing is lost.
    session.add(event)
    return event


async def list_for_shop(session: AsyncSession, *, shop_id: int, page: PageParams) -> list[Event]:
    stmt = select(Event).where(Event.shop_id == shop_id).order_by(Event.id).limit(page.limit + 1)
    if page.after_id is not None:
        stmt = stmt.where(Event.id > page.after_id)
    return list((await session.execute(stmt)).scalars())
