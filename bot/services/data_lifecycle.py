"""What paperbot forgets, and when: a server's data when the bot leaves it, a user's data on
request (``/alerts forget``), and finished delivery records after the retention period.

Discord-free: the client calls ``forget_guild`` from ``on_guild_remove``; the scheduler runs
``purge`` daily (job ``retention:purge``); ``[store] retention_days`` sets the period.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock, utcnow
from bot.i18n import Lang, Msg, t
from bot.store import Store
from bot.store.community.retention import PurgeReport, UserData

__all__ = ["DataLifecycle"]

log = logging.getLogger(__name__)


class DataLifecycle:
    def __init__(
        self,
        store: Store,
        *,
        retention: dt.timedelta,
        on_guild_forgotten: Callable[[int], Awaitable[object]] | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.store = store
        self.retention = retention
        self.on_guild_forgotten = on_guild_forgotten  # the scheduler drops the guild's job
        self.clock = clock

    async def forget_guild(self, guild_id: int) -> bool:
        """The bot left a server: its settings and deliveries go."""
        removed = await self.store.retention.forget_guild(guild_id)
        if self.on_guild_forgotten is not None:
            await self.on_guild_forgotten(guild_id)
        if removed:
            log.info("left guild %s: its settings and deliveries are deleted", guild_id)
        return removed

    async def forget_user_prompt(self, user_id: int, lang: Lang) -> str:
        """What ``/alerts forget`` will delete, asked before doing it."""
        data = await self.store.retention.user_data(user_id)
        return t("alerts.forget_confirm", lang, what=_what_goes(data, lang))

    async def forget_user(self, user_id: int, lang: Lang) -> str:
        """Delete every row keyed by the user; the confirmation names what went."""
        data = await self.store.retention.forget_user(user_id)
        return t("alerts.forgotten", lang, what=_what_goes(data, lang))

    async def purge(self, now: dt.datetime | None = None) -> PurgeReport:
        """Delete finished delivery and alert records older than the retention period."""
        cutoff = (now or self.clock()) - self.retention
        report = await self.store.retention.purge(cutoff)
        if report.deliveries or report.alerts:
            log.info(
                "retention: purged %d delivery and %d alert records finished before %s",
                report.deliveries,
                report.alerts,
                cutoff.isoformat(),
            )
        return report


def _what_goes(data: UserData, lang: Lang) -> str:
    """Every kind of data a user has, named with its count (all of them, even at zero, so
    the member sees what paperbot keeps)."""
    return t(
        "alerts.forget_what",
        lang,
        topics=Msg("alerts.forget_topics", {"count": data.subscriptions}),
        papers=Msg("alerts.forget_papers", {"count": data.saved_papers}),
        alerts=Msg("alerts.forget_alerts", {"count": data.alerts}),
    )
