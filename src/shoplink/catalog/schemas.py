from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from shoplink.kit.types import MultilineText, bounded_text, no_control_chars
from shoplink.policy import money

MAX_STOCK = 10**12


Sku = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._\-]{1,64}$")]
Title = Annotated[str, bounded_text(1, 200), AfterValidator(no_control_chars)]
Description = Annotated[MultilineText, StringConstraints(max_length=5000)]
Currency = Annotated[str, StringConstraints(max_length=8), AfterValidator(money.check_currency)]
DecimalText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


def _not_bool(value: Any) -> Any:
    # Lax int validation would store JSON `true` as a stock of 1.
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


Stock = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=MAX_STOCK)]
Rate = Annotated[str, StringConstraints(strip_whitespace=True, max_length=16)]


@dataclass(frozen=True, slots=True)
class Money:
    price_minor: int
    commission_bps: int | None


def _money(price: str, currency: str, rate: str | None) -> Money:
    try:
        minor = money.price_to_minor(price, currency)
    except ValueError as exc:
        raise ValueError(f"price: {exc}") from exc
    try:
        bps = money.rate_to_bps(rate) if rate not in (None, "") else None
    except ValueError as exc:
        raise ValueError(f"affiliate_commission_rate: {exc}") from exc
    return Money(minor, bps)


class ProductIn(BaseModel):
    """A whole product: POST, and each line of an import (upsert by sku)."""

    model_config = ConfigDict(extra="forbid")
    sku: Sku
    title: Title
    description: Description = ""
    price: DecimalText
    currency: Currency
    stock: Stock
    status: Literal["active", "draft", "archived"] = "active"
    affiliate_commission_rate: Rate | None = None
    _money: Money = PrivateAttr()

    @model_validator(mode="after")
    def _check_money(self) -> ProductIn:
        try:
            self._money = _money(self.price, self.currency, self.affiliate_commission_rate)
        except ValueError as exc:
            # Located at the field ("body.price"), as PATCH reports it, not at the whole body.
            field, _, message = str(exc).partition(": ")
            error = PydanticCustomError("value_error", "{message}", {"message": message})
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [InitErrorDetails(type=error, loc=(field,), input=getattr(self, field))],
            ) from exc
        return self

    @property
    def money(self) -> Money:
        return self._money


class ProductCreate(ProductIn):
    status: Literal["active", "draft"] = "active"


class ProductPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: Sku | None = None
    title: Title | None = None
    description: Description | None = None
    price: DecimalText | None = None
    currency: Currency | None = None
    stock: Stock | None = None
    status: Literal["active", "draft", "archived"] | None = None
    # null closes the product to affiliates; leaving the field out keeps the rate.
    affiliate_commission_rate: Rate | None = None

    def money_for(self, *, price: str, currency: str, rate: str | None) -> Money:
        return _money(self.price or price, self.currency or currency, rate)


class ProductOut(BaseModel):
    id: int
    shop_id: int
    sku: str
    title: str
    description: str
    price: str
    currency: str
    stock: int
    status: str
    affiliate_commission_rate: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: Any) -> ProductOut:
        return cls(
            id=product.id,
            shop_id=product.shop_id,
            sku=product.sku,
            title=product.title,
            description=product.description,
            price=money.minor_to_price(product.price_minor, product.currency),
            currency=product.currency,
            stock=product.stock,
            status=product.status,
            affiliate_commission_rate=(
                money.bps_to_rate(product.commission_bps)
                if product.commission_bps is not None
                else None
            ),
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


class ProductPage(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None


class ImportError_(BaseModel):
    line: int
    code: str
    message: str


class ImportResult(BaseModel):
    created: int
    updated: int
    errors: list[ImportError_]
    error_count: int = Field(description="All failed lines; `errors` lists the first 1,000.")
    lines: int
