"""Every API test runs twice: on SQLite and on a throwaway PostgreSQL cluster.

Schemas are built by running the migrations, once per backend; each test starts from empty
tables. Under CI=true a missing PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from shoplink.app import create_app
from shoplink.cli import upgrade_database
from shoplink.config import Settings
from shoplink.models import Base
from shoplink.policy import load_profile
from tests import pg
from tests.factories import ADMIN_TOKEN, World

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.Cluster]:
    if not pg.available():
        if IN_CI:
            pytest.fail(f"PostgreSQL binaries not found in {pg.PG_BIN}; CI must run these tests")
        pytest.skip("PostgreSQL 15 binaries not installed")
    cluster = pg.Cluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_url(pg_cluster: pg.Cluster) -> str:
    url = pg_cluster.create_database("shoplink_test")
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="shoplink-sqlite-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'test.db'}"
        upgrade_database(url)
        yield url


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def database_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture(scope="session")
def app(database_url: str) -> FastAPI:
    # Tests move the clock by months; tokens must outlive that.
    settings = Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        test_clock=True,
        token_ttl_hours=24 * 365 * 5,
        # Hundreds of users per run: a cheaper argon2id cost (production keeps RFC 9106's).
        password_time_cost=1,
        password_memory_kib=1024,
        # Every test logs in from the same address; tests/api/test_login_throttle.py checks
        # the per-client limit on an app of its own.
        login_rate_limit_per_client="100000/minute",
    )
    return create_app(settings)


async def _empty_tables(app: FastAPI) -> None:
    db = app.state.db
    # instance_secrets is written by the migrations (the cookie-signing key), like
    # alembic_version: part of the schema's state, not of a test's.
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "instance_secrets"]
    async with db.transaction() as session:
        if db.is_postgres:
            await session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await session.execute(text(f"DELETE FROM {table}"))
    app.state.clock.set_offset(0)
    app.state.principals.clear()  # tokens of earlier tests name users that are gone


@pytest.fixture
async def client(app: FastAPI, request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    """Tests choose their platform with @pytest.mark.platform("douyin")."""
    marker = request.node.get_closest_marker("platform")
    app.state.profile = load_profile(marker.args[0] if marker else "tiktok_shop")
    await _empty_tables(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
def world(client: httpx.AsyncClient) -> World:
    return World(client)
