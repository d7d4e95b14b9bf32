"""Writing one digest: the per-document transaction behind ``Store.ingest``.

A document is written atomically: its row, its mentions (replaced wholesale when the document
changed), the re-merged rows of every paper it touches, their tags and search rows, and the
deletion of papers nothing mentions any more. A call with one document to write uses one
``BEGIN IMMEDIATE`` transaction; a call with several (bulk mode, ``_Group``) shares one
transaction between up to ``GROUP_DOCUMENTS`` documents, and a document that fails is reported
failed while the others of its group are written again one transaction each: a failure loses
only itself.

Speed comes from three things:

- a fixed handful of statements per document whatever its size (``json_each`` lists,
  ``executemany``), because with aiosqlite every statement is a round trip to its thread;
- the Python work (tokenising, merging) is done up front by ``prepare`` without the database,
  so a paper the document creates needs no read-back; only papers that already existed are
  re-merged from their stored mentions;
- pipelining: the last statements of a document (search rows, hooks, COMMIT), which are most
  of SQLite's work, run on aiosqlite's thread while the event loop prepares the next document.
  SQLite releases the GIL, so on two cores both proceed at once.

Extension point: ``DocumentHook`` callbacks run inside the transaction, just before COMMIT,
with the connection and the ids of the papers the document created. The alert outbox is
written there (``AlertStore.queue_hook``, always run by ``Store.ingest``), so that "new paper
stored" and "alert queued" commit or fail together.

Why one long module: preparing, grouping, writing and pipelining share the private row types
and the transaction's bookkeeping; split apart, each piece would need the others' internals.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import aiosqlite
from pydantic.main import IncEx

from bot.digests.models import REVIEW_PREFIX, DigestKind, Document, Paper, normalise_title
from bot.search.mentions import MentionFields, MergedPaper, merge_mentions
from bot.store.papers._aliases import (
    absorb_weekly_mentions,
    is_daily_kind,
    keep_older_ids,
    short_identity,
    weekly_targets,
)
from bot.store.records import DocumentOutcome, IngestReport, IngestStatus

__all__ = [
    "BATCH",
    "GROUP_DOCUMENTS",
    "GROUP_PAPERS",
    "DocumentHook",
    "DocumentWrite",
    "PreparedDocument",
    "content_hash",
    "ingest",
    "known_documents",
    "paper_identity",
    "prepare",
    "write_document",
]

log = logging.getLogger(__name__)

BATCH = 256  # documents whose stored hashes are looked up together
# Bulk mode (see _Group): documents or papers per COMMIT when one call writes several.
GROUP_DOCUMENTS = 64
GROUP_PAPERS = 2_000
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class DocumentWrite:
    """What a hook sees: the open transaction and what this document changed.

    ``db`` is inside the document's transaction; hooks must not COMMIT or ROLLBACK (raise to
    abort the document instead). Hooks belong to ``bot.store`` itself: SQL stays in this
    package.
    """

    db: aiosqlite.Connection
    document_id: int
    key: str
    status: IngestStatus
    paper_ids: tuple[int, ...]
    new_paper_ids: tuple[int, ...]
    deleted_paper_ids: tuple[int, ...]


DocumentHook = Callable[[DocumentWrite], Awaitable[None]]


_PAPER_WITHOUT_REVIEW: dict[str, IncEx | bool] = {"__all__": {"review"}}
_WITHOUT_REVIEW: dict[str, IncEx | bool] = {"source": True, "papers": _PAPER_WITHOUT_REVIEW}


def content_hash(document: Document) -> str:
    """sha256 of the document without ``source``: the same file read through another path
    spelling (relative, absolute, a symlink, a year folder) is unchanged.

    ``Paper.review`` counts only where it is set: documents without reviews hash as they did
    before the field existed, so upgrading does not rewrite every stored document."""
    return content_digest(document)[0]


def content_digest(document: Document) -> tuple[str, int]:
    """``content_hash`` and the length of the text it hashes, from one serialisation (the
    length tells the fuller of two copies of a note)."""
    exclude: IncEx = {"source"} if document.is_review else _WITHOUT_REVIEW
    text = document.model_dump_json(exclude=exclude)
    return hashlib.sha256(text.encode()).hexdigest(), len(text)


def paper_identity(document: Document, paper: Paper, position: int) -> str:
    """``Paper.identity``, except that an entry with neither arXiv link nor title must not
    collapse with every other such entry into one ``title:`` paper, and that a review is
    dated: ``review:<YYYY-MM-DD> <normalised title>`` (``review:<title>`` if undated), so the
    many "Thoughts on recent papers" stay one entry each, wherever their files live."""
    if paper.review:
        title = normalise_title(paper.title) or normalise_title(document.title)
        day = document.date or document.period_start
        return f"{REVIEW_PREFIX}{day.isoformat()} {title}" if day else f"{REVIEW_PREFIX}{title}"
    identity = paper.identity
    if identity != "title:":
        return identity
    if paper.links:
        return f"url:{paper.links[0].url}"
    return f"entry:{document.key}#{position}"


async def known_documents(db: aiosqlite.Connection, keys: Sequence[str]) -> dict[str, sqlite3.Row]:
    """``key -> (id, content_hash)`` for the keys already stored, in one query."""
    rows = await db.execute_fetchall(
        "SELECT key, id, content_hash FROM documents WHERE key IN (SELECT value FROM json_each(?))",
        (json.dumps(list(keys)),),
    )
    return {row["key"]: row for row in rows}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(slots=True)
class PreparedDocument:
    """A document turned into rows, ready to write; computed without the database."""

    document: Document
    key: str
    digest: str
    values: tuple[object, ...]  # documents columns after key
    identities: list[str]  # per position
    mentions: list[tuple[object, ...]]  # mentions columns after document_id, paper_id
    kind: str = ""
    sort_date: str | None = None
    # daily/note papers titled "X: subtitle": identity -> "title:x" (see _aliases)
    shorts: dict[str, str] = field(default_factory=dict)
    # each identity merged from this document's mentions alone: final for papers it creates
    solo: dict[str, MergedPaper] = field(default_factory=dict)


async def prepare(document: Document, digest: str) -> PreparedDocument:
    """Tokenise and merge a document's papers; yields to the event loop between papers.

    Yielding lets the previous document's final statements (and anything else) progress
    while this CPU-bound work runs.
    """
    key = document.key
    kind = document.kind.value
    sort_date = _iso(document.period_start or document.date)
    identities: list[str] = []
    mentions: list[tuple[object, ...]] = []
    by_identity: dict[str, list[MentionFields]] = {}
    shorts: dict[str, str] = {}
    for position, paper in enumerate(document.papers):
        identity = paper_identity(document, paper, position)
        links = [link.model_dump(mode="json") for link in paper.links]
        mention = MentionFields(
            kind=kind,
            sort_date=sort_date,
            document_id=0,  # not known yet; only orders mentions of one digest by position
            position=position,
            title_en=paper.title_en,
            title_ko=paper.title_ko,
            summary_ko=paper.summary_ko,
            summary_en=paper.summary_en,
            abstract_ko=paper.abstract_ko,
            abstract_en=paper.abstract_en,
            commentary=paper.commentary,
            authors=paper.authors,
            tags=paper.tags,
            links=links,
        )
        identities.append(identity)
        by_identity.setdefault(identity, []).append(mention)
        # A review is no paper: it never takes over a weekly's short name.
        if (
            not paper.review
            and is_daily_kind(kind)
            and (short := short_identity(paper.title_en))
            not in (
                None,
                identity,
            )
        ):
            shorts[identity] = str(short)
        mentions.append(
            (
                position,
                paper.line,
                paper.title_en,
                paper.title_ko,
                _json(paper.authors),
                paper.summary_ko,
                paper.summary_en,
                paper.abstract_ko,
                paper.abstract_en,
                paper.commentary,
                _json(paper.tags),
                _json(links),
            )
        )
    solo: dict[str, MergedPaper] = {}
    for identity, found in by_identity.items():
        solo[identity] = merge_mentions(found)
        await asyncio.sleep(0)
    values = (
        document.source,
        kind,
        document.title,
        _iso(document.date),
        _iso(document.period_start),
        _iso(document.period_end),
        document.intro,
    )
    return PreparedDocument(
        document=document,
        key=key,
        digest=digest,
        values=values,
        identities=identities,
        mentions=mentions,
        kind=kind,
        sort_date=sort_date,
        shorts=shorts,
        solo=solo,
    )


def _iso(value: object) -> str | None:
    return None if value is None else str(value)


_MENTION_INSERT = (
    "INSERT INTO mentions (document_id, paper_id, position, line, title_en, title_ko, authors,"
    " summary_ko, summary_en, abstract_ko, abstract_en, commentary, tags, links)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MERGE_SELECT = (
    "SELECT m.paper_id, d.kind, d.sort_date, m.document_id, m.position, m.title_en,"
    " m.title_ko, m.summary_ko, m.summary_en, m.abstract_ko, m.abstract_en, m.commentary,"
    " m.authors, m.tags, m.links, p.identity"
    " FROM mentions AS m JOIN documents AS d ON d.id = m.document_id"
    " JOIN papers AS p ON p.id = m.paper_id"
    " WHERE m.paper_id IN (SELECT value FROM json_each(?))"
)
_PAPER_UPDATE = (
    "UPDATE papers SET arxiv_id = ?, title_en = ?, title_ko = ?, summary_ko = ?,"
    " summary_en = ?, abstract_ko = ?, abstract_en = ?, commentary = ?, authors = ?, links = ?,"
    f" updated_at = {_NOW} WHERE id = ?"
)
_TITLE_INSERT = "INSERT OR REPLACE INTO title_search (rowid, title) VALUES (?, ?)"
_SEARCH_INSERT = (
    "INSERT OR REPLACE INTO paper_search (rowid, title, authors, tags, summaries, body, keys)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _paper_row(paper_id: int, identity: str, merged: MergedPaper) -> tuple[object, ...]:
    """The papers row. A paper with one mention keeps its text only in that mention: the
    merged text would be an exact copy (a third of the database), and reads fall back to the
    mention (``_reads``: papers.x NULL means "as its mentions say")."""
    arxiv_id = identity.removeprefix("arxiv:") if identity.startswith("arxiv:") else None
    texts: tuple[str | None, ...] = (
        merged.title_en,
        merged.title_ko,
        merged.summary_ko,
        merged.summary_en,
        merged.abstract_ko,
        merged.abstract_en,
        merged.commentary,
    )
    return (
        arxiv_id,
        *((None,) * len(texts) if merged.single else texts),
        _json(merged.authors),
        _json(merged.links),
        paper_id,
    )


@dataclass(frozen=True, slots=True)
class _Scope:
    """How a document's writes are wrapped: its own transaction, or none (the caller's)."""

    begin: tuple[str, ...]
    end: tuple[str, ...]
    undo: tuple[str, ...]


_TRANSACTION = _Scope(("BEGIN IMMEDIATE",), ("COMMIT",), ("ROLLBACK",))
# In a group's transaction (see _Group) the group rolls back. Not a SAVEPOINT per document:
# FTS5 flushes its pending index data to a new segment at every savepoint, so per-document
# savepoints would cost as much FTS5 work as a COMMIT per document.
_GROUPED = _Scope((), (), ())


async def _run(db: aiosqlite.Connection, statements: tuple[str, ...]) -> None:
    for statement in statements:
        await db.execute(statement)


async def _undo(db: aiosqlite.Connection, scope: _Scope) -> None:
    """Roll the document back, if SQLite has not already rolled the whole transaction back."""
    if db.in_transaction:
        await _run(db, scope.undo)


async def write_document(
    db: aiosqlite.Connection,
    prepared: PreparedDocument,
    hooks: Sequence[DocumentHook] = (),
    meanwhile: Callable[[], Awaitable[None]] | None = None,
    *,
    grouped: bool = False,
) -> tuple[DocumentOutcome, list[int]]:
    """Write a prepared document in one transaction; return its outcome and deleted paper ids.

    With ``grouped`` the caller has a transaction open and the document is written in it,
    without COMMIT; if this raises, the caller must roll the whole transaction back.

    ``meanwhile`` (which must not raise) runs while the transaction's last statements execute
    on the database thread. The caller holds the store's write lock, so no other statement of
    this connection can slip into the transaction. Raises (after rolling the document back) if
    anything fails.
    """
    key = prepared.key
    scope = _GROUPED if grouped else _TRANSACTION
    finish: asyncio.Future[None] | None = None
    await _run(db, scope.begin)
    try:
        # One round trip: the row of this key, and the rows its file may have been stored
        # under by earlier versions (see _adopt_by_source), which are rarely any.
        found = list(await db.execute_fetchall(_DOCUMENT_ROWS, _document_rows(prepared, key)))
        rows = [row for row in found if row["key"] == key]
        if not rows and (former := prepared.document.former_key) is not None:
            rows = await _adopt(db, former, key)
        if not rows and found:
            rows = await _adopt_by_source(db, prepared.document, key, found)
        if rows and rows[0]["content_hash"] == prepared.digest:
            await _undo(db, scope)
            if meanwhile is not None:
                await meanwhile()
            return DocumentOutcome(
                key=key, status=IngestStatus.UNCHANGED, document_id=rows[0]["id"]
            ), []
        old_paper_ids: set[int] = set()
        if rows:
            status = IngestStatus.UPDATED
            document_id = int(rows[0]["id"])
            await db.execute(
                "UPDATE documents SET source = ?, kind = ?, title = ?, date = ?,"
                " period_start = ?, period_end = ?, intro = ?, content_hash = ?,"
                f" updated_at = {_NOW} WHERE id = ?",
                (*prepared.values, prepared.digest, document_id),
            )
            old_paper_ids = {
                int(row[0])
                for row in await db.execute_fetchall(
                    "DELETE FROM mentions WHERE document_id = ? RETURNING paper_id",
                    (document_id,),
                )
            }
        else:
            status = IngestStatus.NEW
            inserted = list(
                await db.execute_fetchall(
                    "INSERT INTO documents (key, source, kind, title, date, period_start,"
                    " period_end, intro, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " RETURNING id",
                    (key, *prepared.values, prepared.digest),
                )
            )
            document_id = int(inserted[0][0])
        # Other rows of this file (or of a copy set aside) are what earlier versions made of
        # it under keys no file gives any more; kept, they would still claim their papers.
        if stale := sorted({int(row["id"]) for row in found} - {document_id}):
            old_paper_ids |= await _retire(db, stale)

        aliases = {}
        if prepared.kind == DigestKind.WEEKLY.value:
            aliases = await weekly_targets(db, prepared.sort_date, prepared.identities)
        own = [identity for identity in prepared.identities if identity not in aliases]
        ids, new_ids = await _paper_ids(db, own)
        ids.update(aliases)
        paper_ids = [ids[identity] for identity in prepared.identities]
        if prepared.mentions:
            await db.executemany(
                _MENTION_INSERT,
                [
                    (document_id, paper_id, *mention)
                    for paper_id, mention in zip(paper_ids, prepared.mentions, strict=True)
                ],
            )
        left = await _absorb(db, prepared, ids, new_ids)
        paper_ids = [ids[identity] for identity in prepared.identities]
        merged = {ids[identity]: (identity, prepared.solo[identity]) for identity in ids}
        existing = (set(paper_ids) - new_ids) | old_paper_ids | left
        deleted = await _remerge_existing(db, existing, merged)
        if merged:
            await db.executemany(
                _PAPER_UPDATE,
                [_paper_row(pid, identity, paper) for pid, (identity, paper) in merged.items()],
            )
        stale_tags = [pid for pid in merged if pid not in new_ids]
        if stale_tags:
            await db.execute(
                "DELETE FROM paper_tags WHERE paper_id IN (SELECT value FROM json_each(?))",
                (json.dumps(stale_tags),),
            )
        tag_rows = [(tag, pid) for pid, (_, paper) in merged.items() for tag in paper.tags]
        if tag_rows:
            await db.executemany("INSERT INTO paper_tags (tag, paper_id) VALUES (?, ?)", tag_rows)

        write = DocumentWrite(
            db=db,
            document_id=document_id,
            key=key,
            status=status,
            paper_ids=tuple(dict.fromkeys(paper_ids)),
            new_paper_ids=tuple(sorted(new_ids)),
            deleted_paper_ids=tuple(deleted),
        )
        search_rows = [
            (pid, s.title, s.authors, s.tags, s.summaries, s.body, s.keys)
            for pid, s in ((pid, paper.search) for pid, (_, paper) in merged.items())
        ]
        finish = asyncio.ensure_future(_finish(db, search_rows, hooks, write, scope))
        try:
            await asyncio.sleep(0)  # let _finish queue its first statement before we go on
            if meanwhile is not None:
                await meanwhile()
        finally:
            await _settle(finish)
    except BaseException:
        if finish is None:  # once started, _finish ends the document itself, either way
            await _undo(db, scope)
        raise
    outcome = DocumentOutcome(
        key=key, status=status, document_id=document_id, new_paper_ids=sorted(new_ids)
    )
    return outcome, deleted


async def _absorb(
    db: aiosqlite.Connection, prepared: PreparedDocument, ids: dict[str, int], new_ids: set[int]
) -> set[int]:
    """A daily or note: take over the weekly mentions of its papers' short names (see
    ``_aliases``). Updates ``ids`` and ``new_ids`` in place where an older paper is kept;
    returns the papers mentions left, to re-merge."""
    if not prepared.shorts:
        return set()
    short_to_paper: dict[str, int] = {}
    for identity, short in prepared.shorts.items():
        short_to_paper[short] = min(ids[identity], short_to_paper.get(short, ids[identity]))
    moved = await absorb_weekly_mentions(db, prepared.sort_date, short_to_paper)
    kept = await keep_older_ids(db, moved, new_ids)
    for identity, paper_id in ids.items():
        if paper_id in kept:
            ids[identity] = kept[paper_id]
            new_ids.discard(paper_id)
    return set(moved) - set(kept.values())


async def _adopt(db: aiosqlite.Connection, former: str, key: str) -> list[sqlite3.Row]:
    """Re-key a row stored under the document's ``former_key`` by an earlier version, so it
    is updated in place instead of duplicated; ``[]`` if there is none."""
    return list(
        await db.execute_fetchall(
            "UPDATE documents SET key = ? WHERE key = ? RETURNING id, content_hash",
            (key, former),
        )
    )


# The row of a key, then the rows of the same kind and day read from the given sources.
# Same day: a file's date (its name, its issue's week) is the same to every version, and
# (kind, sort_date) is indexed, so this costs a lookup of the day, not a scan of every document
# (which made a bulk load quadratic).
_DOCUMENT_ROWS = (
    "SELECT id, content_hash, key, source FROM documents WHERE key = ?1"
    " UNION ALL SELECT id, content_hash, key, source FROM documents"
    " WHERE kind = ?2 AND sort_date IS ?3 AND key <> ?1"
    " AND source IN (SELECT value FROM json_each(?4))"
)


def _document_rows(prepared: PreparedDocument, key: str) -> tuple[object, ...]:
    document = prepared.document
    sources = [document.source, *document.copy_sources]
    return (key, prepared.kind, prepared.sort_date, _json(sources))


async def _adopt_by_source(
    db: aiosqlite.Connection, document: Document, key: str, found: Sequence[sqlite3.Row]
) -> list[sqlite3.Row]:
    """Re-key the row this document's file was stored under with another key, if any.

    One file holds one digest, so a stored row of the same kind and day read from the same
    file (the same source, or a copy of this note that ``DocumentBatch`` set aside,
    ``copy_sources``) under a key this version no longer gives is this document, keyed as an
    earlier version parsed it: a review keyed by its first link, a note whose leading URL was
    not read. It is updated in place, its old mentions replaced, instead of kept beside it
    forever, still renaming the paper it wrongly claimed. The file's own source is preferred.
    """
    rank = {source: position for position, source in enumerate(document.copy_sources, 1)}
    rank[document.source] = 0
    chosen = min(found, key=lambda row: (rank.get(row["source"], len(rank)), row["id"]))
    return list(
        await db.execute_fetchall(
            "UPDATE documents SET key = ? WHERE id = ? RETURNING id, content_hash",
            (key, chosen["id"]),
        )
    )


async def _retire(db: aiosqlite.Connection, document_ids: Sequence[int]) -> set[int]:
    """Delete stale documents; the papers their mentions were on, to re-merge or delete."""
    ids = json.dumps(list(document_ids))
    papers = {
        int(row[0])
        for row in await db.execute_fetchall(
            "DELETE FROM mentions WHERE document_id IN (SELECT value FROM json_each(?))"
            " RETURNING paper_id",
            (ids,),
        )
    }
    await db.execute("DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?))", (ids,))
    return papers


async def _finish(
    db: aiosqlite.Connection,
    search_rows: Sequence[tuple[object, ...]],
    hooks: Sequence[DocumentHook],
    write: DocumentWrite,
    scope: _Scope,
) -> None:
    """The last statements of a document's transaction; rolls back if any of them fails."""
    try:
        if search_rows:
            await db.executemany(_SEARCH_INSERT, search_rows)
            await db.executemany(_TITLE_INSERT, [(row[0], row[1]) for row in search_rows])
        for hook in hooks:
            await hook(write)
        await _run(db, scope.end)
    except BaseException:
        await _undo(db, scope)
        raise


