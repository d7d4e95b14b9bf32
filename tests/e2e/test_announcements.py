"""Scheduled announcements through the emulator: settings, the slot, DST, catch-up, crashes.

The bot's clock is a test clock; the scheduler's job functions are called directly at the
instants APScheduler would call them (the job's own ``SlotTrigger`` says when).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.ingest.files import load_local_digests
from bot.settings import BUNDLED_DIGESTS
from bot.store.community.guilds import GuildSettings
from fakediscord import Channel, Message, User
from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.conftest import (
    Clock,
    Env,
    arrived_at,
    max_document_id,
    running_bot,
    started_bot,
)
from tests.e2e.digests import RAG_PAPER, ZEBRA_PAPER, paper, write_weekly


def admin_of(env: Env) -> User:
    carol = env.fake.world.add_user("carol", locale="en-US")
    env.guild.add_member(carol, admin=True)
    return carol


def bot_messages(env: Env, channel: Channel) -> list[Message]:
    return [m for m in env.fake.messages(channel) if m.interaction_metadata is None]


def thread_messages(env: Env, thread_id: int) -> list[Message]:
    return env.fake.messages(env.fake.world.channels[thread_id])


async def configure(
    env: Env, admin: User, *, weekday: int = 0, time: str = "09:00", zone: str | None = None
) -> GuildSettings:
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    reply = await ix.original_message()
    assert reply.ephemeral, reply.text
    ix = await env.fake.slash(
        admin, env.channel, "settings schedule", {"weekday": weekday, "time": time}
    )
    await ix.original_message()
    if zone is not None:
        ix = await env.fake.slash(admin, env.channel, "settings timezone", {"zone": zone})
        assert zone in (await ix.original_message()).text
    settings = await env.bot.store.guilds.get_guild(env.guild.id)
    assert settings is not None
    return settings


@pytest.fixture
def incoming(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


async def test_admin_sets_channel_and_time_then_the_issue_appears_once(
    tmp_path: Path, incoming: Path
) -> None:
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        admin = admin_of(env)
        readers = env.guild.add_role("readers", mentionable=True)
        env.guild.add_role("others", mentionable=True)
        settings = await configure(env, admin)
        ix = await env.fake.slash(admin, env.channel, "settings role", {"role": readers})
        assert readers.mention in (await ix.original_message()).text
        assert f"announce:{env.guild.id}" in env.bot.scheduler.job_ids()
        assert "alerts:drain" in env.bot.scheduler.job_ids()
        assert "source:local" in env.bot.scheduler.job_ids()

        write_weekly(incoming, env.clock().date() - dt.timedelta(days=1), [RAG_PAPER, ZEBRA_PAPER])
        known = await max_document_id(env.store)
        polled = await env.bot.jobs.poll("local")
        await arrived_at(env.store, env.clock(), after_id=known)
        assert polled.new == 1
        assert polled.error is None

        slot = settings.schedule.next_slot_after(env.clock())
        job = env.bot.scheduler.scheduler.get_job(f"announce:{env.guild.id}")
        assert job.trigger.get_next_fire_time(None, env.clock()) == slot

        env.clock.set(slot - dt.timedelta(minutes=1))
        assert await env.bot.jobs.announce(env.guild.id) == []
        assert bot_messages(env, env.channel) == []

        env.clock.set(slot)
        results = await env.bot.jobs.announce(env.guild.id)
        assert [r.outcome for r in results] == ["sent"]
        env.clock.advance(minutes=5)
        assert await env.bot.jobs.announce(env.guild.id) == []  # once
        assert await env.bot.jobs.catch_up() == []

        posted = bot_messages(env, env.channel)
        assert len(posted) == 1
        overview = posted[0]
        assert "Quantum Retrieval Transformers" in overview.text
        assert set(overview.pings.roles) == {readers.id}
        assert not overview.pings.users
        assert not overview.pings.everyone
        delivery = await env.bot.store.guilds.get_delivery(
            env.guild.id, results[0].document_id or 0
        )
        assert delivery is not None
        assert delivery.thread_id is not None
        in_thread = thread_messages(env, delivery.thread_id)
        assert len(in_thread) == 2
        assert "Sparse Zebra Attention" in in_thread[1].text
        assert all(not m.pings for m in in_thread)

        # /status tells the truth: the post, the local source, no failures; the global alert
        # backlog only to the bot's owner, never to another server's admins.
        owner = env.fake.world.application.owner
        env.guild.add_member(owner, admin=True)
        ix = await env.fake.slash(owner, env.channel, "status", {})
        status = await ix.original_message()
        assert status.ephemeral
        assert f"<#{env.channel.id}>" in status.text
        assert "`local`" in status.text
        assert "ok" in status.text
        assert "pending 0" in status.text
        ix = await env.fake.slash(admin, env.channel, "status", {})
        own = await ix.original_message()
        assert f"<#{env.channel.id}>" in own.text
        assert "pending" not in own.text
        assert "unreachable" not in own.text


async def test_settings_show_preview_and_validation(env: Env) -> None:
    admin = admin_of(env)
    ix = await env.fake.slash(admin, env.channel, "settings show", {})
    assert "/settings channel" in (await ix.original_message()).text
    settings = await configure(env, admin, weekday=2, time="18:30", zone="Europe/Berlin")
    ix = await env.fake.slash(admin, env.channel, "settings show", {})
    shown = await ix.original_message()
    assert shown.ephemeral
    assert "Wednesday 18:30 (Europe/Berlin)" in shown.text
    next_post = settings.schedule.next_slot_after(env.clock()).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{next_post:%Y-%m-%d} 18:30 (Europe/Berlin)" in shown.text

    ix = await env.fake.slash(admin, env.channel, "settings timezone", {"zone": "Mars/Olympus"})
    assert "Mars/Olympus" in (await ix.original_message()).text
    ix = await env.fake.slash(
        admin, env.channel, "settings schedule", {"weekday": 0, "time": "25:99"}
    )
    assert "HH:MM" in (await ix.original_message()).text
    ix = await env.fake.slash(admin, env.channel, "settings kinds", {"kinds": "weekly daily"})
    await ix.original_message()
    assert (await env.bot.store.guilds.get_guild(env.guild.id)).kinds == ("daily", "weekly")  # type: ignore[union-attr]
    ix = await env.fake.slash(admin, env.channel, "settings language", {"language": "en"})
    await ix.original_message()

    choices = await (
        await env.fake.autocomplete(
            admin, env.channel, "settings timezone", {"zone": "new"}, focused="zone"
        )
    ).choices()
    assert "America/New_York" in [c["value"] for c in choices]

    ix = await env.fake.slash(admin, env.channel, "announce preview", {})
    preview = await ix.original_message()
    assert preview.ephemeral
    assert preview.ephemeral_to == admin.id
    assert "Preview" in preview.text
    assert bot_messages(env, env.channel) == []  # a dry run


async def test_non_admin_cannot_use_settings(env: Env) -> None:
    with pytest.raises(PermissionError):
        await env.fake.slash(env.bob, env.channel, "settings channel", {"channel": env.channel})
    with pytest.raises(PermissionError):
        await env.fake.slash(env.bob, env.channel, "status", {})
    assert await env.bot.store.guilds.get_guild(env.guild.id) is None


async def test_announce_now_posts_the_latest_issue(env: Env) -> None:
    env.fake.limiter.config = RateLimitConfig(enabled=False)
    admin = admin_of(env)
    await configure(env, admin)
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    assert f"<#{env.channel.id}>" in (await ix.original_message()).text
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    assert "already" in (await ix.original_message()).text
    assert len(bot_messages(env, env.channel)) == 1


def _second_sunday_of_march(year: int) -> dt.date:
    first = dt.date(year, 3, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7)


async def test_schedule_fires_at_local_time_across_dst(tmp_path: Path, incoming: Path) -> None:
    """America/New_York, Mondays 09:00: 14:00 UTC before the spring change, 13:00 after."""
    change = _second_sunday_of_march(dt.date.today().year + 1)
    before_monday = change - dt.timedelta(days=6)
    after_monday = change + dt.timedelta(days=1)
    clock = Clock(dt.datetime.combine(before_monday - dt.timedelta(days=3), dt.time(12), dt.UTC))
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming], clock=clock) as env:
        settings = await configure(env, admin_of(env), zone="America/New_York")
        trigger = env.bot.scheduler.scheduler.get_job(f"announce:{env.guild.id}").trigger
        first = trigger.get_next_fire_time(None, clock())
        assert first == dt.datetime.combine(before_monday, dt.time(14), dt.UTC)
        second = trigger.get_next_fire_time(first, first)
        assert second == dt.datetime.combine(after_monday, dt.time(13), dt.UTC)

        write_weekly(incoming, before_monday - dt.timedelta(days=7), [paper("Before Spring")])
        known = await max_document_id(env.store)
        await env.bot.jobs.poll("local")
        await arrived_at(env.store, clock(), after_id=known)
        clock.set(first - dt.timedelta(seconds=1))
        assert await env.bot.jobs.announce(env.guild.id) == []
        clock.set(first)
        assert [r.outcome for r in await env.bot.jobs.announce(env.guild.id)] == ["sent"]

        write_weekly(incoming, before_monday, [paper("After Spring")])
        clock.set(first + dt.timedelta(hours=1))
        known = await max_document_id(env.store)
        await env.bot.jobs.poll("local")
        await arrived_at(env.store, clock(), after_id=known)
        clock.set(second - dt.timedelta(seconds=1))  # 08:59:59 EDT, 12:59:59 UTC
        assert await env.bot.jobs.announce(env.guild.id) == []
        clock.set(second)
        assert [r.outcome for r in await env.bot.jobs.announce(env.guild.id)] == ["sent"]
        texts = [m.text for m in bot_messages(env, env.channel)]
        assert len(texts) == 2
        assert "Before Spring" in texts[0]
        assert "After Spring" in texts[1]
        assert settings.timezone == "America/New_York"


async def test_downtime_catch_up_posts_the_latest_and_one_summary(
    tmp_path: Path, incoming: Path
) -> None:
    clock = Clock()
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming], clock=clock) as env:
        await configure(env, admin_of(env))
        store, settings, fake = env.store, env.settings, env.fake
        await env.bot.close()  # the bot goes down; three issues arrive meanwhile
        today = clock().date()
        known = await max_document_id(store)
        for weeks, title in ((1, "Old One"), (2, "Old Two"), (3, "Newest Three")):
            write_weekly(incoming, today + dt.timedelta(weeks=weeks), [paper(title)])
            # each arrives a week after the previous one, all while the bot is down
            await load_local_digests(store, settings)  # what the runner does at start-up
            await arrived_at(store, clock.advance(days=7), after_id=known)
            known = await max_document_id(store)
        clock.advance(days=7)  # a slot passed after the last one arrived
        async with started_bot(fake, store, settings, clock) as bot:
            assert bot.catch_up_task is not None
            results = await bot.catch_up_task  # at start-up, from the database alone
            assert [(r.outcome, len(r.missed)) for r in results] == [("sent", 2)]
            posted = bot_messages(env, env.channel)
            assert len(posted) == 2  # one summary, then the latest issue
            assert "Newest Three" not in posted[0].text
            assert "Newest Three" in posted[1].text
            assert await bot.jobs.catch_up() == []
            clock.advance(days=7)
            assert await bot.jobs.catch_up() == []
        assert len(bot_messages(env, env.channel)) == 2


async def test_bot_killed_while_posting_posts_exactly_once_after_restart(
    tmp_path: Path, incoming: Path
) -> None:
    clock = Clock()
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming], clock=clock) as env:
        settings = await configure(env, admin_of(env))
        titles = [f"Paper Number {n}" for n in range(6)]
        write_weekly(incoming, clock().date(), [paper(title) for title in titles])
        known = await max_document_id(env.store)
        await env.bot.jobs.poll("local")
        await arrived_at(env.store, clock(), after_id=known)
        clock.set(settings.schedule.next_slot_after(clock()))

        # Posting in the thread is slow; the bot is killed after the third paper.
        env.fake.faults.delay("POST", "/channels/*/messages", 0.3)
        job = asyncio.create_task(env.bot.jobs.announce(env.guild.id))

        def threads_with(count: int) -> bool:
            return any(len(env.fake.messages(t)) >= count for t in env.guild.threads())

        await env.fake.wait_until(lambda: threads_with(3), within=10)
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job
        await env.bot.close()
        env.fake.faults.clear()

        clock.advance(minutes=10)  # the dead owner's lease ran out
        async with started_bot(env.fake, env.store, env.settings, clock) as bot:
            assert bot.catch_up_task is not None
            results = await bot.catch_up_task  # at start-up the database says: resume it
            assert [r.outcome for r in results] == ["sent"]
            assert await bot.jobs.catch_up() == []

        assert len(bot_messages(env, env.channel)) == 1
        (thread,) = env.guild.threads()
        texts = [m.text for m in env.fake.messages(thread)]
        assert len(texts) == len(titles)
        for title in titles:
            assert sum(title in text for text in texts) == 1
        # Recovery found its markers, yet readers see none of them.
        for message in [*bot_messages(env, env.channel), *env.fake.messages(thread)]:
            assert "paperbot:" not in message.text
