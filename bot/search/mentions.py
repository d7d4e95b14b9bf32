"""Merging a paper's mentions into one paper and its search-index row (pure, no SQL).

Each digest presents a paper its own way: a weekly issue has a short English name, a Korean
title and summaries; a daily note or per-paper note has the full arXiv title, the author list,
the abstract and commentary. The paper row keeps the best of each field; the search row
indexes the union, so any wording from any digest finds the paper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bot.digests.models import DigestKind
from bot.digests.tags import normalise_tag
from bot.search.analysis import index_text

# Lower is preferred for titles: notes and daily digests carry full paper titles.
_KIND_RANK = {DigestKind.NOTE.value: 0, DigestKind.DAILY.value: 1, DigestKind.WEEKLY.value: 2}


@dataclass(frozen=True, slots=True)
class MentionFields:
    """One mention's copy of a paper, with where and when it appeared."""

    kind: str
    sort_date: str | None
    document_id: int
    position: int
    title_en: str | None = None
    title_ko: str | None = None
    summary_ko: str | None = None
    summary_en: str | None = None
    abstract_ko: str | None = None
    abstract_en: str | None = None
    commentary: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SearchColumns:
    """The FTS row of a paper: space-joined index tokens per weighted column."""

    title: str
    authors: str
    tags: str
    summaries: str
    body: str
    keys: str


@dataclass(frozen=True, slots=True)
class MergedPaper:
    title_en: str | None
    title_ko: str | None
    summary_ko: str | None
    summary_en: str | None
    abstract_ko: str | None
    abstract_en: str | None
    commentary: str | None
    authors: list[str]
    tags: list[str]
    links: list[dict[str, str]]
    search: SearchColumns
    single: bool = False  # merged from one mention: its text is the mention's, as is


@lru_cache(maxsize=4096)
def tag_key(tag: str) -> str:
    """The ``keys`` token of a canonical tag: hex keeps any tag one exact FTS token."""
    return "t" + tag.encode().hex()


def kind_key(kind: str) -> str:
    return "k" + kind


@lru_cache(maxsize=4096)
def canonical_tag(tag: str) -> str:
    """The parsers' canonical form (``#Reinforcement_Learning`` -> ``reinforcement-learning``).

    Parsers already emit canonical tags; normalising again keeps hand-built documents and
    user-typed filters comparable with them.
    """
    return normalise_tag(tag)


def _priority(mentions: Iterable[MentionFields]) -> list[MentionFields]:
    """Preferred first: notes, then dailies, then weeklies; newer digests before older."""
    ordered = sorted(mentions, key=lambda m: (m.document_id, -m.position), reverse=True)
    ordered.sort(key=lambda m: m.sort_date or "", reverse=True)
    ordered.sort(key=lambda m: _KIND_RANK.get(m.kind, 9))
    return ordered


def _first(values: Iterable[str | None]) -> str | None:
    return next((value for value in values if value), None)


def _longest(values: Iterable[str | None]) -> str | None:
    present = [value for value in values if value]
    return max(present, key=len) if present else None


def _distinct(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def merge_mentions(mentions: Sequence[MentionFields]) -> MergedPaper:
    """The paper as all its mentions together describe it (``mentions`` must not be empty)."""
    ordered = _priority(mentions)
    authors = max((m.authors for m in ordered), key=len)
    tags = _distinct(canonical_tag(tag) for m in ordered for tag in m.tags)
    links: dict[str, dict[str, str]] = {}
    for mention in ordered:
        for link in mention.links:
            links.setdefault(link["url"], link)
    titles = _distinct(title for m in ordered for title in (m.title_en, m.title_ko))
    search = SearchColumns(
        title=index_text(titles, keep_words=True),
        authors=index_text(_distinct(name for m in ordered for name in m.authors)),
        tags=index_text(tags),
        summaries=index_text(_distinct(s for m in ordered for s in (m.summary_ko, m.summary_en))),
        body=index_text(
            _distinct(
                text for m in ordered for text in (m.abstract_ko, m.abstract_en, m.commentary)
            )
        ),
        keys=" ".join(
            [tag_key(tag) for tag in tags]
            + [kind_key(k) for k in _distinct(m.kind for m in ordered)]
        ),
    )
    return MergedPaper(
        title_en=_first(m.title_en for m in ordered),
        title_ko=_first(m.title_ko for m in ordered),
        summary_ko=_longest(m.summary_ko for m in ordered),
        summary_en=_longest(m.summary_en for m in ordered),
        abstract_ko=_longest(m.abstract_ko for m in ordered),
        abstract_en=_longest(m.abstract_en for m in ordered),
        commentary=_longest(m.commentary for m in ordered),
        authors=list(authors),
        tags=tags,
        links=list(links.values()),
        search=search,
        single=len(ordered) == 1,
    )
