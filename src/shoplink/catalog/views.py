"""Seller Center, products: the list (cursor pages), add, edit and archive. The CSV import is in
import_views.py: it streams outside the per-request transaction."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from shoplink.catalog import service
from shoplink.catalog.schemas import ProductCreate, ProductOut, ProductPatch
from shoplink.errors import DomainError, ValidationFailed
from shoplink.kit.pagination import PageParams, decode_cursor, split_page
from shoplink.kit.types import IdPath
from shoplink.policy.texts import N_
from shoplink.shops.auth import shop_for
from shoplink.web.forms import field_errors, form_text, refused
from shoplink.web.pages import PageContext, checked_form, page_context, redirect
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
FIELDS = ("sku", "title", "description", "price", "currency", "stock", "status")
RATE = "affiliate_commission_rate"
Status = Literal["active", "draft", "archived"]


def _url(shop_id: int) -> str:
    return f"/seller/shops/{shop_id}/products"


@router.get("/seller/shops/{shop_id}/products", response_class=HTMLResponse)
async def products(
    shop_id: IdPath,
    status: Status | None = Query(None),
    cursor: str | None = Query(None, max_length=200),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse:
    shop = await shop_for(ctx.session, ctx.actor, shop_id)
    page = PageParams(limit=PAGE_SIZE, after_id=decode_cursor(cursor) if cursor else None)
    rows = await service.list_products(
        ctx.session, ctx.actor, shop_id=shop.id, status=status, page=page
    )
    items, next_cursor = split_page(rows, page, lambda product: product.id)
    next_url = None
    if next_cursor:
        next_url = f"{_url(shop.id)}?cursor={next_cursor}" + (f"&status={status}" if status else "")
    context = {
        "shop": shop,
        "tab": "products",
        "items": [ProductOut.of(p) for p in items],
        "status": status,
        "next_url": next_url,
    }
    return render(ctx.request, "seller/products.html", context)


def _values(form: FormData) -> dict[str, str]:
    return {name: form_text(form, name) for name in (*FIELDS, RATE)}


def _fields(values: dict[str, str]) -> dict[str, Any]:
    """What the API would get: an empty rate means "not open to affiliates" (null)."""
    fields: dict[str, Any] = {name: values[name] for name in FIELDS}
    fields[RATE] = values[RATE].strip() or None
    return fields


async def _form_page(
    ctx: PageContext,
    shop_id: int,
    *,
    product_id: int | None = None,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    problem: DomainError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    shop = await shop_for(ctx.session, ctx.actor, shop_id)
    if isinstance(problem, ValidationFailed):  # the service's own checks, shown at each field
        found = problem.extra.get("errors", [])
        errors = {str(e["field"]).removeprefix("body."): str(e["message"]) for e in found}
        problem = None if errors else problem
    context = {
        "shop": shop,
        "tab": "products",
        "product_id": product_id,
        "values": values,
        "errors": errors or {},
        "problem": problem,
    }
    return render(ctx.request, "seller/product_form.html", context, status_code=status_code)


@router.get("/seller/shops/{shop_id}/products/new", response_class=HTMLResponse)
async def new_product(shop_id: IdPath, ctx: PageContext = Depends(page_context)) -> HTMLResponse:
    values = {name: "" for name in (*FIELDS, RATE)} | {"currency": "USD", "status": "active"}
    return await _form_page(ctx, shop_id, values=values)


@router.post("/seller/shops/{shop_id}/products/new", response_model=None)
async def create_product(
    shop_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    values = _values(form)
    try:
        data = ProductCreate(**_fields(values))
    except ValidationError as exc:
        return await _form_page(
            ctx, shop_id, values=values, errors=field_errors(exc), status_code=422
        )
    try:
        await service.create_product(
            ctx.session, ctx.actor, shop_id=shop_id, data=data, now=ctx.now
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _form_page(ctx, shop_id, values=values, problem=exc, status_code=status)
    return redirect(ctx.web, _url(shop_id), notice=N_("The product was added."))


@router.get("/seller/shops/{shop_id}/products/{product_id}/edit", response_class=HTMLResponse)
async def edit_product(
    shop_id: IdPath, product_id: IdPath, ctx: PageContext = Depends(page_context)
) -> HTMLResponse:
    product = ProductOut.of(
        await service.product_for(ctx.session, ctx.actor, shop_id=shop_id, product_id=product_id)
    )
    values = {name: str(getattr(product, name)) for name in FIELDS}
    values[RATE] = product.affiliate_commission_rate or ""
    return await _form_page(ctx, shop_id, product_id=product_id, values=values)


@router.post("/seller/shops/{shop_id}/products/{product_id}/edit", response_model=None)
async def update_product(
    shop_id: IdPath,
    product_id: IdPath,
    form: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> HTMLResponse | RedirectResponse:
    values = _values(form)
    try:
        data = ProductPatch(**_fields(values))
    except ValidationError as exc:
        errors = field_errors(exc)
        return await _form_page(
            ctx, shop_id, product_id=product_id, values=values, errors=errors, status_code=422
        )
    try:
        await service.update_product(
            ctx.session, ctx.actor, shop_id=shop_id, product_id=product_id, data=data, now=ctx.now
        )
    except DomainError as exc:
        status = await refused(ctx, exc)
        return await _form_page(
            ctx, shop_id, product_id=product_id, values=values, problem=exc, status_code=status
        )
    return redirect(ctx.web, _url(shop_id), notice=N_("The product was saved."))


@router.post("/seller/shops/{shop_id}/products/{product_id}/archive", response_model=None)
async def archive_product(
    shop_id: IdPath,
    product_id: IdPath,
    _: FormData = Depends(checked_form),
    ctx: PageContext = Depends(page_context),
) -> RedirectResponse:
    # Refusals (a closed shop, someone else's product) become the error page.
    await service.archive_product(
        ctx.session, ctx.actor, shop_id=shop_id, product_id=product_id, now=ctx.now
    )
    return redirect(ctx.web, _url(shop_id), notice=N_("The product was archived."))
