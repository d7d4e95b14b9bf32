"""Source health (``bot.store.community.sources``), on a real SQLite file."""

from __future__ import annotations

import datetime as dt

from bot.store import Store

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, tzinfo=UTC)
LEASE = dt.timedelta(minutes=5)


async def test_source_status(store: Store) -> None:
    await store.sources.record("forum", now=T0, ok=True, state={"etag": "x"})
    await store.sources.record("forum", now=T0 + LEASE, ok=False, error="timeout")
    (forum,) = await store.sources.statuses()
    assert forum.last_success_at == T0
    assert forum.last_fetch_at == T0 + LEASE
    assert forum.last_error == "timeout"
    assert forum.state == {"etag": "x"}
