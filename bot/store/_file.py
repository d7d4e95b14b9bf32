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
]

StoreProblem = Literal["not_a_store", "truncated", "corrupt", "newer", "outdated", "cannot_open"]

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


def classify(exc: sqlite3.Error | OSError) -> tuple[StoreProblem, str]:
    """The problem an error from SQLite or the file system reveals, and its wording."""
    if isinstance(exc, OSError):
        return "cannot_open", exc.strerror or str(exc)
    text = str(exc)
    if "file is not a database" in text:
        return "not_a_store", "not an SQLite database"
    if "malformed" in text or "corrupt" in text:
        return "corrupt", "damaged (database disk image is malformed)"
    return "cannot_open", text


def needs_read_only(path: Path) -> bool:
    """An existing store that this process cannot write: the file, or its folder (SQLite's
    -wal and -shm files live beside it), is read-only for us."""
    if not path.is_file():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
