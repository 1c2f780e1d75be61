from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from shoplink.config import API_PREFIX
from shoplink.deps import Context, context
from shoplink.kit.pagination import PageParams, page_params, split_page
from shoplink.kit.types import IdPath
from shoplink.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from shoplink.webhooks import service
from shoplink.webhooks.schemas import (
    AttemptOut,
    DeliveryOut,
    DeliveryPage,
    EndpointCreate,
    EndpointCreated,
    EndpointOut,
    EndpointPage,
    SecretOut,
)

router = APIRouter(prefix=API_PREFIX, tags=["webhooks"])


def _out(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut.model_validate(endpoint, from_attributes=True)


@router.post("/webhook-endpoints", status_code=201, response_model=EndpointCreated)
async def create_endpoint(
    body: EndpointCreate, request: Request, ctx: Context = Depends(context)
) -> EndpointCreated:
    endpoint = await service.create(
        ctx.session,
        ctx.actor,
        data=body,
        now=ctx.now,
        allow_private=request.app.state.settings.webhooks_allow_private,
    )
    return EndpointCreated(**_out(endpoint).model_dump(), secret=endpoint.secret)


@router.get("/webhook-endpoints", response_model=EndpointPage)
async def list_endpoints(
    page: PageParams = Depends(page_params), ctx: Context = Depends(context)
) -> EndpointPage:
    rows = await service.list_endpoints(ctx.session, ctx.actor, page=page)
    items, cursor = split_page(rows, page, lambda e: e.id)
    return EndpointPage(items=[_out(e) for e in items], next_cursor=cursor)


@router.get("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut)
async def get_endpoint(endpoint_id: IdPath, ctx: Context = Depends(context)) -> EndpointOut:
    return _out(await service.endpoint_for(ctx.session, ctx.actor, endpoint_id))


@router.post("/webhook-endpoints/{endpoint_id}/disable", response_model=EndpointOut)
async def disable_endpoint(endpoint_id: IdPath, ctx: Context = Depends(context)) -> EndpointOut:
    return _out(await service.disable(ctx.session, ctx.actor, endpoint_id=endpoint_id))


@router.post("/webhook-endpoints/{endpoint_id}/enable", response_model=EndpointOut)
async def enable_endpoint(endpoint_id: IdPath, ctx: Context = Depends(context)) -> EndpointOut:
    return _out(await service.enable(ctx.session, ctx.actor, endpoint_id=endpoint_id))


@router.post("/webhook-endpoints/{endpoint_id}/rotate-secret", response_model=SecretOut)
async def rotate_secret(endpoint_id: IdPath, ctx: Context = Depends(context)) -> SecretOut:
    endpoint = await service.rotate_secret(
        ctx.session, ctx.actor, endpoint_id=endpoint_id, now=ctx.now
    )
    return SecretOut(
        secret=endpoint.secret, previous_secret_valid_until=endpoint.previous_secret_expires_at
    )


def _delivery(delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryOut:
    return DeliveryOut(
        **{
            k: getattr(delivery, k)
            for k in (
                "id",
                "event_id",
                "message_id",
                "status",
                "attempts",
                "next_attempt_at",
                "last_status_code",
                "delivered_at",
            )
        },
        attempt_log=[AttemptOut.model_validate(a, from_attributes=True) for a in attempts],
    )


@router.get("/webhook-endpoints/{endpoint_id}/deliveries", response_model=DeliveryPage)
async def list_deliveries(
    endpoint_id: IdPath, page: PageParams = Depends(page_params), ctx: Context = Depends(context)
) -> DeliveryPage:
    rows = await service.deliveries(ctx.session, ctx.actor, endpoint_id=endpoint_id, page=page)
    items, cursor = split_page(rows, page, lambda row: row[0].id)
    return DeliveryPage(items=[_delivery(d, a) for d, a in items], next_cursor=cursor)