async def _settle(future: asyncio.Future[_T]) -> _T:
    """Await ``future`` to its end even if we are cancelled meanwhile (then re-raise that).

    The transaction must be finished (committed or rolled back) before the write lock is
    released, or another writer's statements could land inside it.
    """
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(future)
            break
        except asyncio.CancelledError:
            if future.done():
                raise
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return result


async def _paper_ids(
    db: aiosqlite.Connection, identities: list[str]
) -> tuple[dict[str, int], set[int]]:
    """``identity -> paper id`` (creating the missing papers) and the ids created."""
    distinct = list(dict.fromkeys(identities))
    ids: dict[str, int] = {}
    if not distinct:
        return ids, set()
    for row in await db.execute_fetchall(
        "SELECT identity, id FROM papers WHERE identity IN (SELECT value FROM json_each(?))",
        (_json(distinct),),
    ):
        ids[row[0]] = int(row[1])
    missing = [identity for identity in distinct if identity not in ids]
    new_ids: set[int] = set()
    if missing:
        for row in await db.execute_fetchall(
            "INSERT INTO papers (identity) SELECT value FROM json_each(?) RETURNING identity, id",
            (_json(missing),),
        ):
            ids[row[0]] = int(row[1])
            new_ids.add(int(row[1]))
    return ids, new_ids


