"""FastAPI dependencies that resolve the caller."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import Forbidden, Unauthenticated
from shoplink.identity import service
from shoplink.identity.principal import Principal
from shoplink.identity.token_cache import PrincipalCache

bearer = HTTPBearer(auto_error=False)


# Dependencies are coroutines: a plain `def` would cost a thread-pool hop on every request.
async def get_session(request: Request) -> AsyncSession:
    session: AsyncSession = request.state.session
    return session


async def current_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Principal:
    return await principal_for(request, credentials, request.state.session)


async def principal_for(
    request: Request, credentials: HTTPAuthorizationCredentials | None, session: AsyncSession
) -> Principal:
    """Who the bearer token names (read through `session` when this process does not know)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated()
    admin_token: str | None = request.app.state.settings.admin_token
    if admin_token and hmac.compare_digest(credentials.credentials.encode(), admin_token.encode()):
        return Principal(user_id=None, username="admin", is_admin=True, is_reviewer=True)
    digest = service.token_digest(credentials.credentials)
    now = request.app.state.clock.now()
    known: PrincipalCache = request.app.state.principals
    principal = known.get(digest, now=now)
    if principal is None:
        async with request.app.state.db.lookup(session) as lookup:
            holder = await service.token_holder(lookup, digest, now=now)
        principal = holder.principal
        known.put(digest, principal, token_expires_at=holder.token_expires_at)
    return principal


async def require_admin(principal: Principal = Depends(current_principal)) -> Principal:
    if not principal.is_admin:
        raise Forbidden("Admins only")
    return principal


def reviewer(principal: Principal) -> Principal:
    if not (principal.is_reviewer or principal.is_admin):
        raise Forbidden("Reviewers only")
    return principal
