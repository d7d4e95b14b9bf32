"""Korean and English text for replies and for command names and descriptions.

One catalog, keyed by message id; Korean for Korean clients, English for everyone else.
Command names and descriptions are translated by `bot.app`'s discord.py Translator, which looks
up the English text here (the English text is the key Discord sees by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
}


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
