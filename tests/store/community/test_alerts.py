"""Subscriptions, matching new papers, and the alert outbox (``bot.store.community.alerts``).

Real SQLite in a temporary directory throughout.
"""

from __future__ import annotations

import datetime as dt
import json

from bot.store import DocumentWrite, IngestStatus, Store
from tests.delivery.helpers import issue_doc
from tests.store.builders import paper, weekly

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, tzinfo=UTC)
LEASE = dt.timedelta(minutes=5)


async def test_follow_normalises_and_pauses(store: Store) -> None:
    assert await store.alerts.follow(7, "tag", "#RLHF", locale="en", now=T0)
    assert not await store.alerts.follow(7, "tag", "rlhf", now=T0)
    assert await store.alerts.follow(7, "keyword", "  Hallucination   Detection ", now=T0)
    subs = await store.alerts.subscriptions(7)
    assert [(s.kind, s.value) for s in subs] == [
        ("tag", "rlhf"),
        ("keyword", "hallucination detection"),
    ]
    user = await store.alerts.get_user(7)
    assert user is not None
    assert user.active
    assert user.locale == "en"
    await store.alerts.set_paused(7, True, now=T0)
    assert (await store.alerts.get_user(7)).paused  # type: ignore[union-attr]
    await store.alerts.set_paused(7, False, now=T0)
    assert (await store.alerts.get_user(7)).active  # type: ignore[union-attr]
    assert await store.alerts.unfollow(7, "tag", "RLHF")
    assert not await store.alerts.unfollow(7, "tag", "rlhf")


async def test_alert_hook_matches_tags_and_korean_keywords(store: Store) -> None:
    store = store.with_clock(lambda: T0)
    await store.alerts.follow(1, "tag", "rlhf", now=T0)
    await store.alerts.follow(2, "keyword", "환각", now=T0)
    await store.alerts.follow(3, "keyword", "diffusion", now=T0)
    await store.alerts.follow(4, "tag", "rlhf", now=T0)
    await store.alerts.set_paused(4, True, now=T0)
    document = weekly(
        dt.date(2024, 5, 6),
        paper("Aligning with Feedback", arxiv_id="2405.00001", tags=["rlhf"]),
        paper(
            "Grounded Decoding",
            arxiv_id="2405.00002",
            tags=["llm"],
            summary_ko="언어 모델의 환각을 줄이는 방법",
        ),
        paper("Video Models", arxiv_id="2405.00003", tags=["vision"]),
    )
    report = await store.ingest([document])
    assert report.new == 1
    rows = {row["user_id"]: row for row in await store.alerts.alert_rows()}
    assert set(rows) == {1, 2}
    papers = await store.issue_papers(report.documents[0].document_id or 0)
    assert json.loads(rows[1]["matches"]) == [[papers[0].id, ["#rlhf"]]]
    assert json.loads(rows[2]["matches"]) == [[papers[1].id, ["환각"]]]
    # re-ingesting the same document brings no new papers and no new rows
    again = await store.ingest([document])
    assert again.unchanged == 1
    assert len(await store.alerts.alert_rows()) == 2


async def test_failing_hook_rolls_back_the_document(store: Store) -> None:
    await store.alerts.follow(1, "tag", "rlhf", now=T0)
    alert = None

    async def failing(write: DocumentWrite) -> None:
        await alert(write)
        raise RuntimeError("disk full")

    report = await store.ingest([issue_doc(dt.date(2024, 5, 6))], on_document=failing)
    assert report.documents[0].status is IngestStatus.FAILED
    assert await store.list_issues() == []
    assert await store.alerts.alert_rows() == []


async def test_outbox_claims_leases_and_retries(store: Store) -> None:
    store = store.with_clock(lambda: T0)
    for user in (1, 2, 3):
        await store.alerts.follow(user, "tag", "rlhf", now=T0)
    await store.ingest([issue_doc(dt.date(2024, 5, 6))])
    claims = await store.alerts.claim_alerts(owner="w", now=T0, lease=LEASE, limit=2)
    assert [c.user_id for c in claims] == [1, 2]
    assert all(len(c.matches) == 3 and c.attempts == 1 for c in claims)
    assert [
        c.user_id for c in await store.alerts.claim_alerts(owner="x", now=T0, lease=LEASE, limit=5)
    ] == [3]
    assert await store.alerts.claim_alerts(owner="y", now=T0, lease=LEASE, limit=5) == []
    assert await store.alerts.mark_alert_sent(claims[0], T0, 555)
    assert await store.alerts.retry_alert(
        claims[1], now=T0, next_attempt_at=T0 + LEASE, error="500"
    )
    assert (
        await store.alerts.claim_alerts(owner="y", now=T0 + LEASE / 2, lease=LEASE, limit=5) == []
    )
    retried = await store.alerts.claim_alerts(owner="y", now=T0 + LEASE, lease=LEASE, limit=5)
    # user 2 retried, user 3's claim by "x" expired: recovered
    assert sorted((c.user_id, c.attempts, c.recovered) for c in retried) == [
        (2, 2, False),
        (3, 2, True),
    ]
    await store.alerts.mark_unreachable(3, T0, "closed_dms")
    assert await store.alerts.take_user_notice(3)
    assert not await store.alerts.take_user_notice(3)
    status = await store.status()
    assert status.sent_alerts == 1
    assert status.unreachable_users == 1
