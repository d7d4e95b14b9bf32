"""A new store is filled from the configured digests once, completely, whoever opens it first."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest.files import FIRST_FILL, STORE_PAPERS, ingest_paths
from bot.settings import BUNDLED_DIGESTS
from bot.store import Store
from bot.store._db import connect, load_migrations, migrate

from .test_signals import PAPERBOT, _workers

EXTRA = BUNDLED_DIGESTS / "notes" / "230808 Shepherd.md"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("PAPERBOT_CONFIG", "PAPERBOT_STORE__PATH", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def _keys(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT key FROM documents"))


def _distinct_dailies(folder: Path, files: int, papers: int = 40) -> Path:
    """Dailies of distinct papers: ingest commits every STORE_PAPERS papers (a first fill
    killed after one commit is partly stored), and no paper is re-merged over and over."""
    folder.mkdir()
    for n in range(files):
        lines = [f"{2000 + n // 28}년 3월 {n % 28 + 1}일"]
        for k in range(papers):
            lines += [f"Paper {n}-{k}: A Study", "(Alice Kim, Bob Lee)", "재미있네요.", "#llm"]
        (folder / f"daily-{n:04}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _stored(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db, timeout=5)) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0


def _marker(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (FIRST_FILL,)).fetchone()
    return None if row is None else str(row[0])


def _configure(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", json.dumps([str(folder)]))


def test_contents_do_not_depend_on_the_first_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", json.dumps([str(BUNDLED_DIGESTS)]))
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(EXTRA, extra / "231120 Shepherd reread.md")
    orders = {
        "ingest first": [["ingest", str(extra)], ["stats"]],
        "stats first": [["stats"], ["ingest", str(extra)]],
        "search first": [["search", "모델"], ["ingest", str(extra)]],
    }
    contents = {}
    for name, commands in orders.items():
        db = tmp_path / f"{name.replace(' ', '-')}.db"
        for command in commands:
            assert main([*command, "--db", str(db)]) == 0
        contents[name] = _keys(db)
        assert _marker(db) == "done"
    capsys.readouterr()
    assert len(set(map(tuple, contents.values()))) == 1
    assert len(contents["ingest first"]) == 10  # the 9 samples and the extra note


def test_an_interrupted_fill_is_completed_by_the_next_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", json.dumps([str(BUNDLED_DIGESTS)]))
    db = tmp_path / "s.db"

    async def half_filled() -> None:  # what a fill killed half-way leaves: some digests
        async with await Store.open(db) as store:
            await ingest_paths(store, [BUNDLED_DIGESTS / "notes"])

    asyncio.run(half_filled())
    assert (len(_keys(db)), _marker(db)) == (6, "pending")
    assert main(["stats", "--db", str(db)]) == 0
    assert (len(_keys(db)), _marker(db)) == (9, "done")


def test_a_killed_first_fill_is_completed_by_the_next_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _distinct_dailies(tmp_path / "digests", files=2 * STORE_PAPERS // 40)
    db = tmp_path / "s.db"
    env = os.environ | {"PAPERBOT_DIGESTS__PATHS": json.dumps([str(folder)])}
    process = subprocess.Popen(
        [str(PAPERBOT), "stats", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while not (_workers(process.pid) and db.exists() and _stored(db)):  # mid-fill
            assert process.poll() is None, "the fill ended before it could be killed"
            assert time.monotonic() < deadline, "no worker processes seen"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert _marker(db) == "pending"
    assert 0 < len(_keys(db)) < len(list(folder.iterdir()))

    _configure(monkeypatch, folder)
    assert main(["stats", "--json", "--db", str(db)]) == 0
    capsys.readouterr()
    assert len(_keys(db)) == len(list(folder.iterdir()))
    assert _marker(db) == "done"


async def test_a_store_filled_by_an_earlier_version_is_not_filled_again(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    db = await connect(db_path)
    try:
        await migrate(db, load_migrations()[:3])  # the schema before the marker existed
        await db.execute(
            "INSERT INTO documents (key, source, kind, title, content_hash)"
            " VALUES ('weekly:x', 'x.txt', 'weekly', 'x', 'h')"
        )
        await migrate(db)
    finally:
        await db.close()
    assert _marker(db_path) is None
    async with await Store.open(tmp_path / "new.db") as store:
        assert await store.get_meta(FIRST_FILL) == "pending"
