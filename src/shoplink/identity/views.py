"""Login, logout, the language switch and the home redirect."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from shoplink.errors import Unauthenticated
from shoplink.identity import service, web_sessions
from shoplink.web import i18n
from shoplink.web.forms import form_text
from shoplink.web.pages import (
    PublicPageContext,
    WebState,
    checked_form,
    public_page_context,
    redirect,
    safe_next,
    web_state,
)
from shoplink.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_model=None)
async def home(web: WebState = Depends(web_state)) -> RedirectResponse:
    if web.principal is None:
        return redirect(web, "/login")
    return redirect(web, "/review" if web.principal.is_reviewer else "/seller")


@router.get("/login", response_class=HTMLResponse)
async def login_form(
    next: str | None = Query(None, max_length=500),
    ctx: PublicPageContext = Depends(public_page_context),
) -> HTMLResponse:
    return render(ctx.request, "login.html", {"next": safe_next(next), "username": ""})


@router.post("/login", response_class=HTMLResponse, response_model=None)
async def login(
    request: Request,
    form: FormData = Depends(checked_form),
    ctx: PublicPageContext = Depends(public_page_context),
) -> HTMLResponse | RedirectResponse:
    username = form_text(form, "username", 64).strip()
    password = form_text(form, "password", 1024)
    next_path = safe_next(form_text(form, "next", 500))
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    context = {"next": next_path, "username": username}
    if not throttle.allows(client=client, username=username):
        return render(request, "login.html", {**context, "error": "throttled"}, status_code=429)
    try:
        user = await service.authenticate(ctx.session, username=username, password=password)
    except Unauthenticated:
        throttle.failed(client=client, username=username)
        return render(request, "login.html", {**context, "error": "wrong"}, status_code=401)
    ttl = timedelta(hours=request.app.state.settings.session_ttl_hours)
    if ctx.web.session_id:  # logging in again ends the old session
        await web_sessions.end(ctx.session, ctx.web.session_id)
    session_id = await web_sessions.start(ctx.session, user=user, now=ctx.now, ttl=ttl)
    ctx.web.begin_session(session_id, max_age=int(ttl.total_seconds()))
    return redirect(ctx.web, next_path)


@router.post("/logout", response_model=None)
async def logout(
    _: FormData = Depends(checked_form),
    ctx: PublicPageContext = Depends(public_page_context),
) -> RedirectResponse:
    if ctx.web.session_id:
        await web_sessions.end(ctx.session, ctx.web.session_id)
    ctx.web.end_session()
    return redirect(ctx.web, "/login")


@router.get("/lang", response_model=None)
async def switch_language(
    lang: str = Query("", max_length=16),
    next: str = Query("/", max_length=500),
    web: WebState = Depends(web_state),
) -> RedirectResponse:
    """A GET, so that public pages need no CSRF token: it only sets a preference cookie."""
    if lang in i18n.LOCALES:
        web.set_locale(lang)
    return redirect(web, safe_next(next))
