"""`paperbot run` as a real process: SIGTERM honoured even during the first ingest, and
logs an operator can keep (ISO 8601 times with offset, no per-job scheduler chatter)."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import sys
import time
from pathlib import Path

from bot.settings import BUNDLED_DIGESTS
from fakediscord import FakeDiscord

from .helpers import clean_env, paperbot

TOKEN = "lifecycle-token-never-shown"
# 2026-03-02T09:00:00.123+09:00 INFO    bot.app: ...
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR) "
)


async def _start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=clean_env(**env),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _read_until(process: asyncio.subprocess.Process, marker: str, seen: list[str]) -> None:
    assert process.stdout is not None
    while line := await process.stdout.readline():
        seen.append(line.decode())
        if marker in seen[-1]:
            return
    raise AssertionError(f"exited before {marker!r}:\n" + "".join(seen))


def _many_digests(folder: Path, copies: int) -> None:
    folder.mkdir()
    for n in range(copies):
        for sample in BUNDLED_DIGESTS.glob("*.txt"):
            shutil.copy(sample, folder / f"{sample.stem}-{n}.txt")


async def test_sigterm_during_the_first_ingest_stops_promptly(tmp_path: Path) -> None:
    digests = tmp_path / "digests"
    _many_digests(digests, 100)  # 300 files: several seconds of first ingest
    db = tmp_path / "bot.db"
    env = {
        "DISCORD_TOKEN": TOKEN,
        "PAPERBOT_DIGESTS__PATHS": f'["{digests}"]',
        "PAPERBOT_STORE__PATH": str(db),
        # never reached: the stop comes before the login
        "PAPERBOT_DISCORD__REST_URL": "http://127.0.0.1:9/api/v10",
    }
    process = await _start(env, tmp_path)
    seen: list[str] = []
    await asyncio.wait_for(_read_until(process, "loading digests from", seen), 60)
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    rest, _ = await asyncio.wait_for(process.communicate(), 60)
    waited = time.monotonic() - sent
    output = "".join(seen) + rest.decode()
    assert process.returncode == 0, output
    assert "stopped during start-up" in output
    assert "digests:" not in output  # the ingest did not run to its end
    assert waited < 15, f"took {waited:.1f} s to stop"
    assert TOKEN not in output
    stats = paperbot("stats", "--db", str(db), cwd=tmp_path)  # the store is intact
    assert stats.returncode == 0, stats.stderr


async def test_logs_carry_an_offset_and_no_scheduler_chatter(tmp_path: Path) -> None:
    async with FakeDiscord(token=TOKEN) as fake:
        env = {
            "DISCORD_TOKEN": TOKEN,
            "PAPERBOT_DISCORD__REST_URL": fake.rest_url,
            "PAPERBOT_DISCORD__GATEWAY_URL": fake.gateway_url,
            "PAPERBOT_STORE__PATH": str(tmp_path / "bot.db"),
            "PAPERBOT_SCHEDULER__ALERT_INTERVAL": "0.2",  # many job runs in a second
        }
        process = await _start(env, tmp_path)
        seen: list[str] = []
        await asyncio.wait_for(_read_until(process, " ready as ", seen), 60)
        await asyncio.sleep(1.5)
        process.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(process.communicate(), 30)
    lines = ("".join(seen) + rest.decode()).splitlines()
    assert process.returncode == 0, lines
    assert lines
    assert all(LOG_LINE.match(line) for line in lines), lines
    assert not [line for line in lines if "apscheduler" in line], lines
    assert any("stopped cleanly" in line for line in lines)
