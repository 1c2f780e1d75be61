from __future__ import annotations

from fastapi import APIRouter, Depends

from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.types import IdPath
from shoplink.sellers import service
from shoplink.sellers.schemas import SellerCreate, SellerOut, StaffAdd, StaffOut

router = APIRouter(prefix=API_PREFIX, tags=["sellers"])


@router.post("/sellers", status_code=201, response_model=SellerOut)
async def create_seller(
    body: SellerCreate,
    ctx: Context = Depends(context),
) -> SellerOut:
    seller = await service.create_seller(ctx.session, ctx.actor, data=body, now=ctx.now)
    return SellerOut.model_validate(seller, from_attributes=True)


@router.get("/sellers/{seller_id}", response_model=SellerOut)
async def get_seller(
    seller_id: IdPath,
    ctx: Context = Depends(context),
) -> SellerOut:
    seller = await service.get_seller(ctx.session, ctx.actor, seller_id=seller_id)
    return SellerOut.model_validate(seller, from_attributes=True)


@router.post("/sellers/{seller_id}/staff", status_code=201, response_model=StaffOut)
async def add_staff(
    seller_id: IdPath,
    body: StaffAdd,
    ctx: Context = Depends(context),
) -> StaffOut:
    staff = await service.add_staff(ctx.session, ctx.actor, seller_id=seller_id, data=body)
    return StaffOut.model_validate(staff, from_attributes=True)
