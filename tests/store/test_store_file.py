"""A store file that cannot be used is named with its problem; a read-only one still reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.digests.models import DigestKind
from bot.store import Store, StoreUnusableError, needs_read_only


async def _filled(path: Path) -> None:
    async with await Store.open(path) as store:
        await store.db.write("INSERT INTO meta (key, value) VALUES ('k', 'v')")


async def test_a_cut_short_store_is_named_before_sqlite_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await _filled(path)
    data = path.read_bytes()
    assert len(data) > 8192
    path.write_bytes(data[:4096])
    with pytest.raises(StoreUnusableError) as caught:
        await Store.open(path)
    assert caught.value.problem == "truncated"
    assert caught.value.path == path


@pytest.mark.parametrize("content", [b"x" * 4096, b"SQLite"])
async def test_not_an_sqlite_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bot.db"
    path.write_bytes(content)
    with pytest.raises(StoreUnusableError) as caught:
        await Store.open(path)
    assert caught.value.problem == "not_a_store"


async def test_read_only_store_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await _filled(path)
    async with await Store.open(path, read_only=True) as store:
        assert store.db.read_only
        assert (await store.search("anything")).hits == []
        assert (await store.stats()).documents.get(DigestKind.WEEKLY, 0) == 0
        with pytest.raises(sqlite3.OperationalError, match=r"readonly"):
            await store.db.write("INSERT INTO meta (key, value) VALUES ('x', 'y')")


async def test_read_only_open_of_an_older_schema_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await _filled(path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 1")
    with pytest.raises(StoreUnusableError) as caught:
        await Store.open(path, read_only=True)
    assert caught.value.problem == "outdated"


def test_needs_read_only_only_for_an_existing_file(tmp_path: Path) -> None:
    assert not needs_read_only(tmp_path / "missing.db")
    (tmp_path / "bot.db").write_bytes(b"")
    assert not needs_read_only(tmp_path / "bot.db")  # ours to write
