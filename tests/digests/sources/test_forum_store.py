"""An edited weekly issue through the real store: updated in place, its followers DM'd once.

The forum is a Discourse-shaped loopback server; the store is a real SQLite file; alerts are
queued by the store's own hook (``AlertStore.queue_hook``), as the scheduler does after a poll.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.digests.sources.base import SourceState
from bot.digests.sources.forum import ForumSource
from bot.digests.sources.http import HttpFetcher
from bot.digests.tags import TagVocabulary
from bot.ingest.poll import read_source
from bot.store import Store

from .discourse import (
    CATEGORY,
    RAW,
    T0,
    WEEKLY_2026_BROKEN,
    WEEKLY_2026_EDITED,
    Clock,
    category_page,
    weekly_2026,
)
from .fakeweb import FakeWeb, ServerFactory, json_reply, status_reply, text_reply

FOLLOWER = 1
LEASE = timedelta(minutes=5)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await Store.open(tmp_path / "paperbot.db") as opened:
        yield opened


async def poll_and_ingest(
    forum: ForumSource, store: Store, state: SourceState | None = None
) -> tuple[SourceState, list[int]]:
    result = await forum.fetch(state)
    assert result.fetch_errors == []
    report = await store.ingest(result.documents)  # queues alerts itself
    return result.state, [outcome.document_id or 0 for outcome in report.documents]


@pytest.mark.parametrize("sent_before_the_edit", [True, False], ids=["sent", "still-queued"])
async def test_an_edited_issue_is_updated_in_place_and_alerts_once(
    server: FakeWeb,
    http: HttpFetcher,
    vocabulary: TagVocabulary,
    store: Store,
    sent_before_the_edit: bool,
) -> None:
    clock = Clock()
    forum = ForumSource(http, vocabulary, base_url=server.base, clock=clock)
    store = store.with_clock(clock)
    community = store.alerts
    await community.follow(FOLLOWER, "tag", "rl", now=T0)

    server.route(CATEGORY, json_reply(category_page([weekly_2026()]), etag='"v1"'))
    server.route(RAW, text_reply(WEEKLY_2026_BROKEN))
    state, (document_id,) = await poll_and_ingest(forum, store)
    (queued,) = await community.alert_rows()
    assert (queued["user_id"], queued["document_id"]) == (FOLLOWER, document_id)
    if sent_before_the_edit:
        (claim,) = await community.claim_alerts(owner="w", now=T0, lease=LEASE, limit=10)
        assert await community.mark_alert_sent(claim, T0, 555)

    # The editor fixes the paper's link and adds a paper the follower's tag matches.
    clock.advance(hours=3)
    edited = weekly_2026(bumped="2026-06-15T15:00:00.000+09:00")
    server.route(CATEGORY, json_reply(category_page([edited]), etag='"v2"'))
    server.route(RAW, text_reply(WEEKLY_2026_EDITED))
    state, (again_id,) = await poll_and_ingest(forum, store, state)

    assert again_id == document_id  # the same issue, updated in place
    (issue,) = await store.list_issues()
    papers = await store.issue_papers(document_id)
    assert [paper.arxiv_id for paper in papers] == ["2505.24760", "2506.01234"]
    assert issue.id == document_id

    rows = await community.alert_rows()
    assert len(rows) == 1  # one alert per (user, issue), edit or not
    if sent_before_the_edit:
        assert rows[0]["status"] == "sent"
        assert await community.claim_alerts(owner="w", now=T0, lease=LEASE, limit=10) == []
    else:
        (claim,) = await community.claim_alerts(owner="w", now=T0, lease=LEASE, limit=10)
        assert claim.user_id == FOLLOWER
        # The one DM shows the issue as corrected (delivery skips ids of papers since gone).
        current = {paper.id for paper in papers}
        assert {paper_id for paper_id, _ in claim.matches} & current == current

    # A later poll with nothing new touches nothing.
    clock.advance(hours=3)
    result = await forum.fetch(state)
    assert result.documents == []
    assert len(await community.alert_rows()) == 1


async def test_a_redirect_to_another_host_is_the_reason_in_the_sources_status(
    store: Store, http: HttpFetcher, vocabulary: TagVocabulary, start_server: ServerFactory
) -> None:
    """What /status shows: the source's last error names the refused redirect."""
    forum_site, elsewhere = await start_server(), await start_server()
    elsewhere.route(CATEGORY, json_reply(category_page([weekly_2026()])))
    forum_site.route(CATEGORY, status_reply(302, Location=f"{elsewhere.base}{CATEGORY}"))
    forum = ForumSource(http, vocabulary, base_url=forum_site.base)
    read = await read_source(store, forum)
    assert read.documents == 0
    (status,) = await store.sources.statuses()
    assert status.source == forum.name
    assert status.last_error is not None
    assert "redirected to another host" in status.last_error
    assert elsewhere.requests == []
