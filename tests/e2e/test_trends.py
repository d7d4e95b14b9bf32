"""/trends and the trend chart in announcements, through the emulator, in Korean and English.

The bundled samples hold tag mentions in three weeks: 2024-02-05 (a daily), 2024-05-06 (a
daily) and 2024-05-13 (the weekly issue). Sixteen weeks reach back to February, so there is a
baseline and rising tags; the default twelve do not.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.render.charts import SIZE
from fakediscord import Channel, Message, User
from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.conftest import Env

PNG = b"\x89PNG\r\n\x1a\n"


def chart_of(message: Message) -> bytes:
    (attachment,) = message.attachments
    assert attachment.filename.endswith(".png")
    assert attachment.data.startswith(PNG)
    image = Image.open(io.BytesIO(attachment.data))
    image.load()
    assert image.size == SIZE
    return attachment.data


async def test_trends_is_synced_with_its_korean_name(env: Env) -> None:
    commands = {c.name: c.payload() for c in env.fake.commands.all()}
    assert commands["trends"]["name_localizations"]["ko"] == "트렌드"
    (weeks,) = commands["trends"]["options"]
    assert (weeks["name"], weeks["min_value"], weeks["max_value"]) == ("weeks", 4, 52)
    assert weeks.get("required") is not True


async def test_trends_in_korean_posts_the_chart_and_the_rising_tags(env: Env) -> None:
    ix = await env.fake.slash(env.alice, env.channel, "trends", {"weeks": 16}, locale="ko")
    reply = await ix.original_message()
    chart_of(reply)
    header, rising = reply.content.splitlines()
    assert header == "**태그 트렌드** · 16주, 2024-01-29 – 2024-05-19"
    assert rising == (
        "떠오르는 태그: `diffusion` 0% → 9%, `efficiency` 0% → 9%, `architecture` 0% → 6%"
        " (2024-04-22부터의 태그 언급 비중, 그전 12주와 비교)"
    )
    assert not reply.ephemeral
    assert not reply.pings


async def test_trends_in_english_with_the_default_weeks(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "trends", {}, locale="en-US")
    reply = await ix.original_message()
    chart_of(reply)
    header, rising = reply.content.splitlines()
    assert header == "**Tag trends** · 12 weeks, 2024-02-26 – 2024-05-19"
    assert rising == (
        "Rising: not enough history to tell (no tag mentions in the 9 weeks before 2024-04-29)."
    )
    # the same chart again comes from the cache
    again = await (await env.fake.slash(env.bob, env.channel, "trends", {})).original_message()
    assert chart_of(again) == chart_of(reply)
    assert env.bot.app.trends.renders == 1


async def test_weeks_out_of_range_are_refused_by_discord(env: Env) -> None:
    for weeks in (3, 53):
        with pytest.raises(ValueError, match="weeks"):
            await env.fake.slash(env.bob, env.channel, "trends", {"weeks": weeks})


def _admin(env: Env) -> User:
    carol = env.fake.world.add_user("carol", locale="en-US")
    env.guild.add_member(carol, admin=True)
    return carol


def _overview(env: Env, channel: Channel) -> Message:
    posted = [m for m in env.fake.messages(channel) if m.interaction_metadata is None]
    assert len(posted) == 1
    return posted[0]


async def _announce_now(env: Env, admin: User) -> None:
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    assert f"<#{env.channel.id}>" in (await ix.original_message()).text


async def test_a_server_can_attach_the_chart_to_its_announcement(env: Env) -> None:
    env.fake.limiter.config = RateLimitConfig(enabled=False)
    admin = _admin(env)
    ix = await env.fake.slash(admin, env.channel, "settings trends", {"attach": True})
    assert "set up" in (await ix.original_message()).text  # a channel first
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    ix = await env.fake.slash(admin, env.channel, "settings trends", {"attach": True})
    reply = await ix.original_message()
    assert reply.ephemeral
    assert "trend chart is attached" in reply.text
    show = await (await env.fake.slash(admin, env.channel, "settings show", {})).original_message()
    assert "Trend chart" in show.text

    await _announce_now(env, admin)
    overview = _overview(env, env.channel)
    chart_of(overview)  # the server's language is Korean: the chart's labels are too
    assert overview.attachments[0].description is not None
    assert "히트맵" in overview.attachments[0].description


async def test_announcements_carry_no_chart_by_default(env: Env) -> None:
    env.fake.limiter.config = RateLimitConfig(enabled=False)
    admin = _admin(env)
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    await _announce_now(env, admin)
    assert _overview(env, env.channel).attachments == []
    assert env.bot.app.trends.renders == 0
