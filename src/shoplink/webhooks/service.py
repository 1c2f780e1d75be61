"""Webhook endpoints as their owners manage them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import NotFound, ValidationFailed
from shoplink.identity.principal import Principal
from shoplink.kit.pagination import PageParams
from shoplink.models import Shop, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from shoplink.sellers.auth import MANAGERS, require_staff
from shoplink.shops.auth import shop_for
from shoplink.webhooks import dispatch, signing
from shoplink.webhooks.schemas import EndpointCreate
from shoplink.webhooks.urls import url_problem

ROTATION_OVERLAP = timedelta(hours=24)


async def create(
    session: AsyncSession,
    actor: Principal,
    *,
    data: EndpointCreate,
    now: datetime,
    allow_private: bool,
) -> WebhookEndpoint:
    if data.shop_id is not None:
        await shop_for(session, actor, data.shop_id, roles=MANAGERS)
    elif not actor.is_admin:
        raise ValidationFailed(
            "shop_id is required",
            errors=[
                {"field": "body.shop_id", "message": "only admins may subscribe to every shop"}
            ],
        )
    problem = url_problem(data.url, allow_private=allow_private)
    if problem:
        raise ValidationFailed(
            f"URL refused: {problem}", errors=[{"field": "body.url", "message": problem}]
        )
    endpoint = WebhookEndpoint(
        url=data.url,
        event_types=data.event_types,
        shop_id=data.shop_id,
        created_by=actor.user_id,
        secret=signing.new_secret(),
        status="active",
        consecutive_failures=0,
        created_at=now,
    )
    session.add(endpoint)
    await session.flush()
    return endpoint


async def endpoint_for(
    session: AsyncSession, actor: Principal, endpoint_id: int
) -> WebhookEndpoint:
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or (endpoint.shop_id is None and not actor.is_admin):
        raise NotFound("Webhook endpoint")
    if endpoint.shop_id is not None:
        shop = await session.get(Shop, endpoint.shop_id)
        assert shop is not None
        await require_staff(
            session, actor, shop.seller_id, roles=MANAGERS, hidden_as="Webhook endpoint"
        )
    return endpoint


async def list_endpoints(
    session: AsyncSession, actor: Principal, *, page: PageParams
) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.id).limit(page.limit + 1)
    if not actor.is_admin:
        stmt = stmt.where(WebhookEndpoint.created_by == actor.user_id)
    if page.after_id is not None:
        stmt = stmt.where(WebhookEndpoint.id > page.after_id)
    return list((await session.execute(stmt)).scalars())


async def disable(session: AsyncSession, actor: Principal, *, endpoint_id: int) -> WebhookEndpoint:
    endpoint = await endpoint_for(session, actor, endpoint_id)
    await dispatch.disable(session, endpoint, reason=f"disabled by {actor.label}")
    await session.flush()
    return endpoint


async def enable(session: AsyncSession, actor: Principal, *, endpoint_id: int) -> WebhookEndpoint:
    endpoint = await endpoint_for(session, actor, endpoint_id)
    endpoint.status, endpoint.disabled_reason, endpoint.consecutive_failures = "active", None, 0
    await session.flush()
    return endpoint


async def rotate_secret(
    session: AsyncSession, actor: Principal, *, endpoint_id: int, now: datetime
) -> WebhookEndpoint:
    endpoint = await endpoint_for(session, actor, endpoint_id)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + ROTATION_OVERLAP
    endpoint.secret = signing.new_secret()
    await session.flush()
    return endpoint


async def deliveries(
    session: AsyncSession, actor: Principal, *, endpoint_id: int, page: PageParams
) -> list[tuple[WebhookDelivery, list[WebhookAttempt]]]:
    await endpoint_for(session, actor, endpoint_id)
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.id)
        .limit(page.limit + 1)
    )
    if page.after_id is not None:
        stmt = stmt.where(WebhookDelivery.id > page.after_id)
    rows = list((await session.execute(stmt)).scalars())
    out = []
    for delivery in rows:
        attempts = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id)
        out.append(
            (
                delivery,
                list((await session.execute(attempts.order_by(WebhookAttempt.id))).scalars()),
            )
        )
    return out
