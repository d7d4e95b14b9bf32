"""A real `paperbot ingest` with worker processes, killed or interrupted: no worker survives."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ingest.files import POOL_THRESHOLD
from bot.settings import BUNDLED_DIGESTS

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

PAPERBOT = Path(sys.executable).with_name("paperbot")
DAILY = (BUNDLED_DIGESTS / "daily-2024-02-06.txt").read_text(encoding="utf-8")
FILES = 6 * POOL_THRESHOLD  # several seconds of work: the signal lands mid-ingest


def _folder(root: Path, files: int = FILES, daily: str = DAILY) -> Path:
    folder = root / "digests"
    folder.mkdir()
    for n in range(files):
        date_line = daily.split("\n", 1)[0]  # a new day for each file: each its own digest
        text = daily.replace(date_line, f"{2000 + n // 28}년 3월 {n % 28 + 1}일", 1)
        (folder / f"daily-{n:04}.txt").write_text(text, encoding="utf-8")
    return folder


def _state(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = stat.rsplit(")", 1)[1].split()[:2]
    return None if state in ("Z", "X") else (state, int(ppid))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (state := _state(int(entry.name))) and state[1] == pid:
            found.append(int(entry.name))
    return found


def _workers(pid: int) -> list[int]:
    return [
        child
        for child in _children(pid)
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], list[int]]]:
    """A running ingest whose workers are parsing, and their pids; all killed afterwards.

    Output goes to files, not pipes: orphaned workers would hold a pipe open forever."""
    folder = _folder(tmp_path)
    env = os.environ | {"PAPERBOT_DIGESTS__PATHS": "[]"}
    with (tmp_path / "out").open("wb") as out, (tmp_path / "err").open("wb") as err:
        process = subprocess.Popen(
            [str(PAPERBOT), "ingest", str(folder), "--db", str(tmp_path / "s.db")],
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group, as a terminal would give it
            env=env,
        )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len(workers := _workers(process.pid)) < 2:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no worker processes seen: {(tmp_path / 'err').read_text()}")
            time.sleep(0.05)
        time.sleep(0.3)  # let them start parsing
        yield process, workers
    finally:
        for pid in [process.pid, *workers]:  # only what this test started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if _state(pid) is not None]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    return alive


def test_workers_exit_when_the_ingest_is_killed(
    started: tuple[subprocess.Popen[bytes], list[int]],
) -> None:
    process, workers = started
    others = [pid for pid in _children(process.pid) if pid not in workers]  # resource tracker
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _gone_within(workers + others, 5.0) == []


def test_ctrl_c_prints_one_line_and_stops_the_workers(
    started: tuple[subprocess.Popen[bytes], list[int]], tmp_path: Path
) -> None:
    process, workers = started
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    assert process.wait(timeout=30) == 130
    err = (tmp_path / "err").read_text()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: interrupted")
    assert (tmp_path / "out").read_text() == ""
    assert _gone_within(workers, 5.0) == []
