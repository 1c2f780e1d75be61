from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shoplink.kit.types import Id


class ShowcaseAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: Id


class ShowcaseItemOut(BaseModel):
    account_id: int
    product_id: int
    shop_id: int
    sku: str
    title: str
    price: str
    currency: str
    affiliate_commission_rate: str | None
    added_at: datetime


class ShowcasePage(BaseModel):
    items: list[ShowcaseItemOut]
    next_cursor: str | None


class ShowcaseRemoved(BaseModel):
    account_id: int
    product_id: int
    removed: bool
