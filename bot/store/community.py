"""Announcements, topic alerts and source health: the community side of the store.

``Community(store)`` shares the store's connections and write lock (one writer, one
transaction at a time), so everything here composes with ingest: the alert hook runs inside
an ingest transaction, and every other write is its own short transaction.

Exactly-once is built from durable claims, not from memory:

- an announcement is a ``deliveries`` row per (guild, issue), claimed with an owner token and a
  lease (``INSERT ... ON CONFLICT DO UPDATE ... WHERE lease expired``). Every step (summary,
  overview, thread, papers) is recorded under the owner's token, which also renews the lease;
  an owner that lost its lease finds out at its next step and stops;
- an alert is an ``alert_outbox`` row per (user, issue), written in the ingest transaction
  that stored the papers, claimed in batches with a lease and marked sent/failed/retry.

All times come from the caller (an injected clock), written as ISO UTC text (``iso``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from bot.digests.models import DigestKind
from bot.slots import (
    DEFAULT_TIMEZONE,
    Due,
    IssueCandidate,
    Schedule,
    ScheduleError,
    parse_time,
    what_is_due,
)

from ._ingest import DocumentHook, DocumentWrite
from ._merge import canonical_tag
from ._search import match_expression
from .analysis import analyse_query
from .store import Store

__all__ = [
    "AlertClaim",
    "AlertUser",
    "Community",
    "CommunityStatus",
    "DeliveryClaim",
    "DeliveryRecord",
    "GuildSettings",
    "Lang",
    "SourceStatus",
    "SubKind",
    "Subscription",
    "iso",
    "parse_iso",
    "utcnow",
]

Lang = Literal["ko", "en"]
SubKind = Literal["tag", "keyword"]
Clock = Callable[[], dt.datetime]

MAX_SUBSCRIPTIONS = 50  # per user: keeps the per-document matching bounded
_EPOCH = "1970-01-01T00:00:00.000Z"


def utcnow() -> dt.datetime:
    """The real clock; the default wherever a clock can be injected."""
    return dt.datetime.now(dt.UTC)


def iso(when: dt.datetime) -> str:
    """``when`` as the database's timestamp text (UTC, milliseconds, ``Z``)."""
    if when.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def _opt_time(text: str | None) -> dt.datetime | None:
    return None if text is None else parse_iso(text)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class GuildSettings:
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

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.weekday, parse_time(self.time), self.timezone)

    @property
    def enabled(self) -> bool:
        return self.disabled_reason is None


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
class Subscription:
    user_id: int
    kind: SubKind
    value: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AlertUser:
    user_id: int
    paused: bool
    unreachable: bool
    notice_pending: bool
    locale: Lang

    @property
    def active(self) -> bool:
        return not (self.paused or self.unreachable)


@dataclass(frozen=True, slots=True)
class AlertClaim:
    """One claimed DM: the papers of ``document_id`` that matched, each with why."""

    id: int
    user_id: int
    document_id: int
    matches: tuple[tuple[int, tuple[str, ...]], ...]
    attempts: int
    owner: str
    locale: Lang
    recovered: bool  # a previous owner's lease expired: it may have sent the DM already

    @property
    def paper_ids(self) -> list[int]:
        return [paper_id for paper_id, _ in self.matches]


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source: str
    last_fetch_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LastPost:
    guild_id: int
    channel_id: int | None
    document_id: int
    finished_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CommunityStatus:
    """What ``/status`` shows: alert backlog and failures, last posts, sources, disabled."""

    pending_alerts: int
    claimed_alerts: int
    sent_alerts: int
    failed_alerts: dict[str, int]  # reason -> count
    unreachable_users: int
    last_posts: tuple[LastPost, ...]
    failed_deliveries: dict[str, int]
    disabled_guilds: dict[int, str]
    sources: tuple[SourceStatus, ...]


# --------------------------------------------------------------------------------------------
# Row mapping

