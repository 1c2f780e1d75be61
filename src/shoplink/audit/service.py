"""Audit events: appended in the transaction of the change they describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.identity.principal import Principal
from shoplink.kit import write_behind
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
) -> None:
    """Append an event to the transaction; it is written just before the commit.

    Every id passed must already be flushed (it is, or it would be None). The transactional
    outbox: the database adds each event's outbox row (trigger events_to_outbox); webhook
    workers fan it out after commit, so nothing is lost.
    """
    row = {
        "type": type,
        "at": now,
        "actor": actor if isinstance(actor, str) else actor.label,
        "shop_id": shop_id,
        "account_id": account_id,
        "link_id": link_id,
        "data": {k: v for k, v in data.items() if v is not None}
        | ({"link_id": link_id} if link_id else {})
        | ({"account_id": account_id} if account_id else {}),
    }
    # Nobody reads an event back in the transaction that writes it: held to the commit, the
    # events go in with the step's last writes (kit/write_behind), not through the ORM.
    write_behind.insert_at_commit(session, _EVENTS, row)


_EVENTS = cast(Table, Event.__table__)


async def list_for_shop(session: AsyncSession, *, shop_id: int, page: PageParams) -> list[Event]:
    stmt = select(Event).where(Event.shop_id == shop_id).order_by(Event.id).limit(page.limit + 1)
    if page.after_id is not None:
        stmt = stmt.where(Event.id > page.after_id)
    return list((await session.execute(stmt)).scalars())
