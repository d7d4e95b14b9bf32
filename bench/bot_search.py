"""/search served by the real bot through the local Discord emulator, and start-up time.

    python -m bench.bot_search --db bench/out/paperbot.sqlite3 [--queries 300]

The store must already hold the corpus (``python -m bench.run`` builds it). Measures:

- start-up: from opening the store to the bot's ``on_ready`` (login, command sync check,
  gateway handshake, GUILD_CREATE), with the 100k-paper store;
- /search latency: from sending INTERACTION_CREATE on the emulator's gateway to the reply
  message being stored by the emulator (the bot's REST callback received), for the same query
  mix the store benchmark uses (Korean two-syllable words, Korean phrases, English multi-word,
  authors, tag-filtered), after a warm-up pass.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import time
from pathlib import Path
from typing import Any

from bot.app import App
from bot.discord.base_urls import use_discord_endpoints
from bot.discord.client import PaperBot
from bot.settings import load_settings
from bot.store import Store
from fakediscord import FakeDiscord

TARGET_P99_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def run(db: Path, queries: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    logging.basicConfig(level=logging.WARNING)
    async with FakeDiscord() as fake:
        guild = fake.world.add_guild("Bench", channels=("papers",))
        user = fake.world.add_user("reader")
        guild.add_member(user)
        channel = guild.channel("papers")
        settings = load_settings(
            store={"path": db},
            digests={"paths": []},
            discord={"rest_url": fake.rest_url, "gateway_url": fake.gateway_url},
        )
        use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
        started = time.perf_counter()
        async with await Store.open(db) as store:
            bot = PaperBot(App(settings, store), guild_ready_timeout=0.05, always_sync=True)
            async with bot:
                runner = asyncio.create_task(bot.start(fake.token))
                await asyncio.wait_for(bot.wait_until_ready(), 60)
                startup_s = time.perf_counter() - started

                async def one(query: dict[str, Any]) -> float:
                    options = {"query": query["query"]}
                    if query.get("tag"):
                        options["tag"] = query["tag"]
                    sent = time.perf_counter()
                    ix = await fake.slash(user, channel, "search", options)
                    await ix.original_message(within=10.0)
                    return (time.perf_counter() - sent) * 1000

                for query in queries:  # warm-up
                    await one(query)
                samples = [await one(q) for _ in range(passes) for q in queries]
                await bot.close()
                await runner
    return {
        "startup_to_ready_s": round(startup_s, 3),
        "search": {
            "n": len(samples),
            "p50_ms": round(percentile(samples, 50), 2),
            "p99_ms": round(percentile(samples, 99), 2),
            "max_ms": round(max(samples), 2),
            "target_p99_ms": TARGET_P99_MS,
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("bench/out/paperbot.sqlite3"))
    parser.add_argument(
        "--queries", type=Path, default=Path("bench/out/corpus/latency_queries.json")
    )
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("bench/out/bot_search.json"))
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist: run `python -m bench.run` first")
    loaded = json.loads(args.queries.read_text(encoding="utf-8"))
    queries = loaded["queries"] if isinstance(loaded, dict) else loaded
    results = asyncio.run(run(args.db, queries, args.passes))
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
