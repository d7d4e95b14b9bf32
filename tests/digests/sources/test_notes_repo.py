"""The notes repository source against GitHub-shaped API and raw servers on loopback."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.digests.models import DigestKind
from bot.digests.sources.base import FetchResult
from bot.digests.sources.http import HttpFetcher
from bot.digests.sources.notes_repo import NotesRepoSource
from bot.digests.tags import TagVocabulary

from .fakeweb import FakeWeb, Reply, ServerFactory, json_reply, status_reply
from .posts import NOTES

TREE = "/repos/rosinality/ml-papers/git/trees/main?recursive=1"
RAW_ROOT = "/rosinality/ml-papers/main/"
RENAMED_REROPE = "papers/2023/230810 ReRoPE 위치 보간.md"  # a Unicode name, as the repo has


@dataclass(frozen=True)
class Note:
    path: str
    sample: str  # file in bot/sample_digests/notes
    sha: str


NOTES_IN_REPO = [
    Note("papers/2020/200103 BlendMask.md", "200103 BlendMask.md", "b" * 40),
    Note(
        "papers/2023/230802 From Sparse to Soft Mixtures of Experts.md",
        "230802 From Sparse to Soft Mixtures of Experts.md",
        "c" * 40,
    ),
    Note("papers/2023/230808 Shepherd.md", "230808 Shepherd.md", "d" * 40),
    Note(RENAMED_REROPE, "230810 ReRoPE.md", "e" * 40),
]


def tree_item(path: str, sha: str, kind: str = "blob", size: int = 1000) -> dict[str, object]:
    item: dict[str, object] = {"path": path, "mode": "100644", "type": kind, "sha": sha}
    if kind == "blob":
        item["size"] = size
    return item


def tree(notes: list[Note], *, truncated: bool = False) -> dict[str, object]:
    items = [tree_item(note.path, note.sha) for note in notes]
    items += [
        tree_item("papers", "1" * 40, "tree"),
        tree_item("papers/README.md", "2" * 40),
        tree_item("papers/LICENSE", "3" * 40),
        tree_item("papers/2023/figure.png", "4" * 40),
        tree_item("drafts/230901 Draft.md", "5" * 40),  # outside the prefix
    ]
    return {"sha": "f" * 40, "url": "…", "tree": items, "truncated": truncated}


def serve_notes(raw: FakeWeb, notes: list[Note]) -> None:
    for note in notes:
        raw.route(RAW_ROOT + note.path, Reply(200, (NOTES / note.sample).read_bytes()))


@pytest.fixture
async def hosts(start_server: ServerFactory) -> tuple[FakeWeb, FakeWeb]:
    """GitHub's API host and its raw content host: two servers, as in production."""
    return await start_server(), await start_server()


def make_source(
    http: HttpFetcher,
    vocabulary: TagVocabulary,
    api: FakeWeb,
    raw: FakeWeb,
    *,
    max_files_per_poll: int = 200,
) -> NotesRepoSource:
    return NotesRepoSource(
        http,
        vocabulary,
        api_url=api.base,
        raw_url=raw.base,
        max_files_per_poll=max_files_per_poll,
    )


def keys(result: FetchResult) -> list[str]:
    return sorted(document.key for document in result.documents)


async def test_first_poll_reads_every_note_with_encoded_names(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO), etag='"tree-1"'))
    serve_notes(raw, NOTES_IN_REPO)
    result = await make_source(http, vocabulary, api, raw).fetch(None)

    assert result.fetch_errors == []
    assert result.parse_errors == []
    assert keys(result) == [
        "note:arxiv:2001.00309 | 200103 BlendMask.md",
        "note:arxiv:2308.00951 | 230802 From Sparse to Soft Mixtures of Experts.md",
        "note:arxiv:2308.04592 | 230808 Shepherd.md",
        "note:https://github.com/bojone/rerope | 230810 ReRoPE 위치 보간.md",
    ]
    # Only notes under the prefix; README, LICENSE, images and other folders are skipped.
    assert sorted(request.path.removeprefix(RAW_ROOT) for request in raw.requests) == sorted(
        note.path for note in NOTES_IN_REPO
    )
    on_the_wire = {request.path: request.raw_path for request in raw.requests}
    assert on_the_wire[RAW_ROOT + RENAMED_REROPE] == RAW_ROOT + quote(RENAMED_REROPE)
    assert "%20" in on_the_wire[RAW_ROOT + RENAMED_REROPE]
    assert "%EC%9C%84" in on_the_wire[RAW_ROOT + RENAMED_REROPE]  # 위

    (api_request,) = api.requests
    assert api_request.headers["Accept"] == "application/vnd.github+json"
    assert "Authorization" not in api_request.headers

    rerope = next(d for d in result.documents if "rerope" in d.key)
    assert rerope.kind is DigestKind.NOTE
    assert rerope.source == f"{raw.base}{RAW_ROOT}{quote(RENAMED_REROPE)}"
    assert rerope.title == "ReRoPE 위치 보간"  # from the decoded file name
    assert rerope.date == date(2023, 8, 10)
    shepherd = next(d for d in result.documents if d.key.startswith("note:arxiv:2308.04592"))
    assert shepherd.papers[0].title_en == "Shepherd: A Critic for Language Model Generation"
    assert "alignment" in shepherd.papers[0].tags

    state = result.state
    assert state.seen_blobs == {note.sha for note in NOTES_IN_REPO}
    assert state.validators[f"{api.base}{TREE}"].etag == '"tree-1"'


