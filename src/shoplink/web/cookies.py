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
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shoplink.db import Database
from shoplink.models import InstanceSecret

SESSION_COOKIE = "shoplink_session"
CSRF_COOKIE = "shoplink_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SECRET_NAME = "cookie-signing-key"


async def signing_key(db: Database, configured: str | None) -> str:
    """The configured key, else one generated once and shared through the database."""
    if configured:
        return configured
    async with db.transaction() as session:
        insert = pg_insert if db.is_postgres else sqlite_insert
        await session.execute(
            insert(InstanceSecret)
            .values(name=_SECRET_NAME, value=secrets.token_urlsafe(48))
            .on_conflict_do_nothing(index_elements=["name"])
        )
        stored = await session.scalar(
            select(InstanceSecret.value).where(InstanceSecret.name == _SECRET_NAME)
        )
    assert stored is not None
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
