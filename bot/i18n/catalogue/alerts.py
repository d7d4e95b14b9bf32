"""Text of topic alerts: /alerts and the alert DMs."""

from __future__ import annotations

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    # alerts
    "alert.title": ("{count} papers for {labels}", "{labels} 관련 논문 {count}편"),
    "alert.title#one": ("1 paper for {labels}", "{labels} 관련 논문 1편"),
    "alert.in_issue": ("New in **{issue}**", "**{issue}**에 새로 실린 논문"),
    "alert.more": ("… and {count} more", "… 외 {count}편"),
    "alert.footer": ("Manage your alerts with /alerts", "/알림 으로 알림을 관리하세요"),
    "alert.unreachable_notice": (
        "I could not send you a DM, so your topic alerts are paused. Allow DMs from this"
        " server's members, then run `/alerts resume`.",
        "DM을 보낼 수 없어 주제 알림을 일시 중지했습니다. 서버 멤버의 DM을 허용한 뒤"
        " `/알림 재개`를 실행해 주세요.",
    ),
    # /alerts
    "alerts.followed_tag": (
        "You will get a DM when a new digest has papers tagged {value!q}.",
        "{value!q} 태그 논문이 새 다이제스트에 실리면 DM으로 알려 드립니다.",
    ),
    "alerts.followed_keyword": (
        "You will get a DM when a new paper mentions {value!q}.",
        "{value!q}이(가) 들어간 새 논문이 실리면 DM으로 알려 드립니다.",
    ),
    "alerts.already": ("You already follow {value!q}.", "이미 {value!q}을(를) 구독 중입니다."),
    "alerts.too_many": (
        "You follow too many topics already ({limit} at most); unfollow some first.",
        "구독이 너무 많습니다 (최대 {limit}개). 먼저 일부를 해지해 주세요.",
    ),
    "alerts.empty_keyword": (
        "Type a word or phrase to watch for.",
        "알림 받을 단어나 문구를 입력해 주세요.",
    ),
    "alerts.unfollowed": ("You no longer follow {value!q}.", "{value!q} 구독을 해지했습니다."),
    "alerts.not_following": (
        "You do not follow {value!q}; see `/alerts list`.",
        "{value!q}을(를) 구독하고 있지 않습니다. `/알림 목록`을 확인해 주세요.",
    ),
    "alerts.list_title": ("Your topic alerts", "내 주제 알림"),
    "alerts.list_empty": (
        "You follow nothing yet: try `/alerts follow` with a tag or `/alerts keyword`.",
        "아직 구독이 없습니다. `/알림 구독`으로 태그를, `/알림 키워드`로 키워드를 구독해 보세요.",
    ),
    "alerts.tags": ("Tags", "태그"),
    "alerts.keywords": ("Keywords", "키워드"),
    "alerts.state_active": ("Alerts are on.", "알림이 켜져 있습니다."),
    "alerts.state_paused": (
        "Alerts are paused: `/alerts resume` turns them back on.",
        "알림이 일시 중지되었습니다. `/알림 재개`로 다시 켤 수 있습니다.",
    ),
    "alerts.state_unreachable": (
        "Alerts are stopped because I could not DM you: allow DMs, then `/alerts resume`.",
        "DM을 보낼 수 없어 알림이 멈췄습니다. DM을 허용한 뒤 `/알림 재개`를 실행해 주세요.",
    ),
    "alerts.paused": (
        "Alerts paused. Nothing is saved up meanwhile; `/alerts resume` turns them back on.",
        "알림을 일시 중지했습니다. 그동안의 알림은 모아 두지 않습니다."
        " `/알림 재개`로 다시 켤 수 있습니다.",
    ),
    "alerts.resumed": ("Alerts are on again.", "알림을 다시 켰습니다."),
    "alerts.forget_confirm": (
        "Delete everything paperbot keeps about you? That is {what}. This cannot be undone.",
        "paperbot이 보관한 내 정보를 모두 지울까요? {what}이(가) 지워지며 되돌릴 수 없습니다.",
    ),
    "alerts.forgotten": (
        "Done: deleted {what}. paperbot keeps nothing about you any more.",
        "모두 지웠습니다 ({what}). paperbot은 이제 나에 대한 정보를 보관하지 않습니다.",
    ),
    "alerts.forget_what": (
        "your {topics}, your reading list ({papers}), your alert settings"
        " (recommendations included) and your {alerts}",
        "구독한 주제 {topics}, 내 서재 ({papers}), 알림 설정(추천 포함),"
        " 대기 중이거나 보낸 알림 {alerts}",
    ),
    "alerts.forget_topics": ("{count} followed topics", "{count}개"),
    "alerts.forget_topics#one": ("1 followed topic", "1개"),
    "alerts.forget_papers": ("{count} saved papers", "논문 {count}편"),
    "alerts.forget_papers#one": ("1 saved paper", "논문 1편"),
    "alerts.forget_alerts": ("{count} queued and sent alerts", "{count}건"),
    "alerts.forget_alerts#one": ("1 queued or sent alert", "1건"),
    "alerts.forget_cancelled": ("Nothing was deleted.", "아무것도 지우지 않았습니다."),
}
