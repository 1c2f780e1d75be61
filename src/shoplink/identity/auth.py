"""FastAPI dependencies that resolve the caller."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import Forbidden, Unauthenticated
from shoplink.identity import service
from shoplink.identity.principal import Principal

bearer = HTTPBearer(auto_error=False)


# Dependencies are coroutines: a plain `def` would cost a thread-pool hop on every request.
async def get_session(request: Request) -> AsyncSession:
    session: AsyncSession = request.state.session
    return session


async def current_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: AsyncSession = Depends(get_session),
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated()
    admin_token: str | None = request.app.state.settings.admin_token
    if admin_token and hmac.compare_digest(credentials.credentials.encode(), admin_token.encode()):
        return Principal(user_id=None, username="admin", is_admin=True, is_reviewer=True)
    async with request.app.state.db.lookup(session) as lookup:
        return await service.principal_for_token(
            lookup, credentials.credentials, now=request.app.state.clock.now()
        )


async def require_admin(principal: Principal = Depends(current_principal)) -> Principal:
    if not principal.is_admin:
        raise Forbidden("Admins only")
    return principal


async def require_reviewer(principal: Principal = Depends(current_principal)) -> Principal:
    if not (principal.is_reviewer or principal.is_admin):
        raise Forbidden("Reviewers only")
    return principal
