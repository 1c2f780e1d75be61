from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shoplink.policy.names import clean_name


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9._-]{2,64}$")
    password: str = Field(min_length=8, max_length=256)
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
