"""Alert DMs at scale through the emulator: one request per DM once the channel is known,
and a long 429 sends the DM back to the outbox with its backoff instead of blocking."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from bot.clock import parse_iso
from bot.settings import BUNDLED_DIGESTS
from tests.e2e.conftest import running_bot
from tests.e2e.digests import RAG_PAPER, paper, write_weekly


async def test_a_users_dm_channel_is_opened_once(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        await env.bot.store.alerts.follow(env.alice.id, "tag", "rlhf", locale="ko")
        for week in (0, 7):
            start = env.clock().date() + dt.timedelta(days=week)
            write_weekly(incoming, start, [paper(f"RLHF Study {week}"), RAG_PAPER])
            await env.bot.jobs.poll("local")
        await env.bot.jobs.drain_alerts()
        assert len(env.fake.dms(env.alice)) == 2
        opened = env.fake.requests.filter(method="POST", path="/users/@me/channels")
        assert len(opened) == 1  # discord.py's own cache holds 128; ours remembers every user
        dm_channel = env.fake.world.dm_channel(env.alice)
        sent = env.fake.requests.filter(method="POST", path=f"/channels/{dm_channel.id}/messages")
        assert len(sent) == 2


async def test_a_long_429_on_a_dm_goes_back_to_the_outbox_with_its_backoff(
    tmp_path: Path,
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        await env.bot.store.alerts.follow(env.bob.id, "tag", "rlhf", locale="en")
        env.fake.faults.add("POST", "/channels/*/messages", status=429, retry_after=600, times=1)
        write_weekly(incoming, env.clock().date(), [RAG_PAPER])
        started = time.monotonic()
        polled = await env.bot.jobs.poll("local")  # ingest, queue, drain: the 429
        assert time.monotonic() - started < 10  # not the 600 s discord.py would have slept
        assert polled.alerts is not None
        assert polled.alerts.retried == 1
        assert env.fake.dms(env.bob) == []
        (row,) = await env.bot.store.alerts.alert_rows(user_id=env.bob.id)
        assert row["status"] == "pending"
        assert row["last_error"].startswith("Transient: ")  # the courier mapped the 429
        next_attempt = parse_iso(row["next_attempt_at"])
        # the store keeps milliseconds
        assert next_attempt >= env.clock() + dt.timedelta(seconds=600, milliseconds=-1)

        env.clock.advance(seconds=300)  # still backing off: nothing is sent
        assert (await env.bot.jobs.drain_alerts()).claimed == 0
        env.clock.set(next_attempt)
        report = await env.bot.jobs.drain_alerts()
        assert report.sent == 1
        assert len(env.fake.dms(env.bob)) == 1
