from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from shoplink.config import API_PREFIX
from shoplink.deps import Context, PublicContext, context, public_context
from shoplink.kit.pagination import PageParams, encode_cursor, page_params
from shoplink.kit.types import IdPath
from shoplink.showcases import service
from shoplink.showcases.schemas import (
    ShowcaseAdd,
    ShowcaseItemOut,
    ShowcasePage,
    ShowcaseRemoved,
)
from shoplink.storefront.service import public_account

router = APIRouter(prefix=API_PREFIX, tags=["showcases"])


@router.get("/accounts/{account_id}/showcase", response_model=ShowcasePage)
async def list_showcase(
    account_id: IdPath,
    page: PageParams = Depends(page_params),
    ctx: PublicContext = Depends(public_context),
) -> ShowcasePage:
    """Public. Only what the rules allow right now is shown."""
    account = await public_account(ctx.session, account_id)
    items, last = await service.visible_items(
        ctx.session,
        ctx.profile,
        account=account,
        limit=page.limit,
        after_id=page.after_id,
        now=ctx.now,
    )
    return ShowcasePage(
        items=[ShowcaseItemOut.model_validate(i) for i in items],
        next_cursor=encode_cursor(last) if last is not None else None,
    )


@router.post(
    "/accounts/{account_id}/showcase",
    status_code=201,
    response_model=ShowcaseItemOut,
    responses={200: {"model": ShowcaseItemOut, "description": "Already in the showcase"}},
)
async def add_to_showcase(
    account_id: IdPath, body: ShowcaseAdd, response: Response, ctx: Context = Depends(context)
) -> ShowcaseItemOut:
    item, created = await service.add(
        ctx.session,
        ctx.actor,
        ctx.profile,
        account_id=account_id,
        product_id=body.product_id,
        now=ctx.now,
    )
    if not created:
        response.status_code = 200
    return ShowcaseItemOut.model_validate(item)


@router.delete("/accounts/{account_id}/showcase/{product_id}", response_model=ShowcaseRemoved)
async def remove_from_showcase(
    account_id: IdPath, product_id: IdPath, ctx: Context = Depends(context)
) -> ShowcaseRemoved:
    await service.remove(
        ctx.session, ctx.actor, account_id=account_id, product_id=product_id, now=ctx.now
    )
    return ShowcaseRemoved(account_id=account_id, product_id=product_id, removed=True)
