from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query

from shoplink.config import API_PREFIX
from shoplink.deps import Context, reviewer_context
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.links import deciding
from shoplink.links.presenters import link_out
from shoplink.links.schemas import LinkOut, RejectBody, ReviewPage
from shoplink.reviews import service

router = APIRouter(prefix=API_PREFIX, tags=["reviews"])


@router.get("/reviews", response_model=ReviewPage)
async def list_reviews(
    status: Literal["pending", "approved", "rejected"] = Query("pending"),
    page: PageParams = Depends(page_params),
    ctx: Context = Depends(reviewer_context),
) -> ReviewPage:
    rows = await service.queue(
        ctx.session, ctx.actor, ctx.profile, status=status, page=page, now=ctx.now
    )
    items, cursor = split_page(rows, page, lambda link: link.id)
    return ReviewPage(
        items=[
            await service.review_item(ctx.session, ctx.profile, link, ctx.now) for link in items
        ],
        next_cursor=cursor,
    )


@router.post("/reviews/{link_id}/approve", response_model=LinkOut)
async def approve(
    link_id: IdPath,
    ctx: Context = Depends(reviewer_context),
) -> LinkOut:
    return link_out(
        await deciding.approve(ctx.session, ctx.actor, ctx.profile, link_id=link_id, now=ctx.now),
        ctx.now,
    )


@router.post("/reviews/{link_id}/reject", response_model=LinkOut)
async def reject(
    link_id: IdPath,
    body: RejectBody,
    ctx: Context = Depends(reviewer_context),
) -> LinkOut:
    link = await deciding.reject(
        ctx.session, ctx.actor, link_id=link_id, reason=body.reason, now=ctx.now
    )
    return link_out(link, ctx.now)
