from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.deps import get_now
from shoplink.identity.auth import current_principal, get_session
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.orgs import service
from shoplink.orgs.schemas import MemberAdd, MemberOut, MemberPage

router = APIRouter(prefix=API_PREFIX, tags=["organizations"])


@router.get("/org-accounts/{account_id}/members", response_model=MemberPage)
async def list_members(
    account_id: IdPath,
    page: PageParams = Depends(page_params),
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> MemberPage:
    rows = await service.list_members(session, actor, account_id=account_id, page=page)
    items, cursor = split_page(rows, page, lambda m: m.user_id)
    return MemberPage(
        items=[MemberOut.model_validate(m, from_attributes=True) for m in items], next_cursor=cursor
    )


@router.post("/org-accounts/{account_id}/members", status_code=201, response_model=MemberOut)
async def add_member(
    account_id: IdPath,
    body: MemberAdd,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> MemberOut:
    member = await service.add_member(session, actor, account_id=account_id, data=body, now=now)
    return MemberOut.model_validate(member, from_attributes=True)


@router.delete("/org-accounts/{account_id}/members/{user_id}", status_code=204)
async def remove_member(
    account_id: IdPath,
    user_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> Response:
    await service.remove_member(session, actor, account_id=account_id, user_id=user_id, now=now)
    return Response(status_code=204)
