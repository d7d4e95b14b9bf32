"""Weekly tag counts on a real SQLite store: ISO weeks, the window's edges, undated digests."""

from __future__ import annotations

import datetime as dt

from bot.store import Store
from bot.store.papers.trends import WeekTagCount, monday_of
from tests.store.builders import daily, note, paper, weekly

MAY_13 = dt.date(2024, 5, 13)  # a Monday


async def test_mentions_count_in_the_iso_week_of_their_digest(store: Store) -> None:
    await store.ingest(
        [
            weekly(MAY_13, paper("A", tags=["llm", "rl"]), paper("B", tags=["llm"])),
            daily(dt.date(2024, 5, 19), paper("C", tags=["llm"])),  # Sunday: same ISO week
            daily(dt.date(2024, 5, 20), paper("A", tags=["rl"])),  # Monday: the next week
            daily(dt.date(2024, 5, 12), paper("D", tags=["한국어-태그"])),  # Sunday before
            note(paper("E", tags=["llm"])),  # no date: in no week
        ]
    )
    counts = await store.trends.weekly_tag_counts(dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert counts == [
        WeekTagCount(dt.date(2024, 5, 6), "한국어-태그", 1),
        WeekTagCount(MAY_13, "llm", 3),
        WeekTagCount(MAY_13, "rl", 1),
        WeekTagCount(dt.date(2024, 5, 20), "rl", 1),
    ]


async def test_the_window_is_whole_weeks_from_first_to_last(store: Store) -> None:
    await store.ingest(
        [
            daily(dt.date(2024, 5, 5), paper("Before", tags=["x"])),  # Sunday of the week before
            daily(dt.date(2024, 5, 6), paper("First", tags=["x"])),
            daily(dt.date(2024, 5, 26), paper("Last", tags=["x"])),  # Sunday of the last week
            daily(dt.date(2024, 5, 27), paper("After", tags=["x"])),
        ]
    )
    # Any day of a week stands for the whole week.
    counts = await store.trends.weekly_tag_counts(dt.date(2024, 5, 9), dt.date(2024, 5, 21))
    assert [(c.week, c.mentions) for c in counts] == [
        (dt.date(2024, 5, 6), 1),
        (dt.date(2024, 5, 20), 1),
    ]


async def test_newest_digest_date_ignores_digests_dated_later(store: Store) -> None:
    assert await store.trends.newest_digest_date(MAY_13) is None
    await store.ingest(
        [daily(dt.date(2024, 5, 9), paper("A")), daily(dt.date(2030, 1, 1), paper("B"))]
    )
    assert await store.trends.newest_digest_date(MAY_13) == dt.date(2024, 5, 9)


async def test_version_changes_with_every_digest_change(store: Store) -> None:
    empty = await store.trends.version()
    await store.ingest([daily(dt.date(2024, 5, 9), paper("A", tags=["llm"]))])
    one = await store.trends.version()
    await store.ingest([daily(dt.date(2024, 5, 9), paper("A", tags=["llm"]))])  # unchanged
    assert await store.trends.version() == one
    await store.ingest([daily(dt.date(2024, 5, 9), paper("A", tags=["rl"]))])  # edited
    assert len({empty, one, await store.trends.version()}) == 3


def test_monday_of() -> None:
    assert monday_of(dt.date(2024, 5, 19)) == MAY_13
    assert monday_of(MAY_13) == MAY_13
    assert monday_of(dt.date(2021, 1, 1)) == dt.date(2020, 12, 28)  # ISO week 53 of 2020
