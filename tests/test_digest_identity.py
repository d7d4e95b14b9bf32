"""Which files are one digest: a note is keyed by its paper and its file name, never its path."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.ingest.files import ingest_paths
from bot.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "identity"
SHEPHERD = "2308.04592"


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


async def _ingest(db: Path, *paths: Path) -> tuple[int, int, int, int]:
    async with await Store.open(db) as store:
        totals = await ingest_paths(store, list(paths))
    return totals.new, totals.updated, totals.unchanged, totals.failed


async def test_two_notes_about_one_paper_stay_two_documents(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert await _ingest(db, FIXTURES / "notes") == (2, 0, 0, 0)
    assert await _ingest(db, FIXTURES / "notes") == (0, 0, 2, 0)

    assert sorted(_rows(db, "SELECT key FROM documents")) == [
        (f"note:arxiv:{SHEPHERD} | 230808 Shepherd.md",),
        (f"note:arxiv:{SHEPHERD} | 231120 Shepherd again.md",),
    ]
    # One paper, two mentions: both notes' commentary is kept.
    assert _rows(db, "SELECT count(*), min(arxiv_id) FROM papers") == [(1, SHEPHERD)]
    commentary = [row[0] for row in _rows(db, "SELECT commentary FROM mentions ORDER BY id")]
    assert len(commentary) == 2
    assert any("두 번째 노트" in str(text) for text in commentary)


async def test_path_spelling_does_not_change_a_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "notes", tmp_path / "digests")
    (tmp_path / "link").symlink_to(tmp_path / "digests", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "s.db"
    assert await _ingest(db, Path("digests")) == (2, 0, 0, 0)
    for spelling in (Path("./digests"), tmp_path / "digests", Path("link"), tmp_path / "link"):
        assert await _ingest(db, spelling) == (0, 0, 2, 0), spelling
    assert _rows(db, "SELECT count(*) FROM documents") == [(2,)]


async def test_a_note_moved_into_a_year_folder_is_the_same_document(tmp_path: Path) -> None:
    root = tmp_path / "digests"
    shutil.copytree(FIXTURES / "notes", root)
    db = tmp_path / "s.db"
    assert await _ingest(db, root) == (2, 0, 0, 0)
    (root / "2024").mkdir()
    (root / "2023" / "231120 Shepherd again.md").rename(root / "2024" / "231120 Shepherd again.md")
    assert await _ingest(db, root) == (0, 0, 2, 0)
    assert _rows(db, "SELECT count(*) FROM documents") == [(2,)]
    assert _rows(db, "SELECT count(*) FROM mentions") == [(2,)]


async def test_two_copies_of_one_note_in_a_run_keep_the_fuller_one_with_a_notice(
    tmp_path: Path,
) -> None:
    root = tmp_path / "digests"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    note = FIXTURES / "notes" / "2023" / "230808 Shepherd.md"
    shutil.copy(note, root / "a" / note.name)
    edited = note.read_text("utf-8").replace("#alignment", "#alignment #critique")
    (root / "b" / note.name).write_text(edited, "utf-8")
    db = tmp_path / "s.db"
    async with await Store.open(db) as store:
        first = await ingest_paths(store, [root])
        again = await ingest_paths(store, [root])
    # Not flapping ("updated: 2" forever), not a failure: b is fuller, a is a copy of it.
    assert (first.new, first.updated, first.failed) == (1, 0, 0)
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 1, 0)
    (notice,) = again.notices
    assert notice.source == str(root / "a" / note.name)
    assert str(root / "b" / note.name) in notice.message
    assert _rows(db, "SELECT source FROM documents") == [(str(root / "b" / note.name),)]
    assert "critique" in str(_rows(db, "SELECT tags FROM mentions"))


async def test_an_identical_copy_is_unchanged_not_an_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    copy = tmp_path / "copy"
    shutil.copytree(FIXTURES / "notes", copy)
    assert await _ingest(db, FIXTURES / "notes", copy) == (2, 0, 2, 0)


async def test_a_store_keyed_by_an_earlier_version_is_adopted_not_duplicated(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.db"
    one = FIXTURES / "notes" / "2023" / "230808 Shepherd.md"
    assert await _ingest(db, one) == (1, 0, 0, 0)
    with sqlite3.connect(db) as conn:  # what earlier versions stored: no file name, other hash
        conn.execute(f"UPDATE documents SET key = 'note:arxiv:{SHEPHERD}', content_hash = 'x'")
    assert await _ingest(db, one) == (0, 1, 0, 0)
    assert _rows(db, "SELECT key FROM documents") == [(f"note:arxiv:{SHEPHERD} | {one.name}",)]
    assert await _ingest(db, FIXTURES / "notes") == (1, 0, 1, 0)
    assert _rows(db, "SELECT count(*) FROM papers") == [(1,)]
