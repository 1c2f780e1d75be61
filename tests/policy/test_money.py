"""Prices, commission rates and currencies (policy.money). No database, no HTTP."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shoplink.policy.money import (
    MAX_PRICE_MINOR,
    MAX_RATE_BPS,
    MIN_RATE_BPS,
    amount_to_minor,
    bps_to_rate,
    check_currency,
    currencies_in_circulation,
    minor_to_price,
    price_to_minor,
    rate_to_bps,
)

# --- price_to_minor: the currency's ISO 4217 precision ------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("19.90", "USD", 1990),
        ("19.9", "USD", 1990),
        ("19", "USD", 1900),
        ("0.01", "USD", 1),
        ("0", "USD", 0),
        ("0.00", "USD", 0),
        ("  7.50 ", "USD", 750),
        ("299.00", "CNY", 29900),
        ("1500", "JPY", 1500),
        ("1.234", "KWD", 1234),
        ("0.001", "KWD", 1),
        ("12.5", "KWD", 12500),
        ("10000000000000.00", "USD", MAX_PRICE_MINOR),
        ("1000000000000000", "JPY", MAX_PRICE_MINOR),
        ("1000000000000.000", "KWD", MAX_PRICE_MINOR),
    ],
)
def test_price_to_minor_uses_the_currency_precision(text: str, currency: str, minor: int) -> None:
    assert price_to_minor(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("19.901", "USD"),
        ("0.001", "USD"),
        ("1.5", "JPY"),
        ("100.01", "JPY"),
        ("1.2345", "KWD"),
        ("0.0001", "KWD"),
    ],
)
def test_price_with_too_many_decimals_is_refused(text: str, currency: str) -> None:
    with pytest.raises(ValueError, match="decimal places"):
        price_to_minor(text, currency)


def test_trailing_zeros_beyond_the_precision_are_the_same_amount() -> None:
    assert price_to_minor("19.900", "USD") == 1990
    assert price_to_minor("1500.00", "JPY") == 1500


@pytest.mark.parametrize("text", ["-0.01", "-1", "-19.90"])
def test_negative_price_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="between 0 and 10\\^15"):
        price_to_minor(text, "USD")


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("10000000000000.01", "USD"),
        ("10000000000001", "USD"),
        ("1000000000000001", "JPY"),
        ("1000000000000.001", "KWD"),
        ("1E+20", "USD"),
    ],
)
def test_price_above_ten_to_the_fifteenth_minor_units_is_refused(text: str, currency: str) -> None:
    with pytest.raises(ValueError, match="between 0 and 10\\^15"):
        price_to_minor(text, currency)


@pytest.mark.parametrize(
    "text",
    ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "-inf"],
)
def test_nan_and_infinity_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        price_to_minor(text, "USD")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "19,90",
        "$19.90",
        "19.90 USD",
        "0x10",
        "1_000",  # Python's Decimal takes digit separators; a price does not
        "١٢٣",  # Arabic-Indic digits
        "\uff11\uff12",  # full-width digits
        ".",
        "e5",
        "1e",
        "1..2",
        "--1",
    ],
)
def test_garbage_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="decimal number"):
        price_to_minor(text, "USD")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # Decimal's default context would raise decimal.Overflow (a 500 through the API) ...
        ("1e999999", "between 0 and 10\\^15"),
        ("1e999999999", "between 0 and 10\\^15"),
        # ... round past 28 digits and accept a sub-cent price as 1.00 ...
        ("1.00000000000000000000000000001", "decimal places"),
        # ... or underflow a tiny amount to 0.
        ("1e-999999999", "decimal places"),
    ],
)
def test_extreme_exponents_and_long_fractions_are_refused_as_value_errors(
    text: str, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        price_to_minor(text, "USD")


def test_exponent_notation_is_an_exact_decimal() -> None:
    assert price_to_minor("1e3", "USD") == 100_000
    assert price_to_minor("1e-2", "USD") == 1
    assert price_to_minor("0e999999999", "USD") == 0


# --- minor_to_price ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (1990, "USD", "19.90"),
        (0, "USD", "0.00"),
        (5, "USD", "0.05"),
        (1500, "JPY", "1500"),
        (0, "JPY", "0"),
        (1234, "KWD", "1.234"),
        (5, "KWD", "0.005"),
        (29900, "CNY", "299.00"),
        (MAX_PRICE_MINOR, "USD", "10000000000000.00"),
    ],
)
def test_minor_to_price_writes_every_decimal_place(minor: int, currency: str, text: str) -> None:
    assert minor_to_price(minor, currency) == text


# --- round trips -------------------------------------------------------------------------------

CURRENCIES = st.sampled_from(["USD", "CNY", "EUR", "JPY", "KRW", "KWD", "BHD", "GBP"])
MINOR = st.integers(min_value=0, max_value=MAX_PRICE_MINOR)


@given(minor=MINOR, currency=CURRENCIES)
def test_minor_to_price_to_minor_round_trips(minor: int, currency: str) -> None:
    assert price_to_minor(minor_to_price(minor, currency), currency) == minor


@given(minor=MINOR, currency=CURRENCIES)
def test_written_price_is_a_plain_decimal_of_the_currency_precision(
    minor: int, currency: str
) -> None:
    text = minor_to_price(minor, currency)
    places = {"JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}.get(currency, 2)
    whole, _, fraction = text.partition(".")
    assert whole.isdigit() and whole.isascii()
    assert len(fraction) == places
    assert Decimal(text) == Decimal(minor).scaleb(-places)


@given(
    value=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0).filter(
        lambda d: d <= Decimal(MAX_PRICE_MINOR) / 100
    )
)
def test_any_two_place_decimal_is_a_usd_price(value: Decimal) -> None:
    minor = price_to_minor(str(value), "USD")
    assert Decimal(minor) / 100 == value
    assert Decimal(minor_to_price(minor, "USD")) == value


@given(text=st.text(max_size=12))
def test_any_text_is_a_price_or_a_value_error(text: str) -> None:
    try:
        minor = price_to_minor(text, "USD")
    except ValueError:
        return
    assert 0 <= minor <= MAX_PRICE_MINOR


# --- commission rates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bps"),
    [
        ("0.01", 100),
        ("0.1", 1000),
        ("0.10", 1000),
        ("0.15", 1500),
        ("0.125", 1250),
        ("0.1234", 1234),
        ("0.0100", 100),
        ("0.8", 8000),
        ("0.80", 8000),
        (" 0.2 ", 2000),
    ],
)
def test_rate_to_bps(text: str, bps: int) -> None:
    assert rate_to_bps(text) == bps


@pytest.mark.parametrize("text", ["0", "0.00", "0.0099", "0.005", "0.8001", "0.81", "1", "-0.10"])
def test_rate_outside_one_to_eighty_percent_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape('between "0.01" and "0.80"')):
        rate_to_bps(text)


@pytest.mark.parametrize("text", ["0.12345", "0.010001", "0.01000000000000000000000000001"])
def test_rate_with_more_than_four_decimals_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="4 decimal places"):
        rate_to_bps(text)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "ten percent", "10%", "", "1e999999"])
def test_rate_garbage_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        rate_to_bps(text)


@pytest.mark.parametrize(
    ("bps", "text"),
    [
        (100, "0.01"),
        (1000, "0.10"),
        (8000, "0.80"),
        (1250, "0.125"),
        (1234, "0.1234"),
        (101, "0.0101"),
    ],
)
def test_bps_to_rate(bps: int, text: str) -> None:
    assert bps_to_rate(bps) == text


@given(bps=st.integers(min_value=MIN_RATE_BPS, max_value=MAX_RATE_BPS))
def test_bps_to_rate_to_bps_round_trips(bps: int) -> None:
    text = bps_to_rate(bps)
    assert rate_to_bps(text) == bps
    assert len(text.partition(".")[2]) in (2, 3, 4)


# --- payment amounts ---------------------------------------------------------------------------


def test_amount_to_minor_takes_a_positive_amount() -> None:
    assert amount_to_minor("500.00", "CNY") == 50000
    assert amount_to_minor("0.01", "USD") == 1
    assert amount_to_minor("1", "JPY") == 1


@pytest.mark.parametrize("text", ["0", "0.00", "-0", "-5.00"])
def test_amount_must_be_greater_than_zero(text: str) -> None:
    with pytest.raises(ValueError):
        amount_to_minor(text, "CNY")


def test_amount_refuses_what_a_price_refuses() -> None:
    for text in ("1.001", "NaN", "abc", "1e999999"):
        with pytest.raises(ValueError):
            amount_to_minor(text, "USD")


# --- currencies --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["USD", "CNY", "EUR", "JPY", "KWD", "GBP", "HKD", "SGD", "BHD"])
def test_currencies_in_circulation_are_accepted(code: str) -> None:
    assert check_currency(code) == code


def test_currency_is_trimmed_and_upper_cased() -> None:
    assert check_currency(" usd ") == "USD"
    assert check_currency("cny") == "CNY"


@pytest.mark.parametrize(
    "code",
    [
        "XXX",  # "no currency"
        "DEM",  # Deutsche Mark, withdrawn
        "FRF",
        "HRK",  # replaced by EUR in 2023
        "ABC",  # never existed
        "XAU",  # gold: ISO 4217, but not legal tender
        "",
        "US",
        "USDX",
    ],
)
def test_currencies_not_in_circulation_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        check_currency(code)


def test_circulating_currencies_come_from_cldr() -> None:
    codes = currencies_in_circulation()
    assert {"USD", "CNY", "EUR", "JPY", "KWD"} <= codes
    assert not {"XXX", "DEM", "ABC"} & codes
    assert all(len(code) == 3 and code.isupper() for code in codes)
    assert len(codes) > 100
