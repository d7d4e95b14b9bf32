"""The real PaperBot (cogs, store, discord.py) against the local Discord emulator."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest

from bot.discord.client import PaperBot
from bot.fakediscord import Channel, FakeDiscord, Guild, User
from bot.runner import load_local_digests
from bot.settings import BUNDLED_DIGESTS, Settings, load_settings
from bot.store import Store


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
class Env:
    fake: FakeDiscord
    bot: PaperBot
    store: Store
    guild: Guild
    channel: Channel
    alice: User  # Korean client
    bob: User  # English client
    settings: Settings


class FastBot(PaperBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py waits 5 s before re-identifying; tests need not


@contextlib.asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    digests: list[Path] | None = None,
    deadline: float = 3.0,
    application_id: int | None = None,
) -> AsyncIterator[Env]:
    from bot.discord.endpoints import use_discord_endpoints

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
                discord={"rest_url": fake.rest_url, "gateway_url": fake.gateway_url},
            )
            use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
            async with await Store.open(settings.store.path) as store:
                await load_local_digests(store, settings)
                bot = FastBot(store=store, settings=settings, guild_ready_timeout=0.05)
                async with bot:
                    runner = asyncio.create_task(bot.start(fake.token))
                    await asyncio.wait_for(bot.wait_until_ready(), 10)
                    try:
                        yield Env(
                            fake, bot, store, guild, guild.channel("papers"), alice, bob, settings
                        )
                    finally:
                        await bot.close()
                        await runner


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    async with running_bot(tmp_path) as running:
        yield running
