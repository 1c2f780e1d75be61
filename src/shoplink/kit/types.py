"""Input types that keep every value inside what both databases can store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, Field, StringConstraints

from shoplink.policy.names import clean_name, clean_username

MAX_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL


def _utf8(value: str) -> str:
    # JSON may carry lone surrogates; no database or hash function accepts them.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


def _no_control_chars(value: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("must not contain control characters")
    return _utf8(value)


def _no_control_chars_but_line_breaks(value: str) -> str:
    if any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in value):
        raise ValueError("must not contain control characters other than newlines and tabs")
    return _utf8(value)


IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_no_control_chars)]
MultilineText = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_no_control_chars_but_line_breaks)
]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=256), AfterValidator(_utf8)]
Name = Annotated[str, AfterValidator(clean_name)]
Username = Annotated[str, AfterValidator(clean_username)]
Region = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]
