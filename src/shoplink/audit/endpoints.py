from __future__ import annotations

from fastapi import APIRouter, Depends

from shoplink.audit import service
from shoplink.audit.schemas import EventOut, EventPage
from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.shops.auth import shop_for

router = APIRouter(prefix=API_PREFIX, tags=["audit"])


@router.get("/shops/{shop_id}/events", response_model=EventPage)
async def list_events(
    shop_id: IdPath,
    page: PageParams = Depends(page_params),
    ctx: Context = Depends(context),
) -> EventPage:
    await shop_for(ctx.session, ctx.actor, shop_id)
    rows = await service.list_for_shop(ctx.session, shop_id=shop_id, page=page)
    items, cursor = split_page(rows, page, lambda e: e.id)
    return EventPage(
        items=[EventOut.model_validate(e, from_attributes=True) for e in items], next_cursor=cursor
    )
