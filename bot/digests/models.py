"""Typed models every parser produces and the store consumes.

Nothing here knows about SQLite or Discord: parsers turn text into these, the store keeps them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, Field

from bot.digests._text import source_name

# A paper's free text, named once for every layer: its titles, then its prose (summaries,
# abstracts, commentary), in the order the index weighs them. ``Paper`` has one field each.
TITLE_FIELDS = ("title_en", "title_ko")
PROSE_FIELDS = ("summary_ko", "summary_en", "abstract_ko", "abstract_en", "commentary")
TEXT_FIELDS = TITLE_FIELDS + PROSE_FIELDS

# The identity prefix of a review: a note about several papers, never a paper (Paper.review).
REVIEW_PREFIX = "review:"
ARXIV_ID = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)


class DigestKind(StrEnum):
    WEEKLY = "weekly"
    DAILY = "daily"
    NOTE = "note"


class LinkKind(StrEnum):
    PAPER = "paper"
    CODE = "code"
    RELATED = "related"
    MORE = "more"


class Link(BaseModel):
    kind: LinkKind
    url: str


class Paper(BaseModel):
    """One paper as one digest presents it (a *mention* once stored)."""

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
    line: int = Field(default=0, description="1-based line where the entry starts in its source")
    review: bool = Field(
        default=False,
        description="a note that discusses several papers: its links are the papers it discusses,"
        " never its own identity",
    )

    @property
    def title(self) -> str:
        return self.title_en or self.title_ko or ""

    @property
    def arxiv_id(self) -> str | None:
        # Only the paper's own links: an arXiv URL cited in a related link is another paper.
        # A review has none: every paper link of it is a paper it discusses.
        if self.review:
            return None
        for link in self.links:
            if link.kind is LinkKind.PAPER and (match := ARXIV_ID.search(link.url)):
                return match.group(1)
        return None

    @property
    def identity(self) -> str:
        """The key that makes mentions in different digests one paper.

        A review (``review``) is never a paper: ``review:<normalised title>``, which the store
        dates (``review:<date> <title>``) so that two undated-looking "Thoughts on recent
        papers" of different days stay two entries.
        """
        if self.review:
            return f"{REVIEW_PREFIX}{normalise_title(self.title)}"
        if arxiv := self.arxiv_id:
            return f"arxiv:{arxiv}"
        return f"title:{normalise_title(self.title)}"


class Document(BaseModel):
    """One digest: a weekly issue, a day of notes, or a single per-paper note."""

    source: str = Field(description="where it was read from: a path or a URL")
    kind: DigestKind
    title: str
    # ``datetime.date`` spelled out: a field named ``date`` shadows the bare name in the class.
    date: datetime.date | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    intro: str | None = None
    papers: list[Paper] = Field(default_factory=list)
    # Not content (never dumped, so not hashed): the other files of this run that hold the same
    # note (copies; see ``DocumentBatch``), whose rows stored by earlier versions it adopts.
    copy_sources: list[str] = Field(default_factory=list, exclude=True)

    @property
    def key(self) -> str:
        """Stable identity of the digest, independent of where the file lives.

        Weeklies and dailies are keyed by kind and date: a weekly issue read from a local copy
        and from the forum is one digest. A note is keyed by ``(kind, the paper's arXiv id or
        URL, the file's name)``, e.g. ``note:arxiv:2308.04592 | 230808 Shepherd.md``:

        - the paper reference alone would make two notes about one paper (a second reading, a
          v2) one document that each overwrites in turn;
        - the full path would make one note two documents as soon as it is read through another
          spelling (relative, absolute, a symlink) or moved into a year folder, which the notes
          repository does to older notes; its *name* survives both;
        - a hash of the note's text would make every edit a new document beside the old one,
          and notes are edited far more often than renamed.

        So a renamed note is a new document (its old name stays until removed), and two files
        of the same name about the same paper are one note (copies). The name is taken NFC:
        macOS spells Hangul file names decomposed. Undated digests are keyed by name too.
        """
        name = unicodedata.normalize("NFC", source_name(self.source) or self.source)
        if self.kind is DigestKind.NOTE:
            reference = self._note_reference()
            return f"note:{reference} | {name}" if reference else f"note:name:{name}"
        day = self.period_start or self.date
        if day is not None:
            return f"{self.kind.value}:{day.isoformat()}"
        return f"{self.kind.value}:name:{name}"

    @property
    def former_key(self) -> str | None:
        """The key this digest had before file names were part of it, if different.

        Stores written by earlier versions hold note keys without the name; the store adopts
        such a row instead of adding a second document beside it.
        """
        if self.kind is DigestKind.NOTE:
            reference = self._note_reference()
            return f"note:{reference}" if reference else f"note:{self.source}"
        if self.period_start is None and self.date is None:
            return f"{self.kind.value}:{self.source}"
        return None

    @property
    def is_review(self) -> bool:
        """A note that discusses several papers (see ``Paper.review``)."""
        return any(paper.review for paper in self.papers)

    def _note_reference(self) -> str | None:
        """The note's paper: ``arxiv:<id>``, else its first link's URL (no spaces in either).

        A review has no paper of its own: it is keyed by its file name alone, like a note
        without a link.
        """
        if not self.papers or self.is_review:
            return None
        paper = self.papers[0]
        if paper.arxiv_id:
            return f"arxiv:{paper.arxiv_id}"
        return paper.links[0].url if paper.links else None


class ParseError(BaseModel):
    source: str
    line: int
    message: str


class ParseResult(BaseModel):
    documents: list[Document] = Field(default_factory=list)
    errors: list[ParseError] = Field(default_factory=list)
    # files that were read and are recognisably not digests (a table, an outline): skipped
    notices: list[ParseError] = Field(default_factory=list)


def normalise_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title, for identity."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    text = unicodedata.normalize("NFC", text)
    return " ".join(re.findall(r"\w+", text))
