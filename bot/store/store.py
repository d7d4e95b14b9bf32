"""The digest store: one SQLite file, the single source of truth of the bot.

Usage (the store is created by the caller and injected, never a global)::

    async with await Store.open(path) as store:
        report = await store.ingest(documents)
        page = await store.search("환각")

``Store.open`` creates the parent directory, opens the database in WAL mode with foreign keys
on and a busy timeout, and applies pending migrations; ``close()`` (or leaving the ``async
with``) closes it.

One shared ``Database`` handle (``_db``: two aiosqlite connections, one write lock) serves
the papers and search here and the community's parts beside them: ``store.guilds`` (server
settings, announcement deliveries), ``store.alerts`` (subscriptions, the DM outbox),
``store.sources`` (source health) and ``store.library`` (reading lists). SQL stays inside
``bot.store``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from bot.clock import Clock, utcnow
from bot.digests.models import DigestKind, Document

from . import _db, _ingest, _reads, _search
from . import related as related_papers
from ._ingest import DocumentHook
from ._merge import canonical_tag
from .alerts import AlertStore
from .guilds import GuildStore
from .library import LibraryStore
from .records import (
    IngestReport,
    IssueRecord,
    PaperRecord,
    SearchPage,
    StoreStats,
    TitleSuggestion,
)
from .related import RelatedPaper
from .sources import SourceStore
from .status import CommunityStatus, community_status

__all__ = ["Store"]


class Store:
    """Digests, papers and search over one SQLite database. Create with ``Store.open``."""

    def __init__(self, db: _db.Database, schema_version: int, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.path = db.path
        self.schema_version = schema_version
        self.clock = clock
        self.guilds = GuildStore(db, clock=clock)
        self.alerts = AlertStore(db, clock=clock)
        self.sources = SourceStore(db)
        self.library = LibraryStore(db, clock=clock)
        self._random = random.Random()

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def open(cls, path: Path | str, *, clock: Clock = utcnow) -> Store:
        """Open (creating if needed) and migrate the database at ``path``.

        ``clock`` stamps what the store records about the community (settings, subscriptions,
        queued alerts); tests inject a fake one.
        """
        db, version = await _db.Database.open(Path(path))
        return cls(db, version, clock=clock)

    def with_clock(self, clock: Clock) -> Store:
        """The same database seen through another clock (the playground's, a test's)."""
        return Store(self.db, self.schema_version, clock=clock)

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        await self.db.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def optimize(self) -> None:
        """Merge the FTS index into one segment and refresh planner statistics.

        Worth running after a large ingest: fewer segments make every search cheaper.
        """
        async with self.db.write_lock:
            for table in ("paper_search", "title_search"):
                await self.db.writer.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            await self.db.writer.execute("PRAGMA optimize")

    # -- writes ---------------------------------------------------------------------------

    async def ingest(
        self,
        documents: Iterable[Document],
        *,
        on_document: DocumentHook | None = None,
    ) -> IngestReport:
        """Store documents, each atomically; idempotent.

        A document whose content hash (sha256 of ``model_dump_json()``) is unchanged writes
        nothing; a changed one has its mentions replaced in place, the papers it touches
        re-merged and re-indexed, and papers left without mentions deleted. A document that
        fails is rolled back, logged and reported as ``failed``; the others still go in.
        Several documents in one call may share a transaction (bulk mode: far fewer COMMITs
        and FTS5 segments); outcomes and search visibility are per call, not per document.

        Every document that brings new papers queues their topic alerts in its own
        transaction (``AlertStore.queue_hook``), whoever calls this: no paper is ever stored
        without its alerts. ``on_document`` runs after it, inside the same transaction (see
        ``DocumentWrite``): the place for other work that must commit with the document.
        """
        hooks: tuple[DocumentHook, ...] = (self.alerts.queue_hook,)
        if on_document is not None:
            hooks += (on_document,)
        db = self.db
        return await _ingest.ingest(db.writer, db.reader, db.write_lock, documents, hooks)

    # -- reads ----------------------------------------------------------------------------

    async def search(
        self,
        query: str,
        *,
        tag: str | None = None,
        kind: DigestKind | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchPage:
        """Papers matching ``query``, best first; never raises on odd input.

        Korean words match with or without particles and by any 2-syllable part, a lone
        syllable as a prefix; English words by stem; accents and case are ignored; the last
        word also matches as a prefix. All terms must match; failing that, terms are corrected
        by one typo; failing that, any term may match (see ``SearchPage.strategy``). ``tag``
        keeps papers with that tag, ``kind`` papers mentioned in a digest of that kind.
        ``limit`` is capped at 100.
        """
        return await _search.search(
            self.db.reader, query, tag=tag, kind=kind, limit=limit, offset=offset
        )

    async def get_paper(self, paper_id: int) -> PaperRecord | None:
        papers = await _reads.fetch_papers(self.db.reader, [paper_id])
        return papers[0] if papers else None

    async def get_papers(self, paper_ids: Sequence[int]) -> list[PaperRecord]:
        """Records for ``paper_ids`` in that order; unknown ids are skipped."""
        return await _reads.fetch_papers(self.db.reader, paper_ids)

    async def related(self, paper_id: int, limit: int = 5) -> list[RelatedPaper]:
        """Up to ``limit`` papers closest to ``paper_id`` by shared tags and distinctive words
        (through the search's own query analysis), best first, never the paper itself."""
        return await related_papers.related(self.db.reader, paper_id, max(0, min(limit, 25)))

    async def random_paper(self, tag: str | None = None) -> PaperRecord | None:
        """A uniformly random paper (with ``tag`` if given), or None if there is none."""
        if tag is not None:
            tag = canonical_tag(tag.encode("utf-8", "replace").decode("utf-8"))
        paper_id = await _reads.random_paper_id(self.db.reader, self._random, tag)
        return None if paper_id is None else await self.get_paper(paper_id)

    async def latest_issues(
        self, kind: DigestKind | None = None, limit: int = 5
    ) -> list[IssueRecord]:
        """The newest digests (by period start, else date), newest first."""
        return await self.list_issues(kind, limit=limit)

    async def list_issues(
        self, kind: DigestKind | None = None, limit: int = 10, offset: int = 0
    ) -> list[IssueRecord]:
        return await _reads.fetch_issues(
            self.db.reader, kind=kind, limit=max(0, limit), offset=max(0, offset)
        )

    async def get_issue(self, issue_id: int) -> IssueRecord | None:
        issues = await _reads.fetch_issues(self.db.reader, issue_id=issue_id)
        return issues[0] if issues else None

    async def issue_papers(self, issue_id: int) -> list[PaperRecord]:
        """The papers of one digest, in the digest's order."""
        ids = await _reads.issue_paper_ids(self.db.reader, issue_id)
        return await _reads.fetch_papers(self.db.reader, ids)

    async def tag_counts(self) -> list[tuple[str, int]]:
        """``(tag, number of papers)``, most used first."""
        return await _reads.tag_counts(self.db.reader)

    async def suggest_titles(self, prefix: str, limit: int = 25) -> list[TitleSuggestion]:
        """Autocomplete for paper titles (the last word is a prefix); newest papers if empty."""
        return await _search.suggest_titles(self.db.reader, prefix, limit)

    async def suggest_tags(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for tags: those starting with ``prefix`` first, then those containing
        it, each by number of papers."""
        text = canonical_tag(prefix.encode("utf-8", "replace").decode("utf-8"))
        return await _reads.suggest_tags(self.db.reader, text, max(0, min(limit, 100)))

    async def stats(self) -> StoreStats:
        return await _reads.stats(self.db.reader)

    # -- meta -----------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """A small fact the bot keeps about itself (e.g. the last synced command hash)."""
        rows = await self.db.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    async def status(self, guild_id: int | None = None) -> CommunityStatus:
        """Counts for ``/status``; ``guild_id`` narrows posts and deliveries to one guild."""
        return await community_status(self.db, guild_id)

    async def set_meta(self, key: str, value: str) -> None:
        await self.db.write(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET"
            " value = excluded.value,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (key, value),
        )  # autocommit: the writer runs with isolation_level=None
