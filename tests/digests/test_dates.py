"""Weekly issue periods from their titles (``bot.digests._dates``)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.digests._dates import parse_period


@pytest.mark.parametrize(
    ("title", "start", "end"),
    [
        ("[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문", date(2024, 5, 13), date(2024, 5, 19)),
        (
            "[2026/06/08 ~ 14] 이번 주에 살펴볼 만한 AI/ML 논문 모음",
            date(2026, 6, 8),
            date(2026, 6, 14),
        ),
        ("[2024/12/30 ~ 01/05] 이번 주의 주요 ML 논문", date(2024, 12, 30), date(2025, 1, 5)),
        ("[2024/12/30 ~ 2025/01/05] 주요 논문", date(2024, 12, 30), date(2025, 1, 5)),
        ("[2025/12/29 ~ 04] 연말 논문", date(2025, 12, 29), date(2026, 1, 4)),
        ("[2024/05/27 ~ 02] 논문", date(2024, 5, 27), date(2024, 6, 2)),
        ("[2024.05.13 – 05.19] 논문", date(2024, 5, 13), date(2024, 5, 19)),
        ("2024년 5월 13일 ~ 5월 19일 주요 논문", date(2024, 5, 13), date(2024, 5, 19)),
        (
            "Top ML Papers of the Week (May 13 - May 19) - 2024",
            date(2024, 5, 13),
            date(2024, 5, 19),
        ),
        ("Top ML Papers of the Week (Dec 30 - Jan 5) - 2024", date(2024, 12, 30), date(2025, 1, 5)),
    ],
)
def test_parse_period(title: str, start: date, end: date) -> None:
    assert parse_period(title) == (start, end)


@pytest.mark.parametrize("title", ["[2024/13/45 ~ 05/19] 논문", "이번 주의 논문", "2024년 2월 6일"])
def test_parse_period_rejects(title: str) -> None:
    assert parse_period(title) is None


def test_parse_period_drops_an_impossible_end() -> None:
    assert parse_period("[2024/05/13 ~ 02/30] 논문") == (date(2024, 5, 13), None)
