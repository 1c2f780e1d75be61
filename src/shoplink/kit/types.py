"""Input types that keep every value inside what both databases can store."""

from __future__ import annotations

import re
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


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_chars(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return _utf8(value)


def _no_control_chars_but_line_breaks(value: str) -> str:
    if _CONTROL_BUT_LINE_BREAKS.search(value):
        raise ValueError("must not contain control characters other than line breaks and tabs")
    return _utf8(value)


IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(no_control_chars)]


def bounded_text(min_length: int, max_length: int) -> object:
    """Text with its length checked after trimming (for Annotated[str, bounded_text(1, 200)])."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


MultilineText = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_no_control_chars_but_line_breaks)
]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=256), AfterValidator(_utf8)]
Name = Annotated[str, AfterValidator(clean_name)]
Username = Annotated[str, AfterValidator(clean_username)]
Region = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]
