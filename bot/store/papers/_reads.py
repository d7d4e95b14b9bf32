"""Reads that turn rows into records: papers, issues, tags, statistics."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

import aiosqlite

from bot.digests.models import DigestKind, Link
from bot.store.records import IssueRecord, MentionRecord, PaperRecord, StoreStats, TitleSuggestion

__all__ = [
    "fetch_issues",
    "fetch_papers",
    "issue_paper_ids",
    "latest_titles",
    "paper_id_by_arxiv",
    "random_paper_id",
    "stats",
    "suggest_tags",
    "tag_count",
    "tag_counts",
]

# A paper's text column is NULL when it is exactly its mention's (one mention, see
# _ingest._paper_row; with several mentions NULL means all mentions have NULL): read the
# first mention then. FIRST_MENTION joins it as m.
FIRST_MENTION = (
    " LEFT JOIN mentions AS m ON m.id = (SELECT min(f.id) FROM mentions AS f"
    " WHERE f.paper_id = p.id)"
)
TITLE = "coalesce(p.title_en, m.title_en, p.title_ko, m.title_ko, '')"
_PAPER_SELECT = (
    "SELECT p.id, p.identity, p.arxiv_id, coalesce(p.title_en, m.title_en),"
    " coalesce(p.title_ko, m.title_ko), p.authors, coalesce(p.summary_ko, m.summary_ko),"
    " coalesce(p.summary_en, m.summary_en), coalesce(p.abstract_ko, m.abstract_ko),"
    " coalesce(p.abstract_en, m.abstract_en), coalesce(p.commentary, m.commentary), p.links,"
    " (SELECT json_group_array(t.tag) FROM paper_tags AS t WHERE t.paper_id = p.id)"
    f" FROM papers AS p{FIRST_MENTION} WHERE p.id IN (SELECT value FROM json_each(?))"
)
_MENTION_SELECT = (
    "SELECT m.paper_id, m.document_id, d.key, d.title, d.kind, d.sort_date, d.source,"
    " m.position, m.line"
    " FROM mentions AS m JOIN documents AS d ON d.id = m.document_id"
    " WHERE m.paper_id IN (SELECT value FROM json_each(?))"
    " ORDER BY d.sort_date, d.id, m.position"
)
_ISSUE_SELECT = (
    "SELECT d.id, d.key, d.kind, d.title, d.date, d.period_start, d.period_end, d.source,"
    " d.intro, (SELECT count(*) FROM mentions AS m WHERE m.document_id = d.id)"
    " FROM documents AS d"
)


async def fetch_papers(db: aiosqlite.Connection, ids: Sequence[int]) -> list[PaperRecord]:
    """Records for ``ids`` in that order (unknown ids skipped, repeats dropped): 2 queries."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    ids_json = json.dumps(wanted)
    mentions: dict[int, list[MentionRecord]] = {}
    for row in await db.execute_fetchall(_MENTION_SELECT, (ids_json,)):
        mentions.setdefault(row[0], []).append(
            MentionRecord(
                document_id=row[1],
                document_key=row[2],
                issue_title=row[3],
                kind=row[4],
                date=row[5],
                source=row[6],
                position=row[7],
                line=row[8],
            )
        )
    papers: dict[int, PaperRecord] = {}
    for row in await db.execute_fetchall(_PAPER_SELECT, (ids_json,)):
        papers[row[0]] = PaperRecord(
            id=row[0],
            identity=row[1],
            arxiv_id=row[2],
            title_en=row[3],
            title_ko=row[4],
            authors=json.loads(row[5]),
            summary_ko=row[6],
            summary_en=row[7],
            abstract_ko=row[8],
            abstract_en=row[9],
            commentary=row[10],
            links=[Link.model_validate(link) for link in json.loads(row[11])],
            tags=json.loads(row[12]),
            mentions=mentions.get(row[0], []),
        )
    return [papers[paper_id] for paper_id in wanted if paper_id in papers]


