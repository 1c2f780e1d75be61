from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. The settings' admin token yields an admin with no user row."""

    user_id: int | None
    username: str
    is_admin: bool = False
    is_reviewer: bool = False

    @property
    def label(self) -> str:
        return f"user:{self.username}" if self.user_id is not None else "admin"
