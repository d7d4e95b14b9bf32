"""The per-channel pacer and the shard rule: pure arithmetic, instant clocks."""

from __future__ import annotations

import pytest

from bot.delivery.ratelimit import ChannelPacer
from bot.runtime.sharding import Shards, shard_of


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_five_posts_per_window_per_channel_then_wait() -> None:
    time = FakeTime()
    pacer = ChannelPacer(5, 5.0, clock=time, sleep=time.sleep)
    for _ in range(5):
        await pacer.wait(1)
        await pacer.wait(2)  # another channel has its own window
        time.now += 0.1
    assert time.slept == []
    await pacer.wait(1)  # the sixth post in channel 1 waits for the first to leave the window
    assert time.slept == [pytest.approx(5.0 - 0.5)]  # posted at 100.0, now 100.5
    await pacer.wait(3)
    assert len(time.slept) == 1


def test_shards_own_guilds_by_discords_rule() -> None:
    guild = (1234 << 22) | 77
    assert shard_of(guild, 4) == 1234 % 4
    assert Shards().owns(guild)  # unsharded: everything
    assert Shards.of(4, [1234 % 4]).owns(guild)
    assert not Shards.of(4, [(1234 + 1) % 4]).owns(guild)
    assert Shards.of(4, None).owns(guild)  # every shard in this process
