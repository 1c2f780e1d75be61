from __future__ import annotations

from pydantic import BaseModel


class ShopRef(BaseModel):
    id: int
    name: str


class ProfileOut(BaseModel):
    username: str
    nickname: str
    avatar_url: str | None
    kind: str
    enter_store: bool
    shop: ShopRef | None


class ShopPageItem(BaseModel):
    id: int
    sku: str
    title: str
    price: str
    currency: str
    in_stock: bool


class ShopPageOut(BaseModel):
    shop: ShopRef
    items: list[ShopPageItem]
    next_cursor: str | None
