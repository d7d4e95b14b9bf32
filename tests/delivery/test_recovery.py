"""Announcements finish by themselves: short leases renewed by a live worker, a recovery run
that takes over stalled and released claims, and "busy" only while a worker really posts.

A real SQLite store under an in-memory courier; see tests/e2e/test_recovery.py for the same
promises with the real bot process killed and restarted against the emulator.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bot.clock import utcnow
from bot.delivery import Announcer, Transient
from bot.delivery.backoff import Backoff
from bot.store import Store
from bot.store.community.guilds import RELEASED, delivery_state
from tests.delivery.fakes import FakeClock, FakeCourier
from tests.delivery.helpers import ingest_at, issue_doc
from tests.delivery.test_announcer import CHANNEL, SLOT, T0, configure, markers

LEASE = dt.timedelta(seconds=20)
FAST = Backoff(dt.timedelta(seconds=2), dt.timedelta(seconds=15))


class GatedCourier(FakeCourier):
    """Every post waits for ``gate``: a worker stuck in a slow request."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.entered = asyncio.Event()

    async def post_message(
        self,
        channel_id: int,
        content: str,
        embeds: Sequence[dict[str, Any]],
        allowed_role_id: int | None,
        **extra: Any,
    ) -> int:
        self.entered.set()
        await self.gate.wait()
        return await super().post_message(channel_id, content, embeds, allowed_role_id, **extra)


async def due_issue(store: Store, count: int = 3) -> int:
    await configure(store)
    return await ingest_at(
        store, issue_doc(dt.date(2024, 5, 6), count=count), T0 + dt.timedelta(days=7)
    )


async def test_a_live_worker_keeps_its_short_lease_through_a_slow_request(store: Store) -> None:
    await configure(store)
    now = utcnow()
    doc = await ingest_at(store, issue_doc(now.date()), now - dt.timedelta(days=8))
    courier = GatedCourier()
    lease = dt.timedelta(seconds=0.4)
    worker = Announcer(
        store, courier, owner="a", lease=lease, renew_every=dt.timedelta(seconds=0.05)
    )
    other = Announcer(store, FakeCourier(), owner="b", lease=lease)
    posting = asyncio.create_task(worker.post_now(1))
    await asyncio.wait_for(courier.entered.wait(), 5)
    await asyncio.sleep(1.0)  # more than two leases with no step recorded
    assert await other.recover() == []
    assert (await other.post_now(1)).outcome == "busy"  # and it really is
    courier.gate.set()
    assert (await posting).outcome == "sent"
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})


async def test_recovery_takes_over_a_killed_workers_claim_when_its_lease_runs_out(
    store: Store,
) -> None:
    doc = await due_issue(store)
    clock = FakeClock(SLOT)
    dead = await store.guilds.claim_delivery(1, doc, owner="dead", now=SLOT, lease=LEASE)
    assert dead is not None
    courier = FakeCourier()
    announcer = Announcer(store, courier, clock=clock, owner="b", lease=LEASE)
    assert await announcer.recover() == []  # the dead owner's lease still runs
    clock.advance(seconds=19)
    assert await announcer.recover() == []
    clock.advance(seconds=1)
    assert [r.outcome for r in await announcer.recover()] == ["sent"]
    assert await announcer.recover() == []
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})


async def test_post_now_is_busy_only_while_a_worker_renews_the_claim(store: Store) -> None:
    doc = await due_issue(store)
    clock = FakeClock(SLOT)
    assert await store.guilds.claim_delivery(1, doc, owner="dead", now=SLOT, lease=LEASE)
    announcer = Announcer(
        store,
        FakeCourier(),
        clock=clock,
        owner="b",
        lease=LEASE,
        renew_every=dt.timedelta(seconds=5),
        recovery_every=dt.timedelta(seconds=5),
    )
    assert (await announcer.post_now(1)).outcome == "busy"  # renewed just now: it may be live
    clock.advance(seconds=12)  # two renewals missed: the worker is gone
    stalled = await announcer.post_now(1)
    assert stalled.outcome == "stalled"
    assert stalled.retry_at == SLOT + LEASE + dt.timedelta(seconds=5)
    record = await store.guilds.get_delivery(1, doc)
    assert record is not None
    assert delivery_state(record, clock(), renewed_within=announcer.renewed_within) == "stalled"
    clock.advance(seconds=8)
    assert (await announcer.post_now(1)).outcome == "sent"


