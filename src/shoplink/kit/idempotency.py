"""Idempotency-Key: the first response to a POST is stored with the work it did, in the same
transaction, and replayed for repeats. A concurrent duplicate waits on the primary key of the
placeholder row (PostgreSQL) or on the write lock (SQLite), then replays."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import Scope

from shoplink.errors import IdempotencyKeyReused, ValidationFailed
from shoplink.kit.buffered import BufferedResponse
from shoplink.models import IdempotencyKey

HEADER = b"idempotency-key"
IN_PROGRESS = 0


def key_from(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == HEADER:
            key: str = value.decode("latin-1").strip()
            if not 1 <= len(key) <= 255:
                raise ValidationFailed(
                    "Idempotency-Key must be 1-255 characters",
                    errors=[{"field": "header.Idempotency-Key", "message": "1-255 characters"}],
                )
            return key
    return None


def _principal(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return hashlib.sha256(value).hexdigest()
    return "anonymous"


def _request_hash(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def _find(session: AsyncSession, principal: str, key: str) -> IdempotencyKey | None:
    stmt = select(IdempotencyKey).where(
        IdempotencyKey.principal == principal, IdempotencyKey.key == key
    )
    return (await session.execute(stmt)).scalar_one_or_none()


def _replay(row: IdempotencyKey, request_hash: str) -> BufferedResponse:
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused()
    return BufferedResponse.of(
        status=row.status_code, content_type=row.content_type, body=row.body, replayed=True
    )


async def begin(
    session: AsyncSession, scope: Scope, key: str, body: bytes, *, now: datetime
) -> BufferedResponse | None:
    """Return the stored response to replay, or claim the key for this request."""
    principal, request_hash = _principal(scope), _request_hash(scope, body)
    row = await _find(session, principal, key)
    if row is not None:
        return _replay(row, request_hash)
    session.add(
        IdempotencyKey(
            principal=principal,
            key=key,
            request_hash=request_hash,
            status_code=IN_PROGRESS,
            content_type="",
            body=b"",
            created_at=now,
        )
    )
    try:
        await session.flush()
    except IntegrityError:
        # A concurrent request with this key committed first: answer as it did.
        await session.rollback()
        row = await _find(session, principal, key)
        assert row is not None
        return _replay(row, request_hash)
    return None


async def finish(session: AsyncSession, scope: Scope, key: str, response: BufferedResponse) -> None:
    row = await _find(session, _principal(scope), key)
    assert row is not None
    row.status_code = response.status
    row.content_type = response.content_type
    row.body = response.body
    await session.flush()


async def store_response(
    session: AsyncSession,
    scope: Scope,
    key: str,
    body: bytes,
    response: BufferedResponse,
    *,
    now: datetime,
) -> None:
    session.add(
        IdempotencyKey(
            principal=_principal(scope),
            key=key,
            request_hash=_request_hash(scope, body),
            status_code=response.status,
            content_type=response.content_type,
            body=response.body,
            created_at=now,
        )
    )
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()


async def lookup(
    session: AsyncSession, scope: Scope, key: str, body: bytes
) -> BufferedResponse | None:
    """For endpoints that run outside the request transaction (streamed imports): the stored
    response to replay, if this key was used before. `body` may be a digest of a large body."""
    row = await _find(session, _principal(scope), key)
    if row is None or row.status_code == IN_PROGRESS:
        return None
    return _replay(row, _request_hash(scope, body))


async def remember(
    session: AsyncSession,
    scope: Scope,
    key: str,
    body: bytes,
    *,
    status: int,
    content: str,
    now: datetime,
) -> None:
    response = BufferedResponse.of(
        status=status, content_type="application/json", body=content.encode(), replayed=False
    )
    await store_response(session, scope, key, body, response, now=now)
