"""RSS growth of a long-running bot under random search and autocomplete input.

    python -m bench.memory [--inputs 100000] [--seed 9]

Builds a small store from the bundled samples, warms it up, then sends ``--inputs`` random,
Unicode-heavy strings through ``Store.search`` and ``Store.suggest_titles`` (alternately) and
reports the resident set size before and after (``/proc/self/statm``: current RSS, not the
peak) and the analysis caches' sizes. The reliability issue: the accent-folding table kept
every distinct character ever typed (3,707 autocomplete-sized queries: 36 -> 421 MB).
Target: under 20 MB of growth across 100,000 inputs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import tempfile
import time
from pathlib import Path

import bot
from bot.digests.parse import parse_paths
from bot.digests.tags import load_vocabulary
from bot.search.analysis import cache_sizes
from bot.store import Store

# Code point ranges users paste from: Latin with accents, Greek, Cyrillic, CJK, Hangul,
# kana, symbols and emoji, plus combining marks.
_RANGES = (
    (0x0020, 0x007E),
    (0x00C0, 0x024F),
    (0x0300, 0x036F),
    (0x0370, 0x03FF),
    (0x0400, 0x04FF),
    (0x2000, 0x2BFF),
    (0x3040, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0x1F300, 0x1FAFF),
    (0x20000, 0x2A6DF),
)


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def random_input(rng: random.Random) -> str:
    size = rng.randrange(1, 60)  # autocomplete sends every keystroke; search up to 200
    return "".join(chr(rng.randint(*rng.choice(_RANGES))) for _ in range(size))


async def run(inputs: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        async with await Store.open(Path(folder) / "memory.db") as store:
            samples = Path(bot.__file__).parent / "sample_digests"
            await store.ingest(parse_paths([samples], load_vocabulary()).documents)
            for _ in range(2_000):  # warm up: connections, statement caches, allocator
                await store.search(random_input(rng))
            gc.collect()
            before = rss_mb()
            started = time.perf_counter()
            for number in range(inputs):
                text = random_input(rng)
                if number % 2:
                    await store.suggest_titles(text)
                else:
                    await store.search(text)
            elapsed = time.perf_counter() - started
            gc.collect()
            after = rss_mb()
    return {"inputs": inputs, "before_mb": before, "after_mb": after, "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    result = asyncio.run(run(args.inputs, args.seed))
    growth = result["after_mb"] - result["before_mb"]
    print(
        f"{result['inputs']:,} random inputs in {result['seconds']:.0f} s: RSS "
        f"{result['before_mb']:.1f} -> {result['after_mb']:.1f} MB (growth {growth:+.1f} MB,"
        f" target < 20); caches {cache_sizes()}"
    )


if __name__ == "__main__":
    main()
