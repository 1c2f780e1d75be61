"""What every page view depends on: the browser's session, its CSRF secret, its language.

`page_context` is the web twin of `deps.context`: same session, caller, profile and time, so
views call the same service functions as the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from shoplink.errors import Forbidden
from shoplink.identity import web_sessions
from shoplink.identity.auth import get_session
from shoplink.identity.principal import Principal
from shoplink.policy import Profile
from shoplink.web import cookies, i18n
from shoplink.web.cookies import Signer

FLASH_COOKIE = "shoplink_flash"


class LoginRequired(Exception):
    """Raised by pages that need a logged-in person; answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass
class WebState:
    locale: str
    principal: Principal | None
    session_id: str | None
    csrf_token: str
    signer: Signer
    secure: bool
    flash: str | None = None
    _cookies: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)

    def _set(self, name: str, value: str | None, **options: Any) -> None:
        self._cookies[name] = (value, options)

    def begin_session(self, session_id: str, *, max_age: int) -> None:
        """A fresh session id and a fresh CSRF secret at every login (no fixation)."""
        self.session_id = session_id
        self._set(cookies.SESSION_COOKIE, self.signer.session_cookie(session_id), max_age=max_age)
        self.csrf_token = cookies.new_csrf_token()
        self._set(cookies.CSRF_COOKIE, self.signer.csrf_cookie(self.csrf_token), samesite="strict")

    def end_session(self) -> None:
        self.session_id = None
        self._set(cookies.SESSION_COOKIE, None)

    def withhold_csrf(self) -> None:
        """This page has no form that needs the token: render none and set no cookie."""
        self.csrf_token = ""
        self._cookies.pop(cookies.CSRF_COOKIE, None)

    def remember_csrf(self) -> None:
        self._set(cookies.CSRF_COOKIE, self.signer.csrf_cookie(self.csrf_token), samesite="strict")

    def set_locale(self, locale: str) -> None:
        self.locale = locale
        self._set(i18n.LANG_COOKIE, locale, max_age=365 * 24 * 3600, httponly=False)

    def gettext(self, message: str, **values: object) -> str:
        """The message in this page's language, its %(name)s values filled in."""
        text = i18n.translations(self.locale).gettext(message)
        return text % values if values else text

    def say(self, message: str) -> None:
        """A one-time notice shown by the next page (after a redirect)."""
        self._set(FLASH_COOKIE, quote(message), max_age=60)

    def apply_cookies(self, response: Response) -> None:
        for name, (value, options) in self._cookies.items():
            if value is None:
                response.delete_cookie(name, path="/", httponly=True, samesite="lax")
                continue
            response.set_cookie(
                name,
                value,
                path="/",
                secure=self.secure,
                httponly=options.get("httponly", True),
                samesite=options.get("samesite", "lax"),
                max_age=options.get("max_age"),
            )


async def _signer(request: Request, session: AsyncSession) -> Signer:
    state = request.app.state
    signer: Signer | None = getattr(state, "web_signer", None)
    if signer is None:
        key = await cookies.signing_key(session, state.settings.secret_key)
        signer = state.web_signer = Signer(key)
    return signer


async def web_state(request: Request, session: AsyncSession = Depends(get_session)) -> WebState:
    existing = getattr(request.state, "web", None)
    if isinstance(existing, WebState):
        return existing
    signer = await _signer(request, session)
    session_id = signer.session_id(request.cookies.get(cookies.SESSION_COOKIE))
    principal = None
    if session_id:
        async with request.app.state.db.lookup(session) as lookup:
            now = request.app.state.clock.now()
            principal = await web_sessions.principal_for(lookup, session_id, now=now)
    csrf = signer.csrf_token(request.cookies.get(cookies.CSRF_COOKIE))
    state = WebState(
        locale=i18n.of_request(request),
        principal=principal,
        session_id=session_id if principal else None,
        csrf_token=csrf or cookies.new_csrf_token(),
        signer=signer,
        secure=request.url.scheme == "https",
    )
    if csrf is None:
        state.remember_csrf()
    flash = request.cookies.get(FLASH_COOKIE)
    if flash:
        state.flash = unquote(flash)[:300]
        state._set(FLASH_COOKIE, None)
    request.state.web = state
    return state


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a page for a logged-in person needs."""

    request: Request
    session: AsyncSession
    actor: Principal
    profile: Profile
    now: datetime
    web: WebState


@dataclass(frozen=True, slots=True)
class PublicPageContext:
    request: Request
    session: AsyncSession
    viewer: Principal | None
    profile: Profile
    now: datetime
    web: WebState


def _next_path(request: Request) -> str:
    path = request.url.path
    return path + ("?" + request.url.query if request.url.query else "")


async def page_context(
    request: Request,
    web: WebState = Depends(web_state),
    session: AsyncSession = Depends(get_session),
) -> PageContext:
    if web.principal is None:
        raise LoginRequired(_next_path(request) if request.method == "GET" else "/")
    return PageContext(
        request=request,
        session=session,
        actor=web.principal,
        profile=request.app.state.profile,
        now=request.app.state.clock.now(),
        web=web,
    )


async def public_page_context(
    request: Request,
    web: WebState = Depends(web_state),
    session: AsyncSession = Depends(get_session),
) -> PublicPageContext:
    return PublicPageContext(
        request=request,
        session=session,
        viewer=web.principal,
        profile=request.app.state.profile,
        now=request.app.state.clock.now(),
        web=web,
    )


async def shareable_page_context(
    request: Request,
    web: WebState = Depends(web_state),
    session: AsyncSession = Depends(get_session),
) -> PublicPageContext:
    """For public pages that every anonymous visitor sees alike, so that a cache may keep
    them whole (storefront/cache.py): they hold no form that needs a CSRF token, so an
    anonymous visitor gets none and no cookie is set."""
    if web.principal is None:
        web.withhold_csrf()
    return await public_page_context(request, web, session)


async def checked_form(request: Request, web: WebState = Depends(web_state)) -> FormData:
    """Every form POST carries the CSRF token (field or X-CSRF-Token header for htmx)."""
    form = await request.form()
    given = form.get(cookies.CSRF_FIELD) or request.headers.get(cookies.CSRF_HEADER)
    expected = web.signer.csrf_token(request.cookies.get(cookies.CSRF_COOKIE))
    if not cookies.same_token(expected, given if isinstance(given, str) else None):
        raise Forbidden("The form has expired or did not come from this site")
    return form


def redirect(
    web: WebState, url: str, *, notice: str | None = None, **values: object
) -> RedirectResponse:
    """Post/Redirect/Get: 303 so a reload never repeats the POST; `notice` is a msgid shown
    once by the next page, in the reader's language."""
    if notice:
        web.say(web.gettext(notice, **values))
    response = RedirectResponse(url, status_code=303)
    web.apply_cookies(response)
    return response


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")


def safe_next(value: str | None) -> str:
    """Only paths of this site: never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
