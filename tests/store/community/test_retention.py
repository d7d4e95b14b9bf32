"""``/alerts forget`` deletes every row keyed by the user, in every table that has one.

The user-keyed tables are derived from the schema (every table with a ``user_id`` column), so a
table added later fails here until forgetting covers it.
"""

from __future__ import annotations

import datetime as dt

from bot.store import Store
from bot.store.community.retention import USER_TABLES, UserData
from tests.delivery.helpers import ingest_at, issue_doc

T0 = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
USER, OTHER = 7, 8


async def _user_keyed_tables(store: Store) -> set[str]:
    tables = [
        str(row[0])
        for row in await store.db.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    keyed = set()
    for table in tables:
        columns = {str(row["name"]) for row in await store.db.fetch(f"PRAGMA table_info({table})")}
        if "user_id" in columns:
            keyed.add(table)
    return keyed


async def _rows_of(store: Store, user_id: int) -> dict[str, int]:
    counts = {}
    for table in await _user_keyed_tables(store):
        rows = await store.db.fetch(f"SELECT count(*) FROM {table} WHERE user_id = ?", (user_id,))
        counts[table] = int(rows[0][0])
    return counts


async def test_forgetting_covers_every_user_keyed_table_of_the_schema(store: Store) -> None:
    assert await _user_keyed_tables(store) == set(USER_TABLES)


async def test_forgetting_deletes_every_row_of_the_user_and_no_one_elses(store: Store) -> None:
    for user in (USER, OTHER):
        await store.alerts.follow(user, "tag", "rlhf", now=T0)
        await store.alerts.follow(user, "keyword", "환각", now=T0)
        await store.library.set_recommend(user, True)
    await ingest_at(store, issue_doc(dt.date(2024, 5, 13)), T0)  # queues their alerts
    paper = await store.random_paper()
    assert paper is not None
    for user in (USER, OTHER):
        await store.library.save(user, paper.id)
        await store.library.refresh_profile(user)
    before = await _rows_of(store, USER)
    assert all(count > 0 for count in before.values()), before  # every table holds a row

    data = await store.retention.user_data(USER)
    assert data == UserData(
        subscriptions=2, alerts=before["alert_outbox"], saved_papers=1, settings=True
    )
    assert await store.retention.forget_user(USER) == data
    assert set((await _rows_of(store, USER)).values()) == {0}
    assert await _rows_of(store, OTHER) == before  # the other user keeps everything
    assert await store.retention.user_data(USER) == UserData()
