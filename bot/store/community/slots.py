"""Weekly announcement slots in a server's own time zone, and the rule for what is due.

Everything here is pure (no clock, no database): callers pass ``now`` (an aware datetime).

DST rule. A slot is a wall-clock time (weekday + HH:MM) in an IANA zone. Two days a year that
wall-clock time is odd:

- it does not exist (spring forward: 02:30 in Europe/Berlin on the last Sunday of March):
  the slot moves forward by the length of the gap, to 03:30 local. This is what PEP 495's
  ``fold=0`` resolution gives, it keeps the slot on the same day, and it never fires early;
- it exists twice (fall back: 02:30 on the last Sunday of October): the slot is the first
  occurrence (``fold=0``), so it fires once, never twice.

Why not let APScheduler's ``CronTrigger`` be the truth: the database decides what is due
(``what_is_due``) from ``last_slot_at_or_before(now)``, and the scheduler only has to wake the
announcer. ``bot.runtime.jobs.SlotTrigger`` wakes it at exactly the instants this module
computes, so the two can never disagree on a DST day. APScheduler stays out of this module (and
so out of the store, which imports it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "BACK_CATALOGUE_DAYS",
    "DEFAULT_TIMEZONE",
    "Due",
    "DueSettings",
    "IssueCandidate",
    "Schedule",
    "ScheduleError",
    "parse_time",
    "valid_zone",
    "what_is_due",
    "zone_names",
]

DEFAULT_TIMEZONE = "Asia/Seoul"
BACK_CATALOGUE_DAYS = 14
"""Issues dated more than this many days before a guild was configured are never announced
on schedule, even if ingested later (a bulk import of old digests must not flood anyone)."""

_WEEK = dt.timedelta(days=7)


class ScheduleError(ValueError):
    """An invalid weekday, time or time zone."""


def parse_time(text: str) -> dt.time:
    """``'HH:MM'`` (24 h) to a time; raises ``ScheduleError`` otherwise."""
    try:
        hours, minutes = text.strip().split(":")
        if len(hours) > 2 or len(minutes) != 2:
            raise ValueError(text)
        return dt.time(int(hours), int(minutes))
    except ValueError as exc:
        raise ScheduleError(f"not a time of day (HH:MM): {text!r}") from exc


# Names in the zone database that are not places: the host's own zone, a template for POSIX
# TZ strings, and tzdata's "no zone configured" placeholder. A server's slot must never
# depend on the host, so none of them is a server's time zone.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@cache
def zone_names() -> frozenset[str]:
    """The IANA zone names a server may choose: those of the bundled ``tzdata`` package (a
    dependency, so the list does not depend on the host having system zone files), minus
    the names that are not places."""
    listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip()) - _NOT_PLACES


def valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone a server may choose and this runtime can resolve."""
    if name not in zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _zone(name: str) -> ZoneInfo:
    if not valid_zone(name):
        raise ScheduleError(f"unknown time zone: {name!r}")
    return ZoneInfo(name)


