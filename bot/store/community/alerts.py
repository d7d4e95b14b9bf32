"""Topic alerts: users, their subscriptions, and the DM outbox.

An alert is an ``alert_outbox`` row per (user, issue), written in the ingest transaction that
stored the papers (``AlertStore.queue_hook``, which the store runs on every ingest, whoever
calls it), then claimed in batches with a lease and marked sent, failed or retried.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from bot.clock import Clock, iso, parse_iso, utcnow
from bot.i18n import Lang
from bot.search.mentions import canonical_tag
from bot.store._db import Database
from bot.store._rows import to_json
from bot.store.community._alert_matching import ACTIVE_USER, queue_alerts
from bot.store.papers._ingest import DocumentWrite

__all__ = [
    "MAX_SUBSCRIPTIONS",
    "AlertClaim",
    "AlertStore",
    "AlertUser",
    "SubKind",
    "Subscription",
    "normalise_keyword",
    "normalise_value",
]

SubKind = Literal["tag", "keyword"]

MAX_SUBSCRIPTIONS = 50  # per user: keeps the per-document matching bounded


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
    # papers picked from the user's reading list (``/alerts recommend``), best first, with why
    picks: tuple[tuple[int, tuple[str, ...]], ...] = ()

    @property
    def paper_ids(self) -> list[int]:
        return [paper_id for paper_id, _ in (*self.matches, *self.picks)]


def _lang(value: str | None) -> Lang:
    return "en" if value == "en" else "ko"


_SPACES = re.compile(r"\s+")


def normalise_keyword(text: str) -> str:
    """One form per keyword: trimmed, single spaces, case-folded (matching ignores case)."""
    return _SPACES.sub(" ", text.strip()).casefold()[:100]


def normalise_value(kind: SubKind, value: str) -> str:
    text = value.encode("utf-8", "replace").decode("utf-8")
    return canonical_tag(text) if kind == "tag" else normalise_keyword(text)


class AlertStore:
    """Users, subscriptions and the alert outbox; all their SQL lives here."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db = db
        self._clock = clock

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
        async with self._db.transaction() as db:
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
        return added

    async def unfollow(self, user_id: int, kind: SubKind, value: str) -> bool:
        return (
            await self._db.write(
                "DELETE FROM subscriptions WHERE user_id = ? AND kind = ? AND value = ?",
                (user_id, kind, normalise_value(kind, value)),
            )
            > 0
        )

    async def subscriptions(self, user_id: int) -> list[Subscription]:
        rows = await self._db.fetch(
            "SELECT user_id, kind, value, created_at FROM subscriptions WHERE user_id = ?"
            " ORDER BY kind DESC, value",
            (user_id,),
        )
        return [
            Subscription(
                int(row["user_id"]),
                "tag" if row["kind"] == "tag" else "keyword",
                str(row["value"]),
                parse_iso(row["created_at"]),
            )
            for row in rows
        ]

    async def get_user(self, user_id: int) -> AlertUser | None:
        rows = await self._db.fetch(
            "SELECT user_id, paused, unreachable, notice_pending, locale FROM alert_users"
            " WHERE user_id = ?",
            (user_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return AlertUser(
            user_id=int(row["user_id"]),
            paused=bool(row["paused"]),
            unreachable=bool(row["unreachable"]),
            notice_pending=bool(row["notice_pending"]),
            locale=_lang(row["locale"]),
        )

    async def set_paused(
        self, user_id: int, paused: bool, *, now: dt.datetime | None = None
    ) -> None:
        """Pause or resume a user's alerts. Resuming also clears ``unreachable``: the user
        says they can receive DMs again. Alerts queued while paused are cancelled, not held
        back (a pause means "not now", not "later all at once")."""
        stamp = iso(now or self._clock())
        async with self._db.transaction() as db:
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

    async def set_locale(self, user_id: int, locale: Lang) -> None:
        """Remember the language of the user's client (their alert DMs use it)."""
        await self._db.write(
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
        async with self._db.transaction() as db:
            await self._ensure_user(db, user_id, None, stamp)
            await db.execute(
                "UPDATE alert_users SET unreachable = 1, notice_pending = 1, updated_at = ?"
                " WHERE user_id = ?",
                (stamp, user_id),
            )
            await self._cancel_pending(db, user_id, reason, stamp)

    async def take_user_notice(self, user_id: int) -> bool:
        """True once after the user was marked unreachable (get-and-clear)."""
        rows = await self._db.write_returning(
            "UPDATE alert_users SET notice_pending = 0 WHERE user_id = ? AND notice_pending = 1"
            " RETURNING user_id",
            (user_id,),
        )
        return bool(rows)

    # -- the alert outbox -----------------------------------------------------------------

    async def queue_hook(self, write: DocumentWrite) -> None:
        """The ``Store.ingest`` hook queueing alert DMs inside the document's transaction.

        The document's new papers are matched against every active user's tags (via
        ``paper_tags``) and keywords (FTS MATCH with the search's Korean-aware query analysis,
        restricted to the new papers); one outbox row per (user, document) lists the matched
        papers in digest order with why each matched. If the hook fails, the document rolls
        back with it: no paper is ever stored without its alerts queued.
        """
        if write.new_paper_ids:
            await queue_alerts(write.db, write.document_id, write.new_paper_ids, iso(self._clock()))

    async def claim_alerts(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[AlertClaim]:
        """Claim up to ``limit`` due alerts: pending ones whose ``next_attempt_at`` passed,
        and claims whose lease expired (a crashed worker's; marked ``recovered``).

        Rows of users who meanwhile paused or became unreachable are cancelled instead.
        """
        stamp = iso(now)
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE alert_outbox SET status = 'cancelled', last_error = 'inactive',"
                " updated_at = ? WHERE status IN ('pending', 'claimed') AND user_id IN"
                " (SELECT user_id FROM alert_users u WHERE NOT (" + ACTIVE_USER + "))",
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
                    " RETURNING id, user_id, document_id, matches, picks, attempts, last_error",
                    (owner, iso(now + lease), stamp, stamp, stamp, limit),
                )
            )
            locales = {
                int(row["user_id"]): _lang(row["locale"])
                for row in await db.execute_fetchall(
                    "SELECT user_id, locale FROM alert_users WHERE user_id IN"
                    " (SELECT value FROM json_each(?))",
                    (to_json(sorted({int(row["user_id"]) for row in rows})),),
                )
            }
        claims = [
            AlertClaim(
                id=int(row["id"]),
                user_id=int(row["user_id"]),
                document_id=int(row["document_id"]),
                matches=tuple(
                    (int(paper_id), tuple(labels))
                    for paper_id, labels in json.loads(row["matches"])
                ),
                attempts=int(row["attempts"]),
                owner=owner,
                locale=locales.get(int(row["user_id"]), "ko"),
                recovered=row["last_error"] == "lease expired",
                picks=tuple(
                    (int(paper_id), tuple(reasons))
                    for paper_id, _score, reasons in json.loads(row["picks"])
                ),
            )
            for row in rows
        ]
        claims.sort(key=lambda claim: claim.id)
        return claims

    async def outbox_depth(self) -> int:
        """Alerts not yet handled: pending (due or backing off) or claimed."""
        rows = await self._db.fetch(
            "SELECT count(*) AS n FROM alert_outbox WHERE status IN ('pending', 'claimed')"
        )
        return int(rows[0]["n"])

    async def mark_alert_sent(
        self, claim: AlertClaim, now: dt.datetime, message_id: int | None
    ) -> bool:
        return (
            await self._db.write(
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
            await self._db.write(
                "UPDATE alert_outbox SET status = 'pending', next_attempt_at = ?,"
                " lease_until = NULL, last_error = ?, updated_at = ?"
                " WHERE id = ? AND claim_owner = ? AND status = 'claimed'",
                (iso(next_attempt_at), error[:500], iso(now), claim.id, claim.owner),
            )
            > 0
        )

    async def fail_alert(self, claim: AlertClaim, now: dt.datetime, error: str) -> bool:
        return (
            await self._db.write(
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
        return [dict(row) for row in await self._db.fetch(sql + " ORDER BY id", params)]
