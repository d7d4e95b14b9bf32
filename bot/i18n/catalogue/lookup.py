"""Text of the lookup commands: /search, /paper, /tags."""

from __future__ import annotations

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
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
    # paper
    "paper.authors": ("Authors", "저자"),
    "paper.tags": ("Tags", "태그"),
    "paper.links": ("Links", "링크"),
    "paper.appeared": ("Appeared in", "수록"),
    "paper.summary": ("Summary", "요약"),
    "paper.more": ("… more in the full text", "… 전체 내용은 링크에서"),
    "paper.no_random": (
        "No papers{where} yet.",
        "아직{where} 논문이 없습니다.",
    ),
    "paper.tagged": (" tagged {tag!q}", " {tag!q} 태그"),
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
}
