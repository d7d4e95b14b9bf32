"""Weekly issues of the PyTorch Korea forum ("이번 주의 주요 ML 논문").

A post is an issue title with the week (``[2024/05/13 ~ 05/19] …``, ``[2026/06/08 ~ 14] …``),
an intro of trend bullets, then one block per paper: a title line (``한국어 제목 / English
Title``, English only or Korean only) followed by sections (``소개``/``논문 소개``,
``논문 초록(Abstract)``, ``논문 링크``, ``관련 링크``, ``더 읽어보기``, …), and a footer after
``원문``. The post arrives copied as text from the page or as the forum's raw markdown; both go
through :mod:`bot.digests._markdown` first, so everything below sees plain lines.

Real posts vary week to week, so the parser is a tolerant state machine, not a grammar.

Heuristics, in the order they are applied:

1. **Noise is dropped first.** Blank lines, emoji-only lines (``PyTorchKR🔥🇰🇷``, ``:fire:``) and
   forum chrome (``1개의 좋아요``) never take part in any decision, so "the next line" below
   always means the next meaningful line.
2. **Section headers are recognised by meaning, not by spelling.** A short line whose letters,
   with emoji, punctuation, spaces and parenthesised asides removed, are a known name
   (``논문초록``, ``papersummary``, ``개요``, ``keymessages``…) is a header, also when bulleted
   (``• 논문 소개``), bold (``**논문 링크**``), a markdown heading, or followed by its content
   on the same line (``논문 링크: https://…``). Unknown extra sections with a known kind of name
   (``실험 결과``, ``한계``) go to the commentary.
3. **A paper starts at a title line** — short, not a URL, not ending like a sentence (``.``,
   ``;``-chained clauses) — in any of these cases:

   a. it comes right before a section header and no paper has started yet (or we are in the
      footer);
   b. it comes right before a header and the current section is a link section: titles, not
      prose, follow link lists;
   c. it comes right before a header that the current paper already had, or that goes back in
      the usual order (summary < abstract < links): a new block has begun;
   d. it looks like a bilingual ``ko / en`` title (either order);
   e. it is a markdown heading at the level of the first paper's title heading;
   f. it comes right before a header and the current prose section already holds both a Korean
      and an English paragraph, and it is in title case;
   g. it is the last line of a document cut off inside a link section;
   h. it sits in a link section and a paragraph follows it: a paper whose section headers are
      all missing (its text becomes the summary).

   The very first paper needs (a): a bilingual line in the intro does not start a paper.

   Otherwise the line is content of the current section. A title line that is itself a link
   (``## [GPT-4o](https://…)``) gives the paper its link.
4. **Content is sorted by language and section.** In summary and abstract sections, Korean
   paragraphs go to ``*_ko`` and the others to ``*_en``; text between a title and its first
   header is a summary. Key messages and extra sections go to ``commentary``.
5. **Links are classified by URL, then by section** (see :mod:`bot.digests.links`); the copied
   preview form ``GitHub - owner/repo: description`` anywhere in a paper becomes a code link.
   URLs inside running text become code or related links, never ``paper``: prose cites other
   work, and another paper's arXiv link would give this paper the wrong identity.
6. **``원문`` or the forum's footer text ends the papers.** Lines after it are ignored unless a
   title followed by a header shows that more papers follow.
7. **Dates come from the title**, ``[YYYY/MM/DD ~ [YYYY/][MM/]DD]`` with ``/``, ``.`` or ``-``
   and any dash or tilde, or the English ``(May 13 - May 19) - 2024``; an end month before the
   start month crosses a year end. Without a period, a ``YYYY-MM-DD`` in the file name dates
   the issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.digests._dates import parse_period
from bot.digests._markdown import Line, normalise_all
from bot.digests._sections import (
    LINK_SECTIONS,
    RANK,
    SHORTCODE,
    Section,
    section_of,
    split_header,
)
from bot.digests._text import (
    clip,
    date_from_source,
    is_bilingual_title,
    is_korean,
    looks_like_title,
    source_name,
    split_bilingual_title,
    title_case_ratio,
    url_only,
)
from bot.digests.errors import DigestFormatError
from bot.digests.links import LinkCollector
from bot.digests.models import DigestKind, Document, LinkKind, Paper

_LIKES = re.compile(
    r"(?:\d+\s*개의\s*(?:좋아요|답글|댓글)|(?:좋아요|답글|댓글)\s*\d*\s*개?|\d*\s*(?:likes?|replies|reply)"
    r"|읽는\s*시간.{0,20}|\d+\s*분\s*읽기)",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"이 글은 .{0,60}정리한|파이토치 한국 사용자 모임|pytorch\s*korea\s*user\s*group"
    r"|뉴스 발행에 힘이|회원으로 가입하시면",
    re.IGNORECASE,
)
_TITLE_HINT = re.compile(r"이번\s*주|papers of the week|ML\s*논문|AI/ML|논문 모음", re.IGNORECASE)


def is_noise(text: str) -> bool:
    """Emoji-only lines, forum banners and forum chrome such as ``1개의 좋아요``."""
    if not text:
        return True
    if len(text) > 200:
        return False
    stripped = SHORTCODE.sub("", text).replace("PyTorchKR", "").strip()
    if not any(ch.isalnum() for ch in stripped):
        return True
    return _LIKES.fullmatch(stripped) is not None


def is_footer(text: str) -> bool:
    return _FOOTER.search(text[:300]) is not None


# A markdown table's rule row: | --- | :--: | (the row under its header).
_TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?")


def table_header_line(text: str) -> int | None:
    """The 1-based line of the first markdown table's header row, or None if there is none."""
    previous = ""
    for number, line in enumerate(text[:200_000].split("\n"), 1):
        if "|" in previous and _TABLE_RULE.fullmatch(line.strip()):
            return number - 1
        previous = line
    return None


