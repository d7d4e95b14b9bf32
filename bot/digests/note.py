"""Per-paper notes: one markdown file per paper in a notes repository.

::

    https://arxiv.org/abs/2308.04592             a URL line, or "Title URL" in older notes
    Shepherd: A Critic for … (Tianlu Wang, …)    optional title with authors
    > abstract …                                 optional quoted abstract
    LM 모델의 응답 결과에 대해 …                  Korean commentary
    #alignment                               tags (#instance_segmentation → instance-segmentation)

Files are named ``YYMMDD Title.md`` (``230810 ReRoPE.md``): when a note has no title line, the
title comes from the file name, and the ``YYMMDD`` prefix dates the note either way. The path
is never the note's identity (files move between folders); :attr:`Document.key` uses the
paper's arXiv id or URL and the file's name.

Heuristics: before the commentary starts, a non-Korean line that is not a URL, quote or tag
line is the title (with ``(authors)`` split off when the parenthesis holds a comma); once
commentary has started, every text line is commentary. The first URL is the paper's main link
(``paper``, or ``code`` for GitHub); later URL lines are classified by URL.
"""

from __future__ import annotations

import re
from datetime import date

from bot.digests._markdown import normalise_all
from bot.digests._text import (
    MAX_TITLE_CHARS,
    clip,
    is_korean,
    is_tag_line,
    looks_like_title,
    make_date,
    source_name,
    split_bilingual_title,
    split_title_authors,
    split_title_url,
    tag_tokens,
    url_only,
)
from bot.digests.errors import DigestFormatError
from bot.digests.links import LinkCollector, is_code_url
from bot.digests.models import DigestKind, Document, LinkKind, Paper

_NAME = re.compile(r"(?P<date>\d{6})(?:[\s_\-]+(?P<title>.+))?")
_NOTE_SUFFIXES = (".md", ".markdown", ".txt")


def name_parts(source: str) -> tuple[date | None, str | None]:
    """``230810 ReRoPE.md`` → ``(2023-08-10, "ReRoPE")``; other names → ``(None, stem)``."""
    name = source_name(source)
    for suffix in _NOTE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = name.strip()
    if (match := _NAME.fullmatch(name)) is not None:
        digits = match["date"]
        day = make_date(2000 + int(digits[:2]), digits[2:4], digits[4:])
        if day is not None:
            return day, (match["title"] or "").strip() or None
    return None, name or None


def looks_like(text: str, source: str) -> bool:
    """A URL (or ``Title URL``) on the first line, or a ``YYMMDD Title.md`` file name."""
    first = next((line for line in normalise_all(text[:20_000]) if line.text), None)
    if first is not None and (url_only(first.text) or split_title_url(first.text)[1]):
        return True
    day, _ = name_parts(source)
    return day is not None and source_name(source).lower().endswith((".md", ".markdown"))


def parse(text: str, source: str) -> Document:
    """Parse one note; raises :class:`DigestFormatError` when it is empty."""
    lines = [line for line in normalise_all(text) if line.text]
    if not lines:
        raise DigestFormatError(1, "empty note")
    day, name_title = name_parts(source)
    links = LinkCollector()
    title: str | None = None
    authors: list[str] = []
    abstract: list[str] = []
    commentary: list[str] = []
    tags: list[str] = []

    def add_link(url: str) -> None:
        if len(links) == 0:  # the note's own link: the paper, or its code
            links.add(url, LinkKind.CODE if is_code_url(url) else LinkKind.PAPER)
        else:
            links.add_classified(url, LinkKind.RELATED)

    for line in lines:
        content = line.text
        if is_tag_line(content):
            tags += [tag for tag in tag_tokens(content) if tag not in tags]
        elif (url := url_only(content)) is not None:
            add_link(url)
        elif line.quote and not commentary:
            abstract.append(content)
            links.add_from_prose(line.urls)
        elif not commentary and not is_korean(content):
            head, url = split_title_url(content)
            title_part, title_authors = split_title_authors(head)
            if title is None and looks_like_title(title_part):
                title, authors = title_part, title_authors
                if url is not None:
                    add_link(url)
            else:  # an unquoted abstract
                abstract.append(content)
                links.add_from_prose(line.urls)
        else:
            commentary.append(content)
    title = title or name_title
    if title is None and len(links) == 0:
        raise DigestFormatError(lines[0].number, "note has neither a title nor a link")
    paper_links = links.links()
    title_ko, title_en = split_bilingual_title(clip(title or paper_links[0].url, MAX_TITLE_CHARS))
    # Quoted lines are one paragraph wrapped by the editor.
    abstract_text = clip(" ".join(abstract)) if abstract else None
    korean_abstract = abstract_text is not None and is_korean(abstract_text)
    paper = Paper(
        title_en=title_en,
        title_ko=title_ko,
        authors=authors,
        abstract_en=None if korean_abstract else abstract_text,
        abstract_ko=abstract_text if korean_abstract else None,
        commentary=clip("\n".join(commentary)) if commentary else None,
        tags=tags,
        links=paper_links,
        line=lines[0].number,
    )
    return Document(
        source=source,
        kind=DigestKind.NOTE,
        title=clip(title or paper_links[0].url, 300),
        date=day,
        papers=[paper],
    )
