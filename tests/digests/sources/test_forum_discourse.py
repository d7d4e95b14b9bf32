"""The forum source against Discourse's real answers: pinned topics, edits, limits, hidden posts.

Each test serves, over loopback, what a real Discourse sends (see :mod:`.discourse`) and checks
that no weekly issue is missed or lost: not behind a pinned topic, not after an edit, not
during a rate limit or an outage, and that a reply is never taken for the issue.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.digests.models import Document
from bot.digests.sources._discourse import topic_list
from bot.digests.sources.base import FetchResult, SourceState, load_state
from bot.digests.sources.forum import ForumSource
from bot.digests.sources.http import HttpFetcher
from bot.digests.tags import TagVocabulary

from .discourse import (
    CATEGORY,
    JSON,
    PAGE_2,
    RAW,
    T0,
    WEEKLY_2026_BROKEN,
    WEEKLY_2026_EDITED,
    WEEKLY_2026_ID,
    WEEKLY_2026_SLUG,
    Clock,
    bad_gateway,
    category_page,
    fixture,
    html_404,
    json_403,
    json_404,
    listed,
    news,
    post,
    rate_limited_json,
    rate_limited_text,
    topic_view,
    weekly_2026,
)
from .fakeweb import FakeWeb, Reply, ServerFactory, json_reply, status_reply, text_reply
from .posts import (
    HTML_ONLY_COOKED,
    WEEKLY_2026_MARKDOWN,
    WEEKLY_2026_TITLE,
    WEEKLY_TITLE,
    weekly_markdown,
)

PINNED_ID = 4242  # the weekly pinned in tests/fixtures/discourse/category_news_page.json


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def forum(
    server: FakeWeb, http: HttpFetcher, vocabulary: TagVocabulary, clock: Clock
) -> ForumSource:
    return ForumSource(http, vocabulary, base_url=server.base, clock=clock)


def only(result: FetchResult) -> Document:
    (document,) = result.documents
    return document


def topic_requests(server: FakeWeb) -> list[str]:
    return [target for target in server.targets() if target.startswith(("/raw/", "/t/"))]


# -- 1. pinned topics do not stop paging -------------------------------------------------------


@pytest.mark.parametrize(
    "more",
    ["/c/news/14/l/latest?page=1", "/latest.json?page=1"],
    ids=["category-form", "old-site-wide-form"],
)
async def test_a_pinned_read_weekly_does_not_hide_a_new_one_on_page_2(
    server: FakeWeb, forum: ForumSource, more: str
) -> None:
    page = fixture("category_news_page.json")  # two pinned topics, one a weekly; duplicate ids
    page["topic_list"]["more_topics_url"] = more
    server.route(CATEGORY, json_reply(page, etag='"p1-a"'))
    server.route(PAGE_2, json_reply(category_page([]), etag='"p2-a"'))
    server.route(f"/raw/{PINNED_ID}/1", text_reply(weekly_markdown()))
    first = await forum.fetch(None)
    assert [document.key for document in first.documents] == ["weekly:2024-05-13"]
    # The plain title, not the HTML-escaped fancy_title.
    assert first.documents[0].title == WEEKLY_TITLE
    assert first.fetch_errors == []

    # A busy week: the new weekly is pushed to page 2 by thirty news topics; the pinned weekly,
    # already read, stays on top of page 1.
    busy = fixture("category_news_page.json")
    busy["topic_list"]["topics"][2:] = [news(5000 + n) for n in range(28)]
    busy["topic_list"]["more_topics_url"] = more
    server.route(CATEGORY, json_reply(busy, etag='"p1-b"'))
    server.route(PAGE_2, json_reply(category_page([weekly_2026()]), etag='"p2-b"'))
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    server.clear()

    second = await forum.fetch(first.state)
    assert PAGE_2 in server.targets()
    assert [document.key for document in second.documents] == ["weekly:2026-06-08"]
    assert topic_requests(server) == [RAW]  # the pinned weekly is not read again
    assert second.fetch_errors == []


async def test_an_unpinned_page_of_read_weeklies_still_stops_paging(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(
        CATEGORY,
        json_reply(category_page([weekly_2026()], more="/c/news/14/l/latest?page=1"), etag='"1"'),
    )
    server.route(PAGE_2, json_reply(category_page([]), etag='"2"'))
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    first = await forum.fetch(None)
    server.route(
        CATEGORY,
        json_reply(
            category_page([news(5001), weekly_2026()], more="/c/news/14/l/latest?page=1"),
            etag='"1b"',
        ),
    )
    server.clear()
    await forum.fetch(first.state)
    assert server.targets() == [CATEGORY]


async def test_the_same_instant_in_another_offset_is_not_a_change(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    first = await forum.fetch(None)
    utc = "2026-06-15T01:00:00Z"
    server.route(CATEGORY, json_reply(category_page([weekly_2026(created=utc)])))
    server.clear()
    second = await forum.fetch(first.state)
    assert topic_requests(server) == []
    assert second.documents == []


# -- 2. edits to the first post are picked up --------------------------------------------------


async def test_an_edit_that_moves_bumped_at_is_read_again(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"v1"'))
    server.route(RAW, text_reply(WEEKLY_2026_BROKEN))
    first = await forum.fetch(None)
    assert only(first).papers[0].arxiv_id == "2505.2476"

    # The editor fixes the link and adds the missing paper: bumped_at moves, last_posted_at
    # (no reply) does not.
    edited = weekly_2026(bumped="2026-06-16T09:30:00.000+09:00")
    server.route(CATEGORY, json_reply(category_page([edited]), etag='"v2"'))
    server.route(RAW, text_reply(WEEKLY_2026_EDITED))
    server.clear()
    second = await forum.fetch(first.state)
    assert topic_requests(server) == [RAW]
    document = only(second)
    assert document.key == "weekly:2026-06-08"  # same issue: the store replaces it in place
    assert [paper.arxiv_id for paper in document.papers] == ["2505.24760", "2506.01234"]

    server.clear()
    third = await forum.fetch(second.state)  # nothing moved since: nothing read
    assert topic_requests(server) == []
    assert third.documents == []


async def test_an_edit_invisible_in_the_listing_is_found_by_the_recheck(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    # A topic with replies: editing post 1 changes nothing in the listing (it stays a 304).
    listing = category_page([weekly_2026(posts_count=3, last_posted="2026-06-15T12:00:00+09:00")])
    server.route(CATEGORY, json_reply(listing, etag='"same"'))
    server.route(RAW, text_reply(WEEKLY_2026_BROKEN))
    first = await forum.fetch(None)
    assert only(first).papers[0].arxiv_id == "2505.2476"

    clock.advance(hours=3)  # the next poll: not due for a re-check yet
    server.clear()
    assert (await forum.fetch(first.state)).documents == []
    assert server.targets() == [CATEGORY]

    edit_time = "2026-06-16T00:30:00.000Z"
    edited = post(WEEKLY_2026_ID, 1, raw=WEEKLY_2026_EDITED, version=2, updated=edit_time)
    reply = post(WEEKLY_2026_ID, 2, raw="링크가 깨졌어요")
    server.route(JSON, json_reply(topic_view(WEEKLY_2026_ID, WEEKLY_2026_TITLE, [edited, reply])))
    clock.advance(days=1)
    server.clear()
    second = await forum.fetch(first.state)
    assert server.targets() == [CATEGORY, JSON]
    assert server.requests[0].headers["If-None-Match"] == '"same"'
    document = only(second)
    assert document.source == f"{server.base}/t/{WEEKLY_2026_SLUG}/{WEEKLY_2026_ID}"
    assert [paper.arxiv_id for paper in document.papers] == ["2505.24760", "2506.01234"]
    assert second.fetch_errors == []

    clock.advance(days=1)  # checked again: the same version is not parsed again
    server.clear()
    third = await forum.fetch(second.state)
    assert server.targets() == [CATEGORY, JSON]
    assert third.documents == []

    clock.advance(days=30)  # an old issue is left alone
    server.clear()
    await forum.fetch(third.state)
    assert server.targets() == [CATEGORY]


async def test_a_recheck_of_a_deleted_topic_stops_and_keeps_nothing_pending(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"same"'))
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    state = (await forum.fetch(None)).state
    server.route(JSON, json_404())
    clock.advance(days=1, minutes=1)
    gone = await forum.fetch(state)
    assert [error.status for error in gone.fetch_errors] == [404]
    assert gone.state.pending_topics == {}
    clock.advance(days=1, minutes=1)
    server.clear()
    later = await forum.fetch(gone.state)
    assert server.targets() == [CATEGORY]  # not asked again
    assert later.fetch_errors == []


# -- 3. rate limits and outages never give a topic up --------------------------------------------


@pytest.mark.parametrize("limited", [rate_limited_text, rate_limited_json], ids=["text", "json"])
async def test_a_rate_limited_topic_is_retried_with_backoff_and_never_given_up(
    server: FakeWeb, forum: ForumSource, clock: Clock, limited: Callable[[str], Reply]
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"v1"'))
    server.route(RAW, limited("0.01"))
    state: SourceState | None = None
    tried: list[bool] = []
    for _ in range(8):  # more polls than the old limit of five failures
        before = len(server.seen(RAW))
        result = await forum.fetch(state)
        state = result.state
        tried.append(len(server.seen(RAW)) > before)
        assert result.documents == []
        assert WEEKLY_2026_ID not in state.seen_topics
        pending = state.pending_topics[WEEKLY_2026_ID]
        # The reason reaches the source's status (the scheduler shows the first fetch error).
        assert result.fetch_errors
        assert "HTTP 429" in result.fetch_errors[0].reason
        assert state.last_error is not None
        assert "HTTP 429" in state.last_error
        assert pending.last_error is not None
        assert "HTTP 429" in pending.last_error
        clock.advance(hours=3)
    assert state is not None
    # Polls every 3 h; waits after each failure: 0, 30 min, 1 h, then 2 h at most, so that
    # the issue is read within two hours of the forum answering again.
    assert tried == [True] * 8
    assert state.failures == {f"topic:{WEEKLY_2026_ID}": 8}
    assert state.pending_topics[WEEKLY_2026_ID].retry_at == T0 + timedelta(hours=21 + 2)

    clock.advance(days=1)  # the limit is lifted: the issue arrives
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    final = await forum.fetch(state)
    assert only(final).key == "weekly:2026-06-08"
    assert final.fetch_errors == []
    assert final.state.pending_topics == {}
    assert final.state.failures == {}


async def test_a_waiting_topic_is_reported_on_polls_that_skip_it(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"v1"'))
    server.route(RAW, json_403())
    server.route(JSON, json_403())
    state = (await forum.fetch(None)).state
    state = (await forum.fetch(state)).state  # second failure: backs off half an hour
    retry_at = state.pending_topics[WEEKLY_2026_ID].retry_at
    assert retry_at == T0 + timedelta(minutes=30)
    server.clear()
    clock.advance(minutes=20)
    waiting = await forum.fetch(state)
    assert topic_requests(server) == []  # not due: not asked
    (error,) = waiting.fetch_errors
    assert error.url == f"{server.base}/t/{WEEKLY_2026_SLUG}/{WEEKLY_2026_ID}"
    assert "not read yet (2 failed, next try after 2026-06-15 02:30:00 UTC)" in error.reason
    assert "HTTP 403" in error.reason
    assert waiting.state.last_error is not None


async def test_an_outage_of_many_polls_loses_nothing(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"v1"'))
    server.route(RAW, bad_gateway())
    state: SourceState | None = None
    for _ in range(12):
        result = await forum.fetch(state)
        state = result.state
        clock.advance(hours=6)
    assert state is not None
    assert WEEKLY_2026_ID in state.pending_topics
    assert WEEKLY_2026_ID not in state.seen_topics
    assert state.pending_topics[WEEKLY_2026_ID].retry_at is not None
    clock.advance(days=2)
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    assert only(await forum.fetch(state)).key == "weekly:2026-06-08"


async def test_a_deferred_poll_says_why_in_its_errors(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, rate_limited_json("900"))
    first = await forum.fetch(None)
    assert first.state.not_before == T0 + timedelta(seconds=900)
    clock.advance(minutes=5)
    skipped = await forum.fetch(first.state)
    (error,) = skipped.fetch_errors
    assert error.reason == "rate limited: not asking before 2026-06-15 02:15:00 UTC"
    assert skipped.state.last_error is not None


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (json_403, "HTTP 403"),
        (lambda: Reply(200, b"<html>captcha</html>", {"Content-Type": "application/json"}), "JSON"),
    ],
    ids=["forbidden", "garbage"],
)
async def test_answers_that_may_pass_keep_the_topic_pending(
    server: FakeWeb, forum: ForumSource, answer: Callable[[], Reply], reason: str
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    server.route(JSON, answer())
    result = await forum.fetch(None)
    assert WEEKLY_2026_ID in result.state.pending_topics
    assert WEEKLY_2026_ID not in result.state.seen_topics
    assert reason in result.fetch_errors[0].reason


async def test_html_404_then_json_404_gives_the_topic_up_only_after_days(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    server.route(JSON, json_404())
    result = await forum.fetch(None)
    (error,) = result.fetch_errors
    assert (error.status, error.url) == (404, f"{server.base}{JSON}")
    assert WEEKLY_2026_ID in result.state.pending_topics  # one 404 proves little
    asked = 1
    for _ in range(80):  # hourly polls for three days and more
        clock.advance(hours=1)
        server.clear()
        result = await forum.fetch(result.state)
        asked += bool(topic_requests(server))
        if WEEKLY_2026_ID not in result.state.pending_topics:
            break
        # Meanwhile /status says why, and until when.
        assert any("given up if it lasts until" in e.reason for e in result.fetch_errors)
    assert WEEKLY_2026_ID not in result.state.pending_topics
    assert any(e.reason.startswith("given up: answered HTTP 404") for e in result.fetch_errors)
    assert 4 <= asked <= 16  # asked again over the days, not every hour
    assert WEEKLY_2026_ID in result.state.seen_topics
    server.clear()
    clock.advance(days=1)
    await forum.fetch(result.state)  # gone: not asked again, not re-checked
    assert topic_requests(server) == []


async def test_a_topic_that_comes_back_after_a_404_is_read(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    server.route(JSON, json_404())
    result = await forum.fetch(None)
    clock.advance(days=1)
    result = await forum.fetch(result.state)
    assert WEEKLY_2026_ID in result.state.pending_topics
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))  # unhidden by a moderator
    clock.advance(days=1)
    result = await forum.fetch(result.state)
    assert len(result.documents) == 1
    assert result.state.pending_topics == {}


async def test_an_html_404_on_raw_falls_back_to_the_json_view(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    first = post(WEEKLY_2026_ID, 1, raw=WEEKLY_2026_MARKDOWN)
    server.route(JSON, json_reply(topic_view(WEEKLY_2026_ID, WEEKLY_2026_TITLE, [first])))
    result = await forum.fetch(None)
    assert only(result).key == "weekly:2026-06-08"
    assert result.fetch_errors == []


# -- 4. only post 1 is the digest ----------------------------------------------------------------


async def test_a_topic_without_post_1_is_retried_not_read_from_a_reply(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026(posts_count=3)])))
    server.route(RAW, html_404())  # post 1 hidden: /raw will not show it either
    server.route(JSON, json_reply(fixture("topic_without_post_1.json")))
    result = await forum.fetch(None)

    assert result.documents == []
    assert result.parse_errors == []  # the reply was not parsed as the issue
    (error,) = result.fetch_errors
    assert error.url == f"{server.base}{JSON}"
    assert "post 1 is not in the topic" in error.reason
    assert WEEKLY_2026_ID not in result.state.seen_topics
    assert result.state.last_error is not None
    assert "post 1 is not in the topic" in result.state.last_error

    # The moderators restore it: the next poll reads post 1, not the reply.
    restored = fixture("topic_without_post_1.json")
    restored["post_stream"]["posts"].insert(0, post(WEEKLY_2026_ID, 1, raw=WEEKLY_2026_MARKDOWN))
    server.route(JSON, json_reply(restored))
    clock.advance(hours=3)
    again = await forum.fetch(result.state)
    assert only(again).papers[0].arxiv_id == "2505.24760"
    assert again.state.pending_topics == {}


async def test_a_hidden_post_1_is_not_the_digest(server: FakeWeb, forum: ForumSource) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    hidden = post(WEEKLY_2026_ID, 1, raw="", cooked="", hidden=True, cooked_hidden=True)
    reply = post(WEEKLY_2026_ID, 2, raw="좋은 글 감사합니다")
    server.route(JSON, json_reply(topic_view(WEEKLY_2026_ID, WEEKLY_2026_TITLE, [hidden, reply])))
    result = await forum.fetch(None)
    assert result.documents == []
    assert result.parse_errors == []
    assert "post 1 is hidden" in result.fetch_errors[0].reason
    assert WEEKLY_2026_ID in result.state.pending_topics


async def test_a_whole_topic_dump_without_post_1_falls_back_to_json(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    dump = "reader | 2026-06-15 02:00:00 UTC | #2\n\n## 감사합니다\n\n좋은 글\n"
    server.route(RAW, text_reply(dump))
    first = post(WEEKLY_2026_ID, 1, raw=WEEKLY_2026_MARKDOWN)
    server.route(JSON, json_reply(topic_view(WEEKLY_2026_ID, WEEKLY_2026_TITLE, [first])))
    result = await forum.fetch(None)
    assert only(result).key == "weekly:2026-06-08"
    assert topic_requests(server) == [RAW, JSON]


# -- line numbers on the HTML path ---------------------------------------------------------------


SECOND_PAPER_HTML = """\
<h2>희소 전문가 혼합 / Sparse Mixture of Experts</h2>
<h3>논문 소개</h3>
<p>희소 전문가 혼합 모델을 다룹니다.</p>
<p>Studies sparse mixture-of-experts models.</p>
<h3>논문 링크</h3>
<p><a href="https://arxiv.org/abs/2503.04321">arXiv</a></p>
"""


def cooked_only(cooked_html: str) -> dict[str, object]:
    """Post 1 as an anonymous reader gets it without ``include_raw`` rights: HTML only."""
    first = post(WEEKLY_2026_ID, 1, raw="", cooked=cooked_html)
    first.pop("raw")
    return topic_view(WEEKLY_2026_ID, WEEKLY_2026_TITLE, [first])


async def test_lines_of_an_html_only_post_point_into_its_html(
    server: FakeWeb, forum: ForumSource
) -> None:
    # The onebox spans several lines of HTML and one of text: lines after it would drift.
    cooked_html = HTML_ONLY_COOKED.replace("<h2>원문</h2>", SECOND_PAPER_HTML + "<h2>원문</h2>")
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    server.route(JSON, json_reply(cooked_only(cooked_html)))
    papers = only(await forum.fetch(None)).papers
    html_lines = cooked_html.split("\n")
    assert [html_lines[paper.line - 1] for paper in papers] == [
        line for line in html_lines if line.startswith("<h2>") and " / " in line
    ]


async def test_a_parse_error_in_an_html_only_post_names_its_html_line(
    server: FakeWeb, forum: ForumSource
) -> None:
    cooked_html = (
        '<div class="lightbox-wrapper">\n'
        '<a class="lightbox" href="/uploads/default/original/1.png">'
        '<img src="/uploads/1.png"></a>\n'
        "</div>\n"
        "<p>이번 주는 쉽니다.</p>\n"
    )
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, html_404())
    server.route(JSON, json_reply(cooked_only(cooked_html)))
    result = await forum.fetch(None)
    (error,) = result.parse_errors
    assert error.source == f"{server.base}/t/{WEEKLY_2026_SLUG}/{WEEKLY_2026_ID}"
    assert "no paper found" in error.message
    assert error.line == 4  # the <p> in the HTML, not line 1 of the flattened text
    assert WEEKLY_2026_ID in result.state.seen_topics  # a definitive answer: not a digest


# -- state written by the previous version -------------------------------------------------------


async def test_state_from_the_previous_version_loads_and_keeps_working(
    server: FakeWeb, forum: ForumSource
) -> None:
    old = json.dumps(  # exactly the fields the previous version wrote
        {
            "version": 1,
            "validators": {},
            "seen_topics": {
                "4242": "2024-05-21T08:30:00.000+09:00",
                "9001": "2026-06-15T10:00:00.000+09:00",
            },
            "pending_topics": {
                "777": {
                    "id": 777,
                    "slug": "s",
                    "title": "[2026/06/01 ~ 07] 이번 주에 살펴볼 만한 AI/ML 논문 모음",
                    "last_posted_at": None,
                }
            },
            "seen_blobs": [],
            "files": {},
            "failures": {"topic:777": 4},
            "last_fetch_at": "2026-06-15T00:00:00Z",
            "last_success_at": None,
            "last_error": "x: HTTP 500",
            "not_before": None,
        }
    )
    state = load_state(old)
    assert state is not None
    # 9001 was bumped after its last post (an edit the old bot missed): read again. 4242 was not.
    edited = weekly_2026(bumped="2026-06-16T09:00:00.000+09:00")
    pinned = fixture("category_news_page.json")["topic_list"]["topics"][1]
    server.route(CATEGORY, json_reply(category_page([pinned, edited])))
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    server.route("/raw/777/1", text_reply(WEEKLY_2026_MARKDOWN.replace("2505.24760", "2505.11111")))
    result = await forum.fetch(state)
    assert sorted(topic_requests(server)) == ["/raw/777/1", RAW]  # 777 was owed: not given up
    assert len(result.documents) == 2
    assert result.state.pending_topics == {}
    assert set(result.state.read_topics) == {777, PINNED_ID, WEEKLY_2026_ID}


def test_fancy_title_is_only_a_fallback() -> None:
    entry = listed(1, 'A "quoted" title')
    assert entry["fancy_title"] != entry["title"]
    del entry["title"]
    parsed = topic_list(category_page([entry]))
    assert parsed is not None
    assert parsed.topics[0].ref.title == html.unescape(str(entry["fancy_title"]))


# -- requests stay on the forum's host ---------------------------------------------------------


async def test_a_raw_view_redirected_to_another_host_is_not_stored_as_the_issue(
    server: FakeWeb, forum: ForumSource, start_server: ServerFactory
) -> None:
    elsewhere = await start_server()
    elsewhere.route("/evil", text_reply(weekly_markdown()))  # a digest, but not the forum's
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, status_reply(302, Location=f"{elsewhere.base}/evil"))
    server.route(JSON, status_reply(302, Location=f"{elsewhere.base}/evil"))
    result = await forum.fetch(None)
    assert result.documents == []
    assert elsewhere.requests == []
    (error,) = result.fetch_errors
    assert error.url == f"{server.base}{JSON}"
    assert "redirected to another host" in error.reason  # what /status shows
    assert WEEKLY_2026_ID in result.state.pending_topics


async def test_a_listing_redirected_to_another_host_is_refused(
    server: FakeWeb, forum: ForumSource, start_server: ServerFactory
) -> None:
    elsewhere = await start_server()
    elsewhere.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(CATEGORY, status_reply(301, Location=f"{elsewhere.base}{CATEGORY}"))
    result = await forum.fetch(None)
    assert elsewhere.requests == []
    assert result.state.pending_topics == {}
    (error,) = result.fetch_errors
    assert "redirected to another host" in error.reason
    assert result.state.last_error is not None
    assert "redirected to another host" in result.state.last_error


async def test_a_redirect_on_the_forums_own_host_is_followed(
    server: FakeWeb, forum: ForumSource
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    server.route(RAW, status_reply(301, Location="/raw/moved"))
    server.route("/raw/moved", text_reply(WEEKLY_2026_MARKDOWN))
    result = await forum.fetch(None)
    assert only(result).key == "weekly:2026-06-08"
    assert result.fetch_errors == []


# -- after an outage, read within two hours of the forum answering again ----------------------


async def test_after_a_long_outage_a_topic_is_read_within_two_hours_of_recovery(
    server: FakeWeb, forum: ForumSource, clock: Clock
) -> None:
    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"v1"'))
    server.route(RAW, bad_gateway())
    state: SourceState | None = None
    for _ in range(24):  # a day of hourly polls, the forum's topics failing with 502
        state = (await forum.fetch(state)).state
        clock.advance(hours=1)
    assert state is not None
    recovered = clock()
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    documents: list[Document] = []
    while not documents and clock() - recovered <= timedelta(hours=2):
        result = await forum.fetch(state)
        state, documents = result.state, result.documents
        if not documents:
            clock.advance(hours=1)
    assert [document.key for document in documents] == ["weekly:2026-06-08"]
    assert clock() - recovered <= timedelta(hours=2)


def test_a_topic_id_sent_as_a_string_is_skipped_with_a_reason() -> None:
    good, bad = listed(1, WEEKLY_TITLE), listed(2, "A string id")
    bad["id"] = "2"
    parsed = topic_list(category_page([good, bad]))
    assert parsed is not None
    assert [entry.ref.id for entry in parsed.topics] == [1]
    (reason,) = parsed.skipped
    assert "malformed id '2' (not an integer)" in reason
    assert "A string id" in reason


async def test_a_malformed_topic_id_reaches_the_sources_status(
    server: FakeWeb, forum: ForumSource
) -> None:
    entry = weekly_2026()
    entry["id"] = str(entry["id"])
    server.route(CATEGORY, json_reply(category_page([entry])))
    result = await forum.fetch(None)
    (error,) = result.fetch_errors
    assert error.url == f"{server.base}{CATEGORY}"
    assert "malformed id" in error.reason
    assert result.state.last_error is not None
