"""Ingesting folders: parallel parsing gives the same store as serial parsing."""

from __future__ import annotations

from pathlib import Path

from bot.ingest.files import POOL_THRESHOLD, ingest_paths
from bot.settings import BUNDLED_DIGESTS
from bot.store import Store

DAILY = (BUNDLED_DIGESTS / "daily-2024-05-09.txt").read_text(encoding="utf-8")


def _many_dailies(folder: Path, count: int) -> None:
    folder.mkdir()
    for day in range(count):
        # Same papers on different days: each file is its own document, papers are shared.
        text = DAILY.replace("2024년 5월 9일", f"2024년 3월 {day % 28 + 1}일").replace(
            "2024", str(2000 + day // 28), 1
        )
        (folder / f"daily-{day:03}.txt").write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\xff" * 100)


async def test_worker_processes_parse_big_folders_like_the_serial_path(tmp_path: Path) -> None:
    count = POOL_THRESHOLD + 8
    _many_dailies(tmp_path / "digests", count)
    progress: list[tuple[int, int]] = []
    async with await Store.open(tmp_path / "pool.db") as store:
        totals = await ingest_paths(
            store,
            [tmp_path / "digests"],
            workers=2,
            on_progress=lambda d, t: progress.append((d, t)),
        )
        stats = await store.stats()
    assert totals.new == count
    assert totals.failed == 1
    assert totals.errors[0].source.endswith("broken.txt")
    assert progress[-1] == (count + 1, count + 1)
    assert [d for d, _ in progress] == list(range(1, count + 2))
    assert sum(stats.documents.values()) == count
    assert stats.papers == 5  # the same five papers, mentioned `count` times each
    assert stats.mentions == 5 * count

    async with await Store.open(tmp_path / "pool.db") as store:
        again = await ingest_paths(store, [tmp_path / "digests"], workers=2)
    assert (again.new, again.updated, again.unchanged) == (0, 0, count)
