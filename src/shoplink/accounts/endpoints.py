from __future__ import annotations

from fastapi import APIRouter, Depends

from shoplink.accounts import service
from shoplink.accounts.schemas import AccountCreate, AccountOut, AccountUpdate
from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.types import IdPath

router = APIRouter(prefix=API_PREFIX, tags=["accounts"])


def _out(account: object) -> AccountOut:
    return AccountOut.model_validate(account, from_attributes=True)


@router.post("/accounts", status_code=201, response_model=AccountOut)
async def create_account(
    body: AccountCreate,
    ctx: Context = Depends(context),
) -> AccountOut:
    return _out(await service.create_account(ctx.session, ctx.actor, data=body, now=ctx.now))


@router.get("/accounts/{account_id}", response_model=AccountOut)
async def get_account(
    account_id: IdPath,
    ctx: Context = Depends(context),
) -> AccountOut:
    return _out(await service.account_for(ctx.session, ctx.actor, account_id))


@router.patch("/accounts/{account_id}", response_model=AccountOut)
async def rename_account(
    account_id: IdPath,
    body: AccountUpdate,
    ctx: Context = Depends(context),
) -> AccountOut:
    account = await service.rename_account(
        ctx.session,
        ctx.actor,
        ctx.profile,
        account_id=account_id,
        nickname=body.nickname,
        now=ctx.now,
    )
    return _out(account)


@router.delete("/accounts/{account_id}", response_model=AccountOut)
async def delete_account(
    account_id: IdPath,
    ctx: Context = Depends(context),
) -> AccountOut:
    return _out(
        await service.delete_account(ctx.session, ctx.actor, account_id=account_id, now=ctx.now)
    )


@router.post("/accounts/{account_id}/convert-to-organization", response_model=AccountOut)
async def convert_to_organization(
    account_id: IdPath,
    ctx: Context = Depends(context),
) -> AccountOut:
    return _out(
        await service.convert_to_organization(
            ctx.session, ctx.actor, ctx.profile, account_id=account_id
        )
    )