async def test_quiet_poll_is_one_conditional_request(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO), etag='"tree-1"'))
    serve_notes(raw, NOTES_IN_REPO)
    source = make_source(http, vocabulary, api, raw)
    first = await source.fetch(None)
    api.clear()
    raw.clear()

    second = await source.fetch(first.state)
    assert [request.headers.get("If-None-Match") for request in api.requests] == ['"tree-1"']
    assert raw.requests == []
    assert second.documents == []
    assert second.fetch_errors == []


async def test_the_cap_spreads_a_backlog_over_polls(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO), etag='"tree-1"'))
    serve_notes(raw, NOTES_IN_REPO)
    source = make_source(http, vocabulary, api, raw, max_files_per_poll=3)

    first = await source.fetch(None)
    assert len(first.documents) == 3
    assert len(raw.requests) == 3
    assert first.state.validators == {}  # work is owed: the next listing must be complete

    api.clear()
    raw.clear()
    second = await source.fetch(first.state)
    assert "If-None-Match" not in api.requests[0].headers
    assert len(second.documents) == 1
    assert len(raw.requests) == 1
    assert {*keys(first), *keys(second)} == {
        "note:arxiv:2001.00309 | 200103 BlendMask.md",
        "note:arxiv:2308.00951 | 230802 From Sparse to Soft Mixtures of Experts.md",
        "note:arxiv:2308.04592 | 230808 Shepherd.md",
        "note:https://github.com/bojone/rerope | 230810 ReRoPE 위치 보간.md",
    }

    api.clear()
    raw.clear()
    third = await source.fetch(second.state)
    assert api.requests[0].headers["If-None-Match"] == '"tree-1"'
    assert raw.requests == []
    assert third.documents == []


async def test_moved_notes_are_not_new_and_edited_notes_keep_their_key(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO), etag='"tree-1"'))
    serve_notes(raw, NOTES_IN_REPO)
    source = make_source(http, vocabulary, api, raw)
    first = await source.fetch(None)

    # The author files Shepherd into a month folder: same blob, new path.
    shepherd = NOTES_IN_REPO[2]
    moved = [
        *NOTES_IN_REPO[:2],
        Note("papers/2023/08/230808 Shepherd.md", shepherd.sample, shepherd.sha),
        NOTES_IN_REPO[3],
    ]
    api.route(TREE, json_reply(tree(moved), etag='"tree-2"'))
    raw.clear()
    second = await source.fetch(first.state)
    assert raw.requests == []
    assert second.documents == []

    # Then edits it: a new blob at the new path, the same paper.
    edited = Note("papers/2023/08/230808 Shepherd.md", shepherd.sample, "9" * 40)
    text = (NOTES / shepherd.sample).read_text("utf-8") + "\n추가 메모: 후속 연구도 볼 것.\n"
    api.route(TREE, json_reply(tree([*moved[:2], edited, moved[3]]), etag='"tree-3"'))
    raw.route(RAW_ROOT + edited.path, Reply(200, text.encode()))
    third = await source.fetch(second.state)
    assert keys(third) == ["note:arxiv:2308.04592 | 230808 Shepherd.md"]
    assert "후속 연구" in (third.documents[0].papers[0].commentary or "")
    assert shepherd.sha not in third.state.seen_blobs  # gone from the tree, forgotten
    assert edited.sha in third.state.seen_blobs


async def test_a_failed_download_is_retried_next_poll(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO), etag='"tree-1"'))
    serve_notes(raw, NOTES_IN_REPO)
    broken = NOTES_IN_REPO[0]
    raw.route(RAW_ROOT + broken.path, status_reply(404))
    source = make_source(http, vocabulary, api, raw)

    first = await source.fetch(None)
    assert [error.status for error in first.fetch_errors] == [404]
    assert len(first.documents) == 3  # a missing file does not stop the others
    assert broken.sha not in first.state.seen_blobs
    assert first.state.failures == {f"blob:{broken.sha}": 1}
    assert first.state.validators == {}

    serve_notes(raw, [broken])
    api.clear()
    second = await source.fetch(first.state)
    assert "If-None-Match" not in api.requests[0].headers
    assert keys(second) == ["note:arxiv:2001.00309 | 200103 BlendMask.md"]
    assert second.state.failures == {}
    assert second.state.last_error is None


async def test_a_server_error_stops_the_batch(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO)))
    serve_notes(raw, NOTES_IN_REPO)
    raw.route(RAW_ROOT + NOTES_IN_REPO[0].path, status_reply(503))
    result = await make_source(http, vocabulary, api, raw).fetch(None)
    assert [error.status for error in result.fetch_errors] == [503]
    assert len(raw.requests) == 3  # three attempts at the first file, none at the rest
    assert result.documents == []


