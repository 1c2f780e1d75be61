from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import Forbidden, RuleViolation, Unauthenticated
from shoplink.identity.passwords import hash_password, verify_password
from shoplink.identity.principal import Principal
from shoplink.identity.schemas import UserCreate
from shoplink.kit.statements import Statement
from shoplink.models import ApiToken, User
from shoplink.policy.texts import N_


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def authenticate(session: AsyncSession, *, username: str, password: str) -> User:
    """The user whose password this is; the same refusal (and the same time) for a wrong
    password and an unknown username, so the answer names no accounts."""
    user = (
        await session.execute(select(User).where(User.username == username.lower()))
    ).scalar_one_or_none()
    if not await verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthenticated("Wrong username or password")
    return user


class UserFields(Protocol):
    """A User, or a row of its columns (the token lookup reads no more)."""

    id: int
    username: str
    is_admin: bool
    is_reviewer: bool


def principal_of(user: UserFields) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        is_admin=user.is_admin,
        is_reviewer=user.is_reviewer,
    )


async def issue_token(
    session: AsyncSession, *, username: str, password: str, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    user = await authenticate(session, username=username, password=password)
    token = "slk_" + secrets.token_urlsafe(32)
    expires_at = now + ttl
    session.add(
        ApiToken(
            token_hash=token_digest(token), user_id=user.id, created_at=now, expires_at=expires_at
        )
    )
    return token, expires_at


# Columns, not a User object: every API request asks this, and nothing here changes.
_TOKEN = Statement(
    select(User.id, User.username, User.is_admin, User.is_reviewer, ApiToken.expires_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.expires_at > bindparam("now"))
)


@dataclass(frozen=True, slots=True)
class TokenHolder:
    principal: Principal
    token_expires_at: datetime


async def token_holder(session: AsyncSession, digest: str, *, now: datetime) -> TokenHolder:
    """Who the token with this digest names, while it is valid."""
    row = await _TOKEN.one_or_none(session, digest=digest, now=now)
    if row is None:
        raise Unauthenticated()
    return TokenHolder(principal_of(row), row.expires_at)


async def create_user(
    session: AsyncSession, actor: Principal, *, data: UserCreate, now: datetime
) -> User:
    if not actor.is_admin:
        raise Forbidden("Only an admin can create users")
    user = User(
        username=data.username,
        password_hash=await hash_password(data.password),
        display_name=data.display_name,
        is_reviewer=data.is_reviewer,
        is_admin=data.is_admin,
        created_at=now,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise RuleViolation(
            N_("That username is taken"),
            code="USERNAME_TAKEN",
            next_action=N_("Choose another username."),
        ) from exc
    return user


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)
