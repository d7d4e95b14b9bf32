"""/status tells admins what an unfinished announcement is doing, in both languages."""

from __future__ import annotations

import datetime as dt

from bot.render.admin import PendingAnnouncement, reason_text, status_embed
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
    assert en["Failures"] == (
        "announcement (attempt 3, retrying): a server error at Discord (HTTP 500)"
    )
    ko = fields(status_embed(status(), "ko", "Asia/Seoul", [waiting]))
    assert ko["진행 중인 공지"] == "<#7>: 다음 시도 2024-05-13 09:00:25 (Asia/Seoul)"
    assert ko["실패"] == "공지 (3번째 시도, 재시도 예정): Discord 서버 오류 (HTTP 500)"


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


REASONS = [
    # what the store holds -> (English, Korean)
    ("forbidden:50013", "missing permissions (50013)", "권한 없음 (50013)"),
    ("forbidden:50001", "the bot cannot see the channel (View Channel)", "봇이 채널을 볼 수 없음"),
    ("not_found:10003", "the channel no longer exists", "채널이 삭제됨"),
    ("not_found:10008", "a message the announcement needed was deleted", "메시지가 삭제됨"),
    (
        "transient error 500 Internal Server Error",
        "a server error at Discord (HTTP 500)",
        "HTTP 500",
    ),
    ("transient error 502", "a server error at Discord (HTTP 502)", "Discord 서버 오류"),
    ("transient error 429 error code: 1015", "Discord asked the bot to slow down", "줄이라고"),
    ("transient error TimeoutError()", "no connection to Discord", "연결할 수 없음"),
    ("closed_dms", "closed DMs", "DM 차단"),
    ("RuntimeError: boom", "an unexpected error in paperbot", "paperbot 내부 오류"),
    (
        "gave up after 5 attempts: Transient: transient error 503",
        "gave up after 5 attempts: a server error at Discord (HTTP 503)",
        "5번 시도 후 포기: Discord 서버 오류 (HTTP 503)",
    ),
    ("bad_timezone:localtime", "the time zone `localtime` is not available", "`localtime`"),
    ("corrupt_settings", "the stored settings could not be read", "읽을 수 없습니다"),
]


def test_every_stored_reason_reads_as_a_plain_phrase_in_both_languages() -> None:
    for stored, english, korean in REASONS:
        en, ko = reason_text(stored, "en"), reason_text(stored, "ko")
        assert english in en, (stored, en)
        assert korean in ko, (stored, ko)
        for text in (en, ko):
            assert "transient error" not in text, (stored, text)
            assert "Transient" not in text
            assert "Error" not in text
            assert "boom" not in text
