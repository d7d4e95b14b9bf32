"""Daily paper notes: one researcher's notes on the papers of one day.

The format is loose, line-oriented and unmarked::

    2024년 2월 6일                      date (also 2024-02-06)
    DeepSeekMath: Pushing the Limits…   title (English)
    (Zhihong Shao, Peiyi Wang, …)       authors, optional; "(OpenAI)" is one author
    https://arxiv.org/abs/…             URL line(s), optional, instead of or after the authors
    Mathematical reasoning poses…       English abstract, optional
    DeepSeek의 수학 모델. …              Korean commentary, one or more lines
    #math #llm                          tags, optional; ends the entry

Heuristics (written down because the format never says where an entry ends):

1. **Lines are classified** as tags (every token a ``#tag``), URL-only, authors (the whole line
   in parentheses, no Hangul), Korean (a Hangul share of at least 10%), noise (no letters: a
   lone ``.``) or English text. Markdown is flattened first, so ``**Title**`` is a title.
2. **A tag line ends an entry**; the next line starts a new one.
3. **Otherwise an English line starts a new entry** when it looks like a title (short, no final
   period) and

   - the current entry has only a title and metadata so far, and the line is followed by an
     authors or URL line (the previous entry simply had no abstract or commentary);
   - we are in an abstract and the line is followed by an authors line (a URL after an
     abstract is part of it, see 5);
   - we are in the commentary and the line is followed by an authors line, a URL line or an
     English paragraph, or it comes after a blank line, or it is in title case, or it is the
     last line (an entry cut off after its title).

4. **Within an entry**: the first English line after the title and metadata opens the abstract
   (``abstract_en``), Korean lines are ``commentary``, English lines inside the commentary stay
   commentary.
5. **Stray lines inside an abstract are glued back**: copying from arXiv splits "…available at
   https://…." into the sentence, a URL line and a lone ``.``. While the abstract's last
   sentence is unfinished, URL lines, short fragments and punctuation join it; the URL is also
   kept as a link.
6. **Links**: the first URL line right after the title or authors is the paper's main link
   (``paper``, or ``code`` for GitHub); later URL lines are classified by URL (arXiv → paper,
   GitHub → code, else related). URLs inside commentary sentences cite other work and are not
   links of this paper; URLs inside the abstract are code or related links, never ``paper``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from bot.digests._dates import parse_date_line
from bot.digests._markdown import Line, normalise_all
from bot.digests._text import (
    MAX_TITLE_CHARS,
    authors_line,
    clip,
    date_from_source,
    is_korean,
    is_tag_line,
    looks_like_title,
    source_name,
    split_bilingual_title,
    split_title_authors,
    split_title_url,
    tag_tokens,
    title_case_ratio,
    url_only,
)
from bot.digests.errors import DigestFormatError
from bot.digests.links import LinkCollector, classify_url, is_code_url
from bot.digests.models import DigestKind, Document, LinkKind, Paper

_TERMINAL = (".", "!", "?", "。", ".)", '."', ".”")


class Kind(Enum):
    TAGS = "tags"
    URL = "url"
    AUTHORS = "authors"
    KOREAN = "korean"
    TEXT = "text"
    NOISE = "noise"


class State(Enum):
    TITLE = "title"  # just read the title
    META = "meta"  # read authors or the main link
    ABSTRACT = "abstract"
    COMMENTARY = "commentary"
    CLOSED = "closed"  # a tag line ended the entry


def classify(line: Line) -> Kind:
    text = line.text
    if is_tag_line(text):
        return Kind.TAGS
    if url_only(text):
        return Kind.URL
    if authors_line(text) is not None:
        return Kind.AUTHORS
    if not any(ch.isalnum() for ch in text[:200]):
        return Kind.NOISE
    return Kind.KOREAN if is_korean(text) else Kind.TEXT


def looks_like(text: str) -> bool:
    """A date line first, or entries with author lines and tag lines."""
    lines = [line for line in normalise_all(text[:200_000]) if line.text]
    if not lines:
        return False
    if parse_date_line(lines[0].text) is not None:
        return True
    kinds = {classify(line) for line in lines[:400]}
    return Kind.AUTHORS in kinds and Kind.TAGS in kinds


@dataclass(slots=True)
class _Entry:
    line: int
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    # Paragraphs, each a list of pieces: gluing a stray line is an append, not a string copy.
    abstract: list[list[str]] = field(default_factory=list)
    commentary: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: LinkCollector = field(default_factory=LinkCollector)
    has_main_link: bool = False
    state: State = State.TITLE

    def set_title(self, text: str) -> None:
        title, url = split_title_url(text)
        title, authors = split_title_authors(title)
        self.title = title
        if authors and not self.authors:
            self.authors = authors
        if url is not None:
            self.add_main_link(url)

    def add_main_link(self, url: str) -> None:
        kind = LinkKind.CODE if is_code_url(url) else classify_url(url, LinkKind.PAPER)
        self.links.add(url, kind)
        self.has_main_link = True

    def abstract_open(self) -> bool:
        """The abstract's last sentence is unfinished (a stray line may complete it)."""
        return bool(self.abstract) and not self.abstract[-1][-1].rstrip().endswith(_TERMINAL)

    def glue(self, text: str) -> None:
        separator = "" if not any(ch.isalnum() for ch in text[:1]) else " "
        self.abstract[-1].append(separator + text.strip())

    def to_paper(self) -> Paper | None:
        title = self.title
        links = self.links.links()
        if title is None:
            if not links:
                return None
            title = links[0].url
        title_ko, title_en = split_bilingual_title(clip(title, MAX_TITLE_CHARS))
        return Paper(
            title_en=title_en,
            title_ko=title_ko,
            authors=self.authors,
            abstract_en=clip("\n".join("".join(p).strip() for p in self.abstract))
            if self.abstract
            else None,
            commentary=clip("\n".join(self.commentary)) if self.commentary else None,
            tags=self.tags,
            links=links,
            line=self.line,
        )


