"""Row locks. On PostgreSQL `SELECT … FOR UPDATE`; SQLite writers already hold the database
lock from BEGIN IMMEDIATE, so there what this transaction has loaded is current and the
session's identity map answers without a query."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


async def lock_by_id(session: AsyncSession, model: type[M], row_id: Any) -> M | None:
    if session.get_bind().dialect.name == "sqlite":
        return await session.get(model, row_id)
    stmt = select(model).where(model.id == row_id).with_for_update()  # type: ignore[attr-defined]
    return (
        await session.execute(stmt.execution_options(populate_existing=True))
    ).scalar_one_or_none()