async def random_paper_id(
    db: aiosqlite.Connection, rng: random.Random, tag: str | None = None
) -> int | None:
    """A uniformly random paper id, optionally among the papers with ``tag``.

    Without a tag: draw ids in ``[1, max(id)]`` until one exists (each draw is a primary-key
    lookup; ids are dense since only orphans are deleted). With a tag: the tag's count comes
    from ``tags``, then one step ``OFFSET`` into the ``(tag, paper_id)`` index. Neither scans
    the papers table, unlike ``ORDER BY random()``.
    """
    if tag is None:
        rows = list(await db.execute_fetchall("SELECT max(id) FROM papers"))
        highest = rows[0][0]
        if highest is None:
            return None
        for _ in range(16):
            candidate = rng.randint(1, int(highest))
            found = list(
                await db.execute_fetchall("SELECT id FROM papers WHERE id = ?", (candidate,))
            )
            if found:
                return int(found[0][0])
        # very sparse ids: settle for the next existing id
        rows = list(
            await db.execute_fetchall(
                "SELECT id FROM papers WHERE id >= ? ORDER BY id LIMIT 1",
                (rng.randint(1, int(highest)),),
            )
        )
        return int(rows[0][0]) if rows else None
    rows = list(await db.execute_fetchall("SELECT paper_count FROM tags WHERE tag = ?", (tag,)))
    if not rows or rows[0][0] <= 0:
        return None
    rows = list(
        await db.execute_fetchall(
            "SELECT paper_id FROM paper_tags WHERE tag = ? ORDER BY paper_id LIMIT 1 OFFSET ?",
            (tag, rng.randrange(int(rows[0][0]))),
        )
    )
    return int(rows[0][0]) if rows else None


async def fetch_issues(
    db: aiosqlite.Connection,
    *,
    issue_id: int | None = None,
    kind: DigestKind | None = None,
    limit: int = 10,
    offset: int = 0,
) -> list[IssueRecord]:
    """Issues newest first (by period start, else date; undated last), or one by id."""
    if issue_id is not None:
        rows = await db.execute_fetchall(f"{_ISSUE_SELECT} WHERE d.id = ?", (issue_id,))
    elif kind is None:
        rows = await db.execute_fetchall(
            f"{_ISSUE_SELECT} ORDER BY d.sort_date DESC, d.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
    else:
        rows = await db.execute_fetchall(
            f"{_ISSUE_SELECT} WHERE d.kind = ? ORDER BY d.sort_date DESC, d.id DESC"
            " LIMIT ? OFFSET ?",
            (kind.value, limit, offset),
        )
    return [
        IssueRecord(
            id=row[0],
            key=row[1],
            kind=row[2],
            title=row[3],
            date=row[4],
            period_start=row[5],
            period_end=row[6],
            source=row[7],
            intro=row[8],
            paper_count=row[9],
        )
        for row in rows
    ]


async def issue_paper_ids(db: aiosqlite.Connection, issue_id: int) -> list[int]:
    rows = await db.execute_fetchall(
        "SELECT paper_id FROM mentions WHERE document_id = ? ORDER BY position", (issue_id,)
    )
    return [int(row[0]) for row in rows]


async def tag_counts(db: aiosqlite.Connection) -> list[tuple[str, int]]:
    rows = await db.execute_fetchall(
        "SELECT tag, paper_count FROM tags ORDER BY paper_count DESC, tag"
    )
    return [(str(row[0]), int(row[1])) for row in rows]


async def paper_id_by_arxiv(db: aiosqlite.Connection, arxiv_id: str) -> int | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT id FROM papers WHERE arxiv_id = ? ORDER BY id LIMIT 1", (arxiv_id,)
        )
    )
    return int(rows[0][0]) if rows else None


async def tag_count(db: aiosqlite.Connection, tag: str) -> int:
    rows = list(await db.execute_fetchall("SELECT paper_count FROM tags WHERE tag = ?", (tag,)))
    return int(rows[0][0]) if rows else 0


async def suggest_tags(db: aiosqlite.Connection, text: str, limit: int) -> list[str]:
    """Tags containing ``text``; those starting with it first, then by use."""
    rows = await db.execute_fetchall(
        "SELECT tag FROM tags WHERE instr(tag, ?1) > 0"
        " ORDER BY instr(tag, ?1) = 1 DESC, paper_count DESC, tag LIMIT ?2",
        (text, limit),
    )
    return [str(row[0]) for row in rows]


async def latest_titles(db: aiosqlite.Connection, limit: int) -> list[TitleSuggestion]:
    rows = await db.execute_fetchall(
        f"SELECT p.id, {TITLE} FROM papers AS p{FIRST_MENTION} ORDER BY p.id DESC LIMIT ?",
        (limit,),
    )
    return [TitleSuggestion(id=row[0], title=row[1]) for row in rows]


async def stats(db: aiosqlite.Connection) -> StoreStats:
    by_kind = dict.fromkeys(DigestKind, 0)
    for row in await db.execute_fetchall("SELECT kind, count(*) FROM documents GROUP BY kind"):
        by_kind[DigestKind(row[0])] = int(row[1])
    rows = list(
        await db.execute_fetchall(
            "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM mentions),"
            " (SELECT count(*) FROM tags),"
            " (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())"
        )
    )
    papers, mentions, tags, size = (int(value) for value in rows[0])
    return StoreStats(
        documents=by_kind, papers=papers, mentions=mentions, tags=tags, db_size_bytes=size
    )
