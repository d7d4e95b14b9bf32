"""Korean and English text for replies and for command names and descriptions.

One catalog, keyed by message id; Korean for Korean clients, English for everyone else.
Command names and descriptions are translated by `bot.discord.translator.PaperTranslator`,
which looks
up the English text here (the English text is the key Discord sees by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
        "Slow down a little: try again in {seconds:.0f} s.",
        "잠시 후 다시 시도해 주세요 ({seconds:.0f}초).",
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
        "There is no tag `{tag}`.{hint}",
        "`{tag}` 태그가 없습니다.{hint}",
    ),
    "hint.did_you_mean": (" Did you mean {suggestions}?", " 혹시 {suggestions}?"),
    "hint.see_tags": (" See `/tags` for the list.", " `/tags`에서 목록을 볼 수 있습니다."),
    "error.paper_not_found": (
        "No paper matches `{query}`. Pick one from the suggestions, or try `/search`.",
        "`{query}`에 맞는 논문이 없습니다. 자동완성 목록에서 고르거나 `/search`를 써 보세요.",
    ),
    "error.store_empty": (
        "The digest store is empty: an operator needs to run `paperbot ingest`.",
        "저장된 다이제스트가 없습니다. 운영자가 `paperbot ingest`를 실행해야 합니다.",
    ),
    # search
    "search.title": ("Search: {query}", "검색: {query}"),
    "search.summary": (
        "found: {total} · page {page}/{pages}",
        "논문 {total}편 · {page}/{pages} 페이지",
    ),
    "search.empty": (
        "No papers match `{query}`.{hint}",
        "`{query}`에 맞는 논문이 없습니다.{hint}",
    ),
    "search.hint_other_language": (
        " Try the other language too (e.g. `환각` or `hallucination`), fewer words, or a tag.",
        " 다른 언어로도 찾아보세요 (예: `환각` 또는 `hallucination`)."
        " 단어를 줄이거나 태그를 써도 좋습니다.",
    ),
    "search.hint_tags": (" Popular tags: {tags}.", " 많이 쓰인 태그: {tags}."),
    "search.filtered": (" (tag {tag})", " (태그 {tag})"),
    "search.kind": (" (kind {kind})", " (종류 {kind})"),
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
    "paper.tagged": (" tagged `{tag}`", " `{tag}` 태그"),
    "link.paper": ("Paper", "논문"),
    "link.code": ("Code", "코드"),
    "link.related": ("Related", "관련"),
    "link.more": ("More", "더 보기"),
    # digests
    "digest.latest_title": ("Latest digests", "최신 다이제스트"),
    "digest.list_title": ("Digests", "다이제스트 목록"),
    "digest.none": ("No digests yet.", "아직 다이제스트가 없습니다."),
    "digest.papers": ("{count} papers", "논문 {count}편"),
    "kind.weekly": ("weekly", "주간"),
    "kind.daily": ("daily", "일간"),
    "kind.note": ("note", "노트"),
    # tags
    "tags.title": ("Tags", "태그"),
    "tags.none": ("No tags yet.", "아직 태그가 없습니다."),
    "tags.footer": ("{count} tags · use them with /search and /paper random", "태그 {count}개"),
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
    "announce.disabled_notice": (
        "Announcements are paused in this server ({reason}). Fix the channel or the bot's"
        " permissions, then run the announcement setup again.",
        "이 서버의 공지가 일시 중지되었습니다 ({reason}). 채널이나 봇 권한을 고친 뒤 공지"
        " 설정을 다시 실행해 주세요.",
    ),
    "announce.reason.forbidden": ("missing permissions", "권한 없음"),
    "announce.reason.not_found": ("the channel no longer exists", "채널이 삭제됨"),
    # alerts
    "alert.title": ("{count} papers for {labels}", "{labels} 관련 논문 {count}편"),
    "alert.title_one": ("1 paper for {labels}", "{labels} 관련 논문 1편"),
    "alert.in_issue": ("New in **{issue}**", "**{issue}**에 새로 실린 논문"),
    "alert.more": ("… and {count} more", "… 외 {count}편"),
    "alert.footer": ("Manage your alerts with /alerts", "/alerts 로 알림을 관리하세요"),
    "alert.unreachable_notice": (
        "I could not send you a DM, so your topic alerts are paused. Allow DMs from this"
        " server's members, then resume your alerts.",
        "DM을 보낼 수 없어 주제 알림을 일시 중지했습니다. 서버 멤버의 DM을 허용한 뒤 알림을"
        " 다시 켜 주세요.",
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
        "아직 공지 설정이 없습니다. 먼저 `/settings channel`로 채널을 정해 주세요.",
    ),
    "settings.bad_timezone": (
        "`{zone}` is not a time zone I know. Use an IANA name such as `Asia/Seoul`,"
        " `Europe/Berlin` or `America/New_York`.",
        "`{zone}`은(는) 알 수 없는 시간대입니다. `Asia/Seoul`, `Europe/Berlin`,"
        " `America/New_York` 같은 IANA 이름을 써 주세요.",
    ),
    "settings.bad_time": (
        "`{time}` is not a time of day: use HH:MM (24-hour), e.g. `09:30`.",
        "`{time}`은(는) 올바른 시각이 아닙니다. 24시간제 HH:MM으로 입력해 주세요 (예: `09:30`).",
    ),
    "settings.bad_kinds": (
        "Choose one or more of `weekly`, `daily`, `note` (e.g. `weekly daily`).",
        "`weekly`, `daily`, `note` 중 하나 이상을 골라 주세요 (예: `weekly daily`).",
    ),
    "settings.bad_channel": (
        "I cannot post in {channel}: give me View Channel, Send Messages and Create Public"
        " Threads there, or pick another channel.",
        "{channel}에 글을 올릴 수 없습니다. 채널 보기, 메시지 보내기, 공개 스레드 만들기 권한을"
        " 주거나 다른 채널을 골라 주세요.",
    ),
    "settings.saved": ("Saved.", "저장했습니다."),
    "settings.title": ("Announcement settings", "공지 설정"),
    "settings.channel": ("Channel", "채널"),
    "settings.schedule": ("Schedule", "일정"),
    "settings.schedule_value": ("{weekday} {time} ({zone})", "{weekday} {time} ({zone})"),
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
        "Discord had a problem; I will try again shortly.",
        "Discord 쪽 문제로 실패했습니다. 잠시 후 다시 시도합니다.",
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
    "status.no_sources": ("no polls yet", "아직 가져온 적 없음"),
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
    "status.reason.closed_dms": ("closed DMs", "DM 차단"),
    "status.reason.unknown_user": ("unknown user", "알 수 없는 사용자"),
    "status.reason.inactive": ("user paused", "사용자가 일시 중지"),
    # /alerts
    "alerts.followed_tag": (
        "You will get a DM when a new digest has papers tagged `{value}`.",
        "`{value}` 태그 논문이 새 다이제스트에 실리면 DM으로 알려 드립니다.",
    ),
    "alerts.followed_keyword": (
        "You will get a DM when a new paper mentions “{value}”.",
        "“{value}”이(가) 들어간 새 논문이 실리면 DM으로 알려 드립니다.",
    ),
    "alerts.already": ("You already follow `{value}`.", "이미 `{value}`을(를) 구독 중입니다."),
    "alerts.too_many": (
        "You follow too many topics already ({limit} at most); unfollow some first.",
        "구독이 너무 많습니다 (최대 {limit}개). 먼저 일부를 해지해 주세요.",
    ),
    "alerts.empty_keyword": (
        "Type a word or phrase to watch for.",
        "알림 받을 단어나 문구를 입력해 주세요.",
    ),
    "alerts.unfollowed": ("You no longer follow `{value}`.", "`{value}` 구독을 해지했습니다."),
    "alerts.not_following": (
        "You do not follow `{value}`; see `/alerts list`.",
        "`{value}`을(를) 구독하고 있지 않습니다. `/alerts list`를 확인해 주세요.",
    ),
    "alerts.list_title": ("Your topic alerts", "내 주제 알림"),
    "alerts.list_empty": (
        "You follow nothing yet: try `/alerts follow` with a tag or `/alerts keyword`.",
        "아직 구독이 없습니다. `/alerts follow`로 태그를, `/alerts keyword`로 키워드를"
        " 구독해 보세요.",
    ),
    "alerts.tags": ("Tags", "태그"),
    "alerts.keywords": ("Keywords", "키워드"),
    "alerts.state_active": ("Alerts are on.", "알림이 켜져 있습니다."),
    "alerts.state_paused": (
        "Alerts are paused: `/alerts resume` turns them back on.",
        "알림이 일시 중지되었습니다. `/alerts resume`으로 다시 켤 수 있습니다.",
    ),
    "alerts.state_unreachable": (
        "Alerts are stopped because I could not DM you: allow DMs, then `/alerts resume`.",
        "DM을 보낼 수 없어 알림이 멈췄습니다. DM을 허용한 뒤 `/alerts resume`을 실행해 주세요.",
    ),
    "alerts.paused": (
        "Alerts paused. Nothing is saved up meanwhile; `/alerts resume` turns them back on.",
        "알림을 일시 중지했습니다. 그동안의 알림은 모아 두지 않습니다."
        " `/alerts resume`으로 다시 켤 수 있습니다.",
    ),
    "alerts.resumed": ("Alerts are on again.", "알림을 다시 켰습니다."),
}

# Command names and descriptions: English (as declared in the cogs) -> Korean.
COMMAND_TEXT: dict[str, str] = {
    "search": "검색",
    "Search papers in Korean or English": "한국어나 영어로 논문 검색",
    "query": "검색어",
    "Words, a title, an author or a tag": "단어, 제목, 저자 또는 태그",
    "tag": "태그",
    "Only papers with this tag": "이 태그가 붙은 논문만",
    "kind": "종류",
    "Only this kind of digest": "이 종류의 다이제스트만",
    "paper": "논문",
    "Look at one paper": "논문 하나 보기",
    "random": "랜덤",
    "A random paper": "무작위 논문",
    "show": "보기",
    "A paper's details": "논문 자세히 보기",
    "title": "제목",
    "The paper's title (start typing)": "논문 제목 (입력하면 추천)",
    "digest": "다이제스트",
    "Weekly issues and daily notes": "주간 이슈와 일간 노트",
    "latest": "최신",
    "The latest digests": "최신 다이제스트",
    "list": "목록",
    "All digests, newest first": "전체 다이제스트 (최신순)",
    "tags": "태그",
    "The tags and how many papers carry each": "태그 목록과 논문 수",
    "weekly": "주간",
    "daily": "일간",
    "note": "노트",
    # server settings
    "settings": "설정",
    "Announcement settings for this server": "이 서버의 공지 설정",
    "channel": "채널",
    "Where new issues are announced": "새 이슈를 공지할 채널",
    "The channel for announcements": "공지를 올릴 채널",
    "schedule": "일정",
    "The weekday and time of the weekly announcement": "주간 공지 요일과 시각",
    "weekday": "요일",
    "The day of the week": "요일",
    "time": "시각",
    "Time of day, HH:MM (24-hour)": "시각, HH:MM (24시간제)",
    "timezone": "시간대",
    "The server's time zone (IANA name)": "서버의 시간대 (IANA 이름)",
    "zone": "시간대",
    "e.g. Asia/Seoul, Europe/Berlin": "예: Asia/Seoul, Europe/Berlin",
    "role": "역할",
    "The role pinged by announcements (none: no ping)": "공지할 때 알릴 역할 (없으면 알림 없음)",
    "The role to ping; leave empty for none": "알릴 역할. 비워 두면 알리지 않음",
    "kinds": "종류",
    "Which digests are announced": "공지할 다이제스트 종류",
    "weekly, daily and/or note, separated by spaces": (
        "weekly, daily, note 중 하나 이상 (공백으로 구분)"
    ),
    "language": "언어",
    "The language of announcements": "공지 언어",
    "The language": "언어",
    "Show the settings and the next post time": "설정과 다음 공지 시각 보기",
    "Monday": "월요일",
    "Tuesday": "화요일",
    "Wednesday": "수요일",
    "Thursday": "목요일",
    "Friday": "금요일",
    "Saturday": "토요일",
    "Sunday": "일요일",
    "Korean": "한국어",
    "English": "영어",
    # announcements
    "announce": "공지",
    "Announcements of new issues": "새 이슈 공지",
    "preview": "미리보기",
    "See the next announcement without posting it": "올리지 않고 다음 공지 미리 보기",
    "now": "지금",
    "Post the latest issue now": "최신 이슈를 지금 공지",
    "status": "상태",
    "Sources, last posts, alert backlog and failures": "출처, 최근 공지, 알림 대기열과 실패",
    # alerts
    "alerts": "알림",
    "Direct messages about topics you follow": "구독한 주제의 DM 알림",
    "follow": "구독",
    "Get a DM when new papers carry a tag": "새 논문에 태그가 붙으면 DM 받기",
    "keyword": "키워드",
    "Get a DM when new papers mention a word or phrase": "새 논문에 단어나 문구가 나오면 DM 받기",
    "word": "단어",
    "A word or phrase": "단어나 문구",
    "unfollow": "해지",
    "Stop following a tag or keyword": "태그나 키워드 구독 해지",
    "topic": "주제",
    "A tag or keyword you follow": "구독 중인 태그나 키워드",
    "Your tags and keywords": "내 태그와 키워드",
    "pause": "일시중지",
    "Pause your alerts": "알림 일시 중지",
    "resume": "재개",
    "Turn your alerts back on": "알림 다시 켜기",
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


def t(key: str, lang: Lang, /, **values: object) -> str:
    english, korean = MESSAGES[key]
    text = korean if lang == "ko" else english
    if not values:
        return text
    rendered = {name: _render_value(value, lang) for name, value in values.items()}
    return text.format(**rendered)


def _render_value(value: object, lang: Lang) -> object:
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, tuple) and all(isinstance(v, Msg) for v in value):
        return "".join(v.render(lang) for v in value)
    return value
