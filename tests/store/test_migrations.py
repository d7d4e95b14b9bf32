"""Opening the store: pragmas, versioned migrations, refusal of newer schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from bot.store import MigrationError, Store, StoreError
from bot.store._db import Migration, connect, load_migrations, migrate, split_statements


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


async def test_open_creates_parent_directories_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "bot.db"
    async with await Store.open(path) as store:
        assert store.schema_version == len(load_migrations())
    assert path.exists()
    assert {"documents", "papers", "mentions", "paper_tags", "tags", "paper_search"} <= _tables(
        path
    )
    assert _user_version(path) == len(load_migrations())


async def test_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    for _ in range(3):
        store = await Store.open(path)
        await store.close()
        await store.close()  # closing twice is harmless
    assert _user_version(path) == len(load_migrations())


async def test_migrate_twice_applies_nothing_the_second_time(tmp_path: Path) -> None:
    db = await connect(tmp_path / "bot.db")
    try:
        first = await migrate(db)
        second = await migrate(db)
        assert first == second == len(load_migrations())
    finally:
        await db.close()


async def test_pragmas(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "bot.db") as store:
        writer, reader = store.db.writer, store.db.reader

        async def pragma(db: aiosqlite.Connection, name: str) -> object:
            rows = list(await db.execute_fetchall(f"PRAGMA {name}"))
            return rows[0][0]

        assert await pragma(writer, "journal_mode") == "wal"
        assert await pragma(writer, "foreign_keys") == 1
        assert await pragma(writer, "busy_timeout") == 5000
        assert await pragma(reader, "query_only") == 1


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await (await Store.open(path)).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 999")
    with pytest.raises(StoreError, match="newer"):
        await Store.open(path)


async def test_failed_migration_rolls_back_entirely(tmp_path: Path) -> None:
    broken = [
        Migration(1, "0001_ok.sql", ("CREATE TABLE one (x)",)),
        Migration(2, "0002_bad.sql", ("CREATE TABLE two (x)", "INSERT INTO nowhere VALUES (1)")),
    ]
    db = await connect(tmp_path / "bot.db")
    try:
        with pytest.raises(MigrationError, match="0002_bad"):
            await migrate(db, broken)
        assert not db.in_transaction
    finally:
        await db.close()
    assert _user_version(tmp_path / "bot.db") == 1
    assert "one" in _tables(tmp_path / "bot.db")
    assert "two" not in _tables(tmp_path / "bot.db")


def test_migrations_are_numbered_without_gaps() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(m.statements for m in migrations)


def test_split_statements_keeps_trigger_bodies_and_strings_whole() -> None:
    sql = """
    -- a comment; with a semicolon
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        INSERT INTO t VALUES ('x'); DELETE FROM t WHERE x = 'y';
    END; CREATE INDEX i ON t (x);
    """
    statements = split_statements(sql)
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER")
    assert statements[1].endswith("END;")


def test_split_statements_rejects_an_unterminated_statement() -> None:
    with pytest.raises(MigrationError):
        split_statements("CREATE TABLE t (x);\nCREATE TABLE u (y)")


async def test_rank_weights_match_the_search_code(tmp_path: Path) -> None:
    from bot.store.papers.search import _BM25

    async with await Store.open(tmp_path / "bot.db") as store:
        rows = list(
            await store.db.reader.execute_fetchall(
                "SELECT v FROM paper_search_config WHERE k = 'rank'"
            )
        )
    assert rows[0][0] == _BM25.replace("paper_search, ", "")
