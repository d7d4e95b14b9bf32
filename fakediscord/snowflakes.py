"""Discord-shaped ids (snowflakes) and timestamps, from an injectable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from .constants import (
    DISCORD_EPOCH_MS,
)

Clock = Callable[[], float]
"""Seconds since the Unix epoch (``time.time`` by default); inject a fake one in tests."""


def iso_timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


class SnowflakeGenerator:
    """Discord-shaped ids: milliseconds since 2015 in the high bits, strictly increasing."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0

    def __call__(self) -> int:
        ms = int(self._clock() * 1000) - DISCORD_EPOCH_MS
        candidate = max(ms, 0) << 22
        self._last = max(self._last + 1, candidate)
        return self._last

    def on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next id whose guild belongs to shard ``shard_id`` of ``shard_count`` (Discord's
        rule: ``(id >> 22) % shard_count``), still strictly increasing."""
        stamp = (self() >> 22) + (shard_id - (self._last >> 22)) % shard_count
        self._last = max(self._last, stamp << 22)
        return self._last
