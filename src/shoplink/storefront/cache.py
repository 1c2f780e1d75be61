"""Public storefront reads kept in memory, per process, until the data behind them changes.

Profiles and Shop Pages are read far more often than shops, links or products change, and a
read through the pool costs a dozen times what serving bytes costs. Each entry remembers the
change generation seen *before* it was computed: any commit after that (this process's own at
once, another process's through kit/changes.py) makes it a miss, so a cached page is never
older than the change feed. SPEC §3: a change is visible within 1 s.

Only what every visitor sees alike is kept: the API's JSON bytes (CachedPublicReads, in front
of the transaction middleware: a hit opens no session) and the Shop Page's data for the HTML
page (the page itself carries each visitor's CSRF token and login).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shoplink.config import API_PREFIX
from shoplink.db import Database
from shoplink.kit.changes import ChangeFeed

T = TypeVar("T")
Generation = tuple[int, int]
MAX_ENTRIES = 2048
MAX_BYTES = 32 * 1024 * 1024  # per process, whatever visitors put in query strings


class PublicCache:
    def __init__(
        self,
        db: Database,
        feed: ChangeFeed,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.db = db
        self.feed = feed
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Any, tuple[int, Any]] = OrderedDict()  # key: (size, value)
        self._generation: Generation | None = None  # the one every entry was computed at
        self._bytes = 0
        self._rules: object = None
        self.hits = self.misses = 0

    def generation(self, rules: object) -> Generation | None:
        """None: changes cannot be seen right now, so nothing may be served or kept.

        `rules` is the platform profile: what is public depends on it (douyin names a shop
        only after its deposit), so another profile (tests swap them) empties the cache.
        """
        if rules is not self._rules:
            self._clear()
            self._rules = rules
        if not self.max_entries:
            return None
        theirs = self.feed.generation()
        return None if theirs is None else (theirs, self.db.write_commits)

    def get(self, key: Any, generation: Generation | None) -> Any | None:
        if generation is None or generation != self._generation:
            self.misses += 1
            return None
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[1]

    def put(self, key: Any, generation: Generation | None, value: Any, *, size: int) -> None:
        """Keep `value`, computed from data no older than `generation`, if that is current.

        Entries are only ever of the current generation: a change empties the cache.
        """
        if generation is None or size > self.max_bytes:
            return
        current = self.generation(self._rules)
        if generation != current:
            return  # the data changed while it was computed
        if current != self._generation:
            self._clear()
            self._generation = current
        old = self._entries.pop(key, None)
        self._bytes += size - (old[0] if old else 0)
        self._entries[key] = (size, value)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            self._bytes -= self._entries.popitem(last=False)[1][0]

    def _clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    async def get_or_load(
        self,
        rules: object,
        key: Any,
        load: Callable[[], Awaitable[T]],
        *,
        size: Callable[[T], int],
    ) -> T:
        generation = self.generation(rules)
        cached = self.get(key, generation)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        value = await load()
        self.put(key, generation, value, size=size(value))
        return value

    async def close(self) -> None:
        await self.feed.close()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: Any  # the matched route, for the metrics' label


# What a request's answer depends on, or None when it is not the same for everyone who asks.
RequestKey = Callable[[Scope], Hashable | None]


@dataclass(frozen=True, slots=True)
class CachedRoute:
    path: re.Pattern[str]
    key: RequestKey


def api_key(scope: Scope) -> Hashable:
    """The public API answers alike whoever asks: path and query are the whole question."""
    return ("api", scope["path"], scope["query_string"])


HIT_HEADER = (b"x-shoplink-cache", b"hit")
PUBLIC_API = CachedRoute(
    re.compile(rf"{re.escape(API_PREFIX)}/profiles/[^/]+(/shop-page)?"), api_key
)


class CachedPublicReads:
    """Serves repeated GETs of public reads from PublicCache, before any session opens.

    Only a 200 that sets no cookie is kept.
    """

    def __init__(self, app: ASGIApp, *, routes: tuple[CachedRoute, ...]) -> None:
        self.app = app
        self.routes = routes

    def _key(self, scope: Scope) -> Hashable | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = scope["path"]
        for route in self.routes:
            if route.path.fullmatch(path):
                return route.key(scope)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        cache: PublicCache = state.public_cache
        generation = cache.generation(state.profile)
        hit: CachedResponse | None = cache.get(key, generation)
        if hit is not None:
            scope["route"] = hit.route
            headers = [*hit.headers, HIT_HEADER]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": hit.body})
            return
        start: Message = {}
        body: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        headers = list(start.get("headers", []))
        if start.get("status") == 200 and all(k.lower() != b"set-cookie" for k, _ in headers):
            whole = b"".join(body)
            cache.put(
                key, generation, CachedResponse(headers, whole, scope.get("route")), size=len(whole)
            )
