"""Audit events: appended in the transaction of the change they describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.kit.statements import Statement
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
    sync = session.sync_session
    if not sync.in_transaction():
        sync.begin()  # (no SQL yet) the event belongs to a transaction a rollback can end
    sync.info.setdefault(_PENDING, []).append(row)


# Events are rows nobody reads back in the transaction that wrote them: one Core INSERT of
# them all costs a fraction of the ORM's unit of work for each (bench B3).
_PENDING = "shoplink.audit.pending"
_INSERT = Statement(insert(cast(Table, Event.__table__)))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.flush()  # the changes they describe come first, as they did
        _INSERT.run_many_sync(session.connection(), pending)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _: object) -> None:
    session.info.pop(_PENDING, None)


async def list_for_shop(session: AsyncSession, *, shop_id: int, page: PageParams) -> list[Event]:
    stmt = select(Event).where(Event.shop_id == shop_id).order_by(Event.id).limit(page.limit + 1)
    if page.after_id is not None:
        stmt = stmt.where(Event.id > page.after_id)
    return list((await session.execute(stmt)).scalars())