def _require_aware(now: dt.datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Schedule:
    """Once a week at ``time`` on ``weekday`` (0 = Monday) in ``timezone`` (IANA name)."""

    weekday: int
    time: dt.time
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ScheduleError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        _zone(self.timezone)

    @classmethod
    def parse(cls, weekday: int, time: str, timezone: str = DEFAULT_TIMEZONE) -> Schedule:
        return cls(weekday, parse_time(time), timezone)

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    @property
    def time_text(self) -> str:
        return f"{self.time.hour:02d}:{self.time.minute:02d}"

    def slot_on(self, day: dt.date) -> dt.datetime:
        """The slot instant (UTC) for local date ``day`` (must be the schedule's weekday).

        Non-existent local times move forward by the gap; ambiguous ones take the first
        occurrence (see the module docstring).
        """
        local = dt.datetime.combine(day, self.time, tzinfo=self.zone)  # fold=0
        # Round-trip through UTC normalises a time inside a gap (02:30 -> 03:30 local).
        return local.astimezone(dt.UTC)

    def _anchor(self, now: dt.datetime) -> dt.date:
        """The local date of this week's slot day at or before ``now``'s local date."""
        _require_aware(now)
        local = now.astimezone(self.zone).date()
        return local - dt.timedelta(days=(local.weekday() - self.weekday) % 7)

    def last_slot_at_or_before(self, now: dt.datetime) -> dt.datetime:
        """The latest slot ``<= now`` (UTC-aware)."""
        day = self._anchor(now)
        slot = self.slot_on(day)
        while slot > now:
            day -= _WEEK
            slot = self.slot_on(day)
        return slot

    def next_slot_after(self, now: dt.datetime) -> dt.datetime:
        """The first slot ``> now`` (UTC-aware)."""
        day = self._anchor(now)
        slot = self.slot_on(day)
        while slot <= now:
            day += _WEEK
            slot = self.slot_on(day)
        return slot


# --------------------------------------------------------------------------------------------
# What is due


@dataclass(frozen=True, slots=True)
class IssueCandidate:
    """A stored digest as the due rule sees it."""

    document_id: int
    kind: str
    ingested_at: dt.datetime  # when the store first saw it (documents.created_at)
    sort_date: dt.date | None = None  # period start, else date

    @property
    def order(self) -> tuple[dt.date, int]:
        """Newest issue = latest period/date, then latest ingested."""
        return (self.sort_date or self.ingested_at.date(), self.document_id)


class DueSettings(Protocol):
    """The parts of a guild's settings the due rule reads."""

    @property
    def schedule(self) -> Schedule: ...
    @property
    def kinds(self) -> Collection[str]: ...
    @property
    def baseline_document_id(self) -> int: ...
    @property
    def configured_at(self) -> dt.datetime: ...
    @property
    def disabled_reason(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Due:
    """``post``: the issue to announce now; ``missed``: older ones for one summary message."""

    post: IssueCandidate | None = None
    missed: tuple[IssueCandidate, ...] = ()


def eligible(settings: DueSettings, issue: IssueCandidate) -> bool:
    """Whether ``issue`` may ever be announced on schedule in this guild.

    Issues already stored when the guild was configured (``baseline_document_id``) and old
    issues imported later (dated over ``BACK_CATALOGUE_DAYS`` before configuration) are not.
    """
    if issue.kind not in settings.kinds or issue.document_id <= settings.baseline_document_id:
        return False
    oldest = settings.configured_at.date() - dt.timedelta(days=BACK_CATALOGUE_DAYS)
    return issue.sort_date is None or issue.sort_date >= oldest


def what_is_due(
    settings: DueSettings,
    issues: Sequence[IssueCandidate],
    deliveries: Mapping[int, str],
    now: dt.datetime,
) -> Due:
    """The database-decides rule: what a guild should see at ``now``.

    An issue is due once a slot has passed since it was ingested (``ingested_at <= last slot
    <= now``), so it appears at the guild's local time, and after downtime the first run finds
    it from the database alone. ``deliveries`` maps document id -> delivery status; any status
    (sent, skipped, claimed, failed) means the issue is taken care of: claimed ones are resumed
    by the announcer, failed ones wait for the settings to change.

    Of the due issues, the newest is posted and all older ones are ``missed``: one summary
    message, never a flood. A disabled guild has nothing due.
    """
    if settings.disabled_reason is not None:
        return Due()
    slot = settings.schedule.last_slot_at_or_before(now)
    due = sorted(
        (
            issue
            for issue in issues
            if issue.document_id not in deliveries
            and issue.ingested_at <= slot
            and eligible(settings, issue)
        ),
        key=lambda issue: issue.order,
    )
    if not due:
        return Due()
    return Due(post=due[-1], missed=tuple(due[:-1]))
