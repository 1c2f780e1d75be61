"""The account owner's pages: `/requests` (incoming requests, and a seller's outgoing ones) and
`/requests/{id}` with the agreement, Authorize and Decline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from shoplink.errors import DomainError
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.links import auth, deciding, reading
from shoplink.links.presenters import account_card, link_out
from shoplink.links.schemas import AccountCard, LinkOut
from shoplink.models import Account, Link, Shop
from shoplink.policy.rules import needs_review
from shoplink.policy.texts import N_
from shoplink.web.pages import PageContext, checked_form, page_context, redirect
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
# The API's next action speaks JSON; a person on the page needs the checkbox.
TICK_THE_BOX = N_("Tick “I accept the agreement”, then press Authorize.")
NOT_ACCEPTED = N_("Authorizing needs your acceptance of the binding agreement below.")


@dataclass(frozen=True, slots=True)
class RequestRow:
    link: LinkOut
    account: AccountCard
    shop_name: str
    incoming: bool
    seconds_left: int | None


async def _row(ctx: PageContext, link: Link) -> RequestRow:
    account = await ctx.session.get(Account, link.account_id)
    shop = await ctx.session.get(Shop, link.shop_id)
    assert account is not None and shop is not None
    out = link_out(link, ctx.now)
    left = (
        int((link.expires_at - ctx.now).total_seconds())
        if out.status == "pending_authorization" and link.expires_at
        else None
    )
    return RequestRow(
        link=out,
        account=account_card(account),
        shop_name=shop.name,
        # Incoming: the caller speaks for the account; otherwise it is their shop's request.
        incoming=await auth.speaks_for_account(ctx.session, ctx.actor, account),
        seconds_left=left,
    )


@router.get("/requests", response_class=HTMLResponse)
async def requests_page(
    status: Literal["pending_authorization"] | None = Query(None),
    page: PageParams = Depends(page_params),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse:
    page = PageParams(limit=min(page.limit, PAGE_SIZE), after_id=page.after_id)
    links = await reading.list_links(ctx.session, ctx.actor, page=page, status=status, now=ctx.now)
    items, cursor = split_page(links, page, lambda link: link.id)
    query = f"status={status}&" if status else ""
    return render(
        ctx.request,
        "owner/requests.html",
        {
            "rows": [await _row(ctx, link) for link in items],
            "status": status,
            "next_url": f"/requests?{query}cursor={cursor}" if cursor else None,
        },
    )


async def _detail(
    ctx: PageContext, link_id: int, *, problem: DomainError | None = None, status_code: int = 200
) -> HTMLResponse:
    row = await _row(ctx, await reading.get_link(ctx.session, ctx.actor, link_id=link_id))
    context: dict[str, Any] = {
        "row": row,
        "problem": problem,
        "needs_review": needs_review(ctx.profile, row.link.role),
        "can_decide": row.incoming and row.link.status == "pending_authorization",
    }
    return render(ctx.request, "owner/request.html", context, status_code=status_code)


@router.get("/requests/{link_id}", response_class=HTMLResponse)
async def request_page(link_id: IdPath, ctx: PageContext = Depends(page_context)) -> HTMLResponse:
    return await _detail(ctx, link_id)


async def _refused(ctx: PageContext, link_id: int, problem: DomainError) -> HTMLResponse:
    # Start again from what is committed, so the page shows the request as it really is.
    await ctx.session.rollback()
    if problem.code == "TERMS_NOT_ACCEPTED":
        # The API's next step names a JSON field; a page names its checkbox.
        problem.message_template, problem.next_action_template = NOT_ACCEPTED, TICK_THE_BOX
    return await _detail(ctx, link_id, problem=problem, status_code=problem.status)


@router.post("/requests/{link_id}/authorize", response_class=HTMLResponse, response_model=None)
async def authorize(
    link_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    try:
        link = await deciding.authorize(
            ctx.session,
            ctx.actor,
            ctx.profile,
            link_id=link_id,
            accept_terms=form.get("accept_terms") == "yes",
            now=ctx.now,
        )
    except DomainError as problem:
        return await _refused(ctx, link_id, problem)
    notice = N_("Authorized. The platform will review the request.")
    if link.status == "active":
        notice = N_("Authorized. The account is now linked to the shop.")
    return redirect(ctx.web, f"/requests/{link_id}", notice=notice)


@router.post("/requests/{link_id}/decline", response_class=HTMLResponse, response_model=None)
async def decline(
    link_id: IdPath,
    _: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    try:
        await deciding.decline(ctx.session, ctx.actor, link_id=link_id, now=ctx.now)
    except DomainError as problem:
        return await _refused(ctx, link_id, problem)
    return redirect(ctx.web, f"/requests/{link_id}", notice=N_("Request declined."))
