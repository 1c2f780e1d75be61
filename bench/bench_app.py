"""The app the benchmarks serve: shoplink's own create_app() plus one baseline endpoint.

`POST /bench/insert` does the least a write request can do on the same server, pool and
database: one INSERT of one row into `bench_inserts` in its own transaction (on SQLite the
same BEGIN IMMEDIATE write session shoplink uses). It lives outside /api/v1, so no auth and
no per-request transaction middleware: it is the ceiling B3's binding steps are held to.

`GET /bench/pid` names the worker process that holds a connection: bench/loadgen.py spreads
its connections evenly over the workers with it.

`GET /api/v1/bench/noop` answers a constant through shoplink's whole API stack (its
middleware and per-request session) without touching the database.

    uvicorn bench_app:create --factory   (with PYTHONPATH=bench)
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI, Request
from sqlalchemy import text

from shoplink.app import create_app

router = APIRouter(prefix="/bench", tags=["bench"])
# Inside /api/v1, so it pays what every API request pays (metrics and transaction
# middleware, a session) but does no work: the floor of the stack, for B1's breakdown.
api_router = APIRouter(prefix="/api/v1/bench", tags=["bench"])

CREATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_inserts"
    " (id {pk}, shop_id INTEGER NOT NULL, note VARCHAR(64) NOT NULL, at TIMESTAMP NOT NULL)"
)


def create_table_sql(dialect: str) -> str:
    pk = "SERIAL PRIMARY KEY" if dialect == "postgresql" else "INTEGER PRIMARY KEY"
    return CREATE_TABLE.format(pk=pk)


@router.post("/insert", status_code=201)
async def insert_one(request: Request) -> dict[str, int]:
    body = await request.json()
    async with request.app.state.db.transaction() as session:
        row = await session.execute(
            text("INSERT INTO bench_inserts (shop_id, note, at) VALUES (:s, :n, :at) RETURNING id"),
            {"s": int(body["shop_id"]), "n": "bench", "at": datetime.now(UTC).replace(tzinfo=None)},
        )
        return {"id": int(row.scalar_one())}


@router.get("/pid")
async def worker_pid() -> dict[str, int]:
    return {"pid": os.getpid()}


@api_router.get("/noop")
async def noop() -> dict[str, str]:
    return {"status": "ok"}


def create() -> FastAPI:
    app = create_app()
    app.include_router(router)
    app.include_router(api_router)
    return app
