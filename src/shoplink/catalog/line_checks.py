"""One line of a product import, checked: the columns to write, or what is wrong with it.

Pure: no database, no I/O. ProductIn (catalog/schemas.py) is the contract; plain code takes
the well-kept lines first because a Pydantic model per line costs more than the rest of an
import together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from shoplink.catalog.schemas import MAX_STOCK, ProductIn
from shoplink.policy import money


@dataclass(frozen=True, slots=True)
class LineFault:
    code: str
    message: str


Row = tuple[Any, ...]
_FIELDS = frozenset(ProductIn.model_fields)
_STATUSES = frozenset({"active", "draft", "archived"})
_SKU = re.compile(r"[A-Za-z0-9._\-]{1,64}")
_DIGITS = re.compile(r"[0-9]{1,13}")
# Control characters, and the lone surrogates that stand for bytes that were not UTF-8.
_TITLE_REFUSED = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_TEXT_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@lru_cache(maxsize=256)
def _currency(code: str) -> str | None:
    try:
        return money.check_currency(code)
    except ValueError:
        return None


# Prices and rates repeat across a catalog (19.99, 0.10); parsing them exactly is the dearest
# check of a line.
@lru_cache(maxsize=8192)
def _price_minor(price: str, currency: str) -> int | None:
    try:
        return money.price_to_minor(price, currency)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def _rate_bps(rate: str) -> int | None:
    try:
        return money.rate_to_bps(rate)
    except ValueError:
        return None


def _trimmed(value: object, max_length: int) -> bool:
    """A string that ProductIn's whitespace stripping would leave as it is."""
    return type(value) is str and len(value) <= max_length and value.strip() == value


def plain_line(record: dict[str, Any]) -> Row | None:
    """The line of a well-kept file, checked by plain code: ProductIn costs more than the rest
    of an import line. None for anything unusual (padding, a JSON type, a bad value): then
    ProductIn decides and words the error. So this accepts a subset of what ProductIn accepts,
    and reads it as ProductIn does (tests/catalog/test_import.py checks both)."""
    if not record.keys() <= _FIELDS:
        return None
    sku, title, price = record.get("sku"), record.get("title"), record.get("price")
    currency, stock = record.get("currency"), record.get("stock")
    description = record.get("description", "")
    status = record.get("status", "active")
    rate = record.get("affiliate_commission_rate")
    if not (
        type(sku) is str
        and _SKU.fullmatch(sku)
        and _trimmed(title, 200)
        and title
        and not _TITLE_REFUSED.search(title)
        and _trimmed(description, 5000)
        and not _TEXT_REFUSED.search(description)
        and _trimmed(price, 32)
        and price
        and type(currency) is str
        and len(currency) <= 8
        and type(status) is str
        and status in _STATUSES
        and (rate is None or _trimmed(rate, 16))
    ):
        return None
    if type(stock) is str and _DIGITS.fullmatch(stock):
        stock = int(stock)
    if type(stock) is not int or not 0 <= stock <= MAX_STOCK:
        return None
    code = _currency(currency)
    minor = _price_minor(price, code) if code is not None else None
    bps = _rate_bps(rate) if rate else None
    if minor is None or (rate and bps is None):
        return None
    return (sku, title, description, minor, code, stock, status, bps)


def check_line(record: dict[str, Any] | LineFault) -> Row | LineFault:
    """The line's columns but its search terms, or what is wrong with it."""
    if isinstance(record, LineFault):
        return record
    row = plain_line(record)
    if row is not None:
        return row
    try:
        product = ProductIn.model_validate(record)
    except ValidationError as exc:
        message = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'line'}: {err['msg']}"
            for err in exc.errors(include_url=False)
        )
        return LineFault("VALIDATION_ERROR", message)
    return row_of(product)


def row_of(product: ProductIn) -> Row:
    """The columns the import writes, in repository.upsert_lines' order."""
    return (
        product.sku,
        product.title,
        product.description,
        product.money.price_minor,
        product.currency,
        product.stock,
        product.status,
        product.money.commission_bps,
    )
