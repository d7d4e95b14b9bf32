"""What ``/status`` shows, gathered across guilds, alerts and sources."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import parse_iso
from bot.store._db import Database
from bot.store._rows import opt_int
from bot.store.community.guilds import DeliveryRecord, GuildStore, LastPost
from bot.store.community.sources import SourceStatus, SourceStore

__all__ = ["CommunityStatus", "community_status"]


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
    #: Claimed announcements: being posted, interrupted, or waiting to retry.
    pending_deliveries: tuple[DeliveryRecord, ...] = ()


async def community_status(db: Database, guild_id: int | None = None) -> CommunityStatus:
    """Counts for ``/status``; ``guild_id`` narrows posts and deliveries to one guild."""
    counts = {
        str(row["status"]): int(row["n"])
        for row in await db.fetch("SELECT status, count(*) AS n FROM alert_outbox GROUP BY status")
    }
    failed = {
        str(row["last_error"] or "unknown"): int(row["n"])
        for row in await db.fetch(
            "SELECT last_error, count(*) AS n FROM alert_outbox WHERE status = 'failed'"
            " GROUP BY last_error ORDER BY count(*) DESC LIMIT 10"
        )
    }
    unreachable = int(
        (await db.fetch("SELECT count(*) AS n FROM alert_users WHERE unreachable = 1"))[0]["n"]
    )
    guild_filter = "" if guild_id is None else " AND d.guild_id = ?"
    params: tuple[object, ...] = () if guild_id is None else (guild_id,)
    last_posts = tuple(
        LastPost(
            guild_id=int(row["guild_id"]),
            channel_id=opt_int(row["channel_id"]),
            document_id=int(row["document_id"]),
            finished_at=parse_iso(row["finished_at"]),
        )
        for row in await db.fetch(
            "SELECT d.guild_id, d.channel_id, d.document_id, max(d.finished_at) AS finished_at"
            " FROM deliveries d WHERE d.status = 'sent'"
            + guild_filter
            + " GROUP BY d.guild_id, d.channel_id ORDER BY d.guild_id",
            params,
        )
    )
    failed_deliveries = {
        str(row["last_error"] or "unknown"): int(row["n"])
        for row in await db.fetch(
            "SELECT d.last_error, count(*) AS n FROM deliveries d WHERE d.status = 'failed'"
            + guild_filter
            + " GROUP BY d.last_error",
            params,
        )
    }
    disabled = {
        int(row["guild_id"]): str(row["disabled_reason"])
        for row in await db.fetch(
            "SELECT guild_id, disabled_reason FROM guild_settings"
            " WHERE disabled_reason IS NOT NULL"
            + ("" if guild_id is None else " AND guild_id = ?"),
            params,
        )
    }
    pending = tuple(await GuildStore(db).claimed_deliveries(guild_id, limit=20))
    return CommunityStatus(
        pending_alerts=counts.get("pending", 0),
        claimed_alerts=counts.get("claimed", 0),
        sent_alerts=counts.get("sent", 0),
        failed_alerts=failed,
        unreachable_users=unreachable,
        last_posts=last_posts,
        failed_deliveries=failed_deliveries,
        disabled_guilds=disabled,
        sources=tuple(await SourceStore(db).statuses()),
        pending_deliveries=pending,
    )
