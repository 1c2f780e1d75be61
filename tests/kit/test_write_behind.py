"""kit/write_behind.py: held writes must read as if they had been written at once.

Whatever runs next in the session (a kit Statement, an ORM query, the unit of work) sees
them; a later change of the same column wins; a rollback writes none of them; a broken
constraint surfaces at the commit and leaves nothing written; on PostgreSQL the writes held
to the commit go as one statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from fastapi import FastAPI
from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.kit import write_behind
from shoplink.kit.statements import Statement
from shoplink.kit.write_behind import insert_at_commit, update_columns
from shoplink.models import Event, User

pytestmark = pytest.mark.usefixtures("client")  # empties the tables

AT = datetime(2026, 3, 1, 12, 30, 15, tzinfo=UTC)
EVENTS = cast(Table, Event.__table__)
NAME_OF = Statement(select(User.display_name).where(User.id == bindparam("user_id")))


async def new_user(session: AsyncSession, username: str, name: str = "Old") -> User:
    user = User(username=username, password_hash="x", display_name=name, created_at=AT)
    session.add(user)
    await session.flush()
    return user


async def stored(app: FastAPI, username: str) -> tuple[Any, ...] | None:
    async with app.state.db.session(write=False) as session:
        row = await session.execute(
            select(User.display_name, User.is_reviewer).where(User.username == username)
        )
        found = row.one_or_none()
        return tuple(found) if found else None


def event(type: str) -> dict[str, object]:
    return {"type": type, "at": AT, "actor": "tester", "shop_id": None, "data": {}}


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The SQL of each statement kit/write_behind sends."""
    log: list[str] = []
    original = Statement.run_many_sync

    def run_many_sync(self: Statement, connection: Any, rows: Any) -> int:
        log.append(str(self.statement))
        return original(self, connection, rows)

    monkeypatch.setattr(Statement, "run_many_sync", run_many_sync)
    yield log


async def test_the_object_shows_the_values_and_stays_clean(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        user = await new_user(session, "renamed")
        await update_columns(session, user, display_name="New", is_reviewer=True)
        assert (user.display_name, user.is_reviewer) == ("New", True)
        assert user not in session.dirty  # nothing left for the unit of work to write
    assert await stored(app, "renamed") == ("New", True)


async def test_a_statement_after_it_sees_the_update(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        user = await new_user(session, "seen")
        await update_columns(session, user, display_name="New")
        assert (await NAME_OF.one(session, user_id=user.id)).display_name == "New"


async def test_an_orm_query_after_it_sees_the_update(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        user = await new_user(session, "queried")
        await update_columns(session, user, display_name="New")
        found = await session.execute(select(User.id).where(User.display_name == "New"))
        assert found.scalar_one() == user.id


async def test_a_later_change_of_the_same_column_wins(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        user = await new_user(session, "twice")
        await update_columns(session, user, display_name="Held")
        user.display_name = "Later"  # the unit of work writes this after the held update
    assert await stored(app, "twice") == ("Later", False)


async def test_updates_of_one_row_merge_the_last_value_winning(
    app: FastAPI, sent: list[str]
) -> None:
    async with app.state.db.transaction() as session:
        user = await new_user(session, "merged")
        await update_columns(session, user, display_name="First")
        await update_columns(session, user, is_reviewer=True)
        await update_columns(session, user, display_name="Second")
        sent.clear()
    assert await stored(app, "merged") == ("Second", True)
    assert len(sent) == 1, "one UPDATE of the row, not one each"


async def test_a_rollback_writes_nothing_held(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        user = await new_user(session, "kept")
    async with app.state.db.session(write=True) as session:
        user = (await session.execute(select(User).where(User.id == user.id))).scalar_one()
        await update_columns(session, user, display_name="Lost")
        insert_at_commit(session, EVENTS, event("probe.lost"))
        await session.rollback()
        await session.commit()
    assert await stored(app, "kept") == ("Old", False)
    async with app.state.db.session(write=False) as session:
        assert (await session.execute(select(Event.id))).first() is None


async def test_a_broken_constraint_fails_the_commit_and_writes_nothing(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        await new_user(session, "taken")
        other = await new_user(session, "other")
    async with app.state.db.session(write=True) as session:
        other = (await session.execute(select(User).where(User.id == other.id))).scalar_one()
        await update_columns(session, other, display_name="Moved")
        await update_columns(session, other, username="taken")
        insert_at_commit(session, EVENTS, event("probe.moved"))
        with pytest.raises(IntegrityError):
            await session.commit()
        await session.rollback()
    assert await stored(app, "other") == ("Old", False)
    async with app.state.db.session(write=False) as session:
        assert (await session.execute(select(Event.id))).first() is None


async def test_at_commit_postgresql_sends_the_updates_and_rows_as_one_statement(
    app: FastAPI, sent: list[str]
) -> None:
    async with app.state.db.transaction() as session:
        users = [await new_user(session, f"user{n}") for n in range(3)]
        for n, user in enumerate(users):
            await update_columns(session, user, display_name=f"Name {n}", is_reviewer=n == 1)
            insert_at_commit(session, EVENTS, event(f"probe.{n}"))
        sent.clear()
    expected = 1 if app.state.db.is_postgres else 3 + 1  # SQLite: each UPDATE, the INSERT
    assert len(sent) == expected
    for n in range(3):
        assert await stored(app, f"user{n}") == (f"Name {n}", n == 1)
    async with app.state.db.session(write=False) as session:
        types = await session.execute(select(Event.type).order_by(Event.id))
        assert list(types.scalars()) == ["probe.0", "probe.1", "probe.2"]


async def test_past_the_combined_limit_every_write_still_lands(app: FastAPI) -> None:
    count = write_behind.MAX_COMBINED + 3
    async with app.state.db.transaction() as session:
        users = [await new_user(session, f"many{n}") for n in range(count)]
        for n, user in enumerate(users):
            await update_columns(session, user, display_name=f"Many {n}")
    async with app.state.db.session(write=False) as session:
        names = await session.execute(
            select(User.display_name).where(User.username.like("many%")).order_by(User.id)
        )
        assert list(names.scalars()) == [f"Many {n}" for n in range(count)]


async def test_rows_held_for_one_table_must_have_the_same_columns(app: FastAPI) -> None:
    async with app.state.db.session(write=True) as session:
        insert_at_commit(session, EVENTS, event("probe.one"))
        with pytest.raises(ValueError, match="the columns"):
            insert_at_commit(session, EVENTS, event("probe.two") | {"link_id": None})
        await session.rollback()
