from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shoplink.catalog.schemas import DecimalText
from shoplink.kit.types import Id


class DepositIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: DecimalText


class DepositOut(BaseModel):
    shop_id: int | None
    account_id: int | None
    required: bool
    amount_required: str
    amount_paid: str
    currency: str
    settled: bool


class MigrateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target_shop_id: Id


class MigrationOut(BaseModel):
    source_shop_id: int
    target_shop_id: int
    copied: int
    skipped: int
    skipped_skus: list[str]
