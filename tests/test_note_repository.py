"""Identity on a real notes repository's shapes (``tests/fixtures/notes_repo``, after
``rosinality/ml-papers``): reviews stay their own entries, tables are no weeklies, and copies
of a note in two folders are one note with a notice, by every entry point."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.digests.models import DigestKind, Document, Link, LinkKind, Paper
from bot.digests.parse import parse_file
from bot.digests.sources import DirectorySource
from bot.digests.tags import load_vocabulary
from bot.ingest.files import IngestTotals, ingest_paths
from bot.ingest.poll import read_source
from bot.store import Store
from bot.store.papers._aliases import REVIEW_SQL

REPO = Path(__file__).parent / "fixtures" / "notes_repo"
PAPERS = REPO / "papers"


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def _title(db: Path, identity: str) -> object:
    """The title a paper is shown with: its merged title, else its one mention's."""
    (row,) = _rows(
        db,
        "SELECT coalesce(p.title_en, (SELECT coalesce(title_en, title_ko) FROM mentions"
        f" WHERE paper_id = p.id)) FROM papers AS p WHERE identity = '{identity}'",
    )
    return row[0]


async def _ingest(db: Path, *paths: Path) -> IngestTotals:
    async with await Store.open(db) as store:
        return await ingest_paths(store, list(paths))


@pytest.fixture
async def repo_db(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    await _ingest(db, REPO)
    return db


async def test_a_review_never_takes_renames_or_absorbs_its_first_linked_paper(
    repo_db: Path,
) -> None:
    # "230221 Anthropic.md" opens with Constitutional AI's link and two more.
    assert _title(repo_db, "arxiv:2212.08073") == "Constitutional AI: Harmlessness from AI Feedback"
    # "210227 Thoughts…" is titled by IBRNet and has PVT on its first link line.
    assert _title(repo_db, "arxiv:2102.12122").startswith("Pyramid Vision Transformer")
    assert _rows(
        repo_db,
        "SELECT count(*) FROM mentions AS m JOIN papers AS p ON p.id = m.paper_id"
        " WHERE p.identity IN ('arxiv:2212.08073', 'arxiv:2102.12122')",
    ) == [(2,)]
    anthropic = _rows(
        repo_db,
        "SELECT p.arxiv_id, m.links FROM papers AS p JOIN mentions AS m ON m.paper_id = p.id"
        " WHERE p.identity = 'review:2023-02-21 anthropic'",
    )
    assert len(anthropic) == 1
    arxiv_id, links = anthropic[0]
    assert arxiv_id is None
    assert all(f"abs/{ref}" in str(links) for ref in ("2212.08073", "2302.07459", "2302.08582"))


async def test_reviews_without_a_link_stay_separate_entries(repo_db: Path) -> None:
    assert _rows(repo_db, "SELECT count(*) FROM papers WHERE identity GLOB 'title:*'") == [(0,)]
    reviews = _rows(repo_db, f"SELECT identity FROM papers AS p WHERE {REVIEW_SQL} ORDER BY 1")
    assert reviews == [
        ("review:2019-12-10 thoughts on recent papers",),
        ("review:2021-02-27 thoughts on recent papers",),
        ("review:2021-03-23 thoughts on recent papers",),
        ("review:2023-02-21 anthropic",),
    ]
    # each review is one entry with one mention: nothing merged into it
    assert _rows(
        repo_db,
        "SELECT max(n) FROM (SELECT count(*) AS n FROM mentions AS m"
        f" JOIN papers AS p ON p.id = m.paper_id WHERE {REVIEW_SQL} GROUP BY p.id)",
    ) == [(1,)]


def test_a_table_is_refused_with_its_file_line_and_reason() -> None:
    table = PAPERS / "reviews" / "llm-dataset.md"
    result = parse_file(table, load_vocabulary())
    assert result.documents == []
    assert result.errors == []
    (notice,) = result.notices
    assert (notice.source, notice.line) == (str(table), 7)  # the table's header row
    assert "not a digest" in notice.message
    assert "table" in notice.message


async def test_a_whole_repository_ingest_has_no_failure_only_notices(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    totals = await _ingest(db, REPO)
    assert (totals.new, totals.failed, totals.errors) == (7, 0, [])
    notices = {Path(notice.source).relative_to(PAPERS).as_posix() for notice in totals.notices}
    assert notices == {
        "arXiv/211122 ExT5.md",  # the inbox copy without commentary
        "2019/191210 Thoughts on recent papers.md",  # the reviews/ copy has a heading more
        "reviews/llm-dataset.md",
        "2016/09.md",
    }
    # The annotated ExT5 note is the one stored; the copy's note is one paper, one note.
    assert _rows(db, "SELECT source FROM documents WHERE key GLOB 'note:arxiv:2111.10952*'") == [
        (str(PAPERS / "2021" / "211122 ExT5.md"),)
    ]
    assert _rows(db, "SELECT count(*) FROM documents WHERE kind = 'weekly'") == [(0,)]
    again = await _ingest(db, REPO)
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 7, 0)
    assert len(again.notices) == 4


async def test_the_fuller_copy_wins_whichever_folder_is_read_first(tmp_path: Path) -> None:
    # The stub sorts first here ("0inbox" < "2021"): the annotated note still wins.
    root = tmp_path / "papers"
    (root / "0inbox").mkdir(parents=True)
    (root / "2021").mkdir()
    shutil.copy(PAPERS / "arXiv" / "211122 ExT5.md", root / "0inbox")
    shutil.copy(PAPERS / "2021" / "211122 ExT5.md", root / "2021")
    db = tmp_path / "s.db"
    first = await _ingest(db, root)
    again = await _ingest(db, root)
    assert (first.new, first.updated, first.failed) == (1, 0, 0)
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 1, 0)
    assert [Path(notice.source).parent.name for notice in again.notices] == ["0inbox"]
    assert "벤치마크" in str(_rows(db, "SELECT commentary FROM mentions"))


