"""/trends' data and caching on a real store: the series match the digests exactly, rising
tags follow their documented definition, and charts are drawn once per store state."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter

import pytest

from bot.app import App
from bot.digests.parse import parse_paths
from bot.digests.tags import load_vocabulary
from bot.i18n import Lang
from bot.services.refusals import BadQueryError, NotFoundError
from bot.services.trends import Trends, build_series, rising_tags
from bot.settings import BUNDLED_DIGESTS
from bot.store import Store
from bot.store.papers.trends import RisingTag, TrendSeries, WeekTagCount
from tests.delivery.fakes import FakeClock
from tests.store.builders import daily, paper

MAY_13 = dt.date(2024, 5, 13)
PNG = b"\x89PNG\r\n\x1a\n"


def expected_counts() -> Counter[tuple[dt.date, str]]:
    """Mentions per (ISO week Monday, tag), straight from the parsed sample files."""
    counts: Counter[tuple[dt.date, str]] = Counter()
    for document in parse_paths([BUNDLED_DIGESTS], load_vocabulary()).documents:
        day = document.period_start or document.date
        if day is None:
            continue
        monday = day - dt.timedelta(days=day.weekday())
        for one in document.papers:
            counts.update((monday, tag) for tag in one.tags)
    return counts


class Recorder:
    """A renderer that records what it was asked to draw, and on which thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[TrendSeries, Lang]] = []
        self.threads: set[int] = set()

    def __call__(self, series: TrendSeries, lang: Lang) -> bytes:
        self.calls.append((series, lang))
        self.threads.add(threading.get_ident())
        return PNG + lang.encode()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def trends(store: Store, clock: FakeClock, recorder: Recorder) -> Trends:
    return Trends(store, clock=clock, renderer=recorder)


async def test_the_series_counts_every_tag_mention_of_the_samples(trends: Trends) -> None:
    series = await trends.series(16)
    assert series.weeks[-1] == MAY_13  # the clock's week holds the newest sample
    assert series.weeks[0] == MAY_13 - dt.timedelta(weeks=15)
    assert len(series.weeks) == 16
    expected = expected_counts()
    in_window = {key: n for key, n in expected.items() if key[0] in series.weeks}
    assert in_window  # the samples reach into the window
    for tag, row in zip(series.tags, series.counts, strict=True):
        assert row == tuple(in_window.get((week, tag), 0) for week in series.weeks)
    assert series.totals == tuple(
        sum(n for (week, _), n in in_window.items() if week == monday) for monday in series.weeks
    )
    # the ten most mentioned tags, most first, then rising ones outside them
    totals = Counter[str]()
    for (_, tag), n in in_window.items():
        totals[tag] += n
    top = sorted(totals, key=lambda tag: (-totals[tag], tag))[:10]
    assert series.tags[:10] == tuple(top)
    assert set(series.tags[10:]) <= {r.tag for r in series.rising}


async def test_sample_rising_tags_by_hand(trends: Trends) -> None:
    """16 weeks to 2024-05-19: recent = the last 4 (from 04-22: the 05-09 daily, 9 tag
    mentions, and the 05-13 weekly, 25), before = the 02-06 daily (16 mentions)."""
    series = await trends.series(16)
    assert series.recent_weeks == 4
    assert series.has_baseline
    assert [r.tag for r in series.rising] == ["diffusion", "efficiency", "architecture"]
    diffusion = series.rising[0]
    assert (diffusion.recent_mentions, diffusion.before_share) == (3, 0.0)
    assert diffusion.recent_share == pytest.approx(3 / 34)


async def test_without_earlier_weeks_there_is_no_rising_tag(trends: Trends) -> None:
    series = await trends.series(12)  # from 2024-02-26: only May has digests
    assert series.recent_weeks == 3
    assert not series.has_baseline
    assert series.rising == ()


def test_rising_is_growth_of_share_with_two_recent_mentions_at_least() -> None:
    totals = [6, 6, 2, 5]  # every tag's mentions: 12 before, 7 in the last two weeks
    per_tag = {
        "same-count": [2, 2, 2, 2],  # 4 of 12 (33 %) -> 4 of 7 (57 %): shares, not counts
        "grows": [1, 1, 0, 2],  # 2 of 12 (17 %) -> 2 of 7 (29 %)
        "fades": [3, 3, 0, 0],
        "once": [0, 0, 0, 1],  # one recent mention is no trend
    }
    assert rising_tags(per_tag, totals, recent=2) == (
        RisingTag("same-count", 4, recent_share=4 / 7, before_share=4 / 12),
        RisingTag("grows", 2, recent_share=2 / 7, before_share=2 / 12),
    )
    assert rising_tags(per_tag, [0, 0, 2, 5], recent=2) == ()  # no baseline
    assert rising_tags(per_tag, [6, 6, 0, 0], recent=2) == ()  # nothing recent


