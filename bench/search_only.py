"""Search latency alone, on a store `bench.run` already built (no re-ingest).

    python -m bench.search_only [--db bench/out/paperbot.sqlite3] [--passes 3] [--best-of 5]

The same 210-query mix as `bench.run` (warm-up pass first), wall time per `store.search`
call with `limit=10`, nearest-rank percentiles; process CPU time per call beside it (what an
idle machine would give: the SQLite work runs in aiosqlite's thread, in this process).

``--best-of N`` instead runs each query N times and keeps its least CPU time, then gives
percentiles over the queries: on a shared machine other processes only ever add time, so
this compares two versions of the code on the same store more fairly than one pass does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from pathlib import Path

from bot.store import Store


async def measure(
    db: Path, queries: list[dict[str, str | None]], passes: int
) -> tuple[list[float], list[float]]:
    async with await Store.open(db) as store:
        for query in queries:
            await store.search(str(query["query"]), tag=query["tag"], limit=10)
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(passes):
            for query in queries:
                started, used = time.perf_counter(), time.process_time()
                await store.search(str(query["query"]), tag=query["tag"], limit=10)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
    return sorted(wall), sorted(cpu)


async def best_of(db: Path, queries: list[dict[str, str | None]], runs: int) -> list[float]:
    async with await Store.open(db) as store:
        for query in queries:
            await store.search(str(query["query"]), tag=query["tag"], limit=10)
        best: list[float] = []
        for query in queries:
            least = math.inf
            for _ in range(runs):
                used = time.process_time()
                await store.search(str(query["query"]), tag=query["tag"], limit=10)
                least = min(least, (time.process_time() - used) * 1000)
            best.append(least)
    return sorted(best)


def _nearest(samples: list[float], q: float) -> float:
    return samples[max(0, math.ceil(q / 100 * len(samples)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("bench/out/paperbot.sqlite3"))
    parser.add_argument(
        "--queries", type=Path, default=Path("bench/out/corpus/latency_queries.json")
    )
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--best-of", type=int, default=0, help="least CPU of N runs per query")
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text(encoding="utf-8"))
    if args.best_of:
        best = asyncio.run(best_of(args.db, queries, args.best_of))
        print(
            f"{len(best)} queries, least CPU of {args.best_of} runs each: p50"
            f" {_nearest(best, 50):.2f} ms, p90 {_nearest(best, 90):.2f} ms, p99"
            f" {_nearest(best, 99):.2f} ms, max {best[-1]:.2f} ms"
        )
        return
    wall, cpu = asyncio.run(measure(args.db, queries, args.passes))
    print(
        f"{len(wall)} searches: p50 {_nearest(wall, 50):.1f} ms, p99 {_nearest(wall, 99):.1f} ms, "
        f"max {wall[-1]:.1f} ms; CPU p50 {_nearest(cpu, 50):.1f} ms, p99 {_nearest(cpu, 99):.1f}"
        f" ms, max {cpu[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
