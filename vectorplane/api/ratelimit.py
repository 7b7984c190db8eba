"""Per-token rate limits with DigitalOcean's headers, counted by the `limits` library.

Two moving windows apply at once (per hour and per minute). The headers describe the hourly
one, as DigitalOcean's do: its limit, what remains of it, and when its oldest request expires.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerHour, RateLimitItemPerMinute, storage
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]
    retry_after: int


class RateLimits:
    def __init__(self, per_hour: int, per_minute: int, storage_url: str) -> None:
        self._hour = RateLimitItemPerHour(per_hour)
        self._minute = RateLimitItemPerMinute(per_minute)
        self._limiter = MovingWindowRateLimiter(storage.storage_from_string(storage_url))

    def hit(self, key: str) -> Verdict:
        """Count one request against `key`, unless a window is already full."""
        allowed = self._limiter.test(self._minute, key) and self._limiter.test(self._hour, key)
        if allowed:
            self._limiter.hit(self._minute, key)
            self._limiter.hit(self._hour, key)
        hour = self._limiter.get_window_stats(self._hour, key)
        minute = self._limiter.get_window_stats(self._minute, key)
        headers = {
            "ratelimit-limit": str(self._hour.amount),
            "ratelimit-remaining": str(max(0, hour.remaining)),
            "ratelimit-reset": str(math.ceil(hour.reset_time)),
        }
        waits = [minute.reset_time] if minute.remaining == 0 else []
        if hour.remaining == 0:
            waits.append(hour.reset_time)
        retry_after = max(1, math.ceil(max(waits) - time.time())) if waits else 0
        return Verdict(allowed=allowed, headers=headers, retry_after=retry_after)
