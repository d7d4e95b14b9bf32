"""Run the real `paperbot` command line in a child process, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Variables of the developer's own shell that would change what paperbot reads.
_OURS = ("PAPERBOT_", "DISCORD_TOKEN")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(_OURS)}
    env.update(extra)
    return env


def paperbot(
    *argv: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        cwd=cwd,
        env=clean_env(**(env or {})),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def one_line(done: subprocess.CompletedProcess[str], status: int) -> str:
    """The single error line of a failed run: exactly one line on stderr, no traceback."""
    assert done.returncode == status, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]
