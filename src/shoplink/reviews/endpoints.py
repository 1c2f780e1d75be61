from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.deps import get_now, get_profile
from shoplink.identity.auth import get_session, require_reviewer
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.links import deciding
from shoplink.links.presenters import link_out
from shoplink.links.schemas import LinkOut, RejectBody, ReviewPage
from shoplink.policy import Profile
from shoplink.reviews import service

router = APIRouter(prefix=API_PREFIX, tags=["reviews"])


@router.get("/reviews", response_model=ReviewPage)
async def list_reviews(
    status: Literal["pending", "approved", "rejected"] = Query("pending"),
    page: PageParams = Depends(page_params),
    actor: Principal = Depends(require_reviewer),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> ReviewPage:
    rows = await service.queue(session, actor, profile, status=status, page=page, now=now)
    items, cursor = split_page(rows, page, lambda link: link.id)
    return ReviewPage(
        items=[await service.review_item(session, profile, link, now) for link in items],
        next_cursor=cursor,
    )


@router.post("/reviews/{link_id}/approve", response_model=LinkOut)
async def approve(
    link_id: IdPath,
    actor: Principal = Depends(require_reviewer),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> LinkOut:
    return link_out(await deciding.approve(session, actor, profile, link_id=link_id, now=now), now)


@router.post("/reviews/{link_id}/reject", response_model=LinkOut)
async def reject(
    link_id: IdPath,
    body: RejectBody,
    actor: Principal = Depends(require_reviewer),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> LinkOut:
    link = await deciding.reject(session, actor, link_id=link_id, reason=body.reason, now=now)
    return link_out(link, now)
