"""Seller Center, CSV import: an uploaded file, upserted by sku like POST
/api/v1/shops/{id}/products/import.

This path is left out of the buffering transaction middleware (app.py), so the view manages
its sessions itself, as the API endpoint does: a short read to learn who is asking and whether
they may import, the upload spooled to disk by python-multipart with no transaction open, then
catalog.importing's one short transaction per batch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile

from shoplink.catalog import importing, service
from shoplink.catalog.schemas import ImportResult
from shoplink.errors import DomainError, PayloadTooLarge, ValidationFailed
from shoplink.identity.principal import Principal
from shoplink.kit.types import IdPath
from shoplink.models import Shop
from shoplink.web.pages import LoginRequired, WebState, checked_form, web_state
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)
MULTIPART_OVERHEAD = 64 * 1024  # the boundaries and the other fields around the file


async def _caller(request: Request, shop_id: int) -> tuple[WebState, Principal, Shop]:
    """Who asks, and the open shop they work for, read in a session of its own."""
    app_state = request.app.state
    async with app_state.db.session(write=False) as session:
        await app_state.refresh_clock(session)
        web = await web_state(request, session)
        if web.principal is None:
            raise LoginRequired(f"/seller/shops/{shop_id}/products")
        shop = await service.open_shop_for(session, web.principal, shop_id)
        return web, web.principal, shop


def _page(
    request: Request,
    shop: Shop | None,
    *,
    result: ImportResult | None = None,
    problem: DomainError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"shop": shop, "tab": "products", "result": result, "problem": problem}
    return render(request, "seller/import_result.html", context, status_code=status_code)


@router.post("/seller/shops/{shop_id}/products/import", response_class=HTMLResponse)
async def import_csv(shop_id: IdPath, request: Request) -> HTMLResponse:
    try:
        web, actor, shop = await _caller(request, shop_id)
    except DomainError as exc:  # not this caller's shop, or closed: nothing is read from them
        if getattr(request.state, "web", None) is None:
            raise
        return _page(request, None, problem=exc, status_code=exc.status)
    limit = request.app.state.settings.import_max_bytes
    form: FormData | None = None
    try:
        declared = int(request.headers.get("content-length") or 0)
        if declared > limit + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(limit)
        form = await checked_form(request, web)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed(
                "Choose a CSV file to import.",
                errors=[{"field": "file", "message": "no file was chosen"}],
            )
        result = await importing.import_products(
            request.app.state.db,
            shop_id=shop.id,
            actor=actor,
            raw=upload.file,
            fmt="csv",
            now=request.app.state.clock.now,
        )
    except DomainError as exc:
        return _page(request, shop, problem=exc, status_code=exc.status)
    finally:
        if form is not None:
            await form.close()  # deletes the spooled upload
    return _page(request, shop, result=result)
