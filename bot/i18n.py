"""Korean and English text for replies and for command names and descriptions.

One catalog, keyed by message id; Korean for Korean clients, English for everyone else.
Command names and descriptions are translated by `bot.discord.translator.PaperTranslator`,
which looks up the English text here (the English text is the key Discord sees by default);
Korean messages name commands as Korean clients see them (`/설정 채널`, not `/settings channel`).

- Plurals: a message with a ``{count}`` may have a ``<id>#one`` form, used when count is 1.
- User text (a query, a tag or keyword as typed, a time zone...) is never pasted raw:
  ``{query!q}`` quotes it as inline code, ``{query!p}`` makes it one plain line
  (``bot.render.user_text``), so backticks, markdown and mentions show as typed.

Why one long module: it is the message catalogue, data more than code; one place to
review both languages side by side.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.command_text import COMMAND_TEXT
from bot.render.user_text import plain_user_text, quote_user_text

__all__ = [
    "COMMAND_TEXT",
    "MESSAGES",
    "Lang",
    "Msg",
    "MsgList",
    "lang_of",
    "plural_key",
    "seconds_to_wait",
    "t",
]

from bot.i18n_discovery import DISCOVERY_COMMAND_TEXT, DISCOVERY_MESSAGES

Lang = Literal["en", "ko"]

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    # generic
    "error.unexpected": (
        "Something went wrong on our side. If it keeps happening, quote error id `{error_id}`.",
        "처리 중 문제가 생겼습니다. 계속되면 오류 번호 `{error_id}`를 알려 주세요.",
    ),
    "error.cooldown": (
        "You are going a little fast: try again in {seconds} seconds.",
        "조금 천천히요! {seconds}초 뒤에 다시 해 주세요.",
    ),
    "error.cooldown#one": (
        "You are going a little fast: try again in a second.",
        "조금 천천히요! 1초 뒤에 다시 해 주세요.",
    ),
    "admin.synced": ("Commands synced.", "명령을 동기화했습니다."),
    "admin.nothing_to_sync": ("Nothing to sync.", "동기화할 것이 없습니다."),
    "error.not_owner": (
        "Only the bot's owner can do that.",
        "봇 소유자만 할 수 있습니다.",
    ),
    "error.missing_permissions": (
        "You need these permissions for that: {permissions}.",
        "이 명령에는 다음 권한이 필요합니다: {permissions}.",
    ),
    "error.bot_missing_permissions": (
        "I need these permissions here for that: {permissions}.",
        "이 채널에서 봇에게 다음 권한이 필요합니다: {permissions}.",
    ),
    "error.check_failed": (
        "You cannot use this command here.",
        "여기서는 이 명령을 쓸 수 없습니다.",
    ),
    "error.not_yours": (
        "These buttons belong to the person who ran the command. Run it yourself to browse.",
        "이 버튼은 명령을 실행한 사람만 쓸 수 있습니다. 직접 명령을 실행해 보세요.",
    ),
    "error.expired": (
        "These buttons have expired. Run the command again.",
        "버튼이 만료되었습니다. 명령을 다시 실행해 주세요.",
    ),
    "error.query_empty": (
        "Type something to search for: a Korean or English word, a title or an author.",
        "검색어를 입력해 주세요: 한국어나 영어 단어, 제목 또는 저자 이름.",
    ),
    "error.query_too_long": (
        "That query is too long ({length} characters); keep it under {limit}.",
        "검색어가 너무 깁니다 ({length}자). {limit}자 이내로 입력해 주세요.",
    ),
    "error.unknown_tag": (
        "There is no tag {tag!q}.{hint}",
        "{tag!q} 태그가 없습니다.{hint}",
    ),
    "hint.did_you_mean": (" Did you mean {suggestions}?", " 혹시 {suggestions}?"),
    "hint.see_tags": (" See `/tags` for the list.", " `/태그`에서 목록을 볼 수 있습니다."),
    "error.paper_not_found": (
        "No paper matches {query!q}. Pick one from the suggestions, or try `/search`.",
        "{query!q}에 맞는 논문이 없습니다. 자동완성 목록에서 고르거나 `/검색`을 써 보세요.",
    ),
    "error.store_empty": (
        "The digest store is empty: an operator needs to run `paperbot ingest`.",
        "저장된 다이제스트가 없습니다. 운영자가 `paperbot ingest`를 실행해야 합니다.",
    ),
    # search
    "search.title": ("Search: {query!p}", "검색: {query!p}"),
    "search.summary": (
        "found: {total} · page {page}/{pages}",
        "논문 {total}편 · {page}/{pages} 페이지",
    ),
    "search.empty": (
        "No papers match {query!q}.{hint}",
        "{query!q}에 맞는 논문이 없습니다.{hint}",
    ),
    "search.hint_other_language": (
        " Try the other language too (e.g. `환각` or `hallucination`), fewer words, or a tag.",
        " 다른 언어로도 찾아보세요 (예: `환각` 또는 `hallucination`)."
        " 단어를 줄이거나 태그를 써도 좋습니다.",
    ),
    "search.hint_tags": (" Popular tags: {tags}.", " 많이 쓰인 태그: {tags}."),
    "search.private": (
        "Only you see these results: **Share** posts them for everyone.",
        "검색 결과는 나에게만 보입니다. **공유**를 누르면 모두에게 올립니다.",
    ),
    "search.shared_by": ("{user} shared a search:", "{user} 님이 검색 결과를 공유했습니다:"),
    "button.share": ("Share", "공유"),
    "button.previous": ("Previous", "이전"),
    "button.next": ("Next", "다음"),
    "select.details": ("Show a paper's details…", "논문 자세히 보기…"),
    # paper
    "paper.authors": ("Authors", "저자"),
    "paper.tags": ("Tags", "태그"),
    "paper.links": ("Links", "링크"),
    "paper.appeared": ("Appeared in", "수록"),
    "paper.summary": ("Summary", "요약"),
    "paper.footer": ("paper #{id}", "논문 #{id}"),
    "paper.more": ("… more in the full text", "… 전체 내용은 링크에서"),
    "paper.no_random": (
        "No papers{where} yet.",
        "아직{where} 논문이 없습니다.",
    ),
    "paper.tagged": (" tagged {tag!q}", " {tag!q} 태그"),
    "link.paper": ("Paper", "논문"),
    "link.code": ("Code", "코드"),
    "link.related": ("Related", "관련"),
    "link.more": ("More", "더 보기"),
    # digests
    "digest.latest_title": ("Latest digests", "최신 다이제스트"),
    "digest.list_title": ("Digests", "다이제스트 목록"),
    "digest.none": ("No digests yet.", "아직 다이제스트가 없습니다."),
    "digest.papers": ("{count} papers", "논문 {count}편"),
    "digest.papers#one": ("1 paper", "논문 1편"),
    "kind.weekly": ("weekly", "주간"),
    "kind.daily": ("daily", "일간"),
    "kind.note": ("note", "노트"),
    # tags
    "tags.title": ("Tags", "태그"),
    "tags.none": ("No tags yet.", "아직 태그가 없습니다."),
    "tags.footer": (
        "{count} tags · use them with /search and /paper random",
        "태그 {count}개 · /검색, /논문 랜덤에서 쓸 수 있습니다",
    ),
    "tags.footer#one": (
        "1 tag · use it with /search and /paper random",
        "태그 1개 · /검색, /논문 랜덤에서 쓸 수 있습니다",
    ),
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
    # server settings
    "error.guild_only": (
        "This command works in a server only.",
        "서버 안에서만 쓸 수 있는 명령입니다.",
    ),
    "error.manage_guild": (
        "Only members with the Manage Server permission can do that.",
        "서버 관리 권한이 있는 멤버만 쓸 수 있습니다.",
    ),
    "settings.need_channel": (
        "Announcements are not set up here yet: start with `/settings channel`.",
        "아직 공지 설정이 없습니다. 먼저 `/설정 채널`로 채널을 정해 주세요.",
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
    "perm.view_channel": ("View Channel", "채널 보기"),
    "perm.send_messages": ("Send Messages", "메시지 보내기"),
    "perm.embed_links": ("Embed Links", "링크 첨부"),
    "perm.read_message_history": ("Read Message History", "메시지 기록 보기"),
    "perm.create_public_threads": ("Create Public Threads", "공개 스레드 만들기"),
    "perm.send_messages_in_threads": ("Send Messages in Threads", "스레드에서 메시지 보내기"),
    "perm.mention_everyone": (
        "Mention @everyone, @here and All Roles",
        "@everyone, @here, 모든 역할 멘션하기",
    ),
    "perm.manage_guild": ("Manage Server", "서버 관리하기"),
    "perm.administrator": ("Administrator", "관리자"),
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
    "language.ko": ("Korean", "한국어"),
    "language.en": ("English", "영어"),
    "weekday.0": ("Monday", "월요일"),
    "weekday.1": ("Tuesday", "화요일"),
    "weekday.2": ("Wednesday", "수요일"),
    "weekday.3": ("Thursday", "목요일"),
    "weekday.4": ("Friday", "금요일"),
    "weekday.5": ("Saturday", "토요일"),
    "weekday.6": ("Sunday", "일요일"),
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
        "Discord had a problem ({reason}); I will try again by myself at {when}.",
        "Discord 쪽 문제로 실패했습니다 ({reason}). {when}에 자동으로 다시 시도합니다.",
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
        "Delete everything paperbot keeps about you? That is your {count} followed topics,"
        " your alert settings and your queued and sent alerts. This cannot be undone.",
        "paperbot이 보관한 내 정보를 모두 지울까요? 구독한 주제 {count}개, 알림 설정,"
        " 대기 중이거나 보낸 알림 기록이 지워지며 되돌릴 수 없습니다.",
    ),
    "alerts.forget_confirm#one": (
        "Delete everything paperbot keeps about you? That is your 1 followed topic,"
        " your alert settings and your queued and sent alerts. This cannot be undone.",
        "paperbot이 보관한 내 정보를 모두 지울까요? 구독한 주제 1개, 알림 설정,"
        " 대기 중이거나 보낸 알림 기록이 지워지며 되돌릴 수 없습니다.",
    ),
    "alerts.forgotten": (
        "Done: paperbot keeps nothing about you any more.",
        "모두 지웠습니다. paperbot은 이제 나에 대한 정보를 보관하지 않습니다.",
    ),
    "alerts.forget_cancelled": ("Nothing was deleted.", "아무것도 지우지 않았습니다."),
    "button.forget": ("Delete my data", "내 정보 지우기"),
    "button.cancel": ("Cancel", "취소"),
}

# The discovery features keep their text in a module of their own.
MESSAGES.update(DISCOVERY_MESSAGES)
COMMAND_TEXT.update(DISCOVERY_COMMAND_TEXT)


def lang_of(locale: str | None) -> Lang:
    """Korean for Korean clients (`ko`), English for every other locale."""
    return "ko" if locale and locale.lower().startswith("ko") else "en"


@dataclass(frozen=True)
class Msg:
    """A message rendered later, in the language of whoever reads it.

    Errors are raised deep in the core, before anyone knows the reader's language; values that
    are themselves messages (a hint inside an error) are rendered at the same time.
    """

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class MsgList:
    """Several messages rendered later as one comma-separated list (permission names...)."""

    items: tuple[Msg, ...]

    def render(self, lang: Lang) -> str:
        return ", ".join(item.render(lang) for item in self.items)


class _Formatter(string.Formatter):
    """``str.format`` plus two conversions for user text: ``!q`` quoted, ``!p`` plain."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "q":
            return quote_user_text(str(value))
        if conversion == "p":
            return plain_user_text(str(value))
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


def plural_key(key: str, values: dict[str, object]) -> str:
    """``key#one`` when the message has a singular form and ``count`` is 1."""
    if values.get("count") == 1 and f"{key}#one" in MESSAGES:
        return f"{key}#one"
    return key


def t(key: str, lang: Lang, /, **values: object) -> str:
    english, korean = MESSAGES[plural_key(key, values)]
    text = korean if lang == "ko" else english
    if not values:
        return text
    rendered = {name: _render_value(value, lang) for name, value in values.items()}
    return _FORMATTER.format(text, **rendered)


def seconds_to_wait(retry_after: float) -> int:
    """A cooldown's wait as whole seconds, rounded up (never "0 seconds")."""
    return max(1, math.ceil(retry_after))


def _render_value(value: object, lang: Lang) -> object:
    if isinstance(value, Msg | MsgList):
        return value.render(lang)
    if isinstance(value, tuple) and all(isinstance(v, Msg) for v in value):
        return "".join(v.render(lang) for v in value)
    return value
