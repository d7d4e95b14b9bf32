"""Every way a paper enters the store queues its alerts: here, `paperbot ingest` while the
bot is stopped, then the bot's alert worker (on the same SQLite file) sends one DM."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from bot.delivery import AlertWorker, RateLimiter
from bot.store import Store
from tests.delivery.fakes import FakeCourier
from tests.e2e.digests import RAG_PAPER, ZEBRA_PAPER, write_weekly

FOLLOWER = 4242


async def _follow(db: Path) -> None:
    async with await Store.open(db) as store:
        await store.alerts.follow(FOLLOWER, "tag", "rag", locale="en")


async def _bot_drains(db: Path, courier: FakeCourier) -> None:
    async with await Store.open(db) as store:  # the bot starts on the same file
        worker = AlertWorker(store, courier, limiter=RateLimiter(1000.0))
        await worker.drain()
        await worker.drain()


def test_a_cli_ingest_while_the_bot_is_stopped_reaches_the_follower_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", "[]")  # only what the test ingests
    db = tmp_path / "paperbot.db"
    asyncio.run(_follow(db))

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    write_weekly(incoming, dt.date(2024, 5, 13), [RAG_PAPER, ZEBRA_PAPER])
    assert main(["ingest", str(incoming), "--db", str(db)]) == 0  # the bot is not running
    assert main(["ingest", str(incoming), "--db", str(db)]) == 0  # unchanged: nothing more

    courier = FakeCourier()
    asyncio.run(_bot_drains(db, courier))
    (dm,) = courier.dms[FOLLOWER]
    assert "Quantum Retrieval Transformers" in str(dm.embeds)
    assert "Sparse Zebra" not in str(dm.embeds)