def looks_like(text: str) -> bool:
    """Whether ``text`` is a weekly issue: a dated issue title, or at least two section kinds.

    Not from table cells (``| Blog | 273.6B |`` is no section header), and never the second way
    for a text holding a markdown table: issues are prose, a table of datasets or models is
    some other document (and each of its rows would become a junk "paper").
    """
    lines = [line for line in normalise_all(text[:200_000]) if not is_noise(line.text)]
    for line in lines[:5]:
        if parse_period(line.text) is not None and _TITLE_HINT.search(line.text[:300]):
            return True
    if table_header_line(text) is not None:
        return False
    kinds = {section_of(line.text) for line in lines if not line.text.startswith("|")}
    kinds.discard(None)
    kinds.discard(Section.END)
    return len(kinds) >= 2 and bool(kinds & {Section.SUMMARY, Section.ABSTRACT})


@dataclass(slots=True)
class _Draft:
    """A paper being assembled while its block is read."""

    title: str
    line: int
    sections: set[Section] = field(default_factory=set)
    text: dict[tuple[Section, bool], list[str]] = field(default_factory=dict)
    commentary: list[str] = field(default_factory=list)
    links: LinkCollector = field(default_factory=LinkCollector)

    def add_prose(self, section: Section, text: str) -> None:
        self.text.setdefault((section, is_korean(text)), []).append(text)

    def has_both_languages(self, section: Section) -> bool:
        return (section, True) in self.text and (section, False) in self.text

    def joined(self, section: Section, korean: bool) -> str | None:
        parts = self.text.get((section, korean))
        return clip("\n".join(parts)) if parts else None

    def to_paper(self) -> Paper:
        title = SHORTCODE.sub("", self.title).strip() if ":" in self.title else self.title
        title_ko, title_en = split_bilingual_title(title or self.title)
        return Paper(
            title_en=title_en,
            title_ko=title_ko,
            summary_ko=self.joined(Section.SUMMARY, True),
            summary_en=self.joined(Section.SUMMARY, False),
            abstract_ko=self.joined(Section.ABSTRACT, True),
            abstract_en=self.joined(Section.ABSTRACT, False),
            commentary=clip("\n".join(self.commentary)) if self.commentary else None,
            links=self.links.links(),
            line=self.line,
        )


