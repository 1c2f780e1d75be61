from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.orgs import service
from shoplink.orgs.schemas import MemberAdd, MemberOut, MemberPage

router = APIRouter(prefix=API_PREFIX, tags=["organizations"])


@router.get("/org-accounts/{account_id}/members", response_model=MemberPage)
async def list_members(
    account_id: IdPath,
    page: PageParams = Depends(page_params),
    ctx: Context = Depends(context),
) -> MemberPage:
    rows = await service.list_members(ctx.session, ctx.actor, account_id=account_id, page=page)
    items, cursor = split_page(rows, page, lambda m: m.user_id)
    return MemberPage(
        items=[MemberOut.model_validate(m, from_attributes=True) for m in items], next_cursor=cursor
    )


@router.post("/org-accounts/{account_id}/members", status_code=201, response_model=MemberOut)
async def add_member(
    account_id: IdPath,
    body: MemberAdd,
    ctx: Context = Depends(context),
) -> MemberOut:
    member = await service.add_member(
        ctx.session, ctx.actor, account_id=account_id, data=body, now=ctx.now
    )
    return MemberOut.model_validate(member, from_attributes=True)


@router.delete("/org-accounts/{account_id}/members/{user_id}", status_code=204)
async def remove_member(
    account_id: IdPath,
    user_id: IdPath,
    ctx: Context = Depends(context),
) -> Response:
    await service.remove_member(
        ctx.session, ctx.actor, account_id=account_id, user_id=user_id, now=ctx.now
    )
    return Response(status_code=204)
