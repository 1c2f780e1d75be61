"""Every event gets exactly one outbox row from the database (trigger events_to_outbox),
whether it came in alone or with others in one statement, and a rolled-back event leaves
none (PostgreSQL: one trigger call per statement over its inserted rows)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from fastapi import FastAPI
from sqlalchemy import Table, insert, select

from shoplink.audit import service as audit
from shoplink.models import Event, OutboxMessage

pytestmark = pytest.mark.usefixtures("client")  # empties the tables

NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def events_and_outbox(app: FastAPI) -> tuple[list[int], list[int]]:
    async with app.state.db.session(write=False) as session:
        events = (await session.execute(select(Event.id).order_by(Event.id))).scalars()
        outbox = (
            await session.execute(select(OutboxMessage.event_id).order_by(OutboxMessage.id))
        ).scalars()
        return list(events), list(outbox)


async def test_each_event_of_one_statement_gets_its_row(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        audit.record(session, type="probe.alone", actor=audit.SYSTEM, now=NOW)
    async with app.state.db.transaction() as session:
        for n in range(3):
            audit.record(session, type=f"probe.{n}", actor=audit.SYSTEM, now=NOW)
    async with app.state.db.transaction() as session:  # as an ORM or a bulk insert would
        rows = [{"type": "probe.bulk", "at": NOW, "actor": "system", "data": {}}] * 2
        await session.execute(insert(cast(Table, Event.__table__)), rows)
    events, outbox = await events_and_outbox(app)
    assert len(events) == 6
    assert outbox == events, "one row per event, in the events' order"


async def test_a_rolled_back_event_leaves_no_outbox_row(app: FastAPI) -> None:
    async with app.state.db.session(write=True) as session:
        rows = [{"type": "probe.lost", "at": NOW, "actor": "system", "data": {}}] * 2
        await session.execute(insert(cast(Table, Event.__table__)), rows)
        await session.rollback()
    assert await events_and_outbox(app) == ([], [])