async def test_garbage_tree_json_is_an_error_entry(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, Reply(200, b'{"message": "Server Error"', {}, etag='"bad"'))
    result = await make_source(http, vocabulary, api, raw).fetch(None)
    (error,) = result.fetch_errors
    assert error.url == f"{api.base}{TREE}"
    assert "invalid JSON" in error.reason
    assert result.state.validators == {}
    assert raw.requests == []


async def test_a_truncated_tree_is_reported_and_still_read(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO[:1], truncated=True)))
    serve_notes(raw, NOTES_IN_REPO[:1])
    result = await make_source(http, vocabulary, api, raw).fetch(None)
    assert ["truncated" in error.reason for error in result.fetch_errors] == [True]
    assert keys(result) == ["note:arxiv:2001.00309 | 200103 BlendMask.md"]


async def test_exhausted_quota_defers_the_next_poll(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    reset = str(int(time.time()) + 1800)
    api.route(TREE, status_reply(403, X_RateLimit_Remaining="0", X_RateLimit_Reset=reset))
    source = make_source(http, vocabulary, api, raw)
    first = await source.fetch(None)
    assert [error.status for error in first.fetch_errors] == [403]
    assert first.state.not_before is not None
    second = await source.fetch(first.state)
    assert len(api.requests) == 1  # no request until the quota resets
    assert second.documents == []


async def test_oversized_blobs_are_skipped_without_download(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    listing = {"tree": [tree_item("papers/huge.md", "6" * 40, size=50 * 1024 * 1024)]}
    api.route(TREE, json_reply(listing))
    result = await make_source(http, vocabulary, api, raw).fetch(None)
    (error,) = result.parse_errors
    assert "too large" in error.message
    assert raw.requests == []


async def test_the_token_goes_to_the_api_only(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    api, raw = hosts
    api.route(TREE, json_reply(tree(NOTES_IN_REPO[:1])))
    serve_notes(raw, NOTES_IN_REPO[:1])
    source = NotesRepoSource(
        http, vocabulary, api_url=api.base, raw_url=raw.base, token="test-token"
    )
    await source.fetch(None)
    assert api.requests[0].headers["Authorization"] == "Bearer test-token"
    assert all("Authorization" not in request.headers for request in raw.requests)


def test_raw_urls_are_percent_encoded(http: HttpFetcher, vocabulary: TagVocabulary) -> None:
    source = NotesRepoSource(http, vocabulary, raw_url="http://127.0.0.1:1")
    assert source.raw_file_url("papers/2023/230808 A #1 paper? 논문.md") == (
        "http://127.0.0.1:1/rosinality/ml-papers/main/papers/2023/"
        "230808%20A%20%231%20paper%3F%20%EB%85%BC%EB%AC%B8.md"
    )


def test_repo_must_be_owner_and_name(http: HttpFetcher, vocabulary: TagVocabulary) -> None:
    with pytest.raises(ValueError, match="owner/name"):
        NotesRepoSource(http, vocabulary, repo="ml-papers")


async def test_a_note_redirected_to_another_host_is_not_read(
    hosts: tuple[FakeWeb, FakeWeb],
    http: HttpFetcher,
    vocabulary: TagVocabulary,
    start_server: ServerFactory,
) -> None:
    api, raw = hosts
    elsewhere = await start_server()
    note = NOTES_IN_REPO[0]
    api.route(TREE, json_reply(tree([note])))
    raw.route(RAW_ROOT + note.path, status_reply(302, Location=f"{elsewhere.base}/x.md"))
    elsewhere.route("/x.md", Reply(200, (NOTES / note.sample).read_bytes()))
    result = await make_source(http, vocabulary, api, raw).fetch(None)
    assert result.documents == []
    assert elsewhere.requests == []
    (error,) = result.fetch_errors
    assert "redirected to another host" in error.reason
    assert note.sha not in result.state.seen_blobs  # owed, tried again next poll


TABLE = (
    Path(__file__).parents[2] / "fixtures" / "notes_repo" / "papers" / "reviews" / "llm-dataset.md"
)


async def test_a_table_in_the_repository_is_a_notice_not_a_failure(
    hosts: tuple[FakeWeb, FakeWeb], http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    """A markdown table beside the notes (a list of datasets) is skipped with its line and why,
    as `paperbot ingest` reports it, never stored as a weekly nor counted a failure."""
    api, raw = hosts
    table = Note("papers/reviews/llm-dataset.md", "", "9" * 40)
    api.route(TREE, json_reply(tree([*NOTES_IN_REPO[:1], table])))
    serve_notes(raw, NOTES_IN_REPO[:1])
    raw.route(RAW_ROOT + table.path, Reply(200, TABLE.read_bytes()))
    result = await make_source(http, vocabulary, api, raw).fetch(None)

    assert result.parse_errors == []
    assert [d.key for d in result.documents] == ["note:arxiv:2001.00309 | 200103 BlendMask.md"]
    (notice,) = result.notices
    assert notice.source.endswith(quote(table.path))
    assert notice.line == 7
    assert "not a digest" in notice.message
