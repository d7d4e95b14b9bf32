"""/trends: the most discussed tags per week, as data (``TrendSeries``) and as a PNG chart.

The window is ``weeks`` consecutive ISO weeks ending with the week of the newest digest dated
today or earlier: the current week on a live server, the last active weeks of a quiet or
archived one (the chart's title says which weeks it shows). Counts are mentions per tag per
week (``bot.store.papers.trends``).

Rising tags compare the last quarter of the window (``recent_weeks``: 3 of 12 weeks, at least
one) with the weeks before it. A tag's *share* in a period is its mentions divided by the
mentions of all tags in that period; a tag is rising when its share in the recent weeks is
higher than before, with at least ``MIN_RECENT_MENTIONS`` recent mentions (one mention in a
quiet week is no trend). The (up to) three with the largest growth in share are named, ties
going to more recent mentions. With no tag mentions before the recent weeks there is nothing
to compare with, and the reply says so.

Charts are drawn off the event loop (a worker thread: matplotlib is synchronous and takes a
few hundred milliseconds) and kept in a small cache keyed by (last week, weeks, language,
store version): a repeated ``/trends`` costs two small queries, and a new digest makes a new
chart. Concurrent identical requests share one drawing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.clock import Clock, utcnow
from bot.i18n import Lang
from bot.render.chart_text import chart_description, chart_filename, trend_summary
from bot.render.charts import render_trend_chart
from bot.render.message import Attachment
from bot.services.refusals import BadQueryError, NotFoundError
from bot.store import Store
from bot.store.community.guilds import GuildSettings
from bot.store.papers.trends import RisingTag, TrendSeries, WeekTagCount, monday_of

__all__ = [
    "DEFAULT_WEEKS",
    "MAX_WEEKS",
    "MIN_WEEKS",
    "TrendChart",
    "Trends",
    "build_series",
    "recent_weeks_for",
    "rising_tags",
]

log = logging.getLogger(__name__)

DEFAULT_WEEKS = 12
MIN_WEEKS = 4
MAX_WEEKS = 52
TOP_TAGS = 10  # rows of the chart, plus any rising tag outside them
RISING_LIMIT = 3
MIN_RECENT_MENTIONS = 2
CACHE_SIZE = 32

Renderer = Callable[[TrendSeries, Lang], bytes]


def recent_weeks_for(weeks: int) -> int:
    """How many of the last weeks count as "recent": a quarter of the window, at least 1."""
    return max(1, round(weeks / 4))


def rising_tags(
    per_tag: Mapping[str, Sequence[int]], totals: Sequence[int], recent: int
) -> tuple[RisingTag, ...]:
    """The tags whose share of tag mentions grew most in the last ``recent`` weeks."""
    split = len(totals) - recent
    recent_total, before_total = sum(totals[split:]), sum(totals[:split])
    if recent_total == 0 or before_total == 0:
        return ()
    found: list[RisingTag] = []
    for tag, row in per_tag.items():
        recent_mentions = sum(row[split:])
        if recent_mentions < MIN_RECENT_MENTIONS:
            continue
        rising = RisingTag(
            tag,
            recent_mentions,
            recent_share=recent_mentions / recent_total,
            before_share=sum(row[:split]) / before_total,
        )
        if rising.rise > 0:
            found.append(rising)
    found.sort(key=lambda r: (-r.rise, -r.recent_mentions, r.tag))
    return tuple(found[:RISING_LIMIT])


def build_series(
    counts: Iterable[WeekTagCount], last_week: dt.date, weeks: int, *, top: int = TOP_TAGS
) -> TrendSeries:
    """Dense weekly rows for the ``top`` most mentioned tags (and the rising ones) over the
    ``weeks`` weeks ending with ``last_week``'s; counts outside the window are ignored."""
    last = monday_of(last_week)
    mondays = tuple(last - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks))
    column = {monday: i for i, monday in enumerate(mondays)}
    per_tag: dict[str, list[int]] = {}
    totals = [0] * weeks
    for count in counts:
        j = column.get(count.week)
        if j is None:
            continue
        per_tag.setdefault(count.tag, [0] * weeks)[j] += count.mentions
        totals[j] += count.mentions
    recent = recent_weeks_for(weeks)
    rising = rising_tags(per_tag, totals, recent)
    ranked = sorted(per_tag, key=lambda tag: (-sum(per_tag[tag]), tag))[:top]
    ranked += [r.tag for r in rising if r.tag not in ranked]
    return TrendSeries(
        weeks=mondays,
        tags=tuple(ranked),
        counts=tuple(tuple(per_tag[tag]) for tag in ranked),
        totals=tuple(totals),
        recent_weeks=recent,
        rising=rising,
    )


