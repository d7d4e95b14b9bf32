"""Rate limits: per-route buckets and the global limit (fixed windows that open at the first
request after the previous one closed), plus the invalid-request counter that ends in a
Cloudflare ban.

What discord.py reads is the ``X-RateLimit-*`` headers on every response and, on a 429, a
``Via`` header plus a JSON body ``{message, retry_after, global}``.
"""

from __future__ import annotations

import hashlib
import math
from collections import deque
from dataclasses import dataclass

from .snowflakes import Clock


@dataclass(frozen=True)
class Limit:
    """``limit`` requests per ``period`` seconds."""

    limit: int
    period: float


@dataclass
class RateLimitConfig:
    """Knobs for the limiter. ``enabled=False`` still sends headers but never limits."""

    enabled: bool = True
    #: Requests per ``global_period`` seconds across all routes except interaction endpoints.
    global_limit: int = 50
    global_period: float = 1.0
    #: ``POST /channels/{id}/messages`` per channel.
    channel_messages: Limit | None = Limit(5, 5.0)
    #: Every other route (per route and major parameter).
    default_route: Limit | None = Limit(50, 1.0)
    #: Interaction callbacks and followups (per interaction token).
    interaction_webhook: Limit | None = Limit(50, 1.0)
    #: 401/403/429 answers allowed per ``invalid_window`` before a Cloudflare-style ban.
    invalid_limit: int = 10_000
    invalid_window: float = 600.0
    ban_duration: float = 3600.0


@dataclass(frozen=True)
class BucketState:
    bucket: str
    limit: int
    remaining: int
    reset_after: float
    reset_at: float

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Bucket": self.bucket,
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": f"{self.reset_at:.3f}",
            "X-RateLimit-Reset-After": f"{self.reset_after:.3f}",
        }


@dataclass(frozen=True)
class Decision:
    """The limiter's verdict on one request."""

    allowed: bool
    state: BucketState
    #: Set when refused: seconds to wait, and whether the global limit refused it.
    retry_after: float = 0.0
    is_global: bool = False


def bucket_hash(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:32]


class _Window:
    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.count = 0
        self.reset_at = 0.0

    def roll(self, now: float) -> None:
        if now >= self.reset_at:
            self.count = 0
            self.reset_at = now + self.limit.period


class RateLimiter:
    def __init__(self, config: RateLimitConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}
        self._global = _Window(Limit(config.global_limit, config.global_period))
        self._invalid: deque[float] = deque()
        self.banned_until = 0.0

    def reset(self) -> None:
        self._windows.clear()
        self._global = _Window(Limit(self.config.global_limit, self.config.global_period))
        self._invalid.clear()
        self.banned_until = 0.0

    # -- route buckets -------------------------------------------------------------------------

    def limit_for(self, bucket: str) -> Limit:
        cfg = self.config
        chosen: Limit | None
        if bucket == "channel_messages":
            chosen = cfg.channel_messages
        elif bucket == "interaction_webhook":
            chosen = cfg.interaction_webhook
        else:
            chosen = cfg.default_route
        if chosen is None or not cfg.enabled:
            return Limit(10_000, 1.0)
        return chosen

    def _window(self, bucket: str, major: str) -> _Window:
        key = (bucket, major)
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = _Window(self.limit_for(bucket))
        else:
            window.limit = self.limit_for(bucket)  # follow config changes made mid-test
        return window

    def _state(self, bucket: str, window: _Window, now: float) -> BucketState:
        reset_after = max(window.reset_at - now, 0.0)
        return BucketState(
            bucket=bucket_hash(bucket),
            limit=window.limit.limit,
            remaining=max(window.limit.limit - window.count, 0),
            reset_after=reset_after,
            reset_at=now + reset_after,
        )

    def peek(self, bucket: str, major: str) -> BucketState:
        now = self.clock()
        window = self._window(bucket, major)
        window.roll(now)
        return self._state(bucket, window, now)

    def check(self, bucket: str, major: str, *, global_limited: bool) -> Decision:
        """Count one request against the global limit (if it applies) and its bucket."""
        now = self.clock()
        window = self._window(bucket, major)
        window.roll(now)
        if global_limited and self.config.enabled:
            glob = self._global
            glob.limit = Limit(self.config.global_limit, self.config.global_period)
            glob.roll(now)
            if glob.count >= glob.limit.limit:
                return Decision(
                    False,
                    self._state(bucket, window, now),
                    retry_after=max(glob.reset_at - now, 0.001),
                    is_global=True,
                )
        if window.count >= window.limit.limit:
            return Decision(
                False,
                self._state(bucket, window, now),
                retry_after=max(window.reset_at - now, 0.001),
            )
        window.count += 1
        if global_limited:
            self._global.count += 1
        return Decision(True, self._state(bucket, window, now))

    # -- invalid requests and the ban ----------------------------------------------------------

    def is_banned(self) -> bool:
        return self.clock() < self.banned_until

    def note_status(self, status: int, *, shared_scope: bool = False) -> None:
        if status not in (401, 403, 429) or shared_scope:
            return
        now = self.clock()
        window = self.config.invalid_window
        while self._invalid and self._invalid[0] <= now - window:
            self._invalid.popleft()
        self._invalid.append(now)
        if len(self._invalid) >= self.config.invalid_limit and self.config.enabled:
            self.banned_until = now + self.config.ban_duration

    @property
    def invalid_count(self) -> int:
        return len(self._invalid)


def too_many_requests_headers(decision: Decision) -> dict[str, str]:
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, math.ceil(decision.retry_after))),
        "X-RateLimit-Scope": "global" if decision.is_global else "user",
    }
    if decision.is_global:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers.update(decision.state.headers())
        headers["X-RateLimit-Remaining"] = "0"
    return headers
