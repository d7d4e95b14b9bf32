"""Reading lists: the papers each user saved, their reading profile, and the opt-in to
recommendations (picks from each new issue, sent in the user's alert DM).

A reading list is private to its user and capped at ``MAX_SAVED`` papers. Its profile (the
distinctive words and tags of the newest saved papers, ``related.build_profile``) is
recomputed whenever the list changes, so matching a new issue against it inside the ingest
costs only a few string lookups per user. ``forget`` deletes all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.clock import Clock, iso, parse_iso, utcnow
from bot.i18n import Lang
from bot.store._db import Database
from bot.store.papers._reads import FIRST_MENTION, TITLE
from bot.store.papers.picks import PROFILE_PAPERS, build_profile

__all__ = ["MAX_SAVED", "LibraryStore", "SaveOutcome", "SavedPaper"]

MAX_SAVED = 500  # per user; the documented cap (README, /library)

SaveOutcome = Literal["saved", "already", "full", "missing"]


@dataclass(frozen=True, slots=True)
class SavedPaper:
    paper_id: int
    title: str
    arxiv_id: str | None
    saved_at: dt.datetime


class LibraryStore:
    """Saved papers per user; all their SQL lives here."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def save(self, user_id: int, paper_id: int) -> SaveOutcome:
        """Add a paper to the user's list: ``saved``, ``already`` there, list ``full`` (at
        ``MAX_SAVED``), or no such paper (``missing``)."""
        stamp = iso(self._clock())
        async with self._db.transaction() as db:
            found = list(
                await db.execute_fetchall("SELECT 1 FROM papers WHERE id = ?", (paper_id,))
            )
            if not found:
                return "missing"
            present = list(
                await db.execute_fetchall(
                    "SELECT 1 FROM library WHERE user_id = ? AND paper_id = ?",
                    (user_id, paper_id),
                )
            )
            if present:
                return "already"
            counted = list(
                await db.execute_fetchall(
                    "SELECT count(*) FROM library WHERE user_id = ?", (user_id,)
                )
            )
            if int(counted[0][0]) >= MAX_SAVED:
                return "full"
            await db.execute(
                "INSERT INTO library (user_id, paper_id, saved_at) VALUES (?, ?, ?)",
                (user_id, paper_id, stamp),
            )
        await self.refresh_profile(user_id)
        return "saved"

    async def remove(self, user_id: int, paper_id: int) -> bool:
        removed = (
            await self._db.write(
                "DELETE FROM library WHERE user_id = ? AND paper_id = ?", (user_id, paper_id)
            )
            > 0
        )
        if removed:
            await self.refresh_profile(user_id)
        return removed

    async def count(self, user_id: int) -> int:
        rows = await self._db.fetch("SELECT count(*) FROM library WHERE user_id = ?", (user_id,))
        return int(rows[0][0])

    async def contains(self, user_id: int, paper_id: int) -> bool:
        rows = await self._db.fetch(
            "SELECT 1 FROM library WHERE user_id = ? AND paper_id = ?", (user_id, paper_id)
        )
        return bool(rows)

    async def saved(
        self, user_id: int, *, limit: int = MAX_SAVED, offset: int = 0
    ) -> list[SavedPaper]:
        """The user's papers, newest saved first."""
        rows = await self._db.fetch(
            f"SELECT l.paper_id, {TITLE} AS title, p.arxiv_id,"
            f" l.saved_at FROM library l JOIN papers p ON p.id = l.paper_id{FIRST_MENTION}"
            " WHERE l.user_id = ? ORDER BY l.saved_at DESC, l.paper_id DESC LIMIT ? OFFSET ?",
            (user_id, max(0, limit), max(0, offset)),
        )
        return [
            SavedPaper(
                int(row["paper_id"]),
                str(row["title"]),
                None if row["arxiv_id"] is None else str(row["arxiv_id"]),
                parse_iso(row["saved_at"]),
            )
            for row in rows
        ]

    async def forget(self, user_id: int) -> int:
        """Delete the user's reading list, profile and opt-in; returns the papers removed."""
        async with self._db.transaction() as db:
            cursor = await db.execute("DELETE FROM library WHERE user_id = ?", (user_id,))
            removed = cursor.rowcount
            await db.execute("DELETE FROM reading_profiles WHERE user_id = ?", (user_id,))
            await db.execute("UPDATE alert_users SET recommend = 0 WHERE user_id = ?", (user_id,))
        return max(0, removed)

    async def refresh_profile(self, user_id: int) -> None:
        """Recompute the reading profile from the newest saved papers (none: deleted)."""
        rows = await self._db.fetch(
            "SELECT paper_id FROM library WHERE user_id = ?"
            " ORDER BY saved_at DESC, paper_id DESC LIMIT ?",
            (user_id, PROFILE_PAPERS),
        )
        ids = [int(row[0]) for row in rows]
        if not ids:
            await self._db.write("DELETE FROM reading_profiles WHERE user_id = ?", (user_id,))
            return
        profile = await build_profile(self._db.reader, ids)
        await self._db.write(
            "INSERT INTO reading_profiles (user_id, profile, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET profile = excluded.profile,"
            " updated_at = excluded.updated_at",
            (user_id, profile.to_json(), iso(self._clock())),
        )

    # -- recommendations ------------------------------------------------------------------

    async def set_recommend(self, user_id: int, on: bool, *, locale: Lang | None = None) -> None:
        """Opt in to (or out of) picks from each new issue in the alert DM."""
        stamp = iso(self._clock())
        await self._db.write(
            "INSERT INTO alert_users (user_id, locale, recommend, updated_at)"
            " VALUES (?, coalesce(?, 'ko'), ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " recommend = excluded.recommend, locale = coalesce(?, locale),"
            " updated_at = excluded.updated_at",
            (user_id, locale, int(on), stamp, locale),
        )

    async def recommend(self, user_id: int) -> bool:
        rows = await self._db.fetch(
            "SELECT recommend FROM alert_users WHERE user_id = ?", (user_id,)
        )
        return bool(rows and rows[0][0])