def check_weeks(weeks: int) -> int:
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise BadQueryError("trends.bad_weeks", low=MIN_WEEKS, high=MAX_WEEKS)
    return weeks


@dataclass(frozen=True, slots=True)
class TrendChart:
    """A drawn chart: the PNG, the data it shows, and the text that goes with it."""

    png: bytes
    series: TrendSeries
    lang: Lang
    summary: str  # the title line and the rising-tags line, for the message content
    filename: str
    description: str  # alt text

    @property
    def attachment(self) -> Attachment:
        return Attachment(self.filename, self.png, self.description)


_Key = tuple[dt.date, int, Lang, str]


class Trends:
    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = utcnow,
        renderer: Renderer = render_trend_chart,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.store = store
        self.clock = clock
        self.renderer = renderer
        self.cache_size = cache_size
        self.renders = 0  # charts actually drawn (cache misses), for tests and logs
        self._cache: OrderedDict[_Key, asyncio.Task[TrendChart]] = OrderedDict()

    async def _last_week(self) -> dt.date:
        newest = await self.store.trends.newest_digest_date(self.clock().date())
        if newest is None:
            raise NotFoundError("trends.empty")
        return monday_of(newest)

    async def series(self, weeks: int = DEFAULT_WEEKS) -> TrendSeries:
        """The data of the chart ``/trends weeks`` would draw now."""
        return await self._series(await self._last_week(), check_weeks(weeks))

    async def _series(self, last_week: dt.date, weeks: int) -> TrendSeries:
        first = last_week - dt.timedelta(weeks=weeks - 1)
        counts = await self.store.trends.weekly_tag_counts(first, last_week)
        series = build_series(counts, last_week, weeks)
        if not any(series.totals):
            raise NotFoundError("trends.empty")
        return series

    async def chart(self, weeks: int, lang: Lang) -> TrendChart:
        """The chart of the last ``weeks`` weeks in ``lang``, from the cache when the store has
        not changed since it was drawn."""
        weeks = check_weeks(weeks)
        last_week = await self._last_week()
        key = (last_week, weeks, lang, await self.store.trends.version())
        task = self._cache.get(key)
        if task is None:
            # A task of its own: a requester that gives up (a cancelled interaction) does not
            # cancel the drawing others wait for; a failed drawing is forgotten, not cached.
            task = asyncio.create_task(self._draw(last_week, weeks, lang))
            task.add_done_callback(lambda done: self._forget_failed(key, done))
            self._cache[key] = task
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return await asyncio.shield(task)

    def _forget_failed(self, key: _Key, task: asyncio.Task[TrendChart]) -> None:
        if (task.cancelled() or task.exception() is not None) and self._cache.get(key) is task:
            del self._cache[key]

    async def _draw(self, last_week: dt.date, weeks: int, lang: Lang) -> TrendChart:
        series = await self._series(last_week, weeks)
        self.renders += 1
        png = await asyncio.to_thread(self.renderer, series, lang)
        return TrendChart(
            png=png,
            series=series,
            lang=lang,
            summary=trend_summary(series, lang),
            filename=chart_filename(series, lang),
            description=chart_description(series, lang),
        )

    # -- announcements --------------------------------------------------------------------

    async def announce_chart(self, guild_id: int) -> bool:
        return await self.store.guilds.announce_chart(guild_id)

    async def set_announce_chart(self, guild_id: int, enabled: bool) -> None:
        if await self.store.guilds.get_guild(guild_id) is None:
            raise NotFoundError("settings.need_channel")
        await self.store.guilds.set_announce_chart(guild_id, enabled)

    async def announcement_attachments(self, settings: GuildSettings) -> tuple[Attachment, ...]:
        """The default chart for a server that chose it, in its announcement language.

        Never fails the announcement: without a chart (no tagged digests, a drawing error) the
        overview goes out as it always did."""
        try:
            if not await self.store.guilds.announce_chart(settings.guild_id):
                return ()
            chart = await self.chart(DEFAULT_WEEKS, settings.language)
        except NotFoundError:
            return ()
        except Exception:
            log.exception("no trend chart for guild %s's announcement", settings.guild_id)
            return ()
        return (chart.attachment,)
