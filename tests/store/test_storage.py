"""The paper text is stored once (issue 9: database size): a paper with one mention keeps its
text in the mention only, and every read still sees it."""

from __future__ import annotations

import datetime as dt

from bot.store import Store

from .builders import daily, paper, weekly

DAY = dt.date(2024, 5, 14)
ONE = paper(
    "Egret Flight", arxiv_id="2405.00009", title_ko="백로의 비행", abstract_en="Egrets fly."
)


async def _raw_titles(store: Store) -> list[tuple[object, ...]]:
    rows = await store.db.reader.execute_fetchall("SELECT title_en, abstract_en FROM papers")
    return [tuple(row) for row in rows]


async def test_single_mention_text_lives_in_the_mention(store: Store) -> None:
    await store.ingest([daily(DAY, ONE)])
    assert await _raw_titles(store) == [(None, None)]
    [hit] = (await store.search("egret")).hits
    assert (hit.paper.title_en, hit.paper.title_ko, hit.paper.abstract_en) == (
        "Egret Flight",
        "백로의 비행",
        "Egrets fly.",
    )
    assert [s.title for s in await store.suggest_titles("egr")] == ["Egret Flight"]
    assert [s.title for s in await store.suggest_titles("")] == ["Egret Flight"]


async def test_second_mention_merges_into_the_paper_row(store: Store) -> None:
    await store.ingest([daily(DAY, ONE)])
    await store.ingest([weekly(DAY, paper("Egret Flight", arxiv_id="2405.00009"))])
    assert await _raw_titles(store) == [("Egret Flight", "Egrets fly.")]
    found = await store.lookup_paper("2405.00009")
    assert found is not None
    assert (found.title_ko, len(found.mentions)) == ("백로의 비행", 2)
