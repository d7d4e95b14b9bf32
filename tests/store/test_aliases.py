"""A weekly's short name and a nearby daily's or note's full title are one paper."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.digests.models import Document, LinkKind
from bot.store import Store

from .builders import arxiv, daily, note, paper, weekly

WEEK = dt.date(2024, 5, 13)
FULL = "Shepherd: A Critic for Language Model Generation"
ARXIV = "2308.04592"


def _papers(store: Store) -> list[tuple[int, str, int]]:
    """(id, identity, mentions) of every paper."""
    with sqlite3.connect(store.path) as db:
        return list(
            db.execute(
                "SELECT p.id, p.identity, count(m.id) FROM papers AS p"
                " LEFT JOIN mentions AS m ON m.paper_id = p.id GROUP BY p.id ORDER BY p.id"
            )
        )


def _weekly(day: dt.date = WEEK, title: str = "Shepherd") -> Document:
    return weekly(day, paper(title, summary_ko="비평 모델"), paper("Other Model"))


def _daily(day: dt.date = WEEK + dt.timedelta(days=3)) -> Document:
    return daily(day, paper(FULL, arxiv_id=ARXIV, authors=["Tianlu Wang"]))


async def test_weekly_after_daily_joins_the_dailys_paper(store: Store) -> None:
    first = await store.ingest([_daily()])
    second = await store.ingest([_weekly()])
    (shepherd,) = first.new_paper_ids
    assert len(second.new_paper_ids) == 1  # only "Other Model": Shepherd is not new again
    assert shepherd not in second.new_paper_ids
    assert (shepherd, f"arxiv:{ARXIV}", 2) in _papers(store)
    record = await store.get_paper(shepherd)
    assert record is not None
    assert record.title_en == FULL
    assert record.summary_ko == "비평 모델"
    assert {m.kind.value for m in record.mentions} == {"weekly", "daily"}


async def test_daily_after_weekly_keeps_the_weekly_paper_and_alerts_once(store: Store) -> None:
    first = await store.ingest([_weekly()])
    (shepherd, _other) = first.new_paper_ids
    second = await store.ingest([_daily()])
    assert second.new_paper_ids == []  # followers were told about it under its short name
    assert second.deleted_paper_ids == []
    assert (shepherd, f"arxiv:{ARXIV}", 2) in _papers(store)
    record = await store.get_paper(shepherd)
    assert record is not None
    assert record.arxiv_id == ARXIV
    assert record.title_en == FULL
    assert len(_papers(store)) == 2


async def test_both_orders_give_the_same_papers(store: Store) -> None:
    await store.ingest([_weekly(), _daily()])
    one_call = sorted((identity, n) for _, identity, n in _papers(store))
    other = await Store.open(store.path.with_name("other.db"))
    async with other:
        await other.ingest([_daily()])
        await other.ingest([_weekly()])
        assert sorted((identity, n) for _, identity, n in _papers(other)) == one_call
    assert one_call == [(f"arxiv:{ARXIV}", 2), ("title:other model", 1)]


async def test_a_note_counts_like_a_daily(store: Store) -> None:
    await store.ingest([_weekly()])
    shepherd_note = note(
        paper(FULL, arxiv_id=ARXIV), source="230808 Shepherd.md", date=WEEK - dt.timedelta(days=5)
    )
    report = await store.ingest([shepherd_note])
    assert report.new_paper_ids == []
    assert len(_papers(store)) == 2


async def test_far_apart_digests_stay_two_papers(store: Store) -> None:
    await store.ingest([_weekly(WEEK + dt.timedelta(days=60))])
    await store.ingest([_daily()])
    assert sorted(identity for _, identity, _ in _papers(store)) == [
        f"arxiv:{ARXIV}",
        "title:other model",
        "title:shepherd",
    ]


async def test_only_the_nearby_weekly_mention_moves(store: Store) -> None:
    year_ago = WEEK - dt.timedelta(days=365)
    await store.ingest([_weekly(year_ago), _weekly()])
    await store.ingest([_daily()])
    counts = {identity: n for _, identity, n in _papers(store)}
    assert counts == {"title:shepherd": 1, f"arxiv:{ARXIV}": 2, "title:other model": 2}


async def test_an_edited_weekly_stays_on_the_dailys_paper(store: Store) -> None:
    await store.ingest([_weekly(), _daily()])
    before = _papers(store)
    edited = weekly(WEEK, paper("Shepherd", summary_ko="비평 모델, 고침"), paper("Other Model"))
    report = await store.ingest([edited])
    assert report.updated == 1
    assert report.new_paper_ids == []
    assert _papers(store) == before


async def test_a_title_that_merely_starts_alike_is_another_paper(store: Store) -> None:
    await store.ingest([_weekly(title="Shep"), _daily()])
    assert len(_papers(store)) == 3


async def test_a_review_is_never_a_weeklys_paper(store: Store) -> None:
    # A note about several papers titled "Shepherd: …" is no paper: the weekly's "Shepherd"
    # must not become a mention of it, in either order, and it must not absorb the weekly's.
    review = note(
        paper(
            FULL, links=[arxiv(ARXIV).model_copy(update={"kind": LinkKind.RELATED})], review=True
        ),
        source="230808 Shepherd and others.md",
        date=WEEK + dt.timedelta(days=2),
    )
    await store.ingest([review])
    await store.ingest([_weekly()])
    other = await Store.open(store.path.with_name("other.db"))
    async with other:
        await other.ingest([_weekly()])
        await other.ingest([review])
        for one in (store, other):
            assert sorted((identity, n) for _, identity, n in _papers(one)) == [
                ("review:2024-05-15 shepherd a critic for language model generation", 1),
                ("title:other model", 1),
                ("title:shepherd", 1),
            ]
