"""Text of /trends."""

from __future__ import annotations

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    # trends
    "trends.header": (
        "**Tag trends** · {weeks} weeks, {start} – {end}",
        "**태그 트렌드** · {weeks}주, {start} – {end}",
    ),
    "trends.rising": (
        "Rising: {tags} (share of all tag mentions from {since} on, vs. the {before} weeks before)",
        "떠오르는 태그: {tags} ({since}부터의 태그 언급 비중, 그전 {before}주와 비교)",
    ),
    "trends.rising_none": (
        "Rising: none (no tag's share of mentions grew from {since} on).",
        "떠오르는 태그: 없음 ({since}부터 언급 비중이 늘어난 태그가 없습니다).",
    ),
    "trends.rising_no_history": (
        "Rising: not enough history to tell (no tag mentions in the {before} weeks before"
        " {since}).",
        "떠오르는 태그: 비교할 기록이 부족합니다 ({since} 이전 {before}주 동안 태그 언급 없음).",
    ),
    "trends.empty": (
        "No tagged papers yet: there is nothing to chart.",
        "아직 태그가 붙은 논문이 없어 차트를 그릴 수 없습니다.",
    ),
    "trends.bad_weeks": (
        "Choose between {low} and {high} weeks.",
        "{low}주에서 {high}주 사이로 골라 주세요.",
    ),
    "trends.chart_title": ("Most discussed tags per week", "주별 많이 다룬 태그"),
    "trends.chart_period": (
        "{start} – {end} · mentions per ISO week",
        "{start} – {end} · ISO 주별 언급 수",
    ),
    "trends.chart_week": ("week (starting Monday)", "주 (월요일 시작)"),
    "trends.chart_mentions": ("mentions", "언급 수"),
    "trends.chart_all": ("all tags", "전체 태그"),
    "trends.chart_rising": ("▲ rising", "▲ 떠오르는 태그"),
    "trends.alt": (
        "Heat map of tag mentions per week from {start} to {end}: {tags}",
        "{start}부터 {end}까지 주별 태그 언급 수 히트맵: {tags}",
    ),
    "trends.chart_on": (
        "From the next announcement on, the weekly trend chart is attached to the overview.",
        "다음 공지부터 개요에 주간 트렌드 차트를 붙입니다.",
    ),
    "trends.chart_off": (
        "Announcements go out without the trend chart.",
        "공지에 트렌드 차트를 붙이지 않습니다.",
    ),
}
