"""What the store hands back: plain pydantic records, no connection attached.

Services and cogs render these; they never see rows or SQL. Records are frozen so a record
shared between a cache and a view cannot be changed behind anyone's back.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.digests.models import REVIEW_PREFIX, DigestKind, Link, LinkKind

__all__ = [
    "DocumentOutcome",
    "IngestReport",
    "IngestStatus",
    "IssueRecord",
    "MentionRecord",
    "PaperRecord",
    "SearchHit",
    "SearchPage",
    "SearchStrategy",
    "StoreStats",
    "TitleSuggestion",
]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class MentionRecord(_Record):
    """One appearance of a paper in a digest."""

    document_id: int
    document_key: str
    issue_title: str
    kind: DigestKind
    date: dt.date | None = Field(description="the digest's period start, else its date")
    source: str
    position: int = Field(description="0-based order of the paper in the digest")
    line: int = Field(description="1-based line where the entry starts in its source")


class PaperRecord(_Record):
    """A paper with the best fields merged from all its mentions.

    Titles: the first found in mention order note > daily > weekly (notes and dailies carry the
    full paper title, weeklies a short name), then newest digest first. Authors: the longest
    list. Summaries, abstracts and commentary: the longest text. Links: union by URL. Tags:
    union. ``mentions`` are in chronological order.
    """

    id: int
    identity: str
    arxiv_id: str | None = None
    title_en: str | None = None
    title_ko: str | None = None
    authors: list[str] = Field(default_factory=list)
    summary_ko: str | None = None
    summary_en: str | None = None
    abstract_ko: str | None = None
    abstract_en: str | None = None
    commentary: str | None = None
    tags: list[str] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    mentions: list[MentionRecord] = Field(default_factory=list)

    @property
    def is_review(self) -> bool:
        """A note that discusses several papers: an entry of its own, not a paper."""
        return self.identity.startswith(REVIEW_PREFIX)

    @property
    def title(self) -> str:
        return self.title_en or self.title_ko or ""

    @property
    def url(self) -> str | None:
        """The paper's own page: its first paper link, else its arXiv page, else any link."""
        for link in self.links:
            if link.kind is LinkKind.PAPER:
                return link.url
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        return self.links[0].url if self.links else None


class IssueRecord(_Record):
    """A stored digest (weekly issue, daily digest or single note)."""

    id: int
    key: str
    kind: DigestKind
    title: str
    date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    source: str
    intro: str | None = None
    paper_count: int


SearchStrategy = Literal["all", "corrected", "relaxed", "any", "none"]


class SearchHit(_Record):
    paper: PaperRecord
    score: float = Field(
        description="relevance, higher is better (negated bm25); below 0 for papers found"
        " only through the glossary or a tag alias"
    )


class SearchPage(_Record):
    """One page of search results.

    ``strategy`` tells how the hits were found: ``all`` (every term matched), ``corrected``
    (every term matched after one-typo corrections, listed in ``corrections``), ``relaxed``
    (every term matched once Korean words were reduced to their nouns: ``평가한`` -> ``평가``),
    ``any`` (no paper has every term: papers with some of the meaningful terms, ranked by how
    much of the query they cover), or ``none`` (nothing to search for). With ``all``,
    ``corrected`` or ``relaxed``, papers with some of the terms follow the full matches.
    """

    query: str
    total: int
    hits: list[SearchHit] = Field(default_factory=list)
    offset: int = 0
    limit: int = 10
    strategy: SearchStrategy = "all"
    corrections: dict[str, str] = Field(default_factory=dict)


class TitleSuggestion(_Record):
    """An autocomplete choice: Discord shows ``title`` and sends back ``id``."""

    id: int
    title: str


class StoreStats(_Record):
    documents: dict[DigestKind, int]
    papers: int
    mentions: int
    tags: int
    db_size_bytes: int


class IngestStatus(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class DocumentOutcome(_Record):
    key: str
    status: IngestStatus
    document_id: int | None = None
    new_paper_ids: list[int] = Field(default_factory=list)
    error: str | None = None


class IngestReport(BaseModel):
    """What one ``Store.ingest`` call did, per document and in total."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    new_paper_ids: list[int] = Field(default_factory=list)
    deleted_paper_ids: list[int] = Field(default_factory=list)
    documents: list[DocumentOutcome] = Field(default_factory=list)

    def add(self, outcome: DocumentOutcome) -> None:
        self.documents.append(outcome)
        match outcome.status:
            case IngestStatus.NEW:
                self.new += 1
            case IngestStatus.UPDATED:
                self.updated += 1
            case IngestStatus.UNCHANGED:
                self.unchanged += 1
            case IngestStatus.FAILED:
                self.failed += 1
        self.new_paper_ids.extend(outcome.new_paper_ids)
