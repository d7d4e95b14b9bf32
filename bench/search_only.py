"""Search latency alone, on a store `bench.run` already built (no re-ingest).

    python -m bench.search_only [--db bench/out/paperbot.sqlite3] [--passes 3]

The same 210-query mix as `bench.run` (warm-up pass first), wall time per `store.search`
call with `limit=10`, nearest-rank percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from pathlib import Path

from bot.store import Store


async def measure(db: Path, queries: list[dict[str, str | None]], passes: int) -> list[float]:
    async with await Store.open(db) as store:
        for query in queries:
            await store.search(str(query["query"]), tag=query["tag"], limit=10)
        samples = []
        for _ in range(passes):
            for query in queries:
                started = time.perf_counter()
                await store.search(str(query["query"]), tag=query["tag"], limit=10)
                samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("bench/out/paperbot.sqlite3"))
    parser.add_argument(
        "--queries", type=Path, default=Path("bench/out/corpus/latency_queries.json")
    )
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text(encoding="utf-8"))
    samples = asyncio.run(measure(args.db, queries, args.passes))

    def nearest(q: float) -> float:
        return samples[max(0, math.ceil(q / 100 * len(samples)) - 1)]

    print(
        f"{len(samples)} searches: p50 {nearest(50):.1f} ms, p99 {nearest(99):.1f} ms, "
        f"max {samples[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
