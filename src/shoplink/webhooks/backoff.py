"""Retry schedule: Standard Webhooks' suggested steps, with ±20 % jitter, about 3 days in all."""

from __future__ import annotations

import random
from datetime import timedelta

# Delay before attempt n+1 after attempt n failed (attempt 1 is immediate).
SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=20),
)
MAX_ATTEMPTS = len(SCHEDULE) + 1
# After this many failed attempts in a row an endpoint is marked failing (still retried).
FAILING_AFTER = 5


def next_delay(attempts_made: int, *, rng: random.Random | None = None) -> timedelta | None:
    """None when the delivery has used every attempt."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    base = SCHEDULE[attempts_made - 1]
    return base * (rng or random).uniform(0.8, 1.2)
