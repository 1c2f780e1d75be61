from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from shoplink.config import API_PREFIX
from shoplink.deps import PublicContext, public_context
from shoplink.kit.pagination import MAX_LIMIT
from shoplink.storefront import service
from shoplink.storefront.schemas import ProfileOut, ShopPageOut

router = APIRouter(prefix=API_PREFIX, tags=["public"])
UsernamePath = Path(max_length=64)


@router.get("/profiles/{username}", response_model=ProfileOut)
async def get_profile(
    username: str = UsernamePath, ctx: PublicContext = Depends(public_context)
) -> ProfileOut:
    """Public. `enter_store` is true only for an active official account (douyin: deposit paid)."""
    return service.profile_out(await service.storefront(ctx.session, ctx.profile, username))


@router.get("/profiles/{username}/shop-page", response_model=ShopPageOut)
async def get_shop_page(
    username: str = UsernamePath,
    q: str | None = Query(None, max_length=200),
    limit: int = Query(24, ge=1, le=MAX_LIMIT),
    cursor: str | None = Query(None, max_length=200),
    ctx: PublicContext = Depends(public_context),
) -> ShopPageOut:
    """Public. The shop's active products, newest first, or best match first with `q`."""
    return await service.shop_page(
        ctx.session, ctx.profile, username=username, q=q, limit=limit, cursor=cursor
    )
