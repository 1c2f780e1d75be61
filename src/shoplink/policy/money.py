"""Prices and commission rates: decimal strings outside, exact integers inside.

A price is stored in the currency's minor units (cents, fen; none for JPY), so both databases
hold it exactly; a commission rate is stored in basis points. ISO 4217 precision and the list
of currencies in circulation come from CLDR (via Babel), not from a hand-kept table.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.core import get_global
from babel.numbers import get_currency_precision

MAX_PRICE_MINOR = 10**15  # far above any real price, far below BIGINT
MIN_RATE_BPS, MAX_RATE_BPS = 100, 8000  # "0.01".."0.80"
BPS = Decimal(10_000)
# ASCII digits only: Decimal() alone would also take "1_000", "١٢٣", "NaN" and "Infinity".
_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BEYOND = 10**19  # stands for any value past every bound checked here


@cache
def currencies_in_circulation() -> frozenset[str]:
    codes = set()
    for rows in get_global("territory_currencies").values():
        for code, _start, end, tender in rows:
            if end is None and tender:
                codes.add(code)
    return frozenset(codes)


@cache
def precision(currency: str) -> int:
    return int(get_currency_precision(currency))


def check_currency(code: str) -> str:
    code = code.strip().upper()
    if code not in currencies_in_circulation():
        raise ValueError("must be an ISO 4217 currency in circulation, e.g. USD or CNY")
    return code


def _decimal(text: str) -> Decimal:
    text = text.strip()
    if not _DECIMAL_TEXT.fullmatch(text):
        raise ValueError('must be a decimal number written as a string, e.g. "19.90"')
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError('must be a decimal number written as a string, e.g. "19.90"') from exc
    if not value.is_finite():
        raise ValueError("must be a finite number")
    return value


def _shift(value: Decimal, places: int) -> int | None:
    """value × 10^places exactly, or None if that has a fraction. Integer arithmetic on the
    digits: Decimal's context would round past 28 digits ("1.000…0001" → 100), underflow
    ("1e-999999999" → 0) or raise Overflow ("1e999999"). Magnitudes past 10^19 come back as
    ±_BEYOND, which every range check refuses."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    written = "".join(map(str, digits)).lstrip("0")
    significant = written.rstrip("0")
    if not significant:
        return 0
    exponent += places + len(written) - len(significant)
    if exponent < 0:
        return None
    if len(significant) + exponent > 19:
        return -_BEYOND if sign else _BEYOND
    magnitude = int(significant + "0" * exponent)
    return -magnitude if sign else magnitude


def price_to_minor(text: str, currency: str) -> int:
    value = _decimal(text)
    places = precision(currency)
    minor = _shift(value, places)
    if minor is None:
        raise ValueError(f"{currency} prices have at most {places} decimal places")
    if not 0 <= minor <= MAX_PRICE_MINOR:
        raise ValueError("must be between 0 and 10^15 minor units")
    return minor


def minor_to_price(minor: int, currency: str) -> str:
    places = precision(currency)
    return str(Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def rate_to_bps(text: str) -> int:
    bps = _shift(_decimal(text), 4)
    if bps is None:
        raise ValueError("at most 4 decimal places")
    if not MIN_RATE_BPS <= bps <= MAX_RATE_BPS:
        raise ValueError('must be between "0.01" and "0.80"')
    return bps


def bps_to_rate(bps: int) -> str:
    return str(
        (Decimal(bps) / BPS).quantize(Decimal("0.01")) if bps % 100 == 0 else Decimal(bps) / BPS
    )


def amount_to_minor(text: str, currency: str) -> int:
    """A payment amount: like a price, but it must be positive."""
    minor = price_to_minor(text, currency)
    if minor == 0:
        raise ValueError("must be greater than zero")
    return minor
