"""Browser sessions: a fresh random id at every login, only its SHA-256 stored, deleted at
logout. The cookie that carries the id is signed by `web.cookies`."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.identity.principal import Principal
from shoplink.identity.service import principal_of, token_digest
from shoplink.models import User, WebSession


async def start(session: AsyncSession, *, user: User, now: datetime, ttl: timedelta) -> str:
    session_id = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            session_hash=token_digest(session_id),
            user_id=user.id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await session.flush()
    return session_id


async def principal_for(
    session: AsyncSession, session_id: str, *, now: datetime
) -> Principal | None:
    stmt = (
        select(User)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.session_hash == token_digest(session_id), WebSession.expires_at > now)
    )
    user = (await session.execute(stmt)).scalar_one_or_none()
    return principal_of(user) if user is not None else None


async def end(session: AsyncSession, session_id: str) -> None:
    await session.execute(
        delete(WebSession).where(WebSession.session_hash == token_digest(session_id))
    )
