"""A token bucket for outgoing DMs, with an injectable clock and sleep (tests run instantly).

Discord allows 50 requests per second per bot overall, and opening a DM channel costs a
request too; the default 40/s keeps a margin for everything else the bot does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """``rate`` tokens per second, bursts up to ``burst``; ``acquire`` waits for a token."""

    def __init__(
        self,
        rate: float = 40.0,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.burst
        self._updated = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        async with self._lock:  # first come, first served
            self._refill()
            if self._tokens < 1:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
                # the wait earned the token; a loop here could spin on float rounding
                self._tokens = max(self._tokens, 1.0)
            self._tokens -= 1
