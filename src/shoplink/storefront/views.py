"""Public pages: `/@username` (profile, Enter Store, showcase) and `/@username/shop`."""

from __future__ import annotations

import re
from collections.abc import Hashable
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.types import Scope

from shoplink.kit.pagination import decode_cursor, encode_cursor
from shoplink.showcases import service as showcases
from shoplink.storefront import service
from shoplink.storefront.cache import CachedRoute
from shoplink.storefront.schemas import ShopPageOut
from shoplink.web import i18n
from shoplink.web.cookies import SESSION_COOKIE
from shoplink.web.pages import FLASH_COOKIE, PublicPageContext, shareable_page_context
from shoplink.web.templating import html_response, render, render_fragment

router = APIRouter(include_in_schema=False)
UsernamePath = Path(max_length=64)
PAGE_SIZE = 24


@router.get("/@{username}", response_class=HTMLResponse)
async def profile_page(
    username: str = UsernamePath,
    cursor: str | None = Query(None, max_length=200),
    ctx: PublicPageContext = Depends(shareable_page_context),
) -> HTMLResponse:
    front = await service.storefront(ctx.session, ctx.profile, username)
    items, last = await showcases.visible_items(
        ctx.session,
        ctx.profile,
        account=front.account,
        limit=PAGE_SIZE,
        after_id=decode_cursor(cursor) if cursor else None,
        now=ctx.now,
    )
    next_url = f"/@{front.account.username}?cursor={encode_cursor(last)}" if last else None
    return render(
        ctx.request,
        "public/profile.html",
        {"front": service.profile_out(front), "showcase": items, "next_url": next_url},
    )


def shop_page_key(scope: Scope) -> Hashable | None:
    """Anonymous visitors (no session, no notice waiting) all get the same Shop Page in their
    language (shareable_page_context), so storefront/cache.py may keep it whole."""
    request = Request(scope)
    if SESSION_COOKIE in request.cookies or FLASH_COOKIE in request.cookies:
        return None
    locale = i18n.of_request(request)
    return ("page", scope["path"], scope["query_string"], locale, _wants_results(request))


def _wants_results(request: Request) -> bool:
    """htmx asks for the results alone as the visitor types; a plain request gets the page."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == "results"
    )


SHOP_PAGE = CachedRoute(re.compile(r"/@[^/]+/shop"), shop_page_key)


@router.get("/@{username}/shop", response_class=HTMLResponse)
async def shop_page(
    username: str = UsernamePath,
    q: str | None = Query(None, max_length=200),
    cursor: str | None = Query(None, max_length=200),
    ctx: PublicPageContext = Depends(shareable_page_context),
) -> HTMLResponse:
    username = username.lower()
    locale = ctx.web.locale

    async def load() -> tuple[ShopPageOut, Markup]:
        page = await service.shop_page(
            ctx.session, ctx.profile, username=username, q=q, limit=PAGE_SIZE, cursor=cursor
        )
        next_url = None
        if page.next_cursor:
            query = {"q": q, "cursor": page.next_cursor} if q else {"cursor": page.next_cursor}
            next_url = f"/@{username}/shop?{urlencode(query)}"
        context = {"page": page, "q": q or "", "next_url": next_url}
        return page, render_fragment(locale, "public/_results.html", context)

    # The page carries the visitor's own CSRF token and login; the shop's products, rendered,
    # are alike for every visitor who reads this language, so they come from the cache.
    page, results = await ctx.request.app.state.public_cache.get_or_load(
        ctx.profile,
        ("shop-page", locale, username, q, cursor),
        load,
        size=lambda value: 2 * len(value[1]),  # the markup and, about as big, its data
    )
    # Shared caches (ours, a CDN's) must keep one copy per language and per visitor state.
    vary = {"Vary": "Accept-Language, Cookie, HX-Request, HX-Target"}
    if _wants_results(ctx.request):
        return html_response(ctx.request, results, headers=vary)
    context = {"username": username, "page": page, "q": q or "", "results": results}
    return render(ctx.request, "public/shop.html", context, headers=vary)