async def _remerge_existing(
    db: aiosqlite.Connection,
    paper_ids: set[int],
    merged: dict[int, tuple[str, MergedPaper]],
) -> list[int]:
    """Re-merge papers that existed before this document from all their stored mentions.

    Updates ``merged`` in place; deletes the papers no mention refers to any more (their tags
    go by cascade, their search rows by the ``papers_unindexed`` trigger) and returns their ids.
    """
    if not paper_ids:
        return []
    mentions: dict[int, list[MentionFields]] = {}
    identities: dict[int, str] = {}
    for row in await db.execute_fetchall(_MERGE_SELECT, (json.dumps(sorted(paper_ids)),)):
        paper_id = int(row[0])
        identities[paper_id] = row[15]
        mentions.setdefault(paper_id, []).append(
            MentionFields(
                kind=row[1],
                sort_date=row[2],
                document_id=row[3],
                position=row[4],
                title_en=row[5],
                title_ko=row[6],
                summary_ko=row[7],
                summary_en=row[8],
                abstract_ko=row[9],
                abstract_en=row[10],
                commentary=row[11],
                authors=json.loads(row[12]),
                tags=json.loads(row[13]),
                links=json.loads(row[14]),
            )
        )
    for paper_id, found in mentions.items():
        merged[paper_id] = (identities[paper_id], merge_mentions(found))
    orphans = sorted(paper_ids - mentions.keys())
    if orphans:
        await db.execute(
            "DELETE FROM papers WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(orphans),),
        )
    return orphans


