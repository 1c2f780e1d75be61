from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.deps import get_now, get_profile
from shoplink.identity.auth import current_principal, get_session
from shoplink.identity.principal import Principal
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
from shoplink.policy import Profile

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
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> EligibilityOut:
    violations = await requesting.eligibility(
        session, actor, profile, shop_id=shop_id, role=role, username=username, now=now
    )
    return EligibilityOut(
        eligible=not violations,
        role=role,
        username=username,
        reasons=[
            Reason(code=v.code, message=v.message, next_action=v.next_action) for v in violations
        ],
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
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> JSONResponse | LinkOut:
    if isinstance(body, CreateOrganization):
        link = await requesting.create_organization_account(
            session, actor, profile, shop_id=shop_id, data=body, now=now
        )
        return JSONResponse(link_out(link, now).model_dump(mode="json"), status_code=201)
    link = await requesting.request_link(
        session, actor, profile, shop_id=shop_id, role="official", username=body.username, now=now
    )
    return link_out(link, now)


@router.get("/shops/{shop_id}/official-account", response_model=OfficialAccountOut)
async def get_official(
    shop_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> OfficialAccountOut:
    return await reading.official_account(session, actor, shop_id=shop_id, now=now)


@router.delete("/shops/{shop_id}/official-account", response_model=LinkOut)
async def unbind_official(
    shop_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> LinkOut:
    link = await unbinding.remove(
        session, actor, profile, shop_id=shop_id, role="official", now=now
    )
    return link_out(link, now)


@router.post("/shops/{shop_id}/marketing-accounts", status_code=202, response_model=LinkOut)
async def request_marketing(
    shop_id: IdPath,
    body: MarketingRequest,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> LinkOut:
    link = await requesting.request_link(
        session, actor, profile, shop_id=shop_id, role="marketing", username=body.username, now=now
    )
    return link_out(link, now)


@router.delete("/shops/{shop_id}/marketing-accounts/{account_id}", response_model=LinkOut)
async def remove_marketing(
    shop_id: IdPath,
    account_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> LinkOut:
    link = await unbinding.remove(
        session, actor, profile, shop_id=shop_id, role="marketing", account_id=account_id, now=now
    )
    return link_out(link, now)


@router.get("/shops/{shop_id}/linked-accounts", response_model=LinkedAccountsOut)
async def linked_accounts(
    shop_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> LinkedAccountsOut:
    return await reading.linked_accounts(session, actor, profile, shop_id=shop_id, now=now)


@router.get("/link-requests", response_model=LinkPage)
async def list_link_requests(
    status: LinkStatus | None = Query(None),
    page: PageParams = Depends(page_params),
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> LinkPage:
    rows = await reading.list_links(session, actor, page=page, status=status, now=now)
    items, cursor = split_page(rows, page, lambda link: link.id)
    return LinkPage(items=[link_out(link, now) for link in items], next_cursor=cursor)


@router.get("/link-requests/{link_id}", response_model=LinkOut)
async def get_link_request(
    link_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> LinkOut:
    return link_out(await reading.get_link(session, actor, link_id=link_id), now)


@router.post("/link-requests/{link_id}/authorize", response_model=LinkOut)
async def authorize(
    link_id: IdPath,
    body: AuthorizeBody,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    profile: Profile = Depends(get_profile),
    now: datetime = Depends(get_now),
) -> LinkOut:
    link = await deciding.authorize(
        session, actor, profile, link_id=link_id, accept_terms=body.accept_terms, now=now
    )
    return link_out(link, now)


@router.post("/link-requests/{link_id}/decline", response_model=LinkOut)
async def decline(
    link_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> LinkOut:
    return link_out(await deciding.decline(session, actor, link_id=link_id, now=now), now)


@router.post("/link-requests/{link_id}/cancel", response_model=LinkOut)
async def cancel(
    link_id: IdPath,
    actor: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    now: datetime = Depends(get_now),
) -> LinkOut:
    return link_out(await deciding.cancel(session, actor, link_id=link_id, now=now), now)
