"""Ingesting documents: idempotence, updates in place, one paper across digests, cleanup."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.digests.models import DigestKind, Link, LinkKind
from bot.store import DocumentWrite, IngestStatus, Store

from .builders import daily, note, paper, weekly

MAY_13 = dt.date(2024, 5, 13)
MAY_14 = dt.date(2024, 5, 14)


def _count(store: Store, table: str) -> int:
    with sqlite3.connect(store.path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _search_rows(store: Store) -> int:
    return _count(store, "paper_search")


async def test_new_then_unchanged(store: Store) -> None:
    doc = weekly(MAY_13, paper("GPT-4o"), paper("Veo", arxiv_id="2405.00001"))
    report = await store.ingest([doc])
    assert (report.new, report.updated, report.unchanged, report.failed) == (1, 0, 0, 0)
    assert len(report.new_paper_ids) == 2
    [outcome] = report.documents
    assert outcome.key == doc.key
    assert outcome.status is IngestStatus.NEW

    again = await store.ingest([doc])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert again.new_paper_ids == []
    assert again.documents[0].document_id == outcome.document_id
    assert (await store.stats()).papers == 2


async def test_unchanged_writes_nothing(store: Store) -> None:
    doc = daily(MAY_14, paper("One", arxiv_id="2405.00001"))
    await store.ingest([doc])
    with sqlite3.connect(store.path) as db:
        before = db.execute("SELECT updated_at FROM documents").fetchone()
    await store.ingest([doc])
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT updated_at FROM documents").fetchone() == before


async def test_edited_document_is_updated_in_place(store: Store) -> None:
    first = weekly(
        MAY_13,
        paper("Kept", arxiv_id="2405.00001", summary_en="old summary"),
        paper("Dropped", arxiv_id="2405.00002"),
    )
    report = await store.ingest([first])
    kept_id, dropped_id = report.new_paper_ids
    edited = weekly(
        MAY_13,
        paper("Kept", arxiv_id="2405.00001", summary_en="new summary"),
        paper("Added", arxiv_id="2405.00003"),
    )
    report = await store.ingest([edited])
    assert (report.new, report.updated) == (0, 1)
    assert report.documents[0].document_id is not None
    [added_id] = report.new_paper_ids
    assert report.deleted_paper_ids == [dropped_id]

    assert _count(store, "documents") == 1
    assert _count(store, "mentions") == 2
    assert _count(store, "papers") == 2
    assert _search_rows(store) == 2
    kept = await store.get_paper(kept_id)
    assert kept is not None
    assert kept.summary_en == "new summary"
    assert await store.get_paper(dropped_id) is None
    assert (await store.get_paper(added_id)) is not None
    assert (await store.search("dropped")).total == 0
    assert (await store.search("new summary")).total == 1


async def test_same_arxiv_id_in_weekly_and_daily_is_one_paper(store: Store) -> None:
    in_weekly = paper(
        "Fine-tuning and Hallucinations",
        arxiv_id="2405.05904",
        title_ko="미세 조정과 환각",
        summary_ko="새로운 지식을 학습하면 환각이 늘어납니다.",
        tags=["llm"],
    )
    in_daily = paper(
        "Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?",
        links=[Link(kind=LinkKind.PAPER, url="https://arxiv.org/pdf/2405.05904v2")],
        authors=["Zorik Gekhman", "Gal Yona"],
        abstract_en="When large language models are aligned via supervised fine-tuning...",
        commentary="새로운 지식을 SFT로 주입하면 환각이 증가한다는 결과.",
        tags=["hallucination", "llm"],
    )
    report = await store.ingest([weekly(MAY_13, in_weekly), daily(MAY_14, in_daily)])
    assert report.new == 2
    assert len(report.new_paper_ids) == 1
    [paper_id] = report.new_paper_ids

    record = await store.get_paper(paper_id)
    assert record is not None
    assert record.arxiv_id == "2405.05904"
    # the daily note's full title wins over the weekly's short name; Korean title kept
    assert record.title_en == "Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?"
    assert record.title_ko == "미세 조정과 환각"
    assert record.authors == ["Zorik Gekhman", "Gal Yona"]
    assert record.summary_ko == "새로운 지식을 학습하면 환각이 늘어납니다."
    assert record.commentary == "새로운 지식을 SFT로 주입하면 환각이 증가한다는 결과."
    assert sorted(record.tags) == ["hallucination", "llm"]
    assert [m.kind for m in record.mentions] == [DigestKind.WEEKLY, DigestKind.DAILY]
    assert [m.date for m in record.mentions] == [MAY_13, MAY_14]
    assert len(record.links) == 2  # abs and pdf URLs are different links
    # found by either digest's wording, once
    for query in ["Fine-tuning and Hallucinations", "Encourage", "미세 조정", "Gekhman"]:
        page = await store.search(query)
        assert [hit.paper.id for hit in page.hits] == [paper_id], query


async def test_same_normalised_title_is_one_paper(store: Store) -> None:
    report = await store.ingest(
        [
            weekly(MAY_13, paper("GPT-4o", summary_en="omni model")),
            daily(MAY_14, paper("gpt 4o!", commentary="멀티모달 모델")),
        ]
    )
    assert len(report.new_paper_ids) == 1
    record = await store.get_paper(report.new_paper_ids[0])
    assert record is not None
    assert len(record.mentions) == 2
    assert record.identity == "title:gpt 4o"


async def test_paper_twice_in_one_document(store: Store) -> None:
    doc = daily(
        MAY_14, paper("Twice", arxiv_id="2405.00010"), paper("Twice", arxiv_id="2405.00010")
    )
    report = await store.ingest([doc])
    assert len(report.new_paper_ids) == 1
    record = await store.get_paper(report.new_paper_ids[0])
    assert record is not None
    assert [m.position for m in record.mentions] == [0, 1]


async def test_untitled_entries_stay_distinct(store: Store) -> None:
    doc = daily(MAY_14, paper(None, commentary="첫째"), paper(None, commentary="둘째"))
    report = await store.ingest([doc])
    assert len(report.new_paper_ids) == 2


async def test_orphans_are_deleted_but_shared_papers_stay(store: Store) -> None:
    shared = paper("Shared", arxiv_id="2405.00001", tags=["llm"])
    only_weekly = paper("Only weekly", arxiv_id="2405.00002", tags=["vision"])
    report = await store.ingest([weekly(MAY_13, shared, only_weekly), daily(MAY_14, shared)])
    shared_id, only_id = report.new_paper_ids
    assert dict(await store.tag_counts()) == {"llm": 1, "vision": 1}

    report = await store.ingest([weekly(MAY_13)])  # the weekly now lists nothing
    assert report.updated == 1
    assert report.deleted_paper_ids == [only_id]
    assert await store.get_paper(only_id) is None
    survivor = await store.get_paper(shared_id)
    assert survivor is not None
    assert [m.kind for m in survivor.mentions] == [DigestKind.DAILY]
    assert _search_rows(store) == 1
    assert dict(await store.tag_counts()) == {"llm": 1}


async def test_re_merge_when_other_mention_changes(store: Store) -> None:
    await store.ingest(
        [
            weekly(MAY_13, paper("P", arxiv_id="2405.00010", tags=["llm"])),
            daily(MAY_14, paper("P", arxiv_id="2405.00010", tags=["agent"], abstract_en="short")),
        ]
    )
    await store.ingest(
        [daily(MAY_14, paper("P", arxiv_id="2405.00010", tags=["math"], abstract_en="longer one"))]
    )
    [hit] = (await store.search("P")).hits
    assert sorted(hit.paper.tags) == ["llm", "math"]
    assert hit.paper.abstract_en == "longer one"
    assert (await store.search("agent")).total == 0
    assert (await store.search("longer")).total == 1


async def test_identity_change_moves_the_mention(store: Store) -> None:
    await store.ingest([weekly(MAY_13, paper("Veo"))])
    report = await store.ingest([weekly(MAY_13, paper("Veo", arxiv_id="2405.00009"))])
    assert len(report.new_paper_ids) == 1
    assert len(report.deleted_paper_ids) == 1
    assert (await store.stats()).papers == 1


async def test_same_key_twice_in_one_batch(store: Store) -> None:
    v1 = daily(MAY_14, paper("Version one"))
    v2 = daily(MAY_14, paper("Version two"))
    await store.ingest([v1])
    report = await store.ingest([v2, v1])
    assert [o.status for o in report.documents] == [IngestStatus.UPDATED, IngestStatus.UPDATED]
    assert (await store.search("version one")).total == 1
    assert (await store.search("two")).total == 0


async def test_outcomes_keep_input_order(store: Store) -> None:
    existing = daily(MAY_13, paper("Old"))
    await store.ingest([existing])
    report = await store.ingest([daily(MAY_14, paper("New")), existing, note(paper("N"))])
    assert [o.status for o in report.documents] == [
        IngestStatus.NEW,
        IngestStatus.UNCHANGED,
        IngestStatus.NEW,
    ]


async def test_hook_runs_inside_the_transaction(store: Store) -> None:
    seen: list[DocumentWrite] = []

    async def hook(write: DocumentWrite) -> None:
        rows = list(await write.db.execute_fetchall("SELECT count(*) FROM mentions"))
        assert write.db.in_transaction
        assert rows[0][0] == len(write.paper_ids)
        seen.append(write)

    doc = daily(MAY_14, paper("A", arxiv_id="2405.00101"), paper("B", arxiv_id="2405.00102"))
    report = await store.ingest([doc], on_document=hook)
    [write] = seen
    assert write.status is IngestStatus.NEW
    assert list(write.new_paper_ids) == report.new_paper_ids
    await store.ingest([doc], on_document=hook)  # unchanged: no hook call
    assert len(seen) == 1


async def test_failing_hook_rolls_the_document_back(store: Store) -> None:
    async def hook(write: DocumentWrite) -> None:
        if write.key == "daily:2024-05-14":
            raise RuntimeError("outbox is full")

    report = await store.ingest(
        [daily(MAY_13, paper("Fine")), daily(MAY_14, paper("Doomed"))], on_document=hook
    )
    assert (report.new, report.failed) == (1, 1)
    failed = report.documents[1]
    assert failed.status is IngestStatus.FAILED
    assert failed.error is not None
    assert "outbox is full" in failed.error
    assert _count(store, "documents") == 1
    assert _count(store, "papers") == 1
    assert _search_rows(store) == 1
    assert (await store.search("doomed")).total == 0
    # the document goes in on the next run
    assert (await store.ingest([daily(MAY_14, paper("Doomed"))])).new == 1


async def test_generator_input_and_many_batches(store: Store) -> None:
    start = dt.date(2020, 1, 1)
    docs = (
        daily(start + dt.timedelta(days=i), paper(f"Paper {i}", arxiv_id=f"2001.{i:05d}"))
        for i in range(600)
    )
    report = await store.ingest(docs)
    assert report.new == 600
    assert len(report.new_paper_ids) == 600
    assert (await store.stats()).papers == 600


async def test_tags_are_canonical(store: Store) -> None:
    await store.ingest([daily(MAY_14, paper("T", tags=["#Reinforcement_Learning", "LLM"]))])
    assert dict(await store.tag_counts()) == {"llm": 1, "reinforcement-learning": 1}


async def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    async with await Store.open(path) as store:
        await store.ingest([daily(MAY_14, paper("Persistent", arxiv_id="2405.00007"))])
    async with await Store.open(path) as store:
        assert (await store.search("persistent")).total == 1
        assert (
            await store.ingest([daily(MAY_14, paper("Persistent", arxiv_id="2405.00007"))])
        ).unchanged


@pytest.mark.parametrize("kind", list(DigestKind))
async def test_every_kind_is_stored(store: Store, kind: DigestKind) -> None:
    doc = {
        DigestKind.WEEKLY: weekly(MAY_13, paper("K")),
        DigestKind.DAILY: daily(MAY_14, paper("K")),
        DigestKind.NOTE: note(paper("K", arxiv_id="2405.00003")),
    }[kind]
    await store.ingest([doc])
    assert (await store.stats()).documents[kind] == 1


async def test_bulk_failure_loses_only_that_document(store: Store) -> None:
    """Documents of one call share a transaction; a failure there loses only its document."""
    calls: list[str] = []

    async def hook(write: DocumentWrite) -> None:
        calls.append(write.key)
        if write.key == "daily:2024-05-14":
            raise RuntimeError("outbox is full")

    docs = [
        daily(MAY_13 - dt.timedelta(days=i), paper(f"Before {i}", arxiv_id=f"2405.{i:05d}"))
        for i in range(1, 4)
    ]
    docs += [daily(MAY_14, paper("Doomed")), daily(MAY_14 + dt.timedelta(days=1), paper("After"))]
    report = await store.ingest(docs, on_document=hook)
    assert [o.status for o in report.documents] == [IngestStatus.NEW] * 3 + [
        IngestStatus.FAILED,
        IngestStatus.NEW,
    ]
    assert _count(store, "documents") == 4
    assert _search_rows(store) == 4
    assert (await store.search("doomed")).total == 0
    assert (await store.search("before")).total == 3
    assert len(report.new_paper_ids) == 4
