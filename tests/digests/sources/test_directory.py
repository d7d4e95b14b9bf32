"""The local-folder source: same protocol, and like the remote ones it returns what is new."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx

from bot.digests.sources import (
    DirectorySource,
    ForumSource,
    HttpFetcher,
    NotesRepoSource,
    Source,
)
from bot.digests.tags import TagVocabulary

from .posts import NOTES, WEEKLY_SAMPLE


def copy_samples(folder: Path) -> Path:
    shutil.copytree(NOTES, folder / "notes")
    shutil.copy(WEEKLY_SAMPLE, folder / WEEKLY_SAMPLE.name)
    return folder


async def test_first_poll_reads_everything_then_only_changes(
    tmp_path: Path, vocabulary: TagVocabulary
) -> None:
    folder = copy_samples(tmp_path / "digests")
    source = DirectorySource([folder], vocabulary)

    first = await source.fetch(None)
    assert len(first.documents) == 7  # six notes and the weekly issue; LICENSE is skipped
    assert first.parse_errors == []
    assert first.fetch_errors == []
    assert len(first.state.files) == 7

    second = await source.fetch(first.state)
    assert second.documents == []

    shepherd = folder / "notes" / "230808 Shepherd.md"
    shepherd.write_text(shepherd.read_text("utf-8") + "\n덧붙임.\n", "utf-8")
    stat = shepherd.stat()
    os.utime(shepherd, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    (folder / "notes" / "200103 BlendMask.md").unlink()
    (folder / "broken.txt").write_text("Just some text.\nNothing else.\n", "utf-8")

    third = await source.fetch(second.state)
    assert [document.key for document in third.documents] == [
        "note:arxiv:2308.04592 | 230808 Shepherd.md"
    ]
    (error,) = third.parse_errors
    assert error.source == str(folder / "broken.txt")
    assert error.line == 1
    assert str(folder / "notes" / "200103 BlendMask.md") not in third.state.files

    fourth = await source.fetch(third.state)
    assert fourth.documents == []
    assert fourth.parse_errors == []  # a bad file is reported once, until it changes


async def test_a_missing_path_is_an_error_every_poll(
    tmp_path: Path, vocabulary: TagVocabulary
) -> None:
    source = DirectorySource([tmp_path / "nowhere.txt"], vocabulary)
    first = await source.fetch(None)
    second = await source.fetch(first.state)
    assert [error.line for error in first.parse_errors] == [0]
    assert [error.line for error in second.parse_errors] == [0]


async def test_non_incremental_reads_everything_every_time(
    tmp_path: Path, vocabulary: TagVocabulary
) -> None:
    folder = copy_samples(tmp_path / "digests")
    source = DirectorySource([str(folder)], vocabulary, incremental=False)
    first = await source.fetch(None)
    second = await source.fetch(first.state)
    assert len(first.documents) == len(second.documents) == 7


async def test_every_source_satisfies_the_protocol(
    tmp_path: Path, http: HttpFetcher, vocabulary: TagVocabulary, client: httpx.AsyncClient
) -> None:
    sources: list[Source] = [
        DirectorySource([tmp_path], vocabulary),
        ForumSource(http, vocabulary, base_url="http://127.0.0.1:1"),
        NotesRepoSource(
            http, vocabulary, api_url="http://127.0.0.1:1", raw_url="http://127.0.0.1:1"
        ),
    ]
    for source in sources:
        assert isinstance(source, Source)
    names = [source.name for source in sources]
    assert names[1] == "forum:127.0.0.1:1/c/news/14"
    assert names[2] == "notes:rosinality/ml-papers@main/papers/"
    assert len(set(names)) == 3


TABLE = (
    Path(__file__).parents[2] / "fixtures" / "notes_repo" / "papers" / "reviews" / "llm-dataset.md"
)


async def test_a_table_in_the_folder_is_a_notice_on_every_poll_mode(
    tmp_path: Path, vocabulary: TagVocabulary
) -> None:
    """The directory poll reports a file that is no digest as `paperbot ingest` does: a notice
    with file, line and why; the digests beside it load, nothing counts as failed."""
    folder = copy_samples(tmp_path / "digests")
    shutil.copy(TABLE, folder / "llm-dataset.md")
    for incremental in (True, False):
        result = await DirectorySource([folder], vocabulary, incremental=incremental).fetch(None)
        assert len(result.documents) == 7
        assert result.parse_errors == []
        (notice,) = result.notices
        assert (Path(notice.source).name, notice.line) == ("llm-dataset.md", 7)
        assert "not a digest" in notice.message