async def ingest(
    writer: aiosqlite.Connection,
    reader: aiosqlite.Connection,
    write_lock: asyncio.Lock,
    documents: Iterable[Document],
    hooks: Sequence[DocumentHook] = (),
) -> IngestReport:
    """Store documents one transaction each, in order; see ``Store.ingest``."""
    report = IngestReport()
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            await _ingest_batch(writer, reader, write_lock, batch, report, hooks)
            batch = []
    if batch:
        await _ingest_batch(writer, reader, write_lock, batch, report, hooks)
    deleted = set(report.deleted_paper_ids)
    if deleted:
        report.new_paper_ids = [pid for pid in report.new_paper_ids if pid not in deleted]
    return report


async def _prepare_or_error(document: Document, digest: str) -> PreparedDocument | Exception:
    try:
        return await prepare(document, digest)
    except Exception as exc:  # a document that cannot be prepared fails alone
        return exc


class _Lookahead:
    """Prepares the next document to write, once, whenever there is time for it."""

    def __init__(self, item: tuple[int, Document, str] | None) -> None:
        self.item = item
        self.result: PreparedDocument | Exception | None = None

    async def run(self) -> None:
        if self.item is not None and self.result is None:
            self.result = await _prepare_or_error(self.item[1], self.item[2])


def _failed(document: Document, exc: BaseException) -> DocumentOutcome:
    log.error("could not store document %s from %s", document.key, document.source, exc_info=exc)
    return DocumentOutcome(key=document.key, status=IngestStatus.FAILED, error=repr(exc))


