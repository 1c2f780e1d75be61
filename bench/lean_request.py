"""An experiment, not a benchmark of `make bench`: how far could B3 go without the ORM's
writes and without FastAPI's route machinery? It sizes the rewrite of links/ that B3 needs.

Three versions of the official-account request (link_existing) run back to back against
the same one-INSERT baseline, on one 2-worker server per backend:

- shoplink: `POST /api/v1/shops/{id}/official-account`, the production code;
- core-writes: the same route stack (FastAPI, `Context`, the transaction middleware), the
  same reads and rules (links/facts.py), but the link and its event inserted with Core
  statements instead of the ORM's unit of work, and a plain JSON answer;
- bare-route: core-writes as a Starlette route outside /api/v1, in its own transaction
  (as `POST /bench/insert` is), with the token looked up by hand.

The two experimental routes skip what production must do (Idempotency-Key, problem+json
for every refusal, the lapsed-request sweep, the race mapping of the unique indexes), so
they bound what a rewrite could reach; they are never served by shoplink itself.

    .venv/bin/python bench/lean_request.py [--backends sqlite,postgresql] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import bench_app
import common
from binding import sql, tokens
from common import fmt_load, load, post, postgres
from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from seed import load_world
from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shoplink.cli import upgrade_database
from shoplink.deps import Context, context
from shoplink.identity.principal import Principal
from shoplink.identity.service import principal_of, token_digest
from shoplink.links import facts
from shoplink.links.requesting import roles_for
from shoplink.models import ApiToken, Event, Link, User
from shoplink.policy import Profile
from shoplink.policy.rules import link_violations

PER_ROUND = 150
# Table-level (Core) inserts: `insert(Link)` would take the ORM's bulk-insert path.
_LINKS, _EVENTS = Link.__table__, Event.__table__
_INSERT_LINK = insert(_LINKS).returning(_LINKS.c.id)
_INSERT_EVENT = insert(_EVENTS)
_TOKEN = (
    select(User.id, User.username, User.is_admin, User.is_reviewer)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.expires_at > bindparam("now"))
)


async def _request(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    shop_id: int,
    username: str,
    now: datetime,
) -> Response:
    shop = await facts.shop_side_for(
        session, actor, shop_id, roles=roles_for("official"), lock=True
    )
    account, found = await facts.for_request(
        session, profile, shop=shop, username=username, role="official", now=now
    )
    if link_violations(profile, found.facts):
        return JSONResponse({"code": "RULE_VIOLATION"}, 409)
    expires_at = now + timedelta(hours=profile.links.authorization_ttl_hours)
    values = {
        "shop_id": shop.id,
        "account_id": account.id,
        "role": "official",
        "status": "pending_authorization",
        "method": "link_existing",
        "requested_by": actor.user_id,
        "requested_at": now,
        "expires_at": expires_at,
    }
    link_id = (await session.execute(_INSERT_LINK, values)).scalar_one()
    data = {"role": "official", "method": "link_existing", "link_id": link_id}
    await session.execute(
        _INSERT_EVENT,
        {
            "type": "link.requested",
            "at": now,
            "actor": actor.label,
            "shop_id": shop.id,
            "account_id": account.id,
            "link_id": link_id,
            "data": data | {"account_id": account.id},
        },
    )
    answer = {k: v for k, v in values.items() if k not in ("requested_at", "expires_at")}
    answer |= {"id": link_id, "expires_at": expires_at.isoformat()}
    return Response(json.dumps(answer), 202, media_type="application/json")


class OfficialBody(BaseModel):
    username: str


core_writes = APIRouter(prefix="/api/v1/experiment")


@core_writes.post("/shops/{shop_id}/official-account", status_code=202)
async def request_core_writes(
    shop_id: int, body: OfficialBody, ctx: Context = Depends(context)
) -> Response:
    return await _request(ctx.session, ctx.actor, ctx.profile, shop_id, body.username, ctx.now)


async def request_bare_route(request: Request) -> Response:
    state = request.app.state
    db, now = state.db, state.clock.now()
    digest = token_digest(request.headers["authorization"].removeprefix("Bearer "))
    body = json.loads(await request.body())
    async with db.transaction() as session:
        # As current_principal: SQLite looks the token up before taking the write lock.
        async with db.lookup(session) as lookup:
            found = await lookup.execute(_TOKEN, {"digest": digest, "now": now})
            row = found.one_or_none()
        if row is None:
            return JSONResponse({"code": "UNAUTHENTICATED"}, 401)
        shop_id = int(request.path_params["shop_id"])
        return await _request(
            session, principal_of(row), state.profile, shop_id, body["username"], now
        )


def create() -> FastAPI:
    """The bench app plus the two experimental routes (uvicorn lean_request:create)."""
    app = bench_app.create()
    app.include_router(core_writes)
    app.router.routes.insert(
        0,
        Route("/experiment/shops/{shop_id}/official-account", request_bare_route, methods=["POST"]),
    )
    return app


def measure(url: str, rounds: int) -> list[dict[str, Any]]:
    upgrade_database(url)
    sql(url, bench_app.create_table_sql("sqlite" if url.startswith("sqlite") else "postgresql"))
    shops = 3 * PER_ROUND * rounds
    load_world(url, shops=shops + 10, flow=shops)
    serve = common.subprocess.Popen

    def popen(args: list[str], **kw: Any) -> subprocess.Popen[bytes]:
        return serve(["lean_request:create" if a == "bench_app:create" else a for a in args], **kw)

    common.subprocess.Popen = popen  # type: ignore[assignment]
    out = []
    try:
        with common.server(url) as port:
            auth = tokens(port)["seller"]
            load(
                port,
                [post("/bench/insert", {"shop_id": 0})],
                concurrency=8,
                total=300,
                seconds=60,
                cycle=True,
            )
            shop = iter(range(1, shops + 1))
            for _ in range(rounds):
                base = load(
                    port,
                    [post("/bench/insert", {"shop_id": 0})] * 300,
                    concurrency=8,
                    total=300,
                    seconds=60,
                )
                row = {"baseline": base}
                for name, path, body in (
                    ("shoplink", "/api/v1/shops/{}/official-account", {"method": "link_existing"}),
                    ("core-writes", "/api/v1/experiment/shops/{}/official-account", {}),
                    ("bare-route", "/experiment/shops/{}/official-account", {}),
                ):
                    batch = [next(shop) for _ in range(PER_ROUND)]
                    row[name] = load(
                        port,
                        [
                            post(path.format(i), body | {"username": f"acct{i}"}, auth)
                            for i in batch
                        ],
                        concurrency=8,
                        total=PER_ROUND,
                        seconds=60,
                    )
                out.append(row)
                print(f"  baseline POST /bench/insert: {fmt_load(base)}", flush=True)
                for name in ("shoplink", "core-writes", "bare-route"):
                    ratio = row[name]["req_per_s"] / base["req_per_s"]
                    print(f"    {name:<11} {fmt_load(row[name])} · ratio {ratio:.2f}", flush=True)
    finally:
        common.subprocess.Popen = serve  # type: ignore[assignment]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        print(f"[{backend}]", flush=True)
        if backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="shoplink-lean-") as tmp:
                measure(f"sqlite:///{Path(tmp) / 'lean.db'}", args.rounds)
        else:
            with postgres() as cluster:
                measure(cluster.create_database("lean"), args.rounds)


if __name__ == "__main__":
    main()
