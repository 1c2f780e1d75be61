"""The order routers are included in is a matter of speed only (app.py puts the binding
steps first): no route of one router may match a path of another's."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute

from shoplink.app import create_app
from shoplink.config import Settings


def routes_by_router(app: FastAPI) -> list[tuple[int, APIRoute]]:
    found = []
    for position, entry in enumerate(app.routes):
        router = getattr(entry, "original_router", None)
        for route in router.routes if router is not None else [entry]:
            if isinstance(route, APIRoute):
                found.append((position, route))
    return found


def test_no_path_of_one_router_is_matched_by_another(sqlite_url: str) -> None:
    routes = routes_by_router(create_app(Settings(database_url=sqlite_url)))
    assert len({position for position, _ in routes}) > 10, "the routers are all there"
    overlaps = []
    for position, route in routes:
        for value in ("123", "mine", "import"):  # ids, and the words a path may hold instead
            sample = re.sub(r"\{[^}]+\}", value, route.path)
            overlaps += [
                (route.path, other.path)
                for other_position, other in routes
                if other_position != position
                and route.methods & other.methods
                and other.path_regex.fullmatch(sample)
            ]
    assert overlaps == []