_GUILD_COLUMNS = (
    "guild_id, channel_id, weekday, time, timezone, role_id, kinds, language, configured_at,"
    " baseline_document_id, disabled_reason, disabled_at, notice_pending, updated_at"
)
_DELIVERY_COLUMNS = (
    "id, guild_id, document_id, channel_id, status, claim_owner, lease_until,"
    " summary_message_id, overview_message_id, thread_id, papers_posted, attempts, last_error,"
    " finished_at"
)


def _guild(row: sqlite3.Row) -> GuildSettings:
    language: Lang = "en" if row["language"] == "en" else "ko"
    return GuildSettings(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        weekday=int(row["weekday"]),
        time=str(row["time"]),
        timezone=str(row["timezone"]),
        role_id=None if row["role_id"] is None else int(row["role_id"]),
        kinds=tuple(json.loads(row["kinds"])),
        language=language,
        configured_at=parse_iso(row["configured_at"]),
        baseline_document_id=int(row["baseline_document_id"]),
        disabled_reason=row["disabled_reason"],
        disabled_at=_opt_time(row["disabled_at"]),
        notice_pending=bool(row["notice_pending"]),
        updated_at=parse_iso(row["updated_at"]),
    )


def _opt_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _delivery(row: sqlite3.Row) -> DeliveryRecord:
    return DeliveryRecord(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        document_id=int(row["document_id"]),
        channel_id=_opt_int(row["channel_id"]),
        status=str(row["status"]),
        claim_owner=row["claim_owner"],
        lease_until=_opt_time(row["lease_until"]),
        summary_message_id=_opt_int(row["summary_message_id"]),
        overview_message_id=_opt_int(row["overview_message_id"]),
        thread_id=_opt_int(row["thread_id"]),
        papers_posted=int(row["papers_posted"]),
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
        finished_at=_opt_time(row["finished_at"]),
    )


def _lang(value: str | None) -> Lang:
    return "en" if value == "en" else "ko"


_SPACES = re.compile(r"\s+")


def normalise_keyword(text: str) -> str:
    """One form per keyword: trimmed, single spaces, case-folded (matching ignores case)."""
    return _SPACES.sub(" ", text.strip()).casefold()[:100]


def normalise_value(kind: SubKind, value: str) -> str:
    text = value.encode("utf-8", "replace").decode("utf-8")
    return canonical_tag(text) if kind == "tag" else normalise_keyword(text)


_ACTIVE_USER = "u.paused = 0 AND u.unreachable = 0"


# --------------------------------------------------------------------------------------------


