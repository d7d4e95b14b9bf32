"""`paperbot run` as a real process: connects with a token, never shows it, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from fakediscord import FakeDiscord

SECRET = "fakediscord-token-do-not-print"


async def test_run_connects_and_shuts_down_cleanly_on_sigterm(tmp_path: Path) -> None:
    async with FakeDiscord(token=SECRET) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": SECRET,
            "PAPERBOT_DISCORD__REST_URL": fake.rest_url,
            "PAPERBOT_DISCORD__GATEWAY_URL": fake.gateway_url,
            "PAPERBOT_STORE__PATH": str(tmp_path / "bot.db"),
            "PAPERBOT_LOG__LEVEL": "DEBUG",  # even debug logs must not show the token
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert process.stdout is not None
        seen: list[str] = []

        async def read_until_ready() -> None:
            assert process.stdout is not None
            while line := await process.stdout.readline():
                seen.append(line.decode())
                if " ready as " in seen[-1]:
                    return
            raise AssertionError("bot exited before ready:\n" + "".join(seen))

        await asyncio.wait_for(read_until_ready(), 30)
        assert fake.requests.count("PUT", "/applications/*/commands") == 1
        health = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "health",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
        )
        health_out, _ = await asyncio.wait_for(health.communicate(), 30)
        assert health.returncode == 0, health_out
        assert b"healthy" in health_out
        process.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(process.communicate(), 30)
        output = "".join(seen) + rest.decode()
    assert process.returncode == 0, output
    assert "stopped cleanly" in output
    assert SECRET not in output
