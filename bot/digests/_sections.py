"""Section headers of weekly issues: what a header line names, in any of its spellings.

Posts rename sections from week to week (``소개``, ``논문 소개``, ``개요``, ``Paper Summary``),
decorate them (``• 논문 소개``, ``**논문 링크**``, ``📝 논문 소개``, ``### 논문 초록(Abstract)``)
and sometimes put the content on the same line (``논문 링크: https://…``). A header is
recognised by its letters alone: emoji, punctuation, digits, spaces and parenthesised asides
are removed and the rest is looked up in :data:`_HEADER_TABLE`.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from bot.digests._text import URL
from bot.digests.models import LinkKind


class Section(Enum):
    SUMMARY = "summary"
    ABSTRACT = "abstract"
    COMMENTARY = "commentary"
    OTHER = "other"
    PAPER_LINKS = "paper links"
    CODE_LINKS = "code links"
    RELATED_LINKS = "related links"
    MORE_LINKS = "more links"
    END = "end"


LINK_SECTIONS = {
    Section.PAPER_LINKS: LinkKind.PAPER,
    Section.CODE_LINKS: LinkKind.CODE,
    Section.RELATED_LINKS: LinkKind.RELATED,
    Section.MORE_LINKS: LinkKind.MORE,
}
# The usual order of sections in a block; going back in it means a new paper has begun.
RANK = {
    Section.SUMMARY: 0,
    Section.ABSTRACT: 1,
    Section.PAPER_LINKS: 2,
    Section.CODE_LINKS: 2,
    Section.RELATED_LINKS: 2,
    Section.MORE_LINKS: 2,
}

# Header names with spaces, punctuation, digits and emoji removed, case-folded; one section per
# line, "section: names…". Parenthesised asides are removed before lookup too, so "논문 초록
# (Abstract)" is found as "논문초록".
_HEADER_TABLE = """
summary: 소개 논문소개 개요 논문개요 요약 논문요약 간단소개 간단요약 한줄요약 한줄소개
    summary papersummary overview tldr introduction paperintroduction paperoverview
abstract: 초록 논문초록 원문초록 초록번역 abstract paperabstract 논문초록abstract
paper links: 논문링크 논문 논문주소 논문보기 paper paperlink paperlinks arxiv pdf 논문pdf
code links: 코드 코드링크 소스코드 깃허브 저장소 code codelink github repository repo sourcecode
related links: 관련링크 관련자료 링크 프로젝트페이지 프로젝트 블로그 공식블로그 홈페이지 데모
    related relatedlinks links link projectpage project blog website demo resources
more links: 더읽어보기 더보기 더읽을거리 참고 참고자료 참고링크 readmore furtherreading more
    moreinfo references seealso
commentary: 주요메시지 핵심메시지 핵심 핵심내용 핵심포인트 주요내용 주요포인트 시사점 코멘트 의견
    한줄평 총평 keymessages keymessage keytakeaways takeaways keypoints keyinsights comment
    comments commentary whyitmatters
other: 주요기여 기여 방법 방법론 제안방법 실험 실험결과 결과 주요결과 한계 한계점 배경 문제정의
    주요특징 특징 contributions method methods approach results experiments limitations
    background highlights
end: 원문 원문보기 원문링크 originalpost original source
"""


def _header_index(table: str) -> dict[str, Section]:
    index: dict[str, Section] = {}
    section = Section.SUMMARY
    for row in table.strip().splitlines():
        if not row.startswith(" "):
            name, row = row.split(":", 1)
            section = Section(name)
        for key in row.split():
            index[key] = section
    return index


_HEADER_INDEX = _header_index(_HEADER_TABLE)


# Link sections are also named by free combinations of a few words ("코드 저장소", "GitHub
# Repo", "💻 Code & Data", "공식 코드"). A short line made only of these words is such a header:
# taken for a paper title when nothing follows it, it made a phantom paper that stole the next
# section's links. Any code word makes it a code section, else a related one.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CODE_WORDS = _words(
    "코드 소스코드 깃허브 저장소 깃헙 github gitlab code codes repo repos repository"
    " repositories sourcecode implementation 구현"
)
_RELATED_WORDS = _words(
    "데이터 데이터셋 데모 페이지 프로젝트 블로그 허깅페이스 가중치 링크 웹사이트 홈페이지 자료"
    " data dataset datasets demo demos page project blog huggingface hf weights checkpoints"
    " link links website"
)
_JOINING_WORDS = _words("and 및 공식 official 관련 model models 모델 source 소스 오픈소스 open the")
_ALL_WORDS = _CODE_WORDS | _RELATED_WORDS | _JOINING_WORDS
_MAX_HEADER_WORDS = 5


def _link_words_section(folded: str) -> Section | None:
    words = [word for word in _NON_LETTERS.split(folded) if word]
    if not words or len(words) > _MAX_HEADER_WORDS:
        return None
    if any(word not in _ALL_WORDS for word in words):
        return None
    if any(word in _CODE_WORDS for word in words):
        return Section.CODE_LINKS
    if any(word in _RELATED_WORDS for word in words):
        return Section.RELATED_LINKS
    return None


_MAX_HEADER_CHARS = 60
SHORTCODE = re.compile(r":[a-z0-9_+\-]{1,40}:")
_PARENTHESISED = re.compile(r"\([^)]{0,60}\)|\[[^\]]{0,60}\]|（[^）]{0,60}）")
_NON_LETTERS = re.compile(r"[\W\d_]+")


def section_of(text: str) -> Section | None:
    """The section a header line names, or ``None`` when the line is not a header."""
    if not text or len(text) > _MAX_HEADER_CHARS:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold()
    if ":" in folded:
        folded = SHORTCODE.sub("", folded)
    variants = [folded, _PARENTHESISED.sub("", folded), *re.split(r"[/|]", folded)]
    for variant in variants:
        key = _NON_LETTERS.sub("", variant)
        if key and (section := _HEADER_INDEX.get(key)):
            return section
    return _link_words_section(variants[1])


def split_header(text: str) -> tuple[Section, str] | None:
    """``(section, rest)`` for a header line; ``rest`` is content written on the same line."""
    if (section := section_of(text)) is not None:
        return section, ""
    for separator in (":", "："):
        index = text.find(separator, 0, _MAX_HEADER_CHARS)
        if index > 0 and not text[:index].lower().endswith(("http", "https")):
            rest = text[index + 1 :].strip()
            if rest and (section := section_of(text[:index])) is not None:
                return section, rest
    if (match := URL.search(text, 0, _MAX_HEADER_CHARS + 10)) and match.start() > 0:
        section = section_of(text[: match.start()])
        if section is not None:
            return section, text[match.start() :]
    return None
