"""Alembic environment: one set of migrations for SQLite and PostgreSQL, run async."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shoplink.config import Settings
from shoplink.db import async_url
from shoplink.models import Base
from shoplink.models.base import UTCDateTime

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return async_url(config.get_main_option("sqlalchemy.url") or Settings().database_url)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must not import application types: UTCDateTime is a plain timestamptz.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Full-text search lives outside the models (FTS5 on SQLite, a tsvector on PostgreSQL):
# the migration owns it and autogenerate must not propose dropping it.
_SEARCH_OBJECTS = ("products_fts", "search_vector", "ix_products_search")


def _include_object(obj: Any, name: str | None, type_: str, reflected: bool, _: Any) -> bool:
    return not (reflected and name is not None and name.startswith(_SEARCH_OBJECTS))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # WAL is a property of the file: set once here, server processes starting side by
            # side never race to convert it (which needs the database to themselves).
            await connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            await connection.commit()  # end the autobegun transaction: alembic runs its own
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
