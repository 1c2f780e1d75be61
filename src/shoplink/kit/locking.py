"""Row locks. On PostgreSQL `SELECT … FOR UPDATE`; SQLite writers already hold the database
lock from BEGIN IMMEDIATE, and SQLAlchemy emits no FOR UPDATE there."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


async def lock_by_id(session: AsyncSession, model: type[M], row_id: Any) -> M | None:
    stmt = select(model).where(model.id == row_id).with_for_update()  # type: ignore[attr-defined]
    return (
        await session.execute(stmt.execution_options(populate_existing=True))
    ).scalar_one_or_none()