async def test_transient_failure_is_released_then_retried_by_recovery(store: Store) -> None:
    doc = await due_issue(store, count=2)
    clock = FakeClock(SLOT)
    storm = True

    def thread_storm(op: str, target: int) -> BaseException | None:
        return Transient(None, "503 Service Unavailable") if storm and op == "thread" else None

    courier = FakeCourier(fault=thread_storm)
    announcer = Announcer(store, courier, clock=clock, owner="a", lease=LEASE, backoff=FAST)
    (first,) = await announcer.run_due(SLOT)
    assert first.outcome == "retry"
    assert first.retry_at == SLOT + dt.timedelta(seconds=2)
    record = await store.guilds.get_delivery(1, doc)
    assert record is not None
    assert (record.claim_owner, record.last_error) == (
        RELEASED,
        "transient error 503 Service Unavailable",
    )
    assert delivery_state(record, clock(), renewed_within=announcer.renewed_within) == "waiting"
    assert await announcer.recover() == []  # not before its retry time
    retry_times = []
    for _ in range(6):  # the storm goes on: 2, 4, 8, then 15 s (the cap)
        clock.now = record.lease_until or clock.now
        (again,) = await announcer.recover()
        assert again.outcome == "retry"
        assert again.retry_at is not None
        retry_times.append((again.retry_at - clock.now).total_seconds())
        record = await store.guilds.get_delivery(1, doc)
        assert record is not None
    assert retry_times == [4, 8, 15, 15, 15, 15]
    storm = False
    clock.now = record.lease_until or clock.now
    assert [r.outcome for r in await announcer.recover()] == ["sent"]
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})
    thread = courier.channels[CHANNEL][0].id
    assert sum(markers(courier, thread).values()) == 2
    done = await store.guilds.get_delivery(1, doc)
    assert done is not None
    assert (done.status, done.last_error) == ("sent", None)


async def test_post_now_retries_a_waiting_delivery_at_once(store: Store) -> None:
    doc = await due_issue(store)
    clock = FakeClock(SLOT)
    courier = FakeCourier(fault=lambda op, target: Transient(None, "500"))
    announcer = Announcer(store, courier, clock=clock, owner="a", lease=LEASE, backoff=FAST)
    retry = await announcer.post_now(1)
    assert retry.outcome == "retry"
    courier.fault = None
    assert (await announcer.post_now(1)).outcome == "sent"  # the admin does not wait 2 s
    assert markers(courier, CHANNEL) == Counter({f"paperbot:issue:{doc}": 1})


async def test_an_unexpected_error_is_retried_slowly_and_kept_for_status(store: Store) -> None:
    doc = await due_issue(store)
    clock = FakeClock(SLOT)
    courier = FakeCourier(fault=lambda op, target: ValueError("400 Invalid Form Body"))
    slow = Backoff(dt.timedelta(minutes=1), dt.timedelta(hours=1))
    announcer = Announcer(
        store, courier, clock=clock, lease=LEASE, backoff=FAST, error_backoff=slow
    )
    (result,) = await announcer.run_due(SLOT)
    assert (result.outcome, result.retry_at) == ("retry", SLOT + dt.timedelta(minutes=1))
    status = await store.status(1)
    (pending,) = status.pending_deliveries
    assert pending.document_id == doc
    assert pending.last_error == "ValueError: 400 Invalid Form Body"
    assert status.failed_deliveries == {}  # not given up: retried, not failed


async def test_a_worker_that_lost_its_lease_stops_before_posting_again(store: Store) -> None:
    doc = await due_issue(store, count=3)
    courier = GatedCourier()
    worker = Announcer(
        store, courier, owner="a", lease=LEASE, renew_every=dt.timedelta(seconds=0.05)
    )
    posting = asyncio.create_task(worker.post_now(1))
    await asyncio.wait_for(courier.entered.wait(), 5)
    # Meanwhile another instance decided the claim was dead and took it over.
    later = utcnow() + LEASE * 2
    assert await store.guilds.claim_delivery(1, doc, owner="b", now=later, lease=LEASE)
    await asyncio.sleep(0.2)  # the renewal notices
    courier.gate.set()
    assert (await posting).outcome == "lost"
    assert len(courier.channels[CHANNEL]) == 1  # the post in flight, and nothing after it
