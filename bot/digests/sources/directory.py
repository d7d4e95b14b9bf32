"""Digests from local files and folders, behind the same protocol as the remote sources.

The scheduler polls every source alike and ingests what comes back, so a folder behaves like
the forum: a poll returns the documents of files that are new or changed since the last poll
(by modification time and size, remembered in ``state.files``), not the whole folder every
time. ``incremental=False`` re-reads everything, as ``parse_paths`` does, for a one-off import.

Parsing is file I/O plus CPU-bound text work, so it runs in a worker thread: a large folder
must not stall the event loop that also serves Discord.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from bot.clock import Clock, utcnow
from bot.digests.parse import iter_digest_files, parse_file, parse_paths
from bot.digests.sources.base import (
    FetchResult,
    SourceState,
    finish_poll,
    start_poll,
)
from bot.digests.tags import TagVocabulary


class DirectorySource:
    """Files and folders on disk; see :func:`bot.digests.parse.iter_digest_files` for which."""

    def __init__(
        self,
        paths: Iterable[Path | str],
        vocabulary: TagVocabulary,
        *,
        incremental: bool = True,
        name: str | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.paths = [Path(path) for path in paths]
        self.vocabulary = vocabulary
        self.incremental = incremental
        self.name = name or "dir:" + ",".join(str(path) for path in self.paths)
        self._clock = clock

    async def fetch(self, state: SourceState | None) -> FetchResult:
        return await asyncio.to_thread(self._fetch, state)

    def _fetch(self, state: SourceState | None) -> FetchResult:
        now = self._clock()
        result = FetchResult(state=start_poll(state, now))
        if not self.incremental:
            parsed = parse_paths(self.paths, self.vocabulary)
            result.documents, result.parse_errors = parsed.documents, parsed.errors
            result.notices = parsed.notices
            return finish_poll(result, now)
        seen = result.state.files
        current: dict[str, str] = {}
        for path in iter_digest_files(self.paths):
            fingerprint = _fingerprint(path)
            if fingerprint is not None:
                current[str(path)] = fingerprint
                if seen.get(str(path)) == fingerprint:
                    continue
            parsed = parse_file(path, self.vocabulary)  # a missing file becomes its error
            result.documents.extend(parsed.documents)
            result.parse_errors.extend(parsed.errors)
            result.notices.extend(parsed.notices)
        result.state.files = current  # deleted files are forgotten
        return finish_poll(result, now)


def _fingerprint(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_mtime_ns}:{stat.st_size}"
