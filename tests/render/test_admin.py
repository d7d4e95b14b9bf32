"""/status tells admins what an unfinished announcement is doing, in both languages."""

from __future__ import annotations

import datetime as dt

from bot.render.admin import PendingAnnouncement, status_embed
from bot.store.community.status import CommunityStatus

NEXT = dt.datetime(2024, 5, 13, 0, 0, 25, tzinfo=dt.UTC)


def status() -> CommunityStatus:
    return CommunityStatus(
        pending_alerts=0,
        claimed_alerts=0,
        sent_alerts=0,
        failed_alerts={},
        unreachable_users=0,
        last_posts=(),
        failed_deliveries={},
        disabled_guilds={},
        sources=(),
    )


def fields(embed: dict[str, object]) -> dict[str, str]:
    return {str(f["name"]): str(f["value"]) for f in embed["fields"]}  # type: ignore[attr-defined]


def test_a_retrying_announcement_shows_its_error_and_next_attempt() -> None:
    waiting = PendingAnnouncement(7, "waiting", 0, 3, "transient error 500 Internal", NEXT)
    en = fields(status_embed(status(), "en", "Asia/Seoul", [waiting]))
    assert en["Announcements under way"] == "<#7>: next attempt 2024-05-13 09:00:25 (Asia/Seoul)"
    assert en["Failures"] == "announcement (attempt 3, retrying): transient error 500 Internal"
    ko = fields(status_embed(status(), "ko", "Asia/Seoul", [waiting]))
    assert ko["진행 중인 공지"] == "<#7>: 다음 시도 2024-05-13 09:00:25 (Asia/Seoul)"
    assert ko["실패"] == "공지 (3번째 시도, 재시도 예정): transient error 500 Internal"


def test_an_interrupted_announcement_is_a_failure_until_it_resumes() -> None:
    stalled = PendingAnnouncement(7, "stalled", 5, 1, None, NEXT)
    posting = PendingAnnouncement(8, "posting", 2, 1, None, None)
    en = fields(status_embed(status(), "en", "UTC", [stalled, posting]))
    assert en["Announcements under way"].splitlines() == [
        "<#7>: interrupted, resumes by itself by 2024-05-13 00:00:25 (UTC)",
        "<#8>: posting now, 2 papers so far",
    ]
    assert en["Failures"] == "announcement interrupted after 5 papers (the bot stopped)"
    ko = fields(status_embed(status(), "ko", "UTC", [stalled]))
    assert ko["실패"] == "공지가 논문 5편 뒤 중단됨 (봇이 멈춤)"
    quiet = fields(status_embed(status(), "en", "UTC", [posting]))
    assert quiet["Failures"] == "none"  # a live post is no failure
    assert "Announcements under way" not in fields(status_embed(status(), "en", "UTC"))
