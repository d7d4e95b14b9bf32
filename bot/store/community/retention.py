"""Forgetting: a server's data when the bot leaves it, a user's on request, and old records.

- ``forget_guild``: the server's settings row and every delivery record (cascade).
- ``forget_user``: the user's alert settings, subscriptions and queued or sent alerts
  (cascade from ``alert_users``); nothing else in the store names a user.
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

__all__ = ["PurgeReport", "RetentionStore"]

_FINISHED_DELIVERY = (
    "status IN ('sent', 'skipped', 'failed') AND coalesce(finished_at, updated_at) < :cutoff"
)
_FINISHED_ALERT = "status IN ('sent', 'failed', 'cancelled') AND updated_at < :cutoff"


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

    async def forget_user(self, user_id: int) -> int:
        """Everything the store keeps about a user; how many subscriptions they had."""
        async with self._db.transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT count(*) FROM subscriptions WHERE user_id = ?", (user_id,)
                )
            )
            await db.execute("DELETE FROM alert_users WHERE user_id = ?", (user_id,))
            return int(rows[0][0])

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
