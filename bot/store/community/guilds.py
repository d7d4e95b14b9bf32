"""Server settings and announcement deliveries: what each server wants and what it got.

Every per-server setting is a column of the one ``guild_settings`` table and is read and
written here: the announcement settings (set together, once a channel is chosen) and the
choices that need no channel (``search_public``, ``announce_chart``). A new setting is a
column with a default, a field of ``GuildSettings`` and, if it needs no channel, a
``_set_choice`` column.

Exactly-once is built from durable claims, not from memory: an announcement is a
``deliveries`` row per (guild, issue), claimed with an owner token and a lease (``INSERT ...
ON CONFLICT DO UPDATE ... WHERE lease expired``). Every step (summary, overview, thread,
papers) is recorded under the owner's token, which also renews the lease (as does the live
worker in between, so leases can be short); an owner that lost its lease finds out at its
next step and stops.

A ``claimed`` row is in one of three states (``delivery_state``): a live worker renews it
(``posting``); its owner stopped renewing it, e.g. the process was killed (``stalled``, free
once the lease runs out); or a transient error released it to the owner ``RELEASED`` until
its retry time, kept in ``lease_until`` (``waiting``). Recovery takes over the last two.

All times come from the caller (an injected clock), written as ISO UTC text (``iso``).

Why over 500 lines: settings, what is due and the delivery claims are one table family
whose claim, renewal and release statements must be read together to trust exactly-once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.clock import Clock, iso, parse_iso, utcnow
from bot.digests.models import DigestKind
from bot.i18n import Lang
from bot.store._db import Database
from bot.store._rows import EPOCH, opt_int, opt_time, to_json
from bot.store.community.slots import (
    DEFAULT_TIMEZONE,
    Due,
    IssueCandidate,
    Schedule,
    ScheduleError,
    parse_time,
    valid_zone,
    what_is_due,
)

__all__ = [
    "RELEASED",
    "DeliveryClaim",
    "DeliveryRecord",
    "DeliveryState",
    "GuildSettings",
    "GuildStore",
    "LastPost",
    "delivery_state",
]

log = logging.getLogger(__name__)
EPOCH_TIME = parse_iso(EPOCH)

#: The owner of a claim no worker holds: waiting for its retry time (``lease_until``).
RELEASED = "released"
DeliveryState = Literal["posting", "stalled", "waiting"]


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """A server's announcement settings and its other choices (one ``guild_settings`` row).

    ``fault``: the stored row can no longer be used as it is (a time zone this runtime
    cannot resolve, an unreadable value); announcements stop in that server alone until an
    admin changes its settings, and ``/status`` and ``/settings show`` say why. Reading a
    row never raises: one bad row must not stop the bot for every other server.
    """

    guild_id: int
    channel_id: int
    weekday: int
    time: str
    timezone: str
    role_id: int | None
    kinds: tuple[str, ...]
    language: Lang
    configured_at: dt.datetime
    baseline_document_id: int
    disabled_reason: str | None
    disabled_at: dt.datetime | None
    notice_pending: bool
    updated_at: dt.datetime
    search_public: bool = True
    announce_chart: bool = False
    fault: str | None = None

    @property
    def schedule(self) -> Schedule:
        """The weekly slot; raises ``ScheduleError`` for a faulted row (check ``enabled``)."""
        return Schedule(self.weekday, parse_time(self.time), self.timezone)

    @property
    def enabled(self) -> bool:
        return self.disabled_reason is None and self.fault is None

    @property
    def reason(self) -> str | None:
        """Why announcements are paused here, if they are: the fault first."""
        return self.fault or self.disabled_reason


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    guild_id: int
    document_id: int
    channel_id: int | None
    status: str
    claim_owner: str | None
    lease_until: dt.datetime | None
    summary_message_id: int | None
    overview_message_id: int | None
    thread_id: int | None
    papers_posted: int
    attempts: int
    last_error: str | None
    finished_at: dt.datetime | None
    updated_at: dt.datetime


def delivery_state(
    record: DeliveryRecord, now: dt.datetime, *, renewed_within: dt.timedelta
) -> DeliveryState:
    """What a ``claimed`` delivery is doing: a live worker renewed it within
    ``renewed_within`` (``posting``), it waits for its retry time (``waiting``), or its worker
    stopped (``stalled``: the lease is, or soon will be, free for recovery)."""
    if record.claim_owner == RELEASED:
        return "waiting"
    lease_live = record.lease_until is not None and record.lease_until > now
    if lease_live and record.updated_at >= now - renewed_within:
        return "posting"
    return "stalled"


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    """A delivery this owner holds until ``lease_until``; ``missed`` are the older issues
    its summary message covers. ``resumed``: an earlier attempt may have posted something,
    so look for markers before posting again."""

    delivery: DeliveryRecord
    owner: str
    missed: tuple[int, ...]

    @property
    def resumed(self) -> bool:
        return self.delivery.attempts > 1


@dataclass(frozen=True, slots=True)
class LastPost:
    guild_id: int
    channel_id: int | None
    document_id: int
    finished_at: dt.datetime


_GUILD_COLUMNS = (
    "guild_id, channel_id, weekday, time, timezone, role_id, kinds, language, configured_at,"
    " baseline_document_id, disabled_reason, disabled_at, notice_pending, updated_at,"
    " search_public, announce_chart"
)
# A row with a channel has announcements set up; one without holds only other choices.
_ANNOUNCING = "channel_id IS NOT NULL"
_DELIVERY_COLUMNS = (
    "id, guild_id, document_id, channel_id, status, claim_owner, lease_until,"
    " summary_message_id, overview_message_id, thread_id, papers_posted, attempts, last_error,"
    " finished_at, updated_at"
)


def _guild(row: sqlite3.Row) -> GuildSettings:
    """The settings of one row; a row that cannot be used comes back with its ``fault``."""
    guild_id = int(row["guild_id"])
    try:
        settings = _read_guild(row)
    except (ValueError, TypeError, KeyError, json.JSONDecodeError) as exc:
        log.warning("guild %s: unreadable settings row: %s", guild_id, exc)
        return _faulted(row, guild_id, "corrupt_settings")
    if not valid_zone(settings.timezone):
        return replace(settings, fault=f"bad_timezone:{settings.timezone[:60]}")
    return settings


def _read_guild(row: sqlite3.Row) -> GuildSettings:
    language = row["language"]
    if language not in ("ko", "en"):
        raise ValueError(f"language {language!r}")
    kinds = json.loads(row["kinds"])
    if not isinstance(kinds, list) or not kinds:
        raise ValueError(f"kinds {row['kinds']!r}")
    time = str(row["time"])
    parse_time(time)
    weekday = _strict_int(row["weekday"])
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday {weekday}")
    return GuildSettings(
        guild_id=int(row["guild_id"]),
        channel_id=_strict_int(row["channel_id"]),
        weekday=weekday,
        time=time,
        timezone=str(row["timezone"]),
        role_id=None if row["role_id"] is None else _strict_int(row["role_id"]),
        kinds=tuple(DigestKind(kind).value for kind in kinds),
        language=language,
        configured_at=parse_iso(row["configured_at"]),
        baseline_document_id=_strict_int(row["baseline_document_id"]),
        disabled_reason=row["disabled_reason"],
        disabled_at=opt_time(row["disabled_at"]),
        notice_pending=bool(row["notice_pending"]),
        updated_at=parse_iso(row["updated_at"]),
        search_public=bool(row["search_public"]),
        announce_chart=bool(row["announce_chart"]),
    )


def _strict_int(value: object) -> int:
    """An integer column's value; text in it (SQLite keeps what it is given) is corrupt."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an integer: {value!r}")
    return value


