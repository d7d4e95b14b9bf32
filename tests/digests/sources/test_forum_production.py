"""The forum source with the production ``HttpSettings``: real retries, backoff and pacing.

Everything else in these tests shrinks the waits; here the fetcher keeps the settings the bot
runs with (four attempts, backoff from 2 s, one request a second per host, 30 s timeouts) and
only time is virtual: the fetcher's ``sleep`` and ``clock`` advance a counter instead of
waiting, so the test stays fast while every wait the bot would make is observed. The server
answers at once, with Discourse's two rate-limit answers and a one-second ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import pytest

from bot.digests.sources.base import SourceState
from bot.digests.sources.forum import ForumSource
from bot.digests.sources.http import HttpFetcher, HttpSettings
from bot.digests.tags import TagVocabulary

from .discourse import (
    CATEGORY,
    RAW,
    T0,
    WEEKLY_2026_ID,
    category_page,
    rate_limited_json,
    rate_limited_text,
    weekly_2026,
)
from .fakeweb import FakeWeb, json_reply, text_reply
from .posts import WEEKLY_2026_MARKDOWN

POLL_INTERVAL = timedelta(hours=1)  # the forum's default in bot.settings


@dataclass
class VirtualTime:
    """Seconds since T0; the fetcher's sleeps move it, and so do the polls between them."""

    seconds: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.seconds += delay
        await asyncio.sleep(0)

    def utc(self) -> datetime:
        return T0 + timedelta(seconds=self.seconds)


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def forum(
    server: FakeWeb, client: httpx.AsyncClient, vocabulary: TagVocabulary, time: VirtualTime
) -> ForumSource:
    settings = HttpSettings()  # production: nothing shortened
    assert (settings.max_attempts, settings.min_interval, settings.backoff_base) == (4, 1.0, 2.0)
    http = HttpFetcher(
        client, settings, sleep=time.sleep, clock=time.monotonic, rng=random.Random(13)
    )
    return ForumSource(http, vocabulary, base_url=server.base, clock=time.utc)


async def test_rate_limits_with_production_settings_delay_the_issue_but_never_lose_it(
    server: FakeWeb, forum: ForumSource, time: VirtualTime
) -> None:
    # The listing is rate limited once by the per-IP limiter, then answers.
    server.route(
        CATEGORY,
        rate_limited_text("1"),
        json_reply(category_page([weekly_2026()]), etag='"v1"'),
    )
    # The topic stays rate limited by a controller's limiter for a long while.
    server.route(RAW, rate_limited_json("1"))

    first = await forum.fetch(None)
    assert len(server.seen(CATEGORY)) == 2  # retried after the 429
    assert len(server.seen(RAW)) == 4  # every production attempt, then left for later
    listing_wait, pacing, *backoff = time.sleeps
    assert 1.0 <= listing_wait <= 2.0  # Retry-After: 1, or the first backoff if longer
    assert pacing == pytest.approx(1.0)  # one request a second to the forum
    # Backoff between the four attempts, each at least the Retry-After.
    assert len(backoff) == 3
    assert 1.0 <= backoff[0] <= 2.0
    assert 2.0 <= backoff[1] <= 4.0
    assert 4.0 <= backoff[2] <= 8.0
    assert first.documents == []
    assert first.fetch_errors[0].status == 429
    assert first.state.not_before is None  # a short Retry-After does not stop the source
    pending = first.state.pending_topics[WEEKLY_2026_ID]
    assert pending.last_error is not None
    assert "HTTP 429" in pending.last_error

    # Polls every hour; the topic stays limited for half a day.
    state: SourceState = first.state
    for _ in range(12):
        time.seconds += POLL_INTERVAL.total_seconds()
        result = await forum.fetch(state)
        state = result.state
        assert WEEKLY_2026_ID in state.pending_topics
        assert WEEKLY_2026_ID not in state.seen_topics
        assert "HTTP 429" in (state.last_error or "")
    tries = len(server.seen(RAW)) // 4
    assert tries > 5  # beyond the old give-up limit
    assert tries < 13  # but backing off, not at every poll
    assert state.failures == {f"topic:{WEEKLY_2026_ID}": tries}

    # The limit is lifted: the issue is read within two hours (the backoff's cap), at the
    # hourly polls.
    server.route(RAW, text_reply(WEEKLY_2026_MARKDOWN))
    read: list[str] = []
    for _ in range(2):
        time.seconds += POLL_INTERVAL.total_seconds()
        final = await forum.fetch(state)
        state = final.state
        read += [document.key for document in final.documents]
        if read:
            break
    assert read == ["weekly:2026-06-08"]
    assert final.fetch_errors == []
    assert final.state.pending_topics == {}
