"""Weekly tag counts for ``/trends`` (a server's "chart in announcements" choice is one of
its settings: ``GuildStore.announce_chart``).

A mention counts in the ISO week (Monday to Sunday) of its digest's ``sort_date`` (a weekly
issue's period start, else the digest's date), once per tag it carries: a paper in a weekly
issue and in a daily note of the same week counts twice, because it was discussed twice.
Digests without a date never count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.clock import Clock, utcnow
from bot.store._db import Database

__all__ = ["RisingTag", "TrendSeries", "TrendStore", "WeekTagCount", "monday_of"]

# The Monday of a YYYY-MM-DD date's ISO week: strftime('%w') is 0 for Sunday.
_WEEK = (
    "date(d.sort_date, '-' || ((CAST(strftime('%w', d.sort_date) AS INTEGER) + 6) % 7) || ' days')"
)

_COUNTS = f"""
SELECT {_WEEK} AS week, t.value AS tag, count(*) AS mentions
  FROM documents AS d
  JOIN mentions AS m ON m.document_id = d.id
  JOIN json_each(m.tags) AS t
 WHERE d.sort_date >= ? AND d.sort_date < ?
 GROUP BY week, tag
 ORDER BY week, tag
"""


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeekTagCount:
    week: dt.date  # the Monday of the ISO week
    tag: str
    mentions: int


@dataclass(frozen=True, slots=True)
class RisingTag:
    """A tag whose share of all tag mentions grew: in the recent weeks versus the weeks
    before them (shares are fractions, 0.25 = 25 %)."""

    tag: str
    recent_mentions: int
    recent_share: float
    before_share: float

    @property
    def rise(self) -> float:
        return self.recent_share - self.before_share


@dataclass(frozen=True, slots=True)
class TrendSeries:
    """What a trend chart shows, as data: one row of weekly counts per tag shown.

    ``weeks`` are the Mondays of consecutive ISO weeks, oldest first; ``counts[i][j]`` is the
    number of mentions of ``tags[i]`` in week ``weeks[j]``; ``totals[j]`` counts the mentions
    of every tag in that week (shown or not), the denominator of shares. The last
    ``recent_weeks`` weeks are compared with the ones before them for ``rising``.
    """

    weeks: tuple[dt.date, ...]
    tags: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    totals: tuple[int, ...]
    recent_weeks: int
    rising: tuple[RisingTag, ...] = ()

    def counts_of(self, tag: str) -> tuple[int, ...]:
        return self.counts[self.tags.index(tag)]

    @property
    def before_weeks(self) -> int:
        return len(self.weeks) - self.recent_weeks

    @property
    def has_baseline(self) -> bool:
        """Whether the weeks before the recent ones hold any tag mention to compare with."""
        return sum(self.totals[: self.before_weeks]) > 0


class TrendStore:
    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def weekly_tag_counts(self, first: dt.date, last: dt.date) -> list[WeekTagCount]:
        """Mentions per (week, tag) for the weeks from ``first``'s through ``last``'s, by week
        then tag; weeks and tags without mentions are absent."""
        start = monday_of(first)
        stop = monday_of(last) + dt.timedelta(days=7)
        rows = await self._db.fetch(_COUNTS, (start.isoformat(), stop.isoformat()))
        return [
            WeekTagCount(dt.date.fromisoformat(row["week"]), str(row["tag"]), int(row["mentions"]))
            for row in rows
        ]

    async def newest_digest_date(self, on_or_before: dt.date) -> dt.date | None:
        """The newest digest date (``sort_date``) not after ``on_or_before``."""
        rows = await self._db.fetch(
            "SELECT max(sort_date) AS newest FROM documents WHERE sort_date <= ?",
            (on_or_before.isoformat(),),
        )
        newest = rows[0]["newest"] if rows else None
        return dt.date.fromisoformat(newest) if newest else None

    async def version(self) -> str:
        """Changes whenever a digest is added, edited or removed: part of the chart cache key."""
        rows = await self._db.fetch(
            "SELECT count(*), coalesce(max(id), 0), coalesce(max(updated_at), '') FROM documents"
        )
        count, newest_id, updated = rows[0]
        return f"{count}:{newest_id}:{updated}"
