from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shoplink.kit.types import Secret, Text
from shoplink.policy.names import clean_name


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Annotated[Text, Field(min_length=1, max_length=64)]
    password: Secret


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9._-]{2,64}$")
    password: Annotated[Secret, Field(min_length=8)]
    display_name: str
    is_reviewer: bool = False
    is_admin: bool = False

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str) -> str:
        return clean_name(value)

    @field_validator("username")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    is_reviewer: bool
    is_admin: bool
