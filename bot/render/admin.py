"""Replies for server admins and alert followers: settings, status, subscription lists."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.i18n import Lang, t
from bot.i18n.user_text import quote_user_text
from bot.render.message import Embed
from bot.store.community.alerts import AlertUser, Subscription
from bot.store.community.guilds import DeliveryState, GuildSettings
from bot.store.community.status import CommunityStatus

__all__ = [
    "PendingAnnouncement",
    "reason_text",
    "settings_embed",
    "status_embed",
    "subscriptions_embed",
]


@dataclass(frozen=True, slots=True)
class PendingAnnouncement:
    """An announcement not finished yet, as ``/status`` tells it."""

    channel_id: int
    state: DeliveryState
    papers_posted: int
    attempts: int
    last_error: str | None
    next_attempt: dt.datetime | None  # when recovery takes it (stalled or waiting)


_TRANSIENT = "transient error"
_GAVE_UP = re.compile(r"gave up after (\d+) attempts: (.*)", re.S)
_FORBIDDEN_CODES = {50001: "announce.reason.missing_access", 50007: "status.reason.closed_dms"}
_NOT_FOUND_CODES = {
    10003: "announce.reason.not_found",
    10004: "announce.reason.unknown_guild",
    10008: "announce.reason.unknown_message",
    10013: "status.reason.unknown_user",
}


def reason_text(reason: str, lang: Lang) -> str:
    """A stored failure reason (``forbidden:50013``, ``closed_dms``, ``transient error 500``,
    an exception's text...) as a plain phrase for admins; never the raw internal text."""
    if (gave_up := _GAVE_UP.fullmatch(reason)) is not None:
        attempts = int(gave_up.group(1))
        inner = reason_text(gave_up.group(2), lang)
        return t("status.reason.gave_up", lang, count=attempts, reason=inner)
    if reason.startswith((_TRANSIENT, "Transient:")):
        return _transient_text(reason.removeprefix("Transient:").strip(), lang)
    head, _, code = reason.partition(":")
    if head == "forbidden":
        number = _code(code)
        if number in _FORBIDDEN_CODES:
            return t(_FORBIDDEN_CODES[number], lang)
        return t("announce.reason.forbidden", lang) + (f" ({number})" if number else "")
    if head == "not_found":
        return t(_NOT_FOUND_CODES.get(_code(code), "announce.reason.not_found"), lang)
    if head in ("closed_dms", "unknown_user", "inactive"):
        return t(f"status.reason.{head}", lang)
    if head == "bad_timezone":
        return t("announce.reason.bad_timezone", lang, zone=code[:60])
    if head == "corrupt_settings":
        return t("announce.reason.corrupt_settings", lang)
    if head in ("ClosedDMs", "NotFound", "Forbidden"):  # an exception's name and text
        return reason_text(code.strip().replace(" (", ":", 1).split(")")[0], lang)
    return t("status.reason.unexpected", lang)


def _code(text: str) -> int:
    digits = text.strip().split()[0] if text.strip() else ""
    return int(digits) if digits.isascii() and digits.isdecimal() else 0


def _transient_text(reason: str, lang: Lang) -> str:
    """``transient error 500``, ``transient error 429``, ``transient error
    TimeoutError()``: Discord's trouble, retried by the bot."""
    detail = reason.removeprefix(_TRANSIENT).strip()
    status = _code(detail)
    if status == 429 or "rate limit" in detail.casefold():
        return t("status.reason.rate_limited", lang)
    if status >= 500:
        return t("status.reason.discord_server", lang, status=status)
    if status:
        return t("status.reason.discord_http", lang, status=status)
    return t("status.reason.network", lang)


def _when(value: dt.datetime | None, zone: str, lang: Lang) -> str:
    if value is None:
        return t("status.never", lang)
    local = value.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} ({zone})"


def _when_exact(value: dt.datetime | None, zone: str, lang: Lang) -> str:
    """To the second: retries are seconds apart."""
    if value is None:
        return t("status.never", lang)
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M:%S} ({zone})"


def _pending_line(pending: PendingAnnouncement, lang: Lang, zone: str) -> str:
    return t(
        f"status.pending.{pending.state}",
        lang,
        channel=pending.channel_id,
        papers=pending.papers_posted,
        when=_when_exact(pending.next_attempt, zone, lang),
    )


def _pending_failure(pending: PendingAnnouncement, lang: Lang) -> str | None:
    if pending.state == "waiting":
        return t(
            "status.failure.retrying",
            lang,
            attempts=pending.attempts,
            reason=reason_text(pending.last_error or "error", lang),
        )
    if pending.state == "stalled":
        return t("status.failure.stalled", lang, papers=pending.papers_posted)
    return None


