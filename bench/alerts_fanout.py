"""Alert fan-out: one new issue, N subscribers, DMs through the emulator at Discord's limit.

    python -m bench.alerts_fanout [--users 10000]

The real bot (PaperBot: the store's alert outbox, AlertWorker, DiscordCourier, discord.py) sends the
DMs to the local emulator, which enforces Discord's global limit of 50 requests/s. Reports the
achieved request rate as a fraction of that limit, duplicates (a user with more than one DM)
and losses (a subscriber with none), 429s served, and peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app import App
from bot.digests.parse import parse_text
from bot.digests.tags import load_vocabulary
from bot.discord.base_urls import use_discord_endpoints
from bot.discord.client import PaperBot
from bot.settings import load_settings
from bot.store import Store
from fakediscord import FakeDiscord

GLOBAL_LIMIT = 50.0  # requests per second, Discord's (and the emulator's) default
ISSUE = """[2026/11/16 ~ 11/22] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)

RLHF 보상 해킹 벤치마크 / A Benchmark for Reward Hacking in RLHF

논문 소개

RLHF에서 보상 해킹을 측정합니다.

Measures reward hacking in RLHF pipelines.

논문 링크

https://arxiv.org/abs/2611.00001
"""


async def run(users: int, folder: Path) -> dict[str, Any]:
    logging.basicConfig(level=logging.WARNING)
    async with FakeDiscord() as fake:
        guild = fake.world.add_guild("Bench", channels=("papers",))
        people = [fake.world.add_user(f"reader{i}") for i in range(users)]
        for person in people:
            guild.add_member(person)
        settings = load_settings(
            store={"path": folder / "bench.db"},
            digests={"paths": []},
            discord={"rest_url": fake.rest_url, "gateway_url": fake.gateway_url},
            scheduler={"alert_interval": 3600},  # the benchmark drains explicitly
        )
        use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
        async with await Store.open(settings.store.path) as store:
            bot = PaperBot(App(settings, store), guild_ready_timeout=0.05)
            async with bot:
                runner = asyncio.create_task(bot.start(fake.token))
                await asyncio.wait_for(bot.wait_until_ready(), 60)
                for person in people:
                    await bot.store.alerts.follow(person.id, "tag", "rlhf", locale="en")
                document = parse_text(ISSUE, "bench-issue", load_vocabulary())
                await store.ingest([document])
                before = len(fake.requests.filter())
                started = time.perf_counter()
                while True:
                    report = await bot.jobs.drain_alerts()
                    if report.claimed == 0:
                        break
                elapsed = time.perf_counter() - started
                counted = [
                    r
                    for r in fake.requests.filter()[before:]
                    if not r.path.startswith(("/interactions", "/webhooks"))
                ]
                await bot.close()
                await runner
        dms = {person.id: len(fake.dms(person)) for person in people}
    rate = len(counted) / elapsed
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(counted),
        "requests_per_s": round(rate, 2),
        "fraction_of_limit": round(rate / GLOBAL_LIMIT, 3),
        "dms_per_s": round(sum(dms.values()) / elapsed, 2),
        "duplicates": sum(1 for n in dms.values() if n > 1),
        "losses": sum(1 for n in dms.values() if n == 0),
        "served_429": fake.served_429,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/alerts_fanout.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = asyncio.run(run(args.users, Path(folder)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
