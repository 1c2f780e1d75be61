"""Audit events wait in the session and are written just before its commit (audit/service.py).

What a rolled-back transaction recorded must never be written, even when the same session
commits something afterwards; and events come after the changes they describe.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from shoplink.audit import service as audit
from shoplink.models import Event

NOW = datetime(2026, 11, 25, tzinfo=UTC)


async def probes(app: FastAPI) -> list[str]:
    async with app.state.db.transaction(write=False) as session:
        rows = await session.execute(select(Event.type).where(Event.type.like("probe.%")))
        return list(rows.scalars())


async def test_a_rollback_drops_what_the_transaction_recorded(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.db.session(write=True) as session:
        audit.record(session, type="probe.lost", actor=audit.SYSTEM, now=NOW)
        await session.rollback()
        audit.record(session, type="probe.kept", actor=audit.SYSTEM, now=NOW)
        await session.commit()
    assert await probes(app) == ["probe.kept"]


async def test_events_are_written_at_commit_in_the_order_recorded(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.db.transaction() as session:
        for n in range(3):
            audit.record(session, type=f"probe.{n}", actor=audit.SYSTEM, now=NOW, n=n)
        written = await session.execute(select(func.count()).select_from(Event))
        assert written.scalar_one() == 0, "nothing is written before the commit"
    assert await probes(app) == ["probe.0", "probe.1", "probe.2"]
