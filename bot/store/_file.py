"""What can be wrong with a store file, found before (or while) SQLite opens it.

``StoreUnusableError`` names the file and the problem; ``bot.runtime.operator_errors`` turns it
into the one line an operator reads. ``check_file`` reads only the 100-byte SQLite header: cheap
enough for every start, and it catches what SQLite itself reports late or vaguely (a file that
is no database at all; one cut short by a full disk or an interrupted copy).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Literal

__all__ = [
    "StoreError",
    "StoreProblem",
    "StoreUnusableError",
    "check_file",
    "classify",
    "needs_read_only",
    "read_only_mode",
    "recognise",
]

StoreProblem = Literal[
    "not_a_store",
    "foreign",
    "truncated",
    "corrupt",
    "newer",
    "outdated",
    "read_only",
    "cannot_open",
]

_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used (newer schema, broken migration files...)."""


class StoreUnusableError(StoreError):
    """The store file at ``path`` cannot be used; ``problem`` says why, ``detail`` in words."""

    def __init__(self, path: Path, problem: StoreProblem, detail: str) -> None:
        super().__init__(f"the store {path} is unusable: {detail}")
        self.path = path
        self.problem = problem
        self.detail = detail


def check_file(path: Path) -> None:
    """Raise ``StoreUnusableError`` for a file that is not an SQLite database or is cut short.

    A missing or empty file is fine (SQLite creates the database)."""
    try:
        size = path.stat().st_size
        if size == 0 or path.is_dir():
            return
        with path.open("rb") as file:
            header = file.read(100)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreUnusableError(path, "cannot_open", exc.strerror or str(exc)) from None
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise StoreUnusableError(path, "not_a_store", "not an SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid only when written by SQLite 3.7.0+ in step with
    # the change counter (offsets 24 and 92); then the file must hold every page.
    if header[24:28] == header[92:96] and pages and size < pages * page_size:
        raise StoreUnusableError(
            path, "truncated", f"cut short: {size} of {pages * page_size} bytes are there"
        )
    recognise(path)


# Tables every paperbot store has from its first migration on: with a schema version
# (``PRAGMA user_version``, bumped by each migration), they are paperbot's marker.
_MARKER_TABLES = frozenset({"documents", "papers", "mentions"})


def recognise(path: Path) -> None:
    """Refuse an SQLite database that is not a paperbot store before anything touches it.

    A new store is an empty database (no tables, schema version 0); a paperbot store has a
    schema version and paperbot's tables. Anything else belongs to another program: opening
    it to migrate would add ~40 tables to it, so it is refused and left byte for byte as it
    was. The probe opens the file so that SQLite creates nothing beside it
    (:func:`read_only_mode`)."""
    uri = f"{Path(os.path.abspath(path)).as_uri()}?{read_only_mode(path)}"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=5.0)
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            names = [
                str(row[0])
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
        finally:
            db.close()
    except sqlite3.Error:
        return  # opening it for real reports what is wrong, in its own words
    if not names and version == 0:
        return  # an empty database: a new store
    if version >= 1 and set(names) >= _MARKER_TABLES:
        return
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    what = f"tables {shown}" if names else f"schema version {version}, no tables"
    raise StoreUnusableError(
        path, "foreign", f"an SQLite database of another program ({what}), not a paperbot store"
    )


def read_only_mode(path: Path) -> str:
    """The URI parameters for reading ``path`` without creating a file beside it.

    A WAL store that is open somewhere (the bot) has its -wal and -shm files: read through
    them (``mode=ro``), as SQLite shares a database. Without them nobody has it open, and
    ``mode=ro`` would create them, owned by whoever reads; a second user's read-only search
    would leave files the owner's next write then fails on. ``immutable=1`` reads the file
    as it is on disk and creates nothing."""
    if not path.is_file():
        raise StoreUnusableError(path, "cannot_open", "no such file")
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    return "mode=ro" if wal.exists() and shm.exists() else "immutable=1"


def classify(exc: sqlite3.Error | OSError) -> tuple[StoreProblem, str]:
    """The problem an error from SQLite or the file system reveals, and its wording."""
    if isinstance(exc, OSError):
        return "cannot_open", exc.strerror or str(exc)
    text = str(exc)
    if "file is not a database" in text:
        return "not_a_store", "not an SQLite database"
    if "readonly" in text or "read-only" in text:
        return "read_only", "it is read-only for this user"
    if "malformed" in text or "corrupt" in text:
        return "corrupt", "damaged (database disk image is malformed)"
    return "cannot_open", text


def needs_read_only(path: Path) -> bool:
    """An existing store that this process cannot write: the file, or its folder (SQLite's
    -wal and -shm files live beside it), is read-only for us."""
    if not path.is_file():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
