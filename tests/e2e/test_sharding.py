"""Sharding through the emulator: shards get their own guilds; processes announce their own."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.app import App
from bot.discord.base_urls import use_discord_endpoints
from bot.discord.client import PaperBot
from bot.ingest.files import load_local_digests
from bot.runtime.sharding import shard_of
from bot.settings import BUNDLED_DIGESTS, Settings, load_settings
from bot.store import Store
from fakediscord import FakeDiscord, Guild
from tests.e2e.conftest import (
    TEST_SCHEDULER,
    Clock,
    FastBot,
    arrived_at,
    max_document_id,
    restored_endpoints,
)
from tests.e2e.digests import RAG_PAPER, ZEBRA_PAPER, write_weekly


def shard_settings(fake: FakeDiscord, tmp_path: Path, **discord: Any) -> Settings:
    return load_settings(
        store={"path": tmp_path / "paperbot.db"},
        digests={"paths": [BUNDLED_DIGESTS, tmp_path / "incoming"]},
        discord={"rest_url": fake.rest_url, "gateway_url": fake.gateway_url, **discord},
        scheduler=TEST_SCHEDULER,
    )


@contextlib.asynccontextmanager
async def bot_on(fake: FakeDiscord, settings: Settings, clock: Clock) -> AsyncIterator[PaperBot]:
    """A bot process: its own Store on the shared SQLite file, its own client and scheduler."""
    use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
    async with await Store.open(settings.store.path, clock=clock) as store:
        await load_local_digests(store, settings)
        bot = FastBot(App(settings, store), guild_ready_timeout=0.05)
        async with bot:
            runner = asyncio.create_task(bot.start(fake.token))
            await asyncio.wait_for(bot.wait_until_ready(), 20)
            try:
                yield bot
            finally:
                await bot.close()
                await runner


def guilds_on(fake: FakeDiscord, count: int) -> list[Guild]:
    """Two guilds on each of ``count`` shards, by Discord's rule."""
    return [
        fake.world.add_guild(f"club {n}", channels=("papers",), shard=(n % count, count))
        for n in range(2 * count)
    ]


async def test_two_shards_in_one_process_each_receive_their_own_guilds(tmp_path: Path) -> None:
    (tmp_path / "incoming").mkdir()
    with restored_endpoints():
        async with FakeDiscord() as fake:
            guilds = guilds_on(fake, 2)
            reader = fake.world.add_user("reader")
            for guild in guilds:
                guild.add_member(reader)
            # No shard count configured: the bot asks GET /gateway/bot, which recommends one
            # shard per 1,000 guilds; here the emulator is told to recommend two.
            fake.guilds_per_shard = 2
            settings = shard_settings(fake, tmp_path)
            async with bot_on(fake, settings, Clock()) as bot:
                assert bot.shard_count == 2
                assert sorted(bot.shards) == [0, 1]
                sessions = {s.shard: s for s in fake.gateway.live_sessions}
                assert sorted(sessions) == [(0, 2), (1, 2)]
                for guild in guilds:
                    seen = bot.get_guild(guild.id)
                    assert seen is not None
                    assert seen.shard_id == shard_of(guild.id, 2)
                # each session heard GUILD_CREATE only for its shard's guilds
                for (shard_id, _), session in sessions.items():
                    created = [frame for _, frame in session.log if '"t": "GUILD_CREATE"' in frame]
                    assert len(created) == 2
                    for guild in guilds:
                        mine = shard_of(guild.id, 2) == shard_id
                        assert any(f'"id": "{guild.id}"' in frame for frame in created) == mine
                # a command in a guild of shard 1 arrives once, on shard 1, and is answered
                await bot.sync_commands(force=True)
                target = next(g for g in guilds if shard_of(g.id, 2) == 1)
                ix = await fake.slash(reader, target.channel("papers"), "tags", {})
                reply = await ix.original_message()
                assert reply.text
                heard = {
                    shard: sum('"t": "INTERACTION_CREATE"' in f for _, f in session.log)
                    for shard, session in sessions.items()
                }
                assert heard == {(0, 2): 0, (1, 2): 1}


async def test_two_processes_on_one_store_each_announce_only_their_guilds_once(
    tmp_path: Path,
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    clock = Clock()
    with restored_endpoints():
        async with FakeDiscord() as fake:
            guilds = guilds_on(fake, 2)
            first = shard_settings(fake, tmp_path, shard_count=2, shard_ids=[0])
            second = load_settings(
                **{
                    **first.model_dump(exclude={"discord_token", "discord_token_file"}),
                    "discord": {**first.discord.model_dump(), "shard_ids": [1]},
                    "scheduler": {**TEST_SCHEDULER, "drain_outbox": False},
                }
            )
            async with (
                bot_on(fake, first, clock) as bot0,
                bot_on(fake, second, clock) as bot1,
            ):
                assert [g.id for g in bot0.guilds] == [
                    g.id for g in guilds if shard_of(g.id, 2) == 0
                ]
                assert [g.id for g in bot1.guilds] == [
                    g.id for g in guilds if shard_of(g.id, 2) == 1
                ]
                for guild in guilds:
                    await bot0.store.guilds.configure_guild(
                        guild.id, channel_id=guild.channel("papers").id, weekday=0, time="09:00"
                    )
                for bot, shard_id in ((bot0, 0), (bot1, 1)):
                    for guild in guilds:  # as ServerAdmin does when settings change
                        await bot.scheduler.sync_guild(guild.id)
                    jobs = {j for j in bot.scheduler.job_ids() if j.startswith("announce:")}
                    assert jobs == {
                        f"announce:{g.id}" for g in guilds if shard_of(g.id, 2) == shard_id
                    }
                assert "alerts:drain" in bot0.scheduler.job_ids()
                assert "alerts:drain" not in bot1.scheduler.job_ids()  # one process drains
                write_weekly(incoming, clock().date(), [RAG_PAPER, ZEBRA_PAPER])
                known = await max_document_id(bot0.store)
                assert (await bot0.jobs.poll("local")).new == 1
                await arrived_at(bot0.store, clock(), after_id=known)
                configured = await bot0.store.guilds.get_guild(guilds[0].id)
                assert configured is not None
                clock.set(configured.schedule.next_slot_after(clock()) + dt.timedelta(seconds=1))

                # Both processes wake for every guild at the slot, and run their catch-up.
                runs = [bot.jobs.announce(g.id) for bot in (bot0, bot1) for g in guilds]
                runs += [bot0.jobs.catch_up(), bot1.jobs.catch_up()]
                results = [r for batch in await asyncio.gather(*runs) for r in batch]
                sent = [r.guild_id for r in results if r.outcome == "sent"]
                assert sorted(sent) == sorted(g.id for g in guilds)  # each guild exactly once

                for bot, shard_id in ((bot0, 0), (bot1, 1)):
                    mine = {g.id for g in guilds if shard_of(g.id, 2) == shard_id}
                    assert {r.guild_id for r in await bot.jobs.catch_up()} <= mine
                for guild in guilds:
                    posted = [
                        m
                        for m in fake.messages(guild.channel("papers"))
                        if "Quantum Retrieval Transformers" in m.text
                    ]
                    assert len(posted) == 1
                    delivery = await bot0.store.guilds.get_delivery(
                        guild.id, results[0].document_id or 0
                    )
                    assert delivery is not None
                    assert delivery.status == "sent"
                    thread = fake.world.channels[delivery.thread_id or 0]
                    assert len(fake.messages(thread)) == 2
