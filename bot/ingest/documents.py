"""The one way documents reach the store: the same-digest rule, then ``Store.ingest``.

Files on disk (``files``), the directory poll, the forum and the notes repository (``poll``)
all hand their parsed documents to a ``DocumentBatch``, so a rule about which documents are
stored holds for every entry point. The store itself queues alerts and keeps identities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.digests.models import DigestKind, Document, ParseError
from bot.store import Store
from bot.store.papers._ingest import DocumentHook, content_digest

__all__ = ["DocumentBatch", "IngestTotals"]


@dataclass
class IngestTotals:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    papers: int = 0
    new_paper_ids: list[int] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    # not failures: files skipped on purpose (a copy of a note, a table), each with its reason
    notices: list[ParseError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _First:
    """The document of this run that holds a digest key so far."""

    source: str
    digest: str
    size: int  # characters of its content: the fuller of two copies of a note wins


@dataclass
class DocumentBatch:
    """Documents of one run (a folder, one fetch) stored through the same-digest rule."""

    store: Store
    on_document: DocumentHook | None = None
    totals: IngestTotals = field(default_factory=IngestTotals)
    _seen: dict[str, _First] = field(default_factory=dict)

    async def store_documents(self, documents: Sequence[Document]) -> int:
        """Store what the rule keeps of ``documents``; the number of documents kept."""
        kept = self._first_of_each_digest(documents)
        if not kept:
            return 0
        report = await self.store.ingest(kept, on_document=self.on_document)
        self.totals.new += report.new
        self.totals.updated += report.updated
        self.totals.unchanged += report.unchanged
        self.totals.failed += report.failed
        self.totals.new_paper_ids.extend(report.new_paper_ids)
        return len(kept)

    def _first_of_each_digest(self, documents: Sequence[Document]) -> list[Document]:
        """One document per digest key in a run (the same-digest rule).

        Stored one after the other, two different files of one digest would overwrite each
        other on every run ("updated: 2" forever) and the last one would win by sort order.
        So:

        - an identical copy (another path, the same content) is counted unchanged;
        - two files of one *note* with different text are copies of one note in two folders
          (a notes repository keeps an inbox copy of a note beside its annotated version in a
          year folder, or a reformatted copy under ``reviews/``): the fuller text is stored
          and the other copy is a notice naming both, not a failure. Which one wins depends
          on the two texts only (the fuller; the first in path order if equally full), never
          on which was read first;
        - two different files of one weekly or daily issue are a conflict nobody can settle
          here: the first is stored, the other is an error naming both.
        """
        kept: dict[str, Document] = {}  # key -> the document this call stores for it
        extra: list[Document] = []  # the same file read twice: stored again (unchanged)
        for document in documents:
            key, (digest, size) = document.key, content_digest(document)
            first = self._seen.get(key)
            if first is None:
                self._seen[key] = _First(document.source, digest, size)
                kept[key] = document
            elif (first.source, first.digest) == (document.source, digest):
                extra.append(document)
            elif first.digest == digest:
                self.totals.unchanged += 1
            elif document.kind is DigestKind.NOTE:
                self._copies_of_one_note(key, first, document, (digest, size), kept)
            else:
                self.totals.failed += 1
                message = (
                    f"not stored: {first.source} is the same digest ({key}) with other content"
                )
                self.totals.errors.append(
                    ParseError(source=document.source, line=0, message=message)
                )
        return [*kept.values(), *extra]

    def _copies_of_one_note(
        self,
        key: str,
        first: _First,
        document: Document,
        content: tuple[str, int],
        kept: dict[str, Document],
    ) -> None:
        digest, size = content
        if size > first.size:  # this copy is the note; the one seen before is the copy
            self._seen[key] = _First(document.source, digest, size)
            kept[key] = document  # replaces the other copy if it was not stored yet
            stored, copy = document.source, first.source
            document.copy_sources.append(copy)
        else:
            stored, copy = first.source, document.source
            if (winner := kept.get(key)) is not None:
                winner.copy_sources.append(copy)
        message = (
            f"not stored: a copy of {stored} (the same note, {key}), which has the fuller text"
        )
        self.totals.notices.append(ParseError(source=copy, line=0, message=message))
