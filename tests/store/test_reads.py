"""Reads other than search: papers, random, issues, tags, autocomplete, statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bot.digests.models import DigestKind
from bot.store import Store

from .builders import daily, note, paper, weekly

MAY_12 = dt.date(2024, 5, 12)
MAY_13 = dt.date(2024, 5, 13)
MAY_14 = dt.date(2024, 5, 14)


@pytest.fixture
async def filled(store: Store) -> Store:
    await store.ingest(
        [
            daily(MAY_12, paper("Early Bird", arxiv_id="2405.00001", tags=["llm"])),
            weekly(
                MAY_13,
                paper("Zero-shot Tokenizer Transfer", arxiv_id="2405.07883", tags=["tokenizer"]),
                paper("미세 조정과 환각", tags=["llm", "hallucination"]),
                paper("Veo", tags=["video-generation"]),
            ),
            daily(MAY_14, paper("Late Owl", arxiv_id="2405.00002", tags=["llm", "agent"])),
            note(paper("Undated Note", arxiv_id="2308.04592", tags=["alignment"])),
        ]
    )
    return store


async def test_get_paper(filled: Store) -> None:
    page = await filled.search("Veo")
    paper_id = page.hits[0].paper.id
    record = await filled.get_paper(paper_id)
    assert record is not None
    assert record.title == "Veo"
    assert record.tags == ["video-generation"]
    [mention] = record.mentions
    assert (mention.kind, mention.date, mention.position) == (DigestKind.WEEKLY, MAY_13, 2)
    assert mention.issue_title.startswith("[2024/05/13]")
    assert await filled.get_paper(10_000) is None
    assert await filled.get_papers([paper_id, 10_000, paper_id]) == [record]


async def draw(store: Store, times: int, tag: str | None = None) -> Counter[str]:
    seen: Counter[str] = Counter()
    for _ in range(times):
        found = await store.random_paper(tag=tag)
        assert found is not None
        seen[found.title] += 1
    return seen


async def test_random_paper(filled: Store) -> None:
    assert len(await draw(filled, 200)) == 6


async def test_random_paper_by_tag(filled: Store) -> None:
    assert set(await draw(filled, 100, tag="llm")) == {"Early Bird", "미세 조정과 환각", "Late Owl"}
    only = await filled.random_paper(tag="#Video_Generation")
    assert only is not None
    assert only.title == "Veo"
    assert await filled.random_paper(tag="no-such-tag") is None


async def test_random_paper_on_empty_store(store: Store) -> None:
    assert await store.random_paper() is None
    assert await store.random_paper(tag="llm") is None


async def test_random_paper_survives_gaps(store: Store) -> None:
    await store.ingest(
        [daily(MAY_14, *(paper(f"P{i}", arxiv_id=f"2405.{i:05d}") for i in range(50)))]
    )
    await store.ingest([daily(MAY_14, paper("P49", arxiv_id="2405.00049"))])  # 49 orphans go
    for _ in range(20):
        found = await store.random_paper()
        assert found is not None
        assert found.title == "P49"


async def test_latest_issues_newest_first_undated_last(filled: Store) -> None:
    issues = await filled.latest_issues()
    assert [i.kind for i in issues] == [
        DigestKind.DAILY,
        DigestKind.WEEKLY,
        DigestKind.DAILY,
        DigestKind.NOTE,
    ]
    assert [i.date or i.period_start for i in issues[:3]] == [MAY_14, MAY_13, MAY_12]
    assert [i.paper_count for i in issues] == [1, 3, 1, 1]
    weekly_issue = issues[1]
    assert weekly_issue.period_end == dt.date(2024, 5, 19)
    assert weekly_issue.key == "weekly:2024-05-13"
    assert [i.date for i in await filled.latest_issues(kind=DigestKind.DAILY)] == [MAY_14, MAY_12]
    assert len(await filled.latest_issues(limit=2)) == 2


async def test_list_issues_pages(filled: Store) -> None:
    everything = await filled.list_issues(limit=10)
    assert len(everything) == 4
    assert await filled.list_issues(limit=2, offset=2) == everything[2:]
    assert await filled.list_issues(limit=2, offset=10) == []


async def test_issue_and_its_papers_in_order(filled: Store) -> None:
    weekly_issue = (await filled.latest_issues(kind=DigestKind.WEEKLY))[0]
    assert await filled.get_issue(weekly_issue.id) == weekly_issue
    papers = await filled.issue_papers(weekly_issue.id)
    assert [p.title for p in papers] == ["Zero-shot Tokenizer Transfer", "미세 조정과 환각", "Veo"]
    assert await filled.get_issue(999) is None
    assert await filled.issue_papers(999) == []


async def test_tag_counts_most_used_first(filled: Store) -> None:
    assert await filled.tag_counts() == [
        ("llm", 3),
        ("agent", 1),
        ("alignment", 1),
        ("hallucination", 1),
        ("tokenizer", 1),
        ("video-generation", 1),
    ]


async def test_suggest_titles(filled: Store) -> None:
    [first, *_] = await filled.suggest_titles("zero sh")
    assert first.title == "Zero-shot Tokenizer Transfer"
    assert [s.title for s in await filled.suggest_titles("Tokeniz")] == [
        "Zero-shot Tokenizer Transfer"
    ]
    assert [s.title for s in await filled.suggest_titles("v")] == ["Veo"]
    assert [s.title for s in await filled.suggest_titles("환각")] == ["미세 조정과 환각"]
    # words outside titles do not count
    assert await filled.suggest_titles("llm") == []
    newest = await filled.suggest_titles("", limit=2)
    assert [s.title for s in newest] == ["Undated Note", "Late Owl"]
    assert len(await filled.suggest_titles("", limit=25)) == 6


async def test_suggest_tags(filled: Store) -> None:
    assert await filled.suggest_tags("") == [
        "llm",
        "agent",
        "alignment",
        "hallucination",
        "tokenizer",
        "video-generation",
    ]
    assert await filled.suggest_tags("a") == [
        "agent",
        "alignment",
        "hallucination",
        "video-generation",
    ]
    assert await filled.suggest_tags("#Video") == ["video-generation"]
    assert await filled.suggest_tags("gen") == ["agent", "video-generation"]
    assert await filled.suggest_tags("", limit=2) == ["llm", "agent"]


async def test_stats(filled: Store) -> None:
    stats = await filled.stats()
    assert stats.documents == {DigestKind.WEEKLY: 1, DigestKind.DAILY: 2, DigestKind.NOTE: 1}
    assert (stats.papers, stats.mentions, stats.tags) == (6, 6, 6)
    assert stats.db_size_bytes > 0


async def test_optimize_keeps_results(filled: Store) -> None:
    before = await filled.search("tokenizer")
    await filled.optimize()
    assert await filled.search("tokenizer") == before
