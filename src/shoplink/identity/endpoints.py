from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.errors import RateLimited, Unauthenticated
from shoplink.identity import service
from shoplink.identity.auth import get_session, require_admin
from shoplink.identity.principal import Principal
from shoplink.identity.schemas import TokenRequest, TokenResponse, UserCreate, UserOut

router = APIRouter(prefix=API_PREFIX, tags=["identity"])


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses={429: {"description": "Too many failed logins from this client"}},
)
async def login(
    body: TokenRequest, request: Request, session: AsyncSession = Depends(get_session)
) -> TokenResponse:
    settings = request.app.state.settings
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    if not throttle.allows(client=client, username=body.username):
        raise RateLimited()
    try:
        token, expires_at = await service.issue_token(
            session,
            username=body.username,
            password=body.password,
            now=request.app.state.clock.now(),
            ttl=timedelta(hours=settings.token_ttl_hours),
        )
    except Unauthenticated:
        throttle.failed(client=client, username=body.username)
        raise
    return TokenResponse(access_token=token, expires_at=expires_at.isoformat())


@router.post("/users", status_code=201, response_model=UserOut)
async def create_user(
    body: UserCreate,
    request: Request,
    actor: Principal = Depends(require_admin),
    session: AsyncSession = Depends(get_session),
) -> UserOut:
    user = await service.create_user(session, actor, data=body, now=request.app.state.clock.now())
    return UserOut.model_validate(user, from_attributes=True)
