"""Request-scoped dependencies shared by every router."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.identity.auth import bearer, get_session, principal_for, reviewer
from shoplink.identity.principal import Principal
from shoplink.policy import Profile


def get_profile(request: Request) -> Profile:
    profile: Profile = request.app.state.profile
    return profile


def get_now(request: Request) -> datetime:
    now: datetime = request.app.state.clock.now()
    return now


@dataclass(frozen=True, slots=True)
class Context:
    """What nearly every endpoint needs: the request's session, caller, rules and time."""

    session: AsyncSession
    actor: Principal
    profile: Profile
    now: datetime


# One dependency each, not a tree of them: this FastAPI solves every node of a tree anew on
# every request, ~10 µs a node here (157 -> 118 µs for a bare endpoint behind each).
async def context(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Context:
    session: AsyncSession = request.state.session
    actor = await principal_for(request, credentials, session)
    return Context(session=session, actor=actor, profile=get_profile(request), now=get_now(request))


async def reviewer_context(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Context:
    found = await context(request, credentials)
    reviewer(found.actor)
    return found


@dataclass(frozen=True, slots=True)
class PublicContext:
    """For the public pages: no caller."""

    session: AsyncSession
    profile: Profile
    now: datetime


async def public_context(
    request: Request, session: AsyncSession = Depends(get_session)
) -> PublicContext:
    return PublicContext(session=session, profile=get_profile(request), now=get_now(request))
