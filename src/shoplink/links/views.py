"""Seller Center, *Linked TikTok Accounts*: the Official Account tab (create an organization
account, link an existing one, the bound card, unlink) and the Marketing Accounts tab (n/max,
add, remove, pending invitations), with the eligibility check that runs as the seller types."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from shoplink.errors import DomainError, NotFound
from shoplink.kit.types import IdPath
from shoplink.links import deciding, reading, requesting, unbinding
from shoplink.links.schemas import CreateOrganization, MarketingRequest
from shoplink.policy.names import clean_username
from shoplink.policy.texts import N_
from shoplink.shops.auth import shop_for
from shoplink.shops.views import shop_with_links
from shoplink.web.forms import field_errors, form_text, refused
from shoplink.web.pages import PageContext, checked_form, page_context, redirect
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
Tab = Literal["official", "marketing"]


def _url(shop_id: int, tab: str) -> str:
    return f"/seller/shops/{shop_id}/accounts?tab={tab}"


async def _accounts_page(
    ctx: PageContext,
    shop_id: int,
    tab: str,
    *,
    problem: DomainError | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    shop, linked = await shop_with_links(ctx, shop_id)
    context: dict[str, Any] = {
        "shop": shop,
        "tab": "accounts",
        "subtab": tab,
        "linked": linked,
        "pending_official": [p for p in linked.pending if p.link.role == "official"],
        "pending_marketing": [p for p in linked.pending if p.link.role == "marketing"],
        "now": ctx.now,
        "problem": problem,
        "errors": errors or {},
        "values": values or {},
    }
    return render(ctx.request, "seller/accounts.html", context, status_code=status_code)


@router.get("/seller/shops/{shop_id}/accounts", response_class=HTMLResponse)
async def accounts(
    shop_id: IdPath,
    tab: Tab = Query("official"),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse:
    return await _accounts_page(ctx, shop_id, tab)


@router.get("/seller/shops/{shop_id}/accounts/eligibility", response_class=HTMLResponse)
async def eligibility(
    shop_id: IdPath,
    role: Tab = Query(),
    username: str = Query("", max_length=100),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse:
    """The htmx fragment under a username field: every rule that would refuse, or eligible."""
    context: dict[str, Any] = {"role": role, "username": username.strip(), "violations": []}
    if not username.strip():
        context["state"] = "empty"
    else:
        try:
            name = clean_username(username)
        except ValueError:
            context["state"] = "malformed"
        else:
            try:
                violations = await requesting.eligibility(
                    ctx.session,
                    ctx.actor,
                    ctx.profile,
                    shop_id=shop_id,
                    role=role,
                    username=name,
                    now=ctx.now,
                )
            except NotFound:
                await shop_for(ctx.session, ctx.actor, shop_id)  # an outsider still gets a 404
                context["state"] = "unknown"
            else:
                context["state"] = "refused" if violations else "eligible"
                context["violations"] = violations  # explained in the reader's language
                context["username"] = name
    return render(ctx.request, "seller/_eligibility.html", context)


async def _request(
    ctx: PageContext, shop_id: int, role: Tab, form: FormData
) -> HTMLResponse | RedirectResponse:
    """Link an existing account by username, in either role: the same rules as the API."""
    values = {"username": form_text(form, "username", 100)}
    try:
        username = MarketingRequest(username=values["username"]).username
    except ValidationError as exc:
        return await _accounts_page(
            ctx, shop_id, role, errors=field_errors(exc), values=values, status_code=422
        )
    try:
        await requesting.request_link(
            ctx.session,
            ctx.actor,
            ctx.profile,
            shop_id=shop_id,
            role=role,
            username=username,
            now=ctx.now,
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _accounts_page(
            ctx, shop_id, role, problem=exc, values=values, status_code=status
        )
    notice = N_("Request sent. The account's owner must authorize it before it is linked.")
    return redirect(ctx.web, _url(shop_id, role), notice=notice)


@router.post("/seller/shops/{shop_id}/accounts/official/link", response_model=None)
async def link_official(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    return await _request(ctx, shop_id, "official", form)


@router.post("/seller/shops/{shop_id}/accounts/marketing", response_model=None)
async def add_marketing(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    return await _request(ctx, shop_id, "marketing", form)


@router.post("/seller/shops/{shop_id}/accounts/official/create", response_model=None)
async def create_organization(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    values = {name: form_text(form, name, 600) for name in ("org_username", "phone", "avatar_url")}
    fields = {
        "method": "create_organization",
        "username": values["org_username"],
        # Empty optional inputs mean "not given", as the API's missing keys do.
        **{name: values[name] for name in ("phone", "avatar_url") if values[name].strip()},
    }
    try:
        data = CreateOrganization(**fields)
    except ValidationError as exc:
        errors = {
            ("org_username" if k == "username" else k): v for k, v in field_errors(exc).items()
        }
        return await _accounts_page(
            ctx, shop_id, "official", errors=errors, values=values, status_code=422
        )
    try:
        await requesting.create_organization_account(
            ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, data=data, now=ctx.now
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _accounts_page(
            ctx, shop_id, "official", problem=exc, values=values, status_code=status
        )
    notice = N_("The organization account was created and is now the shop's official account.")
    return redirect(ctx.web, _url(shop_id, "official"), notice=notice)


@router.post("/seller/shops/{shop_id}/accounts/official/unlink", response_model=None)
async def unlink_official(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    if form_text(form, "confirm") != "yes":
        errors = {"confirm": N_("Tick the box to confirm the unlink.")}
        return await _accounts_page(ctx, shop_id, "official", errors=errors, status_code=422)
    try:
        await unbinding.remove(
            ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, role="official", now=ctx.now
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _accounts_page(ctx, shop_id, "official", problem=exc, status_code=status)
    return redirect(
        ctx.web, _url(shop_id, "official"), notice=N_("The official account was unlinked.")
    )


@router.post("/seller/shops/{shop_id}/accounts/marketing/{account_id}/remove", response_model=None)
async def remove_marketing(
    shop_id: IdPath,
    account_id: IdPath,
    _: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    try:
        await unbinding.remove(
            ctx.session,
            ctx.actor,
            ctx.profile,
            shop_id=shop_id,
            role="marketing",
            account_id=account_id,
            now=ctx.now,
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _accounts_page(ctx, shop_id, "marketing", problem=exc, status_code=status)
    return redirect(
        ctx.web, _url(shop_id, "marketing"), notice=N_("The marketing account was removed.")
    )


@router.post("/seller/shops/{shop_id}/accounts/requests/{link_id}/cancel", response_model=None)
async def cancel_request(
    shop_id: IdPath,
    link_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    tab: Tab = "marketing" if form_text(form, "tab") == "marketing" else "official"
    try:
        link = await reading.get_link(ctx.session, ctx.actor, link_id=link_id)
        if link.shop_id != shop_id:  # only this shop's requests from this shop's page
            raise NotFound("Link request")
        await deciding.cancel(ctx.session, ctx.actor, link_id=link_id, now=ctx.now)
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _accounts_page(ctx, shop_id, tab, problem=exc, status_code=status)
    return redirect(ctx.web, _url(shop_id, tab), notice=N_("The request was cancelled."))
