"""The one source of "now".

Production uses the wall clock. With `--test-clock` an offset is added; it lives in the
database (table `clock_state`) so that every server process sees the same time, and is
refreshed at the start of each request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, *, offset_seconds: float = 0.0) -> None:
        self.offset = timedelta(seconds=offset_seconds)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def set_offset(self, seconds: float) -> None:
        self.offset = timedelta(seconds=seconds)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wall_now() -> datetime:
    """Real time, for transport only: a webhook-timestamp must match the receiver's clock,
    never the test clock."""
    return datetime.now(UTC)
