"""The playground in a real terminal (a pty): Ctrl-C and Ctrl-D end it at once."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

READY = b"Connected as"


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOT_", "DISCORD_"))}
    env["PAPERBOT_STORE__PATH"] = str(tmp_path / "configured.db")  # cwd has no config.toml
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "playground"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(slave)
    return process, master


def _read_until(master: int, marker: bytes, within: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + within
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen += os.read(master, 4096)
            except OSError:  # the other end closed
                break
    return seen


def _drain(master: int) -> bytes:
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if not ready:
            return seen
        try:
            chunk = os.read(master, 4096)
        except OSError:
            return seen
        if not chunk:
            return seen
        seen += chunk


@pytest.mark.parametrize("how", ["ctrl-c", "ctrl-d"])
def test_the_playground_quits_at_once(tmp_path: Path, how: str) -> None:
    process, master = _start(tmp_path)
    try:
        assert READY in _read_until(master, READY, 60)
        asked = time.monotonic()
        if how == "ctrl-c":
            os.kill(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
        else:
            os.write(master, b"\x04")  # Ctrl-D at an empty prompt: end of input
        code = process.wait(timeout=20)  # without any Enter pressed
        took = time.monotonic() - asked
        output = _drain(master)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert code in (0, 130)
    assert b"Traceback" not in output
    assert took < 20
    assert not (tmp_path / "configured.db").exists()  # the sandbox, even in a terminal
