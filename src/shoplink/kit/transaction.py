"""One transaction per API request, committed before the response leaves.

A pure ASGI middleware: it opens the session, runs the request with the response buffered,
commits only if the status is < 400 (so a refused request writes nothing), then sends.
It also implements Idempotency-Key inside that same transaction, and retries the request
when PostgreSQL reports a serialization failure or deadlock.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import anyio
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shoplink.errors import DomainError, PayloadTooLarge, problem_response
from shoplink.kit import idempotency
from shoplink.kit.buffered import BufferedResponse

log = logging.getLogger("shoplink.transaction")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
MAX_ATTEMPTS = 4
MAX_BODY_BYTES = 2 * 1024 * 1024


def _sqlstate(exc: DBAPIError) -> str | None:
    orig: Any = exc.orig
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge(MAX_BODY_BYTES)
        if not message.get("more_body"):
            return b"".join(chunks)


class TransactionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        skip: tuple[str, ...] = (),
        streaming: re.Pattern[str] | None = None,
    ) -> None:
        self.app = app
        # Paths that never touch the database (static files, probes, docs).
        self.skip = skip
        # Endpoints that stream a large body manage their own (batched) transactions.
        self.streaming = streaming

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        if (
            self.streaming is not None
            and scope["method"] == "POST"
            and self.streaming.fullmatch(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        write = scope["method"] not in READ_METHODS
        try:
            body = await _read_body(receive) if write else b""
        except PayloadTooLarge as exc:
            await problem_response(exc.to_problem())(scope, receive, send)
            return
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                key = idempotency.key_from(scope) if scope["method"] == "POST" else None
                captured = await self._attempt(scope, body, write=write, key=key)
            except DBAPIError as exc:
                if _sqlstate(exc) not in RETRYABLE_SQLSTATES or attempt == MAX_ATTEMPTS:
                    raise
                log.info("request.retry attempt=%s sqlstate=%s", attempt, _sqlstate(exc))
                continue
            except DomainError as exc:  # raised by the idempotency check, before any work
                await problem_response(exc.to_problem())(scope, receive, send)
                return
            for message in captured.messages:
                await send(message)
            return

    async def _attempt(
        self, scope: Scope, body: bytes, *, write: bool, key: str | None
    ) -> BufferedResponse:
        app_state = scope["app"].state
        db = app_state.db
        captured = BufferedResponse()
        replay: BufferedResponse | None = None
        async with db.session(write=write) as session:
            scope.setdefault("state", {})["session"] = session
            await app_state.refresh_clock(session)
            if key is not None:
                replay = await idempotency.begin(
                    session, scope, key, body, now=app_state.clock.now()
                )
            if replay is None:
                await self.app(scope, _replay_receive(body), captured.send)
                if captured.status < 400:
                    if key is not None:
                        await idempotency.finish(session, scope, key, captured)
                    await session.commit()
                else:
                    await session.rollback()
        if replay is not None:
            return replay
        if key is not None and 400 <= captured.status < 500 and captured.status not in (401, 429):
            # The failed work is rolled back; remember the refusal so a retry sees the same.
            async with db.session(write=True) as session:
                await idempotency.store_response(
                    session, scope, key, body, captured, now=app_state.clock.now()
                )
        return captured


def _replay_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        # Never report a disconnect: the response is buffered and sent after commit.
        await anyio.Event().wait()
        raise AssertionError("unreachable")

    return receive
