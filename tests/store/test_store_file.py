"""A store file that cannot be used is named with its problem; a read-only one still reads."""

from __future__ import annotations

import hashlib
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


def _foreign(path: Path) -> str:
    """Another program's SQLite database; returns its content hash."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Ada', '123')")
    db.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("read_only", [False, True])
async def test_another_programs_database_is_refused_untouched(
    tmp_path: Path, read_only: bool
) -> None:
    path = tmp_path / "theirs.db"
    before = _foreign(path)
    with pytest.raises(StoreUnusableError) as caught:
        await Store.open(path, read_only=read_only)
    assert caught.value.problem == "foreign"
    assert "contacts" in caught.value.detail
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert _names(tmp_path) == {"theirs.db"}


async def test_an_empty_database_becomes_a_store_and_a_store_reopens(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()  # an empty file SQLite made: a new store
    async with await Store.open(path):
        pass
    async with await Store.open(path):  # paperbot's own: recognised
        pass


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _new_files(folder: Path, before: set[str]) -> set[str]:
    return _names(folder) - before


async def test_a_read_only_open_creates_no_file_beside_the_store(tmp_path: Path) -> None:
    """A second user's read-only search must not leave -wal/-shm files (owned by them) that
    the owner's next write would then fail on."""
    path = tmp_path / "bot.db"
    await _filled(path)
    before = _names(tmp_path)
    assert before == {"bot.db"}
    async with await Store.open(path, read_only=True) as store:
        assert (await store.stats()).papers == 0
        assert _new_files(tmp_path, before) == set()
    assert _new_files(tmp_path, before) == set()


async def test_a_read_only_open_beside_a_running_writer_sees_its_commits(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    async with await Store.open(path) as writer:  # the bot: its -wal and -shm exist
        await writer.set_meta("seen", "yes")
        async with await Store.open(path, read_only=True) as reader:
            assert await reader.get_meta("seen") == "yes"


async def test_a_writer_open_of_a_store_it_may_not_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.db"
    await _filled(path)
    monkeypatch.setattr("bot.store._db.needs_read_only", lambda _path: True)
    with pytest.raises(StoreUnusableError) as caught:
        await Store.open(path)
    assert caught.value.problem == "read_only"
    assert _names(tmp_path) == {"bot.db"}
