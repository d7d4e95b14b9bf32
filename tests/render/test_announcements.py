"""Announcement and alert rendering stays within Discord's limits whatever the data."""

from __future__ import annotations

import datetime as dt

from bot.digests.models import DigestKind
from bot.render.announcements import (
    alert_embeds,
    has_marker,
    issue_marker,
    markers_in,
    missed_summary_message,
    overview_message,
    paper_message,
)
from bot.render.limits import CONTENT, DESCRIPTION, FIELD_VALUE, TOTAL, embed_length
from bot.store.records import IssueRecord, PaperRecord


def issue(n: int = 1, papers: int = 80) -> IssueRecord:
    return IssueRecord(
        id=n,
        key=f"weekly:{n}",
        kind=DigestKind.WEEKLY,
        title="[2024/05/13] 이번 주의 주요 ML 논문 " * 3,
        period_start=dt.date(2024, 5, 13),
        period_end=dt.date(2024, 5, 19),
        source="https://example.org/w",
        intro="트렌드 " * 500,
        paper_count=papers,
    )


def record(n: int) -> PaperRecord:
    return PaperRecord(
        id=n,
        identity=f"arxiv:{n}",
        arxiv_id=f"2405.{n:05d}",
        title_en="Long Title " * 40,
        title_ko="긴 제목 " * 40,
        tags=[f"tag{i}" for i in range(12)],
        summary_ko="요약 " * 2000,
    )


def test_overview_of_a_huge_issue_fits() -> None:
    papers = [record(n) for n in range(80)]
    message = overview_message(issue(), papers, "ko", role_id=5)
    (embed,) = message.embeds
    assert len(embed["description"]) <= DESCRIPTION
    assert embed_length(embed) <= TOTAL
    assert len(message.content) <= CONTENT
    assert message.allowed_role_id == 5
    assert has_marker(markers_in([embed]), issue_marker(1))
    assert "스레드" in embed["description"]  # "… 외 N편은 스레드에서"


def test_paper_message_and_summary_fit() -> None:
    (embed,) = paper_message(issue(), record(1), 3, "en").embeds
    assert embed_length(embed) <= TOTAL
    assert markers_in([embed]) == ("paperbot:paper:1:3",)
    summary = missed_summary_message(issue(9), [issue(n) for n in range(200)], "en")
    assert embed_length(summary.embeds[0]) <= TOTAL
    assert markers_in(summary.embeds) == ("paperbot:missed:9",)


def test_alert_groups_by_label_within_limits() -> None:
    matches = [(record(n), [f"#tag{n % 30}", "환각"]) for n in range(100)]
    (embed,) = alert_embeds(issue(), matches, "en")
    assert embed["title"].startswith("100 papers for #tag0, 환각")
    assert embed_length(embed) <= TOTAL
    assert all(len(field["value"]) <= FIELD_VALUE for field in embed["fields"])
    (one,) = alert_embeds(issue(), matches[:1], "ko")
    assert one["title"] == "#tag0, 환각 관련 논문 1편"


def test_marker_is_a_whole_word() -> None:
    assert has_marker(["x · paperbot:issue:12"], "paperbot:issue:12")
    assert not has_marker(["x · paperbot:issue:123"], "paperbot:issue:12")


def _readable(embed: dict[str, object]) -> str:
    """Everything Discord shows a reader of an embed (its links are not text)."""
    parts = [str(embed.get(key, "")) for key in ("title", "description")]
    for key in ("author", "footer"):
        sub = embed.get(key)
        if isinstance(sub, dict):
            parts.append(str(sub.get("name") or sub.get("text") or ""))
    for field in embed.get("fields") or []:  # type: ignore[attr-defined]
        parts += [str(field["name"]), str(field["value"])]
    return "\n".join(parts)


def test_markers_are_out_of_sight() -> None:
    papers = [record(n) for n in range(3)]
    embeds = [
        *overview_message(issue(), papers, "en").embeds,
        *paper_message(issue(), record(1), 0, "ko").embeds,
        *missed_summary_message(issue(9), [issue(2)], "en").embeds,
        *alert_embeds(issue(), [(record(1), ["#rlhf"])], "en"),
    ]
    assert len(markers_in(embeds)) == 4
    for embed in embeds:
        assert "paperbot:" not in _readable(embed)
        assert not _readable(embed).endswith("· ")
        assert embed["author"]["name"].strip("\u200b") == ""  # zero-width: nothing to click
        assert embed["author"]["url"].startswith("https://")  # Discord accepts http(s) only
    (overview,) = overview_message(issue(), papers, "en", source_url="https://example.org/w").embeds
    assert overview["footer"]["text"] == "Each paper's details are in the thread."
    assert overview["url"] == "https://example.org/w"  # the title still links to the issue
