from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.deps import get_now, get_profile
from shoplink.identity.auth import current_principal, get_session
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.policy import Profile
from shoplink.shops import service
from shoplink.shops.auth import shop_for
from shoplink.shops.schemas import ShopCreate, ShopOut, ShopPage, ShopUpdate

router = APIRouter(prefix=API_PREFIX, tags=["shops"])


def _out(shop: object) -> ShopOut:
    return ShopOut.model_validate(shop, from_attributes=True)


@router.post("/shops", status_code=201, response_model=ShopOut)
async def create_shop(
    body: ShopCreate,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> ShopOut:
    return _out(await service.create_shop(session, actor, profile, data=body, now=now))


@router.get("/shops", response_model=ShopPage)
async def list_shops(
    page: PageParams = Depends(page_params),
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> ShopPage:
    rows = await service.list_shops(session, actor, page=page)
    items, cursor = split_page(rows, page, lambda shop: shop.id)
    return ShopPage(items=[_out(shop) for shop in items], next_cursor=cursor)


@router.get("/shops/{shop_id}", response_model=ShopOut)
async def get_shop(
    shop_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> ShopOut:
    return _out(await shop_for(session, actor, shop_id))


@router.patch("/shops/{shop_id}", response_model=ShopOut)
async def update_shop(
    shop_id: IdPath,
    body: ShopUpdate,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> ShopOut:
    return _out(
        await service.update_shop(session, actor, profile, shop_id=shop_id, data=body, now=now)
    )


@router.post("/shops/{shop_id}/close", response_model=ShopOut)
async def close_shop(
    shop_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> ShopOut:
    return _out(await service.close_shop(session, actor, shop_id=shop_id, now=now))
