"""Parsing digest files ahead of the store, in worker processes when there are many.

Worker processes must never outlive the ingest that started them:

- **the parent is killed** (``kill -9``, OOM killer): nothing in the parent runs, so each worker
  watches for itself: a daemon thread started by the initializer polls ``os.getppid()`` and
  exits the worker once it no longer is the pid that started it (the worker was reparented).
  Portable, unlike ``prctl(PR_SET_PDEATHSIG)``, which also fires when the *thread* that spawned
  the worker ends, and ProcessPoolExecutor may spawn from any thread;
- **Ctrl-C**: the terminal sends SIGINT to the whole process group. Workers ignore it (they are
  spawned with SIGINT ignored, a disposition that survives exec and that Python keeps at start)
  so they print no traceback; the parent stops, cancels the queued chunks and shuts the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import AsyncGenerator, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from bot.digests.models import ParseResult
from bot.digests.parse import parse_file
from bot.digests.tags import TagVocabulary, load_vocabulary

POOL_THRESHOLD = 32  # files; below this, starting worker processes costs more than it saves
CHUNK = 8  # files per task sent to a worker
AHEAD = 24  # chunks parsed ahead of the store (at least two per worker): bounds memory
ORPHAN_POLL_SECONDS = 0.2


async def parsed_chunks(
    files: list[Path], vocabulary_path: Path | None, workers: int | None
) -> AsyncGenerator[list[ParseResult], None]:
    """Parse results of ``files`` in order, a chunk at a time; use with ``aclosing``."""
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
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=get_context("spawn"),
        initializer=_init_worker,
        initargs=(vocabulary_path, os.getpid()),
    )
    try:
        ahead = max(AHEAD, 2 * count)
        with _sigint_ignored():  # workers are spawned by these first submits
            pending = [_submit(loop, pool, chunk) for chunk in chunks[:ahead]]
        next_chunk = ahead
        while pending:
            results = await pending.pop(0)
            if next_chunk < len(chunks):
                pending.append(_submit(loop, pool, chunks[next_chunk]))
                next_chunk += 1
            yield results
    finally:
        # Interrupted or done: queued chunks are dropped, running ones (a few files) finish.
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(
    loop: asyncio.AbstractEventLoop, pool: Executor, chunk: list[Path]
) -> asyncio.Future[list[ParseResult]]:
    return loop.run_in_executor(pool, _parse_chunk, chunk)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored meanwhile, so that processes spawned meanwhile inherit SIG_IGN."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change handlers; the initializer still ignores it
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_worker_vocabulary: TagVocabulary | None = None


def _init_worker(vocabulary_path: Path | None, parent_pid: int) -> None:
    global _worker_vocabulary  # one vocabulary per worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_exit_when_orphaned, args=(parent_pid,), name="orphan-watch", daemon=True
    ).start()
    _worker_vocabulary = load_vocabulary(vocabulary_path)


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(ORPHAN_POLL_SECONDS)
    os._exit(1)  # the parent is gone: nobody will read our results


def _parse_chunk(chunk: list[Path]) -> list[ParseResult]:
    vocabulary = _worker_vocabulary or load_vocabulary(None)
    return [parse_file(path, vocabulary) for path in chunk]
