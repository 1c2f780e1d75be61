from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shoplink.kit.types import Id, Name, Region, Text, Username

Phone = Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{4,20}$")]


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Username
    nickname: Name
    region: Region
    kind: Literal["personal", "business", "creator", "organization"]
    owner_user_id: Id | None = None
    seller_id: Id | None = None
    phone: Phone | None = None
    avatar_url: Annotated[Text, Field(max_length=500)] | None = None

    @model_validator(mode="after")
    def _owner_matches_kind(self) -> AccountCreate:
        if self.kind == "organization":
            if self.seller_id is None or self.owner_user_id is not None:
                raise ValueError("an organization account needs seller_id and no owner_user_id")
        elif self.owner_user_id is None or self.seller_id is not None:
            raise ValueError(f"a {self.kind} account needs owner_user_id and no seller_id")
        return self


class AccountUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nickname: Name


class AccountOut(BaseModel):
    id: int
    username: str
    nickname: str
    avatar_url: str | None
    phone: str | None
    region: str
    kind: str
    status: str
    owner_user_id: int | None
    seller_id: int | None
    created_at: datetime
    deleted_at: datetime | None
