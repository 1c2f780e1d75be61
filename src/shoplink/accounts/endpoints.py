from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.accounts import service
from shoplink.accounts.schemas import AccountCreate, AccountOut, AccountUpdate
from shoplink.config import API_PREFIX
from shoplink.deps import get_now, get_profile
from shoplink.identity.auth import current_principal, get_session
from shoplink.identity.principal import Principal
from shoplink.kit.types import IdPath
from shoplink.policy import Profile

router = APIRouter(prefix=API_PREFIX, tags=["accounts"])


def _out(account: object) -> AccountOut:
    return AccountOut.model_validate(account, from_attributes=True)


@router.post("/accounts", status_code=201, response_model=AccountOut)
async def create_account(
    body: AccountCreate,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> AccountOut:
    return _out(await service.create_account(session, actor, data=body, now=now))


@router.get("/accounts/{account_id}", response_model=AccountOut)
async def get_account(
    account_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> AccountOut:
    return _out(await service.account_for(session, actor, account_id))


@router.patch("/accounts/{account_id}", response_model=AccountOut)
async def rename_account(
    account_id: IdPath,
    body: AccountUpdate,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> AccountOut:
    account = await service.rename_account(
        session, actor, profile, account_id=account_id, nickname=body.nickname, now=now
    )
    return _out(account)


@router.delete("/accounts/{account_id}", response_model=AccountOut)
async def delete_account(
    account_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> AccountOut:
    return _out(await service.delete_account(session, actor, account_id=account_id, now=now))


@router.post("/accounts/{account_id}/convert-to-organization", response_model=AccountOut)
async def convert_to_organization(
    account_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
) -> AccountOut:
    return _out(
        await service.convert_to_organization(session, actor, profile, account_id=account_id)
    )
