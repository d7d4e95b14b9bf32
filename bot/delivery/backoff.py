"""Exponential backoff shared by the announcer and the alert worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Backoff"]


@dataclass(frozen=True, slots=True)
class Backoff:
    """``base * 2 ** (attempt - 1)``, capped, never sooner than the server's ``retry_after``.

    No jitter: retries are spread by the outbox order and the rate limiter already, and a
    deterministic schedule is what the tests (and an operator reading ``next_attempt_at``)
    can check.
    """

    base: dt.timedelta = dt.timedelta(seconds=10)
    cap: dt.timedelta = dt.timedelta(hours=1)

    def delay(self, attempt: int, retry_after: float | None = None) -> dt.timedelta:
        exponent = max(0, min(attempt - 1, 30))
        delay = min(self.cap, self.base * (1 << exponent))
        if retry_after is not None and retry_after > 0:
            delay = max(delay, dt.timedelta(seconds=retry_after))
        return delay
