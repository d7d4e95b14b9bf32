"""One audit line per admin change through the real cogs: who, which server, what; never a
token or digest text."""

from __future__ import annotations

import logging

import pytest

from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.conftest import Env


def _audit(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.audit"]


async def test_settings_changes_and_announce_now_are_audited(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.audit")
    env.fake.limiter.config = RateLimitConfig(enabled=False)
    carol = env.fake.world.add_user("carol", locale="en-US")
    env.guild.add_member(carol, admin=True)
    guild, channel = env.guild.id, env.channel.id

    await (
        await env.fake.slash(carol, env.channel, "settings channel", {"channel": env.channel})
    ).original_message()
    await (
        await env.fake.slash(
            carol, env.channel, "settings schedule", {"weekday": 2, "time": "18:30"}
        )
    ).original_message()
    await (await env.fake.slash(carol, env.channel, "settings show", {})).original_message()
    assert _audit(caplog) == [
        f"settings: user={carol.id} guild={guild} channel_id={channel}",
        f"settings: user={carol.id} guild={guild} weekday=2 time=18:30",
    ]  # show changes nothing: no line

    ix = await env.fake.slash(carol, env.channel, "announce now", {})
    await ix.original_message()
    (line,) = _audit(caplog)[2:]
    assert line.startswith(f"announce now: user={carol.id} guild={guild} channel={channel} ")
    assert line.endswith("outcome=sent")
    latest = (await env.store.latest_issues(limit=1))[0]
    assert latest.title not in line  # ids, not digest text
    assert env.fake.token not in "\n".join(_audit(caplog))
