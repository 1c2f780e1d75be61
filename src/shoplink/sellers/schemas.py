from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shoplink.kit.types import Id, Region, Text


class SellerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity_name: Annotated[Text, Field(min_length=1, max_length=200)]
    entity_id: Annotated[Text, Field(min_length=1, max_length=64)]
    entity_type: Literal["individual", "business"]
    region: Region
    owner_user_id: Id


class SellerOut(BaseModel):
    id: int
    entity_name: str
    entity_id: str
    entity_type: str
    region: str


class StaffAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: Id
    role: Literal["owner", "admin", "operator"]


class StaffOut(BaseModel):
    seller_id: int
    user_id: int
    role: str