async def _ingest_batch(
    writer: aiosqlite.Connection,
    reader: aiosqlite.Connection,
    write_lock: asyncio.Lock,
    batch: Sequence[Document],
    report: IngestReport,
    hooks: Sequence[DocumentHook],
) -> None:
    # Unchanged documents are recognised in one query (on the reader, optimistically: each
    # write re-checks inside its transaction) and cost nothing more.
    stored = await known_documents(reader, [document.key for document in batch])
    latest = {key: (int(row["id"]), str(row["content_hash"])) for key, row in stored.items()}
    outcomes: list[DocumentOutcome | None] = [None] * len(batch)
    to_write: list[tuple[int, Document, str]] = []
    for index, document in enumerate(batch):
        digest = content_hash(document)
        known = latest.get(document.key)
        if known is not None and known[1] == digest:
            outcomes[index] = DocumentOutcome(
                key=document.key, status=IngestStatus.UNCHANGED, document_id=known[0]
            )
        else:
            to_write.append((index, document, digest))
            latest[document.key] = (known[0] if known else 0, digest)

    # Pipeline: document i+1 is prepared while document i's last statements run.
    prepared: PreparedDocument | Exception | None = None
    if to_write:
        prepared = await _prepare_or_error(to_write[0][1], to_write[0][2])
    group = _Group(writer, write_lock, hooks, bulk=len(to_write) > 1)
    try:
        for position, (index, document, _) in enumerate(to_write):
            ahead = _Lookahead(to_write[position + 1] if position + 1 < len(to_write) else None)
            if isinstance(prepared, PreparedDocument):
                await group.write(index, prepared, ahead.run)
            else:
                error = prepared or RuntimeError("document was not prepared")
                outcomes[index] = _failed(document, error)
            await ahead.run()
            prepared = ahead.result
            if group.full():
                await group.commit()
        await group.commit()
    finally:
        await group.close()
    for index, outcome, deleted in group.done:
        outcomes[index] = outcome
        report.deleted_paper_ids.extend(deleted)

    for done in outcomes:
        if done is not None:
            report.add(done)


