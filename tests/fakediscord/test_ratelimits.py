"""Rate limits as discord.py experiences them: headers it obeys, 429s it retries."""

from __future__ import annotations

import asyncio

from fakediscord import FakeDiscord, Limit, RateLimitConfig
from fakediscord.ratelimits import RateLimiter

from .conftest import OffsetClock, Scene, TestBot


async def test_global_limit_spreads_a_burst(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    # Only the global limit here: with the per-channel 5/5 s bucket, discord.py would sleep
    # out each exhausted channel bucket (5 s) before returning.
    fake.limiter.config.channel_messages = None
    channels = [scene.guild.add_text_channel(f"burst-{i}") for i in range(3)]
    targets = [bot.get_partial_messageable(c.id) for c in channels]
    fake.limiter.reset()  # so the burst's first request opens a fresh one-second window
    await asyncio.gather(*(t.send(f"{t.id}/{j}") for t in targets for j in range(20)))

    sent = fake.requests.filter("POST", "/channels/*/messages", status=200)
    assert len(sent) == 60
    for channel in channels:
        assert len(fake.messages(channel)) == 20
    times = sorted(r.time for r in sent)
    # 50 requests per window: the 51st success comes >= 1 s after the first.
    assert times[50] - times[0] >= 0.999
    limited = fake.requests.rate_limited
    assert limited
    assert {r.rate_limited for r in limited} == {"global"}
    assert all(r.response["global"] is True for r in limited)
    assert fake.served_429 == len(limited)


async def test_channel_bucket_headers_make_the_client_wait(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    fake.limiter.config.channel_messages = Limit(5, 0.4)
    channel = bot.get_partial_messageable(scene.general.id)
    for i in range(7):
        await channel.send(f"m{i}")
    sent = fake.requests.filter("POST", "/channels/*/messages")
    assert [r.status for r in sent] == [200] * 7  # the client waited; nothing was refused
    assert sent[5].time - sent[0].time >= 0.39
    assert fake.served_429 == 0


async def test_interaction_callbacks_skip_the_global_limit(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    fake.limiter.config.global_limit = 1
    fake.limiter.config.global_period = 30.0
    ix = await fake.slash(scene.alice, scene.general, "search", {"query": "moe"})
    await ix.followup(1)
    assert fake.served_429 == 0


def test_limiter_windows_and_ban() -> None:
    clock = OffsetClock()
    clock.offset = -clock() + 1000.0  # pin "now" at t=1000 (plus real drift)
    config = RateLimitConfig(
        global_limit=3,
        global_period=1.0,
        default_route=Limit(2, 5.0),
        invalid_limit=3,
        ban_duration=60.0,
    )
    limiter = RateLimiter(config, clock)
    first = limiter.check("GET /x", "1", global_limited=True)
    assert first.allowed
    assert first.state.limit == 2
    assert first.state.remaining == 1
    assert limiter.check("GET /x", "1", global_limited=True).allowed
    refused = limiter.check("GET /x", "1", global_limited=True)
    assert not refused.allowed
    assert not refused.is_global
    assert refused.retry_after > 4
    assert limiter.check("GET /x", "2", global_limited=True).allowed  # another major param
    by_global = limiter.check("GET /y", "", global_limited=True)
    assert not by_global.allowed
    assert by_global.is_global
    assert limiter.check("GET /y", "", global_limited=False).allowed
    clock.advance(5.1)
    assert limiter.check("GET /x", "1", global_limited=True).allowed
    for _ in range(3):
        limiter.note_status(403)
    assert limiter.is_banned()
    clock.advance(61)
    assert not limiter.is_banned()
