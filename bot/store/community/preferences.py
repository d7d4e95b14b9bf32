"""Per-server preferences that are not announcement settings (``guild_preferences``)."""

from __future__ import annotations

import datetime as dt

from bot.clock import Clock, iso, utcnow
from bot.store._db import Database

__all__ = ["PreferenceStore"]


class PreferenceStore:
    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def search_public(self, guild_id: int) -> bool:
        """Whether ``/search`` answers for everyone in this server (the default)."""
        rows = await self._db.fetch(
            "SELECT search_public FROM guild_preferences WHERE guild_id = ?", (guild_id,)
        )
        return bool(rows[0]["search_public"]) if rows else True

    async def set_search_public(
        self, guild_id: int, public: bool, *, now: dt.datetime | None = None
    ) -> None:
        await self._db.write(
            "INSERT INTO guild_preferences (guild_id, search_public, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET search_public = excluded.search_public,"
            " updated_at = excluded.updated_at",
            (guild_id, int(public), iso(now or self._clock())),
        )

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.write("DELETE FROM guild_preferences WHERE guild_id = ?", (guild_id,))
