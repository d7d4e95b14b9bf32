"""Server announcement settings, previews, "post now" and status, as plain data for the cogs.

Discord-free: the cogs parse the interaction and check permissions; this module validates,
calls the store and the ``Announcer`` and renders replies (text and embed dicts) in a language.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, fields, replace
from zoneinfo import ZoneInfo

from bot.clock import Clock, utcnow
from bot.delivery import Announcer
from bot.digests.models import DigestKind
from bot.i18n import Lang, Msg, MsgList, t
from bot.render.admin import PendingAnnouncement, reason_text, settings_embed, status_embed
from bot.render.message import Embed, Message
from bot.services.refusals import UserFacingError
from bot.store import Store
from bot.store.community.guilds import GuildSettings
from bot.store.community.slots import (
    DEFAULT_TIMEZONE,
    ScheduleError,
    parse_time,
    valid_zone,
    zone_names,
)

__all__ = [
    "ANNOUNCE_PERMISSIONS",
    "COMMON_TIMEZONES",
    "ServerAdmin",
    "SettingsChange",
    "parse_kinds",
    "timezone_choices",
]

COMMON_TIMEZONES = (
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)
# One line per admin change, for the operator: who, which server, what (ids and setting
# values only: never a token, never digest text).
audit = logging.getLogger("bot.audit")

# What the bot needs in an announcement channel (discord.py's permission names): to see it,
# post the overview with its embed, find its own earlier posts after a crash (history), open
# the thread and post the papers in it.
ANNOUNCE_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "embed_links",
    "read_message_history",
    "create_public_threads",
    "send_messages_in_threads",
)
DEFAULT_WEEKDAY = 0
DEFAULT_TIME = "09:00"
AUTOCOMPLETE_LIMIT = 25


def timezone_choices(typed: str) -> list[str]:
    """Common zones first, then any IANA zone containing what was typed."""
    needle = typed.strip().casefold()
    common = [zone for zone in COMMON_TIMEZONES if needle in zone.casefold()]
    if len(needle) < 2:
        return common[:AUTOCOMPLETE_LIMIT]
    rest = sorted(
        zone
        for zone in zone_names()
        if needle in zone.casefold() and zone not in common and valid_zone(zone)
    )
    return (common + rest)[:AUTOCOMPLETE_LIMIT]


def valid_timezone(name: str) -> str:
    """An IANA zone this runtime resolves, else a refusal: never ``localtime``,
    ``posixrules``, ``Factory`` or a path (a slot must not depend on the host)."""
    zone = name.strip()
    if not valid_zone(zone):
        raise UserFacingError("settings.bad_timezone", zone=name[:60])
    return zone


def check_announce_channel(granted: Collection[str], channel_mention: str) -> None:
    """Refuse a channel where the bot lacks any permission announcements need, naming them."""
    missing = [name for name in ANNOUNCE_PERMISSIONS if name not in granted]
    if missing:
        names = MsgList(tuple(Msg(f"perm.{name}") for name in missing))
        raise UserFacingError("settings.bad_channel", channel=channel_mention, permissions=names)


def check_ping_role(*, mentionable: bool, can_mention_everyone: bool, role_mention: str) -> None:
    """A role the bot cannot ping would make every announcement ping nobody: refuse it."""
    if not mentionable and not can_mention_everyone:
        raise UserFacingError("settings.bad_role", role=role_mention)


def parse_kinds(text: str) -> list[str]:
    words = [word for word in text.replace(",", " ").lower().split() if word]
    try:
        kinds = sorted({DigestKind(word).value for word in words})
    except ValueError as exc:
        raise UserFacingError("settings.bad_kinds") from exc
    if not kinds:
        raise UserFacingError("settings.bad_kinds")
    return kinds


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """What one ``/settings`` subcommand changes; unset fields keep their value."""

    channel_id: int | None = None
    weekday: int | None = None
    time: str | None = None
    timezone: str | None = None
    role_id: int | None = None
    set_role: bool = False  # role_id None with set_role: no ping any more
    kinds: list[str] | None = None
    language: Lang | None = None

    def describe(self) -> str:
        """What changes, as ``name=value`` pairs: ``channel_id=42 time=09:00``."""
        parts = [
            f"{f.name}={_plain(getattr(self, f.name))}"
            for f in fields(self)
            if f.name != "set_role" and getattr(self, f.name) is not None
        ]
        if self.set_role and self.role_id is None:
            parts.append("role_id=none")
        return " ".join(parts)


def _plain(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


class ServerAdmin:
    def __init__(
        self,
        store: Store,
        announcer: Announcer,
        *,
        on_change: Callable[[int], Awaitable[object]] | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.store = store
        self.announcer = announcer
        self.on_change = on_change  # the scheduler re-creates the guild's job
        self.clock = clock

    async def notice(self, guild_id: int, lang: Lang) -> str | None:
        """The "announcements are paused" notice for an admin, once."""
        reason = await self.store.guilds.take_guild_notice(guild_id)
        if reason is None:
            return None
        return t("announce.disabled_notice", lang, reason=reason_text(reason, lang))

    async def change(
        self, guild_id: int, change: SettingsChange, *, actor: int | None = None
    ) -> GuildSettings:
        """Apply ``change`` for the admin ``actor`` (a user id) and log it in the audit."""
        current = await self.store.guilds.get_guild(guild_id)
        if current is None and change.channel_id is None:
            raise UserFacingError("settings.need_channel")
        if change.time is not None:
            try:
                parse_time(change.time)
            except ScheduleError as exc:
                raise UserFacingError("settings.bad_time", time=change.time[:20]) from exc
        timezone = valid_timezone(change.timezone) if change.timezone is not None else None
        if current is not None and current.fault == "corrupt_settings":
            # nothing stored can be trusted: start again from the defaults and this change
            if change.channel_id is None:
                raise UserFacingError("settings.need_channel_again")
            current = None
        if timezone is None and current is not None and not valid_zone(current.timezone):
            timezone = valid_timezone(current.timezone)  # refused: name the zone to replace
        role_id = change.role_id if change.set_role else (current.role_id if current else None)
        settings = await self.store.guilds.configure_guild(
            guild_id,
            channel_id=change.channel_id or (current.channel_id if current else 0),
            weekday=_pick(change.weekday, current.weekday if current else DEFAULT_WEEKDAY),
            time=change.time or (current.time if current else DEFAULT_TIME),
            timezone=timezone or (current.timezone if current else DEFAULT_TIMEZONE),
            role_id=role_id,
            kinds=change.kinds or (current.kinds if current else (DigestKind.WEEKLY.value,)),
            language=change.language or (current.language if current else "ko"),
            now=self.clock(),
        )
        audit.info("settings: user=%s guild=%d %s", actor, guild_id, change.describe())
        if self.on_change is not None:
            await self.on_change(guild_id)
        return settings

    async def channel_id(self, guild_id: int) -> int | None:
        """The server's announcement channel, if it chose one."""
        settings = await self.store.guilds.get_guild(guild_id)
        return settings.channel_id if settings is not None else None

    async def show(self, guild_id: int, lang: Lang) -> Embed:
        settings = await self.store.guilds.get_guild(guild_id)
        if settings is None:
            raise UserFacingError("settings.need_channel")
        chart = await self.store.guilds.announce_chart(guild_id)
        embed = settings_embed(settings, lang, self.clock(), trend_chart=chart)
        public = await self.store.guilds.search_public(guild_id)
        embed["fields"].append(
            {
                "name": t("settings.search_replies", lang),
                "value": t("settings.search_public" if public else "settings.search_private", lang),
                "inline": False,
            }
        )
        return embed

    async def set_search_public(self, guild_id: int, public: bool, lang: Lang) -> str:
        """``/settings search-replies``: who sees ``/search`` results (needs no channel)."""
        await self.store.guilds.set_search_public(guild_id, public, now=self.clock())
        key = "settings.search_now_public" if public else "settings.search_now_private"
        return t(key, lang)

    async def preview(self, guild_id: int, lang: Lang) -> Message:
        if await self.store.guilds.get_guild(guild_id) is None:
            raise UserFacingError("settings.need_channel")
        preview = await self.announcer.preview(guild_id)
        if preview is None:
            return Message(content=t("announce.preview_empty", lang))
        header = t(
            "announce.preview_header",
            lang,
            thread=preview.thread_name,
            count=len(preview.papers),
        )
        content = f"{header}\n\n{preview.overview.content}".strip()
        return Message(content=content[:2000], embeds=list(preview.overview.embeds)[:10])

    async def post_now(self, guild_id: int, lang: Lang, *, actor: int | None = None) -> str:
        settings = await self.store.guilds.get_guild(guild_id)
        if settings is None:
            raise UserFacingError("settings.need_channel")
        if settings.fault is not None:
            raise UserFacingError("announce.paused", reason=reason_text(settings.fault, lang))
        result = await self.announcer.post_now(guild_id, self.clock())
        audit.info(
            "announce now: user=%s guild=%d channel=%d document=%s outcome=%s",
            actor,
            guild_id,
            settings.channel_id,
            result.document_id,
            result.outcome,
        )
        reason = reason_text(result.error or "error", lang)
        if result.outcome == "sent":
            return t("announce.now.sent", lang, channel=settings.channel_id)
        if result.outcome == "failed":
            return t("announce.now.failed", lang, reason=reason)
        if result.outcome in ("retry", "stalled"):
            when = _clock_time(result.retry_at, settings.timezone)
            return t(f"announce.now.{result.outcome}", lang, reason=reason, when=when)
        key = {"already": "already", "busy": "busy", "lost": "busy"}.get(result.outcome, "nothing")
        return t(f"announce.now.{key}", lang)

    async def status(
        self, guild_id: int | None, lang: Lang, *, include_global: bool = False
    ) -> Embed:
        """``/status`` for one server: its posts and failures, and the digest sources it is
        fed from. ``include_global`` (the bot's owner only): the alert backlog, unreachable
        users and alert failures, which concern every server's members."""
        status = await self.store.status(guild_id)
        zone = DEFAULT_TIMEZONE
        if guild_id is not None:
            settings = await self.store.guilds.get_guild(guild_id)
            faulted = [settings] if settings is not None and settings.fault else []
            if settings is not None and valid_zone(settings.timezone):
                zone = settings.timezone
        else:
            faulted = [g for g in await self.store.guilds.configured_guilds() if g.fault]
        if faulted:  # a row the bot cannot use pauses that server: say why
            disabled = dict(status.disabled_guilds)
            disabled.update({g.guild_id: g.fault for g in faulted if g.fault})
            status = replace(status, disabled_guilds=disabled)
        now = self.clock()
        pending = [
            PendingAnnouncement(
                channel_id=record.channel_id or 0,
                state=self.announcer.state(record, now),
                papers_posted=record.papers_posted,
                attempts=record.attempts,
                last_error=record.last_error,
                next_attempt=self.announcer.next_attempt(record),
            )
            for record in status.pending_deliveries
        ]
        return status_embed(status, lang, zone, pending, include_global=include_global)


def _clock_time(when: dt.datetime | None, zone: str) -> str:
    if when is None:
        return "?"
    if not valid_zone(zone):
        zone = "UTC"
    return f"{when.astimezone(ZoneInfo(zone)):%H:%M:%S} ({zone})"


def _pick(value: int | None, default: int) -> int:
    return default if value is None else value
