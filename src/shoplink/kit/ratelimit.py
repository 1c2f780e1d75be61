"""Failed-login throttling on the `limits` package (moving windows). Only failures are
counted, so a person who types the password right is never slowed down."""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LoginThrottle:
    def __init__(self, *, per_name: str, per_client: str, storage_uri: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._per_name = parse(per_name)
        self._per_client = parse(per_client)

    def allows(self, *, client: str, username: str) -> bool:
        return self._limiter.test(
            self._per_name, "login", client, username.lower()
        ) and self._limiter.test(self._per_client, "login-client", client)

    def failed(self, *, client: str, username: str) -> None:
        self._limiter.hit(self._per_name, "login", client, username.lower())
        self._limiter.hit(self._per_client, "login-client", client)
