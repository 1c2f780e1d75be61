from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shoplink.kit.types import Id


class MemberAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: Id
    role: Literal["admin", "operator"]


class MemberOut(BaseModel):
    account_id: int
    user_id: int
    role: str
    added_at: datetime


class MemberPage(BaseModel):
    items: list[MemberOut]
    next_cursor: str | None
