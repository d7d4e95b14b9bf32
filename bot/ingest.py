"""Bringing digest files into the store: parse (in worker processes when there are many), store.

Parsing is pure Python and CPU-bound, storing is mostly SQLite's work on aiosqlite's thread,
so for a big folder the two overlap: worker processes parse files ahead while the event loop
stores the ones already parsed, in the original order. One bad file costs only itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path

from bot.digests.models import Document, ParseError, ParseResult
from bot.digests.parse import iter_digest_files
from bot.parse_pool import POOL_THRESHOLD, parsed_chunks
from bot.store import Store
from bot.store._ingest import DocumentHook, content_hash

# Papers handed to one Store.ingest call: the store commits a call's documents in groups (bulk
# mode, each document still atomic in its own savepoint), far cheaper than a COMMIT per file.
STORE_PAPERS = 2_000

FIRST_FILL = "first_fill"  # meta key: 'pending' from creation (migration 0004) until filled

__all__ = [
    "FIRST_FILL",
    "POOL_THRESHOLD",
    "STORE_PAPERS",
    "IngestTotals",
    "fill_new_store",
    "ingest_paths",
]


@dataclass
class IngestTotals:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    papers: int = 0
    new_paper_ids: list[int] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)


Progress = Callable[[int, int], None]  # (files done, files in all)


async def ingest_paths(
    store: Store,
    paths: Sequence[Path],
    vocabulary_path: Path | None = None,
    *,
    on_progress: Progress | None = None,
    on_document: DocumentHook | None = None,
    workers: int | None = None,
) -> IngestTotals:
    """Parse and store every digest file under `paths`; report counts and parse errors."""
    files = iter_digest_files(paths)
    totals = IngestTotals()
    done = 0
    waiting: list[ParseResult] = []  # parsed, not stored yet
    papers = 0

    seen: dict[str, tuple[str, str]] = {}  # key -> (source, content hash), for this run

    async def store_waiting() -> None:
        nonlocal done, papers
        documents = [doc for result in waiting for doc in result.documents]
        documents = _first_of_each_digest(documents, seen, totals)
        if documents:
            report = await store.ingest(documents, on_document=on_document)
            totals.new += report.new
            totals.updated += report.updated
            totals.unchanged += report.unchanged
            totals.failed += report.failed
            totals.new_paper_ids.extend(report.new_paper_ids)
            totals.papers += papers
        for result in waiting:
            totals.failed += len(result.errors)
            totals.errors.extend(result.errors)
            done += 1
            if on_progress is not None:
                on_progress(done, len(files))
        waiting.clear()
        papers = 0

    # aclosing: on cancellation (Ctrl-C) the worker pool is shut at once, not at loop close.
    async with aclosing(parsed_chunks(files, vocabulary_path, workers)) as chunks:
        async for chunk_results in chunks:
            for result in chunk_results:
                waiting.append(result)
                papers += sum(len(doc.papers) for doc in result.documents)
            if papers >= STORE_PAPERS:
                await store_waiting()
    await store_waiting()
    return totals


async def fill_new_store(
    store: Store,
    paths: Sequence[Path],
    vocabulary_path: Path | None = None,
    *,
    on_document: DocumentHook | None = None,
) -> IngestTotals | None:
    """Fill a new store from the configured digests, once; None if it needs no filling.

    Every command that opens a store calls this first, so a new store holds the configured
    digests whichever command created it, and a fill that was killed half-way (the marker is
    still 'pending': it turns 'done' only after the last document) is completed by the next
    command. Re-filling is cheap: documents already stored are unchanged.
    """
    if await store.get_meta(FIRST_FILL) != "pending":
        return None
    totals = await ingest_paths(store, paths, vocabulary_path, on_document=on_document)
    await store.set_meta(FIRST_FILL, "done")
    return totals


def _first_of_each_digest(
    documents: list[Document], seen: dict[str, tuple[str, str]], totals: IngestTotals
) -> list[Document]:
    """Drop documents whose digest another file of this run already gave (same key).

    Stored one after the other, two different files of one digest would overwrite each other
    on every run ("updated: 2" forever) and the last one would win by sort order. The first
    file wins; an identical copy is counted unchanged, a differing one is an error naming both.
    """
    kept: list[Document] = []
    for document in documents:
        key, digest = document.key, content_hash(document)
        first = seen.setdefault(key, (document.source, digest))
        if first == (document.source, digest):
            kept.append(document)
        elif first[1] == digest:
            totals.unchanged += 1
        else:
            totals.failed += 1
            message = f"not stored: {first[0]} is the same digest ({key}) with other content"
            totals.errors.append(ParseError(source=document.source, line=0, message=message))
    return kept
