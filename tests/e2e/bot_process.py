"""The real bot as a separate process (`python -m bot run`) against a FakeDiscord in this one.

What a deployment does, minus Discord: the process reads its settings from the environment,
opens a real SQLite file, logs in over loopback and is killed with SIGKILL like an OOM-killed
container. The test prepares the store directly before the start (a configured guild whose
slot has passed and a due issue), so the bot's start-up catch-up begins posting at once.

Used by ``tests/e2e/test_recovery.py`` and ``bench/recovery.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.clock import iso, utcnow
from bot.ingest.files import load_local_digests
from bot.render.announcements import markers_in
from bot.settings import load_settings
from bot.store import Store
from fakediscord import Channel, FakeDiscord, Guild, Message
from fakediscord.faults import Fault
from tests.e2e.digests import paper, write_weekly

# Short enough for a test matrix; the production defaults are in bot/settings.py.
TEST_TIMING: dict[str, float] = {
    "lease": 2.0,
    "lease_renew_every": 0.5,
    "recovery_interval": 0.5,
    "retry_base": 0.5,
    "retry_cap": 2.0,
}
STOP_GRACE = 15.0  # seconds a SIGTERM gets before SIGKILL at teardown


@dataclass
class Scenario:
    """A guild in the emulator and, in the store, its settings and one due issue."""

    fake: FakeDiscord
    guild: Guild
    channel: Channel
    workdir: Path
    store_path: Path
    digests: Path
    document_id: int
    papers: int
    timing: Mapping[str, float] = field(default_factory=lambda: dict(TEST_TIMING))

    def environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PAPERBOT_") and key not in ("DISCORD_TOKEN_FILE",)
        }
        env.update(
            {
                "DISCORD_TOKEN": self.fake.token,
                "PAPERBOT_DISCORD__REST_URL": self.fake.rest_url,
                "PAPERBOT_DISCORD__GATEWAY_URL": self.fake.gateway_url,
                "PAPERBOT_STORE__PATH": str(self.store_path),
                "PAPERBOT_DIGESTS__PATHS": json.dumps([str(self.digests)]),
                "PAPERBOT_SOURCES__LOCAL_INTERVAL": "0",
                "PAPERBOT_SCHEDULER__ALERT_INTERVAL": "3600",
                "PAPERBOT_LOG__LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
            }
        )
        for key, value in self.timing.items():
            env[f"PAPERBOT_SCHEDULER__{key.upper()}"] = str(value)
        return env

    # -- what the emulator shows -------------------------------------------------------------

    def overviews(self) -> list[Message]:
        marker = f"paperbot:issue:{self.document_id}"
        return [m for m in self.fake.messages(self.channel) if marker in markers(m)]

    def thread_messages(self) -> list[Message]:
        threads = self.guild.threads()
        return [m for thread in threads for m in self.fake.messages(thread)]

    def paper_counts(self) -> Counter[str]:
        prefix = f"paperbot:paper:{self.document_id}:"
        return Counter(
            word for m in self.thread_messages() for word in markers(m) if word.startswith(prefix)
        )

    def paper_marker(self, index: int) -> str:
        return f"paperbot:paper:{self.document_id}:{index}"

    def complete(self) -> bool:
        """Every message is there (duplicates are checked separately, after a while)."""
        return len(self.overviews()) >= 1 and len(self.paper_counts()) == self.papers

    def exactly_once(self) -> list[str]:
        """What is wrong with the posted announcement, if anything."""
        problems = []
        if len(self.fake.messages(self.channel)) != 1 or len(self.overviews()) != 1:
            problems.append(f"{len(self.fake.messages(self.channel))} messages in the channel")
        if len(self.guild.threads()) != 1:
            problems.append(f"{len(self.guild.threads())} threads")
        counts = self.paper_counts()
        expected = Counter(self.paper_marker(i) for i in range(self.papers))
        if counts != expected or len(self.thread_messages()) != self.papers:
            problems.append(f"thread holds {sorted(counts.items())}")
        return problems

    # -- what the store says -----------------------------------------------------------------

    def delivery(self) -> dict[str, Any] | None:
        with contextlib.closing(
            sqlite3.connect(f"file:{self.store_path}?mode=ro", uri=True, timeout=5)
        ) as db:
            db.row_factory = sqlite3.Row
            row = db.execute(
                "SELECT status, claim_owner, overview_message_id, thread_id, papers_posted,"
                " attempts, last_error FROM deliveries WHERE guild_id = ? AND document_id = ?",
                (self.guild.id, self.document_id),
            ).fetchone()
        return dict(row) if row is not None else None


def markers(message: Message) -> list[str]:
    """The recovery markers a posted message carries (hidden from readers)."""
    return list(markers_in(message.embeds))


def carries_marker(marker: str) -> Callable[[Any], bool]:
    """A fault predicate: the request posts a message carrying ``marker`` (the recovery marker,
    hidden from readers in the embed author's link, see ``bot.render.announcements``)."""

    def matches(body: Any) -> bool:
        embeds = (body.get("embeds") or []) if isinstance(body, dict) else []
        return marker in markers_in(embeds)

    return matches


# Where a post is stopped: the request the emulator holds (the process is then killed).
KILL_POINTS: dict[str, Callable[[Scenario], Fault]] = {
    # claimed; the overview request sent but never processed
    "after-claim": lambda s: s.fake.faults.hang("POST", f"/channels/{s.channel.id}/messages"),
    # the overview accepted by Discord, its answer lost
    "after-overview": lambda s: s.fake.faults.hang(
        "POST", f"/channels/{s.channel.id}/messages", processed=True
    ),
    # the overview recorded, the thread not created
    "before-thread": lambda s: s.fake.faults.hang("POST", "/channels/*/messages/*/threads"),
    # 5 papers posted and recorded (with 10: the reported incident)
    "mid-thread": lambda s: s.fake.faults.hang(
        "POST", "/channels/*/messages", when=carries_marker(s.paper_marker(5))
    ),
    # the last paper accepted, its answer lost: the delivery is never recorded as sent
    "before-recorded": lambda s: s.fake.faults.hang(
        "POST",
        "/channels/*/messages",
        processed=True,
        when=carries_marker(s.paper_marker(s.papers - 1)),
    ),
}


async def prepare(
    fake: FakeDiscord,
    workdir: Path,
    *,
    papers: int = 10,
    timing: Mapping[str, float] | None = None,
) -> Scenario:
    """A guild whose weekly slot passed an hour ago and an issue ingested before it."""
    guild = fake.world.add_guild("Paper Club", locale="ko", channels=("papers",))
    channel = guild.channel("papers")
    store_path = workdir / "paperbot.db"
    digests = workdir / "digests"
    digests.mkdir(parents=True, exist_ok=True)
    now = utcnow()
    slot = (now - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    settings = load_settings(store={"path": store_path}, digests={"paths": [digests]})
    async with await Store.open(store_path) as store:
        await store.guilds.configure_guild(
            guild.id,
            channel_id=channel.id,
            weekday=slot.weekday(),
            time=f"{slot:%H:%M}",
            timezone="UTC",
            language="en",
            now=now - dt.timedelta(days=1),
        )
        write_weekly(
            digests,
            now.date() - dt.timedelta(days=3),
            [paper(f"Recovered Paper {n}") for n in range(papers)],
        )
        await load_local_digests(store, settings)
        document_id = int((await store.db.fetch("SELECT max(id) FROM documents"))[0][0])
        await store.db.write(  # arrived before the slot: due at start-up
            "UPDATE documents SET created_at = ? WHERE id = ?",
            (iso(slot - dt.timedelta(hours=1)), document_id),
        )
    return Scenario(
        fake,
        guild,
        channel,
        workdir,
        store_path,
        digests,
        document_id,
        papers,
        dict(timing if timing is not None else TEST_TIMING),
    )


class BotProcess:
    """``python -m bot run`` for a scenario; its output goes to ``log_path``."""

    def __init__(self, scenario: Scenario, name: str) -> None:
        self.scenario = scenario
        self.log_path = scenario.workdir / f"{name}.log"
        self.proc: asyncio.subprocess.Process | None = None
        self.started = 0.0

    async def start(self) -> None:
        with self.log_path.open("wb") as log:  # the child keeps its own descriptor
            self.started = time.monotonic()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.scenario.workdir,  # no stray config.toml
                env=self.scenario.environment(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no finally blocks, the claim left as it was."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> int | None:
        """SIGTERM (a clean shutdown), SIGKILL if it hangs."""
        if self.proc is None or self.proc.returncode is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), STOP_GRACE)
        except TimeoutError:
            await self.kill()
            return self.proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")
