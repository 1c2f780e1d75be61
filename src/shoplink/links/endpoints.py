from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath, Username
from shoplink.links import deciding, reading, requesting, unbinding
from shoplink.links.presenters import link_out
from shoplink.links.schemas import (
    AuthorizeBody,
    CreateOrganization,
    EligibilityOut,
    LinkedAccountsOut,
    LinkOut,
    LinkPage,
    MarketingRequest,
    OfficialAccountOut,
    OfficialRequest,
    Reason,
)

router = APIRouter(prefix=API_PREFIX, tags=["links"])

LinkStatus = Literal[
    "pending_authorization",
    "pending_review",
    "active",
    "declined",
    "rejected",
    "cancelled",
    "expired",
    "unbound",
    "terminated",
]


@router.get("/shops/{shop_id}/eligibility", response_model=EligibilityOut)
async def eligibility(
    shop_id: IdPath,
    role: Literal["official", "marketing"],
    username: Username,
    ctx: Context = Depends(context),
) -> EligibilityOut:
    violations = await requesting.eligibility(
        ctx.session,
        ctx.actor,
        ctx.profile,
        shop_id=shop_id,
        role=role,
        username=username,
        now=ctx.now,
    )
    return EligibilityOut(
        eligible=not violations,
        role=role,
        username=username,
        reasons=[Reason.of(v) for v in violations],
    )


@router.post(
    "/shops/{shop_id}/official-account",
    status_code=202,
    response_model=LinkOut,
    responses={201: {"model": LinkOut, "description": "Organization account created and bound"}},
)
async def request_official(
    shop_id: IdPath,
    body: OfficialRequest,
    ctx: Context = Depends(context),
) -> JSONResponse | LinkOut:
    if isinstance(body, CreateOrganization):
        link = await requesting.create_organization_account(
            ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, data=body, now=ctx.now
        )
        return JSONResponse(link_out(link, ctx.now).model_dump(mode="json"), status_code=201)
    link = await requesting.request_link(
        ctx.session,
        ctx.actor,
        ctx.profile,
        shop_id=shop_id,
        role="official",
        username=body.username,
        now=ctx.now,
    )
    return link_out(link, ctx.now)


@router.get("/shops/{shop_id}/official-account", response_model=OfficialAccountOut)
async def get_official(
    shop_id: IdPath,
    ctx: Context = Depends(context),
) -> OfficialAccountOut:
    return await reading.official_account(ctx.session, ctx.actor, shop_id=shop_id, now=ctx.now)


@router.delete("/shops/{shop_id}/official-account", response_model=LinkOut)
async def unbind_official(
    shop_id: IdPath,
    ctx: Context = Depends(context),
) -> LinkOut:
    link = await unbinding.remove(
        ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, role="official", now=ctx.now
    )
    return link_out(link, ctx.now)


@router.post("/shops/{shop_id}/marketing-accounts", status_code=202, response_model=LinkOut)
async def request_marketing(
    shop_id: IdPath,
    body: MarketingRequest,
    ctx: Context = Depends(context),
) -> LinkOut:
    link = await requesting.request_link(
        ctx.session,
        ctx.actor,
        ctx.profile,
        shop_id=shop_id,
        role="marketing",
        username=body.username,
        now=ctx.now,
    )
    return link_out(link, ctx.now)


@router.delete("/shops/{shop_id}/marketing-accounts/{account_id}", response_model=LinkOut)
async def remove_marketing(
    shop_id: IdPath,
    account_id: IdPath,
    ctx: Context = Depends(context),
) -> LinkOut:
    link = await unbinding.remove(
        ctx.session,
        ctx.actor,
        ctx.profile,
        shop_id=shop_id,
        role="marketing",
        account_id=account_id,
        now=ctx.now,
    )
    return link_out(link, ctx.now)


@router.get("/shops/{shop_id}/linked-accounts", response_model=LinkedAccountsOut)
async def linked_accounts(
    shop_id: IdPath,
    ctx: Context = Depends(context),
) -> LinkedAccountsOut:
    return await reading.linked_accounts(
        ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, now=ctx.now
    )


@router.get("/link-requests", response_model=LinkPage)
async def list_link_requests(
    status: LinkStatus | None = Query(None),
    page: PageParams = Depends(page_params),
    ctx: Context = Depends(context),
) -> LinkPage:
    rows = await reading.list_links(ctx.session, ctx.actor, page=page, status=status, now=ctx.now)
    items, cursor = split_page(rows, page, lambda link: link.id)
    return LinkPage(items=[link_out(link, ctx.now) for link in items], next_cursor=cursor)


@router.get("/link-requests/{link_id}", response_model=LinkOut)
async def get_link_request(
    link_id: IdPath,
    ctx: Context = Depends(context),
) -> LinkOut:
    return link_out(await reading.get_link(ctx.session, ctx.actor, link_id=link_id), ctx.now)


@router.post("/link-requests/{link_id}/authorize", response_model=LinkOut)
async def authorize(
    link_id: IdPath,
    body: AuthorizeBody,
    ctx: Context = Depends(context),
) -> LinkOut:
    link = await deciding.authorize(
        ctx.session,
        ctx.actor,
        ctx.profile,
        link_id=link_id,
        accept_terms=body.accept_terms,
        now=ctx.now,
    )
    return link_out(link, ctx.now)


@router.post("/link-requests/{link_id}/decline", response_model=LinkOut)
async def decline(
    link_id: IdPath,
    ctx: Context = Depends(context),
) -> LinkOut:
    return link_out(
        await deciding.decline(ctx.session, ctx.actor, link_id=link_id, now=ctx.now), ctx.now
    )


@router.post("/link-requests/{link_id}/cancel", response_model=LinkOut)
async def cancel(
    link_id: IdPath,
    ctx: Context = Depends(context),
) -> LinkOut:
    return link_out(
        await deciding.cancel(ctx.session, ctx.actor, link_id=link_id, now=ctx.now), ctx.now
    )
