"""Writes the transaction does not read back, held in the session and sent together.

A binding step ends with writes whose results it never reads: the link's new columns, the
official account's synced nickname, the step's audit events. On PostgreSQL each statement
is a round trip that costs the app and the server ~0.2 ms of CPU between them (bench B3), so
they wait in the session and go as one statement: each UPDATE a data-modifying CTE of the
last one, or of the multi-row INSERT (PostgreSQL runs each exactly once, on one snapshot).
SQLite has neither such CTEs nor round trips to save: there they run one after another.

- `update_columns`: shown on the ORM object at once; written before the session's next
  statement of any kind (an ORM flush or query, a kit `Statement`) or at its commit, so
  whatever reads or writes next sees it. Held updates of one row merge into one UPDATE
  (one statement must not change a row twice).
- `insert_at_commit`: rows nobody reads back in the transaction (audit events), written
  just before the commit, after every change they describe.
A rollback drops both. The hooks are the session's: SQL run on `session.connection()` itself
would not see held updates (nothing in shoplink does so; go through the session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, event, insert, inspect, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import UpdateBase

from shoplink.kit.statements import HELD, Statement

# Past this many rows in all, one statement per table instead (a shop's closing ends all its
# links at once); every shape below it is compiled once and kept.
MAX_COMBINED = 32


@dataclass(slots=True)
class _Held:
    updates: dict[tuple[Table, Any], dict[str, Any]] = field(default_factory=dict)
    inserts: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)

    def write_updates(self, session: Session) -> None:
        if self.updates:
            updates, self.updates = self.updates, {}
            _send(session.connection(), updates, {})


def _held(session: AsyncSession) -> _Held:
    sync = session.sync_session
    held = sync.info.get(HELD)
    if held is None:
        if not sync.in_transaction():
            sync.begin()  # (no SQL yet) what is held belongs to a transaction a rollback ends
        held = sync.info[HELD] = _Held()
    return cast(_Held, held)


async def update_columns(session: AsyncSession, entity: Any, **values: Any) -> None:
    """Write these columns of a loaded (and locked) row, and show the new values on the ORM
    object without marking it changed: the unit of work would cost several times the
    statement (bench B3)."""
    sync = session.sync_session
    if sync.new or sync.dirty or sync.deleted:
        await session.flush()  # the unit of work's changes came first: they are written first
    state = inspect(entity)
    table = cast(Table, state.mapper.local_table)
    (row_key,) = state.identity
    _held(session).updates.setdefault((table, row_key), {}).update(values)
    for name, value in values.items():
        set_committed_value(entity, name, value)


def insert_at_commit(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """Insert this row just before the session commits (every row of a table with the same
    columns)."""
    rows = _held(session).inserts.setdefault(table, [])
    if rows and rows[0].keys() != row.keys():
        raise ValueError(f"{table.name}: every held row needs the columns {list(rows[0])}")
    rows.append(row)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, *_: object) -> None:
    held = session.info.get(HELD)
    if held is not None:
        held.write_updates(session)


@event.listens_for(Session, "do_orm_execute")
def _before_execute(state: ORMExecuteState) -> None:
    _before_flush(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if HELD not in session.info:
        return
    session.flush()  # the changes the rows describe come first
    held = session.info.pop(HELD)
    if held.updates or held.inserts:
        _send(session.connection(), held.updates, held.inserts)


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, _: object) -> None:
    session.info.pop(HELD, None)


def _send(
    connection: Connection,
    updates: dict[tuple[Table, Any], dict[str, Any]],
    inserts: dict[Table, list[dict[str, Any]]],
) -> None:
    rows = len(updates) + sum(len(r) for r in inserts.values())
    if connection.dialect.name == "postgresql" and 1 < rows <= MAX_COMBINED:
        statement, params = _combined(updates, inserts)
        statement.run_many_sync(connection, [params])
        return
    for (table, row_key), values in updates.items():
        _update_of(table).run_many_sync(connection, [{"row_key": row_key, **values}])
    for table, table_rows in inserts.items():
        _insert_of(table).run_many_sync(connection, table_rows)


_UPDATES: dict[Table, Statement] = {}
_INSERTS: dict[Table, Statement] = {}
_COMBINED: dict[tuple[Any, ...], Statement] = {}


def _update_of(table: Table) -> Statement:
    statement = _UPDATES.get(table)
    if statement is None:
        (key,) = table.primary_key.columns
        statement = _UPDATES[table] = Statement(update(table).where(key == bindparam("row_key")))
    return statement


def _insert_of(table: Table) -> Statement:
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = Statement(insert(table))
    return statement


def _combined(
    updates: dict[tuple[Table, Any], dict[str, Any]],
    inserts: dict[Table, list[dict[str, Any]]],
) -> tuple[Statement, dict[str, Any]]:
    """One statement for them all, compiled once per shape, and its parameters."""
    shape = (
        tuple((table, tuple(values)) for (table, _), values in updates.items()),
        tuple((table, tuple(rows[0]), len(rows)) for table, rows in inserts.items()),
    )
    params: dict[str, Any] = {}
    for u, ((_, row_key), values) in enumerate(updates.items()):
        params[f"u{u}_key"] = row_key
        params |= {f"u{u}_{name}": value for name, value in values.items()}
    for t, rows in enumerate(inserts.values()):
        for r, row in enumerate(rows):
            params |= {f"i{t}_{r}_{name}": value for name, value in row.items()}
    statement = _COMBINED.get(shape)
    if statement is None:
        statement = _COMBINED[shape] = Statement(_build(*shape))
    return statement, params


def _build(
    update_shapes: tuple[tuple[Table, tuple[str, ...]], ...],
    insert_shapes: tuple[tuple[Table, tuple[str, ...], int], ...],
) -> UpdateBase:
    pieces: list[UpdateBase] = []
    for u, (table, names) in enumerate(update_shapes):
        (key,) = table.primary_key.columns
        values = {name: bindparam(f"u{u}_{name}", type_=table.c[name].type) for name in names}
        where = key == bindparam(f"u{u}_key", type_=key.type)
        pieces.append(update(table).where(where).values(values))
    for t, (table, names, count) in enumerate(insert_shapes):
        rows = [
            {name: bindparam(f"i{t}_{r}_{name}", type_=table.c[name].type) for name in names}
            for r in range(count)
        ]
        pieces.append(insert(table).values(rows))
    *before, last = pieces
    return last.add_cte(*(piece.cte(f"w{n}") for n, piece in enumerate(before)))
