from __future__ import annotations

from fastapi import APIRouter, Depends

from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.shops import service
from shoplink.shops.auth import shop_for
from shoplink.shops.schemas import ShopCreate, ShopOut, ShopPage, ShopUpdate

router = APIRouter(prefix=API_PREFIX, tags=["shops"])


def _out(shop: object) -> ShopOut:
    return ShopOut.model_validate(shop, from_attributes=True)


@router.post("/shops", status_code=201, response_model=ShopOut)
async def create_shop(
    body: ShopCreate,
    ctx: Context = Depends(context),
) -> ShopOut:
    return _out(
        await service.create_shop(ctx.session, ctx.actor, ctx.profile, data=body, now=ctx.now)
    )


@router.get("/shops", response_model=ShopPage)
async def list_shops(
    page: PageParams = Depends(page_params),
    ctx: Context = Depends(context),
) -> ShopPage:
    rows = await service.list_shops(ctx.session, ctx.actor, page=page)
    items, cursor = split_page(rows, page, lambda shop: shop.id)
    return ShopPage(items=[_out(shop) for shop in items], next_cursor=cursor)


@router.get("/shops/{shop_id}", response_model=ShopOut)
async def get_shop(
    shop_id: IdPath,
    ctx: Context = Depends(context),
) -> ShopOut:
    return _out(await shop_for(ctx.session, ctx.actor, shop_id))


@router.patch("/shops/{shop_id}", response_model=ShopOut)
async def update_shop(
    shop_id: IdPath,
    body: ShopUpdate,
    ctx: Context = Depends(context),
) -> ShopOut:
    return _out(
        await service.update_shop(
            ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, data=body, now=ctx.now
        )
    )


@router.post("/shops/{shop_id}/close", response_model=ShopOut)
async def close_shop(
    shop_id: IdPath,
    ctx: Context = Depends(context),
) -> ShopOut:
    return _out(await service.close_shop(ctx.session, ctx.actor, shop_id=shop_id, now=ctx.now))
