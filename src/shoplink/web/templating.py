"""Jinja2 environments, one per locale (each with its translations installed), and the one
`render` every view calls."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from babel.support import NullTranslations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from shoplink.policy.texts import fill
from shoplink.web import i18n
from shoplink.web.rule_titles import title_of


class Explainable(Protocol):
    """A DomainError or a policy Violation: a code and %(name)s templates with their params."""

    code: str
    message_template: str
    next_action_template: str
    params: Mapping[str, object]


def explain(translations: NullTranslations, problem: Explainable) -> list[dict[str, str]]:
    """Every rule that refused, in the reader's language: title, message, next action."""
    reasons: list[Explainable] = list(getattr(problem, "violations", None) or []) or [problem]

    def localized(template: str, params: Mapping[str, object]) -> str:
        return fill(translations.gettext(template), params, when=_when) if template else ""

    return [
        {
            "code": reason.code,
            "title": translations.gettext(title_of(reason.code)),
            "message": localized(reason.message_template, reason.params),
            "next_action": localized(reason.next_action_template, reason.params),
        }
        for reason in reasons
    ]


def _when(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M UTC") -> str:
    return value.strftime(fmt) if value else "—"


@cache
def environment(locale: str) -> Environment:
    env = Environment(
        loader=PackageLoader("shoplink", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = i18n.translations(locale)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["rule_title"] = lambda code: translations.gettext(title_of(str(code)))
    env.globals["explain"] = lambda problem: explain(translations, problem)
    env.filters["when"] = _when
    env.globals["locales"] = i18n.LOCALES
    return env


# Pages load nothing from elsewhere and run no inline script or style: a strict policy costs
# nothing and turns an escaping mistake into a blocked script instead of an XSS.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render with what every page needs: the caller, the locale, the CSRF token."""
    web = request.state.web
    page = environment(web.locale).get_template(template)
    body = page.render(
        request=request,
        me=web.principal,
        locale=web.locale,
        csrf_token=web.csrf_token,
        platform=request.app.state.profile,
        **(context or {}),
    )
    return html_response(request, body, status_code=status_code, headers=headers)


def render_fragment(locale: str, template: str, context: dict[str, Any]) -> Markup:
    """A part that is the same for every visitor (no caller, no CSRF token): cacheable."""
    return Markup(environment(locale).get_template(template).render(locale=locale, **context))


def html_response(
    request: Request, body: str, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    response = HTMLResponse(
        body, status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})}
    )
    request.state.web.apply_cookies(response)
    return response
