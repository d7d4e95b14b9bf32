"""The retention purge on a real store: old finished records go, nothing comes back as due,
and nothing pending or in progress is touched; forgetting a guild or a user."""

from __future__ import annotations

import datetime as dt

from bot.delivery import Announcer, RateLimiter
from bot.delivery.alert_dms import AlertWorker
from bot.services.data_lifecycle import DataLifecycle
from bot.store import Store
from tests.delivery.fakes import FakeClock, FakeCourier
from tests.delivery.helpers import ingest_at, issue_doc

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, tzinfo=UTC)
SLOT = dt.datetime(2024, 5, 13, tzinfo=UTC)  # Monday 09:00 Asia/Seoul
WEEK = dt.timedelta(days=7)
CHANNEL = 10


async def rows(store: Store, table: str) -> list[dict[str, object]]:
    return [dict(row) for row in await store.db.fetch(f"SELECT * FROM {table} ORDER BY id")]


async def test_purge_keeps_recent_and_pending_and_never_reannounces(store: Store) -> None:
    clock = FakeClock(T0)
    store = store.with_clock(clock)
    await store.guilds.configure_guild(1, channel_id=CHANNEL, weekday=0, time="09:00", now=T0)
    await store.alerts.follow(7, "tag", "rlhf", now=T0)
    courier = FakeCourier()
    announcer = Announcer(store, courier, clock=clock, owner="a")
    alerts = AlertWorker(store, courier, limiter=RateLimiter(1000, burst=1000), owner="a")

    clock.now = T0 + WEEK
    old = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0 + WEEK)
    clock.now = SLOT
    assert [r.outcome for r in await announcer.run_due(SLOT)] == ["sent"]
    await alerts.drain(SLOT)
    clock.now = SLOT + WEEK / 2
    newer = await ingest_at(store, issue_doc(dt.date(2024, 5, 13), stem="b"), SLOT + WEEK / 2)
    clock.now = SLOT + WEEK
    assert [r.outcome for r in await announcer.run_due(SLOT + WEEK)] == ["sent"]
    await store.alerts.set_paused(7, True)  # the newer issue's alert stays queued... cancelled
    await store.alerts.follow(8, "tag", "rlhf", now=T0)
    pending = await ingest_at(store, issue_doc(dt.date(2024, 5, 20), stem="c"), SLOT + WEEK)
    claim = await store.guilds.claim_delivery(
        1, pending, owner="crashed", now=SLOT, lease=dt.timedelta(minutes=5), channel_id=CHANNEL
    )
    assert claim is not None  # an announcement in progress, started long ago
    posted = len(courier.channels[CHANNEL])

    lifecycle = DataLifecycle(store, retention=dt.timedelta(days=3))
    report = await lifecycle.purge(SLOT + dt.timedelta(days=4))  # cutoff: a day after SLOT

    kept = await rows(store, "deliveries")
    assert [(r["document_id"], r["status"]) for r in kept] == [
        (newer, "sent"),
        (pending, "claimed"),
    ]
    assert report.deliveries == 1
    outbox = await rows(store, "alert_outbox")
    assert all(r["document_id"] != old for r in outbox)  # the old, sent alert is gone
    assert any(r["status"] == "pending" for r in outbox)  # queued ones stay
    assert report.alerts >= 1

    # The purged issue is history: never due again, here or after a restart's catch-up.
    guild = await store.guilds.get_guild(1)
    assert guild is not None
    assert guild.baseline_document_id >= old
    due = await store.guilds.due_for_guild(1, SLOT + 3 * WEEK)
    assert due.post is None or due.post.document_id != old
    assert all(issue.document_id != old for issue in due.missed)
    later = Announcer(store, courier, clock=lambda: SLOT + 3 * WEEK, owner="b")
    results = await later.run_due(SLOT + 3 * WEEK)
    assert all(r.document_id != old for r in results)
    reposted = [m for m in courier.channels[CHANNEL][posted:] if m.markers]
    assert all(f"paperbot:issue:{old}" not in m.markers for m in reposted)


async def test_forgetting_a_guild_and_a_user(store: Store) -> None:
    for guild in (1, 2):
        await store.guilds.configure_guild(
            guild, channel_id=CHANNEL, weekday=0, time="09:00", now=T0
        )
        await store.guilds.set_search_public(guild, False, now=T0)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0 + WEEK)
    for guild in (1, 2):
        claim = await store.guilds.claim_delivery(
            guild, doc, owner="a", now=SLOT, lease=dt.timedelta(minutes=5)
        )
        assert claim is not None
    forgotten: list[int] = []

    async def dropped(guild_id: int) -> None:
        forgotten.append(guild_id)

    lifecycle = DataLifecycle(store, retention=dt.timedelta(days=90), on_guild_forgotten=dropped)
    assert await lifecycle.forget_guild(1)
    assert forgotten == [1]
    assert await store.guilds.get_guild(1) is None
    assert await store.guilds.get_delivery(1, doc) is None
    assert await store.guilds.search_public(1)  # back to the default: no row
    assert await store.guilds.get_delivery(2, doc) is not None  # other servers untouched
    assert not await store.guilds.search_public(2)

    await store.alerts.follow(7, "tag", "rlhf", now=T0)
    await store.alerts.follow(7, "keyword", "환각", now=T0)
    await store.alerts.follow(8, "tag", "rlhf", now=T0)
    await ingest_at(store, issue_doc(dt.date(2024, 5, 13), stem="b"), T0 + WEEK)
    assert "2" in await lifecycle.forget_user_prompt(7, "en")
    await lifecycle.forget_user(7, "en")
    assert await store.alerts.get_user(7) is None
    assert await store.alerts.subscriptions(7) == []
    assert await store.alerts.alert_rows(user_id=7) == []
    assert len(await store.alerts.subscriptions(8)) == 1
    assert await store.alerts.alert_rows(user_id=8)
