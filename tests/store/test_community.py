"""Community store: guild settings, delivery claims, subscriptions, the alert outbox.

Real SQLite in a temporary directory throughout.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.store import DocumentWrite, IngestStatus, Store
from bot.store.community.slots import ScheduleError
from tests.delivery.helpers import ingest_at, issue_doc
from tests.store.builders import paper, weekly

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, tzinfo=UTC)
LEASE = dt.timedelta(minutes=5)


async def test_configure_sets_baseline_and_keeps_it(store: Store) -> None:
    first = await ingest_at(store, issue_doc(dt.date(2024, 4, 29)), T0)
    settings = await store.guilds.configure_guild(1, channel_id=10, weekday=0, time="09:00", now=T0)
    assert settings.baseline_document_id == first
    assert settings.kinds == ("weekly",)
    assert settings.language == "ko"
    assert settings.timezone == "Asia/Seoul"
    await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0)
    again = await store.guilds.configure_guild(
        1,
        channel_id=11,
        weekday=2,
        time="18:30",
        timezone="Europe/Berlin",
        kinds=["weekly", "daily"],
        language="en",
        role_id=99,
        now=T0 + dt.timedelta(days=1),
    )
    assert again.baseline_document_id == first
    assert again.configured_at == T0
    assert (again.channel_id, again.weekday, again.time, again.role_id) == (11, 2, "18:30", 99)
    assert again.kinds == ("daily", "weekly")
    with pytest.raises(ScheduleError):
        await store.guilds.configure_guild(2, channel_id=1, weekday=0, time="9:00", timezone="X/Y")
    assert [g.guild_id for g in await store.guilds.configured_guilds()] == [1]


async def test_due_for_guild_from_the_database(store: Store) -> None:
    await ingest_at(store, issue_doc(dt.date(2024, 4, 29)), T0)
    await store.guilds.configure_guild(1, channel_id=10, weekday=0, time="09:00", now=T0)
    ids = [
        await ingest_at(
            store, issue_doc(dt.date(2024, 5, day), stem=str(day)), T0 + dt.timedelta(days=day)
        )
        for day in (6, 13, 20)
    ]
    now = dt.datetime(2024, 5, 28, tzinfo=UTC)  # slots passed: 5/6, 5/13, 5/20, 5/27 (00:00 UTC)
    due = await store.guilds.due_for_guild(1, now)
    assert due.post is not None
    assert due.post.document_id == ids[-1]
    assert [i.document_id for i in due.missed] == ids[:-1]


async def test_claim_is_exclusive_until_the_lease_expires(store: Store) -> None:
    await store.guilds.configure_guild(1, channel_id=10, weekday=0, time="09:00", now=T0)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0)
    older = await ingest_at(store, issue_doc(dt.date(2024, 4, 29), stem="o"), T0)
    first = await store.guilds.claim_delivery(
        1, doc, owner="a", now=T0, lease=LEASE, missed=[older]
    )
    assert first is not None
    assert first.missed == (older,)
    assert not first.resumed
    assert await store.guilds.claim_delivery(1, doc, owner="b", now=T0, lease=LEASE) is None
    later = T0 + LEASE
    second = await store.guilds.claim_delivery(1, doc, owner="b", now=later, lease=LEASE)
    assert second is not None
    assert second.resumed
    assert second.missed == (older,)
    # the old owner lost it: its steps are refused
    assert not await store.guilds.record_progress(
        first, now=later, lease=LEASE, overview_message_id=5
    )
    assert await store.guilds.record_progress(second, now=later, lease=LEASE, overview_message_id=5)
    assert await store.guilds.finish_delivery(second, later)
    assert (
        await store.guilds.claim_delivery(1, doc, owner="c", now=later + LEASE * 10, lease=LEASE)
        is None
    )
    statuses = await store.guilds.delivery_statuses(1)
    assert statuses == {doc: "sent", older: "skipped"}


async def test_disable_notifies_once_and_reconfigure_resumes(store: Store) -> None:
    await store.guilds.configure_guild(1, channel_id=10, weekday=0, time="09:00", now=T0)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0)
    claim = await store.guilds.claim_delivery(1, doc, owner="a", now=T0, lease=LEASE)
    assert claim is not None
    assert await store.guilds.disable_guild(1, "forbidden:50013", T0)
    assert not await store.guilds.disable_guild(1, "forbidden:50013", T0)
    await store.guilds.fail_delivery(claim, T0, "forbidden:50013")
    assert await store.guilds.take_guild_notice(1) == "forbidden:50013"
    assert await store.guilds.take_guild_notice(1) is None
    assert await store.guilds.configured_guilds(enabled_only=True) == []
    status = await store.status()
    assert status.disabled_guilds == {1: "forbidden:50013"}
    assert status.failed_deliveries == {"forbidden:50013": 1}
    await store.guilds.configure_guild(1, channel_id=12, weekday=0, time="09:00", now=T0)
    stale = await store.guilds.stale_deliveries(T0)
    assert [d.document_id for d in stale] == [doc]


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


async def test_source_status(store: Store) -> None:
    await store.sources.record("forum", now=T0, ok=True, state={"etag": "x"})
    await store.sources.record("forum", now=T0 + LEASE, ok=False, error="timeout")
    (forum,) = await store.sources.statuses()
    assert forum.last_success_at == T0
    assert forum.last_fetch_at == T0 + LEASE
    assert forum.last_error == "timeout"
    assert forum.state == {"etag": "x"}
