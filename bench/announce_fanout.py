"""Announcement fan-out: 1,000 servers sharing one slot, through the emulator's limits.

    python -m bench.announce_fanout [--guilds 1000]

Every server keeps the default slot (Monday 09:00 KST), so all are due in the same minute.
The real bot (PaperBot, its Jobs pool, Announcer, DiscordCourier, discord.py) runs what
APScheduler runs when the slot fires, one ``Jobs.announce(guild)`` per server, all at once,
against the local emulator enforcing Discord's global limit (50 requests/s) and the
per-channel limit (5 messages per 5 s). The issue is the bundled weekly sample (10 papers).

Checked: every server has exactly one overview and, in its thread, exactly one message per
paper. Reported: the fan-out's requests and wall time against the lower bound Discord's limits
allow, 429s, and peak RSS.

Lower bound: a server's announcement is at least 1 overview + 1 thread + P paper messages,
all counted by the global limit, so N servers need R = N * (P + 2) requests; at 50 per
one-second window that is at least R / 50 s. The per-channel limit adds nothing at this scale:
a thread's P = 10 messages need two 5-second windows (>= 5 s), which overlap with the other
servers' requests. Target: wall time <= 1.25 * R / 50.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import iso
from bot.digests.parse import parse_file
from bot.digests.tags import load_vocabulary
from bot.discord.base_urls import use_discord_endpoints
from bot.discord.client import PaperBot
from bot.render.announcements import issue_marker, paper_marker
from bot.settings import BUNDLED_DIGESTS, load_settings
from bot.store import Store
from fakediscord import FakeDiscord

GLOBAL_LIMIT = 50.0  # requests per second, Discord's (and the emulator's) default
ISSUE = BUNDLED_DIGESTS / "weekly-2024-05-13.txt"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


async def run(guild_count: int, folder: Path) -> dict[str, Any]:
    logging.basicConfig(level=logging.WARNING)
    async with FakeDiscord() as fake:
        guilds = [
            fake.world.add_guild(f"club {n}", channels=("papers",)) for n in range(guild_count)
        ]
        settings = load_settings(
            store={"path": folder / "bench.db"},
            digests={"paths": []},
            discord={"rest_url": fake.rest_url, "gateway_url": fake.gateway_url},
            scheduler={"alert_interval": 3600},
        )
        use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
        slot = dt.datetime(2024, 5, 20, 0, 0, tzinfo=dt.UTC)  # the issue's next Monday, 09:00 KST
        clock = Clock(slot - dt.timedelta(hours=1))
        async with await Store.open(settings.store.path, clock=clock) as store:
            for guild in guilds:  # the default slot: Monday 09:00 Asia/Seoul
                await store.guilds.configure_guild(
                    guild.id, channel_id=guild.channel("papers").id, weekday=0, time="09:00"
                )
            (document,) = parse_file(ISSUE, load_vocabulary(None)).documents
            await store.ingest([document])
            async with store.db.write_lock:  # it arrived on Sunday
                await store.db.writer.execute(
                    "UPDATE documents SET created_at = ?", (iso(slot - dt.timedelta(days=1)),)
                )
            papers = len(document.papers)
            bot = PaperBot(App(settings, store), guild_ready_timeout=0.5)
            async with bot:
                runner = asyncio.create_task(bot.start(fake.token))
                await asyncio.wait_for(bot.wait_until_ready(), 120)
                assert len(bot.guilds) == guild_count
                await bot.scheduler.shutdown(0)  # the benchmark fires the slot itself
                if bot.catch_up_task is not None:
                    assert await bot.catch_up_task == []  # an hour before the slot: nothing
                clock.now = slot
                before = len(fake.requests)
                started = time.perf_counter()
                batches = await asyncio.gather(*(bot.jobs.announce(g.id) for g in guilds))
                elapsed = time.perf_counter() - started
                requests = [
                    r
                    for r in list(fake.requests)[before:]
                    if not r.path.startswith(("/interactions", "/webhooks"))
                ]
                await bot.close()
                await runner
            outcomes = [r.outcome for batch in batches for r in batch]
            document_id = next(r.document_id for batch in batches for r in batch)
            assert document_id is not None
            exact = 0
            for guild in guilds:
                channel = guild.channel("papers")
                overviews = [
                    m for m in fake.messages(channel) if issue_marker(document_id) in m.text
                ]
                delivery = await store.guilds.get_delivery(guild.id, document_id)
                in_thread = (
                    fake.messages(fake.world.channels[delivery.thread_id])
                    if delivery is not None and delivery.thread_id is not None
                    else []
                )
                markers = [
                    sum(paper_marker(document_id, i) in m.text for m in in_thread)
                    for i in range(papers)
                ]
                if len(overviews) == 1 and len(in_thread) == papers and set(markers) == {1}:
                    exact += 1
    minimum = guild_count * (papers + 2)
    bound = minimum / GLOBAL_LIMIT
    return {
        "guilds": guild_count,
        "papers": papers,
        "outcomes": {o: outcomes.count(o) for o in sorted(set(outcomes))},
        "guilds_exactly_once": exact,
        "requests": len(requests),
        "requests_minimum": minimum,
        "seconds": round(elapsed, 1),
        "lower_bound_seconds": round(bound, 1),
        "ratio_to_bound": round(elapsed / bound, 3),
        "requests_per_s": round(len(requests) / elapsed, 2),
        "served_429": fake.served_429,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/announce_fanout.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = asyncio.run(run(args.guilds, Path(folder)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
