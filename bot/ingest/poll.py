"""Reading a digest source (the digest folders, the forum, the notes repository) into the store.

The scheduler only decides *when* (``bot.runtime.jobs``); what a read does is here: fetch
from the source's saved state, store the documents through the same batch as files on disk
(``DocumentBatch``: one same-digest rule for every entry point), then save the source's new
state and health for ``/status``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import httpx

from bot.clock import Clock, utcnow
from bot.digests.sources import (
    DirectorySource,
    ForumSource,
    HttpFetcher,
    NotesRepoSource,
    Source,
    dump_state,
    load_state,
)
from bot.digests.tags import TagVocabulary
from bot.ingest.documents import DocumentBatch
from bot.settings import Settings
from bot.store import Store

__all__ = ["SourceJob", "SourceRead", "build_sources", "read_source"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceJob:
    source: Source
    interval: float  # seconds


@dataclass(frozen=True, slots=True)
class SourceRead:
    source: str
    documents: int = 0
    new: int = 0
    updated: int = 0
    new_paper_ids: tuple[int, ...] = ()
    parse_errors: int = 0
    error: str | None = None


async def read_source(store: Store, source: Source, clock: Clock = utcnow) -> SourceRead:
    """Fetch what is new since the saved state, store it, save the new state and health."""
    known = {status.source: status for status in await store.sources.statuses()}.get(source.name)
    state = load_state(json.dumps(known.state)) if known and known.state else None
    try:
        result = await source.fetch(state)
    except Exception as exc:  # a source bug: record it, keep polling the others
        log.exception("source %s failed", source.name)
        failure = f"{type(exc).__name__}: {exc}"
        await store.sources.record(source.name, now=clock(), ok=False, error=failure)
        return SourceRead(source.name, error=failure)
    batch = DocumentBatch(store)
    await batch.store_documents(result.documents)
    # what `paperbot ingest` prints as notices: files that are no digest, copies of a note
    for notice in [*result.notices, *batch.totals.notices]:
        log.info("%s: skipped: %s:%d: %s", source.name, notice.source, notice.line, notice.message)
    parse_errors = [*result.parse_errors, *batch.totals.errors]
    for parse_error in parse_errors:
        log.warning(
            "%s: not loaded: %s:%d: %s",
            source.name,
            parse_error.source,
            parse_error.line,
            parse_error.message,
        )
    error: str | None = None
    if result.fetch_errors:
        first = result.fetch_errors[0]
        error = f"{first.url}: {first.reason}"
    await store.sources.record(
        source.name,
        now=clock(),
        ok=error is None,
        error=error,
        state=json.loads(dump_state(result.state)),
    )
    return SourceRead(
        source.name,
        documents=len(result.documents),
        new=batch.totals.new,
        updated=batch.totals.updated,
        new_paper_ids=tuple(batch.totals.new_paper_ids),
        parse_errors=len(parse_errors),
        error=error,
    )


def build_sources(
    settings: Settings,
    vocabulary: TagVocabulary,
    http: httpx.AsyncClient | None,
    *,
    clock: Clock = utcnow,
) -> list[SourceJob]:
    """The sources the settings enable; remote ones only with an HTTP client."""
    jobs: list[SourceJob] = []
    config = settings.sources
    if config.local_interval > 0 and settings.digests.paths:
        local = DirectorySource(settings.digests.paths, vocabulary, name="local", clock=clock)
        jobs.append(SourceJob(local, config.local_interval))
    if (config.forum.enabled or config.notes.enabled) and http is None:
        log.warning("remote digest sources are enabled but no HTTP client was given")
        return jobs
    if http is not None:
        fetcher = HttpFetcher(http)
        if config.forum.enabled:
            forum = ForumSource(fetcher, vocabulary, base_url=config.forum.base_url, clock=clock)
            jobs.append(SourceJob(forum, config.forum.interval))
        if config.notes.enabled:
            notes = NotesRepoSource(
                fetcher,
                vocabulary,
                repo=config.notes.repo,
                branch=config.notes.branch,
                clock=clock,
            )
            jobs.append(SourceJob(notes, config.notes.interval))
    return jobs
