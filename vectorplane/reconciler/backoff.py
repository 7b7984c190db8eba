"""Retry delays: exponential, capped, so a flapping server is not hammered."""

from __future__ import annotations

from datetime import timedelta

BASE_SECONDS = 2.0
CAP_SECONDS = 60.0


def retry_delay(attempt: int) -> timedelta:
    """Delay before attempt `attempt + 1`: 2 s, 4 s, 8 s ... at most a minute."""
    return timedelta(seconds=min(CAP_SECONDS, BASE_SECONDS * 2 ** max(0, attempt - 1)))
