"""English and Simplified Chinese: the `.po` catalogues ship in the package and are compiled
in memory at start-up (no build step), chosen per request by the `lang` cookie or
Accept-Language."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import HTTPConnection

DEFAULT = "en"
LOCALES = {"en": "English", "zh-Hans": "简体中文"}
# Accept-Language spellings of Simplified Chinese, mapped onto our one Chinese catalogue.
_ALIASES = {"zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "zh-Hans-CN": "zh-Hans"}
LANG_COOKIE = "shoplink_lang"


@cache
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT:
        return NullTranslations()
    folder = locale.replace("-", "_")
    po = resources.files("shoplink") / "translations" / folder / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale=Locale.parse(folder))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def _parse_accept_language(header: str) -> list[str]:
    weighted: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((quality, tag))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The switch (cookie) wins; then the browser's preference; then English."""
    if cookie in LOCALES:
        return cookie
    wanted = [_ALIASES.get(tag, tag) for tag in _parse_accept_language(accept_language or "")]
    found = negotiate_locale(wanted, list(LOCALES) + list(_ALIASES), sep="-")
    return _ALIASES.get(found, found) if found else DEFAULT


def of_request(request: HTTPConnection) -> str:
    """The language a request's page is in; the shared-page cache keys by the same answer."""
    return choose(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
