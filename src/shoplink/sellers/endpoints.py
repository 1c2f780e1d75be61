from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.identity.auth import current_principal, get_session
from shoplink.identity.principal import Principal
from shoplink.kit.types import IdPath
from shoplink.sellers import service
from shoplink.sellers.schemas import SellerCreate, SellerOut, StaffAdd, StaffOut

router = APIRouter(prefix=API_PREFIX, tags=["sellers"])


@router.post("/sellers", status_code=201, response_model=SellerOut)
async def create_seller(
    body: SellerCreate,
    request: Request,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> SellerOut:
    seller = await service.create_seller(
        session, actor, data=body, now=request.app.state.clock.now()
    )
    return SellerOut.model_validate(seller, from_attributes=True)


@router.get("/sellers/{seller_id}", response_model=SellerOut)
async def get_seller(
    seller_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> SellerOut:
    seller = await service.get_seller(session, actor, seller_id=seller_id)
    return SellerOut.model_validate(seller, from_attributes=True)


@router.post("/sellers/{seller_id}/staff", status_code=201, response_model=StaffOut)
async def add_staff(
    seller_id: IdPath,
    body: StaffAdd,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
) -> StaffOut:
    staff = await service.add_staff(session, actor, seller_id=seller_id, data=body)
    return StaffOut.model_validate(staff, from_attributes=True)
