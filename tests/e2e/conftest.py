"""The real PaperBot (cogs, store, discord.py) against the local Discord emulator."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import httpx
import pytest

from bot.app import App
from bot.clock import iso, utcnow
from bot.discord.client import PaperBot
from bot.ingest.files import load_local_digests
from bot.settings import BUNDLED_DIGESTS, Settings, load_settings
from bot.store import Store
from fakediscord import Channel, FakeDiscord, Guild, User


@contextlib.contextmanager
def restored_endpoints() -> Iterator[None]:
    """The bot points discord.py at the emulator process-wide; put it back afterwards."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@dataclass
class Clock:
    """A controllable clock for Community, Announcer and the scheduler's job functions."""

    now: dt.datetime = field(default_factory=utcnow)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, when: dt.datetime) -> None:
        self.now = when

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@dataclass
class Env:
    fake: FakeDiscord
    bot: PaperBot
    store: Store
    guild: Guild
    channel: Channel
    alice: User  # Korean client
    bob: User  # English client
    settings: Settings
    clock: Clock


class FastBot(PaperBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py waits 5 s before re-identifying; tests need not


@contextlib.asynccontextmanager
async def started_bot(
    fake: FakeDiscord,
    store: Store,
    settings: Settings,
    clock: Clock,
    *,
    http: httpx.AsyncClient | None = None,
) -> AsyncIterator[PaperBot]:
    """A PaperBot logged in to ``fake``; closed (and its scheduler stopped) on exit."""
    bot = FastBot(App(settings, store.with_clock(clock), http), guild_ready_timeout=0.05)
    async with bot:
        runner = asyncio.create_task(bot.start(fake.token))
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        if settings.scheduler.enabled:  # on_ready has started the start-up catch-up run
            for _ in range(500):
                if bot.catch_up_task is not None:
                    break
                await asyncio.sleep(0.01)
        try:
            yield bot
        finally:
            await bot.close()
            await runner


async def arrived_at(store: Store, when: dt.datetime, *, after_id: int = 0) -> None:
    """Pretend documents above ``after_id`` were ingested at ``when`` (test clock time).

    The store stamps ``documents.created_at`` with SQLite's own clock, which a test clock
    cannot reach; the due rule compares it with the guild's slots."""
    stamp = iso(when)
    async with store.db.write_lock:
        await store.db.writer.execute(
            "UPDATE documents SET created_at = ? WHERE id > ?", (stamp, after_id)
        )


async def max_document_id(store: Store) -> int:
    rows = list(
        await store.db.reader.execute_fetchall("SELECT coalesce(max(id), 0) FROM documents")
    )
    return int(rows[0][0])


# The scheduler runs in e2e tests, but its periodic jobs would fire on real time: tests call
# the job functions with their own clock instead, so the drain interval is pushed far away.
TEST_SCHEDULER: dict[str, Any] = {
    "alert_interval": 3600,
    "dm_per_second": 1000,
    "recovery_interval": 3600,
}


@contextlib.asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    digests: list[Path] | None = None,
    deadline: float = 3.0,
    application_id: int | None = None,
    clock: Clock | None = None,
    sources: dict[str, Any] | None = None,
    http: httpx.AsyncClient | None = None,
    owner_guild: bool = False,
) -> AsyncIterator[Env]:
    """The bot in one guild ("Paper Club", channel "papers"); ``owner_guild``: that guild is
    the owner's server (``[discord] owner_guild_id``)."""
    from bot.discord.base_urls import use_discord_endpoints

    with restored_endpoints():
        async with FakeDiscord(interaction_deadline=deadline) as fake:
            if application_id is not None:  # "the same Discord application" across restarts
                fake.world.application = dataclasses.replace(
                    fake.world.application, id=application_id
                )
            guild = fake.world.add_guild("Paper Club", locale="ko", channels=("papers",))
            alice = fake.world.add_user("alice", locale="ko")
            bob = fake.world.add_user("bob", locale="en-US")
            guild.add_member(alice)
            guild.add_member(bob)
            settings = load_settings(
                store={"path": tmp_path / "paperbot.db"},
                digests={"paths": digests or [BUNDLED_DIGESTS]},
                discord={
                    "rest_url": fake.rest_url,
                    "gateway_url": fake.gateway_url,
                    "owner_guild_id": guild.id if owner_guild else None,
                    # like dm_per_second: tests that want Discord's limits use the emulator's
                    "requests_per_second": 1000,
                    "pace_channels": False,
                },
                scheduler=TEST_SCHEDULER,
                sources=sources or {},
            )
            clock = clock or Clock()
            use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
            async with await Store.open(settings.store.path) as store:
                await load_local_digests(store, settings)
                async with started_bot(fake, store, settings, clock, http=http) as bot:
                    yield Env(
                        fake,
                        bot,
                        store,
                        guild,
                        guild.channel("papers"),
                        alice,
                        bob,
                        settings,
                        clock,
                    )


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    async with running_bot(tmp_path) as running:
        yield running
