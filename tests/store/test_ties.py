"""Ties among equally relevant papers (issue 9): the more recent and more often mentioned
paper first, never above a better text match."""

from __future__ import annotations

import datetime as dt

from bot.store import Store

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
