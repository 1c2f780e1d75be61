from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shoplink.kit.types import Id, Name, Region


class ShopCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seller_id: Id
    name: Name
    region: Region
    store_type: Literal["personal", "business"] = "business"


class ShopUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    store_type: Literal["personal", "business"] | None = None


class ShopOut(BaseModel):
    id: int
    seller_id: int
    name: str
    region: str
    store_type: str
    status: str
    created_at: datetime
    probation_ends_at: datetime | None
    closed_at: datetime | None


class ShopPage(BaseModel):
    items: list[ShopOut]
    next_cursor: str | None
