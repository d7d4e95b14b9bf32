"""`paperbot health`: light, read-only, and honest about the bot's connection."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import sys
from pathlib import Path

from bot.cli import main
from bot.runtime.health import HEARTBEAT_KEY
from bot.store import Store


def _now() -> dt.datetime:
    # At test time, not at collection: the suite may run minutes before reaching these tests.
    return dt.datetime.now(dt.UTC)


async def _store_with_beat(path: Path, when: dt.datetime | None) -> None:
    async with await Store.open(path) as store:
        if when is not None:
            await store.set_meta(HEARTBEAT_KEY, when.isoformat())


def _health(path: Path, capsys: object) -> tuple[int, str]:
    code = main(["health", "--db", str(path), "--max-age", "120"])
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    return code, out.strip()


async def test_fresh_stale_missing_and_unreadable(tmp_path: Path, capsys: object) -> None:
    fresh, stale, silent = tmp_path / "fresh.db", tmp_path / "stale.db", tmp_path / "silent.db"
    await _store_with_beat(fresh, _now())
    await _store_with_beat(stale, _now() - dt.timedelta(minutes=10))
    await _store_with_beat(silent, None)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)

    code, out = _health(fresh, capsys)
    assert code == 0
    assert out.startswith("healthy")
    code, out = _health(stale, capsys)
    assert code == 1
    assert out.startswith("unhealthy: last heartbeat")
    code, out = _health(silent, capsys)
    assert (code, out) == (1, "unhealthy: the bot has not connected yet")
    code, out = _health(tmp_path / "none.db", capsys)
    assert code == 1
    assert "no store at" in out
    assert not (tmp_path / "none.db").exists()
    code, out = _health(garbage, capsys)
    assert code == 1
    assert out.startswith("unhealthy: cannot read the store")
    assert "\n" not in out


async def test_health_neither_migrates_nor_writes(tmp_path: Path, capsys: object) -> None:
    path = tmp_path / "old.db"
    await _store_with_beat(path, _now())
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 1")  # as if an older paperbot had made it
    before = path.read_bytes()
    code, _ = _health(path, capsys)
    assert code == 0
    assert path.read_bytes() == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


async def test_health_does_not_import_discord_py(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    await _store_with_beat(path, _now())
    probe = (
        "import sys\nfrom bot.cli import main\n"
        f"code = main(['health', '--db', {str(path)!r}])\n"
        "print('discord-loaded' if 'discord' in sys.modules else 'discord-absent', code)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", probe, stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await asyncio.wait_for(process.communicate(), 60)
    assert "discord-absent 0" in stdout.decode()
