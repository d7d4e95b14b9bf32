"""Bringing digest files into the store: parse (in worker processes when there are many), store.

Parsing is pure Python and CPU-bound, storing is mostly SQLite's work on aiosqlite's thread,
so for a big folder the two overlap: worker processes parse files ahead while the event loop
stores the ones already parsed, in the original order. One bad file costs only itself.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import aclosing
from pathlib import Path

from bot.digests.models import ParseResult
from bot.digests.parse import iter_digest_files
from bot.ingest.documents import DocumentBatch, IngestTotals
from bot.ingest.pool import POOL_THRESHOLD, parsed_chunks
from bot.settings import Settings
from bot.store import Store
from bot.store.papers._ingest import DocumentHook

log = logging.getLogger(__name__)

# Papers handed to one Store.ingest call: the store commits a call's documents in groups (bulk
# mode, each document still atomic in its own savepoint), far cheaper than a COMMIT per file.
STORE_PAPERS = 2_000

LOCAL_SOURCE = "local"  # the [digests] folders, as a source in /status
FIRST_FILL = "first_fill"  # meta key: 'pending' from creation (migration 0004) until filled

__all__ = [
    "FIRST_FILL",
    "LOCAL_SOURCE",
    "POOL_THRESHOLD",
    "STORE_PAPERS",
    "IngestTotals",
    "fill_new_store",
    "ingest_paths",
    "load_local_digests",
]


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
    """Parse and store every digest file under `paths`; report counts and parse errors.

    Files are taken in order of their name, then path, so that copies of a note in several
    folders (the same name: its key holds the name) reach ``DocumentBatch`` together, in one
    store call, even in a repository far larger than one call: the batch then stores only the
    fuller copy, instead of the one read first and then the other over it on every run.
    """
    files = sorted(iter_digest_files(paths), key=_copies_together)
    batch = DocumentBatch(store, on_document)
    totals = batch.totals
    done = 0
    received = 0  # files parsed so far: files[received] is the next to come
    waiting: list[ParseResult] = []  # parsed, not stored yet, in the order of files

    async def store_waiting(hold: int = 0) -> None:
        """Store the waiting results except the last ``hold`` (copies of one still to come)."""
        nonlocal done
        ready, waiting[:] = waiting[: len(waiting) - hold], waiting[len(waiting) - hold :]
        documents = [doc for result in ready for doc in result.documents]
        if await batch.store_documents(documents):
            totals.papers += sum(len(doc.papers) for doc in documents)
        for result in ready:
            totals.failed += len(result.errors)
            totals.errors.extend(result.errors)
            totals.notices.extend(result.notices)
            done += 1
            if on_progress is not None:
                on_progress(done, len(files))

    def same_name_run() -> int:
        """How many waiting results share their name with the next file to come."""
        if received >= len(files):
            return 0
        name = _copies_together(files[received])[0]
        run = 0
        while run < len(waiting) and _copies_together(files[received - run - 1])[0] == name:
            run += 1
        return run

    # aclosing: on cancellation (Ctrl-C) the worker pool is shut at once, not at loop close.
    async with aclosing(parsed_chunks(files, vocabulary_path, workers)) as chunks:
        async for chunk_results in chunks:
            waiting.extend(chunk_results)
            received += len(chunk_results)
            papers = sum(len(doc.papers) for result in waiting for doc in result.documents)
            if papers >= STORE_PAPERS:
                await store_waiting(hold=same_name_run())
    await store_waiting()
    return totals


def _copies_together(path: Path) -> tuple[str, str]:
    # NFC: macOS spells Hangul file names decomposed (Document.key takes the name NFC too)
    return unicodedata.normalize("NFC", path.name), str(path)


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


async def load_local_digests(store: Store, settings: Settings) -> None:
    """Bring the configured local digests into the store (unchanged files cost nothing).

    New papers queue topic alerts (the store does that on every ingest): files that arrived
    while the bot was down still reach their followers. The read is recorded as a fetch of the
    ``local`` source, so ``/status`` does not say "nothing fetched yet" right after it."""
    log.info("loading digests from %s", ", ".join(map(str, settings.digests.paths)))
    totals = await ingest_paths(store, settings.digests.paths, settings.digests.tag_vocabulary)
    for error in totals.errors:
        log.warning("digest not loaded: %s:%d: %s", error.source, error.line, error.message)
    for notice in totals.notices:
        log.info("digest skipped: %s:%d: %s", notice.source, notice.line, notice.message)
    if settings.digests.paths:
        first = totals.errors[0] if totals.errors else None
        await store.sources.record(
            LOCAL_SOURCE,
            now=store.clock(),
            ok=first is None,
            error=None if first is None else f"{first.source}:{first.line}: {first.message}",
        )
    log.info(
        "digests: %d new, %d updated, %d unchanged, %d failed",
        totals.new,
        totals.updated,
        totals.unchanged,
        totals.failed,
    )
