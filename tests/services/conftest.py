"""Fixtures for the service tests: a real SQLite store in ``tmp_path`` (filled from the
bundled sample digests), the services wired by ``bot.app.App``, and a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.ingest.files import ingest_paths
from bot.services.lookup import Lookup
from bot.services.subscriptions import Subscriptions
from bot.settings import BUNDLED_DIGESTS, load_settings
from bot.store import Store
from tests.delivery.fakes import FakeClock

NOW = dt.datetime(2024, 5, 15, 3, 0, tzinfo=dt.UTC)  # Wednesday 12:00 in Seoul


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def empty_store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    async with await Store.open(tmp_path / "data" / "paperbot.db", clock=clock) as opened:
        yield opened


@pytest.fixture
async def store(empty_store: Store) -> Store:
    """The bundled samples: 1 weekly, 2 dailies, 6 notes; 26 papers, 34 tags."""
    totals = await ingest_paths(empty_store, [BUNDLED_DIGESTS])
    assert (totals.new, totals.failed) == (9, 0)
    return empty_store


@pytest.fixture
def app(store: Store) -> App:
    settings = load_settings(store={"path": store.path}, digests={"paths": [BUNDLED_DIGESTS]})
    return App(settings, store)


@pytest.fixture
def lookup(app: App) -> Lookup:
    return app.lookup


@pytest.fixture
def subscriptions(app: App) -> Subscriptions:
    return app.subscriptions
