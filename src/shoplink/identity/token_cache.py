"""Who each bearer token names, remembered by one server process for a short while.

Every API request asks, and on PostgreSQL the lookup is a round trip of its own: one of the
seven or eight a binding step makes (bench B3). An API token names one user until it
expires, and shoplink never changes a token or a user's roles once created, so an entry can
go stale only when the database is edited by hand; `TTL_S` bounds how long that lasts.
Whatever one day revokes tokens or changes roles must clear the entries in every process.
Only found tokens are kept: a stream of made-up tokens cannot fill the cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from shoplink.identity.principal import Principal

TTL_S = 30.0
MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class _Entry:
    principal: Principal
    token_expires_at: datetime
    kept_until: float  # time.monotonic()


class PrincipalCache:
    def __init__(self, *, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}

    def get(self, digest: str, *, now: datetime) -> Principal | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if entry.token_expires_at <= now or entry.kept_until <= time.monotonic():
            del self._entries[digest]
            return None
        return entry.principal

    def put(self, digest: str, principal: Principal, *, token_expires_at: datetime) -> None:
        if len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]  # the oldest entry
        self._entries[digest] = _Entry(principal, token_expires_at, time.monotonic() + self.ttl_s)

    def clear(self) -> None:
        self._entries.clear()
