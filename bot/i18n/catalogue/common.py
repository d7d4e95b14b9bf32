"""Text shared by every feature: errors, permissions, buttons, hints, links, kinds, weekdays."""

from __future__ import annotations

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    # generic
    "error.unexpected": (
        "Something went wrong on our side. If it keeps happening, quote error id `{error_id}`.",
        "처리 중 문제가 생겼습니다. 계속되면 오류 번호 `{error_id}`를 알려 주세요.",
    ),
    "error.command_gone": (
        "This command no longer exists: paperbot dropped it. Discord may show it for a while"
        " longer; type `/` to see the commands there are.",
        "이 명령은 이제 없습니다. paperbot에서 빠진 명령인데 Discord에 잠시 더 보일 수 있습니다."
        " `/`를 입력해 지금 있는 명령을 확인해 주세요.",
    ),
    "error.command_changed": (
        "This command has changed since Discord last loaded it. Try again in a minute, or"
        " reload Discord (Ctrl+R).",
        "Discord에 보이는 명령이 바뀌기 전 모습입니다. 1분 뒤에 다시 하거나 Discord를 새로"
        " 고침(Ctrl+R)해 주세요.",
    ),
    "error.bad_value": (
        "One of the values could not be used. Pick it from the suggestions and try again.",
        "입력한 값 하나를 쓸 수 없습니다. 자동완성 목록에서 골라 다시 해 주세요.",
    ),
    "error.discord.unknown_channel": (
        "Discord says this channel no longer exists.",
        "Discord에 따르면 이 채널은 더 이상 없습니다.",
    ),
    "error.discord.unknown_message": (
        "Discord says the message is gone: it was deleted.",
        "Discord에 따르면 메시지가 삭제되었습니다.",
    ),
    "error.discord.unknown_interaction": (
        "Discord no longer accepts an answer to this command (it took too long). Run it again.",
        "시간이 너무 지나 Discord가 이 명령의 답을 받지 않습니다. 다시 실행해 주세요.",
    ),
    "error.discord.already_answered": (
        "This command was already answered.",
        "이 명령에는 이미 답했습니다.",
    ),
    "error.discord.missing_access": (
        "I cannot see this channel: give paperbot the View Channel permission here.",
        "이 채널을 볼 수 없습니다. 여기서 paperbot에게 채널 보기 권한을 주세요.",
    ),
    "error.discord.closed_dms": (
        "I cannot send you a direct message: allow DMs from server members, then try again.",
        "DM을 보낼 수 없습니다. 서버 멤버의 DM을 허용한 뒤 다시 해 주세요.",
    ),
    "error.discord.missing_permissions": (
        "Discord did not let me do that here: paperbot is missing a permission in this"
        " channel. A server admin can check its role.",
        "Discord가 이 작업을 막았습니다. 이 채널에서 paperbot에게 권한이 없습니다."
        " 서버 관리자가 봇 역할을 확인해 주세요.",
    ),
    "error.discord.invalid_form": (
        "Discord refused the answer as too long or malformed. Try a narrower request.",
        "Discord가 답이 너무 길거나 형식이 맞지 않는다며 거절했습니다. 범위를 좁혀 다시 해 주세요.",
    ),
    "error.discord.not_found": (
        "Discord says what this needed no longer exists.",
        "Discord에 따르면 필요한 대상이 더 이상 없습니다.",
    ),
    "error.discord.rate_limited": (
        "Discord asked paperbot to slow down. Try again in a minute.",
        "Discord가 요청을 줄이라고 했습니다. 1분 뒤에 다시 해 주세요.",
    ),
    "error.discord.server": (
        "Discord is having trouble right now. Try again in a minute.",
        "지금 Discord에 문제가 있습니다. 1분 뒤에 다시 해 주세요.",
    ),
    "error.discord.other": (
        "Discord refused the request (HTTP {status}). Try again in a minute.",
        "Discord가 요청을 거절했습니다 (HTTP {status}). 1분 뒤에 다시 해 주세요.",
    ),
    "error.cooldown": (
        "You are going a little fast: try again in {seconds} seconds.",
        "조금 천천히요! {seconds}초 뒤에 다시 해 주세요.",
    ),
    "error.cooldown#one": (
        "You are going a little fast: try again in a second.",
        "조금 천천히요! 1초 뒤에 다시 해 주세요.",
    ),
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
    "button.share": ("Share", "공유"),
    "button.previous": ("Previous", "이전"),
    "button.next": ("Next", "다음"),
    "select.details": ("Show a paper's details…", "논문 자세히 보기…"),
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
    # permissions
    "error.guild_only": (
        "This command works in a server only.",
        "서버 안에서만 쓸 수 있는 명령입니다.",
    ),
    "error.manage_guild": (
        "Only members with the Manage Server permission can do that.",
        "서버 관리 권한이 있는 멤버만 쓸 수 있습니다.",
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
    "language.ko": ("Korean", "한국어"),
    "language.en": ("English", "영어"),
    "weekday.0": ("Monday", "월요일"),
    "weekday.1": ("Tuesday", "화요일"),
    "weekday.2": ("Wednesday", "수요일"),
    "weekday.3": ("Thursday", "목요일"),
    "weekday.4": ("Friday", "금요일"),
    "weekday.5": ("Saturday", "토요일"),
    "weekday.6": ("Sunday", "일요일"),
    "button.forget": ("Delete my data", "내 정보 지우기"),
    "button.cancel": ("Cancel", "취소"),
}
