"""The reviewer's page: `/review`, the queue oldest first with each request's rule checks and
the account's details; approve, or reject with a reason; approved and rejected history tabs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from shoplink.errors import DomainError, ValidationFailed
from shoplink.identity.auth import reviewer
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.links import deciding
from shoplink.links.schemas import RejectBody, ReviewItem
from shoplink.models import Account
from shoplink.policy.texts import N_
from shoplink.reviews import service
from shoplink.web.pages import PageContext, checked_form, page_context, redirect
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
Tab = Literal["pending", "approved", "rejected"]
PAGE_SIZE = 20
REASON_NEEDED = N_(
    "Write the reason for rejecting: the seller and the account's owner will see it."
)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    item: ReviewItem
    region: str  # the account card has no region; the reviewer compares it with the shop's


def reviewer_page(ctx: PageContext = Depends(page_context)) -> PageContext:
    """Reviewers only, as on the API: others get the 403 page."""
    reviewer(ctx.actor)
    return ctx


async def _queue(
    ctx: PageContext,
    *,
    status: Tab,
    page: PageParams,
    problem: DomainError | None = None,
    failed_id: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    rows = await service.queue(
        ctx.session, ctx.actor, ctx.profile, status=status, page=page, now=ctx.now
    )
    links, cursor = split_page(rows, page, lambda link: link.id)
    entries = []
    for link in links:
        account = await ctx.session.get(Account, link.account_id)
        assert account is not None
        item = await service.review_item(ctx.session, ctx.profile, link, ctx.now)
        entries.append(QueueEntry(item=item, region=account.region))
    context: dict[str, Any] = {
        "entries": entries,
        "status": status,
        "problem": problem,
        "failed_id": failed_id,
        "next_url": f"/review?status={status}&cursor={cursor}" if cursor else None,
    }
    return render(ctx.request, "review/queue.html", context, status_code=status_code)


@router.get("/review", response_class=HTMLResponse)
async def queue_page(
    status: Tab = Query("pending"),
    page: PageParams = Depends(page_params),
    ctx: PageContext = Depends(reviewer_page),
) -> HTMLResponse:
    page = PageParams(limit=min(page.limit, PAGE_SIZE), after_id=page.after_id)
    return await _queue(ctx, status=status, page=page)


async def _refused(ctx: PageContext, link_id: int, problem: DomainError) -> HTMLResponse:
    # Start again from what is committed, so the queue shows every request as it really is.
    await ctx.session.rollback()
    return await _queue(
        ctx,
        status="pending",
        page=PageParams(limit=PAGE_SIZE, after_id=None),
        problem=problem,
        failed_id=link_id,
        status_code=problem.status,
    )


@router.post("/review/{link_id}/approve", response_class=HTMLResponse, response_model=None)
async def approve(
    link_id: IdPath,
    _: FormData = Depends(checked_form),
    ctx: PageContext = Depends(reviewer_page),
) -> HTMLResponse | RedirectResponse:
    try:
        await deciding.approve(ctx.session, ctx.actor, ctx.profile, link_id=link_id, now=ctx.now)
    except DomainError as problem:
        return await _refused(ctx, link_id, problem)
    notice = N_("Request #%(id)s approved: the link is active.")
    return redirect(ctx.web, "/review", notice=notice, id=link_id)


@router.post("/review/{link_id}/reject", response_class=HTMLResponse, response_model=None)
async def reject(
    link_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(reviewer_page),
) -> HTMLResponse | RedirectResponse:
    try:
        reason = form.get("reason")
        body = RejectBody(reason=reason if isinstance(reason, str) else "")
    except ValidationError as invalid:
        errors = [{"field": "reason", "message": e["msg"]} for e in invalid.errors()]
        problem = ValidationFailed(ctx.web.gettext(REASON_NEEDED), errors=errors)
        return await _refused(ctx, link_id, problem)
    try:
        await deciding.reject(
            ctx.session, ctx.actor, link_id=link_id, reason=body.reason, now=ctx.now
        )
    except DomainError as problem:
        return await _refused(ctx, link_id, problem)
    return redirect(ctx.web, "/review", notice=N_("Request #%(id)s rejected."), id=link_id)
