"""Opaque keyset cursors: `?limit=&cursor=` → `next_cursor`."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Query
from pydantic import BaseModel

from shoplink.errors import ValidationFailed
from shoplink.kit.types import MAX_ID

T = TypeVar("T")
MAX_LIMIT = 200


class PageParams(BaseModel):
    limit: int
    after_id: int | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id":
            raise ValueError(prefix)
        last_id = int(value)
        if not 0 <= last_id <= MAX_ID:  # a bigger id would overflow the INTEGER bind: a 500
            raise ValueError(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "Invalid cursor", errors=[{"field": "query.cursor", "message": "unknown cursor"}]
        ) from exc
    return last_id


def encode_ranked_cursor(score: float, last_id: int) -> str:
    """For lists ordered by a relevance score, then id."""
    return base64.urlsafe_b64encode(f"rank:{score!r}:{last_id}".encode()).decode().rstrip("=")


def decode_ranked_cursor(cursor: str) -> tuple[float, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, score_text, id_text = raw.split(":", 2)
        score, last_id = float(score_text), int(id_text)
        if prefix != "rank" or not math.isfinite(score) or not 0 <= last_id <= MAX_ID:
            raise ValueError(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "Invalid cursor", errors=[{"field": "query.cursor", "message": "unknown cursor"}]
        ) from exc
    return score, last_id


def page_params(
    limit: int = Query(50, ge=1, le=MAX_LIMIT), cursor: str | None = Query(None, max_length=200)
) -> PageParams:
    return PageParams(limit=limit, after_id=decode_cursor(cursor) if cursor else None)


def split_page(rows: Sequence[T], params: PageParams, id_of: Any) -> tuple[list[T], str | None]:
    """Rows were fetched with limit+1; the extra one only proves there is a next page."""
    items = list(rows[: params.limit])
    next_cursor = encode_cursor(id_of(items[-1])) if len(rows) > params.limit else None
    return items, next_cursor