@dataclass(slots=True)
class _Parser:
    lines: list[Line]
    papers: list[_Draft] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    current: _Draft | None = None
    section: Section | None = None
    in_footer: bool = False
    title_level: int | None = None

    def run(self) -> None:
        for index, line in enumerate(self.lines):
            following = self.lines[index + 1] if index + 1 < len(self.lines) else None
            header = split_header(line.text)
            if header is not None and not self._is_title_heading(line, header[0]):
                self._open(line, *header)
            elif self._starts_paper(line, following):
                self._start(line)
            elif self.in_footer:
                continue
            elif (self.current is not None or self.papers) and is_footer(line.text):
                self._close()
                self.in_footer = True
            elif self.current is None:
                if not is_footer(line.text):
                    self.intro.append(f"• {line.text}" if line.bullet else line.text)
            else:
                self._content(line, self.section)
        self._close()

    def _is_title_heading(self, line: Line, section: Section) -> bool:
        # "## 개요" at the level of paper titles, while papers are under way, is a paper title.
        return (
            section is not Section.END
            and self.title_level is not None
            and 0 < line.heading <= self.title_level
            and self.current is not None
            and section in self.current.sections
        )

    def _open(self, line: Line, section: Section, rest: str) -> None:
        if section is Section.END:
            if self.current is not None or self.papers:
                self._close()
                self.in_footer = True
            return
        if self.in_footer or self.current is None:
            self.section = section if self.current is not None else None
            if self.current is None and rest and not self.in_footer:
                self.intro.append(rest)
            return
        self.section = section
        self.current.sections.add(section)
        if section is Section.OTHER:
            label = line.text[: -len(rest)] if rest else line.text
            self.current.commentary.append(label.rstrip(" :："))
        if rest or line.urls:  # "논문 링크: https://…", or "[Project page](https://…)"
            self._content(Line(line.number, rest, line.urls, link_only=not rest), section)

    def _starts_paper(self, line: Line, following: Line | None) -> bool:
        if not looks_like_title(line.text) or (line.urls and not line.heading):
            return False
        next_header = split_header(following.text) if following is not None else None
        next_section = next_header[0] if next_header is not None else None
        if next_section is Section.END:
            return False
        current, section = self.current, self.section
        title_heading = self.title_level is not None and 0 < line.heading <= self.title_level
        if next_section is None:
            if current is None and not self.papers:
                return False  # the first paper is the one a section header confirms (a)
            if is_bilingual_title(line.text) or title_heading:
                return True  # (d), (e)
            # (g) cut off after the title; (h) a paper whose sections are all missing.
            return (
                current is not None
                and section in LINK_SECTIONS
                and (following is None or _is_prose(following))
            )
        if current is None or self.in_footer or section is None:
            return True  # (a)
        if is_bilingual_title(line.text) or title_heading:
            return True  # (d), (e)
        if section in LINK_SECTIONS or next_section in current.sections:
            return True  # (b), (c)
        rank, next_rank = RANK.get(section), RANK.get(next_section)
        if rank is not None and next_rank is not None and next_rank < rank:
            return True  # (c)
        return (  # (f)
            section in (Section.SUMMARY, Section.ABSTRACT, Section.COMMENTARY)
            and current.has_both_languages(section)
            and title_case_ratio(line.text) >= 0.5
        )

    def _start(self, line: Line) -> None:
        self._close()
        self.in_footer = False
        self.section = None
        self.current = _Draft(title=line.text, line=line.number)
        if line.heading and self.title_level is None:
            self.title_level = line.heading
        for url in line.urls:
            self.current.links.add_classified(url, LinkKind.PAPER)

    def _close(self) -> None:
        if self.current is not None:
            self.papers.append(self.current)
        self.current = None

    def _content(self, line: Line, section: Section | None) -> None:
        draft = self.current
        if draft is None:
            return
        draft.links.add_github_text(line.text)
        link_kind = LINK_SECTIONS.get(section) if section is not None else None
        if link_kind is not None:
            for url in line.urls:
                draft.links.add_classified(url, link_kind)
            return
        if line.link_only or url_only(line.text):
            for url in line.urls:
                draft.links.add_classified(url, LinkKind.RELATED)
            return
        draft.links.add_from_prose(line.urls)
        if section in (Section.COMMENTARY, Section.OTHER):
            draft.commentary.append(line.text)
        else:
            draft.add_prose(section or Section.SUMMARY, line.text)


def _is_prose(line: Line) -> bool:
    """A paragraph, not a link label: long, or ending like a sentence."""
    text = line.text
    if line.link_only or url_only(text) or text.startswith("GitHub - "):
        return False
    return len(text) >= 80 or text.endswith((".", "다", "요", "!", "。"))


def parse(text: str, source: str) -> Document:
    """Parse a weekly issue; raises :class:`DigestFormatError` when no paper can be found."""
    lines = [line for line in normalise_all(text) if not is_noise(line.text)]
    if not lines:
        raise DigestFormatError(1, "empty document")
    title, period, body_start = _find_title(lines)
    body = [line for line in lines[body_start:] if title is None or line.text != title]
    parser = _Parser(body)
    parser.run()
    papers = [draft.to_paper() for draft in parser.papers]
    if not papers:
        where = body[0].number if body else lines[-1].number
        raise DigestFormatError(
            where, "no paper found: expected a title line followed by a section such as '논문 소개'"
        )
    start, end = period if period is not None else (None, None)
    return Document(
        source=source,
        kind=DigestKind.WEEKLY,
        title=clip(title or _fallback_title(source), 300),
        date=start or date_from_source(source),
        period_start=start,
        period_end=end,
        intro=clip("\n".join(parser.intro)) if parser.intro else None,
        papers=papers,
    )


def _find_title(lines: list[Line]) -> tuple[str | None, tuple[date, date | None] | None, int]:
    """The issue title, its period, and the index where the body starts."""
    for index, line in enumerate(lines[:5]):
        if (period := parse_period(line.text)) is not None:
            return line.text, period, index + 1
    first = lines[0]
    if _TITLE_HINT.search(first.text[:300]) and looks_like_title(first.text):
        return first.text, None, 1
    return None, None, 0


def _fallback_title(source: str) -> str:
    name = source_name(source)
    return name.rsplit(".", 1)[0] if "." in name else name or "weekly issue"