def _faulted(row: sqlite3.Row, guild_id: int, fault: str) -> GuildSettings:
    """What can be said about a row that cannot be read: enough for ``/status``."""
    channel = row["channel_id"]
    zone = row["timezone"]
    return GuildSettings(
        guild_id=guild_id,
        channel_id=channel if isinstance(channel, int) else 0,
        weekday=0,
        time="00:00",
        timezone=zone if isinstance(zone, str) and valid_zone(zone) else DEFAULT_TIMEZONE,
        role_id=None,
        kinds=(DigestKind.WEEKLY.value,),
        language="en" if row["language"] == "en" else "ko",
        configured_at=EPOCH_TIME,
        baseline_document_id=0,
        disabled_reason=row["disabled_reason"] if isinstance(row["disabled_reason"], str) else None,
        disabled_at=None,
        notice_pending=False,
        updated_at=EPOCH_TIME,
        fault=fault,
    )


def _delivery(row: sqlite3.Row) -> DeliveryRecord:
    return DeliveryRecord(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        document_id=int(row["document_id"]),
        channel_id=opt_int(row["channel_id"]),
        status=str(row["status"]),
        claim_owner=row["claim_owner"],
        lease_until=opt_time(row["lease_until"]),
        summary_message_id=opt_int(row["summary_message_id"]),
        overview_message_id=opt_int(row["overview_message_id"]),
        thread_id=opt_int(row["thread_id"]),
        papers_posted=int(row["papers_posted"]),
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
        finished_at=opt_time(row["finished_at"]),
        updated_at=parse_iso(row["updated_at"]),
    )