def settings_embed(
    settings: GuildSettings, lang: Lang, now: dt.datetime, *, trend_chart: bool = False
) -> Embed:
    """The settings as fields; with ``trend_chart`` a line says the weekly trend chart goes
    with announcements (off, the default, adds nothing). A row that could not be read shows
    only why announcements are paused (its values are placeholders, not the server's)."""
    if settings.fault == "corrupt_settings":
        reason = (t("settings.paused", lang), reason_text(settings.fault, lang))
        return {
            "title": t("settings.title", lang),
            "fields": [{"name": reason[0], "value": reason[1], "inline": False}],
        }
    none = t("settings.none", lang)
    fields = [
        (t("settings.channel", lang), f"<#{settings.channel_id}>"),
        (
            t("settings.schedule", lang),
            t(
                "settings.schedule_value",
                lang,
                weekday=t(f"weekday.{settings.weekday}", lang),
                time=settings.time,
                zone=settings.timezone,
            ),
        ),
        (t("settings.role", lang), f"<@&{settings.role_id}>" if settings.role_id else none),
        (
            t("settings.kinds", lang),
            ", ".join(t(f"kind.{kind}", lang) for kind in settings.kinds),
        ),
        (t("settings.language", lang), t(f"language.{settings.language}", lang)),
    ]
    if trend_chart:
        fields.append((t("settings.trend_chart", lang), t("settings.trend_chart_on", lang)))
    if settings.fault is None:  # a faulted row has no slot to compute
        next_post = settings.schedule.next_slot_after(now)
        fields.append((t("settings.next_post", lang), _when(next_post, settings.timezone, lang)))
    if settings.reason is not None:
        fields.append((t("settings.paused", lang), reason_text(settings.reason, lang)))
    return {
        "title": t("settings.title", lang),
        "fields": [{"name": name, "value": value, "inline": False} for name, value in fields],
    }


def _lines(lines: Iterable[str], empty: str, limit: int = 1024) -> str:
    text = ""
    for line in lines:
        if len(text) + len(line) + 1 > limit - 1:
            return text + "…"
        text += line + "\n"
    return text.strip() or empty


def status_embed(
    status: CommunityStatus,
    lang: Lang,
    zone: str,
    pending: Sequence[PendingAnnouncement] = (),
    *,
    include_global: bool = True,
) -> Embed:
    """``include_global=False`` leaves out what is not the server's own business: the alert
    backlog, unreachable users and alert failures (every server's members)."""
    sources = _lines(
        (
            t(
                "status.source_error" if source.last_error else "status.source_ok",
                lang,
                name=source.source[:80],
                when=_when(source.last_fetch_at, zone, lang),
                error=(source.last_error or "")[:200],
            )
            for source in status.sources
        ),
        t("status.no_sources", lang),
    )
    posts = _lines(
        (
            t(
                "status.post_line",
                lang,
                channel=post.channel_id or 0,
                when=_when(post.finished_at, zone, lang),
            )
            for post in status.last_posts
        ),
        t("status.no_posts", lang),
    )
    alerts = t(
        "status.alert_counts",
        lang,
        pending=status.pending_alerts,
        claimed=status.claimed_alerts,
        sent=status.sent_alerts,
        unreachable=status.unreachable_users,
    )
    failure_lines = [line for one in pending if (line := _pending_failure(one, lang))]
    for reason in status.disabled_guilds.values():
        failure_lines.append(
            t(
                "status.failure_line",
                lang,
                what=t("status.failure.disabled", lang),
                reason=reason_text(reason, lang),
                count=1,
            )
        )
    for reason, count in status.failed_deliveries.items():
        failure_lines.append(
            t(
                "status.failure_line",
                lang,
                what=t("status.failure.post", lang),
                reason=reason_text(reason, lang),
                count=count,
            )
        )
    for reason, count in status.failed_alerts.items() if include_global else ():
        failure_lines.append(
            t(
                "status.failure_line",
                lang,
                what=t("status.failure.alert", lang),
                reason=reason_text(reason, lang),
                count=count,
            )
        )
    failures = _lines(failure_lines, t("status.no_failures", lang))
    fields = [
        {"name": t("status.sources", lang), "value": sources, "inline": False},
        {"name": t("status.posts", lang), "value": posts, "inline": False},
    ]
    if pending:
        under_way = _lines((_pending_line(one, lang, zone) for one in pending), "")
        fields.append({"name": t("status.pending", lang), "value": under_way, "inline": False})
    if include_global:
        fields.append({"name": t("status.alerts", lang), "value": alerts, "inline": False})
    fields.append({"name": t("status.failures", lang), "value": failures, "inline": False})
    return {"title": t("status.title", lang), "fields": fields}


def subscriptions_embed(subs: Sequence[Subscription], user: AlertUser | None, lang: Lang) -> Embed:
    """A follower's tags and keywords, and whether their alerts are on."""
    if user is not None and user.unreachable:
        state = t("alerts.state_unreachable", lang)
    elif user is not None and user.paused:
        state = t("alerts.state_paused", lang)
    else:
        state = t("alerts.state_active", lang)
    if not subs:
        return {
            "title": t("alerts.list_title", lang),
            "description": t("alerts.list_empty", lang),
        }
    tags = [quote_user_text(sub.value) for sub in subs if sub.kind == "tag"]
    keywords = [quote_user_text(sub.value) for sub in subs if sub.kind == "keyword"]
    fields = []
    if tags:
        fields.append({"name": t("alerts.tags", lang), "value": ", ".join(tags)[:1024]})
    if keywords:
        fields.append({"name": t("alerts.keywords", lang), "value": ", ".join(keywords)[:1024]})
    return {"title": t("alerts.list_title", lang), "description": state, "fields": fields}
