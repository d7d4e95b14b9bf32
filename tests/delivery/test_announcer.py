"""Announcements end to end over a real database and an in-memory courier.

Exactly-once is checked by counting markers in the fake channel: every overview, summary and
paper message carries one, so a duplicate is visible as a repeated marker.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from bot.delivery import Announcer, Forbidden, NotFound, Transient
from bot.render.limits import TOTAL, embed_length
from bot.store import Store
from tests.delivery.fakes import Crash, FakeClock, FakeCourier
from tests.delivery.helpers import ingest_at, issue_doc

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, tzinfo=UTC)  # a Wednesday
SLOT = dt.datetime(2024, 5, 13, tzinfo=UTC)  # Monday 09:00 Asia/Seoul
CHANNEL = 10
LEASE = dt.timedelta(minutes=5)


async def configure(store: Store, **extra: object) -> None:
    await store.guilds.configure_guild(
        1,
        channel_id=CHANNEL,
        weekday=0,
        time="09:00",
        now=T0,
        **extra,  # type: ignore[arg-type]
    )


def markers(courier: FakeCourier, channel: int) -> Counter[str]:
    return Counter(
        word
        for marker in courier.markers(channel)
        for word in marker.split()
        if word.startswith("paperbot:")
    )


async def test_posts_overview_and_papers_in_a_thread(store: Store) -> None:
    await configure(store, role_id=77)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6), count=4), T0 + dt.timedelta(days=7))
    courier = FakeCourier()
    announcer = Announcer(store, courier, clock=lambda: SLOT, owner="a")
    results = await announcer.run_due(SLOT - dt.timedelta(minutes=1))
    assert results == []  # before the slot: nothing
    (result,) = await announcer.run_due(SLOT)
    assert result.outcome == "sent"
    assert result.document_id == doc
    (overview,) = courier.channels[CHANNEL]
    assert overview.content == "<@&77>"
    assert overview.allowed_role_id == 77
    assert embed_length(overview.embeds[0]) <= TOTAL
    thread = courier.channels[overview.id]
    assert [m.allowed_role_id for m in thread] == [None] * 4
    assert markers(courier, overview.id) == Counter(f"paperbot:paper:{doc}:{i}" for i in range(4))
    assert await announcer.run_due(SLOT + dt.timedelta(days=1)) == []  # never twice
    record = await store.guilds.get_delivery(1, doc)
    assert record is not None
    assert record.status == "sent"
    assert record.papers_posted == 4


async def test_new_guild_is_not_flooded_but_preview_shows_latest(store: Store) -> None:
    for day in (15, 22, 29):
        await ingest_at(store, issue_doc(dt.date(2024, 4, day), stem=str(day)), T0)
    await configure(store)
    courier = FakeCourier()
    announcer = Announcer(store, courier, clock=lambda: SLOT)
    assert await announcer.run_due(SLOT) == []
    assert courier.channels == {}
    preview = await announcer.preview(1)
    assert preview is not None
    assert preview.issue.period_start == dt.date(2024, 4, 29)
    assert len(preview.papers) == 3
    assert courier.channels == {}
    result = await announcer.post_now(1, SLOT)
    assert result.outcome == "sent"
    assert (await announcer.post_now(1, SLOT)).outcome == "already"


async def test_downtime_catch_up_posts_latest_and_one_summary(store: Store) -> None:
    await configure(store)
    docs = [
        await ingest_at(
            store,
            issue_doc(dt.date(2024, 5, d), stem=str(d)),
            dt.datetime(2024, 5, d + 1, tzinfo=UTC),
        )
        for d in (6, 13, 20)
    ]
    courier = FakeCourier()
    announcer = Announcer(store, courier, clock=lambda: SLOT)
    start_up = dt.datetime(2024, 5, 29, tzinfo=UTC)  # bot was down for three slots
    (result,) = await announcer.run_due(start_up)
    assert result.document_id == docs[-1]
    assert result.missed == tuple(docs[:2])
    found = markers(courier, CHANNEL)
    assert found == Counter({f"paperbot:missed:{docs[-1]}": 1, f"paperbot:issue:{docs[-1]}": 1})
    summary = courier.channels[CHANNEL][0]
    assert "2" in summary.embeds[0]["description"]
    assert await announcer.run_due(start_up + dt.timedelta(days=7)) == []


async def test_crash_after_claim_before_send_is_resumed_once(store: Store) -> None:
    await configure(store)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0 + dt.timedelta(days=7))
    # an instance claimed and died before posting anything
    assert await store.guilds.claim_delivery(1, doc, owner="dead", now=SLOT, lease=LEASE)
    courier = FakeCourier()
    clock = FakeClock(SLOT)
    announcer = Announcer(store, courier, clock=clock, owner="b", lease=LEASE)
    assert await announcer.run_due(SLOT) == []  # a live claim: not ours to touch
    assert courier.channels == {}
    clock.advance(minutes=5)
    assert [r.outcome for r in await announcer.run_due(clock.now)] == ["sent"]
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})


@pytest.mark.parametrize("crash_on_post", [1, 3])  # 1: the overview itself; 3: the 2nd paper
async def test_crash_mid_post_resumes_without_duplicates(store: Store, crash_on_post: int) -> None:
    await configure(store)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6), count=5), T0 + dt.timedelta(days=7))
    posts = 0

    def crash_after(op: str, target: int) -> BaseException | None:
        nonlocal posts
        if op == "post":
            posts += 1
            if posts == crash_on_post:
                return Crash()  # the message went out; the process died before recording it
        return None

    courier = FakeCourier(fault_after=crash_after)
    clock = FakeClock(SLOT)
    first = Announcer(store, courier, clock=clock, owner="a", lease=LEASE)
    with pytest.raises(Crash):
        await first.run_due(SLOT)
    courier.fault_after = None
    clock.advance(minutes=6)
    second = Announcer(store, courier, clock=clock, owner="b", lease=LEASE)
    assert [r.outcome for r in await second.run_due(clock.now)] == ["sent"]
    overview = courier.channels[CHANNEL]
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})
    assert markers(courier, overview[0].id) == Counter(
        f"paperbot:paper:{doc}:{i}" for i in range(5)
    )
    record = await store.guilds.get_delivery(1, doc)
    assert record is not None
    assert record.status == "sent"
    assert record.attempts == 2


async def test_two_instances_racing_post_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    async with await Store.open(path) as one, await Store.open(path) as two:
        await configure(one)
        doc = await ingest_at(
            one, issue_doc(dt.date(2024, 5, 6), count=6), T0 + dt.timedelta(days=7)
        )
        courier = FakeCourier()
        announcers = [
            Announcer(store, courier, clock=lambda: SLOT, owner=name)
            for store, name in ((one, "a"), (two, "b"))
        ]
        results = await asyncio.gather(*(a.run_due(SLOT) for a in announcers))
        outcomes = sorted(r.outcome for batch in results for r in batch)
        # Exactly one posts. The other either met the claim in flight ("busy") or, when the
        # scheduler let the first finish before it looked, found nothing left to do.
        assert outcomes.count("sent") == 1
        assert set(outcomes) - {"sent"} <= {"busy", "nothing"}
        assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})
        thread = courier.channels[CHANNEL][0].id
        assert sum(markers(courier, thread).values()) == 6


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (Forbidden(50013), "forbidden:50013"),
        (Forbidden(50001), "forbidden:50001"),
        (NotFound(10003), "not_found:10003"),
    ],
)
async def test_permission_errors_disable_the_guild_once(
    store: Store, error: Exception, reason: str
) -> None:
    await configure(store)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0 + dt.timedelta(days=7))
    calls = 0

    def deny(op: str, target: int) -> BaseException | None:
        nonlocal calls
        calls += 1
        return error

    courier = FakeCourier(fault=deny)
    announcer = Announcer(store, courier, clock=lambda: SLOT)
    (result,) = await announcer.run_due(SLOT)
    assert (result.outcome, result.error) == ("failed", reason)
    assert await announcer.run_due(SLOT + dt.timedelta(days=7)) == []  # no retry storm
    assert calls == 1
    assert await store.guilds.take_guild_notice(1) == reason
    assert await store.guilds.take_guild_notice(1) is None
    # the admin fixes the channel: the failed delivery resumes
    courier.fault = None
    await store.guilds.configure_guild(1, channel_id=CHANNEL, weekday=0, time="09:00", now=SLOT)
    (again,) = await announcer.run_due(SLOT + dt.timedelta(days=7))
    assert again.outcome == "sent"
    assert again.document_id == doc


async def test_transient_errors_back_off_then_succeed(store: Store) -> None:
    await configure(store)
    doc = await ingest_at(store, issue_doc(dt.date(2024, 5, 6)), T0 + dt.timedelta(days=7))
    courier = FakeCourier(fault=lambda op, target: Transient(30.0))
    clock = FakeClock(SLOT)
    announcer = Announcer(store, courier, clock=clock)
    assert [r.outcome for r in await announcer.run_due(SLOT)] == ["retry"]
    clock.advance(seconds=30)
    assert await announcer.run_due(clock.now) == []  # backoff is 1 min for attempt 1
    courier.fault = None
    clock.advance(seconds=31)
    assert [r.outcome for r in await announcer.run_due(clock.now)] == ["sent"]
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})
