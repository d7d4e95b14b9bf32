"""Weekly issues from the PyTorch Korea forum (Discourse), read through its JSON and raw views.

A poll does three things, and remembers enough between them to be cheap and to lose nothing:

1. **List.** ``GET {base}/{category}.json`` (conditionally: an unchanged listing is a 304 and
   costs nothing), follow ``topic_list.more_topics_url`` up to ``page_limit`` pages, and keep
   the topics whose title belongs to the weekly series (:func:`is_series_title`). A topic that
   was never read, or whose ``bumped_at`` or ``last_posted_at`` moved since (an edit of the
   first post moves ``bumped_at``), joins ``state.pending_topics``. Paging stops early at a
   page whose *unpinned* series topics were all read already: the listing is in bump order,
   so deeper pages hold nothing new — but pinned topics sit on top whatever their age, so they
   prove nothing. A ``more_topics_url`` outside the category (older forums answer with the
   site-wide ``/latest.json?page=1``) keeps its page number and stays in the category.
2. **Read.** For up to ``max_topics_per_poll`` pending topics that are due, get post number 1
   as markdown — ``/raw/{id}/1``, else ``raw`` from ``/t/{id}.json?include_raw=1``, else that
   post's ``cooked`` HTML flattened to text (:mod:`._html`, which keeps each line's place in
   the HTML for error messages) — prepend the topic title (the markdown lacks it, and it
   carries the week), and parse it with :func:`bot.digests.parse.parse_text`. The document's
   source is the topic's URL, ``{base}/t/{slug}/{id}``; its key comes from the week, so an
   edited issue replaces the stored one in place.
3. **Re-check.** An edit of the first post in a topic with replies may not show in the listing
   at all, so topics created within ``recheck_window`` are looked at again every
   ``recheck_every`` through ``/t/{id}.json``; when post 1's ``version`` or ``updated_at``
   moved, it is parsed again.

Only a definitive answer gives a topic up: the post parsed and is not a digest (reported once
as a :class:`~bot.digests.models.ParseError`, read again when the topic changes), or the forum
has said it is gone (404/410 from the JSON view, after ``/raw`` failed) for ``give_up_after``
(3 days), asked again every few hours meanwhile. Anything that may pass — 403 (private for
now, or a challenge page), a body that is not the API's, post 1 missing or hidden — keeps the
topic pending with its reason and a retry time that backs off to ``retry_cap`` (2 hours; a 429
backs off the same way, the pause the forum asked for). An outage (5xx, timeouts) adds no
backoff of the topic's: the first poll that finds the forum answering again reads it (within
``[sources.forum] interval``, 1 hour by default). Either way a topic is read within 2 hours of
the forum answering again. Every reason is reported as a fetch error on every poll until the
topic is read, so the source's status shows it.

Every request stays on the forum's host: the fetcher follows redirects only there
(:mod:`.http`), so an answer from elsewhere is never stored as the forum's issue.

Which titles belong to the series, and how post 1 is cut out of a whole-topic ``/raw`` answer,
is in :mod:`._forum_text`; the shapes of Discourse's JSON are read in :mod:`._discourse`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

from bot.clock import Clock, utcnow
from bot.digests.models import Document
from bot.digests.sources import _topics
from bot.digests.sources._discourse import FirstPost, first_post, instant
from bot.digests.sources._discourse import topic_list as parse_topic_list
from bot.digests.sources._forum_text import first_post_markdown, is_series_title, with_title
from bot.digests.sources._html import html_to_lines
from bot.digests.sources.base import (
    FetchError,
    FetchResult,
    SourceState,
    TopicRef,
    deferred,
    finish_poll,
    parse_post,
    start_poll,
)
from bot.digests.sources.http import HttpError, HttpFetcher, RemoteSource
from bot.digests.tags import TagVocabulary

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CATEGORY",
    "ForumSource",
    "first_post_markdown",
    "is_series_title",
    "with_title",
]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://discuss.pytorch.kr"
DEFAULT_CATEGORY = "c/news/14"

_GONE = frozenset({404, 410})  # only these give a topic up; 403 may be a challenge page


@dataclass(frozen=True, slots=True)
class _Post:
    """Post 1 as text for the parsers, and what identifies this revision of it."""

    text: str
    lines: list[int] | None = None  # text flattened from HTML: each line's line in the HTML
    version: int | None = None
    updated_at: str | None = None


class ForumSource(RemoteSource):
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
        retry_base: timedelta = timedelta(minutes=30),
        retry_cap: timedelta = timedelta(hours=2),
        give_up_after: timedelta = timedelta(days=3),
        recheck_every: timedelta = timedelta(days=1),
        recheck_window: timedelta = timedelta(days=28),
        max_rechecks_per_poll: int = 4,
        series: Callable[[str], bool] = is_series_title,
        name: str | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.http = http
        self.vocabulary = vocabulary
        self.base_url = base_url.rstrip("/")
        self.category = category.strip("/")
        self.page_limit = max(1, page_limit)
        self.max_topics_per_poll = max(1, max_topics_per_poll)
        self.backoff = _topics.Backoff(retry_base, retry_cap)
        # A topic the forum says is gone (404/410) is asked again over days before it is
        # given up: a moderator may have unlisted it for a while, or the forum misconfigured.
        self.gone_backoff = _topics.Backoff(timedelta(hours=1), timedelta(hours=12))
        self.give_up_after = give_up_after
        self.recheck_every = recheck_every
        self.recheck_window = recheck_window
        self.max_rechecks_per_poll = max(0, max_rechecks_per_poll)
        self.series = series
        self.name = name or f"forum:{urlsplit(self.base_url).netloc}/{self.category}"
        self._clock = clock
        self._host = urlsplit(self.base_url).netloc.lower()
        self._category_path = f"{urlsplit(self.base_url).path.rstrip('/')}/{self.category}"

    def topic_url(self, topic: TopicRef) -> str:
        return f"{self.base_url}/t/{topic.slug or 'topic'}/{topic.id}"

    async def fetch(self, state: SourceState | None) -> FetchResult:
        now = self._clock()
        if deferred(state, now):
            assert state is not None
            assert state.not_before is not None
            result = FetchResult(state=state.model_copy(deep=True))
            reason = f"rate limited: not asking before {_topics.when(state.not_before)}"
            result.fetch_errors.append(FetchError(url=self._listing_url(), reason=reason))
            return finish_poll(result, now)
        result = FetchResult(state=start_poll(state, now))
        result.state.not_before = None
        attempted: set[int] = set()
        if await self._list(result) and await self._read_pending(result, now, attempted):
            await self._recheck(result, now)
        self._report_waiting(result, attempted)
        return finish_poll(result, now)

    # -- listing ------------------------------------------------------------------------------

    def _listing_url(self) -> str:
        return f"{self.base_url}/{self.category}.json"

    async def _list(self, result: FetchResult) -> bool:
        """Add new and changed series topics to the pending ones; ``False`` if the forum failed.

        When the forum is in trouble (5xx, timeout, 429) nothing else is asked of it this poll.
        """
        state = result.state
        url: str | None = self._listing_url()
        asked: set[str] = set()
        listed: set[int] = set()  # a topic bumped while we page can show up twice
        for _ in range(self.page_limit):
            if url is None or url in asked:
                return True
            asked.add(url)
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
            page = parse_topic_list(response.json_or_none())
            if page is None:
                result.fetch_errors.append(
                    FetchError(url=url, reason="not a Discourse topic list (invalid JSON)")
                )
                return True  # the forum answered; pending topics can still be read
            topics, more = page.topics, page.more
            for skipped in page.skipped:
                result.fetch_errors.append(FetchError(url=url, reason=skipped))
            series_seen = fresh = 0
            for listed_topic in topics:
                topic = listed_topic.ref
                if topic.id in listed or not self.series(topic.title):
                    continue
                listed.add(topic.id)
                changed = _topics.note_listed(state, topic)
                if not listed_topic.pinned:  # pinned: on top whatever its age, proves nothing
                    series_seen += 1
                    fresh += changed
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
        path = parts.path.removesuffix(".json").rstrip("/")
        if path != self._category_path and not path.startswith(self._category_path + "/"):
            # Older forums answer a category page with the site-wide "/latest.json?page=1":
            # the page number is right, the list is not; stay in the category.
            path = f"{self._category_path}/l/latest"
        return urlunsplit((parts.scheme, parts.netloc, path + ".json", parts.query, ""))

    # -- reading ------------------------------------------------------------------------------

    async def _read_pending(self, result: FetchResult, now: datetime, attempted: set[int]) -> bool:
        """Read the pending topics that are due; ``False`` if the forum is in trouble."""
        state = result.state
        for topic in _topics.due_pending(state, now)[: self.max_topics_per_poll]:
            attempted.add(topic.id)
            try:
                post = await self._read_post(topic)
            except HttpError as error:
                if error.status in _GONE:
                    self._gone(result, topic, error, now)
                    continue
                self._failed(result, error)
                reason = f"{error.url}: {error.reason}"
                # An outage is the forum's, not the topic's: the topic is read at the first
                # poll that finds the forum answering again, not hours later on a grown
                # backoff. A rate limit is a pause asked for: that one backs off.
                outage = error.status is None or error.status >= 500
                backoff = _topics.NEXT_POLL if outage else self.backoff
                _topics.retry_later(state, topic, reason, now, backoff, error.retry_after)
                if error.server_trouble:
                    return False  # the rest waits for the next poll
                continue
            except _NotReadableError as error:
                result.fetch_errors.append(FetchError(url=error.url, reason=error.reason))
                _topics.retry_later(state, topic, str(error), now, self.backoff)
                continue
            await self._parse(result, topic, post)
            _topics.mark_read(state, topic, now, version=post.version, updated_at=post.updated_at)
        return True

    async def _read_post(self, topic: TopicRef) -> _Post:
        """Post 1 as markdown from ``/raw``, else from the topic's JSON view."""
        raw_url = f"{self.base_url}/raw/{topic.id}/1"
        try:
            response = await self.http.get(raw_url, headers={"Accept": "text/plain"})
        except HttpError as error:
            if error.server_trouble:
                raise  # the forum is struggling: a second URL would only add load
        else:
            # A login or challenge page comes back as HTML with a 200: not the markdown.
            if response.content_type != "text/html" and response.text().strip():
                markdown = first_post_markdown(response.text())
                if markdown is not None:
                    return _Post(markdown)
        return await self._json_post(topic)

    async def _json_post(self, topic: TopicRef) -> _Post:
        """Post 1 of ``/t/{id}.json``: its markdown, else its HTML flattened to text."""
        url = f"{self.base_url}/t/{topic.id}.json?include_raw=1"
        response = await self.http.get(url, headers={"Accept": "application/json"})
        post = first_post(response.json_or_none())
        if isinstance(post, str):
            raise _NotReadableError(url, post)
        return _as_post(post, self.base_url, url)

    async def _parse(self, result: FetchResult, topic: TopicRef, post: _Post) -> None:
        text, offset = with_title(topic.title, post.text)
        # Parsing is CPU work: off the event loop, which also keeps the Discord connection.
        parsed = await asyncio.to_thread(
            parse_post,
            text,
            self.topic_url(topic),
            self.vocabulary,
            line_offset=offset,
            lines=post.lines,
        )
        if isinstance(parsed, Document):
            result.documents.append(parsed)
        else:
            result.parse_errors.append(parsed)

    def _gone(self, result: FetchResult, topic: TopicRef, error: HttpError, now: datetime) -> None:
        """The forum answered 404/410 (both views): ask again over ``give_up_after`` before
        giving the topic up; the reason and the deadline are in ``/status`` meanwhile."""
        since = topic.gone_since or now
        if now - since >= self.give_up_after:
            _topics.mark_read(result.state, topic, now, gone=True)
            reason = f"given up: answered HTTP {error.status} since {_topics.when(since)}"
            result.fetch_errors.append(FetchError(url=self.topic_url(topic), reason=reason))
            return
        topic.gone_since = since
        reason = (
            f"{error.reason} since {_topics.when(since)}; given up if it lasts until "
            f"{_topics.when(since + self.give_up_after)}"
        )
        log.warning("%s: %s: %s", self.name, error.url, reason)
        result.fetch_errors.append(FetchError(url=error.url, reason=reason, status=error.status))
        _topics.retry_later(result.state, topic, f"{error.url}: {reason}", now, self.gone_backoff)

    # -- re-checking --------------------------------------------------------------------------

    async def _recheck(self, result: FetchResult, now: datetime) -> None:
        """Look at post 1 of recent read topics again: an edit may not show in the listing."""
        state = result.state
        due = _topics.due_rechecks(state, now, self.recheck_every, self.recheck_window)
        for topic_id, mark in due[: self.max_rechecks_per_poll]:
            topic = TopicRef(id=topic_id, slug=mark.slug, title=mark.title)
            try:
                post = await self._json_post(topic)
            except HttpError as error:
                self._failed(result, error)
                if error.status in _GONE:
                    mark.recheck = False  # the document stays; the topic is gone
                if error.server_trouble:
                    return
                continue
            except _NotReadableError as error:
                result.fetch_errors.append(FetchError(url=error.url, reason=error.reason))
                mark.checked_at = now  # the forum answered: ask again next time it is due
                continue
            mark.checked_at = now
            unchanged = (post.version, instant(post.updated_at)) == (
                mark.version,
                instant(mark.updated_at),
            )
            if unchanged and (post.version is not None or post.updated_at is not None):
                continue
            await self._parse(result, topic, post)
            mark.version, mark.updated_at = post.version, post.updated_at

    # -- failures -----------------------------------------------------------------------------

    def _report_waiting(self, result: FetchResult, attempted: set[int]) -> None:
        """A failed topic not tried this poll is still owed: say so, for ``/status``."""
        for topic, reason in _topics.waiting(result.state, attempted):
            result.fetch_errors.append(FetchError(url=self.topic_url(topic), reason=reason))


class _NotReadableError(Exception):
    """The forum answered, but not with a readable post 1 (yet): try again later."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def _as_post(post: FirstPost, base_url: str, url: str) -> _Post:
    if post.raw is not None:
        return _Post(post.raw, None, post.version, post.updated_at)
    text, lines = html_to_lines(post.cooked or "", base_url)
    if not text.strip():
        raise _NotReadableError(url, "post 1 has no text")
    return _Post(text, lines, post.version, post.updated_at)
