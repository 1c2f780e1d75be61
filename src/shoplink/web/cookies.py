"""The signed cookies of the web pages: the session id and the CSRF secret.

Both are HttpOnly. The session cookie is SameSite=Lax (a link from elsewhere still arrives
logged in), the CSRF one Strict; both are Secure when the page is served over https.
Signing (itsdangerous) means a cookie planted by a sibling domain is refused.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.models import InstanceSecret

SESSION_COOKIE = "shoplink_session"
CSRF_COOKIE = "shoplink_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SIGNING_KEY_NAME = "cookie-signing-key"  # stored by the web_sessions migration


async def signing_key(session: AsyncSession, configured: str | None) -> str:
    """The configured key, else the one the migrations stored in this database."""
    if configured:
        return configured
    stored = await session.scalar(
        select(InstanceSecret.value).where(InstanceSecret.name == SIGNING_KEY_NAME)
    )
    if stored is None:
        raise RuntimeError("no cookie-signing key: run `shoplink db upgrade`")
    return stored


class Signer:
    def __init__(self, key: str) -> None:
        self._session = URLSafeSerializer(key, salt="shoplink.session")
        self._csrf = URLSafeSerializer(key, salt="shoplink.csrf")

    def session_cookie(self, session_id: str) -> str:
        return self._session.dumps(session_id)

    def session_id(self, cookie: str | None) -> str | None:
        return _loads(self._session, cookie)

    def csrf_cookie(self, token: str) -> str:
        return self._csrf.dumps(token)

    def csrf_token(self, cookie: str | None) -> str | None:
        return _loads(self._csrf, cookie)


def _loads(serializer: URLSafeSerializer, cookie: str | None) -> str | None:
    if not cookie:
        return None
    try:
        value = serializer.loads(cookie)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))
