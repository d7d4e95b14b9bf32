"""The text that goes with a trend chart: its title line, the rising-tags line, alt text."""

from __future__ import annotations

import datetime as dt

from bot.i18n import Lang, t
from bot.render.limits import fit_content, shorten
from bot.store.papers.trends import TrendSeries

__all__ = [
    "chart_description",
    "chart_filename",
    "period",
    "rising_line",
    "share",
    "trend_summary",
]

ALT_TEXT = 1024  # Discord's limit for an attachment's description


def period(series: TrendSeries) -> tuple[dt.date, dt.date]:
    """The first Monday and the last Sunday of the chart's weeks."""
    return series.weeks[0], series.weeks[-1] + dt.timedelta(days=6)


def share(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


def rising_line(series: TrendSeries, lang: Lang) -> str:
    """Which tags gained share in the recent weeks, or why none can be named."""
    since = series.weeks[series.before_weeks].isoformat()
    before = series.before_weeks
    if not series.has_baseline:
        return t("trends.rising_no_history", lang, since=since, before=before)
    if not series.rising:
        return t("trends.rising_none", lang, since=since)
    tags = ", ".join(
        f"`{r.tag}` {share(r.before_share)} → {share(r.recent_share)}" for r in series.rising
    )
    return t("trends.rising", lang, tags=tags, since=since, before=before)


def trend_summary(series: TrendSeries, lang: Lang) -> str:
    start, end = period(series)
    header = t("trends.header", lang, weeks=len(series.weeks), start=start, end=end)
    return fit_content(f"{header}\n{rising_line(series, lang)}")


def chart_filename(series: TrendSeries, lang: Lang) -> str:
    return f"trends-{series.weeks[-1].isoformat()}-{len(series.weeks)}w-{lang}.png"


def chart_description(series: TrendSeries, lang: Lang) -> str:
    start, end = period(series)
    tags = ", ".join(
        f"{tag} {sum(row)}" for tag, row in zip(series.tags, series.counts, strict=True)
    )
    return shorten(t("trends.alt", lang, start=start, end=end, tags=tags), ALT_TEXT)