@dataclass(slots=True)
class _Parser:
    lines: list[Line]
    entries: list[_Entry] = field(default_factory=list)

    @property
    def current(self) -> _Entry | None:
        return self.entries[-1] if self.entries else None

    def run(self) -> None:
        kinds = [classify(line) if line.text else None for line in self.lines]
        # following[i]: the kind of the next non-blank line after line i (computed backwards).
        following: list[Kind | None] = [None] * len(kinds)
        upcoming: Kind | None = None
        for index in range(len(kinds) - 1, -1, -1):
            following[index] = upcoming
            upcoming = kinds[index] or upcoming
        blank_before = False
        for index, line in enumerate(self.lines):
            kind = kinds[index]
            if kind is None:
                blank_before = True
                continue
            self._line(line, kind, following[index], blank_before)
            blank_before = False

    def _line(self, line: Line, kind: Kind, following: Kind | None, blank_before: bool) -> None:
        entry = self.current
        if kind is Kind.TAGS:
            if entry is not None:
                for tag in tag_tokens(line.text):
                    if tag not in entry.tags:
                        entry.tags.append(tag)
                entry.state = State.CLOSED
            return
        if entry is None or entry.state is State.CLOSED:
            if kind is not Kind.NOISE:
                self._start(line, kind)
            return
        if kind is Kind.TEXT and self._new_entry(entry, line, following, blank_before):
            self._start(line, kind)
            return
        if kind is Kind.URL:
            self._url(entry, line)
        elif kind is Kind.AUTHORS:
            if not entry.authors and entry.state in (State.TITLE, State.META):
                entry.authors = authors_line(line.text) or []
                entry.state = State.META
        elif kind is Kind.TEXT:
            self._text(entry, line)
        elif kind is Kind.KOREAN:
            if entry.title is None:
                entry.set_title(line.text)
            else:
                entry.commentary.append(line.text)
                entry.state = State.COMMENTARY
        elif entry.state is State.ABSTRACT and entry.abstract_open():
            entry.glue(line.text)  # a lone "." that ends the abstract's last sentence

    def _new_entry(
        self, entry: _Entry, line: Line, following: Kind | None, blank_before: bool
    ) -> bool:
        if entry.title is None or not looks_like_title(line.text):
            return False
        if entry.state in (State.TITLE, State.META):
            # An authors line only ever follows a title; a URL line may also follow an abstract
            # that ends "…available at", so then the line must read like a title too.
            if following is Kind.AUTHORS:
                return True
            return following is Kind.URL and title_case_ratio(line.text) >= 0.4
        if entry.state is State.ABSTRACT:
            return following is Kind.AUTHORS
        # In the commentary, which is Korean: an English title-like line is the next paper,
        # unless it is followed by tags (then it is a remark that the tags close).
        if following in (Kind.AUTHORS, Kind.URL, Kind.TEXT, None):
            return True
        if following is Kind.TAGS:
            return False
        return blank_before or title_case_ratio(line.text) >= 0.5

    def _start(self, line: Line, kind: Kind) -> None:
        entry = _Entry(line=line.number)
        self.entries.append(entry)
        if kind is Kind.URL:
            entry.add_main_link(url_only(line.text) or line.text)
            entry.state = State.META
        elif kind is Kind.AUTHORS:
            entry.authors = authors_line(line.text) or []
            entry.state = State.META
        else:
            entry.set_title(line.text)

    def _url(self, entry: _Entry, line: Line) -> None:
        url = url_only(line.text) or line.text
        if entry.state in (State.TITLE, State.META) and not entry.has_main_link:
            entry.add_main_link(url)
            entry.state = State.META
        elif entry.state is State.ABSTRACT and entry.abstract_open():
            entry.glue(url)
            entry.links.add_from_prose([url])
        else:
            entry.links.add_classified(url, LinkKind.RELATED)

    def _text(self, entry: _Entry, line: Line) -> None:
        text = line.text
        if entry.title is None:
            entry.set_title(text)
            entry.state = State.TITLE
            return
        entry.links.add_github_text(text)
        if entry.state is State.COMMENTARY:
            entry.commentary.append(text)
            return
        entry.links.add_from_prose(line.urls)
        if entry.state is State.ABSTRACT and entry.abstract_open() and _is_fragment(text):
            entry.glue(text)
        else:
            entry.abstract.append([text])
        entry.state = State.ABSTRACT


def _is_fragment(text: str) -> bool:
    """A piece of a broken sentence: a few words, or starting in lower case."""
    return len(text.split()) <= 3 or text[:1].islower()


def parse(text: str, source: str) -> Document:
    """Parse a day of notes; raises :class:`DigestFormatError` when it holds no entry."""
    lines = normalise_all(text)
    meaningful = [line for line in lines if line.text]
    if not meaningful:
        raise DigestFormatError(1, "empty document")
    day = parse_date_line(meaningful[0].text)
    if day is not None:
        title = meaningful[0].text
        body = [line for line in lines if line.number > meaningful[0].number]
    else:
        day = date_from_source(source)
        title = f"{day.isoformat()}" if day else source_name(source) or "daily notes"
        body = lines
    parser = _Parser(body)
    parser.run()
    papers = [paper for entry in parser.entries if (paper := entry.to_paper()) is not None]
    if not papers:
        where = next((line.number for line in body if line.text), meaningful[-1].number)
        raise DigestFormatError(where, "no paper entry found: expected a title line")
    return Document(
        source=source,
        kind=DigestKind.DAILY,
        title=clip(title, 300),
        date=day,
        papers=papers,
    )
