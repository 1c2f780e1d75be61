"""Request-scoped dependencies shared by every router."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from shoplink.policy import Profile


def get_profile(request: Request) -> Profile:
    profile: Profile = request.app.state.profile
    return profile


def get_now(request: Request) -> datetime:
    now: datetime = request.app.state.clock.now()
    return now
