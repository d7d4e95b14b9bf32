"""A token bucket for outgoing DMs, with an injectable clock and sleep (tests run instantly).

Discord allows 50 requests per second per bot overall, and opening a DM channel costs a
request too; the default 40/s keeps a margin for everything else the bot does.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

__all__ = ["ChannelPacer", "RateLimiter"]


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


class ChannelPacer:
    """At most ``limit`` posts per ``window`` seconds in any one channel (Discord: about 5 per
    5 s), waited out *before* a request takes a token of the global budget: otherwise the
    token is spent while discord.py sleeps on the channel's bucket, and the request leaves
    seconds later on top of the ones paced after it."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 5.1,  # Discord's 5 s plus a margin for the trip there
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[int, deque[float]] = {}
        self._posts = 0

    async def wait(self, channel_id: int) -> None:
        sent = self._sent.setdefault(channel_id, deque(maxlen=self.limit))
        if len(sent) == self.limit:
            delay = sent[0] + self.window - self._clock()
            if delay > 0:
                await self._sleep(delay)
        sent.append(self._clock())
        self._posts += 1
        if self._posts % 1024 == 0:  # forget channels that have been quiet for a window
            horizon = self._clock() - self.window
            for key in [key for key, times in self._sent.items() if times[-1] < horizon]:
                del self._sent[key]
