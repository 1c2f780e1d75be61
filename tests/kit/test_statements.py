"""kit/statements.py: a Statement must behave as `session.execute` would, on both backends:
the types' conversions both ways, constant IN lists, RETURNING, the session's transaction,
the ORM's pending changes, and SQLAlchemy's errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from shoplink.kit.statements import Statement
from shoplink.models import Event, User

pytestmark = pytest.mark.usefixtures("client")  # empties the tables

AT = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
_EVENTS = Event.__table__
ADD_EVENT = Statement(insert(_EVENTS).returning(_EVENTS.c.id))
ADD_EVENTS = Statement(insert(_EVENTS))
EVENTS_OF = Statement(
    select(Event.id, Event.type, Event.at, Event.data)
    .where(Event.actor == bindparam("actor"), Event.type.in_(("a.one", "a.two")))
    .order_by(Event.id)
)
USERS = Statement(
    select(func.count().label("n")).select_from(User).where(User.username == bindparam("name"))
)


def event(type: str, actor: str = "tester", **data: object) -> dict[str, object]:
    row = {"at": AT, "shop_id": None, "account_id": None, "link_id": None}
    return row | {"type": type, "actor": actor, "data": data}


async def test_values_go_in_and_come_back_as_the_orm_reads_them(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        row = await ADD_EVENT.one_or_none(session, **event("a.one", note="ä", n=[1, 2]))
        assert row is not None and row.id > 0
        await ADD_EVENTS.run(session, **event("a.two", later=True))
        await ADD_EVENTS.run(session, **event("a.three"))  # outside the IN list
        await ADD_EVENTS.run(session, **event("a.one", actor="other"))  # another actor
    async with app.state.db.session(write=False) as session:
        rows = await EVENTS_OF.all(session, actor="tester")
        orm = (await session.execute(select(Event).where(Event.id == row.id))).scalar_one()
    assert [(r.type, r.data) for r in rows] == [
        ("a.one", {"note": "ä", "n": [1, 2]}),
        ("a.two", {"later": True}),
    ]
    assert rows[0].id == row.id
    assert rows[0].at == AT == orm.at
    assert rows[0].at.tzinfo is not None


async def test_a_statement_runs_in_the_sessions_transaction(app: FastAPI) -> None:
    async with app.state.db.session(write=True) as session:
        await ADD_EVENTS.run(session, **event("a.one"))
        assert (
            len(await EVENTS_OF.all(session, actor="tester")) == 1
        )  # its own write, unseen by others
        await session.rollback()
    async with app.state.db.session(write=False) as session:
        assert await EVENTS_OF.all(session, actor="tester") == []


async def test_the_orms_pending_objects_are_flushed_first(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        session.add(User(username="pending", password_hash="x", display_name="P", created_at=AT))
        row = await USERS.one_or_none(session, name="pending")
    assert row is not None and row.n == 1


async def test_a_broken_constraint_is_sqlalchemys_integrity_error(app: FastAPI) -> None:
    add_user = Statement(insert(User.__table__))
    user = {"username": "twice", "password_hash": "x", "display_name": "T", "created_at": AT}
    async with app.state.db.session(write=True) as session:
        await add_user.run(session, **user)
        with pytest.raises(IntegrityError):
            await add_user.run(session, **user)
        await session.rollback()


def test_repeated_column_names_are_refused_at_first_use() -> None:
    both = Statement(select(Event.id, User.id))
    with pytest.raises(ValueError, match="label the columns"):
        both._form(sqlite.dialect(), {})
