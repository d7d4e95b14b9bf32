"""The alert outbox worker: exactly one DM per reachable user, backoff, unreachable users."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from bot.clock import parse_iso
from bot.delivery import AlertWorker, Backoff, ClosedDMs, RateLimiter, Transient
from bot.render.limits import TOTAL, embed_length
from bot.store import Store
from tests.delivery.fakes import Crash, FakeClock, FakeCourier
from tests.delivery.helpers import issue_doc

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, tzinfo=UTC)


class FakeTime:
    """Monotonic time for the rate limiter; sleeping advances it instantly."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


def limiter(rate: float = 40.0) -> tuple[RateLimiter, FakeTime]:
    time = FakeTime()
    return RateLimiter(rate, clock=time, sleep=time.sleep), time


async def test_rate_limiter_spaces_requests() -> None:
    bucket, time = limiter(40.0)
    for _ in range(140):
        await bucket.acquire()
    assert time.now == pytest.approx(100 / 40)  # 40 burst, then 40 per second


async def test_thousand_subscribers_with_faults(store: Store) -> None:
    clock = FakeClock(T0)
    store = store.with_clock(clock)
    users = range(1, 1001)
    for user in users:
        await store.alerts.follow(user, "tag", "rlhf", locale="en" if user % 2 else "ko", now=T0)
    report = await store.ingest([issue_doc(dt.date(2024, 5, 6), count=4)])
    assert report.new == 1
    closed = {u for u in users if u % 10 == 0}
    flaky = {u for u in users if u % 7 == 0} - closed  # fail twice, then work
    broken = {u for u in users if u % 13 == 0} - closed - flaky  # 5xx every time
    failures: Counter[int] = Counter()

    def faults(op: str, user: int) -> BaseException | None:
        if user in closed:
            return ClosedDMs()
        if user in broken:
            return Transient()
        if user in flaky and failures[user] < 2:
            failures[user] += 1
            return Transient(retry_after=1.0)
        return None

    courier = FakeCourier(fault=faults, clock=clock)
    bucket, time = limiter(40.0)
    backoff = Backoff(dt.timedelta(seconds=10), dt.timedelta(minutes=10))
    worker = AlertWorker(
        store, courier, clock=clock, limiter=bucket, backoff=backoff, max_attempts=4
    )
    for _ in range(20):
        await worker.drain()
        clock.advance(minutes=10)
    reachable = set(users) - closed - broken
    assert set(courier.dms) == reachable
    assert all(len(courier.dms[u]) == 1 for u in reachable)
    for user in closed:
        record = await store.alerts.get_user(user)
        assert record is not None
        assert record.unreachable
        assert record.notice_pending
    rows = {row["user_id"]: row for row in await store.alerts.alert_rows()}
    assert {u for u, r in rows.items() if r["status"] == "sent"} == reachable
    assert {u for u, r in rows.items() if r["status"] == "failed"} == closed | broken
    assert all(rows[u]["last_error"] == "closed_dms" for u in closed)
    assert all(rows[u]["attempts"] == 4 and "gave up" in rows[u]["last_error"] for u in broken)
    # retries obey the backoff: 10 s, 20 s, 40 s between attempts (the clock moves 10 min per
    # drain, so the gaps are at least those)
    for user in sorted(broken)[:5]:
        times = courier.dm_attempts[user]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) == 4
        assert all(gap >= backoff.delay(n + 1) for n, gap in enumerate(gaps))
    # ~2,000+ sends at 40/s: the limiter made the worker wait
    assert time.slept >= (len(reachable) + 2 * len(flaky) - 40) / 40 - 1
    status = await store.status()
    assert status.pending_alerts == 0
    assert status.unreachable_users == len(closed)
    # DMs fit and are in the user's language
    embed = courier.dms[1][0].embeds[0]
    assert embed["title"].startswith("4 papers for #rlhf")
    assert courier.dms[2][0].embeds[0]["title"].startswith("#rlhf 관련 논문 4편")
    assert embed_length(embed) <= TOTAL


async def test_backoff_schedule_is_recorded(store: Store) -> None:
    store = store.with_clock(lambda: T0)
    await store.alerts.follow(1, "tag", "rlhf", now=T0)
    await store.ingest([issue_doc(dt.date(2024, 5, 6))])
    courier = FakeCourier(fault=lambda op, user: Transient(retry_after=25.0))
    worker = AlertWorker(store, courier, limiter=limiter()[0], max_attempts=3)
    report = await worker.drain(T0)
    assert (report.claimed, report.retried) == (1, 1)
    (row,) = await store.alerts.alert_rows()
    assert parse_iso(row["next_attempt_at"]) == T0 + dt.timedelta(seconds=25)  # retry_after wins
    assert (await worker.drain(T0 + dt.timedelta(seconds=24))).claimed == 0
    await worker.drain(T0 + dt.timedelta(seconds=25))
    (row,) = await store.alerts.alert_rows()
    assert parse_iso(row["next_attempt_at"]) == T0 + dt.timedelta(seconds=25 + 25)
    report = await worker.drain(T0 + dt.timedelta(minutes=5))
    assert report.failed == 1
    (row,) = await store.alerts.alert_rows()
    assert row["status"] == "failed"
    assert row["attempts"] == 3


async def test_crash_after_send_does_not_send_twice(store: Store) -> None:
    store = store.with_clock(lambda: T0)
    for user in (1, 2):
        await store.alerts.follow(user, "keyword", "환각", now=T0)
    document = issue_doc(dt.date(2024, 5, 6))
    document.papers[0].summary_ko = "환각을 줄이는 디코딩"
    await store.ingest([document])
    courier = FakeCourier(fault_after=lambda op, user: Crash() if user == 1 else None)
    first = AlertWorker(store, courier, limiter=limiter()[0], concurrency=1, owner="a")
    with pytest.raises(Crash):
        await first.drain(T0)
    courier.fault_after = None
    second = AlertWorker(store, courier, limiter=limiter()[0], owner="b")
    assert (await second.drain(T0 + dt.timedelta(minutes=1))).claimed == 0  # lease still live
    report = await second.drain(T0 + dt.timedelta(minutes=3))
    assert report.recovered == 1
    assert report.sent == 0
    assert {user: len(dms) for user, dms in courier.dms.items()} == {1: 1, 2: 1}
    assert courier.dms[1][0].embeds[0]["fields"][0]["name"] == "환각"


async def test_paused_users_get_nothing_and_resume(store: Store) -> None:
    store = store.with_clock(lambda: T0)
    await store.alerts.follow(1, "tag", "rlhf", now=T0)
    await store.alerts.follow(2, "tag", "rlhf", now=T0)
    await store.alerts.set_paused(2, True, now=T0)
    await store.ingest([issue_doc(dt.date(2024, 5, 6))])
    await store.alerts.set_paused(1, True, now=T0)  # paused after queueing: cancelled
    courier = FakeCourier()
    worker = AlertWorker(store, courier, limiter=limiter()[0])
    assert (await worker.drain(T0)).claimed == 0
    assert courier.dms == {}
    await store.alerts.set_paused(1, False, now=T0)
    await store.alerts.set_paused(2, False, now=T0)
    await store.ingest([issue_doc(dt.date(2024, 5, 13), stem="n")])
    assert (await worker.drain(T0)).sent == 2
    assert set(courier.dms) == {1, 2}
