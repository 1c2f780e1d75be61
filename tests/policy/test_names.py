"""Display names, usernames and phone masking (SPEC §2, §3 "Names")."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shoplink.policy.names import (
    MAX_NAME_LENGTH,
    USERNAME_RE,
    clean_name,
    clean_username,
    mask_phone,
)

CONTROL_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
# The API's phone pattern (links/schemas.py, accounts/schemas.py).
PHONE_RE = r"\+?[0-9 ()-]{4,20}"

# --- clean_name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Acme Store  ", "Acme Store"),
        ("\tAcme\n", "Acme"),
        ("\u3000Acme\u3000", "Acme"),  # ideographic space
        ("Acme  Outlet", "Acme  Outlet"),  # inner spaces are kept
    ],
)
def test_clean_name_trims_surrounding_whitespace(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    "char",
    [
        "\x00",  # NUL
        "\n",
        "\r",
        "\t",
        "\x1b",  # ESC
        "\x7f",  # DEL
        "\x85",  # NEL (C1)
        "\u2028",  # line separator
        "\u2029",  # paragraph separator
        "\u200b",  # zero-width space (format)
        "\u200d",  # zero-width joiner (format)
        "\u202e",  # right-to-left override (format)
        "\ufeff",  # byte-order mark (format)
    ],
)
def test_clean_name_refuses_control_characters(char: str) -> None:
    with pytest.raises(ValueError, match="control characters"):
        clean_name(f"Acme{char}Store")


@pytest.mark.parametrize("raw", ["", " ", "   ", "\t\n", "\u3000"])
def test_clean_name_refuses_an_empty_name(raw: str) -> None:
    with pytest.raises(ValueError, match="1-30"):
        clean_name(raw)


def test_clean_name_accepts_30_characters() -> None:
    assert clean_name("a" * 30) == "a" * 30


def test_clean_name_refuses_31_characters() -> None:
    with pytest.raises(ValueError, match="1-30"):
        clean_name("a" * 31)


def test_clean_name_counts_length_after_trimming() -> None:
    assert clean_name("  " + "a" * 30 + "  ") == "a" * 30


@pytest.mark.parametrize("name", ["抖音小店", "李宁官方旗舰店", "小店 Shop 1号", "店" * 30])
def test_clean_name_accepts_chinese_names(name: str) -> None:
    assert clean_name(name) == name


def test_clean_name_refuses_31_chinese_characters() -> None:
    with pytest.raises(ValueError):
        clean_name("店" * 31)


def test_clean_name_accepts_emoji_and_accents() -> None:
    assert clean_name("Café 🛍️") == "Café 🛍️"


@given(st.text(max_size=40))
def test_clean_name_returns_a_trimmed_1_to_30_character_name_or_refuses(raw: str) -> None:
    try:
        name = clean_name(raw)
    except ValueError:
        return
    assert name == raw.strip()
    assert 1 <= len(name) <= MAX_NAME_LENGTH
    assert not any(unicodedata.category(ch) in CONTROL_CATEGORIES for ch in name)


@given(
    st.text(
        alphabet=st.characters(exclude_categories=("Cc", "Cf", "Zl", "Zp", "Zs", "Cs")),
        min_size=1,
        max_size=30,
    )
)
def test_clean_name_accepts_every_printable_name_of_1_to_30_characters(name: str) -> None:
    assume(name == name.strip())
    assert clean_name(name) == name


# --- clean_username -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Alice", "alice"),
        ("ACME.Store_01", "acme.store_01"),
        ("  bob  ", "bob"),
        ("ab", "ab"),
        ("a" * 24, "a" * 24),
        ("._", "._"),
    ],
)
def test_clean_username_lowercases_and_accepts_the_allowed_alphabet(raw: str, clean: str) -> None:
    assert clean_username(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "a",  # too short
        "a" * 25,  # too long
        "acme-store",
        "acme store",
        "acme@store",
        "émile",
        "用户名",
        "acme\nstore",
        "ab\x00",
    ],
)
def test_clean_username_refuses_anything_outside_the_pattern(raw: str) -> None:
    with pytest.raises(ValueError):
        clean_username(raw)


@given(st.text(max_size=30))
def test_clean_username_only_ever_returns_a_valid_username(raw: str) -> None:
    try:
        username = clean_username(raw)
    except ValueError:
        return
    assert re.fullmatch(r"[a-z0-9._]{2,24}", username)
    assert USERNAME_RE.match(username)


@given(st.from_regex(r"[A-Za-z0-9._]{2,24}", fullmatch=True))
def test_clean_username_accepts_every_pattern_username_in_any_case(raw: str) -> None:
    assert clean_username(raw) == raw.lower()


# --- mask_phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+14155550123", "+14*****0123"),
        ("13812345678", "138****5678"),
        ("12345678", "123*5678"),
        ("1234567", "*****67"),
        ("12345", "***45"),
        ("1234", "****"),
        ("12", "**"),
        (" 13812345678 ", "138****5678"),
    ],
)
def test_mask_phone_hides_the_middle_of_the_number(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("phone", [None, ""])
def test_mask_phone_of_no_phone_is_none(phone: str | None) -> None:
    assert mask_phone(phone) is None


@given(st.from_regex(PHONE_RE, fullmatch=True))
def test_mask_phone_keeps_the_length_and_always_hides_something(phone: str) -> None:
    number = phone.strip()
    assume(number)
    masked = mask_phone(phone)
    assert masked is not None
    assert len(masked) == len(number)
    assert "*" in masked
    for shown, original in zip(masked, number, strict=True):
        assert shown in ("*", original)
    if len(number) >= 8:
        assert masked[:3] == number[:3]
        assert masked[-4:] == number[-4:]
