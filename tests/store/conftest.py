"""Fixtures for the store tests: a real SQLite file in a temporary directory, never a mock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import bot
from bot.store import Store

SAMPLES = Path(bot.__file__).parent / "sample_digests"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await Store.open(tmp_path / "data" / "paperbot.db") as opened:
        yield opened


@pytest.fixture
async def samples(store: Store) -> Store:
    """The bundled sample digests, parsed by the real parsers, in the store."""
    from bot.digests.parse import parse_paths
    from bot.digests.tags import load_vocabulary

    result = parse_paths([SAMPLES], load_vocabulary())
    assert result.errors == []
    await store.ingest(result.documents)
    return store
