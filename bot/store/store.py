"""The digest store: one SQLite file, the single source of truth of the bot.

Usage (the store is created by the caller and injected, never a global)::

    async with await Store.open(path) as store:
        report = await store.ingest(documents)
        page = await store.search("환각")

``Store.open`` creates the parent directory, opens the database in WAL mode with foreign keys
on and a busy timeout, and applies pending migrations; ``close()`` (or leaving the ``async
with``) closes it.

One shared ``Database`` handle (``_db``: two aiosqlite connections, one write lock) serves
the papers and search here and six sub-stores beside them: ``store.guilds`` (every server
setting, announcement deliveries), ``store.alerts`` (subscriptions, the DM outbox),
``store.sources`` (source health), ``store.retention`` (forgetting a user or a server, the
daily purge), ``store.trends`` (weekly tag counts) and ``store.library`` (reading lists). SQL
stays inside ``bot.store``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from rapidfuzz import fuzz, process

from bot.clock import Clock, utcnow
from bot.digests.glossary import Glossary, bundled_glossary
from bot.digests.models import DigestKind, Document
from bot.digests.tags import TagVocabulary, bundled_vocabulary
from bot.search.expand import Expander
from bot.search.mentions import canonical_tag
from bot.search.related import RelatedPaper
from bot.store import _db
from bot.store.community.alerts import AlertStore
from bot.store.community.guilds import GuildStore
from bot.store.community.library import LibraryStore
from bot.store.community.retention import RetentionStore
from bot.store.community.sources import SourceStore
from bot.store.community.status import CommunityStatus, community_status
from bot.store.papers import _ingest, _reads
from bot.store.papers import related as related_papers
from bot.store.papers import search as _search
from bot.store.papers._ingest import DocumentHook
from bot.store.papers.trends import TrendStore
from bot.store.records import (
    IngestReport,
    IssueRecord,
    PaperRecord,
    SearchPage,
    StoreStats,
    TitleSuggestion,
)

__all__ = ["Store"]


_ARXIV_ID = re.compile(r"(?:^|arxiv\.org/(?:abs|pdf)/|arxiv:)(\d{4}\.\d{4,5})(?:v\d+)?", re.I)


_EXPANDERS: dict[tuple[int, int], tuple[TagVocabulary, Glossary, Expander]] = {}


def _expander(vocabulary: TagVocabulary, glossary: Glossary) -> Expander:
    """One expander per vocabulary and glossary object (building one takes ~50 ms; tests
    open hundreds of stores). The entry keeps both objects alive, so ids are not reused."""
    key = (id(vocabulary), id(glossary))
    if key not in _EXPANDERS:
        if len(_EXPANDERS) >= 8:
            _EXPANDERS.clear()
        _EXPANDERS[key] = (vocabulary, glossary, Expander(glossary, vocabulary))
    return _EXPANDERS[key][2]


def _clean(text: str) -> str:
    """Replace lone surrogates (they cannot be encoded for SQLite)."""
    return text.encode("utf-8", "replace").decode("utf-8")


class Store:
    """Digests, papers and search over one SQLite database. Create with ``Store.open``."""

    def __init__(
        self,
        db: _db.Database,
        schema_version: int,
        *,
        clock: Clock = utcnow,
        vocabulary: TagVocabulary | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.db = db
        self.path = db.path
        self.vocabulary = vocabulary if vocabulary is not None else bundled_vocabulary()
        self.glossary = glossary if glossary is not None else bundled_glossary()
        self.expander = _expander(self.vocabulary, self.glossary)
        self._frequencies = _search.TermFrequencies()
        self.schema_version = schema_version
        self.clock = clock
        self.guilds = GuildStore(db, clock=clock)
        self.alerts = AlertStore(db, clock=clock)
        self.sources = SourceStore(db)
        self.retention = RetentionStore(db)
        self.trends = TrendStore(db, clock=clock)
        self.library = LibraryStore(db, clock=clock)
        self._random = random.Random()

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        clock: Clock = utcnow,
        read_only: bool = False,
        vocabulary: TagVocabulary | None = None,
        glossary: Glossary | None = None,
    ) -> Store:
        """Open (creating if needed) and migrate the database at ``path``.

        ``clock`` stamps what the store records about the community (settings, subscriptions,
        queued alerts); tests inject a fake one. ``read_only`` opens an existing store that
        this process may not write (search and read it; any write fails).
        ``vocabulary`` (default: the bundled ``tags.toml``) resolves the tags users type
        (``강화학습``, ``reinforcement learning`` -> ``rl``); pass the one the parsers use.
        ``glossary`` (default: the bundled ``glossary.toml``) expands queries across languages;
        tag aliases join the expansion.
        """
        db, version = await _db.Database.open(Path(path), read_only=read_only)
        return cls(db, version, clock=clock, vocabulary=vocabulary, glossary=glossary)

    def with_clock(self, clock: Clock) -> Store:
        """The same database seen through another clock (the playground's, a test's)."""
        view = Store(
            self.db,
            self.schema_version,
            clock=clock,
            vocabulary=self.vocabulary,
            glossary=self.glossary,
        )
        view._frequencies = self._frequencies  # one cache per database: ingest clears it
        return view

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

        A document whose content hash (sha256 of ``model_dump_json()`` without ``source``) is
        unchanged writes nothing, whatever path it was read through; a changed one has its
        mentions replaced in place, the papers it touches re-merged and re-indexed, and papers
        left without mentions deleted. A document that fails is rolled back, logged and
        reported as ``failed``; the others still go in. Several documents in one call may
        share a transaction (bulk mode: far fewer COMMITs and FTS5 segments); outcomes and
        search visibility are per call, not per document.

        Every document that brings new papers queues their topic alerts in its own
        transaction (``AlertStore.queue_hook``), whoever calls this: no paper is ever stored
        without its alerts. ``on_document`` runs after it, inside the same transaction (see
        ``DocumentWrite``): the place for other work that must commit with the document.
        """
        hooks: tuple[DocumentHook, ...] = (self.alerts.queue_hook,)
        if on_document is not None:
            hooks += (on_document,)
        db = self.db
        try:
            return await _ingest.ingest(db.writer, db.reader, db.write_lock, documents, hooks)
        finally:
            self._frequencies.clear()  # term frequencies changed

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

        Korean words match with or without particles, joined or spaced (언어모델 = 언어 모델),
        by any 2-syllable part, a lone syllable as a prefix; English words by stem; accents
        and case are ignored; the last word also matches as a prefix; glossary terms and tag
        aliases also match their other forms (양자화 = quantization), ranked after exact
        matches. Papers with all terms come first; failing that, terms are corrected by one
        typo; failing that, Korean words are reduced to their nouns. Papers with only some of
        the meaningful terms follow, ranked by how much of the query they cover; function
        words (``without``, ``없이``) are never required (see ``SearchPage.strategy``). Ties
        go to recent, often mentioned papers. ``tag``
        keeps papers with that tag, or with the tag an alias of it means (``강화학습`` ->
        ``rl``), ``kind`` papers mentioned in a digest of that kind. ``limit`` is capped at 100.
        """
        if tag is not None:
            tag = self._tag(tag)
        return await _search.search(
            self.db.reader,
            query,
            tag=tag,
            kind=kind,
            limit=limit,
            offset=offset,
            expander=self.expander,
            frequencies=self._frequencies,
        )

    def _tag(self, text: str) -> str:
        """The canonical tag for user input: through the vocabulary, else just normalised
        (digests keep unknown explicit tags, ``#video-text``)."""
        return self.vocabulary.resolve(text) or canonical_tag(_clean(text))

    async def resolve_tag(self, text: str, *, in_use: bool = True) -> str | None:
        """The tag a user means by ``text`` if any paper carries it, else None (never raises).

        Aliases and spellings resolve through the vocabulary: ``tag:#Reinforcement_Learning``,
        ``강화 학습`` -> ``rl``. With ``in_use=False`` a vocabulary tag no paper carries yet
        also resolves (following a topic before its first paper). For None,
        :meth:`nearest_tags` has suggestions.
        """
        tag = self._tag(text)
        if not tag:
            return None
        if not in_use and self.vocabulary.resolve(text) is not None:
            return tag
        return tag if await _reads.tag_count(self.db.reader, tag) > 0 else None

    async def nearest_tags(self, text: str, limit: int = 3) -> list[str]:
        """Tags in use whose name or alias is closest to ``text``, most used first among equals."""
        counts = dict(await self.tag_counts())
        near = [tag for tag in self.vocabulary.nearest(text, limit * 3) if tag in counts]
        normal = canonical_tag(_clean(text))
        if normal and len(near) < limit:
            for tag, _score, _ in process.extract(
                normal, list(counts), scorer=fuzz.ratio, limit=limit, score_cutoff=70
            ):
                if tag not in near:
                    near.append(tag)
        return near[:limit]

    async def get_paper(self, paper_id: int) -> PaperRecord | None:
        papers = await _reads.fetch_papers(self.db.reader, [paper_id])
        return papers[0] if papers else None

    async def lookup_paper(self, text: str) -> PaperRecord | None:
        """The one paper ``text`` names, or None: strict, never raises (``/paper show``).

        An id (ASCII digits only: ``"²".isdigit()`` is true but ``int("²")`` raises), an arXiv
        id or URL, else the best search hit, and only if the search really matched (every
        concept of the text, see the relevance floor of ``search``).
        """
        text = _clean(text).strip()
        if not text:
            return None
        if text.isascii() and text.isdecimal() and len(text) <= 18:
            return await self.get_paper(int(text))
        if (arxiv := _ARXIV_ID.search(text)) is not None and len(text) <= 80:
            found = await _reads.paper_id_by_arxiv(self.db.reader, arxiv.group(1))
            if found is not None:
                return await self.get_paper(found)
        page = await self.search(text, limit=1)
        if page.strategy == "any":  # some of the words only: not the paper the text names
            return None
        return page.hits[0].paper if page.hits else None

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
            tag = self._tag(tag)
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
        """Autocomplete for tags: the tag an alias means first (``강화학습`` -> ``rl``), then
        tags starting with ``prefix``, then those containing it, each by number of papers;
        a tag is also found by the start of an alias (``강화`` -> ``rl``)."""
        limit = max(0, min(limit, 100))
        text = canonical_tag(_clean(prefix))
        found = dict.fromkeys(await _reads.suggest_tags(self.db.reader, text, limit))
        if text:
            counts = dict(await self.tag_counts())
            exact = self.vocabulary.resolve(text)
            by_alias = [exact] if exact else []
            by_alias += sorted(
                {tag for tag in self.vocabulary.tags_by_alias_prefix(text) if tag in counts},
                key=lambda tag: (-counts[tag], tag),
            )
            found = dict.fromkeys([t for t in by_alias if t in counts] + list(found))
        return list(found)[:limit]

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
