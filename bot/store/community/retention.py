"""Forgetting: a server's data when the bot leaves it, a user's on request, and old records.

- ``forget_guild``: the server's settings row and every delivery record (cascade).
- ``forget_user``: every row keyed by the user, in every table of ``USER_TABLES`` (alert
  settings, subscriptions, queued and sent alerts, the reading list and its profile); a
  test checks that list against every table of the schema with a ``user_id`` column.
- ``purge``: finished delivery rows and finished alert rows older than a cutoff. A delivery
  row is what says "this issue was taken care of here", so before one goes, the guild's
  baseline (documents never announced on schedule) moves up to its document: an old issue
  never comes back as due once its record is purged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.clock import iso
from bot.store._db import Database

__all__ = ["USER_TABLES", "PurgeReport", "RetentionStore", "UserData"]

#: Every table keyed by a Discord user id: what ``/alerts forget`` deletes. Children of
#: ``alert_users`` (subscriptions, the outbox) also go by cascade; they are listed so the
#: list is the whole truth. A new table with a ``user_id`` column must be added here.
USER_TABLES = (
    "subscriptions",
    "alert_outbox",
    "library",
    "reading_profiles",
    "alert_users",
)

_FINISHED_DELIVERY = (
    "status IN ('sent', 'skipped', 'failed') AND coalesce(finished_at, updated_at) < :cutoff"
)
_FINISHED_ALERT = "status IN ('sent', 'failed', 'cancelled') AND updated_at < :cutoff"


@dataclass(frozen=True, slots=True)
class UserData:
    """What the store keeps about one user."""

    subscriptions: int = 0
    alerts: int = 0  # queued and sent alert DMs
    saved_papers: int = 0  # the reading list
    settings: bool = False  # alert settings (paused, language, recommendations)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    deliveries: int = 0
    alerts: int = 0


class RetentionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def forget_guild(self, guild_id: int) -> bool:
        """Everything the store keeps about a guild; whether there was anything."""
        return (
            await self._db.write("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,)) > 0
        )

    async def user_data(self, user_id: int) -> UserData:
        """What the store keeps about a user, counted (what ``/alerts forget`` will delete)."""
        counts: dict[str, int] = {}
        for table in USER_TABLES:
            rows = await self._db.fetch(
                f"SELECT count(*) FROM {table} WHERE user_id = ?",
                (user_id,),
            )
            counts[table] = int(rows[0][0])
        return UserData(
            subscriptions=counts["subscriptions"],
            alerts=counts["alert_outbox"],
            saved_papers=counts["library"],
            settings=counts["alert_users"] > 0,
        )

    async def forget_user(self, user_id: int) -> UserData:
        """Delete every row keyed by the user, in one transaction; returns what there was."""
        before = await self.user_data(user_id)
        async with self._db.transaction() as db:
            for table in USER_TABLES:
                await db.execute(
                    f"DELETE FROM {table} WHERE user_id = ?",
                    (user_id,),
                )
        return before

    async def purge(self, cutoff: dt.datetime) -> PurgeReport:
        """Delete finished delivery and alert rows last touched before ``cutoff``."""
        params = {"cutoff": iso(cutoff)}
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE guild_settings SET baseline_document_id = max(baseline_document_id,"
                " (SELECT max(d.document_id) FROM deliveries d"
                "  WHERE d.guild_id = guild_settings.guild_id AND d." + _FINISHED_DELIVERY + "))"
                " WHERE EXISTS (SELECT 1 FROM deliveries d"
                "  WHERE d.guild_id = guild_settings.guild_id AND d." + _FINISHED_DELIVERY + ")",
                params,
            )
            deliveries = await db.execute(
                "DELETE FROM deliveries WHERE " + _FINISHED_DELIVERY, params
            )
            alerts = await db.execute("DELETE FROM alert_outbox WHERE " + _FINISHED_ALERT, params)
            return PurgeReport(deliveries=deliveries.rowcount, alerts=alerts.rowcount)
