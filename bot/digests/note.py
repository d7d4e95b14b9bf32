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

**Reviews.** Some notes discuss several papers ("Thoughts on recent papers", a note opening
with three arXiv links, an essay that cites a dozen). Taking such a note's first link as its
paper would give the note that paper's identity: the note would absorb the paper, rename it
after itself, and every link-less review would become one ``title:`` paper. So a note is a
*review* (``Paper.review``), a single entry that is never a paper, when

- its header (the lines before the commentary) holds links to two or more papers, or
- it has no paper link in its header and cites two or more papers anywhere, or
- its title says so (``Thoughts on recent papers``, ``최근 논문``). Not the tag ``#review``:
  notes put it on a survey *paper*, which is one paper.

A review is titled by its file name (its title line usually names its first paper), keeps
every link it cites (the papers it discusses) and its whole text as commentary. A single-paper
note that cites other work in its commentary keeps its one header link and stays a paper; one
that opens with prose and cites two papers becomes a review: the safe side, since a review
never takes a paper's identity.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote

from bot.digests._markdown import normalise_all
from bot.digests._text import (
    MAX_TITLE_CHARS,
    clip,
    find_urls,
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
from bot.digests.links import LinkCollector, is_code_url, is_paper_url
from bot.digests.models import DigestKind, Document, LinkKind, Paper

_NAME = re.compile(r"(?P<date>\d{6})(?:[\s_\-]+(?P<title>.+))?")
# Titles that name a note about several papers, not a paper.
_REVIEW_TITLE = re.compile(
    r"thoughts on|recent papers|paper(?:s)? (?:review|roundup|digest)|reading list|"
    r"최근 논문|논문들|논문 리뷰|논문 정리",
    re.IGNORECASE,
)
_ARXIV_REF = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})", re.IGNORECASE)
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


def paper_reference(url: str) -> str | None:
    """What makes two URLs one paper: its arXiv id, else the URL itself; None if no paper."""
    # unquote: a link shared through a redirect (l.facebook.com/l.php?u=https%3A%2F%2Farxiv…)
    if (match := _ARXIV_REF.search(unquote(url[:2048]))) is not None:
        return f"arxiv:{match.group(1)}"
    return url.rstrip("/") if is_paper_url(url) else None


def _leading_url(text: str) -> tuple[str, str] | None:
    """``"https://… some words"`` → ``(url, "some words")``; None unless a URL starts the line."""
    head, _, rest = text.strip().partition(" ")
    url = url_only(head) if rest.strip() else None
    return (url, rest.strip()) if url is not None else None


def _is_review(header_refs: set[str], all_refs: set[str], titles: list[str | None]) -> bool:
    if len(header_refs) >= 2 or (not header_refs and len(all_refs) >= 2):
        return True
    return any(title and _REVIEW_TITLE.search(title) for title in titles)


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
    # Which papers the note links, for telling a review from a paper note (see above).
    header_refs: set[str] = set()  # links on link lines before the commentary starts
    all_refs: set[str] = set()  # every paper URL of the note, prose included
    cited = LinkCollector()  # every URL, in order: a review's links

    def add_link(url: str) -> None:
        if len(links) == 0:  # the note's own link: the paper, or its code
            links.add(url, LinkKind.CODE if is_code_url(url) else LinkKind.PAPER)
        else:
            links.add_classified(url, LinkKind.RELATED)

    def header_link(url: str) -> None:
        if not commentary and (reference := paper_reference(url)) is not None:
            header_refs.add(reference)

    for line in lines:
        content = line.text
        for cited_url in [*find_urls(content), *line.urls]:
            cited.add_classified(cited_url, LinkKind.RELATED)
            if (reference := paper_reference(cited_url)) is not None:
                all_refs.add(reference)
        if not commentary and len(links) == 0 and (lead := _leading_url(content)) is not None:
            # "https://arxiv.org/abs/… 얼마 전에 …": the note's link, then its first words
            header_link(lead[0])
            add_link(lead[0])
            content = lead[1]
        if is_tag_line(content):
            tags += [tag for tag in tag_tokens(content) if tag not in tags]
        elif (own := url_only(content)) is not None:
            header_link(own)
            add_link(own)
        elif line.quote and not commentary:
            abstract.append(content)
            links.add_from_prose(line.urls)
        elif not commentary and not is_korean(content):
            head, url = split_title_url(content)
            title_part, title_authors = split_title_authors(head)
            if url is not None and looks_like_title(title_part):
                header_link(url)  # "SpanBERT https://…", one paper per line
            if title is None and looks_like_title(title_part):
                title, authors = title_part, title_authors
                if url is not None:
                    add_link(url)
            else:  # an unquoted abstract
                abstract.append(content)
                links.add_from_prose(line.urls)
        else:
            commentary.append(content)
    if _is_review(header_refs, all_refs, [title, name_title]):
        heading = name_title or title
        # a title line other than the review's own names a paper it discusses: keep it as text
        body = [*([title] if title and title != heading else []), *abstract, *commentary]
        return _review(source, day, heading, body, tags, cited, lines[0].number)
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


def _review(
    source: str,
    day: date | None,
    title: str | None,
    text: list[str],
    tags: list[str],
    cited: LinkCollector,
    line: int,
) -> Document:
    """A note about several papers: one entry, titled by its name, never a paper."""
    links = cited.links()
    if title is None and not links:
        raise DigestFormatError(line, "note has neither a title nor a link")
    heading = clip(title or links[0].url, MAX_TITLE_CHARS)
    title_ko, title_en = split_bilingual_title(heading)
    review = Paper(
        title_en=title_en,
        title_ko=title_ko,
        commentary=clip("\n".join(text)) if text else None,
        tags=tags,
        links=links,
        line=line,
        review=True,
    )
    return Document(
        source=source,
        kind=DigestKind.NOTE,
        title=clip(title or links[0].url, 300),
        date=day,
        papers=[review],
    )
