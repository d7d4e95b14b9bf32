"""Ties among equally relevant papers (issue 9): the more recent and more often mentioned
paper first, never above a better text match; and the 0004 migration fills the tie-break."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.store import Store
from bot.store._db import connect, load_migrations, migrate

from .builders import daily, note, paper, weekly

OLD = dt.date(2023, 1, 10)
NEW = dt.date(2024, 5, 14)


def _same(title: str) -> object:
    return paper(title, abstract_en="An egret study.")  # identical text: identical bm25


async def _filler(store: Store) -> None:
    # bm25's idf is clamped to ~0 when most papers match: other papers make scores differ
    await store.ingest(
        [daily(OLD - dt.timedelta(days=1), *(paper(f"Heron {i}") for i in range(8)))]
    )


async def test_equal_matches_prefer_recent_and_weekly(store: Store) -> None:
    await _filler(store)
    await store.ingest([note(_same("Delta Note"), source="notes/stray.md")])  # undated
    await store.ingest([daily(OLD, _same("Gamma Note"))])
    await store.ingest([daily(NEW, _same("Beta Note"))])
    await store.ingest([weekly(NEW - dt.timedelta(days=1), _same("Alpha Note"))])
    page = await store.search("egret")
    assert [hit.paper.title for hit in page.hits] == [
        "Alpha Note",  # weekly, a day older than the daily Beta Note
        "Beta Note",
        "Gamma Note",
        "Delta Note",
    ]


async def test_a_better_text_match_still_wins(store: Store) -> None:
    await _filler(store)
    await store.ingest([note(paper("Egret Anatomy", abstract_en="An egret study."))])
    await store.ingest([weekly(NEW, _same("Alpha Note"))])
    page = await store.search("egret")
    assert page.hits[0].paper.title == "Egret Anatomy"  # in its title: bm25 wins over prior


async def test_migration_fills_prior_for_existing_papers(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    migrations = load_migrations()
    db = await connect(path)
    try:
        await migrate(db, [m for m in migrations if m.version < 4])
    finally:
        await db.close()
    with sqlite3.connect(path) as raw:  # a paper written by the old code, mentioned twice
        raw.executescript(
            "INSERT INTO documents (id, key, source, kind, title, date, content_hash)"
            " VALUES (1, 'daily:x', 's', 'daily', 't', '2024-05-14', 'h'),"
            " (2, 'weekly:x', 's', 'weekly', 't', '2024-05-13', 'h');"
            "INSERT INTO papers (id, identity) VALUES (1, 'title:x'), (2, 'title:y');"
            "INSERT INTO mentions (document_id, paper_id, position, line)"
            " VALUES (1, 1, 0, 1), (2, 1, 0, 1);"
        )
    async with await Store.open(path) as store:
        rows = list(await store._reader.execute_fetchall("SELECT id, prior FROM papers"))
    days = (dt.date(2024, 5, 14) - dt.date(2000, 1, 1)).days
    assert [tuple(row) for row in rows] == [(1, days + 30 + 30), (2, 0)]
