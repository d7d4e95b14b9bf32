"""Digest sources' health: the last fetch, the last success, the last error, their state."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.clock import iso
from bot.store._db import Database
from bot.store._rows import opt_time, to_json

__all__ = ["SourceStatus", "SourceStore"]


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source: str
    last_fetch_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    state: dict[str, Any]


class SourceStore:
    """One row per digest source, written after every fetch and read by ``/status``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
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
        await self._db.write(
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
                None if state is None else to_json(state),
                stamp,
                None if state is None else to_json(state),
            ),
        )

    async def statuses(self) -> list[SourceStatus]:
        rows = await self._db.fetch(
            "SELECT source, last_fetch_at, last_success_at, last_error, state FROM source_status"
            " ORDER BY source"
        )
        return [
            SourceStatus(
                source=str(row["source"]),
                last_fetch_at=opt_time(row["last_fetch_at"]),
                last_success_at=opt_time(row["last_success_at"]),
                last_error=row["last_error"],
                state=json.loads(row["state"]),
            )
            for row in rows
        ]