def test_the_cli_exits_0_and_prints_the_notices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", "[]")  # no bundled samples in the count
    monkeypatch.delenv("PAPERBOT_CONFIG", raising=False)
    monkeypatch.delenv("PAPERBOT_STORE__PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(REPO), "--db", str(tmp_path / "s.db")]) == 0
    captured = capsys.readouterr()
    assert "failed: 0  notices: 4" in captured.out
    assert f"notice: {PAPERS / 'reviews' / 'llm-dataset.md'}:7: not a digest" in captured.err
    assert f"notice: {PAPERS / 'arXiv' / '211122 ExT5.md'}: not stored: a copy of" in (captured.err)
    assert "error" not in captured.err


async def test_the_directory_poll_applies_the_same_rule(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    source = DirectorySource([REPO], load_vocabulary(), name="local")
    async with await Store.open(db) as store:
        read = await read_source(store, source)
    # the two copies are a notice, not a parse error; the table is skipped by the parser
    assert (read.new, read.parse_errors, read.error) == (7, 0, None)
    assert _rows(db, "SELECT source FROM documents WHERE key GLOB 'note:arxiv:2111.10952*'") == [
        (str(PAPERS / "2021" / "211122 ExT5.md"),)
    ]
    assert _rows(db, "SELECT count(*) FROM papers WHERE identity GLOB 'title:*'") == [(0,)]


def _as_earlier_versions_stored_it(path: Path) -> Document:
    """``230221 Anthropic.md`` as parsed before reviews existed: a note about its first link."""
    links = [Link(kind=LinkKind.PAPER, url="https://arxiv.org/abs/2212.08073")]
    return Document(
        source=str(path),
        kind=DigestKind.NOTE,
        title="Anthropic",
        date=dt.date(2023, 2, 21),
        papers=[Paper(title_en="Anthropic", commentary="최근에 Anthropic 쪽에서", links=links)],
    )


@pytest.mark.parametrize("copy", [False, True])
async def test_a_store_written_by_an_earlier_version_is_repaired_in_place(
    tmp_path: Path, copy: bool
) -> None:
    root = tmp_path / "papers"
    shutil.copytree(PAPERS / "2021", root / "2021")
    (root / "2023").mkdir()
    review = root / "2023" / "230221 Anthropic.md"
    shutil.copy(PAPERS / "2023" / review.name, review)
    if copy:  # a fuller copy elsewhere wins, and still takes over the old row of this one
        (root / "reviews").mkdir()
        text = review.read_text("utf-8")
        (root / "reviews" / review.name).write_text(f"# 230221 최근 논문 몇 편\n\n{text}", "utf-8")
    db = tmp_path / "s.db"
    async with await Store.open(db) as store:
        await store.ingest([_as_earlier_versions_stored_it(review)])
    assert _title(db, "arxiv:2212.08073") == "Anthropic"  # the damage earlier versions did

    totals = await _ingest(db, root)
    assert (totals.new, totals.failed) == (5, 0)  # the five 2021 notes; the review is updated
    assert totals.updated == 1
    assert _title(db, "arxiv:2212.08073") == "Constitutional AI: Harmlessness from AI Feedback"
    assert _rows(db, "SELECT count(*) FROM documents") == [(6,)]
    stored = root / ("reviews" if copy else "2023") / review.name
    assert _rows(db, "SELECT key, source FROM documents WHERE title = 'Anthropic'") == [
        ("note:name:230221 Anthropic.md", str(stored))
    ]


async def test_copies_far_apart_in_a_big_repository_are_stored_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store call per paper: the copies must still meet in one call, or each run would store
    # the stub and then the annotated note over it ("updated: 2" forever).
    monkeypatch.setattr("bot.ingest.files.STORE_PAPERS", 1)
    monkeypatch.setattr("bot.ingest.pool.CHUNK", 1)
    root = tmp_path / "papers"
    shutil.copytree(PAPERS / "2021", root / "2021")
    (root / "0inbox").mkdir()
    shutil.copy(PAPERS / "arXiv" / "211122 ExT5.md", root / "0inbox")
    db = tmp_path / "s.db"
    first = await _ingest(db, root)
    again = await _ingest(db, root)
    assert (first.new, first.updated, first.failed, len(first.notices)) == (5, 0, 0, 1)
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 5, 0)
    assert _rows(db, "SELECT source FROM documents WHERE key GLOB 'note:arxiv:2111.10952*'") == [
        (str(root / "2021" / "211122 ExT5.md"),)
    ]


async def test_a_paper_record_says_whether_it_is_a_review(repo_db: Path) -> None:
    ids = dict(_rows(repo_db, "SELECT identity, id FROM papers"))
    async with await Store.open(repo_db) as store:
        review = await store.get_paper(int(str(ids["review:2023-02-21 anthropic"])))
        paper = await store.get_paper(int(str(ids["arxiv:2212.08073"])))
    assert review is not None
    assert paper is not None
    assert (review.is_review, paper.is_review) == (True, False)
    assert review.title == "Anthropic"


async def test_a_copy_stored_twice_by_an_earlier_version_is_retired(tmp_path: Path) -> None:
    # Earlier versions keyed the two copies of a review differently and stored both: the
    # year-folder copy on Constitutional AI's identity, the reviews/ copy by its name.
    root = tmp_path / "papers"
    shutil.copytree(PAPERS / "2021", root / "2021")
    (root / "2023").mkdir()
    (root / "reviews").mkdir()
    review = root / "2023" / "230221 Anthropic.md"
    shutil.copy(PAPERS / "2023" / review.name, review)
    fuller = root / "reviews" / review.name
    fuller.write_text(f"# 230221 최근 논문 몇 편\n\n{review.read_text('utf-8')}", "utf-8")
    by_name = Document(
        source=str(fuller),
        kind=DigestKind.NOTE,
        title="Anthropic",
        date=dt.date(2023, 2, 21),
        papers=[Paper(title_en="Anthropic", commentary="# Anthropic")],
    )
    db = tmp_path / "s.db"
    async with await Store.open(db) as store:
        await store.ingest([_as_earlier_versions_stored_it(review), by_name])
    assert _rows(db, "SELECT count(*) FROM documents") == [(2,)]

    totals = await _ingest(db, root)
    assert (totals.new, totals.updated, totals.failed, len(totals.notices)) == (5, 1, 0, 1)
    assert _title(db, "arxiv:2212.08073") == "Constitutional AI: Harmlessness from AI Feedback"
    assert _rows(db, "SELECT source FROM documents WHERE title = 'Anthropic'") == [(str(fuller),)]
    assert _rows(db, "SELECT count(*) FROM papers WHERE identity GLOB 'title:*'") == [(0,)]
    again = await _ingest(db, root)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