class Community:
    """Guild settings, announcement deliveries, subscriptions, the alert outbox and source
    health, over the store's connections. All SQL of these features lives here."""

    def __init__(self, store: Store, *, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    @property
    def _writer(self) -> aiosqlite.Connection:
        return self._store._writer

    @property
    def _reader(self) -> aiosqlite.Connection:
        return self._store._reader

    async def _fetch(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        return list(await self._reader.execute_fetchall(sql, params))

    async def _write(self, sql: str, params: Sequence[object] = ()) -> int:
        """One autocommit statement; returns the number of rows changed."""
        async with self._store._write_lock:
            cursor = await self._writer.execute(sql, params)
            return cursor.rowcount

    async def _write_returning(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        async with self._store._write_lock:
            return list(await self._writer.execute_fetchall(sql, params))

    # -- guild settings -------------------------------------------------------------------

    async def get_guild(self, guild_id: int) -> GuildSettings | None:
        rows = await self._fetch(
            f"SELECT {_GUILD_COLUMNS} FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return _guild(rows[0]) if rows else None

    async def configured_guilds(self, *, enabled_only: bool = False) -> list[GuildSettings]:
        where = " WHERE disabled_reason IS NULL" if enabled_only else ""
        rows = await self._fetch(
            f"SELECT {_GUILD_COLUMNS} FROM guild_settings{where} ORDER BY guild_id"
        )
        return [_guild(row) for row in rows]

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
        async with self._store._write_lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                await db.execute(
                    "INSERT INTO guild_settings (guild_id, channel_id, weekday, time, timezone,"
                    " role_id, kinds, language, configured_at, baseline_document_id, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    " (SELECT coalesce(max(id), 0) FROM documents), ?)"
                    " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
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
                        _json(kind_list),
                        language,
                        stamp,
                        stamp,
                    ),
                )
                await db.execute(
                    "UPDATE deliveries SET status = 'claimed', claim_owner = 'released',"
                    " lease_until = ?, updated_at = ? WHERE guild_id = ? AND status = 'failed'",
                    (_EPOCH, stamp, guild_id),
                )
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise
        settings = await self.get_guild(guild_id)
        assert settings is not None
        return settings

    async def remove_guild(self, guild_id: int) -> bool:
        """Stop announcing in a guild (its delivery history goes with it)."""
        return await self._write("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,)) > 0

    async def disable_guild(self, guild_id: int, reason: str, now: dt.datetime) -> bool:
        """Stop retrying a guild whose channel we cannot post in, until settings change.

        Returns True the first time (the caller tells the admin once): ``notice_pending`` is
        set only when the guild was not already disabled.
        """
        changed = await self._write(
            "UPDATE guild_settings SET disabled_reason = ?, disabled_at = ?, notice_pending = 1,"
            " updated_at = ? WHERE guild_id = ? AND disabled_reason IS NULL",
            (reason, iso(now), iso(now), guild_id),
        )
        return changed > 0

    async def clear_disabled(self, guild_id: int, now: dt.datetime) -> bool:
        changed = await self._write(
            "UPDATE guild_settings SET disabled_reason = NULL, disabled_at = NULL,"
            " notice_pending = 0, updated_at = ?"
            " WHERE guild_id = ? AND disabled_reason IS NOT NULL",
            (iso(now), guild_id),
        )
        if changed:
            await self._write(
                "UPDATE deliveries SET status = 'claimed', claim_owner = 'released',"
                " lease_until = ? WHERE guild_id = ? AND status = 'failed'",
                (_EPOCH, guild_id),
            )
        return changed > 0

    async def take_guild_notice(self, guild_id: int) -> str | None:
        """The disabled reason if the admin has not been told yet; tells only once."""
        rows = await self._write_returning(
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
        rows = await self._fetch(
            "SELECT id, kind, created_at, sort_date FROM documents"
            " WHERE kind IN (SELECT value FROM json_each(?)) AND id > ?"
            " ORDER BY id DESC LIMIT ?",
            (_json(sorted(kinds)), after_document_id, limit),
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
        rows = await self._fetch(
            "SELECT id, kind, created_at, sort_date FROM documents"
            " WHERE kind IN (SELECT value FROM json_each(?))"
            " ORDER BY coalesce(sort_date, substr(created_at, 1, 10)) DESC, id DESC LIMIT 1",
            (_json(sorted(kinds)),),
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
        rows = await self._fetch(
            "SELECT document_id, status FROM deliveries WHERE guild_id = ?", (guild_id,)
        )
        return {int(row[0]): str(row[1]) for row in rows}

    async def due_for_guild(self, guild_id: int, now: dt.datetime) -> Due:
        """``what_is_due`` for one guild, from the database alone."""
        settings = await self.get_guild(guild_id)
        if settings is None:
            return Due()
        issues = await self.issue_candidates(
            settings.kinds, after_document_id=settings.baseline_document_id
        )
        return what_is_due(settings, issues, await self.delivery_statuses(guild_id), now)

    # -- deliveries -----------------------------------------------------------------------

    async def get_delivery(self, guild_id: int, document_id: int) -> DeliveryRecord | None:
        rows = await self._fetch(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE guild_id = ? AND document_id = ?",
            (guild_id, document_id),
        )
        return _delivery(rows[0]) if rows else None

    async def deliveries(self, guild_id: int) -> list[DeliveryRecord]:
        rows = await self._fetch(
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
    ) -> DeliveryClaim | None:
        """Claim (or take over an expired claim on) the announcement of one issue.

        Atomic: the row is inserted, or an existing ``claimed`` row whose lease has expired is
        taken over, in one statement; a sent/skipped/failed row, or a live claim of another
        owner, yields None. ``missed`` issues are recorded as ``skipped``, summarised by this
        delivery, in the same transaction (only those nobody delivered).
        """
        stamp = iso(now)
        async with self._store._write_lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
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
                        " WHERE deliveries.status = 'claimed' AND deliveries.lease_until <= ?"
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
                            _json(list(missed)),
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
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise
        return DeliveryClaim(delivery, owner, tuple(summarised))

    async def stale_deliveries(
        self, now: dt.datetime, guild_id: int | None = None
    ) -> list[DeliveryRecord]:
        """Claims whose lease expired: crashed or backed-off deliveries to resume."""
        sql = (
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE status = 'claimed'"
            " AND lease_until <= ?"
        )
        params: list[object] = [iso(now)]
        if guild_id is not None:
            sql += " AND guild_id = ?"
            params.append(guild_id)
        return [_delivery(row) for row in await self._fetch(sql + " ORDER BY id", params)]

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
        """Record one step and renew the lease; False if this owner no longer holds it."""
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
        changed = await self._write(
            f"UPDATE deliveries SET {', '.join(sets)}"
            " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
            params,
        )
        return changed > 0

    async def finish_delivery(self, claim: DeliveryClaim, now: dt.datetime) -> bool:
        return (
            await self._write(
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
            await self._write(
                "UPDATE deliveries SET status = 'failed', last_error = ?, updated_at = ?,"
                " lease_until = NULL WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (error[:500], iso(now), claim.delivery.id, claim.owner),
            )
            > 0
        )

    async def release_delivery(
        self, claim: DeliveryClaim, *, retry_at: dt.datetime, now: dt.datetime, error: str
    ) -> bool:
        """Keep the claim but let it expire at ``retry_at``: a transient error's backoff."""
        return (
            await self._write(
                "UPDATE deliveries SET lease_until = ?, last_error = ?, updated_at = ?"
                " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (iso(retry_at), error[:500], iso(now), claim.delivery.id, claim.owner),
            )
            > 0
        )

    # -- subscriptions and users ----------------------------------------------------------

    async def _ensure_user(
        self, db: aiosqlite.Connection, user_id: int, locale: Lang | None, stamp: str
    ) -> None:
        await db.execute(
            "INSERT INTO alert_users (user_id, locale, updated_at) VALUES (?, coalesce(?, 'ko'), ?)"
            " ON CONFLICT (user_id) DO UPDATE SET locale = coalesce(?, locale),"
            " updated_at = excluded.updated_at",
            (user_id, locale, stamp, locale),
        )

    async def follow(
        self,
        user_id: int,
        kind: SubKind,
        value: str,
        *,
        locale: Lang | None = None,
        now: dt.datetime | None = None,
    ) -> bool:
        """Follow a tag (canonicalised) or keyword; True if it is new. Whether a tag exists
        is the caller's check (with suggestions). Raises ValueError past the per-user cap."""
        normal = normalise_value(kind, value)
        if not normal:
            raise ValueError("empty subscription")
        stamp = iso(now or self._clock())
        async with self._store._write_lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                await self._ensure_user(db, user_id, locale, stamp)
                counted = await db.execute_fetchall(
                    "SELECT count(*) FROM subscriptions WHERE user_id = ?", (user_id,)
                )
                count = int(next(iter(counted))[0])
                cursor = await db.execute(
                    "INSERT INTO subscriptions (user_id, kind, value, created_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (user_id, kind, normal, stamp),
                )
                added = cursor.rowcount > 0
                if added and int(count) >= MAX_SUBSCRIPTIONS:
                    raise ValueError(f"at most {MAX_SUBSCRIPTIONS} subscriptions per user")
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise
        return added

    async def unfollow(self, user_id: int, kind: SubKind, value: str) -> bool:
        return (
            await self._write(
                "DELETE FROM subscriptions WHERE user_id = ? AND kind = ? AND value = ?",
                (user_id, kind, normalise_value(kind, value)),
            )
            > 0
        )

    async def subscriptions(self, user_id: int) -> list[Subscription]:
        rows = await self._fetch(
            "SELECT user_id, kind, value, created_at FROM subscriptions WHERE user_id = ?"
            " ORDER BY kind DESC, value",
            (user_id,),
        )
        return [
            Subscription(
                int(row[0]),
                "tag" if row[1] == "tag" else "keyword",
                str(row[2]),
                parse_iso(row[3]),
            )
            for row in rows
        ]

    async def get_user(self, user_id: int) -> AlertUser | None:
        rows = await self._fetch(
            "SELECT user_id, paused, unreachable, notice_pending, locale FROM alert_users"
            " WHERE user_id = ?",
            (user_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return AlertUser(int(row[0]), bool(row[1]), bool(row[2]), bool(row[3]), _lang(row[4]))

    async def set_paused(
        self, user_id: int, paused: bool, *, now: dt.datetime | None = None
    ) -> None:
        """Pause or resume a user's alerts. Resuming also clears ``unreachable``: the user
        says they can receive DMs again. Alerts queued while paused are cancelled, not held
        back (a pause means "not now", not "later all at once")."""
        stamp = iso(now or self._clock())
        async with self._store._write_lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                await self._ensure_user(db, user_id, None, stamp)
                if paused:
                    await db.execute(
                        "UPDATE alert_users SET paused = 1, updated_at = ? WHERE user_id = ?",
                        (stamp, user_id),
                    )
                    await self._cancel_pending(db, user_id, "paused", stamp)
                else:
                    await db.execute(
                        "UPDATE alert_users SET paused = 0, unreachable = 0, updated_at = ?"
                        " WHERE user_id = ?",
                        (stamp, user_id),
                    )
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise

    async def set_locale(self, user_id: int, locale: Lang) -> None:
        """Remember the language of the user's client (their alert DMs use it)."""
        await self._write(
            "UPDATE alert_users SET locale = ? WHERE user_id = ? AND locale <> ?",
            (locale, user_id, locale),
        )

    @staticmethod
    async def _cancel_pending(
        db: aiosqlite.Connection, user_id: int, reason: str, stamp: str
    ) -> None:
        await db.execute(
            "UPDATE alert_outbox SET status = 'cancelled', last_error = ?, updated_at = ?"
            " WHERE user_id = ? AND status = 'pending'",
            (reason, stamp, user_id),
        )

    async def mark_unreachable(self, user_id: int, now: dt.datetime, reason: str) -> None:
        """DMs are closed: stop alerts (pending ones cancelled) and tell the user next time
        they use a command (``take_user_notice``)."""
        stamp = iso(now)
        async with self._store._write_lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                await self._ensure_user(db, user_id, None, stamp)
                await db.execute(
                    "UPDATE alert_users SET unreachable = 1, notice_pending = 1, updated_at = ?"
                    " WHERE user_id = ?",
                    (stamp, user_id),
                )
                await self._cancel_pending(db, user_id, reason, stamp)
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise

    async def take_user_notice(self, user_id: int) -> bool:
        """True once after the user was marked unreachable (get-and-clear)."""
        rows = await self._write_returning(
            "UPDATE alert_users SET notice_pending = 0 WHERE user_id = ? AND notice_pending = 1"
            " RETURNING user_id",
            (user_id,),
        )
        return bool(rows)

    # -- the alert outbox -----------------------------------------------------------------

    def alert_hook(self) -> DocumentHook:
        """A ``Store.ingest`` hook queueing alert DMs inside the document's transaction.

        The document's new papers are matched against every active user's tags (via
        ``paper_tags``) and keywords (FTS MATCH with the search's Korean-aware query analysis,
        restricted to the new papers); one outbox row per (user, document) lists the matched
        papers in digest order with why each matched. If the hook fails, the document rolls
        back with it: no paper is ever stored without its alerts queued.
        """

        async def hook(write: DocumentWrite) -> None:
            if write.new_paper_ids:
                await queue_alerts(
                    write.db, write.document_id, write.new_paper_ids, iso(self._clock())
                )

        return hook

    async def claim_alerts(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[AlertClaim]:
        """Claim up to ``limit`` due alerts: pending ones whose ``next_attempt_at`` passed,
        and claims whose lease expired (a crashed worker's; marked ``recovered``).

        Rows of users who meanwhile paused or became unreachable are cancelled instead.
        """
        stamp = iso(now)
        async with self._store._write_lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                await db.execute(
                    "UPDATE alert_outbox SET status = 'cancelled', last_error = 'inactive',"
                    " updated_at = ? WHERE status IN ('pending', 'claimed') AND user_id IN"
                    " (SELECT user_id FROM alert_users u WHERE NOT (" + _ACTIVE_USER + "))",
                    (stamp,),
                )
                rows = list(
                    await db.execute_fetchall(
                        "UPDATE alert_outbox SET status = 'claimed', claim_owner = ?,"
                        " lease_until = ?, attempts = attempts + 1, updated_at = ?,"
                        " last_error = CASE WHEN status = 'claimed' THEN 'lease expired'"
                        " ELSE last_error END"
                        " WHERE id IN (SELECT id FROM alert_outbox WHERE"
                        " (status = 'pending' AND next_attempt_at <= ?)"
                        " OR (status = 'claimed' AND lease_until <= ?)"
                        " ORDER BY next_attempt_at, id LIMIT ?)"
                        " RETURNING id, user_id, document_id, matches, attempts, last_error",
                        (owner, iso(now + lease), stamp, stamp, stamp, limit),
                    )
                )
                locales = {
                    int(row[0]): _lang(row[1])
                    for row in await db.execute_fetchall(
                        "SELECT user_id, locale FROM alert_users WHERE user_id IN"
                        " (SELECT value FROM json_each(?))",
                        (_json(sorted({int(row["user_id"]) for row in rows})),),
                    )
                }
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise
        claims = [
            AlertClaim(
                id=int(row["id"]),
                user_id=int(row["user_id"]),
                document_id=int(row["document_id"]),
                matches=tuple(
                    (int(paper_id), tuple(labels)) for paper_id, labels in json.loads(row[3])
                ),
                attempts=int(row["attempts"]),
                owner=owner,
                locale=locales.get(int(row["user_id"]), "ko"),
                recovered=row["last_error"] == "lease expired",
            )
            for row in rows
        ]
        claims.sort(key=lambda claim: claim.id)
        return claims

    async def mark_alert_sent(
        self, claim: AlertClaim, now: dt.datetime, message_id: int | None
    ) -> bool:
        return (
            await self._write(
                "UPDATE alert_outbox SET status = 'sent', message_id = ?, lease_until = NULL,"
                " last_error = NULL, updated_at = ?"
                " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (message_id, iso(now), claim.id, claim.owner),
            )
            > 0
        )

    async def retry_alert(
        self, claim: AlertClaim, *, now: dt.datetime, next_attempt_at: dt.datetime, error: str
    ) -> bool:
        return (
            await self._write(
                "UPDATE alert_outbox SET status = 'pending', next_attempt_at = ?,"
                " lease_until = NULL, last_error = ?, updated_at = ?"
                " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (iso(next_attempt_at), error[:500], iso(now), claim.id, claim.owner),
            )
            > 0
        )

    async def fail_alert(self, claim: AlertClaim, now: dt.datetime, error: str) -> bool:
        return (
            await self._write(
                "UPDATE alert_outbox SET status = 'failed', lease_until = NULL, last_error = ?,"
                " updated_at = ? WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (error[:500], iso(now), claim.id, claim.owner),
            )
            > 0
        )

    async def alert_rows(self, *, user_id: int | None = None) -> list[dict[str, Any]]:
        """Raw outbox rows (for tests, ``/status`` details and operators)."""
        sql = (
            "SELECT id, user_id, document_id, matches, status, attempts, next_attempt_at,"
            " last_error, message_id FROM alert_outbox"
        )
        params: tuple[object, ...] = ()
        if user_id is not None:
            sql += " WHERE user_id = ?"
            params = (user_id,)
        return [dict(row) for row in await self._fetch(sql + " ORDER BY id", params)]

    # -- sources and status ---------------------------------------------------------------

    async def record_source(
        self,
        source: str,
        *,
        now: dt.datetime,
        ok: bool,
        error: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        """One fetch of a digest source: success clears the error, failure keeps the last
        success time. ``state`` (etags, cursors...) replaces the stored one when given."""
        stamp = iso(now)
        await self._write(
            "INSERT INTO source_status (source, last_fetch_at, last_success_at, last_error,"
            " state, updated_at) VALUES (?, ?, ?, ?, coalesce(?, '{}'), ?)"
            " ON CONFLICT (source) DO UPDATE SET last_fetch_at = excluded.last_fetch_at,"
            " last_success_at = coalesce(excluded.last_success_at, last_success_at),"
            " last_error = excluded.last_error, state = coalesce(?, state),"
            " updated_at = excluded.updated_at",
            (
                source,
                stamp,
                stamp if ok else None,
                None if ok else (error or "error")[:500],
                None if state is None else _json(state),
                stamp,
                None if state is None else _json(state),
            ),
        )

    async def source_statuses(self) -> list[SourceStatus]:
        rows = await self._fetch(
            "SELECT source, last_fetch_at, last_success_at, last_error, state FROM source_status"
            " ORDER BY source"
        )
        return [
            SourceStatus(
                str(row[0]),
                _opt_time(row[1]),
                _opt_time(row[2]),
                row[3],
                json.loads(row[4]),
            )
            for row in rows
        ]

    async def status(self, guild_id: int | None = None) -> CommunityStatus:
        """Counts for ``/status``; ``guild_id`` narrows posts and deliveries to one guild."""
        counts = {
            str(row[0]): int(row[1])
            for row in await self._fetch(
                "SELECT status, count(*) FROM alert_outbox GROUP BY status"
            )
        }
        failed = {
            str(row[0] or "unknown"): int(row[1])
            for row in await self._fetch(
                "SELECT last_error, count(*) FROM alert_outbox WHERE status = 'failed'"
                " GROUP BY last_error ORDER BY count(*) DESC LIMIT 10"
            )
        }
        unreachable = int(
            (await self._fetch("SELECT count(*) FROM alert_users WHERE unreachable = 1"))[0][0]
        )
        guild_filter = "" if guild_id is None else " AND d.guild_id = ?"
        params: tuple[object, ...] = () if guild_id is None else (guild_id,)
        last_posts = tuple(
            LastPost(int(row[0]), _opt_int(row[1]), int(row[2]), parse_iso(row[3]))
            for row in await self._fetch(
                "SELECT d.guild_id, d.channel_id, d.document_id, max(d.finished_at)"
                " FROM deliveries d WHERE d.status = 'sent'"
                + guild_filter
                + " GROUP BY d.guild_id, d.channel_id ORDER BY d.guild_id",
                params,
            )
        )
        failed_deliveries = {
            str(row[0] or "unknown"): int(row[1])
            for row in await self._fetch(
                "SELECT d.last_error, count(*) FROM deliveries d WHERE d.status = 'failed'"
                + guild_filter
                + " GROUP BY d.last_error",
                params,
            )
        }
        disabled = {
            int(row[0]): str(row[1])
            for row in await self._fetch(
                "SELECT guild_id, disabled_reason FROM guild_settings"
                " WHERE disabled_reason IS NOT NULL"
                + ("" if guild_id is None else " AND guild_id = ?"),
                params,
            )
        }
        return CommunityStatus(
            pending_alerts=counts.get("pending", 0),
            claimed_alerts=counts.get("claimed", 0),
            sent_alerts=counts.get("sent", 0),
            failed_alerts=failed,
            unreachable_users=unreachable,
            last_posts=last_posts,
            failed_deliveries=failed_deliveries,
            disabled_guilds=disabled,
            sources=tuple(await self.source_statuses()),
        )


# --------------------------------------------------------------------------------------------
# Matching new papers to subscriptions (runs inside the ingest transaction)


async def _active_keywords(db: aiosqlite.Connection) -> list[str]:
    rows = await db.execute_fetchall(
        "SELECT DISTINCT s.value FROM subscriptions s JOIN alert_users u USING (user_id)"
        " WHERE s.kind = 'keyword' AND " + _ACTIVE_USER
    )
    return [str(row[0]) for row in rows]


async def keyword_matches(
    db: aiosqlite.Connection, keyword: str, paper_ids: Collection[int]
) -> set[int]:
    """Which of ``paper_ids`` the keyword finds, exactly as ``/search`` would (all terms,
    Korean particles stripped, English stems), without prefix completion: a keyword is a
    whole word the user chose, not something half typed."""
    if not paper_ids:
        return set()
    groups = analyse_query(keyword, prefix_min=10_000)
    if not groups:
        return set()
    # A rowid range next to MATCH is applied inside FTS5 (new papers have adjacent ids);
    # a rowid IN list would re-run the MATCH per id (see _search._page).
    rows = await db.execute_fetchall(
        "SELECT rowid FROM paper_search WHERE paper_search MATCH ? AND rowid BETWEEN ? AND ?",
        (match_expression(groups), min(paper_ids), max(paper_ids)),
    )
    wanted = set(paper_ids)
    return {int(row[0]) for row in rows} & wanted


async def queue_alerts(
    db: aiosqlite.Connection, document_id: int, new_paper_ids: Iterable[int], stamp: str
) -> int:
    """Insert/merge one outbox row per user with matches among ``new_paper_ids``.

    Returns the number of users queued. A row still pending (the same document re-ingested
    with more papers) gets the new matches merged in; a row already sent is left alone.
    """
    new_ids = sorted(set(new_paper_ids))
    if not new_ids:
        return 0
    ids_json = _json(new_ids)
    order = {
        int(row[0]): index
        for index, row in enumerate(
            await db.execute_fetchall(
                "SELECT paper_id FROM mentions WHERE document_id = ? ORDER BY position",
                (document_id,),
            )
        )
    }
    matched: dict[int, dict[int, list[str]]] = {}  # user -> paper -> labels

    def add(user_id: int, paper_id: int, label: str) -> None:
        labels = matched.setdefault(user_id, {}).setdefault(paper_id, [])
        if label not in labels:
            labels.append(label)

    for row in await db.execute_fetchall(
        "SELECT s.user_id, s.value, pt.paper_id FROM paper_tags pt"
        " JOIN subscriptions s ON s.kind = 'tag' AND s.value = pt.tag"
        " JOIN alert_users u ON u.user_id = s.user_id"
        " WHERE pt.paper_id IN (SELECT value FROM json_each(?)) AND " + _ACTIVE_USER,
        (ids_json,),
    ):
        add(int(row[0]), int(row[2]), f"#{row[1]}")

    found: dict[str, set[int]] = {}
    for keyword in await _active_keywords(db):
        hits = await keyword_matches(db, keyword, new_ids)
        if hits:
            found[keyword] = hits
    if found:
        for row in await db.execute_fetchall(
            "SELECT s.user_id, s.value FROM subscriptions s JOIN alert_users u USING (user_id)"
            " WHERE s.kind = 'keyword' AND s.value IN (SELECT value FROM json_each(?)) AND "
            + _ACTIVE_USER,
            (_json(sorted(found)),),
        ):
            for paper_id in found[str(row[1])]:
                add(int(row[0]), paper_id, str(row[1]))
    if not matched:
        return 0

    existing = {
        int(row[0]): (str(row[1]), json.loads(row[2]))
        for row in await db.execute_fetchall(
            "SELECT user_id, status, matches FROM alert_outbox WHERE document_id = ?",
            (document_id,),
        )
    }
    rows: list[tuple[object, ...]] = []
    for user_id, papers in matched.items():
        previous = existing.get(user_id)
        if previous is not None:
            if previous[0] != "pending":
                continue  # already being sent or done: late additions do not re-alert
            for paper_id, labels in previous[1]:
                for label in labels:
                    add(user_id, int(paper_id), label)
        ordered = sorted(papers.items(), key=lambda item: (order.get(item[0], 1 << 30), item[0]))
        rows.append((user_id, document_id, _json([[pid, labels] for pid, labels in ordered])))
    await db.executemany(
        "INSERT INTO alert_outbox (user_id, document_id, matches, next_attempt_at, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, document_id) DO UPDATE"
        " SET matches = excluded.matches, updated_at = excluded.updated_at"
        " WHERE alert_outbox.status = 'pending'",
        [(*row, stamp, stamp, stamp) for row in rows],
    )
    return len(rows)
