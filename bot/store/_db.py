"""The shared database handle, its connections, and the versioned SQL migrations.

Migrations are ``migrations/NNNN_name.sql`` files, applied in order, each in its own
``BEGIN IMMEDIATE`` transaction together with the ``PRAGMA user_version`` bump, so a failed
migration leaves the database exactly as it was. The version is re-read inside the
transaction: two processes opening a fresh database at once cannot both apply a migration.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.store._file import (
    StoreError,
    StoreUnusableError,
    check_file,
    classify,
    needs_read_only,
    read_only_mode,
)

__all__ = [
    "Database",
    "Migration",
    "MigrationError",
    "SchemaTooNewError",
    "StoreError",
    "StoreUnusableError",
    "connect",
    "load_migrations",
    "migrate",
    "read_meta",
    "split_statements",
]

_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5_000


class MigrationError(StoreError):
    pass


class SchemaTooNewError(StoreError):
    def __init__(self, version: int, latest: int) -> None:
        super().__init__(
            f"the database is at schema version {version}, newer than this code ({latest})"
        )
        self.version = version
        self.latest = latest


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def split_statements(sql: str) -> list[str]:
    """Split a script into statements, respecting strings, comments and trigger bodies.

    Statements are run one by one with ``execute`` rather than ``executescript`` because
    Python 3.11's ``executescript`` commits any open transaction first, which would break the
    one-transaction-per-migration guarantee.
    """
    statements: list[str] = []
    start = 0
    for end, char in enumerate(sql):
        if char == ";" and sqlite3.complete_statement(sql[start : end + 1]):
            statement = sql[start : end + 1].strip()
            start = end + 1
            if _has_code(statement):
                statements.append(statement)
    if _has_code(sql[start:]):
        raise MigrationError(f"unterminated statement: {sql[start:].strip()[:80]!r}")
    return statements


def _has_code(text: str) -> bool:
    lines = (line.split("--", 1)[0].strip() for line in text.splitlines())
    return any(line and line != ";" for line in lines)


def load_migrations() -> list[Migration]:
    """The packaged migrations, checked to be numbered 1, 2, 3... without gaps."""
    folder = resources.files("bot.store").joinpath("migrations")
    migrations: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_FILE.match(entry.name)
        if match is None:
            continue
        statements = tuple(split_statements(entry.read_text(encoding="utf-8")))
        migrations.append(Migration(int(match.group(1)), entry.name, statements))
    migrations.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise MigrationError(f"migration {expected:04d} is missing (found {migration.name})")
    return migrations


async def connect(
    path: Path, *, read_only: bool = False, file_mode: str | None = None
) -> aiosqlite.Connection:
    """One connection with the store's pragmas; autocommit mode, explicit transactions.

    ``isolation_level=None`` stops Python's sqlite3 from opening transactions behind our back:
    every transaction in the store is an explicit ``BEGIN IMMEDIATE`` ... ``COMMIT``.
    ``file_mode`` opens the file through a URI: ``mode=ro`` (a store we may not write) or
    ``immutable=1`` (read-only and nobody else writes: no -shm file needed).
    """
    if file_mode is None:
        pending = aiosqlite.connect(path, isolation_level=None)
    else:
        pending = aiosqlite.connect(_uri(path, file_mode), isolation_level=None, uri=True)
    try:
        db = await pending
    except BaseException:
        # aiosqlite queues its thread's stop without waiting: wait here, or the thread may
        # outlive the event loop and print a traceback of its own on the way out.
        await asyncio.to_thread(pending._thread.join, 5.0)
        raise
    try:
        db.row_factory = sqlite3.Row
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL, much faster
        await db.execute("PRAGMA temp_store = MEMORY")
        await db.execute("PRAGMA cache_size = -32000")  # 32 MB
        if read_only:
            await db.execute("PRAGMA query_only = ON")
        else:
            await db.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        await db.close()
        raise
    return db


def _uri(path: Path, query: str) -> str:
    return f"{Path(os.path.abspath(path)).as_uri()}?{query}"  # no file-system access


async def _user_version(db: aiosqlite.Connection) -> int:
    rows = list(await db.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


async def migrate(db: aiosqlite.Connection, migrations: list[Migration] | None = None) -> int:
    """Apply pending migrations; return the schema version now in effect."""
    migrations = load_migrations() if migrations is None else migrations
    latest = migrations[-1].version if migrations else 0
    version = await _user_version(db)
    if version > latest:
        raise SchemaTooNewError(version, latest)
    for migration in migrations[version:]:
        await db.execute("BEGIN IMMEDIATE")
        try:
            if await _user_version(db) >= migration.version:  # another process got there first
                await db.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {migration.version:d}")
            await db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise MigrationError(f"migration {migration.name} failed: {exc}") from exc
            raise
    return max(version, latest)


class Database:
    """The one handle every part of the store shares: two connections and the write lock.

    Writes go through ``writer`` one transaction at a time (``write_lock`` keeps other
    coroutines' statements out of an open transaction); reads go through ``reader``, which in
    WAL mode sees the last committed state, so a search never waits behind a long ingest.
    """

    def __init__(
        self,
        path: Path,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.writer = writer
        self.reader = reader
        self.read_only = read_only  # then writer is reader, and every write fails
        self.write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, path: Path, *, read_only: bool = False) -> tuple[Database, int]:
        """Open (creating if needed) and migrate; returns the handle and the schema version.

        ``read_only``: open an existing store we may not write (no migration, no write).
        A file that cannot be used raises ``StoreUnusableError`` naming it."""
        check_file(path)
        try:
            if read_only:
                return await cls._open_read_only(path)
            if needs_read_only(path):  # refused before SQLite writes anything beside it
                raise StoreUnusableError(path, "read_only", "it is read-only for this user")
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = await connect(path)
            try:
                version = await migrate(writer)
                reader = await connect(path, read_only=True)
            except BaseException:
                await writer.close()
                raise
        except SchemaTooNewError as exc:
            raise StoreUnusableError(path, "newer", str(exc)) from exc
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnusableError(path, *classify(exc)) from exc
        return cls(path, writer, reader), version

    @classmethod
    async def _open_read_only(cls, path: Path) -> tuple[Database, int]:
        mode = read_only_mode(path)  # creates no -wal/-shm file that the owner would trip on
        try:
            db = await connect(path, read_only=True, file_mode=mode)
            version = await _user_version(db)
        except sqlite3.OperationalError:
            if mode == "immutable=1":
                raise
            # The -shm file of a live writer that we may not even read: read the file as it
            # is on disk instead.
            db = await connect(path, read_only=True, file_mode="immutable=1")
            version = await _user_version(db)
        latest = len(load_migrations())
        if version != latest:
            await db.close()
            if version > latest:
                raise SchemaTooNewError(version, latest)
            raise StoreUnusableError(
                path, "outdated", f"at schema version {version}, older than this code ({latest})"
            )
        return cls(path, db, db, read_only=True), version

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self.read_only:
            await self.reader.close()
            return
        try:
            async with self.write_lock:
                await self.writer.execute("PRAGMA optimize")
        finally:
            await self.reader.close()
            await self.writer.close()

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        return list(await self.reader.execute_fetchall(sql, params))

    async def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """One autocommit statement; returns the number of rows changed."""
        async with self.write_lock:
            cursor = await self.writer.execute(sql, params)
            return cursor.rowcount

    async def write_returning(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        async with self.write_lock:
            return list(await self.writer.execute_fetchall(sql, params))

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` under the write lock; rolled back on any error.

        The body may end the transaction itself (``ROLLBACK`` and return early): then there is
        nothing left to commit.
        """
        async with self.write_lock:
            db = self.writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                if db.in_transaction:
                    await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise


def read_meta(path: Path, key: str) -> str | None:
    """One ``meta`` value, read without migrating or writing: for probes from outside the
    process (the health check), which must stay light and never change the store."""
    try:
        uri = f"{path.resolve().as_uri()}?{read_only_mode(path)}"  # creates no -wal/-shm
        db = sqlite3.connect(uri, uri=True, timeout=5.0)
        try:
            rows = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the store at {path}: {exc}") from exc
    return str(rows[0][0]) if rows else None
