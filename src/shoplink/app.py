"""create_app(): routers, middleware, error handlers."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException as StarletteHTTPException

from shoplink import errors
from shoplink.accounts.endpoints import router as accounts_router
from shoplink.audit.endpoints import router as audit_router
from shoplink.catalog.endpoints import router as catalog_router
from shoplink.clock import Clock
from shoplink.commerce.endpoints import router as commerce_router
from shoplink.config import API_PREFIX, Settings, get_settings
from shoplink.db import Database
from shoplink.identity import passwords
from shoplink.identity.endpoints import router as identity_router
from shoplink.identity.token_cache import PrincipalCache
from shoplink.kit.changes import feed_for
from shoplink.kit.ratelimit import LoginThrottle
from shoplink.kit.transaction import TransactionMiddleware
from shoplink.links.endpoints import router as links_router
from shoplink.ops.endpoints import load_clock_offset, test_clock_router
from shoplink.ops.endpoints import router as ops_router
from shoplink.ops.metrics import MetricsMiddleware
from shoplink.orgs.endpoints import router as orgs_router
from shoplink.policy import load_profile
from shoplink.reviews.endpoints import router as reviews_router
from shoplink.sellers.endpoints import router as sellers_router
from shoplink.shops.endpoints import router as shops_router
from shoplink.showcases.endpoints import router as showcases_router
from shoplink.storefront.cache import PUBLIC_API, CachedPublicReads, PublicCache
from shoplink.storefront.endpoints import router as storefront_router
from shoplink.storefront.views import SHOP_PAGE
from shoplink.web import errors as web_errors
from shoplink.web.pages import LoginRequired
from shoplink.web.routes import VIEW_ROUTERS
from shoplink.webhooks.endpoints import router as webhooks_router

log = logging.getLogger("shoplink")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    profile = load_profile(settings.platform, settings.profiles_dir)  # fails fast on a bad file
    db = Database(settings.database_url, pool_size=settings.pool_size)
    clock = Clock()
    public_cache = PublicCache(db, feed_for(db.url), max_entries=settings.public_cache_entries)
    passwords.configure(
        time_cost=settings.password_time_cost, memory_kib=settings.password_memory_kib
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await public_cache.close()
        await db.dispose()

    app = FastAPI(
        title="shoplink",
        version="0.1.0",
        summary=f"Shop ↔ account binding ({profile.profile.title} rules)",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.profile = profile
    app.state.db = db
    app.state.clock = clock
    app.state.public_cache = public_cache
    app.state.principals = PrincipalCache()
    app.state.login_throttle = LoginThrottle(
        per_name=settings.login_rate_limit,
        per_client=settings.login_rate_limit_per_client,
        storage_uri=settings.rate_limit_storage,
    )

    async def refresh_clock(session: AsyncSession) -> None:
        if settings.test_clock:
            clock.set_offset(await load_clock_offset(session))

    app.state.refresh_clock = refresh_clock

    # The binding steps first: this FastAPI tries each router's routes in turn, ~2 µs a
    # route, and a step used to pass 60 of them. No path of one router matches another's
    # (tests/api/test_routes.py), so the order changes only how soon a request is routed.
    for router in (
        links_router,
        reviews_router,
        identity_router,
        sellers_router,
        shops_router,
        catalog_router,
        storefront_router,
        showcases_router,
        commerce_router,
        accounts_router,
        orgs_router,
        audit_router,
        webhooks_router,
    ):
        app.include_router(router)
    if settings.test_clock:
        app.include_router(test_clock_router)
    app.include_router(ops_router)
    for router in VIEW_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("shoplink", "static")]), name="static")

    # Each handler answers problem+json on the API and an HTML page on the web pages.
    for kind, handler in (
        (errors.DomainError, errors.domain_error_handler),
        (RequestValidationError, errors.validation_error_handler),
        (StarletteHTTPException, errors.http_error_handler),
        (Exception, errors.unexpected_error_handler),
    ):
        app.add_exception_handler(kind, web_errors.for_pages(handler))
    app.add_exception_handler(LoginRequired, web_errors.login_required)
    app.add_middleware(
        TransactionMiddleware,
        skip=("/static/", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/redoc"),
        streaming=re.compile(rf"({re.escape(API_PREFIX)}|/seller)/shops/[^/]+/products/import"),
    )
    # Outside the transaction: a cached public read opens no database session at all.
    app.add_middleware(CachedPublicReads, routes=(PUBLIC_API, SHOP_PAGE))
    app.add_middleware(MetricsMiddleware)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` worker processes: settings come from SHOPLINK_*."""
    return create_app(Settings())
