"""The forum source against a Discourse-shaped server on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from bot.digests.models import DigestKind, Document
from bot.digests.parse import parse_text
from bot.digests.sources.base import FetchResult, SourceState
from bot.digests.sources.forum import ForumSource, first_post_markdown, is_series_title, with_title
from bot.digests.sources.http import HttpFetcher
from bot.digests.tags import TagVocabulary

from .fakeweb import (
    TEST_USER_AGENT,
    FakeWeb,
    Reply,
    fast_settings,
    json_reply,
    status_reply,
    text_reply,
)
from .posts import (
    HTML_ONLY_COOKED,
    HTML_ONLY_TITLE,
    WEEKLY_2026_MARKDOWN,
    WEEKLY_2026_TITLE,
    WEEKLY_SAMPLE,
    WEEKLY_TITLE,
    topic,
    topic_list,
    topic_view,
    weekly_markdown,
)

CATEGORY = "/c/news/14.json"
PAGE_2 = "/c/news/14/l/latest.json?page=1"
WEEKLY_ID, NEWS_ID, MEETUP_ID, WEEKLY_2026_ID, HTML_ID = 4242, 4300, 4301, 9001, 3000
WEEKLY_SLUG = "2024-05-13-05-19-ml-top-ml-papers-of-the-week"


def page_one(*, weekly_posted: str = "2024-05-20T01:00:00.000Z") -> list[dict[str, object]]:
    return [
        topic(10, "News 카테고리에 대하여", slug="about-the-news-category"),
        topic(WEEKLY_2026_ID, WEEKLY_2026_TITLE),
        topic(NEWS_ID, "PyTorch 2.3 출시: 새로운 기능 소개"),
        topic(MEETUP_ID, "[2024/05/13] 파이토치 한국 사용자 모임 밋업 안내"),
        topic(WEEKLY_ID, WEEKLY_TITLE, slug=WEEKLY_SLUG, posted=weekly_posted),
    ]


def script_forum(server: FakeWeb, *, page_one_etag: str = '"p1-v1"') -> None:
    """A category of two pages: two series topics and noise, then an HTML-only series topic."""
    server.route(
        CATEGORY,
        json_reply(topic_list(page_one(), more="/c/news/14/l/latest?page=1"), etag=page_one_etag),
    )
    server.route(PAGE_2, json_reply(topic_list([topic(HTML_ID, HTML_ONLY_TITLE)]), etag='"p2"'))
    server.route(f"/raw/{WEEKLY_ID}/1", text_reply(weekly_markdown()))
    server.route(f"/raw/{WEEKLY_2026_ID}/1", text_reply(WEEKLY_2026_MARKDOWN))
    server.route(f"/raw/{HTML_ID}/1", status_reply(404))
    server.route(
        f"/t/{HTML_ID}.json?include_raw=1",
        json_reply(topic_view(HTML_ID, HTML_ONLY_TITLE, {"cooked": HTML_ONLY_COOKED})),
    )


@pytest.fixture
def forum(server: FakeWeb, http: HttpFetcher, vocabulary: TagVocabulary) -> ForumSource:
    return ForumSource(http, vocabulary, base_url=server.base)


def by_key(result: FetchResult) -> dict[str, Document]:
    return {document.key: document for document in result.documents}


def raw_requests(server: FakeWeb) -> list[str]:
    return [target for target in server.targets() if target.startswith(("/raw/", "/t/"))]


async def test_first_poll_reads_every_series_topic_across_pages(
    server: FakeWeb, forum: ForumSource, vocabulary: TagVocabulary
) -> None:
    script_forum(server)
    result = await forum.fetch(None)

    assert result.fetch_errors == []
    assert result.parse_errors == []
    documents = by_key(result)
    assert set(documents) == {"weekly:2024-05-13", "weekly:2026-06-08", "weekly:2025-03-03"}
    # Topics outside the series are never downloaded.
    assert raw_requests(server) == [
        f"/raw/{HTML_ID}/1",
        f"/t/{HTML_ID}.json?include_raw=1",
        f"/raw/{WEEKLY_ID}/1",
        f"/raw/{WEEKLY_2026_ID}/1",
    ]
    assert all(request.headers["User-Agent"] == TEST_USER_AGENT for request in server.requests)
    assert server.seen(CATEGORY)[0].headers["Accept"] == "application/json"

    state = result.state
    assert state.seen_topics == {
        WEEKLY_ID: "2024-05-20T01:00:00.000Z",
        WEEKLY_2026_ID: "2024-05-20T01:00:00.000Z",
        HTML_ID: "2024-05-20T01:00:00.000Z",
    }
    assert state.pending_topics == {}
    assert state.validators[f"{server.base}{CATEGORY}"].etag == '"p1-v1"'
    assert state.last_error is None
    assert state.last_success_at is not None


async def test_weekly_markdown_post_matches_the_text_copy_and_adds_its_links(
    server: FakeWeb, forum: ForumSource, vocabulary: TagVocabulary
) -> None:
    script_forum(server)
    weekly = by_key(await forum.fetch(None))["weekly:2024-05-13"]
    copy = parse_text(WEEKLY_SAMPLE.read_text("utf-8"), str(WEEKLY_SAMPLE), vocabulary)

    assert weekly.source == f"{server.base}/t/{WEEKLY_SLUG}/{WEEKLY_ID}"
    assert weekly.kind is DigestKind.WEEKLY
    assert weekly.title == WEEKLY_TITLE  # the topic title, which the raw markdown lacks
    assert (weekly.period_start, weekly.period_end) == (date(2024, 5, 13), date(2024, 5, 19))
    assert [paper.title_en for paper in weekly.papers] == [p.title_en for p in copy.papers]
    assert [paper.title_ko for paper in weekly.papers] == [p.title_ko for p in copy.papers]
    assert [paper.tags for paper in weekly.papers] == [p.tags for p in copy.papers]
    # The markdown carries the paper links that the text copy lost.
    assert [paper.arxiv_id for paper in copy.papers].count(None) == 9
    assert [paper.arxiv_id for paper in weekly.papers] == [
        None,
        "2403.05530",
        None,
        "2405.09818",
        "2405.05904",
        "2405.07883",
        "2403.09527",
        "2405.07863",
        "2405.05254",
        "2405.10314",
    ]
    rlhf = weekly.papers[7]
    assert ("code", "https://github.com/RLHFlow/Online-RLHF") in [
        (link.kind.value, link.url) for link in rlhf.links
    ]
    # Lines are the raw post's own: the prepended title is not counted.
    markdown_lines = weekly_markdown().split("\n")
    assert markdown_lines[weekly.papers[0].line - 1] == "## GPT-4o"


async def test_2026_title_form_and_html_only_post(server: FakeWeb, forum: ForumSource) -> None:
    script_forum(server)
    documents = by_key(await forum.fetch(None))

    new_form = documents["weekly:2026-06-08"]
    assert new_form.title == WEEKLY_2026_TITLE
    assert new_form.period_end == date(2026, 6, 14)
    assert [paper.title_en for paper in new_form.papers] == [
        "Reasoning Gym: Procedural Environments for Reinforcement Learning"
    ]
    assert new_form.papers[0].arxiv_id == "2505.24760"

    html_only = documents["weekly:2025-03-03"]
    assert html_only.source == f"{server.base}/t/topic-{HTML_ID}/{HTML_ID}"
    (paper,) = html_only.papers  # the onebox's title and description are not papers
    assert paper.title_en == "Compressing Vision Transformers"
    assert paper.title_ko == "비전 트랜스포머 압축"
    assert (
        paper.summary_en
        == "Proposes a method to compress vision transformers & keep their accuracy."
    )
    assert [(link.kind.value, link.url) for link in paper.links] == [
        ("paper", "https://arxiv.org/abs/2503.01234"),
        ("code", "https://github.com/example/vit-compress"),
        ("more", "https://x.com/someone/status/1"),
    ]


async def test_second_poll_is_a_304_and_downloads_nothing(
    server: FakeWeb, forum: ForumSource
) -> None:
    script_forum(server)
    first = await forum.fetch(None)
    server.clear()

    second = await forum.fetch(first.state)
    assert server.targets() == [CATEGORY]
    assert server.requests[0].headers["If-None-Match"] == '"p1-v1"'
    assert second.documents == []
    assert second.fetch_errors == []
    assert second.state.seen_topics == first.state.seen_topics


async def test_without_etags_a_relisting_adds_no_duplicates(
    server: FakeWeb, http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    server.route(CATEGORY, json_reply(topic_list(page_one())))
    server.route(f"/raw/{WEEKLY_ID}/1", text_reply(weekly_markdown()))
    server.route(f"/raw/{WEEKLY_2026_ID}/1", text_reply(WEEKLY_2026_MARKDOWN))
    forum = ForumSource(http, vocabulary, base_url=server.base)
    first = await forum.fetch(None)
    assert len(first.documents) == 2
    server.clear()

    second = await forum.fetch(first.state)
    assert server.targets() == [CATEGORY]
    assert second.documents == []


async def test_a_topic_whose_last_post_moved_is_read_again(
    server: FakeWeb, forum: ForumSource
) -> None:
    script_forum(server)
    first = await forum.fetch(None)
    server.clear()
    moved = page_one(weekly_posted="2024-05-22T09:00:00.000Z")
    server.route(
        CATEGORY, json_reply(topic_list(moved, more="/c/news/14/l/latest?page=1"), etag='"v2"')
    )

    second = await forum.fetch(first.state)
    assert raw_requests(server) == [f"/raw/{WEEKLY_ID}/1"]
    assert [document.key for document in second.documents] == ["weekly:2024-05-13"]
    assert second.state.seen_topics[WEEKLY_ID] == "2024-05-22T09:00:00.000Z"
    # Page 2 was asked conditionally and had not changed.
    assert server.seen(PAGE_2)[0].headers["If-None-Match"] == '"p2"'


async def test_a_post_that_does_not_parse_is_reported_once(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(
        CATEGORY, json_reply(topic_list([topic(7, WEEKLY_TITLE, slug="oops")]), etag='"1"')
    )
    server.route("/raw/7/1", text_reply("이번 주는 쉽니다.\n"))
    result = await forum.fetch(None)

    assert result.documents == []
    (error,) = result.parse_errors
    assert error.source == f"{server.base}/t/oops/7"
    assert error.line == 1
    assert "no paper found" in error.message
    assert result.fetch_errors == []
    assert 7 in result.state.seen_topics  # not retried until the topic changes


async def test_garbage_listing_json_is_an_error_entry(server: FakeWeb, forum: ForumSource) -> None:
    server.route(
        CATEGORY,
        Reply(200, b"<html>Bad gateway</html>", {"Content-Type": "application/json"}, etag='"x"'),
    )
    result = await forum.fetch(None)
    (error,) = result.fetch_errors
    assert error.url == f"{server.base}{CATEGORY}"
    assert "invalid JSON" in error.reason
    assert result.state.validators == {}  # a bad answer is not cached
    assert result.state.last_error is not None


async def test_listing_with_the_wrong_shape_is_an_error_entry(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply({"topic_list": {"topics": "none"}}))
    result = await forum.fetch(None)
    assert len(result.fetch_errors) == 1
    assert result.documents == []


async def test_garbage_topic_json_is_an_error_entry(server: FakeWeb, forum: ForumSource) -> None:
    server.route(CATEGORY, json_reply(topic_list([topic(8, WEEKLY_TITLE)])))
    server.route("/raw/8/1", status_reply(404))
    server.route("/t/8.json?include_raw=1", Reply(200, b"{not json", {}))
    result = await forum.fetch(None)
    (error,) = result.fetch_errors
    assert error.url == f"{server.base}/t/8.json?include_raw=1"
    assert result.parse_errors == []
    assert result.documents == []


async def test_a_failed_download_stays_pending_and_is_read_after_a_304(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(topic_list(page_one()), etag='"v1"'))
    server.route(f"/raw/{WEEKLY_2026_ID}/1", text_reply(WEEKLY_2026_MARKDOWN))
    server.route(f"/raw/{WEEKLY_ID}/1", status_reply(500))
    first = await forum.fetch(None)

    (error,) = first.fetch_errors
    assert (error.status, error.url) == (500, f"{server.base}/raw/{WEEKLY_ID}/1")
    assert len(server.seen(f"/raw/{WEEKLY_ID}/1")) == 3  # retried, then given up for this poll
    assert [document.key for document in first.documents] == []  # the rest waits: forum unwell
    assert set(first.state.pending_topics) == {WEEKLY_ID, WEEKLY_2026_ID}
    assert first.state.failures == {f"topic:{WEEKLY_ID}": 1}
    assert first.state.last_error is not None

    server.clear()
    server.route(f"/raw/{WEEKLY_ID}/1", text_reply(weekly_markdown()))
    second = await forum.fetch(first.state)
    assert server.seen(CATEGORY)[0].headers["If-None-Match"] == '"v1"'
    assert {document.key for document in second.documents} == {
        "weekly:2024-05-13",
        "weekly:2026-06-08",
    }
    assert second.fetch_errors == []
    assert second.state.pending_topics == {}
    assert second.state.failures == {}
    assert second.state.last_error is None


async def test_a_timeout_is_retried_then_recorded(
    server: FakeWeb, client: httpx.AsyncClient, vocabulary: TagVocabulary
) -> None:
    http = HttpFetcher(client, fast_settings(timeout=0.1, max_attempts=2))
    forum = ForumSource(http, vocabulary, base_url=server.base)
    server.route(CATEGORY, json_reply(topic_list([topic(8, WEEKLY_TITLE)])))
    server.route("/raw/8/1", Reply(200, b"late", delay=0.4))
    result = await forum.fetch(None)
    (error,) = result.fetch_errors
    assert "timed out" in error.reason
    assert error.status is None
    assert len(server.seen("/raw/8/1")) == 2
    assert server.seen("/t/8.json?include_raw=1") == []  # no fallback hammering a slow forum
    assert 8 in result.state.pending_topics


async def test_a_topic_answered_404_once_is_kept_pending_with_its_reason(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(topic_list([topic(8, WEEKLY_TITLE)])))
    server.route("/raw/8/1", status_reply(404))
    server.route("/t/8.json?include_raw=1", status_reply(404))
    result = await forum.fetch(None)
    assert [error.status for error in result.fetch_errors] == [404]
    pending = result.state.pending_topics[8]  # not given up on one answer
    assert pending.last_error is not None
    assert "HTTP 404 since" in pending.last_error
    assert "given up if it lasts until" in pending.last_error
    assert 8 not in result.state.seen_topics


async def test_rate_limit_defers_the_next_poll(
    server: FakeWeb, http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    now = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
    clock = [now]
    forum = ForumSource(http, vocabulary, base_url=server.base, clock=lambda: clock[0])
    server.route(CATEGORY, status_reply(429, Retry_After="600"))
    first = await forum.fetch(None)
    assert [error.status for error in first.fetch_errors] == [429]
    assert first.state.not_before == now + timedelta(seconds=600)
    assert len(server.requests) == 1

    clock[0] = now + timedelta(seconds=300)
    skipped = await forum.fetch(first.state)
    assert len(server.requests) == 1  # still asked to wait: not a single request
    assert skipped.documents == []
    assert skipped.state.not_before == first.state.not_before

    clock[0] = now + timedelta(seconds=601)
    server.route(CATEGORY, json_reply(topic_list([])))
    later = await forum.fetch(skipped.state)
    assert len(server.requests) == 2
    assert later.state.not_before is None
    assert later.fetch_errors == []


async def test_reads_are_capped_per_poll(
    server: FakeWeb, http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    script_forum(server)
    forum = ForumSource(http, vocabulary, base_url=server.base, max_topics_per_poll=1)
    first = await forum.fetch(None)
    assert len(first.documents) == 1
    assert len(first.state.pending_topics) == 2
    second = await forum.fetch(first.state)
    third = await forum.fetch(second.state)
    keys = [d.key for result in (first, second, third) for d in result.documents]
    assert sorted(keys) == ["weekly:2024-05-13", "weekly:2025-03-03", "weekly:2026-06-08"]
    assert third.state.pending_topics == {}


async def test_paging_respects_the_page_limit(
    server: FakeWeb, http: HttpFetcher, vocabulary: TagVocabulary
) -> None:
    script_forum(server)
    forum = ForumSource(http, vocabulary, base_url=server.base, page_limit=1)
    result = await forum.fetch(None)
    assert PAGE_2 not in server.targets()
    assert "weekly:2025-03-03" not in by_key(result)


async def test_a_next_page_on_another_host_is_not_followed(
    server: FakeWeb, forum: ForumSource
) -> None:
    listing = topic_list([topic(8, "공지")], more="https://elsewhere.example/c/news/14?page=1")
    server.route(CATEGORY, json_reply(listing))
    result = await forum.fetch(None)
    assert [error.reason for error in result.fetch_errors] == [
        "next page is on another host; not followed"
    ]


async def test_the_callers_state_is_not_mutated(server: FakeWeb, forum: ForumSource) -> None:
    script_forum(server)
    state = SourceState()
    before = state.model_dump_json()
    await forum.fetch(state)
    assert state.model_dump_json() == before


@pytest.mark.parametrize(
    "title",
    [
        "[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)",
        "[2026/06/08 ~ 14] 이번 주에 살펴볼 만한 AI/ML 논문 모음",
        "[2024/12/30 ~ 01/05] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)",
        "[2027.01.04 - 01.10] Papers worth reading this week",
        " [2027/02/01~07] 금주의 논문",
    ],
)
def test_series_titles(title: str) -> None:
    assert is_series_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "PyTorch 2.3 출시: 새로운 기능 소개",
        "[2024/05/13] 파이토치 한국 사용자 모임 밋업 안내 - 논문 읽기 모임",
        "[2024/05/13 ~ 05/19] 이번 주의 오픈소스 소식",
        "이번 주의 주요 ML 논문 [2024/05/13 ~ 05/19]",
        "[공지] 논문 번역 가이드",
    ],
)
def test_not_series_titles(title: str) -> None:
    assert not is_series_title(title)


def test_first_post_is_cut_from_a_whole_topic_dump() -> None:
    dump = (
        "editor | 2024-05-20 01:00:00 UTC | #1\n\n## GPT-4o\n\n---\n\n### 소개\n\n본문\n\n"
        "-------------------------\n\n"
        "reader | 2024-05-20 02:00:00 UTC | #2\n\n감사합니다\n\n-------------------------\n\n"
    )
    assert first_post_markdown(dump) == "## GPT-4o\n\n---\n\n### 소개\n\n본문\n"
    assert first_post_markdown("## GPT-4o\n\n본문\n") == "## GPT-4o\n\n본문\n"


def test_the_title_is_added_once() -> None:
    assert with_title("T", "body") == ("T\n\nbody", 2)
    assert with_title("[2024/05/13 ~ 05/19] X", "# [2024/05/13 ~ 05/19] X\n\nbody") == (
        "# [2024/05/13 ~ 05/19] X\n\nbody",
        0,
    )


async def test_a_broken_second_page_does_not_block_the_first(
    server: FakeWeb, forum: ForumSource
) -> None:
    script_forum(server)
    server.route(PAGE_2, status_reply(404))
    result = await forum.fetch(None)
    assert [error.status for error in result.fetch_errors] == [404]
    assert set(by_key(result)) == {"weekly:2024-05-13", "weekly:2026-06-08"}


async def test_a_struggling_listing_leaves_pending_topics_for_later(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(topic_list([topic(8, WEEKLY_TITLE)])))
    server.route("/raw/8/1", status_reply(502))
    first = await forum.fetch(None)
    assert 8 in first.state.pending_topics
    server.clear()
    server.route(CATEGORY, status_reply(503))
    second = await forum.fetch(first.state)
    assert server.targets() == [CATEGORY] * 3  # retried, then nothing else asked of it
    assert 8 in second.state.pending_topics


def test_a_whole_topic_dump_that_does_not_start_with_post_1_is_not_the_digest() -> None:
    dump = "reader | 2024-05-20 02:00:00 UTC | #2\n\n감사합니다\n\n-------------------------\n\n"
    assert first_post_markdown(dump) is None
