"""Every HTML view router, in one list for create_app()."""

from __future__ import annotations

from fastapi import APIRouter

from shoplink.catalog.import_views import router as catalog_import_views
from shoplink.catalog.views import router as catalog_views
from shoplink.identity.views import router as identity_views
from shoplink.links.owner_views import router as owner_views
from shoplink.links.views import router as links_views
from shoplink.orgs.views import router as orgs_views
from shoplink.reviews.views import router as reviews_views
from shoplink.shops.views import router as shops_views
from shoplink.storefront.views import router as storefront_views

VIEW_ROUTERS: tuple[APIRouter, ...] = (
    identity_views,
    shops_views,
    links_views,
    catalog_views,
    catalog_import_views,
    owner_views,
    orgs_views,
    reviews_views,
    storefront_views,
)
