from __future__ import annotations

import hashlib
import tempfile
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from shoplink.catalog import importing, service
from shoplink.catalog.schemas import (
    ImportResult,
    ProductCreate,
    ProductOut,
    ProductPage,
    ProductPatch,
)
from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.errors import PayloadTooLarge, UnsupportedMediaType
from shoplink.identity.auth import bearer, principal_for
from shoplink.kit import idempotency
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath

router = APIRouter(prefix=API_PREFIX, tags=["catalog"])
IMPORT_PATH = "/shops/{shop_id}/products/import"
SPOOL_IN_MEMORY = 8 * 1024 * 1024
MEDIA_TYPES: dict[str, importing.Format] = {
    "text/csv": "csv",
    "application/x-ndjson": "ndjson",
    "application/jsonl": "ndjson",
}


@router.post("/shops/{shop_id}/products", status_code=201, response_model=ProductOut)
async def create_product(
    shop_id: IdPath, body: ProductCreate, ctx: Context = Depends(context)
) -> ProductOut:
    return ProductOut.of(
        await service.create_product(
            ctx.session, ctx.actor, shop_id=shop_id, data=body, now=ctx.now
        )
    )


@router.get("/shops/{shop_id}/products", response_model=ProductPage)
async def list_products(
    shop_id: IdPath,
    status: Literal["active", "draft", "archived"] | None = Query(None),
    page: PageParams = Depends(page_params),
    ctx: Context = Depends(context),
) -> ProductPage:
    rows = await service.list_products(
        ctx.session, ctx.actor, shop_id=shop_id, status=status, page=page
    )
    items, cursor = split_page(rows, page, lambda product: product.id)
    return ProductPage(items=[ProductOut.of(p) for p in items], next_cursor=cursor)


@router.get("/shops/{shop_id}/products/{product_id}", response_model=ProductOut)
async def get_product(
    shop_id: IdPath, product_id: IdPath, ctx: Context = Depends(context)
) -> ProductOut:
    return ProductOut.of(
        await service.product_for(ctx.session, ctx.actor, shop_id=shop_id, product_id=product_id)
    )


@router.patch("/shops/{shop_id}/products/{product_id}", response_model=ProductOut)
async def update_product(
    shop_id: IdPath, product_id: IdPath, body: ProductPatch, ctx: Context = Depends(context)
) -> ProductOut:
    return ProductOut.of(
        await service.update_product(
            ctx.session, ctx.actor, shop_id=shop_id, product_id=product_id, data=body, now=ctx.now
        )
    )


@router.delete("/shops/{shop_id}/products/{product_id}", response_model=ProductOut)
async def archive_product(
    shop_id: IdPath, product_id: IdPath, ctx: Context = Depends(context)
) -> ProductOut:
    """Archive: the product leaves the Shop Page and every showcase; its sku stays taken."""
    return ProductOut.of(
        await service.archive_product(
            ctx.session, ctx.actor, shop_id=shop_id, product_id=product_id, now=ctx.now
        )
    )


@router.post(
    IMPORT_PATH,
    response_model=ImportResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def import_products(
    shop_id: IdPath,
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> ImportResult | Response:
    """Upsert by sku from a CSV (with a header) or NDJSON body, streamed to a spool file first
    so no transaction waits on the network; then one short transaction per 1,000 lines."""
    app_state = request.app.state
    db = app_state.db
    fmt = _format(request.headers.get("content-type", ""))
    async with db.session(write=False) as session:
        await app_state.refresh_clock(session)
        actor = await principal_for(request, credentials, session)
        await service.open_shop_for(session, actor, shop_id)
    key = idempotency.key_from(request.scope)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        digest = await _spool(request, spool, limit=app_state.settings.import_max_bytes)
        if key is not None:
            async with db.session(write=False) as session:
                replay = await idempotency.lookup(session, request.scope, key, digest)
            if replay is not None:
                return Response(
                    replay.body,
                    status_code=replay.status,
                    media_type="application/json",
                    headers={"Idempotent-Replayed": "true"},
                )
        spool.seek(0)
        result = await importing.import_products(
            db,
            shop_id=shop_id,
            actor=actor,
            raw=spool,
            fmt=fmt,
            now=app_state.clock.now,
        )
    if key is not None:
        async with db.session(write=True) as session:
            await idempotency.remember(
                session,
                request.scope,
                key,
                digest,
                status=200,
                content=result.model_dump_json(),
                now=app_state.clock.now(),
            )
    return result


def _format(content_type: str) -> importing.Format:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise UnsupportedMediaType("text/csv or application/x-ndjson")
    return MEDIA_TYPES[media_type]


async def _spool(
    request: Request, spool: tempfile.SpooledTemporaryFile[bytes], *, limit: int
) -> bytes:
    digest = hashlib.sha256()
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        digest.update(chunk)
        spool.write(chunk)
    return digest.digest()
