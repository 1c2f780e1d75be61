"""Row locks. On PostgreSQL `SELECT … FOR UPDATE`; SQLite writers already hold the database
lock from BEGIN IMMEDIATE, so there what this transaction has loaded is current and the
session's identity map answers without a query."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


async def lock_by_id(session: AsyncSession, model: type[M], row_id: Any) -> M | None:
    if session.get_bind().dialect.name == "sqlite":
        return await session.get(model, row_id)
    stmt = _LOCKING.get(model)
    if stmt is None:
        # Built once per model: building a statement costs about as much as running it.
        stmt = _LOCKING[model] = (
            select(model)
            .where(model.id == bindparam("row_id"))  # type: ignore[attr-defined]
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    locked: M | None = (await session.execute(stmt, {"row_id": row_id})).scalar_one_or_none()
    return locked


_LOCKING: dict[type[Any], Select[Any]] = {}
