from __future__ import annotations

from fastapi import APIRouter, Depends

from shoplink.accounts.service import account_for
from shoplink.commerce import deposits, migration, probation
from shoplink.commerce.schemas import DepositIn, DepositOut, MigrateIn, MigrationOut
from shoplink.config import API_PREFIX
from shoplink.deps import Context, context, reviewer_context
from shoplink.kit.types import IdPath
from shoplink.sellers.auth import MANAGERS
from shoplink.shops.auth import shop_for
from shoplink.shops.schemas import ShopOut

router = APIRouter(prefix=API_PREFIX, tags=["commerce"])


@router.get("/shops/{shop_id}/deposit", response_model=DepositOut)
async def shop_deposit(shop_id: IdPath, ctx: Context = Depends(context)) -> DepositOut:
    await shop_for(ctx.session, ctx.actor, shop_id)
    return await deposits.status(ctx.session, ctx.profile, shop_id=shop_id)


@router.post("/shops/{shop_id}/deposit", response_model=DepositOut)
async def pay_shop_deposit(
    shop_id: IdPath, body: DepositIn, ctx: Context = Depends(context)
) -> DepositOut:
    """The creator deposit (douyin) for the shop's official account."""
    await shop_for(ctx.session, ctx.actor, shop_id, roles=MANAGERS, lock=True)
    return await deposits.pay(
        ctx.session, ctx.actor, ctx.profile, amount=body.amount, now=ctx.now, shop_id=shop_id
    )


@router.get("/accounts/{account_id}/deposit", response_model=DepositOut)
async def account_deposit(account_id: IdPath, ctx: Context = Depends(context)) -> DepositOut:
    await account_for(ctx.session, ctx.actor, account_id)
    return await deposits.status(ctx.session, ctx.profile, account_id=account_id)


@router.post("/accounts/{account_id}/deposit", response_model=DepositOut)
async def pay_account_deposit(
    account_id: IdPath, body: DepositIn, ctx: Context = Depends(context)
) -> DepositOut:
    """The creator deposit (douyin) paid by a creator who is no shop's official account."""
    await account_for(ctx.session, ctx.actor, account_id, act=True, lock=True)
    return await deposits.pay(
        ctx.session, ctx.actor, ctx.profile, amount=body.amount, now=ctx.now, account_id=account_id
    )


@router.post("/shops/{shop_id}/probation/complete", response_model=ShopOut)
async def complete_probation(shop_id: IdPath, ctx: Context = Depends(reviewer_context)) -> ShopOut:
    shop = await probation.complete(ctx.session, ctx.actor, shop_id=shop_id, now=ctx.now)
    return ShopOut.model_validate(shop, from_attributes=True)


@router.post("/shops/{shop_id}/migrate", response_model=MigrationOut)
async def migrate_catalog(
    shop_id: IdPath, body: MigrateIn, ctx: Context = Depends(context)
) -> MigrationOut:
    """Douyin: copy the personal store's catalog into a business shop of the same owner."""
    return await migration.migrate(
        ctx.session,
        ctx.actor,
        ctx.profile,
        source_id=shop_id,
        target_id=body.target_shop_id,
        now=ctx.now,
    )
