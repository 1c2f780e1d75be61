"""Hot statements: compiled by SQLAlchemy once per dialect, run on the driver's cursor.

A primary-key read through `session.execute` costs 77 µs of CPU on inline SQLite and 188 µs
on asyncpg on this project's machine (SQLAlchemy's execution context, result metadata and
events, on every call); as a `Statement`, 36 and 115 µs (`bench/statement_cost.py`). A
binding step runs five to eight statements, so that difference was most of what kept B3
below its target.

A `Statement` keeps what SQLAlchemy's compiler says about a Core statement (the SQL text in
the dialect's paramstyle, the parameter order, each type's bind and result processor) and
runs it on the cursor of the session's own connection: the same transaction, the same
prepared-statement cache, the same type conversions. Errors come back as SQLAlchemy's
(`IntegrityError` and so on), as they would from `session.execute`.

Only for statements whose shape is fixed: every IN list is a constant of the statement, and
what the ORM holds in the session is flushed first (the ORM's autoflush would do so too), as
are the updates kit/write_behind holds.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import ValuesBase

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Form:
    """One statement as one dialect runs it."""

    sql: str
    names: tuple[str, ...]  # the parameters, in the order the SQL text takes them
    defaults: Mapping[str, Any]  # the statement's own values (constants, IN lists)
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    row: Callable[..., Any]

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = []
        for name, process in zip(self.names, self.binds, strict=True):
            value = params[name] if name in params else self.defaults[name]
            values.append(value if process is None or value is None else process(value))
        return tuple(values)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[Any]:
        if not any(self.results):
            return [self.row(*r) for r in raw]
        processed = [
            [v if p is None or v is None else p(v) for v, p in zip(r, self.results, strict=True)]
            for r in raw
        ]
        return [self.row(*r) for r in processed]


def _compile(statement: Executable, dialect: Dialect, keys: Sequence[str] | None) -> _Form:
    compiled = statement.compile(dialect=dialect, column_keys=keys)  # type: ignore[attr-defined]
    # Expanding (IN) parameters are rendered with the statement's own lists; the bind
    # parameters a caller supplies get a placeholder value here.
    required = {key: None for key, bind in compiled.binds.items() if bind.required}
    state = compiled.construct_expanded_state(required)
    names = tuple(state.positiontup or ())
    expanded_from = {
        name: original
        for original, expanded in (state.parameter_expansion or {}).items()
        for name in expanded
    }
    binds = tuple(
        compiled.binds[expanded_from.get(name, name)]
        .type.dialect_impl(dialect)
        .bind_processor(dialect)
        for name in names
    )
    columns: list[ColumnElement[Any]] = list(getattr(statement, "exported_columns", ()))
    fields = [column.key or "" for column in columns]
    if "" in fields or len(set(fields)) != len(fields):
        raise ValueError(f"label the columns of {statement!r}: each needs a name of its own")
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    )
    defaults = {k: v for k, v in state.parameters.items() if k not in required}
    if keys is not None:
        defaults |= _column_defaults(statement, [name for name in names if name not in keys])
    return _Form(
        sql=state.statement,
        names=names,
        defaults=defaults,
        binds=binds,
        results=results,
        row=namedtuple("Row", fields) if fields else tuple,
    )


def _column_defaults(statement: Any, names: list[str]) -> dict[str, Any]:
    """The columns' `default=` values an INSERT or UPDATE fills in, as Core's would."""
    out = {}
    for name in names:
        default = statement.table.c[name].default
        if default is None or not default.is_scalar:
            raise ValueError(f"{statement.table.name}.{name}: pass it; only scalar defaults")
        out[name] = default.arg
    return out


class Statement:
    """A fixed Core statement, compiled once per dialect (see the module's docstring)."""

    __slots__ = ("_by_keys", "_forms", "statement")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._forms: dict[tuple[str, ...], _Form] = {}
        # An INSERT or UPDATE without explicit values takes the columns each call names.
        self._by_keys = (
            isinstance(statement, ValuesBase)
            and not statement._values
            and not statement._multi_values
        )

    def _form(self, dialect: Dialect, params: Mapping[str, Any]) -> _Form:
        key = (dialect.name, *params) if self._by_keys else (dialect.name,)
        form = self._forms.get(key)
        if form is None:
            keys = list(params) if self._by_keys else None
            form = self._forms[key] = _compile(self.statement, dialect, keys)
        return form

    async def all(self, session: AsyncSession, **params: Any) -> list[Any]:
        connection = await _connection(session)
        rows: list[Any] = await connection.run_sync(self.all_sync, params)
        return rows

    async def one_or_none(self, session: AsyncSession, **params: Any) -> Any | None:
        rows = await self.all(session, **params)
        if len(rows) > 1:
            raise ValueError(f"more than one row from {self.statement!r}")
        return rows[0] if rows else None

    async def one(self, session: AsyncSession, **params: Any) -> Any:
        row = await self.one_or_none(session, **params)
        if row is None:
            raise ValueError(f"no row from {self.statement!r}")
        return row

    async def run(self, session: AsyncSession, **params: Any) -> int:
        """A statement without rows to read; the number of rows it changed."""
        connection = await _connection(session)
        changed: int = await connection.run_sync(self.run_many_sync, [params])
        return changed

    def all_sync(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        form = self._form(connection.dialect, params)
        arguments = form.arguments(params)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(form.sql, arguments)
            return form.rows(cursor.fetchall())
        except connection.dialect.loaded_dbapi.Error as exc:
            raise _translated(exc, form.sql, arguments, connection.dialect) from exc
        finally:
            cursor.close()

    def run_many_sync(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        form = self._form(connection.dialect, rows[0])
        arguments = [form.arguments(row) for row in rows]
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if len(arguments) == 1:
                cursor.execute(form.sql, arguments[0])
            else:
                cursor.executemany(form.sql, arguments)
            return int(cursor.rowcount)
        except connection.dialect.loaded_dbapi.Error as exc:
            raise _translated(exc, form.sql, arguments, connection.dialect) from exc
        finally:
            cursor.close()


# Where kit/write_behind holds a session's writes; they are written before any statement.
HELD = "shoplink.write_behind"


class _Held(Protocol):
    updates: dict[Any, Any]

    def write_updates(self, session: Session) -> None: ...


async def _connection(session: AsyncSession) -> Any:
    sync = session.sync_session
    if sync.new or sync.dirty or sync.deleted:
        await session.flush()  # as the ORM's autoflush would: the statement sees them
    held: _Held | None = sync.info.get(HELD)
    if held is not None and held.updates:
        await session.run_sync(held.write_updates)
    return await session.connection()


def _translated(exc: Exception, sql: str, arguments: Any, dialect: Dialect) -> StatementError:
    """The driver's error as SQLAlchemy reports it (IntegrityError, OperationalError, ...)."""
    return DBAPIError.instance(sql, arguments, exc, dialect.loaded_dbapi.Error, dialect=dialect)