class _Group:
    """Documents written in one transaction (bulk mode), each still atomic and failing alone.

    One COMMIT per document costs FTS5 a new index segment to write and later merge, and the
    WAL a frame per touched page. So when a call has several documents to write, up to
    ``GROUP_DOCUMENTS`` documents or ``GROUP_PAPERS`` papers share one transaction (and the
    write lock), optimistically. If one of them fails (hooks included), the whole transaction
    is rolled back, that document is reported failed, and the group's other documents are
    written again one transaction each (hooks run again too: their first run was rolled back
    with everything else), so each is stored or failed on its own account. Likewise if the
    COMMIT fails. Outcomes are final only once their transaction committed (``done``).
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        write_lock: asyncio.Lock,
        hooks: Sequence[DocumentHook],
        *,
        bulk: bool,
    ) -> None:
        self.db = db
        self.write_lock = write_lock
        self.hooks = hooks
        self.bulk = bulk
        self.done: list[tuple[int, DocumentOutcome, list[int]]] = []
        # written in the open transaction, not committed yet
        self._pending: list[tuple[int, PreparedDocument, DocumentOutcome, list[int]]] = []
        self._papers = 0
        self._locked = False

    def full(self) -> bool:
        return len(self._pending) >= GROUP_DOCUMENTS or self._papers >= GROUP_PAPERS

    async def write(
        self, index: int, prepared: PreparedDocument, meanwhile: Callable[[], Awaitable[None]]
    ) -> None:
        if not self.bulk:
            await self._write_alone(index, prepared, meanwhile)
            return
        if not self._locked:
            await self.write_lock.acquire()
            self._locked = True
        try:
            if not self.db.in_transaction:
                await self.db.execute("BEGIN IMMEDIATE")
            outcome, deleted = await write_document(
                self.db, prepared, self.hooks, meanwhile, grouped=True
            )
        except Exception as exc:
            self.done.append((index, _failed(prepared.document, exc), []))
            if self.db.in_transaction:
                await self.db.execute("ROLLBACK")
            await self._redo_alone()
            return
        self._pending.append((index, prepared, outcome, deleted))
        self._papers += len(prepared.mentions)

    async def commit(self) -> None:
        if not self._locked:
            return
        try:
            if self.db.in_transaction:
                try:
                    await self.db.execute("COMMIT")
                except Exception:
                    log.exception("bulk COMMIT failed; writing its documents one by one")
                    if self.db.in_transaction:
                        await self.db.execute("ROLLBACK")
                    await self._redo_alone()
            self.done.extend(
                (index, outcome, deleted) for index, _, outcome, deleted in self._pending
            )
            self._pending = []
            self._papers = 0
        finally:
            self._locked = False
            self.write_lock.release()

    async def close(self) -> None:
        """After an error or cancellation: roll back what was not committed, free the lock."""
        if not self._locked:
            return
        try:
            if self.db.in_transaction:
                await self.db.execute("ROLLBACK")
        finally:
            self._pending = []
            self._locked = False
            self.write_lock.release()

    async def _redo_alone(self) -> None:
        """The open transaction was lost: write its documents again, one transaction each."""
        pending, self._pending, self._papers = self._pending, [], 0
        for index, prepared, _, _ in pending:
            try:
                outcome, deleted = await write_document(self.db, prepared, self.hooks)
            except Exception as exc:
                outcome, deleted = _failed(prepared.document, exc), []
            self.done.append((index, outcome, deleted))

    async def _write_alone(
        self, index: int, prepared: PreparedDocument, meanwhile: Callable[[], Awaitable[None]]
    ) -> None:
        try:
            async with self.write_lock:
                outcome, deleted = await write_document(self.db, prepared, self.hooks, meanwhile)
        except Exception as exc:
            outcome, deleted = _failed(prepared.document, exc), []
        self.done.append((index, outcome, deleted))
