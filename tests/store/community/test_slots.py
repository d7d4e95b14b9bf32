"""Slots across DST and the database-decides due rule (pure: no clock, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from bot.runtime.jobs import SlotTrigger, cron_trigger
from bot.store.community.slots import (
    Due,
    IssueCandidate,
    Schedule,
    ScheduleError,
    what_is_due,
)

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_seoul_default_slot() -> None:
    monday_9 = Schedule.parse(0, "09:00")  # Asia/Seoul, UTC+9, no DST
    now = utc(2024, 5, 15, 12, 0)  # Wednesday
    assert monday_9.last_slot_at_or_before(now) == utc(2024, 5, 13, 0, 0)
    assert monday_9.next_slot_after(now) == utc(2024, 5, 20, 0, 0)


def test_slot_boundaries() -> None:
    schedule = Schedule.parse(0, "09:00")
    slot = utc(2024, 5, 13, 0, 0)
    assert schedule.last_slot_at_or_before(slot) == slot
    assert schedule.next_slot_after(slot) == slot + dt.timedelta(days=7)
    assert schedule.last_slot_at_or_before(
        slot - dt.timedelta(microseconds=1)
    ) == slot - dt.timedelta(days=7)


def test_new_york_keeps_local_time_across_dst() -> None:
    monday_9 = Schedule.parse(0, "09:00", "America/New_York")
    # DST starts Sunday 2024-03-10: 09:00 is 14:00 UTC before, 13:00 UTC after
    assert monday_9.last_slot_at_or_before(utc(2024, 3, 10, 12)) == utc(2024, 3, 4, 14)
    assert monday_9.next_slot_after(utc(2024, 3, 10, 12)) == utc(2024, 3, 11, 13)
    # DST ends Sunday 2024-11-03
    assert monday_9.next_slot_after(utc(2024, 11, 1)) == utc(2024, 11, 4, 14)


def test_berlin_spring_forward_gap_moves_forward_by_the_gap() -> None:
    sunday_0230 = Schedule.parse(6, "02:30", "Europe/Berlin")
    # 2024-03-31 02:30 does not exist in Berlin: the slot is 03:30 CEST = 01:30 UTC
    gap_day = sunday_0230.next_slot_after(utc(2024, 3, 30))
    assert gap_day == utc(2024, 3, 31, 1, 30)
    assert gap_day.astimezone(sunday_0230.zone).strftime("%H:%M") == "03:30"
    assert sunday_0230.next_slot_after(utc(2024, 3, 23)) == utc(2024, 3, 24, 1, 30)  # CET
    assert sunday_0230.next_slot_after(gap_day) == utc(2024, 4, 7, 0, 30)  # CEST
    assert sunday_0230.last_slot_at_or_before(utc(2024, 3, 31, 1, 0)) == utc(2024, 3, 24, 1, 30)


def test_berlin_fall_back_fires_once_at_the_first_occurrence() -> None:
    sunday_0230 = Schedule.parse(6, "02:30", "Europe/Berlin")
    # 2024-10-27 02:30 happens twice; the slot is the first (CEST, 00:30 UTC)
    slot = sunday_0230.next_slot_after(utc(2024, 10, 26))
    assert slot == utc(2024, 10, 27, 0, 30)
    assert sunday_0230.next_slot_after(slot) == utc(2024, 11, 3, 1, 30)
    assert sunday_0230.last_slot_at_or_before(utc(2024, 10, 27, 1, 30)) == slot


def test_slots_are_weekly_through_a_whole_year() -> None:
    schedule = Schedule.parse(4, "18:45", "America/New_York")
    slot = schedule.next_slot_after(utc(2024, 1, 1))
    for _ in range(60):
        local = slot.astimezone(schedule.zone)
        assert (local.weekday(), local.hour, local.minute) == (4, 18, 45)
        following = schedule.next_slot_after(slot)
        assert dt.timedelta(days=7) - dt.timedelta(hours=1) <= following - slot
        assert schedule.last_slot_at_or_before(following - dt.timedelta(seconds=1)) == slot
        slot = following


@pytest.mark.parametrize(
    ("weekday", "time", "zone"),
    [
        (7, "09:00", "Asia/Seoul"),
        (0, "25:00", "Asia/Seoul"),
        (0, "9", "Asia/Seoul"),
        (0, "09:00", "Mars/Olympus"),
    ],
)
def test_invalid_schedules(weekday: int, time: str, zone: str) -> None:
    with pytest.raises(ScheduleError):
        Schedule.parse(weekday, time, zone)


def test_triggers() -> None:
    schedule = Schedule.parse(6, "02:30", "Europe/Berlin")
    trigger = SlotTrigger(schedule)
    assert isinstance(trigger, SlotTrigger)
    first = trigger.get_next_fire_time(None, utc(2024, 3, 30))
    assert first == utc(2024, 3, 31, 1, 30)
    assert trigger.get_next_fire_time(first, first) == utc(2024, 4, 7, 0, 30)
    assert trigger.get_next_fire_time(None, first) == first  # a slot exactly now fires now
    cron = cron_trigger(schedule)
    assert cron.get_next_fire_time(None, utc(2024, 5, 1)).astimezone(UTC) == utc(2024, 5, 5, 0, 30)


@dataclass(frozen=True)
class Settings:
    schedule: Schedule = field(default_factory=lambda: Schedule.parse(0, "09:00"))
    kinds: tuple[str, ...] = ("weekly",)
    baseline_document_id: int = 10
    configured_at: dt.datetime = dt.datetime(2024, 5, 1, tzinfo=UTC)
    disabled_reason: str | None = None


def issue(doc: int, ingested: dt.datetime, day: dt.date, kind: str = "weekly") -> IssueCandidate:
    return IssueCandidate(doc, kind, ingested, day)


def test_due_waits_for_the_slot_then_posts_once() -> None:
    settings = Settings()
    new = issue(11, utc(2024, 5, 8), dt.date(2024, 5, 6))
    before_slot = utc(2024, 5, 12, 23, 59)
    assert what_is_due(settings, [new], {}, before_slot) == Due()
    at_slot = utc(2024, 5, 13, 0, 0)
    assert what_is_due(settings, [new], {}, at_slot) == Due(post=new)
    assert what_is_due(settings, [new], {11: "sent"}, at_slot) == Due()
    assert what_is_due(settings, [new], {11: "claimed"}, at_slot) == Due()


def test_downtime_posts_the_latest_and_summarises_the_rest() -> None:
    settings = Settings()
    issues = [
        issue(11, utc(2024, 5, 2), dt.date(2024, 4, 29)),
        issue(12, utc(2024, 5, 9), dt.date(2024, 5, 6)),
        issue(13, utc(2024, 5, 16), dt.date(2024, 5, 13)),
        issue(14, utc(2024, 5, 23), dt.date(2024, 5, 20)),  # after the last slot: not yet
    ]
    due = what_is_due(settings, issues, {}, utc(2024, 5, 21))
    assert due.post == issues[2]
    assert due.missed == (issues[0], issues[1])


def test_new_guild_is_not_flooded() -> None:
    settings = Settings(baseline_document_id=12, configured_at=utc(2024, 5, 10))
    issues = [
        issue(11, utc(2024, 5, 2), dt.date(2024, 4, 29)),
        issue(12, utc(2024, 5, 9), dt.date(2024, 5, 6)),
        # imported after configuration, but from long ago: back catalogue, never announced
        issue(13, utc(2024, 5, 11), dt.date(2023, 1, 2)),
        issue(14, utc(2024, 5, 11), dt.date(2024, 5, 13), kind="daily"),  # not a chosen kind
    ]
    assert what_is_due(settings, issues, {}, utc(2024, 6, 1)) == Due()


def test_disabled_guild_has_nothing_due() -> None:
    settings = Settings(disabled_reason="forbidden:50013")
    new = issue(11, utc(2024, 5, 8), dt.date(2024, 5, 6))
    assert what_is_due(settings, [new], {}, utc(2024, 6, 1)) == Due()
