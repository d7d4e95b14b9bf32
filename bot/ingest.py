"""Bringing digest files into the store: parse (in worker processes when there are many), store.

Parsing is pure Python and CPU-bound, storing is mostly SQLite's work on aiosqlite's thread,
so for a big folder the two overlap: worker processes parse files ahead while the event loop
stores the ones already parsed, in the original order. One bad file costs only itself.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from bot.digests.models import Document, ParseError, ParseResult
from bot.digests.parse import iter_digest_files, parse_file
from bot.digests.tags import TagVocabulary, load_vocabulary
from bot.store import Store
from bot.store._ingest import DocumentHook, content_hash

POOL_THRESHOLD = 32  # files; below this, starting worker processes costs more than it saves
CHUNK = 8  # files per task sent to a worker
# Papers handed to one Store.ingest call: the store commits a call's documents in groups (bulk
# mode, each document still atomic in its own savepoint), far cheaper than a COMMIT per file.
STORE_PAPERS = 2_000
AHEAD = 24  # chunks parsed ahead of the store (at least two per worker): bounds memory


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

    async for chunk_results in _parsed_chunks(files, vocabulary_path, workers):
        for result in chunk_results:
            waiting.append(result)
            papers += sum(len(doc.papers) for doc in result.documents)
        if papers >= STORE_PAPERS:
            await store_waiting()
    await store_waiting()
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


async def _parsed_chunks(
    files: list[Path], vocabulary_path: Path | None, workers: int | None
) -> AsyncIterator[list[ParseResult]]:
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    if len(files) < POOL_THRESHOLD:
        vocabulary = load_vocabulary(vocabulary_path)
        for chunk in chunks:
            yield [parse_file(path, vocabulary) for path in chunk]
        return
    loop = asyncio.get_running_loop()
    count = workers or min(4, os.cpu_count() or 1)
    # spawn, not fork: the parent runs aiosqlite's thread, and forking a threaded process can
    # copy a held lock into the child.
    with ProcessPoolExecutor(
        max_workers=count,
        mp_context=get_context("spawn"),
        initializer=_init_worker,
        initargs=(vocabulary_path,),
    ) as pool:
        ahead = max(AHEAD, 2 * count)
        pending = [_submit(loop, pool, chunk) for chunk in chunks[:ahead]]
        next_chunk = ahead
        while pending:
            results = await pending.pop(0)
            if next_chunk < len(chunks):
                pending.append(_submit(loop, pool, chunks[next_chunk]))
                next_chunk += 1
            yield results


def _submit(
    loop: asyncio.AbstractEventLoop, pool: Executor, chunk: list[Path]
) -> asyncio.Future[list[ParseResult]]:
    return loop.run_in_executor(pool, _parse_chunk, chunk)


_worker_vocabulary: TagVocabulary | None = None


def _init_worker(vocabulary_path: Path | None) -> None:
    global _worker_vocabulary  # one vocabulary per worker process
    _worker_vocabulary = load_vocabulary(vocabulary_path)


def _parse_chunk(chunk: list[Path]) -> list[ParseResult]:
    vocabulary = _worker_vocabulary or load_vocabulary(None)
    return [parse_file(path, vocabulary) for path in chunk]
