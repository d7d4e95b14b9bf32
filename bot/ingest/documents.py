"""The one way documents reach the store: the same-digest rule, then ``Store.ingest``.

Files on disk (``files``), the directory poll, the forum and the notes repository (``poll``)
all hand their parsed documents to a ``DocumentBatch``, so a rule about which documents are
stored holds for every entry point. The store itself queues alerts and keeps identities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.digests.models import Document, ParseError
from bot.store import Store
from bot.store.papers._ingest import DocumentHook, content_hash

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


@dataclass
class DocumentBatch:
    """Documents of one run (a folder, one fetch) stored through the same-digest rule."""

    store: Store
    on_document: DocumentHook | None = None
    totals: IngestTotals = field(default_factory=IngestTotals)
    # digest key -> (source, content hash) of the first document of this run with that key
    _seen: dict[str, tuple[str, str]] = field(default_factory=dict)

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
        """Drop documents whose digest another document of this run already gave (same key).

        Stored one after the other, two different files of one digest would overwrite each
        other on every run ("updated: 2" forever) and the last one would win by sort order.
        The first wins; an identical copy is counted unchanged, a differing one is an error
        naming both.
        """
        kept: list[Document] = []
        for document in documents:
            key, digest = document.key, content_hash(document)
            first = self._seen.setdefault(key, (document.source, digest))
            if first == (document.source, digest):
                kept.append(document)
            elif first[1] == digest:
                self.totals.unchanged += 1
            else:
                self.totals.failed += 1
                message = f"not stored: {first[0]} is the same digest ({key}) with other content"
                self.totals.errors.append(
                    ParseError(source=document.source, line=0, message=message)
                )
        return kept
