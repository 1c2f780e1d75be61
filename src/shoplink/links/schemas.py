from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shoplink.kit.types import Name, Text, Username
from shoplink.policy.rules import Violation


class LinkExisting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["link_existing"]
    username: Username


class CreateOrganization(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["create_organization"]
    username: Username
    nickname: Name | None = None
    avatar_url: Annotated[Text, Field(max_length=500)] | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{4,20}$")] | None = None


OfficialRequest = Annotated[LinkExisting | CreateOrganization, Field(discriminator="method")]


class MarketingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Username


class AuthorizeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accept_terms: bool = False


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[Text, Field(min_length=1, max_length=500)]


class LinkOut(BaseModel):
    id: int
    shop_id: int
    account_id: int
    role: str
    status: str
    method: str
    requested_at: datetime
    expires_at: datetime | None
    authorized_at: datetime | None
    reviewed_at: datetime | None
    bound_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None = None
    review_reason: str | None = None


class LinkPage(BaseModel):
    items: list[LinkOut]
    next_cursor: str | None


class AccountCard(BaseModel):
    id: int
    username: str
    nickname: str
    avatar_url: str | None
    phone_masked: str | None
    kind: str


class OfficialAccountOut(BaseModel):
    link_id: int
    status: str
    bound_at: datetime | None
    account: AccountCard


class LinkedAccount(BaseModel):
    link: LinkOut
    account: AccountCard


class UsedMax(BaseModel):
    used: int
    max: int


class NameChangeLimits(BaseModel):
    used: int
    max: int | None
    window_days: int


class Limits(BaseModel):
    marketing: UsedMax
    official_unbinds: UsedMax
    next_unbind_at: datetime | None
    name_changes: NameChangeLimits


class LinkedAccountsOut(BaseModel):
    official: LinkedAccount | None
    marketing: list[LinkedAccount]
    pending: list[LinkedAccount]
    limits: Limits


class Reason(BaseModel):
    code: str
    message: str
    next_action: str

    @classmethod
    def of(cls, violation: Violation) -> Reason:
        return cls(
            code=violation.code, message=violation.message, next_action=violation.next_action
        )


class EligibilityOut(BaseModel):
    eligible: bool
    role: str
    username: str
    reasons: list[Reason]


class ReviewItem(BaseModel):
    link: LinkOut
    account: AccountCard
    shop_name: str
    checks: list[Reason]


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    next_cursor: str | None
