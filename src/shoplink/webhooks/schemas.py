from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shoplink.kit.types import Id, Text

EventType = Annotated[str, Field(pattern=r"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$", max_length=64)]


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Annotated[Text, Field(min_length=1, max_length=2000)]
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=50)]
    shop_id: Id | None = None


class EndpointOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    shop_id: int | None
    status: str
    consecutive_failures: int
    disabled_reason: str | None
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str


class EndpointPage(BaseModel):
    items: list[EndpointOut]
    next_cursor: str | None


class SecretOut(BaseModel):
    secret: str
    previous_secret_valid_until: datetime | None


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


class DeliveryOut(BaseModel):
    id: int
    event_id: int
    message_id: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    delivered_at: datetime | None
    attempt_log: list[AttemptOut]


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None
