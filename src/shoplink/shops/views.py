"""Seller Center: the caller's shops, a shop's dashboard and its settings (rename, store type,
close)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import func, select
from starlette.datastructures import FormData

from shoplink.errors import DomainError
from shoplink.kit.pagination import PageParams
from shoplink.kit.types import IdPath
from shoplink.links import reading
from shoplink.links.schemas import LinkedAccountsOut
from shoplink.models import Product, Shop
from shoplink.policy.texts import N_
from shoplink.sellers.auth import staff_role
from shoplink.shops import service
from shoplink.shops.auth import shop_for
from shoplink.shops.schemas import ShopUpdate
from shoplink.web.forms import field_errors, form_text, refused
from shoplink.web.pages import PageContext, checked_form, page_context, redirect
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_SHOPS_LISTED = 200


async def shop_with_links(ctx: PageContext, shop_id: int) -> tuple[Shop, LinkedAccountsOut]:
    """What every shop page shows at the top: the shop (404 for outsiders) and its links."""
    shop = await shop_for(ctx.session, ctx.actor, shop_id)
    linked = await reading.linked_accounts(
        ctx.session, ctx.actor, ctx.profile, shop_id=shop.id, now=ctx.now
    )
    return shop, linked


@router.get("/seller", response_class=HTMLResponse)
async def my_shops(ctx: PageContext = Depends(page_context)) -> HTMLResponse:
    shops = await service.list_shops(
        ctx.session, ctx.actor, page=PageParams(limit=MAX_SHOPS_LISTED, after_id=None)
    )
    return render(ctx.request, "seller/shops.html", {"shops": shops[:MAX_SHOPS_LISTED]})


async def _product_count(ctx: PageContext, shop: Shop) -> int:
    # A display figure only: the caller's access was checked when the shop was loaded.
    stmt = select(func.count()).select_from(Product).where(Product.shop_id == shop.id)
    return int((await ctx.session.execute(stmt)).scalar_one())


@router.get("/seller/shops/{shop_id}", response_class=HTMLResponse)
async def dashboard(shop_id: IdPath, ctx: PageContext = Depends(page_context)) -> HTMLResponse:
    shop, linked = await shop_with_links(ctx, shop_id)
    context = {
        "shop": shop,
        "tab": "dashboard",
        "linked": linked,
        "products": await _product_count(ctx, shop),
    }
    return render(ctx.request, "seller/dashboard.html", context)


async def _settings_page(
    ctx: PageContext,
    shop_id: int,
    *,
    problem: DomainError | None = None,
    errors: dict[str, str] | None = None,
    name: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    shop, linked = await shop_with_links(ctx, shop_id)
    context: dict[str, Any] = {
        "shop": shop,
        "tab": "settings",
        "linked": linked,
        "role": await staff_role(ctx.session, ctx.actor, shop.seller_id),
        "problem": problem,
        "errors": errors or {},
        "name": shop.name if name is None else name,
    }
    return render(ctx.request, "seller/settings.html", context, status_code=status_code)


@router.get("/seller/shops/{shop_id}/settings", response_class=HTMLResponse)
async def settings(shop_id: IdPath, ctx: PageContext = Depends(page_context)) -> HTMLResponse:
    return await _settings_page(ctx, shop_id)


@router.post("/seller/shops/{shop_id}/settings", response_model=None)
async def update_settings(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    """One form per change: `name` renames, `store_type` changes the store type."""
    name = form_text(form, "name", 200) if "name" in form else None
    store_type = form_text(form, "store_type", 20) if "store_type" in form else None
    try:
        data = ShopUpdate(name=name, store_type=store_type)
    except ValidationError as exc:
        return await _settings_page(
            ctx, shop_id, errors=field_errors(exc), name=name, status_code=422
        )
    try:
        await service.update_shop(
            ctx.session, ctx.actor, ctx.profile, shop_id=shop_id, data=data, now=ctx.now
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _settings_page(ctx, shop_id, problem=exc, name=name, status_code=status)
    notice = N_("The shop was renamed.") if name is not None else N_("The store type was changed.")
    return redirect(ctx.web, f"/seller/shops/{shop_id}/settings", notice=notice)


@router.post("/seller/shops/{shop_id}/close", response_model=None)
async def close(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    if form_text(form, "confirm") != "yes":
        errors = {"confirm": N_("Tick the box to confirm that the shop should close.")}
        return await _settings_page(ctx, shop_id, errors=errors, status_code=422)
    try:
        await service.close_shop(ctx.session, ctx.actor, shop_id=shop_id, now=ctx.now)
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _settings_page(ctx, shop_id, problem=exc, status_code=status)
    return redirect(ctx.web, f"/seller/shops/{shop_id}", notice=N_("The shop is closed."))
