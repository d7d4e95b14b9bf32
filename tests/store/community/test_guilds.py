"""Guild settings and announcement delivery claims (``bot.store.community.guilds``).

Real SQLite in a temporary directory throughout.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.store import Store
from bot.store.community.slots import ScheduleError
from tests.delivery.helpers import ingest_at, issue_doc

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
