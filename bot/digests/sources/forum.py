"""Weekly issues from the PyTorch Korea forum (Discourse), read through its JSON and raw views.

A poll does two things, and remembers enough between them to be cheap and to lose nothing:

1. **List.** ``GET {base}/{category}.json`` (conditionally: an unchanged listing is a 304 and
   costs nothing), follow ``topic_list.more_topics_url`` up to ``page_limit`` pages, and keep
   the topics whose title belongs to the weekly series (:func:`is_series_title`). A topic that
   was never read, or whose ``last_posted_at`` moved, joins ``state.pending_topics``. Paging
   stops early at a page whose series topics were all read already: the listing is newest
   first, so deeper pages hold nothing new.
2. **Read.** For up to ``max_topics_per_poll`` pending topics, get the first post's markdown —
   ``/raw/{id}/1``, else ``raw`` from ``/t/{id}.json?include_raw=1``, else that post's
   ``cooked`` HTML flattened to text (:mod:`._html`) — prepend the topic title (the markdown
   lacks it, and it carries the week), and parse it with
   :func:`bot.digests.parse.parse_text`. The document's source is the topic's URL,
   ``{base}/t/{slug}/{id}``.

Pending topics survive in the state, so a topic that failed to download (or did not fit in this
poll) is read on a later poll even when the listing itself answers 304. A topic that keeps
failing is given up after ``max_failures`` polls, and one the forum says is gone (403/404/410)
at once; both are reported as fetch errors. A post that does not parse is reported once as a
:class:`~bot.digests.models.ParseError` and not retried until the topic changes.

Why ``/raw/{id}/1`` rather than ``/raw/{id}``: without a post number Discourse returns the whole
topic, every reply included, each under a ``user | date | #n`` line. If a forum answers the
short form that way anyway, :func:`first_post_markdown` cuts the first post out of it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

from bot.digests._dates import parse_period
from bot.digests.models import Document
from bot.digests.sources._html import html_to_text
from bot.digests.sources.base import (
    Clock,
    FetchError,
    FetchResult,
    SourceState,
    TopicRef,
    deferred,
    finish_poll,
    parse_post,
    start_poll,
    utc_now,
)
from bot.digests.sources.http import HttpError, HttpFetcher
from bot.digests.tags import TagVocabulary

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://discuss.pytorch.kr"
DEFAULT_CATEGORY = "c/news/14"

# "[2024/05/13 ~ 05/19] …", "[2026/06/08 ~ 14] …", "[2025.01.06-01.12] …": a bracketed week at
# the start of the title. The end may omit year and month.
_BRACKETED_WEEK = re.compile(
    r"\s*[\[【［]\s*(?:19|20)\d{2}\s*[./\-년]\s*\d{1,2}\s*[./\-월]\s*\d{1,2}\s*일?\s*"
    r"[~～〜\-–—]\s*[0-9./\-년월일\s]{1,16}[\]】］]"
)
_SERIES_WORDS = re.compile(r"논문|\bpapers?\b", re.IGNORECASE)
_GONE = frozenset({403, 404, 410})
# The whole-topic form of /raw: "user | 2024-05-20 01:02:03 UTC | #1", the post, a rule.
_DUMP_HEADER = re.compile(r"[^\s|]{1,60} \| [^|\n]{1,60} \| #\d{1,6}[ \t]*")
_DUMP_END = re.compile(r"\n-{25}[ \t]*\n\s*(?=[^\s|]{1,60} \| [^|\n]{1,60} \| #\d|\Z)")


def is_series_title(title: str) -> bool:
    """A weekly-paper-digest title: a bracketed week first, then 논문 or "paper(s)".

    Matches ``[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)`` and
    ``[2026/06/08 ~ 14] 이번 주에 살펴볼 만한 AI/ML 논문 모음``, and the next wording the
    editors choose as long as it keeps the week in brackets and mentions papers; release
    notes or event posts with a date (``[2024/05/13] PyTorch 2.3 …``) are not matched.
    """
    match = _BRACKETED_WEEK.match(title)
    return (
        match is not None
        and parse_period(match.group(0)) is not None
        and _SERIES_WORDS.search(title, match.end()) is not None
    )


def first_post_markdown(text: str) -> str:
    """The first post of a ``/raw`` answer; the post itself when it is a single post."""
    stripped = text.lstrip()
    header = _DUMP_HEADER.match(stripped)
    if header is None or not stripped[header.end() :].startswith("\n"):
        return text
    body = stripped[header.end() :]
    end = _DUMP_END.search(body)
    return (body[: end.start()] if end else body).strip("\n") + "\n"


def with_title(title: str, body: str) -> tuple[str, int]:
    """``body`` with the topic title in front, and how many lines were added (0 or 2).

    Nothing is added when the post already starts with its title (some authors repeat it as a
    heading), so the parser never sees it twice.
    """
    head = [line.strip().lstrip("#").strip() for line in body.split("\n", 8)[:8] if line.strip()]
    if title.strip() in head[:3]:
        return body, 0
    return f"{title}\n\n{body}", 2


class ForumSource:
    """The weekly series of a Discourse category. See the module docstring for the protocol."""

    def __init__(
        self,
        http: HttpFetcher,
        vocabulary: TagVocabulary,
        *,
        base_url: str = DEFAULT_BASE_URL,
        category: str = DEFAULT_CATEGORY,
        page_limit: int = 3,
        max_topics_per_poll: int = 20,
        max_failures: int = 5,
        series: Callable[[str], bool] = is_series_title,
        name: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.http = http
        self.vocabulary = vocabulary
        self.base_url = base_url.rstrip("/")
        self.category = category.strip("/")
        self.page_limit = max(1, page_limit)
        self.max_topics_per_poll = max(1, max_topics_per_poll)
        self.max_failures = max(1, max_failures)
        self.series = series
        self.name = name or f"forum:{urlsplit(self.base_url).netloc}/{self.category}"
        self._clock = clock
        self._host = urlsplit(self.base_url).netloc.lower()

    def topic_url(self, topic: TopicRef) -> str:
        return f"{self.base_url}/t/{topic.slug or 'topic'}/{topic.id}"

    async def fetch(self, state: SourceState | None) -> FetchResult:
        now = self._clock()
        if deferred(state, now):
            assert state is not None
            return FetchResult(state=state.model_copy(deep=True))
        result = FetchResult(state=start_poll(state, now))
        result.state.not_before = None
        if await self._list(result):
            await self._read_pending(result)
        return finish_poll(result, now)

    # -- listing ------------------------------------------------------------------------------

    async def _list(self, result: FetchResult) -> bool:
        """Add new and changed series topics to the pending ones; ``False`` if the forum failed.

        When the forum is in trouble (5xx, timeout, 429) nothing else is asked of it this poll.
        """
        state = result.state
        url: str | None = f"{self.base_url}/{self.category}.json"
        for _ in range(self.page_limit):
            if url is None:
                return True
            try:
                response = await self.http.get(
                    url,
                    validators=state.validators.get(url),
                    headers={"Accept": "application/json"},
                )
            except HttpError as error:
                self._failed(result, error)
                return not error.server_trouble
            if response.not_modified:
                return True  # this page, and so everything older, is as we left it
            page = _topic_list(response.json_or_none())
            if page is None:
                result.fetch_errors.append(
                    FetchError(url=url, reason="not a Discourse topic list (invalid JSON)")
                )
                return True  # the forum answered; pending topics can still be read
            topics, more = page
            series_seen = fresh = 0
            for topic in topics:
                if not self.series(topic.title):
                    continue
                series_seen += 1
                if topic.id in state.seen_topics and (
                    state.seen_topics[topic.id] == topic.last_posted_at
                ):
                    continue
                fresh += 1
                state.pending_topics[topic.id] = topic
            if (validators := response.validators).empty:
                state.validators.pop(url, None)
            else:
                state.validators[url] = validators
            if series_seen and not fresh:
                return True  # a page of topics we have all read: deeper pages are older still
            url = self._next_page(more, result)
        return True

    def _next_page(self, more: str | None, result: FetchResult) -> str | None:
        if not more:
            return None
        parts = urlsplit(urljoin(self.base_url + "/", more))
        if parts.netloc.lower() != self._host or parts.scheme not in ("http", "https"):
            result.fetch_errors.append(
                FetchError(url=more, reason="next page is on another host; not followed")
            )
            return None
        path = parts.path if parts.path.endswith(".json") else parts.path.rstrip("/") + ".json"
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))

    # -- reading ------------------------------------------------------------------------------

    async def _read_pending(self, result: FetchResult) -> None:
        state = result.state
        for topic_id in sorted(state.pending_topics)[: self.max_topics_per_poll]:
            topic = state.pending_topics[topic_id]
            key = f"topic:{topic.id}"
            try:
                markdown = await self._markdown(topic)
            except HttpError as error:
                self._failed(result, error)
                failures = state.failures.get(key, 0) + 1
                if error.status in _GONE or failures >= self.max_failures:
                    self._done(state, topic)  # gone, or hopeless: stop asking
                else:
                    state.failures[key] = failures
                if error.server_trouble:
                    return  # the rest waits for the next poll
                continue
            except _BadResponseError as error:
                result.fetch_errors.append(FetchError(url=error.url, reason=error.reason))
                self._done(state, topic)
                continue
            text, offset = with_title(topic.title, markdown)
            # Parsing is CPU work: off the event loop, which also keeps the Discord connection.
            parsed = await asyncio.to_thread(
                parse_post, text, self.topic_url(topic), self.vocabulary, line_offset=offset
            )
            if isinstance(parsed, Document):
                result.documents.append(parsed)
            else:
                result.parse_errors.append(parsed)
            self._done(state, topic)

    def _done(self, state: SourceState, topic: TopicRef) -> None:
        state.seen_topics[topic.id] = topic.last_posted_at
        state.pending_topics.pop(topic.id, None)
        state.failures.pop(f"topic:{topic.id}", None)

    async def _markdown(self, topic: TopicRef) -> str:
        """The first post as markdown (or as text flattened from its HTML)."""
        raw_url = f"{self.base_url}/raw/{topic.id}/1"
        try:
            response = await self.http.get(raw_url, headers={"Accept": "text/plain"})
        except HttpError as error:
            if error.status is None or error.status in (408, 429) or error.status >= 500:
                raise  # the forum is struggling: a second URL would only add load
        else:
            # A login or challenge page comes back as HTML with a 200: not the markdown.
            if response.content_type != "text/html" and response.text().strip():
                return first_post_markdown(response.text())
        json_url = f"{self.base_url}/t/{topic.id}.json?include_raw=1"
        response = await self.http.get(json_url, headers={"Accept": "application/json"})
        post = _first_post(response.json_or_none())
        if post is None:
            raise _BadResponseError(json_url, "not a Discourse topic (invalid JSON or no posts)")
        raw, cooked = post.get("raw"), post.get("cooked")
        if isinstance(raw, str) and raw.strip():
            return raw
        if isinstance(cooked, str) and cooked.strip():
            return html_to_text(cooked, self.base_url)
        raise _BadResponseError(json_url, "the first post has neither raw nor cooked content")

    def _failed(self, result: FetchResult, error: HttpError) -> None:
        log.warning("%s: %s", self.name, error)
        result.fetch_errors.append(
            FetchError(url=error.url, reason=error.reason, status=error.status)
        )
        if error.retry_after is not None and error.retry_after > self.http.settings.max_retry_after:
            result.state.not_before = self._clock() + timedelta(seconds=error.retry_after)


class _BadResponseError(Exception):
    """A 200 whose body is not what the forum's API promises; retrying will not fix it."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def _topic_list(data: object) -> tuple[list[TopicRef], str | None] | None:
    """Topics of a ``/c/….json`` page and its next page; ``None`` when it is not one."""
    if not isinstance(data, dict):
        return None
    listing = data.get("topic_list")
    if not isinstance(listing, dict) or not isinstance(listing.get("topics"), list):
        return None
    topics: list[TopicRef] = []
    for item in listing["topics"]:
        if not isinstance(item, dict):
            continue
        topic_id, title = item.get("id"), item.get("title")
        if (
            not isinstance(topic_id, int)
            or isinstance(topic_id, bool)
            or not isinstance(title, str)
        ):
            continue
        slug = item.get("slug")
        posted = item.get("last_posted_at")
        topics.append(
            TopicRef(
                id=topic_id,
                slug=slug if isinstance(slug, str) else "",
                title=title,
                last_posted_at=posted if isinstance(posted, str) else None,
            )
        )
    more = listing.get("more_topics_url")
    return topics, more if isinstance(more, str) and more else None


def _first_post(data: object) -> dict[str, object] | None:
    """Post number 1 of a ``/t/{id}.json`` answer (or its first post)."""
    if not isinstance(data, dict):
        return None
    stream = data.get("post_stream")
    posts = stream.get("posts") if isinstance(stream, dict) else None
    if not isinstance(posts, list):
        return None
    candidates = [post for post in posts if isinstance(post, dict)]
    for post in candidates:
        if post.get("post_number") == 1:
            return post
    return candidates[0] if candidates else None
