"""Text of server administration: /settings, /status, /announce."""

from __future__ import annotations

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    "admin.synced": ("Commands synced.", "명령을 동기화했습니다."),
    "admin.nothing_to_sync": ("Nothing to sync.", "동기화할 것이 없습니다."),
    "settings.trend_chart": ("Trend chart", "트렌드 차트"),
    "settings.trend_chart_on": ("attached to announcements", "공지에 첨부"),
    # announcements
    "announce.period": ("Period: {period}", "기간: {period}"),
    "announce.papers": ("Papers ({count})", "논문 {count}편"),
    "announce.more_papers": ("… and {count} more in the thread", "… 외 {count}편은 스레드에서"),
    "announce.thread_name": ("Papers · {title}", "논문 · {title}"),
    "announce.thread_hint": (
        "Each paper's details are in the thread.",
        "논문별 자세한 내용은 스레드에 있습니다.",
    ),
    "announce.missed_title": ("Issues published while I was away", "그동안 놓친 이슈"),
    "announce.missed_body": (
        "{count} earlier issues came out meanwhile; the latest follows below.",
        "그동안 이전 이슈 {count}개가 나왔습니다. 최신 이슈는 아래에 있습니다.",
    ),
    "announce.missed_body#one": (
        "1 earlier issue came out meanwhile; the latest follows below.",
        "그동안 이전 이슈 1개가 나왔습니다. 최신 이슈는 아래에 있습니다.",
    ),
    "announce.disabled_notice": (
        "Announcements are paused in this server ({reason}). Fix the channel or the bot's"
        " permissions, then run `/settings channel` to check them and resume.",
        "이 서버의 공지가 일시 중지되었습니다 ({reason}). 채널이나 봇 권한을 고친 뒤"
        " `/설정 채널`을 실행하면 권한을 확인하고 다시 시작합니다.",
    ),
    "announce.reason.forbidden": ("missing permissions", "권한 없음"),
    "announce.reason.not_found": ("the channel no longer exists", "채널이 삭제됨"),
    "announce.reason.missing_access": (
        "the bot cannot see the channel (View Channel)",
        "봇이 채널을 볼 수 없음 (채널 보기 권한)",
    ),
    "announce.reason.unknown_guild": ("the server is no longer available", "서버에 접근할 수 없음"),
    "announce.reason.unknown_message": (
        "a message the announcement needed was deleted",
        "공지에 필요한 메시지가 삭제됨",
    ),
    "status.reason.rate_limited": (
        "Discord asked the bot to slow down",
        "Discord가 요청을 줄이라고 함",
    ),
    "status.reason.discord_server": (
        "a server error at Discord (HTTP {status})",
        "Discord 서버 오류 (HTTP {status})",
    ),
    "status.reason.discord_http": (
        "Discord refused the request (HTTP {status})",
        "Discord가 요청을 거절함 (HTTP {status})",
    ),
    "status.reason.network": ("no connection to Discord", "Discord에 연결할 수 없음"),
    "status.reason.unexpected": (
        "an unexpected error in paperbot (the operator's log has the details)",
        "paperbot 내부 오류 (자세한 내용은 운영자 로그에)",
    ),
    "status.reason.gave_up": (
        "gave up after {count} attempts: {reason}",
        "{count}번 시도 후 포기: {reason}",
    ),
    "status.reason.gave_up#one": (
        "gave up after 1 attempt: {reason}",
        "1번 시도 후 포기: {reason}",
    ),
    "announce.reason.bad_timezone": (
        "the time zone {zone!q} is not available any more; choose one with /settings timezone",
        "시간대 {zone!q}을(를) 더 이상 쓸 수 없습니다. /설정 시간대로 다시 고르세요",
    ),
    "announce.reason.corrupt_settings": (
        "the stored settings could not be read; set the channel again with /settings channel",
        "저장된 설정을 읽을 수 없습니다. /설정 채널로 채널을 다시 정하세요",
    ),
    "settings.need_channel": (
        "Announcements are not set up here yet: start with `/settings channel`.",
        "아직 공지 설정이 없습니다. 먼저 `/설정 채널`로 채널을 정해 주세요.",
    ),
    "settings.need_channel_again": (
        "This server's stored settings could not be read: choose the channel again with"
        " `/settings channel`.",
        "이 서버의 저장된 설정을 읽을 수 없습니다. `/설정 채널`로 채널을 다시 정해 주세요.",
    ),
    "announce.paused": (
        "Announcements are paused in this server: {reason}.",
        "이 서버의 공지가 일시 중지되어 있습니다: {reason}.",
    ),
    "settings.bad_timezone": (
        "{zone!q} is not a time zone I know. Use an IANA name such as `Asia/Seoul`,"
        " `Europe/Berlin` or `America/New_York`.",
        "{zone!q}은(는) 알 수 없는 시간대입니다. `Asia/Seoul`, `Europe/Berlin`,"
        " `America/New_York` 같은 IANA 이름을 써 주세요.",
    ),
    "settings.bad_time": (
        "{time!q} is not a time of day: use HH:MM (24-hour), e.g. `09:30`.",
        "{time!q}은(는) 올바른 시각이 아닙니다. 24시간제 HH:MM으로 입력해 주세요 (예: `09:30`).",
    ),
    "settings.bad_kinds": (
        "Choose one or more of `weekly`, `daily`, `note` (e.g. `weekly daily`).",
        "`weekly`, `daily`, `note` 중 하나 이상을 골라 주세요 (예: `weekly daily`).",
    ),
    "settings.bad_channel": (
        "I cannot announce in {channel}: I am missing {permissions} there. Grant them to my"
        " role in that channel, or pick another channel.",
        "{channel}에 공지할 수 없습니다. 봇에게 그 채널의 {permissions} 권한이 없습니다."
        " 봇 역할에 권한을 주거나 다른 채널을 골라 주세요.",
    ),
    "settings.bad_role": (
        "I cannot ping {role}: it is not mentionable. Make it mentionable in the server's"
        " role settings, give me Mention @everyone, @here and All Roles, or pick another role.",
        "{role} 역할은 멘션할 수 없어 알릴 수 없습니다. 역할 설정에서 멘션 허용을 켜거나,"
        " 봇에게 @everyone, @here, 모든 역할 멘션하기 권한을 주거나, 다른 역할을 골라 주세요.",
    ),
    "settings.saved": ("Saved.", "저장했습니다."),
    "settings.search_replies": ("Search replies", "검색 답변"),
    "settings.search_public": ("for everyone", "모두에게 보임"),
    "settings.search_private": (
        "only for the person searching, with a Share button",
        "검색한 사람에게만 보임 (공유 버튼)",
    ),
    "settings.search_now_public": (
        "Saved: `/search` results are posted for everyone in this server.",
        "저장했습니다. 이제 이 서버에서 `/검색` 결과가 모두에게 보입니다.",
    ),
    "settings.search_now_private": (
        "Saved: only the person searching sees `/search` results; they can press **Share** to"
        " post them for everyone.",
        "저장했습니다. 이제 `/검색` 결과는 검색한 사람에게만 보이고, **공유**를 눌러 모두에게"
        " 올릴 수 있습니다.",
    ),
    "settings.title": ("Announcement settings", "공지 설정"),
    "settings.channel": ("Channel", "채널"),
    "settings.schedule": ("Schedule", "일정"),
    "settings.schedule_value": ("{weekday} {time!p} ({zone!p})", "{weekday} {time!p} ({zone!p})"),
    "settings.role": ("Role to ping", "알림 역할"),
    "settings.kinds": ("Digests", "다이제스트 종류"),
    "settings.language": ("Language", "언어"),
    "settings.next_post": ("Next post", "다음 공지"),
    "settings.none": ("none", "없음"),
    "settings.paused": ("Paused", "일시 중지"),
    # /announce and /status
    "announce.preview_empty": (
        "There is no issue to preview yet.",
        "미리 볼 이슈가 아직 없습니다.",
    ),
    "announce.preview_header": (
        "Preview, only you see this. The overview below, then a thread «{thread}» with"
        " {count} paper messages.",
        "미리보기입니다 (나에게만 보임). 아래 개요 다음에 스레드 «{thread}»에 논문 메시지"
        " {count}개가 올라갑니다.",
    ),
    "announce.preview_header#one": (
        "Preview, only you see this. The overview below, then a thread «{thread}» with"
        " 1 paper message.",
        "미리보기입니다 (나에게만 보임). 아래 개요 다음에 스레드 «{thread}»에 논문 메시지"
        " 1개가 올라갑니다.",
    ),
    "announce.now.sent": (
        "Posted the latest issue in <#{channel}>.",
        "<#{channel}>에 최신 이슈를 올렸습니다.",
    ),
    "announce.now.already": (
        "The latest issue was already posted here.",
        "최신 이슈는 이미 올렸습니다.",
    ),
    "announce.now.nothing": ("There is no issue to post yet.", "올릴 이슈가 아직 없습니다."),
    "announce.now.busy": (
        "An announcement is being posted right now.",
        "지금 공지를 올리는 중입니다.",
    ),
    "announce.now.retry": (
        "Could not post this time ({reason}); I will try again by myself at {when}.",
        "이번에는 올리지 못했습니다 ({reason}). {when}에 자동으로 다시 시도합니다.",
    ),
    "announce.now.stalled": (
        "The last attempt was interrupted (the bot stopped); it resumes by itself by {when}.",
        "이전 시도가 중단되었습니다 (봇이 멈춤). {when}까지 자동으로 이어서 올립니다.",
    ),
    "announce.now.failed": ("Could not post: {reason}.", "올리지 못했습니다: {reason}."),
    "status.title": ("paperbot status", "paperbot 상태"),
    "status.sources": ("Digest sources", "다이제스트 출처"),
    "status.source_ok": ("`{name}`: fetched {when}, ok", "`{name}`: {when}에 가져옴, 정상"),
    "status.source_error": (
        "`{name}`: fetched {when}, error: {error}",
        "`{name}`: {when}에 가져옴, 오류: {error}",
    ),
    "status.never": ("never", "없음"),
    "status.no_sources": ("nothing fetched yet", "아직 가져온 적 없음"),
    "status.posts": ("Last posts", "최근 공지"),
    "status.post_line": ("<#{channel}>: {when}", "<#{channel}>: {when}"),
    "status.no_posts": ("nothing posted yet", "아직 올린 공지 없음"),
    "status.alerts": ("Topic alerts", "주제 알림"),
    "status.alert_counts": (
        "pending {pending} · sending {claimed} · sent {sent} · unreachable users {unreachable}",
        "대기 {pending} · 보내는 중 {claimed} · 보냄 {sent} · DM 불가 사용자 {unreachable}",
    ),
    "status.failures": ("Failures", "실패"),
    "status.no_failures": ("none", "없음"),
    "status.failure_line": ("{what}: {reason} ({count})", "{what}: {reason} ({count})"),
    "status.failure.alert": ("alert DM", "알림 DM"),
    "status.failure.post": ("announcement", "공지"),
    "status.failure.disabled": ("announcements paused", "공지 일시 중지"),
    "status.failure.retrying": (
        "announcement (attempt {attempts}, retrying): {reason}",
        "공지 ({attempts}번째 시도, 재시도 예정): {reason}",
    ),
    "status.failure.stalled": (
        "announcement interrupted after {papers} papers (the bot stopped)",
        "공지가 논문 {papers}편 뒤 중단됨 (봇이 멈춤)",
    ),
    "status.pending": ("Announcements under way", "진행 중인 공지"),
    "status.pending.posting": (
        "<#{channel}>: posting now, {papers} papers so far",
        "<#{channel}>: 올리는 중, 지금까지 논문 {papers}편",
    ),
    "status.pending.stalled": (
        "<#{channel}>: interrupted, resumes by itself by {when}",
        "<#{channel}>: 중단됨, {when}까지 자동으로 재개",
    ),
    "status.pending.waiting": (
        "<#{channel}>: next attempt {when}",
        "<#{channel}>: 다음 시도 {when}",
    ),
    "status.reason.closed_dms": ("closed DMs", "DM 차단"),
    "status.reason.unknown_user": ("unknown user", "알 수 없는 사용자"),
    "status.reason.inactive": ("user paused", "사용자가 일시 중지"),
}
