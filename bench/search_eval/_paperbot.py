"""Everything this evaluation takes from paperbot, in one place.

``bot/`` is being restructured: only ``bot.app`` and ``bot.settings`` are imported, here and
nowhere else in ``bench.search_eval``. If a name moves, this is the file to fix.

What is used, and why it is the bot's own code path:

- ``bot.settings.load_settings``: the configuration every entry point reads (``config.toml``
  and ``PAPERBOT_*`` apply as for ``paperbot ingest``), with ``[digests] paths`` set to the
  archive and ``[store] path`` to the evaluation's database.
- ``bot.app.open_store``: opens the store as the bot, the CLI and the playground do (the
  configured tag vocabulary and glossary); a new store is filled from ``[digests] paths``
  by the same ingest as ``paperbot ingest`` (``bot.ingest.fill_new_store``).
- ``Store.search``: called as ``/search`` calls it (``bot/services/lookup.py``,
  ``Lookup.search``): whitespace collapsed, no tag or kind, pages of ``PAGE_SIZE``.
- ``Store.related``: called as ``/paper related`` calls it (``bot/services/discovery.py``,
  ``RELATED_LIMIT`` papers).
- ``Store.list_issues`` / ``Store.issue_papers``: every stored note and its paper, to map
  papers back to note files (see ``NoteIndex``).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import open_store
from bot.settings import config_file, load_settings

PAGE_SIZE = 5  # bot/services/lookup.py PAGE_SIZE: /search shows 5 results per page
RELATED_LIMIT = 5  # bot/services/discovery.py RELATED_LIMIT: /paper related shows 5
MAX_QUERY = 200  # bot/services/lookup.py MAX_QUERY: longer queries are refused

Store = Any  # bot.store.Store; not imported by name so that only bot.app/bot.settings are used


def note_name(path: str | Path) -> str:
    """How a note is identified here: its file name, NFC (macOS writes Hangul names NFD).

    paperbot keys a note by its paper reference and this same name (``Document.key``), so a
    note held twice in the archive (``papers/2021/X.md`` and ``papers/arXiv/X.md``) is one
    note for both paperbot and this evaluation."""
    return unicodedata.normalize("NFC", Path(path).name)


@dataclass
class IngestSummary:
    files: int
    new: int
    updated: int
    unchanged: int
    failed: int
    errors: list[str]
    documents: int
    papers: int


@dataclass
class NoteIndex:
    """Stored notes and papers, both ways. A paper lists every note that mentions it: two notes
    about one arXiv paper (and a review note whose first link is that paper) are one paper."""

    notes_of: dict[int, set[str]] = field(default_factory=dict)  # paper id -> note names
    papers_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    paths: dict[str, str] = field(default_factory=dict)  # note name -> stored source path
    titles: dict[int, str] = field(default_factory=dict)  # paper id -> title
    tags: dict[int, tuple[str, ...]] = field(default_factory=dict)  # paper id -> tags


@dataclass(frozen=True)
class Hit:
    paper_id: int
    title: str
    notes: frozenset[str]


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int
    strategy: str


def configuration_file() -> Path | None:
    """The config.toml the settings read, if any (reported with the results)."""
    return config_file()


def remove_store(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


async def open_archive_store(db: Path, notes: Path) -> tuple[Store, IngestSummary | None]:
    """The store at ``db``; a new one is first filled from ``notes`` by paperbot's ingest.

    Returns the ingest's counts when it ran. A failed document does not stop the ingest (the
    archive has notes that fail, e.g. two different files of one note): the counts say how
    many were stored."""
    settings = load_settings(digests={"paths": [notes]}, store={"path": db})
    store, totals = await open_store(settings, path=db)
    if totals is None:
        return store, None
    stats = await store.stats()
    summary = IngestSummary(
        files=totals.new + totals.updated + totals.unchanged + totals.failed,
        new=totals.new,
        updated=totals.updated,
        unchanged=totals.unchanged,
        failed=totals.failed,
        errors=[f"{e.source}:{e.line}: {e.message}" for e in totals.errors],
        documents=sum(stats.documents.values()),
        papers=stats.papers,
    )
    return store, summary


async def note_index(store: Store) -> NoteIndex:
    index = NoteIndex()
    offset = 0
    while True:
        issues = await store.list_issues(limit=500, offset=offset)
        if not issues:
            break
        offset += len(issues)
        for issue in issues:
            index.paths.setdefault(note_name(issue.source), issue.source)
            for paper in await store.issue_papers(issue.id):
                _add_paper(index, paper)
    return index


def _add_paper(index: NoteIndex, paper: Any) -> None:
    notes = {note_name(m.source) for m in paper.mentions}
    index.notes_of[paper.id] = notes
    index.titles[paper.id] = paper.title
    index.tags[paper.id] = tuple(paper.tags)
    for name in notes:
        index.papers_of[name].add(paper.id)


def _hit(paper: Any) -> Hit:
    return Hit(paper.id, paper.title, frozenset(note_name(m.source) for m in paper.mentions))


async def search(store: Store, query: str, depth: int) -> SearchResult:
    """The first ``depth`` results of ``/search query``, page by page as the bot fetches them."""
    query = " ".join(query.split())[:MAX_QUERY]
    hits: list[Hit] = []
    total, strategy = 0, "none"
    for offset in range(0, depth, PAGE_SIZE):
        page = await store.search(query, limit=PAGE_SIZE, offset=offset)
        if offset == 0:
            total, strategy = page.total, page.strategy
        hits.extend(_hit(h.paper) for h in page.hits)
        if len(page.hits) < PAGE_SIZE:
            break
    return SearchResult(tuple(hits[:depth]), total, strategy)


async def related(store: Store, paper_id: int) -> list[int]:
    """``/paper related``: the ids of the papers it shows, best first."""
    return [r.paper_id for r in await store.related(paper_id, RELATED_LIMIT)]


def notes_of(index: NoteIndex, paper_ids: Iterable[int]) -> list[frozenset[str]]:
    return [frozenset(index.notes_of.get(pid, ())) for pid in paper_ids]
