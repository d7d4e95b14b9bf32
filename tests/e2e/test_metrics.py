"""/metrics and /healthz served by a running bot (through the emulator), counters moving."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.discord.runner import open_bot
from bot.runtime.metrics import Metrics
from bot.settings import BUNDLED_DIGESTS, load_settings
from fakediscord import FakeDiscord
from tests.e2e.conftest import (
    TEST_SCHEDULER,
    Clock,
    arrived_at,
    max_document_id,
    restored_endpoints,
)
from tests.e2e.digests import RAG_PAPER, ZEBRA_PAPER, write_weekly


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    scraped: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_count_commands_announcements_dms_and_sources(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    clock = Clock()
    with restored_endpoints():
        async with FakeDiscord() as fake:
            guild = fake.world.add_guild("Paper Club", channels=("papers",))
            alice = fake.world.add_user("alice", locale="en-US")
            guild.add_member(alice)
            settings = load_settings(
                store={"path": tmp_path / "paperbot.db"},
                digests={"paths": [BUNDLED_DIGESTS, incoming]},
                discord={"rest_url": fake.rest_url, "gateway_url": fake.gateway_url},
                scheduler=TEST_SCHEDULER,
                metrics={"enabled": True, "host": "127.0.0.1", "port": 0},
            )
            async with open_bot(settings, always_sync=True, clock=clock) as bot:
                assert bot.metrics_port is not None
                base = f"http://127.0.0.1:{bot.metrics_port}"
                async with httpx.AsyncClient(base_url=base) as http:
                    assert (await http.get("/healthz")).status_code == 503  # not connected yet
                    runner = asyncio.create_task(bot.start(fake.token))
                    await asyncio.wait_for(bot.wait_until_ready(), 10)
                    health = await http.get("/healthz")
                    assert health.status_code == 200
                    assert health.json() == {"ok": True}
                    before = samples((await http.get("/metrics")).text)
                    assert value(before, "paperbot_gateway_connected", shard="0") == 1
                    assert value(before, "paperbot_alert_dms_total", outcome="sent") == 0

                    store = bot.store
                    channel = guild.channel("papers")
                    configured = await store.guilds.configure_guild(
                        guild.id, channel_id=channel.id, weekday=0, time="09:00"
                    )
                    await store.alerts.follow(alice.id, "tag", "rlhf", locale="en")
                    write_weekly(incoming, clock().date(), [RAG_PAPER, ZEBRA_PAPER])
                    known = await max_document_id(store)
                    polled = await bot.jobs.poll("local")  # ingest, queue and send the DM
                    assert polled.new == 1
                    await arrived_at(store, clock(), after_id=known)
                    clock.set(
                        configured.schedule.next_slot_after(clock()) + dt.timedelta(seconds=1)
                    )
                    assert [r.outcome for r in await bot.jobs.announce(guild.id)] == ["sent"]

                    ix = await fake.slash(alice, channel, "tags", {})
                    await ix.original_message()
                    for _ in range(100):  # completion is counted right after the reply
                        after = samples((await http.get("/metrics")).text)
                        if value(after, "paperbot_commands_total", command="tags", outcome="ok"):
                            break
                        await asyncio.sleep(0.02)

                    assert (
                        value(after, "paperbot_commands_total", command="tags", outcome="ok") == 1
                    )
                    assert value(after, "paperbot_command_seconds_count", command="tags") == 1
                    assert value(after, "paperbot_announcements_total", outcome="posted") == 1
                    assert value(after, "paperbot_alert_dms_total", outcome="sent") == 1
                    assert len(fake.dms(alice)) == 1
                    assert value(after, "paperbot_alert_outbox_depth") == 0
                    assert value(after, "paperbot_source_fetches_total", source="local") == 1
                    assert value(after, "paperbot_source_errors_total", source="local") == 0

                    await fake.gateway.drop(resumable=False)
                    fake.gateway.refusing = True
                    for _ in range(200):
                        down = samples((await http.get("/metrics")).text)
                        if value(down, "paperbot_gateway_connected", shard="0") == 0:
                            break
                        await asyncio.sleep(0.02)
                    assert value(down, "paperbot_gateway_connected", shard="0") == 0
                    assert (await http.get("/healthz")).status_code == 503
                    fake.gateway.refusing = False
                    await bot.close()
                    await runner


def test_each_app_counts_on_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.dms.labels("sent").inc(3)
    assert first.registry is not second.registry
    assert (
        value(samples(first.exposition().decode()), "paperbot_alert_dms_total", outcome="sent") == 3
    )
    assert (
        value(samples(second.exposition().decode()), "paperbot_alert_dms_total", outcome="sent")
        == 0
    )
