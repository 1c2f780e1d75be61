"""Display-name rules shared by shops and accounts."""

from __future__ import annotations

import re
import unicodedata

USERNAME_RE = re.compile(r"^[a-z0-9._]{2,24}$")
MAX_NAME_LENGTH = 30


def clean_name(value: str) -> str:
    """Trim; refuse control characters and lengths outside 1-30 (raises ValueError)."""
    name = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in name):
        raise ValueError("must not contain control characters or lone surrogates")
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise ValueError(f"must be 1-{MAX_NAME_LENGTH} characters after trimming")
    return name


def clean_username(value: str) -> str:
    username = value.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValueError("must be 2-24 characters of a-z, 0-9, '.' and '_'")
    return username


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    # Long numbers keep 3 leading and 4 trailing characters; short ones only the last 2, so the
    # visible parts never overlap and at least one digit is always hidden.
    head, tail = (3, 4) if len(digits) >= 8 else (0, 2)
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]
