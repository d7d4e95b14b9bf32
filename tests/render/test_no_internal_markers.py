"""No message people read shows an internal marker or id.

Every render function that builds something a member or admin reads is called here, in both
languages, with records that exercise its branches; the text people see (content, titles,
descriptions, fields, footers, author names, button and menu labels) must carry no marker
(``paperbot:alert:10``), no marker link and no component custom id (``paper:save:3``).
Markers belong in the zero-width embed author's url only. A new render function must be
added here (or to ``NOT_MESSAGES`` with the reason) or the coverage test fails.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from bot.digests.models import DigestKind
from bot.i18n import Lang
from bot.render import admin, announcements, chart_text, discovery, papers
from bot.render.admin import PendingAnnouncement
from bot.render.markers import alert_marker
from bot.render.message import Message
from bot.store.community.alerts import AlertUser, Subscription
from bot.store.community.guilds import GuildSettings, LastPost
from bot.store.community.library import SavedPaper
from bot.store.community.sources import SourceStatus
from bot.store.community.status import CommunityStatus
from bot.store.papers.trends import RisingTag, TrendSeries
from bot.store.records import IssueRecord, MentionRecord, PaperRecord, SearchHit, SearchPage

NOW = dt.datetime(2024, 5, 13, 0, 0, tzinfo=dt.UTC)
LANGS: tuple[Lang, ...] = ("ko", "en")

FORBIDDEN = [
    re.compile(r"paperbot:[a-z]+"),  # a marker
    re.compile(r"paperbot\.invalid"),  # a marker's link
    re.compile(r"\b[a-z_]+:[a-z_]+:\d+"),  # a component custom id (paper:save:3)
    re.compile(r"(?:paper|논문) #\d+"),  # a store row id (paper #12)
]

# Public functions of the render modules that build no message text (helpers, file names).
NOT_MESSAGES = {
    "paper_title",  # part of messages checked here
    "paper_url",
    "reason_text",  # part of settings_embed / status_embed
    "period",
    "share",
    "chart_filename",  # an attachment's file name
    "thread_name",  # checked below through the overview, and directly
    "library_markdown",  # a file the member downloads, checked directly below
}


def _issue(n: int = 10) -> IssueRecord:
    return IssueRecord(
        id=n,
        key=f"weekly:{n}",
        kind=DigestKind.WEEKLY,
        title="[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문",
        period_start=dt.date(2024, 5, 13),
        period_end=dt.date(2024, 5, 19),
        source="https://example.org/w",
        intro="트렌드",
        paper_count=3,
    )


def _paper(n: int) -> PaperRecord:
    return PaperRecord(
        id=n,
        identity=f"arxiv:2405.0000{n}",
        arxiv_id=f"2405.0000{n}",
        title_en=f"Paper {n}",
        title_ko=f"논문 {n}",
        authors=["A. Author"],
        summary_ko="요약",
        tags=["rlhf"],
        mentions=[
            MentionRecord(
                document_id=10,
                document_key="weekly:10",
                issue_title="Top ML Papers",
                kind=DigestKind.WEEKLY,
                date=dt.date(2024, 5, 13),
                source="https://example.org/w",
                position=n,
                line=1,
            )
        ],
    )


def _settings(**change: Any) -> GuildSettings:
    values: dict[str, Any] = {
        "guild_id": 1,
        "channel_id": 2,
        "weekday": 0,
        "time": "09:00",
        "timezone": "Asia/Seoul",
        "role_id": 3,
        "kinds": ("weekly",),
        "language": "ko",
        "configured_at": NOW,
        "baseline_document_id": 0,
        "disabled_reason": None,
        "disabled_at": None,
        "notice_pending": False,
        "updated_at": NOW,
    }
    values.update(change)
    return GuildSettings(**values)


def _series() -> TrendSeries:
    weeks = tuple(dt.date(2024, 4, 1) + dt.timedelta(weeks=i) for i in range(4))
    return TrendSeries(
        weeks=weeks,
        tags=("rlhf", "rag"),
        counts=((1, 0, 2, 3), (0, 1, 0, 1)),
        totals=(1, 1, 2, 4),
        recent_weeks=1,
        rising=(RisingTag("rlhf", 3, 0.75, 0.5),),
    )


def _status() -> CommunityStatus:
    return CommunityStatus(
        pending_alerts=1,
        claimed_alerts=0,
        sent_alerts=2,
        failed_alerts={"closed_dms": 1},
        unreachable_users=1,
        last_posts=(LastPost(1, 2, 10, NOW),),
        failed_deliveries={"forbidden:50013": 1},
        disabled_guilds={1: "bad_timezone:localtime", 4: "corrupt_settings"},
        sources=(SourceStatus("local", NOW, NOW, "HTTP 500", {}),),
    )


def _rendered(lang: Lang) -> Iterator[tuple[str, object]]:
    """(function name, output) for every message-building render function."""
    issue, one, two = _issue(), _paper(1), _paper(2)
    yield "settings_embed", admin.settings_embed(_settings(), lang, NOW, trend_chart=True)
    yield (
        "settings_embed",
        admin.settings_embed(_settings(timezone="localtime", fault="bad_timezone:x"), lang, NOW),
    )
    pending = PendingAnnouncement(2, "waiting", 1, 2, "transient:500", NOW)
    yield "status_embed", admin.status_embed(_status(), lang, "Asia/Seoul", [pending])
    subs = [
        Subscription(7, "tag", "rlhf", NOW),
        Subscription(7, "keyword", "환각", NOW),
    ]
    yield (
        "subscriptions_embed",
        admin.subscriptions_embed(subs, AlertUser(7, False, False, False, lang), lang),
    )
    yield "subscriptions_embed", admin.subscriptions_embed([], None, lang)
    yield "paper_embed", papers.paper_embed(one, lang)
    page = SearchPage(
        query="rl", total=2, hits=[SearchHit(paper=one, score=1.0), SearchHit(paper=two, score=0.5)]
    )
    yield "search_embed", papers.search_embed(page, lang, page_number=1, page_size=5)
    yield "issues_embed", papers.issues_embed([issue], lang, title_key="digest.latest_title")
    yield "tags_embed", papers.tags_embed([("rlhf", 3), ("rag", 1)], lang)
    yield "paper_actions", discovery.paper_actions(1, lang)
    yield "papers_actions", discovery.papers_actions([one, two], lang)
    yield "paper_view", discovery.paper_view(one, lang)
    yield "related_embed", discovery.related_embed(one, [(two, ["#rlhf", "reward"])], lang)
    yield "related_embed", discovery.related_embed(one, [], lang)
    saved = [SavedPaper(1, "Paper 1", "2405.00001", NOW), SavedPaper(2, "Paper 2", None, NOW)]
    yield (
        "library_embed",
        discovery.library_embed(saved, 2, lang, page_number=1, urls={1: "https://a.b", 2: None}),
    )
    yield "library_embed", discovery.library_embed([], 0, lang, page_number=1, urls={})
    yield "library_markdown", discovery.library_markdown([one, two], lang)
    alert = announcements.alert_embeds(issue, [(one, ["#rlhf"])], lang)
    marker = alert_marker(issue.id)
    yield "alert_embeds", alert
    yield (
        "picks_embeds",
        discovery.picks_embeds(alert, issue, [(two, ["#rlhf"])], lang, marker=marker),
    )
    # the DM that carries only reading-list picks (one pick, and several)
    yield "picks_embeds", discovery.picks_embeds([], issue, [(two, ["#rlhf"])], lang, marker=marker)
    yield (
        "picks_embeds",
        discovery.picks_embeds([], issue, [(one, []), (two, ["x"])], lang, marker=marker),
    )
    yield "thread_name", announcements.thread_name(issue, lang)
    yield "overview_message", announcements.overview_message(issue, [one, two], lang, role_id=5)
    yield "paper_message", announcements.paper_message(issue, one, 0, lang)
    yield "missed_summary_message", announcements.missed_summary_message(issue, [_issue(9)], lang)
    series = _series()
    yield "rising_line", chart_text.rising_line(series, lang)
    yield "trend_summary", chart_text.trend_summary(series, lang)
    yield "chart_description", chart_text.chart_description(series, lang)


def _visible(value: object) -> Iterator[str]:
    """The text a person reads in a rendered value (never urls, custom ids or markers'
    carriers' links)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Message):
        yield from _visible(value.content or "")
        yield from _visible(value.embeds)
        yield from _visible(value.components)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _visible(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("url", "custom_id", "icon_url", "proxy_url", "type", "style", "color"):
                continue
            yield from _visible(item)


def _public_functions(module: ModuleType) -> set[str]:
    return {
        name
        for name in getattr(module, "__all__", ())
        if inspect.isfunction(getattr(module, name))
        and getattr(module, name).__module__ == module.__name__
    }


def test_every_message_building_render_function_is_scanned() -> None:
    public: set[str] = set()
    for module in (admin, announcements, chart_text, discovery, papers):
        public |= _public_functions(module)
    scanned = {name for name, _ in _rendered("en")}
    assert public - NOT_MESSAGES - scanned == set()


@pytest.mark.parametrize("lang", LANGS)
def test_no_rendered_message_shows_a_marker_or_an_internal_id(lang: Lang) -> None:
    for name, output in _rendered(lang):
        for text in _visible(output):
            for pattern in FORBIDDEN:
                assert not pattern.search(text), f"{name} ({lang}) shows {text!r}"


def test_the_picks_only_dm_still_carries_its_marker_where_nobody_sees_it() -> None:
    (embed,) = discovery.picks_embeds(
        [], _issue(), [(_paper(2), [])], "en", marker="paperbot:alert:10"
    )
    assert embed["author"]["url"].endswith("paperbot:alert:10")
    assert embed["author"]["name"] == "\u200b"
