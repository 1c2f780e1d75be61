"""Organization account pages: `/orgs` (the caller's organization accounts) and
`/orgs/{account_id}/members` (members and roles; admins and the seller's managers add and
remove them)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from shoplink.accounts.service import account_for
from shoplink.errors import DomainError, ValidationFailed
from shoplink.kit.pagination import MAX_LIMIT, PageParams
from shoplink.kit.types import IdPath
from shoplink.links import auth
from shoplink.links.presenters import account_card
from shoplink.models import Account, User
from shoplink.orgs import service
from shoplink.orgs.schemas import MemberAdd
from shoplink.policy.texts import N_
from shoplink.web.pages import PageContext, checked_form, page_context, redirect
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
CHECK_FIELDS = N_("Enter the person's user id (a number) and choose a role.")


async def _can_manage(ctx: PageContext, account: Account) -> bool:
    return ctx.actor.is_admin or await auth.speaks_for_account(ctx.session, ctx.actor, account)


@router.get("/orgs", response_class=HTMLResponse)
async def orgs_page(ctx: PageContext = Depends(page_context)) -> HTMLResponse:
    rows = []
    for account in await service.my_organizations(ctx.session, ctx.actor):
        rows.append(
            {
                "account": account_card(account),
                "role": await auth.org_role(ctx.session, ctx.actor, account.id),
                "manages": await _can_manage(ctx, account),
            }
        )
    return render(ctx.request, "orgs/list.html", {"rows": rows})


async def _members(
    ctx: PageContext,
    account_id: int,
    *,
    problem: DomainError | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    members = await service.list_members(
        ctx.session,
        ctx.actor,
        account_id=account_id,
        page=PageParams(limit=MAX_LIMIT, after_id=None),
    )
    account = await account_for(ctx.session, ctx.actor, account_id)
    users = {m.user_id: await ctx.session.get(User, m.user_id) for m in members}
    context = {
        "account": account_card(account),
        "members": members,
        "users": users,
        "manages": await _can_manage(ctx, account),
        "problem": problem,
        "form": form or {"user_id": "", "role": "operator"},
    }
    return render(ctx.request, "orgs/members.html", context, status_code=status_code)


@router.get("/orgs/{account_id}/members", response_class=HTMLResponse)
async def members_page(
    account_id: IdPath, ctx: PageContext = Depends(page_context)
) -> HTMLResponse:
    return await _members(ctx, account_id)


async def _refused(
    ctx: PageContext, account_id: int, problem: DomainError, form: dict[str, str] | None = None
) -> HTMLResponse:
    # Start again from what is committed (a refused insert leaves the session unusable).
    await ctx.session.rollback()
    return await _members(ctx, account_id, problem=problem, form=form, status_code=problem.status)


@router.post("/orgs/{account_id}/members", response_class=HTMLResponse, response_model=None)
async def add_member(
    account_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    fields = {name: str(form.get(name) or "").strip()[:40] for name in ("user_id", "role")}
    try:
        data = MemberAdd.model_validate(fields)
    except ValidationError as invalid:
        errors = [{"field": str(e["loc"][0]), "message": e["msg"]} for e in invalid.errors()]
        problem = ValidationFailed(ctx.web.gettext(CHECK_FIELDS), errors=errors)
        return await _refused(ctx, account_id, problem, fields)
    try:
        await service.add_member(
            ctx.session, ctx.actor, account_id=account_id, data=data, now=ctx.now
        )
    except DomainError as problem:
        return await _refused(ctx, account_id, problem, fields)
    return redirect(
        ctx.web, f"/orgs/{account_id}/members", notice=N_("User %(id)s was added."), id=data.user_id
    )


@router.post(
    "/orgs/{account_id}/members/{user_id}/remove",
    response_class=HTMLResponse,
    response_model=None,
)
async def remove_member(
    account_id: IdPath,
    user_id: IdPath,
    _: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    try:
        await service.remove_member(
            ctx.session, ctx.actor, account_id=account_id, user_id=user_id, now=ctx.now
        )
    except DomainError as problem:
        return await _refused(ctx, account_id, problem)
    notice = N_("User %(id)s was removed.")
    # Someone who removed themselves can no longer see the members.
    back = "/orgs" if user_id == ctx.actor.user_id else f"/orgs/{account_id}/members"
    return redirect(ctx.web, back, notice=notice, id=user_id)