class GuildStore:
    """Guild settings, what is due, and announcement deliveries; all their SQL lives here."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db = db
        self._clock = clock

    # -- guild settings -------------------------------------------------------------------

    async def get_guild(self, guild_id: int) -> GuildSettings | None:
        """The server's settings if it set up announcements (chose a channel), else None."""
        rows = await self._db.fetch(
            f"SELECT {_GUILD_COLUMNS} FROM guild_settings WHERE guild_id = ? AND {_ANNOUNCING}",
            (guild_id,),
        )
        return _guild(rows[0]) if rows else None

    async def configured_guilds(self, *, enabled_only: bool = False) -> list[GuildSettings]:
        """Servers with announcements set up; ``enabled_only``: those not paused (neither
        disabled by an error nor faulted)."""
        where = " AND disabled_reason IS NULL" if enabled_only else ""
        rows = await self._db.fetch(
            f"SELECT {_GUILD_COLUMNS} FROM guild_settings WHERE {_ANNOUNCING}{where}"
            " ORDER BY guild_id"
        )
        guilds = [_guild(row) for row in rows]
        return [guild for guild in guilds if guild.enabled] if enabled_only else guilds

    # -- choices that need no announcement channel ---------------------------------------

    async def search_public(self, guild_id: int) -> bool:
        """Whether ``/search`` answers for everyone in this server (the default)."""
        rows = await self._db.fetch(
            "SELECT search_public FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return bool(rows[0]["search_public"]) if rows else True

    async def set_search_public(
        self, guild_id: int, public: bool, *, now: dt.datetime | None = None
    ) -> None:
        await self._set_choice(guild_id, "search_public", public, now)

    async def announce_chart(self, guild_id: int) -> bool:
        """Whether the weekly trend chart goes with this server's weekly announcements."""
        rows = await self._db.fetch(
            "SELECT announce_chart FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return bool(rows and rows[0]["announce_chart"])

    async def set_announce_chart(
        self, guild_id: int, enabled: bool, *, now: dt.datetime | None = None
    ) -> None:
        await self._set_choice(guild_id, "announce_chart", enabled, now)

    async def _set_choice(
        self,
        guild_id: int,
        column: Literal["search_public", "announce_chart"],
        value: bool,
        now: dt.datetime | None,
    ) -> None:
        """Set one yes/no choice, creating the server's row (with every default) if needed."""
        await self._db.write(
            f"INSERT INTO guild_settings (guild_id, {column}, updated_at) VALUES (?, ?, ?)"
            f" ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column},"
            " updated_at = excluded.updated_at",
            (guild_id, int(value), iso(now or self._clock())),
        )

    async def configure_guild(
        self,
        guild_id: int,
        *,
        channel_id: int,
        weekday: int,
        time: str,
        timezone: str = DEFAULT_TIMEZONE,
        role_id: int | None = None,
        kinds: Collection[str] = (DigestKind.WEEKLY.value,),
        language: Lang = "ko",
        now: dt.datetime | None = None,
    ) -> GuildSettings:
        """Create or change a guild's announcement settings.

        A new guild's baseline is the newest stored document: what was already there is never
        announced on schedule (no back-catalogue flood). Changing settings keeps the baseline,
        re-enables a guild disabled by a permission error, and makes its failed deliveries
        resumable: the admin fixing the channel is the signal to try again.
        """
        schedule = Schedule.parse(weekday, time, timezone)  # validates, raises ScheduleError
        kind_list = sorted({DigestKind(kind).value for kind in kinds})
        if not kind_list:
            raise ScheduleError("choose at least one kind of digest")
        if language not in ("ko", "en"):
            raise ScheduleError(f"unknown language {language!r}")
        stamp = iso(now or self._clock())
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, channel_id, weekday, time, timezone,"
                " role_id, kinds, language, configured_at, baseline_document_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " (SELECT coalesce(max(id), 0) FROM documents), ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                # a row with only other choices gets its announcement baseline now
                " configured_at = coalesce(guild_settings.configured_at,"
                " excluded.configured_at),"
                " baseline_document_id = CASE WHEN guild_settings.channel_id IS NULL"
                " THEN excluded.baseline_document_id"
                " ELSE guild_settings.baseline_document_id END,"
                " weekday = excluded.weekday, time = excluded.time,"
                " timezone = excluded.timezone, role_id = excluded.role_id,"
                " kinds = excluded.kinds, language = excluded.language,"
                " disabled_reason = NULL, disabled_at = NULL, notice_pending = 0,"
                " updated_at = excluded.updated_at",
                (
                    guild_id,
                    channel_id,
                    schedule.weekday,
                    schedule.time_text,
                    schedule.timezone,
                    role_id,
                    to_json(kind_list),
                    language,
                    stamp,
                    stamp,
                ),
            )
            await db.execute(
                "UPDATE deliveries SET status = 'claimed', claim_owner = ?,"
                " lease_until = ?, updated_at = ? WHERE guild_id = ? AND status = 'failed'",
                (RELEASED, EPOCH, stamp, guild_id),
            )
        settings = await self.get_guild(guild_id)
        assert settings is not None
        return settings

    async def disable_guild(self, guild_id: int, reason: str, now: dt.datetime) -> bool:
        """Stop retrying a guild whose channel we cannot post in, until settings change.

        Returns True the first time (the caller tells the admin once): ``notice_pending`` is
        set only when the guild was not already disabled.
        """
        changed = await self._db.write(
            "UPDATE guild_settings SET disabled_reason = ?, disabled_at = ?, notice_pending = 1,"
            " updated_at = ? WHERE guild_id = ? AND disabled_reason IS NULL",
            (reason, iso(now), iso(now), guild_id),
        )
        return changed > 0

    async def take_guild_notice(self, guild_id: int) -> str | None:
        """The disabled reason if the admin has not been told yet; tells only once."""
        rows = await self._db.write_returning(
            "UPDATE guild_settings SET notice_pending = 0 WHERE guild_id = ? AND notice_pending = 1"
            " RETURNING disabled_reason",
            (guild_id,),
        )
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    # -- what is due ----------------------------------------------------------------------

    async def issue_candidates(
        self, kinds: Collection[str], *, after_document_id: int = 0, limit: int = 200
    ) -> list[IssueCandidate]:
        """Stored digests of ``kinds`` newer than ``after_document_id``, newest first."""
        rows = await self._db.fetch(
            "SELECT id, kind, created_at, sort_date FROM documents"
            " WHERE kind IN (SELECT value FROM json_each(?)) AND id > ?"
            " ORDER BY id DESC LIMIT ?",
            (to_json(sorted(kinds)), after_document_id, limit),
        )
        return [
            IssueCandidate(
                document_id=int(row["id"]),
                kind=str(row["kind"]),
                ingested_at=parse_iso(row["created_at"]),
                sort_date=dt.date.fromisoformat(row["sort_date"]) if row["sort_date"] else None,
            )
            for row in rows
        ]

    async def latest_candidate(self, kinds: Collection[str]) -> IssueCandidate | None:
        """The newest issue of ``kinds`` by period/date (for preview and post-now)."""
        rows = await self._db.fetch(
            "SELECT id, kind, created_at, sort_date FROM documents"
            " WHERE kind IN (SELECT value FROM json_each(?))"
            " ORDER BY coalesce(sort_date, substr(created_at, 1, 10)) DESC, id DESC LIMIT 1",
            (to_json(sorted(kinds)),),
        )
        if not rows:
            return None
        row = rows[0]
        return IssueCandidate(
            int(row["id"]),
            str(row["kind"]),
            parse_iso(row["created_at"]),
            dt.date.fromisoformat(row["sort_date"]) if row["sort_date"] else None,
        )

    async def delivery_statuses(self, guild_id: int) -> dict[int, str]:
        rows = await self._db.fetch(
            "SELECT document_id, status FROM deliveries WHERE guild_id = ?", (guild_id,)
        )
        return {int(row["document_id"]): str(row["status"]) for row in rows}

    async def due_for_guild(self, guild_id: int, now: dt.datetime) -> Due:
        """``what_is_due`` for one guild, from the database alone."""
        settings = await self.get_guild(guild_id)
        if settings is None or not settings.enabled:
            return Due()
        issues = await self.issue_candidates(
            settings.kinds, after_document_id=settings.baseline_document_id
        )
        return what_is_due(settings, issues, await self.delivery_statuses(guild_id), now)

    # -- deliveries -----------------------------------------------------------------------

    async def get_delivery(self, guild_id: int, document_id: int) -> DeliveryRecord | None:
        rows = await self._db.fetch(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE guild_id = ? AND document_id = ?",
            (guild_id, document_id),
        )
        return _delivery(rows[0]) if rows else None

    async def deliveries(self, guild_id: int) -> list[DeliveryRecord]:
        rows = await self._db.fetch(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE guild_id = ? ORDER BY id",
            (guild_id,),
        )
        return [_delivery(row) for row in rows]

    async def claim_delivery(
        self,
        guild_id: int,
        document_id: int,
        *,
        owner: str,
        now: dt.datetime,
        lease: dt.timedelta,
        channel_id: int | None = None,
        missed: Sequence[int] = (),
        skip_backoff: bool = False,
    ) -> DeliveryClaim | None:
        """Claim (or take over an expired claim on) the announcement of one issue.

        Atomic: the row is inserted, or an existing ``claimed`` row whose lease has expired is
        taken over, in one statement; a sent/skipped/failed row, or a live claim of another
        owner, yields None. ``skip_backoff`` also takes a released claim before its retry time
        (an admin's "post now"). ``missed`` issues are recorded as ``skipped``, summarised by
        this delivery, in the same transaction (only those nobody delivered).
        """
        stamp = iso(now)
        async with self._db.transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "INSERT INTO deliveries (guild_id, document_id, channel_id, status,"
                    " claim_owner, lease_until, attempts, created_at, updated_at)"
                    " VALUES (?, ?, ?, 'claimed', ?, ?, 1, ?, ?)"
                    " ON CONFLICT (guild_id, document_id) DO UPDATE SET"
                    " claim_owner = excluded.claim_owner,"
                    " lease_until = excluded.lease_until,"
                    " channel_id = coalesce(deliveries.channel_id, excluded.channel_id),"
                    " attempts = deliveries.attempts + 1, updated_at = excluded.updated_at"
                    " WHERE deliveries.status = 'claimed' AND (deliveries.lease_until <= ?"
                    " OR (? AND deliveries.claim_owner = ?))"
                    f" RETURNING {_DELIVERY_COLUMNS}",
                    (
                        guild_id,
                        document_id,
                        channel_id,
                        owner,
                        iso(now + lease),
                        stamp,
                        stamp,
                        stamp,
                        skip_backoff,
                        RELEASED,
                    ),
                )
            )
            if not rows:
                await db.execute("ROLLBACK")
                return None
            delivery = _delivery(rows[0])
            if missed:
                await db.execute(
                    "INSERT INTO deliveries (guild_id, document_id, channel_id, status,"
                    " summarised_in, created_at, updated_at, finished_at)"
                    " SELECT ?, value, ?, 'skipped', ?, ?, ?, ? FROM json_each(?)"
                    " WHERE value <> ? ON CONFLICT (guild_id, document_id) DO NOTHING",
                    (
                        guild_id,
                        channel_id,
                        delivery.id,
                        stamp,
                        stamp,
                        stamp,
                        to_json(list(missed)),
                        document_id,
                    ),
                )
            summarised = [
                int(row[0])
                for row in await db.execute_fetchall(
                    "SELECT document_id FROM deliveries WHERE summarised_in = ? ORDER BY"
                    " document_id",
                    (delivery.id,),
                )
            ]
        return DeliveryClaim(delivery, owner, tuple(summarised))

    async def stale_deliveries(
        self, now: dt.datetime, guild_id: int | None = None
    ) -> list[DeliveryRecord]:
        """Claims whose lease expired: stalled deliveries, and released ones whose retry
        time came."""
        sql = (
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE status = 'claimed'"
            " AND lease_until <= ?"
        )
        params: list[object] = [iso(now)]
        if guild_id is not None:
            sql += " AND guild_id = ?"
            params.append(guild_id)
        return [_delivery(row) for row in await self._db.fetch(sql + " ORDER BY id", params)]

    async def claimed_deliveries(
        self, guild_id: int | None = None, *, limit: int = 100
    ) -> list[DeliveryRecord]:
        """Announcements not finished yet: being posted, interrupted, or waiting to retry."""
        sql = f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE status = 'claimed'"
        params: list[object] = []
        if guild_id is not None:
            sql += " AND guild_id = ?"
            params.append(guild_id)
        params.append(limit)
        return [
            _delivery(row) for row in await self._db.fetch(sql + " ORDER BY id LIMIT ?", params)
        ]

    async def record_progress(
        self,
        claim: DeliveryClaim,
        *,
        now: dt.datetime,
        lease: dt.timedelta,
        summary_message_id: int | None = None,
        overview_message_id: int | None = None,
        thread_id: int | None = None,
        papers_posted: int | None = None,
    ) -> bool:
        """Record one step (or none: a renewal) and renew the lease; False if this owner no
        longer holds it."""
        sets = ["lease_until = ?", "updated_at = ?"]
        params: list[object] = [iso(now + lease), iso(now)]
        for column, value in (
            ("summary_message_id", summary_message_id),
            ("overview_message_id", overview_message_id),
            ("thread_id", thread_id),
            ("papers_posted", papers_posted),
        ):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        params += [claim.delivery.id, claim.owner]
        changed = await self._db.write(
            f"UPDATE deliveries SET {', '.join(sets)}"
            " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
            params,
        )
        return changed > 0

    async def finish_delivery(self, claim: DeliveryClaim, now: dt.datetime) -> bool:
        return (
            await self._db.write(
                "UPDATE deliveries SET status = 'sent', finished_at = ?, updated_at = ?,"
                " lease_until = NULL, last_error = NULL"
                " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (iso(now), iso(now), claim.delivery.id, claim.owner),
            )
            > 0
        )

    async def fail_delivery(self, claim: DeliveryClaim, now: dt.datetime, error: str) -> bool:
        """Give up for now (permission/channel errors); resumable once settings change."""
        return (
            await self._db.write(
                "UPDATE deliveries SET status = 'failed', last_error = ?, updated_at = ?,"
                " lease_until = NULL WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (error[:500], iso(now), claim.delivery.id, claim.owner),
            )
            > 0
        )

    async def release_delivery(
        self, claim: DeliveryClaim, *, retry_at: dt.datetime, now: dt.datetime, error: str
    ) -> bool:
        """Give the claim up until ``retry_at`` (a transient error's backoff): no worker holds
        it meanwhile (``RELEASED``), so it is not "being posted", and recovery retries it."""
        return (
            await self._db.write(
                "UPDATE deliveries SET claim_owner = ?, lease_until = ?, last_error = ?,"
                " updated_at = ? WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (
                    RELEASED,
                    iso(retry_at),
                    error[:500],
                    iso(now),
                    claim.delivery.id,
                    claim.owner,
                ),
            )
            > 0
        )