def test_build_series_is_dense_and_keeps_rising_tags_outside_the_top() -> None:
    week = [MAY_13 - dt.timedelta(weeks=i) for i in (3, 2, 1, 0)]
    counts = [
        WeekTagCount(week[0], "big", 9),
        WeekTagCount(week[3], "big", 3),
        WeekTagCount(week[0], "mid", 4),
        WeekTagCount(week[3], "small", 2),
        WeekTagCount(week[0] - dt.timedelta(weeks=1), "outside", 50),  # before the window
    ]
    series = build_series(counts, MAY_13 + dt.timedelta(days=3), 4, top=2)
    assert series.weeks == tuple(week)
    assert series.tags == ("big", "mid", "small")
    assert series.counts == ((9, 0, 0, 3), (4, 0, 0, 0), (0, 0, 0, 2))
    assert series.totals == (13, 0, 0, 5)
    # small: 0 % -> 40 %; big: 69 % (9 of 13) -> 60 % (3 of 5) is no rise
    assert [r.tag for r in series.rising] == ["small"]


async def test_weeks_are_bounded(trends: Trends) -> None:
    for weeks in (3, 53):
        with pytest.raises(BadQueryError):
            await trends.series(weeks)


async def test_an_empty_store_has_nothing_to_chart(empty_store: Store, clock: FakeClock) -> None:
    with pytest.raises(NotFoundError):
        await Trends(empty_store, clock=clock).chart(12, "en")


async def test_charts_are_drawn_off_the_loop_and_cached(
    trends: Trends, store: Store, recorder: Recorder
) -> None:
    first = await trends.chart(12, "ko")
    assert first.png == PNG + b"ko"
    assert threading.get_ident() not in recorder.threads  # drawn on a worker thread
    again = await trends.chart(12, "ko")
    assert again is first
    assert trends.renders == len(recorder.calls) == 1
    await trends.chart(12, "en")
    await trends.chart(16, "ko")
    assert trends.renders == 3
    # a new digest makes a new chart
    await store.ingest([daily(dt.date(2024, 5, 14), paper("New", tags=["llm"]))])
    fresh = await trends.chart(12, "ko")
    assert fresh is not first
    assert fresh.series.counts_of("llm")[-1] == first.series.counts_of("llm")[-1] + 1
    assert trends.renders == 4


async def test_concurrent_requests_share_one_drawing(trends: Trends) -> None:
    charts = await asyncio.gather(*(trends.chart(12, "en") for _ in range(5)))
    assert trends.renders == 1
    assert all(chart is charts[0] for chart in charts)


async def test_a_failed_drawing_is_not_cached(store: Store, clock: FakeClock) -> None:
    calls = 0

    def flaky(series: TrendSeries, lang: Lang) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return PNG

    trends = Trends(store, clock=clock, renderer=flaky)
    with pytest.raises(RuntimeError):
        await trends.chart(12, "en")
    assert (await trends.chart(12, "en")).png == PNG


async def test_announcement_chart_is_per_guild_and_off_by_default(
    app: App, store: Store, clock: FakeClock
) -> None:
    with pytest.raises(NotFoundError):  # no announcement settings yet
        await app.trends.set_announce_chart(1, True)
    await store.guilds.configure_guild(
        1,
        channel_id=10,
        weekday=0,
        time="09:00",
        timezone="Asia/Seoul",
        role_id=None,
        kinds=("weekly",),
        language="ko",
        now=clock(),
    )
    settings = await store.guilds.get_guild(1)
    assert settings is not None
    assert await app.trends.announcement_attachments(settings) == ()
    await app.trends.set_announce_chart(1, True)
    assert await app.trends.announce_chart(1)
    (attachment,) = await app.trends.announcement_attachments(settings)
    assert attachment.data.startswith(PNG)
    assert attachment.filename == "trends-2024-05-13-12w-ko.png"
    await app.trends.set_announce_chart(1, False)
    assert await app.trends.announcement_attachments(settings) == ()


async def test_a_chart_that_cannot_be_drawn_leaves_the_announcement_alone(
    store: Store, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(series: TrendSeries, lang: Lang) -> bytes:
        raise RuntimeError("no chart today")

    await store.guilds.configure_guild(
        1,
        channel_id=10,
        weekday=0,
        time="09:00",
        timezone="Asia/Seoul",
        role_id=None,
        kinds=("weekly",),
        language="en",
        now=clock(),
    )
    await store.guilds.set_announce_chart(1, True)
    settings = await store.guilds.get_guild(1)
    assert settings is not None
    trends = Trends(store, clock=clock, renderer=broken)
    assert await trends.announcement_attachments(settings) == ()
    assert "no trend chart" in caplog.text
